"""The claim step's sentences are embedded in groups, story after story in the order it takes them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from storylens.link import claims
from storylens.link.claims import aligned_groups, aligned_texts
from storylens.models import Story


def _record(doc_id: str, texts: list[str]) -> Any:
    return SimpleNamespace(doc=SimpleNamespace(id=doc_id), drafts=[SimpleNamespace(text=t) for t in texts])


def test_groups_hold_whole_stories_in_story_order_and_skip_one_document_stories(monkeypatch: Any) -> None:
    monkeypatch.setattr(claims, "ALIGNED_GROUP", 4)
    records = [
        _record("d1", ["Dam opens.", "Water rises."]),
        _record("d2", ["Dam opened Monday."]),
        _record("d3", ["Mayor resigns.", "A vote follows.", "Council meets."]),
        _record("d4", ["Mayor quits."]),
        _record("d5", ["A lone report."]),
        _record("d6", ["Ferry sinks."]),
        _record("d7", ["Ferry sank at dawn."]),
    ]
    stories = [Story(id="s_c", label="", docs=["d1", "d2"]), Story(id="s_a", label="", docs=["d3", "d4"]),
               Story(id="s_b", label="", docs=["d5"]), Story(id="s_d", label="", docs=["d6", "d7"])]
    groups = aligned_groups(records, stories)
    # groups of at least 4: s_a (4 sentences) fills one; s_c and s_d (3 and 2) share the next; s_b has one document
    assert groups == [["Mayor resigns.", "A vote follows.", "Council meets.", "Mayor quits."],
                      ["Dam opens.", "Water rises.", "Dam opened Monday.", "Ferry sinks.", "Ferry sank at dawn."]]
    assert aligned_texts(records, stories) == [t for g in groups for t in g]
