"""Framing per document: speakers, loaded wording with spans, omitted and unique claims.

A tiny fictional story (four outlets on a bridge closure) is analysed end to end in a
temporary folder; helpers are also tested on hand-made inputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens import analyze
from storylens.annotate import annotate
from storylens.models import Analysis, Document, Framing, Quote, Span, invalid_spans
from storylens.storify.framing import build_framing, speaker_shares

ARTICLES = [
    {"outlet": "Fenwick Herald", "published": "2031-05-06", "title": "Bridge shut", "text":
     "The Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks in two of its piers. "
     "The embattled Mayor Ada Quill said the bridge would stay closed for at least three weeks. "
     "The careless Mayor Ada Quill had ignored warnings about the piers for years, residents said."},
    {"outlet": "Brackley Post", "published": "2031-05-06", "title": "Selby Bridge closed", "text":
     "The Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks in its piers. "
     "Mayor Ada Quill said the bridge would stay closed for at least three weeks. "
     "Buses operated by the Tarnmoor Transit Authority will replace the crossing from Wednesday."},
    {"outlet": "Orchard Times", "published": "2031-05-06", "title": "Cracks close bridge", "text":
     "The Selby Bridge in Tarnmoor was closed on Monday after inspectors discovered cracks in its piers. "
     "The embattled Mayor Ada Quill said the bridge would stay closed for at least three weeks. "
     "\"It was a terrible shock for all of us,\" said Bram Oster, who runs a bakery by the river."},
    {"outlet": "Lantern Gazette", "published": "2031-05-07", "title": "Traders fear closure", "text":
     "Mayor Ada Quill said the Selby Bridge in Tarnmoor would stay closed for at least three weeks. "
     "The Tarnmoor traders' association said sales fell by a third on Tuesday as shoppers stayed away."},
]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    path = tmp_path_factory.mktemp("framing") / "bridge.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    analysis = analyze([str(path)])
    assert invalid_spans(analysis) == []
    return analysis


def _framing(analysis: Analysis, outlet: str) -> Framing:
    doc = next(d for d in analysis.documents if d.outlet == outlet)
    return next(f for f in analysis.framing if f.doc == doc.id)


def _claim_id(analysis: Analysis, words: str) -> str:
    return next(c.id for c in analysis.claims if any(words in s.text for s in c.support))


def test_one_framing_per_document_with_genre(story: Analysis) -> None:
    assert [f.doc for f in story.framing] == [d.id for d in story.documents]
    genres = {d.id: d.genre for d in story.documents}
    assert all(f.genre == genres[f.doc] for f in story.framing)


def test_loaded_terms_cite_their_words_and_mark_unique_descriptors(story: Analysis) -> None:
    texts = {d.id: d.text for d in story.documents}
    for f in story.framing:
        for t in f.loaded_terms:
            assert t.span.doc == f.doc and texts[f.doc][t.span.start : t.span.end] == t.term == t.span.text
    herald = {t.term: t for t in _framing(story, "Fenwick Herald").loaded_terms}
    assert herald["careless"].target == "Ada Quill"
    assert herald["careless"].kind == "evaluative_unique", "no other outlet calls her careless"
    assert herald["embattled"].target == "Ada Quill"
    assert herald["embattled"].kind == "descriptor", "another outlet calls her embattled too"
    times = {t.term: t for t in _framing(story, "Orchard Times").loaded_terms}
    assert times["embattled"].kind == "descriptor"
    assert "terrible" not in times, "words inside a quotation are the speaker's, not the outlet's"
    assert _framing(story, "Brackley Post").loaded_terms == []


def test_omitted_and_unique_claims(story: Analysis) -> None:
    closed = _claim_id(story, "was closed on Monday")
    traders = _claim_id(story, "traders' association")
    buses = _claim_id(story, "Buses operated by")
    gazette = _framing(story, "Lantern Gazette")
    assert closed in gazette.omitted_claims, "three of the three other sources carry it"
    assert traders in gazette.unique_claims
    assert buses in _framing(story, "Brackley Post").unique_claims
    for outlet in ("Fenwick Herald", "Brackley Post", "Orchard Times"):
        f = _framing(story, outlet)
        assert closed not in f.omitted_claims and closed not in f.unique_claims
        assert traders not in f.unique_claims
    claims = {c.id: c for c in story.claims}
    for f in story.framing:
        for cid in f.unique_claims:
            assert claims[cid].independent_sources == 1 and f.doc in {s.doc for s in claims[cid].support}
        for cid in f.omitted_claims:
            assert f.doc not in {s.doc for s in claims[cid].support}


def test_quoted_speakers_come_from_the_documents_quotes(story: Analysis) -> None:
    for f in story.framing:
        quotes = [q for q in story.quotes if q.span.doc == f.doc]
        assert sum(s.quotes for s in f.quoted_speakers) == len(quotes)


def test_speaker_shares_count_quotes_and_words() -> None:
    text = '"We will reopen it," said Ada Quill. "Soon," she added. "Nobody told us," a baker said.'

    def quote(words: str, speaker: str | None, speaker_text: str | None) -> Quote:
        start = text.index(words)
        return Quote(id=f"q{start}", span=Span(doc="d", start=start, end=start + len(words), text=words),
                     speaker=speaker, speaker_text=speaker_text)

    shares = speaker_shares([
        quote('"We will reopen it,"', "e_quill", "Ada Quill"),
        quote('"Soon,"', "e_quill", "she"),
        quote('"Nobody told us,"', None, "a baker"),
        quote("Nobody", None, None),
    ], {"e_quill": "Ada Quill"})
    assert [(s.speaker, s.entity, s.quotes, s.words) for s in shares] == [
        ("Ada Quill", "e_quill", 2, 5), ("a baker", None, 1, 3), ("unattributed", None, 1, 1),
    ]
    assert speaker_shares([], {}) == []


def test_framing_without_quotes_claims_or_entities(tmp_path: Path) -> None:
    docs = [Document(id="d1", source="d1.txt", outlet="Fenwick Herald", genre="opinion",
                     text="The careless council let the old bridge rot. Nobody was surprised.")]
    annotated = annotate(docs)
    analysis = Analysis(documents=docs)
    [f] = build_framing(analysis, annotated)
    assert f.doc == "d1" and f.genre == "opinion"
    assert f.quoted_speakers == [] and f.omitted_claims == [] and f.unique_claims == []
    assert [(t.term, t.kind, t.target) for t in f.loaded_terms] == [("careless", "evaluative", None)]


def _sides(folder: Path, text: str) -> dict[str, str | None]:
    """Speaker → the side the framing gives it, for one document analysed alone."""
    from storylens import analyze

    path = folder / "a.jsonl"
    path.write_text(json.dumps({"text": text, "outlet": "Desk"}), encoding="utf-8")
    return {s.speaker: s.side for f in analyze([str(path)]).framing for s in f.quoted_speakers}


def test_speaker_sides_from_the_text(tmp_path: Path) -> None:
    text = ("Russian Deputy Minister Oleg Varnov told reporters on Monday: \"We will not sign this agreement.\" "
            "Mia Hart, a senior fellow at the Lund Institute, said: \"The refusal is a negotiating tactic.\" "
            "The talks will resume next week.")
    sides = _sides(tmp_path, text)
    assert sides.get("Oleg Varnov") == "Russian", sides
    assert sides.get("Mia Hart") == "independent expert", sides


def test_an_expert_named_elsewhere_in_the_sentence_is_not_the_speakers_title(tmp_path: Path) -> None:
    text = ("Judge Ana Brel ruled on Monday that the ferry strike was lawful. "
            "Brel's ruling is \"a turning point for sailors,\" said Tomas Lind, a professor of labour law at Vell University. "
            "\"The strike met every test,\" Brel wrote in a ruling that experts praised.")
    sides = _sides(tmp_path, text)
    assert sides.get("Tomas Lind") == "independent expert", sides
    fronted = _sides(tmp_path, "Senior fellow at the Lund Institute, Mia Hart explains why the strike "
                               "worked. \"It was the only lever left,\" Hart said. The economist's view was "
                               "rejected, Ana Brel said: \"It was a gamble.\"")
    assert fronted.get("Mia Hart") == "independent expert", fronted
    assert fronted.get("Ana Brel") != "independent expert", fronted
    assert "Ana Brel" in sides and sides["Ana Brel"] != "independent expert", sides
