"""A headline is the first paragraph of the citable text: a fact stated only there is aligned and cited."""

from __future__ import annotations

import json
from pathlib import Path

from storylens import analyze
from storylens.annotate import annotate
from storylens.ingest import build_document, content_id
from storylens.ingest.sources import RawItem
from storylens.models import headline_end, invalid_spans

BODY = ("The Copperfield ferry company halted every crossing on Tuesday after an engine fire on one of its "
        "boats. No passenger was hurt, the company said.")


def test_plain_text_headline_opens_the_text() -> None:
    doc = build_document(RawItem(source="a.txt", kind="text",
                                 content="Copperfield ferry firm suspends crossings after engine fire\n" + BODY, meta={}))
    assert doc.title == "Copperfield ferry firm suspends crossings after engine fire"
    assert doc.text.startswith(doc.title + "\n\n")
    end = headline_end(doc)
    assert doc.text[:end] == doc.title
    # the id is the body's: one article whatever headline it is given
    assert doc.id == content_id(doc.text[end:])
    annotate([doc])
    # the headline is a sentence of its own, not run into the body's first sentence
    assert doc.sentences[0][1] <= end + 2 and doc.sentences[1][0] >= end


def test_metadata_title_is_prepended_once() -> None:
    titled = build_document(RawItem(source="b", kind="text", content=BODY, meta={"title": "Crossings halted"}))
    assert titled.text == "Crossings halted\n\n" + BODY
    # a body that already opens with its headline is not given it twice
    again = build_document(RawItem(source="c", kind="text", content=BODY,
                                   meta={"title": "The Copperfield ferry company halted every crossing"}))
    assert again.text == BODY and headline_end(again) == 0


def test_a_fact_only_in_a_headline_is_aligned_and_cited(tmp_path: Path) -> None:
    one = {"outlet": "Quayside Post", "published": "2031-05-06",
           "title": "Copperfield ferry company suspends all crossings after engine fire",
           "text": "Copperfield engineers were inspecting the burnt ferry engine at the Quayside harbour on "
                   "Wednesday. The Quayside harbour master said the Copperfield ferry quay stayed open."}
    two = {"outlet": "Estuary Times", "published": "2031-05-06", "title": "Harbour news",
           "text": "The Copperfield ferry company suspended all of its crossings after an engine fire. "
                   "Copperfield ferry ticket holders will get their money back at the Quayside harbour."}
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in (one, two)), encoding="utf-8")
    analysis = analyze([str(path)])
    assert invalid_spans(analysis) == []
    docs = {d.outlet: d for d in analysis.documents}
    headline = docs["Quayside Post"]
    cited = [c for c in analysis.claims if any(s.doc == headline.id and s.end <= headline_end(headline) for s in c.support)]
    assert cited, "the headline's statement is no claim"
    assert any({s.doc for s in c.support} == {headline.id, docs["Estuary Times"].id} for c in cited)


def test_a_headline_with_no_verb_is_a_claim() -> None:
    # headline grammar drops the verb ("Nominee for harbour master: Ilse Varga"); the headline
    # is still a statement and often the only place an outlet states it
    doc = build_document(RawItem(source="h.txt", kind="text", meta={}, content=(
        "Nominee for Quayside harbour master: Ilse Varga\n"
        "The Quayside council named Ilse Varga as its nominee for harbour master on Monday.")))
    record = annotate([doc])[0]
    end = headline_end(doc)
    headlines = [d for d in record.drafts if d.end <= end]
    assert [d.text for d in headlines] == ["Nominee for Quayside harbour master: Ilse Varga"]
    # in the body, a verbless line of a few words is still no claim
    body = build_document(RawItem(source="b.txt", kind="text", meta={}, content=(
        "The Quayside council named Ilse Varga as its nominee on Monday.\n\nPhoto: harbour office\n\n"
        "Varga will start in June.")))
    assert not any("Photo" in d.text for d in annotate([body])[0].drafts)
