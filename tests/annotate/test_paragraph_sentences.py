"""A paragraph break always ends a sentence: a caption or dateline with no full stop is not
run into the next paragraph's sentence (which would then state neither cleanly).

Invented text."""

from __future__ import annotations

from storylens.annotate import annotate
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem

TEXT = (
    "Ferry Runs Aground Off Tessel Island\n\n"
    "Posted: 04 / 05 / 2021 09:30 am\n\n"
    "Rescue crews from the Brakke coast guard reached the stranded passengers before dawn\n\n"
    "The ferry Marlin ran aground off Tessel Island on Sunday, the harbour office said.\n\n"
    "All 212 passengers were taken to the port of Vell by lifeboat."
)


def test_no_sentence_crosses_a_paragraph_break(nlp: object) -> None:
    doc = build_document(RawItem(source="ferry.txt", kind="text", content=TEXT, meta={}))
    record = annotate([doc])[0]
    sentences = [doc.text[s:e] for s, e in record.doc.sentences]
    assert not any("\n\n" in s.strip() for s in sentences), sentences
    drafts = {d.text for d in record.drafts}
    # the caption and the lead are claims of their own, each citable as written
    assert "Rescue crews from the Brakke coast guard reached the stranded passengers before dawn" in drafts
    assert "The ferry Marlin ran aground off Tessel Island on Sunday, the harbour office said." in drafts
    assert all(doc.text[d.start:d.end] == d.text for d in record.drafts)
