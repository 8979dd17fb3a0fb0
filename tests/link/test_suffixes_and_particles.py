"""A person's name written with and without its generational suffix, and a verb's particle on
the action a day dates (invented names and events)."""

from __future__ import annotations

from pathlib import Path

from outlet_batches import analyse_texts, mentioned_doc

from storylens.annotate import annotate
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.entities import canonicalize
from storylens.options import Options

_doc = mentioned_doc


def test_a_name_with_and_without_its_suffix_is_one_person_but_father_and_son_stay_apart() -> None:
    a = _doc("a", "Orrin Tave Quillard Jr., 52, slipped out of a transfer van.",
             [("Orrin Tave Quillard Jr.", "PERSON")])
    b = _doc("b", "Orrin Tave Quillard was seen near Velm. Quillard was armed.",
             [("Orrin Tave Quillard", "PERSON"), ("Quillard", "PERSON")])
    c = _doc("c", "Brann Osk Sr. and Brann Osk Jr. opened the mill. Osk Jr. spoke.",
             [("Brann Osk Sr.", "PERSON"), ("Brann Osk Jr.", "PERSON")])
    entities, _ = canonicalize([a, b, c])
    groups = [{(m.doc, m.text) for m in e.mentions} for e in entities]
    assert {("a", "Orrin Tave Quillard Jr."), ("b", "Orrin Tave Quillard"), ("b", "Quillard")} in groups
    assert not any({("c", "Brann Osk Sr."), ("c", "Brann Osk Jr.")} <= g for g in groups)


def test_a_day_dates_the_verb_with_its_particle() -> None:
    doc = build_document(RawItem(source="p.txt", kind="text", content=(
        "The singer Ilma Dorve passed away on Saturday in Corvik. "
        "The old Tamsen mill burned down on Tuesday morning."), meta={}))
    ann = annotate([doc])[0]
    anchors = {doc.text[k : k + 6]: v for d in ann.drafts for k, v in d.time_anchor.items()}
    assert anchors.get("Saturd") == "pass away" and anchors.get("Tuesda") == "burn down"


def test_a_death_told_with_a_particle_verb_is_dated_against_another_outlets_death(tmp_path: Path) -> None:
    rest = " Ilma Dorve sang at the Corvik opera for thirty years."
    analysis = analyse_texts(tmp_path, {
        "Opera Post": "The singer Ilma Dorve passed away on Saturday at a hospital in Corvik." + rest,
        "Stage Wire": "Ilma Dorve, the Corvik soprano, died on Thursday at a hospital in Corvik." + rest,
    }, "2031-05-06", Options(min_confidence=0.0))
    dates = [c.explanation for c in analysis.contradictions if c.kind == "date"]
    assert any("'Saturday'" in e and "'Thursday'" in e for e in dates), \
        [c.explanation for c in analysis.contradictions]
