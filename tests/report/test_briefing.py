"""The cited briefing: verifier, framing of single-source claims and contradictions, MMR,
importance order, opinion pieces, and the optional LLM rewrite (through a mock transport).

Fixtures are small hand-made analyses about a fictional bridge closure; the example
story (``sample_analysis``, see conftest.py) checks every sentence of a real run.
"""

from __future__ import annotations

import json

import httpx
import numpy as np
import pytest

from storylens.embed import get_embedder
from storylens.link.syndication import source_groups
from storylens.models import (
    Analysis,
    BriefingSentence,
    Claim,
    ClaimSlots,
    Contradiction,
    Document,
    ScoredSpan,
    Span,
    Story,
    invalid_spans,
)
from storylens.options import Options
from storylens.report.markdown import render_markdown
from storylens.storify.briefing import build_briefing, check_sentence, mmr_select, rewrite_with_llm

# ---------------------------------------------------------------------------
# builders


def _doc(doc_id: str, outlet: str, text: str, published: str = "2031-04-02", genre: str = "report",
         **extra: str) -> Document:
    doc = Document(id=doc_id, source=f"{doc_id}.txt", outlet=outlet, text=text, published=published,
                   genre=genre, **extra)  # type: ignore[arg-type]
    starts = [0] + [i + 2 for i in range(len(text)) if text.startswith(". ", i)]
    doc.sentences = [(s, (starts[k + 1] - 1) if k + 1 < len(starts) else len(text)) for k, s in enumerate(starts)]
    return doc


def _span(doc: Document, sentence: str) -> ScoredSpan:
    start = doc.text.index(sentence)
    return ScoredSpan(doc=doc.id, start=start, end=start + len(sentence), text=sentence)


def _claim(cid: str, spans: list[ScoredSpan], sources: int, status: str | None = None,
           when: str | None = None) -> Claim:
    return Claim(
        id=cid, text=spans[0].text, support=spans, independent_sources=sources,
        status=status or ("corroborated" if sources >= 2 else "single_source"),  # type: ignore[arg-type]
        slots=ClaimSlots(when=when), story="s1",
    )


def _analysis(docs: list[Document], claims: list[Claim], contradictions: list[Contradiction] | None = None
              ) -> Analysis:
    groups = source_groups(docs)  # as the syndication step sets them
    for d in docs:
        d.source_group = groups[d.id]
    return Analysis(
        documents=docs, claims=claims, contradictions=contradictions or [],
        stories=[Story(id="s1", label="Selby Bridge closed", docs=[d.id for d in docs])],
    )


A_TEXT = (
    "The Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks in two piers. "
    "Mayor Ada Quill said repairs would take at least three weeks. "
    "Buses will replace the crossing from Wednesday."
)
B_TEXT = (
    "TARNMOOR (Brackley Wire) - The Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks. "
    "Mayor Ada Quill said the repairs would take at least three weeks. "
    "The traders' association said sales fell by a third on Tuesday."
)
C_TEXT = (
    "Inspectors closed the Selby Bridge in Tarnmoor on Monday. "
    "Mayor Ada Quill said the repairs would take five weeks. "
    "Ferry operator Lumen Lines did not add extra sailings."
)
OP_TEXT = (
    "The careless council let the Selby Bridge rot for a decade. "
    "Mayor Ada Quill said repairs would take at least three weeks. "
    "Ferry operator Lumen Lines added two extra sailings on Tuesday."
)


@pytest.fixture
def docs() -> dict[str, Document]:
    return {
        "a": _doc("a", "Fenwick Herald", A_TEXT),
        "b": _doc("b", "Brackley Post", B_TEXT),
        "c": _doc("c", "Orchard Times", C_TEXT, published="2031-04-03"),
        "op": _doc("op", "Lantern Review", OP_TEXT, genre="opinion"),
    }


def _first(doc: Document) -> ScoredSpan:
    start, end = doc.sentences[0]
    return _span(doc, doc.text[start:end])


# ---------------------------------------------------------------------------
# the verifier


@pytest.fixture
def cited() -> tuple[list[Span], list[Document]]:
    text = ("Rescuers brought 212 people ashore on Tuesday, the Rellow coastguard said. "
            "The crew did not abandon the ship.")
    doc = _doc("v", "Fenwick Herald", text)
    first = text.split(". ")[0] + "."
    return [Span(doc="v", start=0, end=len(first), text=first)], [doc]


def test_verifier_accepts_the_cited_sentence_and_a_faithful_paraphrase(cited: tuple[list[Span], list[Document]]) -> None:
    spans, docs = cited
    assert check_sentence(spans[0].text, spans, docs)
    assert check_sentence("The Rellow coastguard said 212 people were brought ashore on Tuesday.", spans, docs)


@pytest.mark.parametrize("sentence", [
    "Rescuers brought 213 people ashore on Tuesday, the Rellow coastguard said.",  # number
    "Rescuers brought two hundred people ashore on Tuesday.",  # number written out
    "Rescuers from Dunmore brought 212 people ashore on Tuesday.",  # name
    "Rescuers brought 212 people ashore, Mayor Ada Quill said.",  # name
    "Rescuers brought 212 people ashore on Wednesday.",  # weekday
    "Rescuers brought 212 people ashore yesterday.",  # relative date
    "Rescuers brought 212 people ashore in March.",  # month
    "Rescuers did not bring 212 people ashore on Tuesday.",  # negation
    "Rescuers never brought 212 people ashore on Tuesday.",  # negation
    "The crew did not abandon the ship.",  # true elsewhere in the document, but not in the citation
])
def test_verifier_rejects_what_the_citations_do_not_support(
    cited: tuple[list[Span], list[Document]], sentence: str
) -> None:
    spans, docs = cited
    assert not check_sentence(sentence, spans, docs)


