"""Batch story split: documents about different events become different stories."""

from __future__ import annotations

import json
from pathlib import Path

from storylens import analyze

FLOOD = [
    "Floodwater from the river Amsel swept through the town of Bruckwald on Saturday, forcing 300 people from their homes.",
    "Rescue teams in Bruckwald used boats to reach residents trapped by the Amsel flood late on Saturday night.",
    "The Amsel burst its banks at Bruckwald after three days of heavy rain, the regional flood office said on Saturday.",
]
ELECTION = [
    "Voters in Lindqvist county elected Mayor Harriet Osei to a second term on Sunday with 58 percent of the vote.",
    "Harriet Osei won re-election as mayor of Lindqvist county on Sunday, beating challenger Tom Avery.",
    "Challenger Tom Avery conceded to Mayor Harriet Osei on Sunday night after the Lindqvist county count ended.",
]


def test_two_events_two_stories(tmp_path: Path) -> None:
    rows = [{"text": t, "outlet": f"Outlet {i}", "published": "2026-03-02"} for i, t in enumerate(FLOOD + ELECTION)]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analysis = analyze([str(path)])
    by_doc = {d.id: d.text for d in analysis.documents}
    assert len(analysis.stories) == 2
    for story in analysis.stories:
        texts = [by_doc[d] for d in story.docs]
        assert all("Amsel" in t for t in texts) or all("Osei" in t or "Avery" in t for t in texts)
    # claims stay inside their story
    story_of = {d: s.id for s in analysis.stories for d in s.docs}
    for claim in analysis.claims:
        assert {story_of[s.doc] for s in claim.support} == {claim.story}


def test_one_event_one_story(tmp_path: Path) -> None:
    rows = [{"text": t, "outlet": f"Outlet {i}"} for i, t in enumerate(FLOOD)]
    path = tmp_path / "flood.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analysis = analyze([str(path)])
    assert len(analysis.stories) == 1 and len(analysis.stories[0].docs) == 3
