"""Golden file for the bundled example story: what a reader sees, in a stable projection.

Regenerate after an intended change with
``STORYLENS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from storylens import analyze
from storylens.models import Analysis, invalid_spans

GOLDEN = Path(__file__).parent / "golden" / "sample.json"


def project(analysis: Analysis, root: Path) -> dict[str, Any]:
    name = {d.id: Path(d.source).name for d in analysis.documents}
    return {
        "documents": [
            {
                "file": Path(d.source).name,
                "outlet": d.outlet,
                "title": d.title,
                "author": d.author,
                "published": d.published,
                "genre": d.genre,
                "boilerplate": sorted(Counter(b.reason for b in d.boilerplate).items()),
                "copy_of": name.get(d.duplicate_of or d.syndicated_from or ""),
            }
            for d in analysis.documents
        ],
        "people": sorted(
            [e.name, sorted(e.aliases)] for e in analysis.entities if e.type == "PERSON"
        ),
        "stories": len(analysis.stories),
        "contradictions": sorted(
            [c.kind, c.explanation, sorted([name[c.a.doc], name[c.b.doc]])] for c in analysis.contradictions
        ),
    }


@pytest.fixture(scope="module")
def sample_analysis(sample_dir: Path) -> Analysis:
    return analyze([str(sample_dir)])


def test_sample_matches_golden(sample_analysis: Analysis, sample_dir: Path) -> None:
    assert invalid_spans(sample_analysis) == []
    got = json.loads(json.dumps(project(sample_analysis, sample_dir)))
    if os.environ.get("STORYLENS_UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_sample_reads_right(sample_analysis: Analysis) -> None:
    """The facts the example was written to show, independent of the golden file."""
    docs = {Path(d.source).name: d for d in sample_analysis.documents}
    copy = docs["03_valley_courier.txt"]
    assert (copy.duplicate_of or copy.syndicated_from) == docs["02_northern_press_wire.txt"].id
    assert docs["05_lakeside_voice_opinion.txt"].genre == "opinion"
    captain = [e for e in sample_analysis.entities if e.name.endswith("Sokolov")]
    assert len(captain) == 1 and {"Dmitri Sokolov", "Dimitri Sokolov"} <= {captain[0].name, *captain[0].aliases}
    kinds = {c.kind for c in sample_analysis.contradictions}
    assert {"number", "date", "negation"} <= kinds
