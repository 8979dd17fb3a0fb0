"""Fixtures for the report tests: the example story analysed once per session, and a
hand-built analysis whose article text is hostile markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import build_hostile_analysis

from storylens.models import Analysis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hostile_analysis() -> Analysis:
    return build_hostile_analysis()


@pytest.fixture(scope="session")
def sample_analysis() -> Analysis:
    import storylens

    return storylens.analyze([str(ROOT / "examples" / "sample")], storylens.Options())


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Debian chromium for every browser test of the session (Playwright allows one sync driver)."""
    from test_html_browser import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
