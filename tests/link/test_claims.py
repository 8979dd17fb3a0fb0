"""Claims, corroboration and typed contradictions on small hand-written stories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens import analyze
from storylens.models import Analysis, invalid_spans


def _run(tmp_path: Path, articles: list[dict[str, str]]) -> Analysis:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles), encoding="utf-8")
    analysis = analyze([str(path)])
    assert invalid_spans(analysis) == []
    return analysis


def _article(outlet: str, text: str, published: str = "2026-02-03") -> dict[str, str]:
    return {"outlet": outlet, "published": published, "title": f"{outlet} report", "text": text}


BASE = [
    "The Harrow Valley dam was closed on Monday after engineers found a crack in its spillway.",
    "Regional governor Tessa Morland ordered the evacuation of 1,200 residents from three villages below the dam.",
    "The Norvik Water Company said repairs would take at least two weeks.",
]


def _kinds(analysis: Analysis) -> set[str]:
    return {c.kind for c in analysis.contradictions}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    tmp = tmp_path_factory.mktemp("story")
    a = " ".join(BASE) + " Engineers from the Norvik Water Company inspected the spillway on Sunday night."
    b = (
        "The Harrow Valley dam was closed on Monday after engineers discovered a crack in its spillway. "
        "Regional governor Tessa Morland ordered the evacuation of 1,500 residents from three villages below the dam. "
        "The Norvik Water Company did not say how long repairs would take. "
        "Fishing on the reservoir has been banned until further notice, police said."
    )
    c = " ".join(BASE)  # a wire copy carried by a third outlet
    return _run(tmp, [_article("Daily Ledger", a), _article("Morning Star", b), _article("Wire Copy", c)])


def test_corroborated_and_single_source(story: Analysis) -> None:
    by_text = {c.text: c for c in story.claims}
    closed = next(c for t, c in by_text.items() if "was closed on Monday" in t)
    assert closed.independent_sources >= 2 and closed.status in ("corroborated", "contested")
    assert len({s.doc for s in closed.support}) == 3
    fishing = next(c for t, c in by_text.items() if "Fishing" in t)
    assert fishing.status == "single_source" and fishing.independent_sources == 1


def test_number_contradiction_names_both_values(story: Analysis) -> None:
    numbers = [c for c in story.contradictions if c.kind == "number"]
    assert numbers, story.contradictions
    assert any("1,200" in c.explanation and "1,500" in c.explanation for c in numbers)
    for c in numbers:
        assert {c.a.doc, c.b.doc} and c.a.doc != c.b.doc
        assert 0 < c.confidence <= 1


def test_wire_copy_is_not_an_extra_independent_source(tmp_path: Path) -> None:
    text = " ".join(BASE) + " The dam was built in 1962 and last inspected in 2019 by the regional authority."
    analysis = _run(tmp_path, [_article("Wire", text, "2026-02-03T08:00"), _article("Copycat", text + " Readers may comment.", "2026-02-03T09:00")])
    assert all(c.independent_sources == 1 for c in analysis.claims)
    assert all(c.status != "corroborated" for c in analysis.claims)


def test_actor_swap_and_negation(tmp_path: Path) -> None:
    a = ("Prime minister Olaf Rensky accused Senator Dana Whitcombe of leaking the budget report on Tuesday. "
         "The finance ministry confirmed the leak of the budget report to journalists.")
    b = ("Senator Dana Whitcombe accused Prime minister Olaf Rensky of leaking the budget report on Tuesday. "
         "The finance ministry did not confirm the leak of the budget report to journalists.")
    analysis = _run(tmp_path, [_article("First Paper", a), _article("Second Paper", b)])
    assert {"actor", "negation"} <= _kinds(analysis), analysis.contradictions


def test_date_contradiction(tmp_path: Path) -> None:
    a = "The ferry operator Blue Fjord Lines suspended its night service on Tuesday after a storm damaged the pier."
    b = "The ferry operator Blue Fjord Lines suspended its night service on Thursday after a storm damaged the pier."
    analysis = _run(tmp_path, [_article("Coast Times", a, "2026-02-06"), _article("Harbour News", b, "2026-02-06")])
    dates = [c for c in analysis.contradictions if c.kind == "date"]
    assert dates and "Tuesday" in dates[0].explanation and "Thursday" in dates[0].explanation


def test_consistent_reports_give_no_contradiction(tmp_path: Path) -> None:
    a = "More than 200 people attended the vigil in Carrow Square on Friday, organisers said."
    b = "About 250 people attended the vigil in Carrow Square on Friday, according to the organisers."
    analysis = _run(tmp_path, [_article("One", a), _article("Two", b)])
    assert analysis.contradictions == []


def test_reported_speech_is_attributed(story: Analysis) -> None:
    fishing = next(c for c in story.claims if "Fishing" in c.text)
    assert fishing.slots.attributed_to == "police"
    assert fishing.slots.predicate == "ban"


def test_opinion_piece_is_marked(tmp_path: Path) -> None:
    opinion = ("We have warned about this dam for years. The authorities should be ashamed of their shameful, "
               "careless neglect. Our villages deserve honest answers and we must demand them now.")
    analysis = _run(tmp_path, [_article("Op Ed", opinion), _article("News", " ".join(BASE))])
    genres = {d.outlet: d.genre for d in analysis.documents}
    assert genres == {"Op Ed": "opinion", "News": "report"}


def test_one_document_and_identical_documents(tmp_path: Path) -> None:
    text = " ".join(BASE)
    analysis = _run(tmp_path, [_article("Solo", text)])
    assert analysis.contradictions == [] and analysis.claims
    assert all(c.status == "single_source" for c in analysis.claims)
    twice = _run(tmp_path, [_article("Solo", text), _article("Solo", text)])
    assert len(twice.documents) == 1


def test_reprint_with_one_detail_changed(tmp_path: Path) -> None:
    """A copy of one story that changes a figure, a day or a negation contradicts the original."""
    original = ("Customs officers at Brindle port seized 340 kilograms of cocaine on Monday, the border agency said. "
                "The shipment was found inside a container of bananas from the south. "
                "The agency confirmed the arrest of two crew members.")
    edited = (original.replace("340 kilograms", "560 kilograms").replace("on Monday", "on Thursday")
              .replace("The agency confirmed", "The agency did not confirm"))
    analysis = _run(tmp_path, [_article("Port Daily", original), _article("Reprint Weekly", edited)])
    explanations = " | ".join(c.explanation for c in analysis.contradictions)
    assert {"number", "date", "negation"} <= _kinds(analysis), explanations
    assert "340" in explanations and "560" in explanations


def test_nearest_pairs_chunked_equals_brute_force() -> None:
    import numpy as np

    from storylens.link.align import nearest_pairs

    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(57, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [f"d{i % 5}" for i in range(57)]
    sims = vectors @ vectors.T
    expected = set()
    for i in range(57):
        for j in np.argsort(-sims[i])[:10]:
            if j > i and docs[i] != docs[j] and sims[i, j] >= 0.1:
                expected.add((i, int(j)))
    got = nearest_pairs(vectors, docs, 0.1, k=10, chunk=8)
    assert {(i, j) for i, j, _ in got} == expected
    assert all(abs(s - float(sims[i, j])) < 1e-5 for i, j, s in got)
    assert nearest_pairs(vectors[:1], docs[:1], 0.0) == []


def test_one_document_gives_single_source_claims(tmp_path: Path) -> None:
    analysis = _run(tmp_path, [_article("Lone Outlet", " ".join(BASE))])
    assert analysis.claims and all(c.status == "single_source" for c in analysis.claims)
    assert all(len(c.support) == 1 and c.support[0].score == 1.0 for c in analysis.claims)
    assert analysis.contradictions == []


def test_controlled_subject_and_supply_with(nlp: object) -> None:
    from storylens.annotate import annotate
    from storylens.ingest import build_document
    from storylens.ingest.sources import RawItem
    from storylens.link.clauses import resolve_drafts
    from storylens.link.entities import canonicalize

    text = ("Prosecutors accused the harbour master of taking bribes. "
            "The harbour master was accused by auditors of hiding the losses. "
            "The ministry supplied the clinics with vaccines.")
    ann = annotate([build_document(RawItem(source="t", kind="text", content=text, meta={}))])
    _, index = canonicalize(ann)
    clauses = {c.predicate: c for d in resolve_drafts(ann[0], index) for c in d.clauses}
    assert clauses["take"].actor == "master"  # "accused X of taking": X takes
    assert clauses["hide"].actor == "master"  # passive: the accused hides
    assert clauses["supply"].recipient == "clinic" and clauses["supply"].patient == "vaccine"


def test_an_opinion_piece_does_not_corroborate_a_report() -> None:
    from storylens.annotate import annotate
    from storylens.api import analyze_documents
    from storylens.models import Analysis, Document
    from storylens.options import Options

    sentence = "The harbour authority closed the northern port on Tuesday after a fuel spill."
    texts = {
        "a": f"{sentence} Crews worked through the night, a spokesman said.",
        "b": f"{sentence} Fishing boats were sent to the southern quay, officials said.",
    }
    docs = [Document(id=k, source=f"{k}.txt", outlet=f"Outlet {k}", text=t) for k, t in texts.items()]
    records = annotate(docs)
    records[1].doc.genre = "opinion"
    analysis = Analysis(documents=[r.doc for r in records])
    analyze_documents(records, Options(), analysis, {})
    closed = [c for c in analysis.claims if "closed the northern port" in c.text]
    assert closed and all(c.status == "single_source" and c.independent_sources == 1 for c in closed)


def test_a_claim_is_worded_by_a_report_not_by_an_opinion_piece() -> None:
    from storylens.annotate import annotate
    from storylens.api import analyze_documents
    from storylens.models import Analysis, Document
    from storylens.options import Options

    texts = {
        # the opinion piece comes first and names more participants: it would lead otherwise
        "a": "Shamefully, the Harbour Authority of Kessel closed the northern port on Tuesday after the "
             "Ostrava Line's fuel spill.",
        "b": "The harbour authority closed the northern port on Tuesday after a fuel spill.",
        "c": "Officials closed the northern port on Tuesday after a fuel spill, the harbour authority said.",
    }
    docs = [Document(id=k, source=f"{k}.txt", outlet=f"Outlet {k}", text=t) for k, t in texts.items()]
    records = annotate(docs)
    records[0].doc.genre = "opinion"
    analysis = Analysis(documents=[r.doc for r in records])
    analyze_documents(records, Options(), analysis, {})
    [closed] = [c for c in analysis.claims if len({s.doc for s in c.support}) == 3]
    assert closed.support[0].doc != "a" and not closed.text.startswith("Shamefully")
    assert closed.independent_sources == 2


def test_a_claim_is_worded_by_a_body_sentence_not_by_a_headline() -> None:
    from storylens.annotate import annotate
    from storylens.api import analyze_documents
    from storylens.models import Analysis, Document
    from storylens.options import Options

    head = "Harbour Authority Closes Northern Port Of Kessel After Fuel Spill From Ostrava Line Tanker"
    texts = {
        # the headline names the most participants: it would lead otherwise
        "a": f"{head}\n\nThe harbour authority closed the northern port of Kessel on Tuesday after a fuel spill.",
        "b": "The harbour authority closed the northern port of Kessel on Tuesday after a fuel spill.",
        "c": "Officials closed the northern port of Kessel on Tuesday after a fuel spill from a tanker.",
    }
    docs = [Document(id=k, source=f"{k}.txt", outlet=f"Outlet {k}", text=t, title=head if k == "a" else None)
            for k, t in texts.items()]
    records = annotate(docs)
    analysis = Analysis(documents=[r.doc for r in records])
    analyze_documents(records, Options(), analysis, {})
    [port] = [c for c in analysis.claims if len({s.doc for s in c.support}) == 3]
    assert head in [s.text for s in port.support]  # the headline supports the claim ...
    assert port.text != head and port.support[0].text != head  # ... but does not word it


def test_the_member_central_to_a_group_words_it_before_a_looser_one() -> None:
    import numpy as np

    from storylens.link.claims import _centrality

    # three members say nearly the same; the fourth (a worry about the event) is looser
    vectors = np.array([[0.6, 0.8, 0.0], [1.0, 0.0, 0.0], [0.98, 0.2, 0.0], [0.96, 0.28, 0.0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centrality = _centrality(vectors, [0, 1, 2, 3])
    assert min(centrality, key=lambda k: centrality[k]) == 0
    assert all(centrality[0] < centrality[k] - 0.05 for k in (1, 2, 3))
    assert _centrality(vectors, [3]) == {3: 0.0}


def test_a_member_with_a_number_no_other_document_gives_does_not_word_the_claim() -> None:
    from storylens.link.claims import _lead_rank, _unbacked_numbers
    from storylens.link.clauses import ClaimDraft
    from storylens.models import Document

    texts = {
        "a": "In 2009 the harbour authority closed the northern port after a fuel spill.",  # an earlier closure
        "b": "The harbour authority closed the northern port for 3 days after a fuel spill.",
        "c": "Officials said the northern port was closed for 3 days after the spill.",
    }
    drafts = [ClaimDraft(doc=k, sent=0, start=0, end=len(t), text=t) for k, t in texts.items()]
    unbacked = _unbacked_numbers(drafts, [0, 1, 2])
    assert unbacked == {0: 1, 1: 0, 2: 0}  # "3" is given by two documents, "2009" by one
    docs = {k: Document(id=k, source=f"{k}.txt", text=t) for k, t in texts.items()}
    # the earlier closure is the most central member, and still does not lead
    centrality = {0: 0.95, 1: 0.9, 2: 0.85}
    order = sorted(range(3), key=lambda k: _lead_rank(drafts[k], docs[drafts[k].doc], centrality[k], unbacked[k]))
    assert order[0] == 1 and order[-1] == 0
