"""The hostile-input corpus (benchmarks/hostile.py) at small sizes: every case, each beside
one good article, must end with its named refusal (or a clean analysis), the right exit
code, no traceback, an answer in time and the good article analysed. ``make fuzz`` runs
the same cases at full sizes, each in its own process with its peak memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.hostile import (
    CASE_BY_NAME,
    CASES,
    RSS_BOUND_MB,
    hostile_servers,
    run_in_process,
    run_in_subprocess,
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with hostile_servers() as url:
        yield url


def test_every_category_is_covered() -> None:
    categories = {c.category for c in CASES}
    assert {"bomb", "nesting", "encoding", "dates", "huge", "counts", "archive", "server"} <= categories
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_hostile_case(name: str, tmp_path: Path, base_url: str) -> None:
    outcome = run_in_process(CASE_BY_NAME[name], tmp_path, "small", base_url)
    assert outcome.problems == [], outcome


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gz_text_bomb", "text_200mb"])
def test_hostile_case_in_its_own_process_stays_under_the_memory_bound(name: str, tmp_path: Path,
                                                                       base_url: str) -> None:
    outcome = run_in_subprocess(CASE_BY_NAME[name], tmp_path, "small", base_url)
    assert outcome.problems == [], outcome
    assert outcome.peak_rss_mb is not None and 0 < outcome.peak_rss_mb < RSS_BOUND_MB
