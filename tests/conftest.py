"""Shared fixtures: one spaCy model and one embedder for the whole session."""

from __future__ import annotations

from pathlib import Path

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