def test_verifier_rejects_a_negation_moved_onto_another_verb() -> None:
    text = "One of the girls was from Dunmore, not far from the border."
    doc = _doc("n", "Fenwick Herald", text)
    spans = [Span(doc="n", start=0, end=len(text), text=text)]
    assert check_sentence(text, spans, [doc])
    assert not check_sentence("One of the girls was not from Dunmore, not far from the border.", spans, [doc])


def test_verifier_reads_a_two_sentence_body_sentence_by_sentence() -> None:
    # a lead-in and its sequel: the sequel's negations are licensed by its own citation, even
    # when the longer lead-in shares more words with the whole body
    lead = ("Allies of Governor Pell Orwin made overtures to the painter Ivo Lusk last week about a "
            "post at the Marrow Arts Council, two aides said on Friday.")
    sequel = "But they added that no offer had been made."
    doc = _doc("t", "Fenwick Herald", f"{lead} {sequel}")
    spans = [_span(doc, lead), _span(doc, sequel)]
    assert check_sentence(f"Only Fenwick Herald reports: {lead} {sequel}", spans, [doc])
    # a negation the cited sequel does not have is still refused
    assert not check_sentence(f"Only Fenwick Herald reports: {lead} But they added that no offer had not been made.",
                              spans, [doc])


def test_verifier_counts_repeated_numbers() -> None:
    text = "Rescuers sent 4 boats and 9 crews to the Selby Bridge."
    doc = _doc("r", "Fenwick Herald", text)
    spans = [Span(doc="r", start=0, end=len(text), text=text)]
    assert check_sentence("Rescuers sent 9 crews and 4 boats to the Selby Bridge.", spans, [doc])
    assert not check_sentence("Rescuers sent 9 boats and 9 crews to the Selby Bridge.", spans, [doc])


def test_verifier_rejects_invalid_or_missing_citations(cited: tuple[list[Span], list[Document]]) -> None:
    spans, docs = cited
    shifted = Span(doc="v", start=1, end=spans[0].end, text=spans[0].text)
    assert not check_sentence(spans[0].text, [shifted], docs)
    assert not check_sentence(spans[0].text, [], docs)
    assert not check_sentence(spans[0].text, [Span(doc="nope", start=0, end=3, text="Res")], docs)


def test_verifier_checks_frames(cited: tuple[list[Span], list[Document]]) -> None:
    spans, docs = cited
    body = spans[0].text
    assert check_sentence(f"Only Fenwick Herald reports: {body}", spans, docs)
    # the outlet must be a cited document's, the body is checked as any sentence
    assert not check_sentence(f"Only Orchard Times reports: {body}", spans, docs)
    assert not check_sentence("Only Fenwick Herald reports: Rescuers brought 300 people ashore.", spans, docs)
    other = _doc("w", "Orchard Times", "Rescuers brought 240 people ashore on Wednesday.")
    both = [*spans, Span(doc="w", start=0, end=len(other.text), text=other.text)]
    quote_a = "Rescuers brought 212 people ashore on Tuesday"
    quote_b = "Rescuers brought 240 people ashore on Wednesday"
    ok = f'Outlets differ on number and date: Fenwick Herald says "{quote_a}", Orchard Times says "{quote_b}".'
    assert check_sentence(ok, both, [*docs, other])
    altered = ok.replace("240 people", "250 people")
    assert not check_sentence(altered, both, [*docs, other])
    paraphrased = ok.replace("brought 240 people ashore", "rescued 240 people")
    assert not check_sentence(paraphrased, both, [*docs, other]), "quotations must be verbatim"
    elided = f'Outlets differ on number: Fenwick Herald says "…brought 212 people ashore…", Orchard Times says "{quote_b}".'
    assert check_sentence(elided, both, [*docs, other])


# ---------------------------------------------------------------------------
# building the briefing


def _verify_all(analysis: Analysis) -> None:
    analysis_docs = {d.id: d for d in analysis.documents}
    assert analysis.briefing.sentences
    for s in analysis.briefing.sentences:
        assert s.citations
        assert check_sentence(s.text, s.citations, analysis_docs), s.text
    assert invalid_spans(analysis) == []


