"""Shared fixtures: one spaCy model, one embedder and one browser for the whole session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from storylens.annotate.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def embedder():
    from storylens.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return ROOT / "examples" / "sample"


CHROMIUM = os.environ.get("STORYLENS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Debian chromium for every browser test of the session: Playwright's sync API allows
    one driver at a time, so report and serve tests share it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
