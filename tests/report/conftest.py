"""Fixtures for the report tests: the example story analysed once per session, and a
hand-built analysis whose article text is hostile markup."""

from __future__ import annotations

from pathlib import Path

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