def test_corroborated_single_source_and_opinion(docs: dict[str, Document]) -> None:
    a, b, c, op = docs["a"], docs["b"], docs["c"], docs["op"]
    claims = [
        _claim("c_closed", [_first(a), _first(b), _first(c)], 3),
        _claim("c_buses", [_span(a, "Buses will replace the crossing from Wednesday.")], 1),
        # one report and one opinion piece: the opinion piece is no source of facts
        _claim("c_sales", [_span(b, "The traders' association said sales fell by a third on Tuesday."),
                           _span(op, "Ferry operator Lumen Lines added two extra sailings on Tuesday.")], 2),
        _claim("c_rot", [_span(op, "The careless council let the Selby Bridge rot for a decade.")], 1),
    ]
    analysis = _analysis(list(docs.values()), claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    by_kind: dict[str, list[BriefingSentence]] = {}
    for s in analysis.briefing.sentences:
        by_kind.setdefault(s.kind, []).append(s)
    assert [s.kind for s in analysis.briefing.sentences][0] == "corroborated"
    [closed] = by_kind["corroborated"]
    assert {c.doc for c in closed.citations} == {"a", "b", "c"}
    singles = {s.text for s in by_kind["single_source"]}
    assert "Only Fenwick Herald reports: Buses will replace the crossing from Wednesday." in singles
    assert "Only Brackley Post reports: The traders' association said sales fell by a third on Tuesday." in singles
    # what only the opinion piece says is stated as its words, last; it is never a report's fact
    [rot] = by_kind["opinion"]
    assert rot.text == "In an opinion piece, Lantern Review writes: The careless council let the Selby Bridge rot for a decade."
    assert analysis.briefing.sentences[-1] is rot
    assert all(c.doc != "op" for s in analysis.briefing.sentences if s.kind != "opinion" for c in s.citations)
    assert analysis.briefing.story == "s1"


def test_syndicated_copy_is_one_source_named_by_its_original(docs: dict[str, Document]) -> None:
    a = docs["a"]
    copy = _doc("copy", "Valley Echo", A_TEXT, syndicated_from="a")
    claims = [_claim("c_buses", [_span(copy, "Buses will replace the crossing from Wednesday."),
                                  _span(a, "Buses will replace the crossing from Wednesday.")], 1)]
    analysis = _analysis([a, copy], claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    [s] = analysis.briefing.sentences
    assert s.kind == "single_source"
    assert s.text.startswith("Only Fenwick Herald reports: ")
    assert {c.doc for c in s.citations} == {"a", "copy"}


def test_aligned_sentences_with_different_details_are_not_stated_as_corroborated(docs: dict[str, Document]) -> None:
    a = _doc("a", "Fenwick Herald", "Rescuers brought 212 people ashore from the Selby Bridge on Tuesday.")
    b = _doc("b", "Brackley Post", "Rescuers brought some 240 people ashore from the Selby Bridge on Monday.")
    claims = [_claim("c_rescue", [_first(a), _first(b)], 2)]  # aligned upstream, no contradiction found
    analysis = _analysis([a, b], claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    [s] = analysis.briefing.sentences
    assert s.kind == "single_source"
    # both outlets report the rescue: the frame says the details are one outlet's, not the event,
    # and the other outlet's wording is cited after it
    assert s.text == ("Only Fenwick Herald gives these details: "
                      "Rescuers brought 212 people ashore from the Selby Bridge on Tuesday.")
    assert [c.doc for c in s.citations] == ["a", "b"]


def test_dateline_is_dropped_and_the_citation_narrowed(docs: dict[str, Document]) -> None:
    b, c = docs["b"], docs["c"]
    claims = [_claim("c_closed", [_first(b), _first(c)], 2)]
    analysis = _analysis([b, c], claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    texts = [s.text for s in analysis.briefing.sentences]
    assert "The Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks." in texts
    cite = analysis.briefing.sentences[0].citations[0]
    assert cite.text == texts[0] and b.text[cite.start : cite.end] == cite.text


def test_contradiction_is_framed_and_the_contested_claim_not_stated(docs: dict[str, Document]) -> None:
    a, b, c = docs["a"], docs["b"], docs["c"]
    a_rep = _span(a, "Mayor Ada Quill said repairs would take at least three weeks.")
    b_rep = _span(b, "Mayor Ada Quill said the repairs would take at least three weeks.")
    c_rep = _span(c, "Mayor Ada Quill said the repairs would take five weeks.")
    claims = [_claim("c_repairs", [a_rep, b_rep, c_rep], 3, status="contested")]
    x = Contradiction(id="x1", kind="number", a=Span(**a_rep.model_dump(exclude={"score"})),
                      b=Span(**c_rep.model_dump(exclude={"score"})),
                      explanation="number: 'three weeks' vs 'five weeks'", confidence=0.8, claim="c_repairs")
    analysis = _analysis([a, b, c], claims, [x])
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    [s] = analysis.briefing.sentences
    assert s.kind == "contradiction"
    assert s.text == (
        'Outlets differ on number: Fenwick Herald says "Mayor Ada Quill said repairs would take at least '
        'three weeks", Orchard Times says "Mayor Ada Quill said the repairs would take five weeks".'
    )
    assert [(c.doc, c.text) for c in s.citations] == [("a", a_rep.text), ("c", c_rep.text)]


def test_most_important_first_whatever_happened_first() -> None:
    a = _doc("a", "Fenwick Herald", "Crews began repairs on the Selby Bridge on Friday. "
             "The Selby Bridge was closed on Monday after inspectors found cracks.")
    b = _doc("b", "Brackley Post", "Crews began repairs on the Selby Bridge on Friday. "
             "The Selby Bridge was closed on Monday after inspectors found cracks.")
    first_a, first_b = _first(a), _first(b)
    second_a = _span(a, "The Selby Bridge was closed on Monday after inspectors found cracks.")
    second_b = _span(b, "The Selby Bridge was closed on Monday after inspectors found cracks.")
    claims = [
        _claim("c_repairs", [first_a, first_b], 2, when="2031-04-04"),
        _claim("c_closed", [second_a, second_b], 2, when="2031-03-31"),
    ]
    analysis = _analysis([a, b], claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    # the lead sentence first (news puts what matters first), though the closure is older:
    # a briefing reads most important first, the timeline orders by date
    assert [s.text for s in analysis.briefing.sentences] == [first_a.text, second_a.text]


def test_mmr_drops_a_near_duplicate() -> None:
    texts = [
        "The Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks in its piers.",
        "The Selby Bridge in Tarnmoor was shut on Monday after inspectors found cracks in its piers.",
        "Buses operated by the transit authority will replace the crossing from Wednesday.",
    ]
    vectors = get_embedder().encode(texts)
    chosen = mmr_select([3.0, 2.9, 1.0], vectors)
    assert chosen == [0, 2]
    # different families (two contradictions about different slots) are never redundant
    assert mmr_select([3.0, 2.9, 1.0], vectors, families=["x:number", "x:date", "x:number"]) == [0, 1, 2]
    assert mmr_select([], np.zeros((0, 384), dtype=np.float32)) == []


def test_briefing_drops_a_near_duplicate_claim() -> None:
    a = _doc("a", "Fenwick Herald", "The Selby Bridge in Tarnmoor was closed on Monday after inspectors "
             "found cracks in its piers. Buses will replace the crossing from Wednesday.")
    b = _doc("b", "Brackley Post", "The Selby Bridge in Tarnmoor was closed on Monday after inspectors "
             "found cracks in its piers. Buses will replace the crossing from Wednesday.")
    c = _doc("c", "Orchard Times", "The Selby Bridge in Tarnmoor was shut on Monday after inspectors found "
             "cracks in its piers.")
    d = _doc("d", "Lantern Review", "The Selby Bridge in Tarnmoor was shut on Monday after inspectors found "
             "cracks in its piers.")
    buses = "Buses will replace the crossing from Wednesday."
    claims = [
        _claim("c1", [_first(a), _first(b)], 2),
        _claim("c2", [_first(c), _first(d)], 2),  # the same statement, not aligned upstream
        _claim("c3", [_span(a, buses), _span(b, buses)], 2),
    ]
    analysis = _analysis([a, b, c, d], claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    texts = [s.text for s in analysis.briefing.sentences]
    assert len(texts) == 2 and buses in texts


def test_example_story_briefing_is_fully_cited(sample_analysis: Analysis) -> None:
    _verify_all(sample_analysis)
    kinds = [s.kind for s in sample_analysis.briefing.sentences]
    assert "corroborated" in kinds and "contradiction" in kinds
    assert kinds == sorted(kinds, key=["corroborated", "contradiction", "single_source", "opinion", "context"].index)
    opinion = {d.id for d in sample_analysis.documents if d.genre == "opinion"}
    assert opinion, "the example story has an opinion piece"
    for s in sample_analysis.briefing.sentences:
        if s.kind == "opinion":
            assert s.text.startswith("In an opinion piece, ") and {c.doc for c in s.citations} <= opinion
            continue
        assert not {c.doc for c in s.citations} & opinion
        if s.kind == "single_source":
            assert s.text.startswith("Only ")
        if s.kind == "contradiction":
            assert s.text.startswith("Outlets differ on ") and len({c.doc for c in s.citations}) == 2
    contested = {c.id for c in sample_analysis.claims if c.status == "contested"}
    stated = [s for s in sample_analysis.briefing.sentences if s.kind != "contradiction"]
    contested_spans = {(x.doc, x.start) for c in sample_analysis.claims if c.id in contested for x in c.support}
    assert not any((c.doc, c.start) in contested_spans for s in stated for c in s.citations[:1])
    md = render_markdown(sample_analysis)
    assert "## Briefing" in md and "## Framing" in md


# ---------------------------------------------------------------------------
# the optional LLM rewrite


def _llm(reply: str, seen: list[dict[str, object]], status: int = 200) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append({"url": str(request.url), "body": json.loads(request.content)})
        if status != 200:
            return httpx.Response(status, text="overloaded")
        return httpx.Response(200, json={"choices": [{"message": {"role": "assistant", "content": reply}}]})

    return httpx.MockTransport(handler)


@pytest.fixture
def extractive(docs: dict[str, Document]) -> tuple[list[BriefingSentence], dict[str, Document]]:
    a, b = docs["a"], docs["b"]
    closed = [_first(a), _first(b)]
    sentences = [
        BriefingSentence(text=closed[0].text, citations=closed, kind="corroborated"),
        BriefingSentence(text="Mayor Ada Quill said repairs would take at least three weeks.",
                         citations=[_span(a, "Mayor Ada Quill said repairs would take at least three weeks.")],
                         kind="corroborated"),
        BriefingSentence(text="Only Fenwick Herald reports: Buses will replace the crossing from Wednesday.",
                         citations=[_span(a, "Buses will replace the crossing from Wednesday.")],
                         kind="single_source"),
    ]
    return sentences, docs


def test_llm_rewrite_keeps_supported_and_drops_unsupported(
    extractive: tuple[list[BriefingSentence], dict[str, Document]],
) -> None:
    sentences, docs = extractive
    reply = (
        "1. Inspectors found cracks in two piers, and the Selby Bridge in Tarnmoor was closed on Monday.\n"
        "2. Mayor Ada Quill said repairs would take at least four weeks.\n"  # invented number
        "3. From Wednesday, buses will replace the crossing.\n"
    )
    seen: list[dict[str, object]] = []
    options = Options(llm_url="http://llm.test/v1", llm_model="tiny")
    out = rewrite_with_llm(sentences, docs, options, transport=_llm(reply, seen))
    assert out[0].text == "Inspectors found cracks in two piers, and the Selby Bridge in Tarnmoor was closed on Monday."
    assert out[1].text == sentences[1].text, "the unsupported rewrite is dropped, the extractive sentence kept"
    assert out[2].text == "Only Fenwick Herald reports: From Wednesday, buses will replace the crossing."
    assert all(o.citations == s.citations and o.kind == s.kind for o, s in zip(out, sentences, strict=True))
    [request] = seen
    assert request["url"] == "http://llm.test/v1/chat/completions"
    body = request["body"]
    assert isinstance(body, dict) and body["model"] == "tiny"


def test_llm_rewrite_may_not_drop_a_negation(docs: dict[str, Document]) -> None:
    c = docs["c"]
    span = _span(c, "Ferry operator Lumen Lines did not add extra sailings.")
    sentences = [BriefingSentence(text=f"Only Orchard Times reports: {span.text}", citations=[span],
                                  kind="single_source")]
    out = rewrite_with_llm(sentences, docs, Options(llm_url="http://llm.test/v1"),
                           transport=_llm("1. Ferry operator Lumen Lines added extra sailings.", []))
    assert out == sentences


def test_llm_failure_keeps_the_extractive_briefing(
    extractive: tuple[list[BriefingSentence], dict[str, Document]],
) -> None:
    sentences, docs = extractive
    options = Options(llm_url="http://llm.test/v1/chat/completions")
    seen: list[dict[str, object]] = []
    assert rewrite_with_llm(sentences, docs, options, transport=_llm("", seen, status=503)) == sentences
    assert seen[0]["url"] == "http://llm.test/v1/chat/completions"
    assert rewrite_with_llm(sentences, docs, options, transport=_llm("no numbered lines", [])) == sentences


def test_build_briefing_with_llm_end_to_end(docs: dict[str, Document]) -> None:
    a, b = docs["a"], docs["b"]
    claims = [_claim("c_closed", [_first(a), _first(b)], 2)]
    analysis = _analysis([a, b], claims)
    reply = "1. The Selby Bridge in Tarnmoor was closed on Monday after 40 inspectors found cracks."
    seen: list[dict[str, object]] = []
    analysis.briefing = build_briefing(analysis, Options(llm_url="http://llm.test/v1"),
                                       transport=_llm(reply, seen))
    _verify_all(analysis)
    assert seen, "the endpoint was asked"
    assert all("40 inspectors" not in s.text for s in analysis.briefing.sentences)
    # off by default: no request at all, and the same extractive sentences as after the dropped rewrite
    plain = build_briefing(analysis, Options(), transport=_llm(reply, seen))
    assert [s.text for s in plain.sentences] == [s.text for s in analysis.briefing.sentences]
    assert len(seen) == 1


def test_two_stories_in_story_order_with_headers_in_markdown() -> None:
    a = _doc("a", "Fenwick Herald", "Crews began repairs on the Selby Bridge on Friday.")
    b = _doc("b", "Brackley Post", "Crews began repairs on the Selby Bridge on Friday.")
    c = _doc("c", "Orchard Times", "The Tarnmoor marathon was moved to Sunday because of heavy rain.")
    d = _doc("d", "Lantern Review", "The Tarnmoor marathon was moved to Sunday because of heavy rain.")
    claims = [
        _claim("c_marathon", [_first(c), _first(d)], 2),
        _claim("c_repairs", [_first(a), _first(b)], 2),
    ]
    claims[0].story = "s2"
    analysis = Analysis(
        documents=[a, b, c, d], claims=claims,
        stories=[Story(id="s1", label="Selby Bridge repairs", docs=["a", "b"]),
                 Story(id="s2", label="Marathon moved", docs=["c", "d"])],
    )
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    assert analysis.briefing.story is None
    assert [s.text for s in analysis.briefing.sentences] == [_first(a).text, _first(c).text]
    md = render_markdown(analysis)
    assert md.index("### Selby Bridge repairs") < md.index(_first(a).text) < md.index("### Marathon moved")


def test_garbled_wording_never_stands_for_a_claim_with_a_plain_version() -> None:
    # the garbled wordings come first (earliest, and carry more of what the others say),
    # each mangled in another way: broken encoding, a doubled word, glued sentences
    garbled = [
        "The Selby Bridge in Tarnmoor was closed on Monday after inspectorsâ€™ found cracks in two piers.",
        "The the Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks in two piers.",
        "The Selby Bridge in Tarnmoor was closed on Monday.Inspectors found cracks in two piers.",
    ]
    plain = "Inspectors closed the Selby Bridge in Tarnmoor on Monday after finding cracks in two piers."
    for k, mangled in enumerate(garbled):
        docs = [_doc("g", "Fenwick Herald", mangled, published="2031-04-01"),
                _doc("p", "Orchard Times", plain, published="2031-04-02")]
        analysis = _analysis(docs, [_claim("c_closed", [_first(docs[0]), _first(docs[1])], 2)])
        analysis.briefing = build_briefing(analysis, Options())
        _verify_all(analysis)
        [sentence] = analysis.briefing.sentences
        assert (sentence.kind, sentence.text) == ("corroborated", plain), k
        assert {c.doc for c in sentence.citations} == {"g", "p"}  # both still cited


def test_a_sentence_that_leans_on_the_one_before_is_stated_with_it() -> None:
    text = ("Dana Whitlow, 29, was charged in Tarnmoor on Monday with theft from the harbour office. "
            "She was a clerk at the office for six years. "
            "The harbour office reopened on Tuesday morning.")
    other = "Buses will replace the Selby Bridge crossing from Wednesday morning."
    docs = [_doc("a", "Fenwick Herald", text), _doc("b", "Orchard Times", other)]
    a = docs[0]
    claims = [
        _claim("c_clerk", [_span(a, "She was a clerk at the office for six years.")], 1),
        _claim("c_charged", [_first(a)], 1),
        _claim("c_buses", [_first(docs[1])], 1),
    ]
    analysis = _analysis(docs, claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    texts = [s.text for s in analysis.briefing.sentences]
    paired = ("Only Fenwick Herald reports: Dana Whitlow, 29, was charged in Tarnmoor on Monday with theft from the "
              "harbour office. She was a clerk at the office for six years.")
    assert paired in texts
    [pair] = [s for s in analysis.briefing.sentences if s.text == paired]
    assert [c.text for c in pair.citations[:2]] == [_first(a).text, "She was a clerk at the office for six years."]
    # the lead-in is not stated a second time on its own
    assert sum("Dana Whitlow" in t for t in texts) == 1
    # a sentence leaning on a headline or on another paragraph is still left out
    apart = _doc("c", "Fenwick Herald", text.replace("Monday with theft from the harbour office. ",
                                                     "Monday with theft from the harbour office.\n\n"))
    apart_analysis = _analysis([apart], [_claim("c_clerk", [_span(apart, "She was a clerk at the office for six "
                                                                         "years.")], 1)])
    assert build_briefing(apart_analysis, Options()).sentences == []


def test_a_corroborated_lead_in_is_not_credited_to_one_outlet() -> None:
    # the sentence a single-source one leans on is one that two outlets state
    text = ("Dana Whitlow, 29, was charged in Tarnmoor on Monday with theft from the harbour office. "
            "She was a clerk at the office for six years.")
    other = "Dana Whitlow, 29, was charged on Monday in Tarnmoor with theft from the harbour office."
    docs = [_doc("a", "Fenwick Herald", text), _doc("b", "Orchard Times", other)]
    a, b = docs
    claims = [
        _claim("c_charged", [_first(a), _first(b)], 2),
        _claim("c_clerk", [_span(a, "She was a clerk at the office for six years.")], 1),
    ]
    analysis = _analysis(docs, claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    pair_text = ("Dana Whitlow, 29, was charged in Tarnmoor on Monday with theft from the harbour office. "
                 "Only Fenwick Herald adds: She was a clerk at the office for six years.")
    texts = [s.text for s in analysis.briefing.sentences]
    # the charge is stated once: the pair takes the place of the corroborated sentence and is
    # cited by both outlets (not the fact once, then again as the lead-in of the addition)
    assert texts.count(pair_text) == 1 and sum("Dana Whitlow" in t for t in texts) == 1, texts
    [pair] = [s for s in analysis.briefing.sentences if s.text == pair_text]
    assert {c.doc for c in pair.citations} == {"a", "b"}
    # no sentence says that only one outlet reports the charge
    assert not any(t.text.startswith("Only ") and "charged" in t.text for t in analysis.briefing.sentences)
    # the frame is verified: the outlet must be cited, the lead-in must be in the citations
    cites = pair.citations
    assert check_sentence(pair.text, cites, docs)
    assert not check_sentence(pair.text.replace("Fenwick Herald", "Orchard Times"),
                              [c for c in cites if c.doc != "a"], docs)
    assert not check_sentence(pair.text.replace("Monday", "Friday"), cites, docs)


def test_a_headline_is_cited_as_support_but_never_stated() -> None:
    head = "Cracked Selby Bridge shut for three weeks"
    body = "Inspectors closed the Selby Bridge in Tarnmoor on Monday after finding cracks in two piers."
    headed = _doc("h", "Fenwick Herald", f"{head}\n\n{body}", title=head)
    headed.sentences = [(0, len(head)), (len(head) + 2, len(headed.text))]
    plain = _doc("p", "Orchard Times", "The Selby Bridge in Tarnmoor was closed after cracks were found in its piers.")
    # the headline is the best-agreeing wording of the first claim, and alone supports the second
    closed = _claim("c_closed", [_span(headed, head), _first(plain)], 2)
    weeks = _claim("c_weeks", [_span(headed, head)], 1)
    analysis = _analysis([headed, plain], [closed, weeks])
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    stated = [s.text for s in analysis.briefing.sentences]
    assert stated and not any(head in t for t in stated), stated
    [sentence] = analysis.briefing.sentences
    assert sentence.kind == "corroborated"
    assert {c.doc for c in sentence.citations} == {"h", "p"}  # the headline still cited


def test_a_fact_is_stated_once_when_an_addition_leans_on_another_wording_of_it() -> None:
    text = ("Dana Whitlow, 29, was charged in Tarnmoor on Monday with theft from the harbour office. "
            "She was a clerk at the office for six years.")
    other = "On Monday in Tarnmoor, Dana Whitlow, 29, was charged with theft from the harbour office."
    docs = [_doc("a", "Fenwick Herald", text), _doc("b", "Orchard Times", other)]
    a, b = docs
    claims = [
        _claim("c_charged", [_first(b), _first(a)], 2),
        _claim("c_clerk", [_span(a, "She was a clerk at the office for six years.")], 1),
    ]
    analysis = _analysis(docs, claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    texts = [s.text for s in analysis.briefing.sentences]
    # whichever wording states the charge, it is stated once, and the addition is not lost
    assert sum("charged" in t for t in texts) == 1, texts
    assert any("She was a clerk at the office for six years." in t for t in texts), texts


def test_the_plain_statement_is_chosen_among_all_of_a_documents_supports() -> None:
    # each document's first support is a loose member of the claim (a worry about the event,
    # a headline); the plain statement of the fact comes later in both
    worry = ("The worry about the closure is that lorries might take the old ferry road "
             "where upon the village of Brant would see heavy traffic for months to come.")
    plain_a = "The Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks."
    a = _doc("a", "Fenwick Herald", f"{worry} {plain_a}")
    a.sentences = [(0, len(worry)), (len(worry) + 1, len(a.text))]
    head = "Selby Bridge Shut As Council Weighs Its Options"
    plain_b = "Inspectors closed the Selby Bridge in Tarnmoor on Monday after finding cracks in its piers."
    b = _doc("b", "Orchard Times", f"{head}\n\n{plain_b}", title=head)
    b.sentences = [(0, len(head)), (len(head) + 2, len(b.text))]
    closed = _claim("c_closed", [_span(a, worry), _span(b, head), _span(a, plain_a), _span(b, plain_b)], 2)
    analysis = _analysis([a, b], [closed])
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    [sentence] = analysis.briefing.sentences
    assert sentence.kind == "corroborated"
    assert sentence.text in (plain_a, plain_b), sentence.text
    # one citation per document: the sentence that says the same, not its headline
    assert sorted(c.text for c in sentence.citations) == sorted([plain_a, plain_b])


def test_a_connective_that_only_ties_to_the_previous_sentence_is_dropped_and_the_rest_stated() -> None:
    text = ("The Tarnmoor council met on Monday to discuss the harbour. "
            "However, the Selby Bridge stayed shut until Friday. "
            "However, it reopened to buses on Saturday.")
    docs = [_doc("a", "Fenwick Herald", text)]
    a = docs[0]
    claims = [_claim("c_shut", [_span(a, "However, the Selby Bridge stayed shut until Friday.")], 1),
              _claim("c_buses", [_span(a, "However, it reopened to buses on Saturday.")], 1)]
    analysis = _analysis(docs, claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    texts = [s.text for s in analysis.briefing.sentences]
    # the connective goes and the citation is narrowed to the words stated; the sentence that
    # still leans without its connective ("it") keeps it and is stated after the one it leans on
    assert texts == ["Only Fenwick Herald reports: The Selby Bridge stayed shut until Friday. "
                     "However, it reopened to buses on Saturday."]
    [pair] = analysis.briefing.sentences
    assert [c.text for c in pair.citations] == ["the Selby Bridge stayed shut until Friday.",
                                                "However, it reopened to buses on Saturday."]


def test_a_corroborated_claim_whose_every_wording_leans_is_stated_with_a_lead_in() -> None:
    # both outlets state the clerk's job only in a sentence that leans on the one before it:
    # the claim is no longer dropped; one outlet's wording comes with its lead-in, framed as
    # that outlet's details, and the other outlet's wording is cited too
    a_text = ("Dana Whitlow, 29, was charged in Tarnmoor on Monday with theft from the harbour office. "
              "She was a clerk at the office for six years.")
    b_text = ("A clerk accused of stealing from the Tarnmoor harbour office appeared in court on Tuesday. "
              "She was a clerk at the office for six years, prosecutors said.")
    docs = [_doc("a", "Fenwick Herald", a_text), _doc("b", "Orchard Times", b_text)]
    a, b = docs
    claims = [_claim("c_clerk", [_span(a, "She was a clerk at the office for six years."),
                                 _span(b, "She was a clerk at the office for six years, prosecutors said.")], 2)]
    analysis = _analysis(docs, claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    [s] = analysis.briefing.sentences
    assert s.kind == "single_source"
    assert s.text.startswith("Only ") and " gives these details: " in s.text
    body = s.text.split(" gives these details: ", 1)[1]
    assert body.split(". ", 1)[1].startswith("She was a clerk at the office for six years")
    assert {c.doc for c in s.citations} == {"a", "b"}
def test_a_loose_member_of_a_claim_is_never_stated_as_what_the_others_say() -> None:
    # joined through an event frame (the same kind of action, one participant in common), the
    # loose member says another thing; it names what the other sources name, so it would win
    loose = "Inspectors found cracks in two piers of the Selby Bridge last year and warned it might close."
    plain_a = "Inspectors closed the Selby Bridge after finding cracks."
    plain_b = "The Selby Bridge was closed on Monday after inspectors found cracks in two piers."
    a = _doc("a", "Fenwick Herald", f"{plain_a} {loose}")
    b = _doc("b", "Orchard Times", plain_b)
    support = [_span(a, plain_a), _span(a, loose), _span(b, plain_b)]
    support[1].score, support[2].score = 0.45, 0.85
    analysis = _analysis([a, b], [_claim("c_closed", support, 2)])
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    assert analysis.briefing.sentences
    for sentence in analysis.briefing.sentences:
        if sentence.kind == "corroborated":
            assert loose not in sentence.text
            assert all(c.text != loose for c in sentence.citations)


def test_within_a_kind_what_lies_nearest_the_stories_leads_comes_first() -> None:
    from storylens.storify.briefing import _Candidate, _reading_order

    def cand(kind: str, text: str) -> _Candidate:
        return _Candidate(kind=kind, text=text, citations=[], relevance=1.0, family="fact")  # type: ignore[arg-type]

    leads = ["A ferry struck the harbour wall at Marlow Quay on Tuesday, injuring eleven passengers.",
             "Eleven passengers were hurt when a ferry hit the quay wall in Marlow on Tuesday morning."]
    agreed = cand("corroborated", "The harbour museum reopened its maritime gallery last spring.")
    tangent = cand("single_source", "Only Fenwick Herald reports: The quay's tearooms sell a famous plum cake.")
    on_topic = cand("single_source", "Only Brackley Post reports: The ferry's captain said the steering failed as it neared the quay.")
    chosen = [agreed, tangent, on_topic]  # the selection's order
    ordered = _reading_order(chosen, leads)
    # the kinds keep their order (corroborated first); within single-source, the collision first
    assert [c.text for c in ordered] == [agreed.text, on_topic.text, tangent.text]
    # without leads (claims outside any story) the selection's order stands
    assert _reading_order(chosen) == chosen


def test_within_a_kind_what_the_outlets_tell_first_comes_first() -> None:
    from storylens.storify.briefing import _Candidate, _reading_order

    def cand(kind: str, text: str) -> _Candidate:
        return _Candidate(kind=kind, text=text, citations=[], relevance=1.0, family="fact")  # type: ignore[arg-type]

    leads = ["A ferry struck the harbour wall at Marlow Quay on Tuesday, injuring eleven passengers.",
             "Eleven passengers were hurt when a ferry hit the quay wall in Marlow on Tuesday morning."]
    agreed = cand("corroborated", "The harbour museum reopened its maritime gallery last spring.")
    detail = cand("single_source", "Only Brackley Post reports: The ferry's captain said the steering failed as it neared the quay.")
    news = cand("single_source", "Only Fenwick Herald reports: Divers inspected the ferry's hull on Wednesday.")
    chosen = [agreed, detail, news]
    # the captain's words lie nearer the leads, but the Herald tells its sentence first (its lead)
    # and the Post its own in the sixth sentence: the reader reads the outlets' leads first
    ordered = _reading_order(chosen, leads, places={id(agreed): 9, id(detail): 5, id(news): 0})
    assert [c.text for c in ordered] == [agreed.text, news.text, detail.text]
    # told at the same place, nearest the leads first
    ordered = _reading_order(chosen, leads, places={id(agreed): 9, id(detail): 1, id(news): 1})
    assert [c.text for c in ordered] == [agreed.text, detail.text, news.text]


def test_lexical_vectors_tell_a_near_duplicate_from_another_topic() -> None:
    from storylens.storify.briefing import lexical_vectors

    texts = ["Crews closed the Harrow Lane footbridge over the canal on Thursday.",
             "The Harrow Lane footbridge over the canal was closed by crews on Thursday.",
             "Ticket prices at the county fair rose by two pounds."]
    vectors = lexical_vectors(texts)
    assert vectors.shape[0] == 3
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert float(vectors[0] @ vectors[1]) > 0.8 > 0.0 == float(vectors[0] @ vectors[2])
    assert mmr_select([3.0, 2.9, 1.0], vectors) == [0, 2]


def test_a_one_document_story_is_briefed_without_the_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    import storylens.storify.briefing as briefing

    doc = _doc("a", "Fenwick Herald", A_TEXT)
    claims = [_claim(f"c{k}", [_span(doc, doc.text[s:e])], 1) for k, (s, e) in enumerate(doc.sentences)]

    class NoEmbedder:
        def encode(self, texts: list[str]) -> np.ndarray:
            raise AssertionError(f"embedded {texts}")

    monkeypatch.setattr(briefing, "get_embedder", lambda: NoEmbedder())
    analysis = _analysis([doc], claims)
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    assert [s.kind for s in analysis.briefing.sentences] == ["single_source"] * 3
    # the first sentence leads, as the document puts it first
    assert analysis.briefing.sentences[0].citations[0].start == 0


def test_a_dash_left_where_a_dateline_stood_is_not_part_of_the_stated_sentence() -> None:
    from storylens.storify.briefing import _strip_dateline

    assert _strip_dateline("- Police arrested the ferry's owner on Tuesday.") == 2
    assert _strip_dateline("• Police arrested the ferry's owner on Tuesday.") == 2
    assert _strip_dateline("-5 degrees was the coldest night of the year.") == 0
    assert _strip_dateline("Police arrested the ferry's owner - a local man - on Tuesday.") == 0


def test_story_list_counts_one_document_in_the_singular() -> None:
    a = _doc("a", "Fenwick Herald", "Crews began repairs on the Selby Bridge on Friday.")
    b = _doc("b", "Brackley Post", "Crews began repairs on the Selby Bridge on Friday.")
    c = _doc("c", "Orchard Times", "The Tarnmoor marathon was moved to Sunday because of heavy rain.")
    analysis = Analysis(
        documents=[a, b, c], claims=[_claim("c_repairs", [_first(a), _first(b)], 2)],
        stories=[Story(id="s1", label="Selby Bridge repairs", docs=["a", "b"]),
                 Story(id="s2", label="Marathon moved", docs=["c"])],
    )
    md = render_markdown(analysis)
    assert "**Selby Bridge repairs**: 2 documents — Fenwick Herald, Brackley Post" in md
    assert "**Marathon moved**: 1 document — Orchard Times" in md
    assert "1 documents" not in md


def test_a_sentence_cut_off_mid_clause_is_never_stated() -> None:
    from storylens.storify.briefing import unfinished

    assert unfinished("Residents reported a strong smell of gas after the blast and")
    assert unfinished("The council will vote on the plan to")
    assert not unfinished("Residents reported a strong smell of gas after the blast.")
    assert not unfinished("Crews cleared the road by noon")  # no stop, but a whole clause
    cut = "Residents of Tarnmoor reported a strong smell of gas near the depot after the blast and"
    whole = "Firefighters in Tarnmoor searched the rubble of the depot with listening devices on Monday."
    a = _doc("a", "Fenwick Herald", f"{cut}. {whole}")
    b = _doc("b", "Orchard Times", "The depot in Tarnmoor will reopen in May, the owner said on Tuesday.")
    cut_span, whole_span = _span(a, cut), _span(a, whole)
    analysis = _analysis([a, b], [_claim("c_cut", [cut_span], 1), _claim("c_whole", [whole_span], 1),
                                  _claim("c_reopen", [_first(b)], 1)])
    analysis.briefing = build_briefing(analysis, Options())
    _verify_all(analysis)
    texts = " ".join(s.text for s in analysis.briefing.sentences)
    assert "listening devices" in texts
    assert "after the blast and" not in texts


def test_words_already_stated_are_not_stated_again_from_a_copy() -> None:
    from storylens.storify.briefing import _Candidate, _select, lexical_vectors

    a = _doc("a", "Fenwick Herald", "The crew hopes to reach Norland by Friday. It carries food for a week.")
    b = _doc("b", "Brackley Post", "The crew hopes to reach Norland by Friday.")
    both = "The crew hopes to reach Norland by Friday. It carries food for a week."
    first = _Candidate(kind="single_source", text=f"Only Fenwick Herald reports: {both}",
                       citations=[_span(a, both)], relevance=2.0, family="fact", group="a", stated=(("a", 0),))
    copy = _Candidate(kind="single_source", text="Only Brackley Post reports: The crew hopes to reach Norland by Friday.",
                      citations=[_first(b)], relevance=1.9, family="fact", group="a", stated=(("b", 0),))
    other = _Candidate(kind="single_source", text="Only Brackley Post reports: The balloon rose to 19,000 feet.",
                       citations=[_first(b)], relevance=1.0, family="fact", group="b", stated=(("b", 50),))
    chosen = _select([first, copy, other], {"single_source": 5}, encode=lexical_vectors)
    assert [c.text for c in chosen] == [first.text, other.text]
