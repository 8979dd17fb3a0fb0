"""Two sentences conflict only when one account of one thing says both: not a party's denial
against the other party's claim quoted in a headline with no speaker found for it
('Vessia: "Norland shelled refugee camp"'), and not two incidents of one kind told in one
story by documents that share no detail.

Invented stories, each pair built on a class of false report found by reading storylens's
contradictions on ECB+ (``benchmarks/data/contradiction_judgements.jsonl``), written on other
events; the controls are conflicts a reader accepts, which must still be reported.
"""

from __future__ import annotations

import pytest
from outlet_batches import analyse_texts, between

from storylens.link.clauses import ClaimDraft, Clause
from storylens.link.contradictions import apart_in_detail, dated_sources, detail_overlap, document_details
from storylens.models import Analysis, Span, TimeExpression
from storylens.options import Options

CAMP = {
    "Border News": "Vessia: \"Norland shelled refugee camp\"\n\nVessia accused Norland on Friday of shelling a "
                   "refugee camp in Arden state. Four people were killed.",
    "Border Wire": "Norland denies shelling camp\n\nMarek Dolan, spokesman for Norland's armed forces, said Norland "
                   "had not shelled anywhere in Vessia's territory. Vessia said four people were killed.",
}


@pytest.fixture(scope="module")
def camp(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyse_texts(tmp_path_factory.mktemp("camp"), CAMP, published="2026-10-21",
                         options=Options(min_confidence=0.0))


def test_a_partys_denial_against_the_other_partys_quoted_headline_is_no_conflict(camp: Analysis) -> None:
    assert not between(camp, "negation", "had not shelled", "Norland shelled refugee camp"), camp.contradictions


def test_a_clause_ending_a_headline_inside_its_quotation_is_quoted() -> None:
    text = 'Vessia: "Norland shelled refugee camp"'
    draft = ClaimDraft(doc="d", sent=0, start=0, end=len(text), text=text, quote_spans=[(8, len(text) - 1)])
    # the clause runs over the line break after the headline
    shelled = Clause(predicate="shell", negated=False, start=9, end=len(text) + 1, verb_text="shelled")
    assert draft.in_quote(shelled)
    outside = Clause(predicate="accuse", negated=False, start=0, end=7, verb_text="accused")
    assert not draft.in_quote(outside)


def _dated(doc: str, text: str, day: str, entities: set[str]) -> ClaimDraft:
    """A sentence of ``doc`` dating its release by ``day``, naming ``entities``."""
    at = text.index(day)
    time = TimeExpression(span=Span(doc=doc, start=at, end=at + len(day), text=day), kind="date")
    return ClaimDraft(doc=doc, sent=0, start=0, end=len(text), text=text, entities=set(entities),
                      times=[time], time_anchor={at: "release"},
                      clauses=[Clause(predicate="release", negated=False, start=0, end=len(text))])


def _patch_story() -> dict[str, ClaimDraft]:
    """Five reports of an emergency patch for the Norda browser and one of another one: the five
    name the same bulletin, lab and researcher; the other names its own advisory and manager."""
    subject = {"e_velto", "e_norda"}
    first = subject | {"e_kestrel", "e_orrin"}
    drafts = {
        f"first{k}": _dated(f"first{k}", f"Velto released bulletin VS-1187 on Wednesday ({k * 11 + 40} sites hit).",
                            "Wednesday", first | {f"e_town{k}", f"e_user{k}"})
        for k in range(4)
    }
    drafts["other"] = _dated("other", "Velto released advisory 2887 on Tuesday for versions 9 and 10.", "Tuesday",
                             subject | {"e_whitlow", "e_japan", "e_osaka", "e_fixit", "e_tokyo"})
    drafts["misdated"] = _dated("misdated", "Velto released bulletin VS-1187 on Thursday.", "Thursday",
                                first | {"e_town9"})
    return drafts


def test_days_given_only_by_documents_sharing_no_detail_are_two_incidents() -> None:
    drafts = _patch_story()
    story = list(drafts.values())
    dated_docs = dated_sources(story, {})
    overlap = detail_overlap(document_details(story))
    # the other patch's report names nothing the Wednesday reports name but the story's subject
    assert apart_in_detail(drafts["other"], drafts["first0"], dated_docs, overlap)
    # a report that misdates the same bulletin shares its lab and researcher with the others
    assert not apart_in_detail(drafts["misdated"], drafts["first0"], dated_docs, overlap)
    # one report against one other, each alone with its day: too little to tell two incidents
    assert not apart_in_detail(drafts["other"], drafts["misdated"], dated_docs, overlap)


def test_details_weigh_by_how_few_documents_give_them() -> None:
    details = {"a": frozenset({"e_subject", "#1187"}), "b": frozenset({"e_subject", "#1187"}),
               "c": frozenset({"e_subject", "e_other"}), "d": frozenset({"e_subject"})}
    overlap = detail_overlap(details)
    assert overlap("a", "b") == 1.0  # the same details
    assert overlap("a", "c") < overlap("a", "b")
    assert overlap("a", "a") == 1.0
    # years and small numbers are no details; other numbers and named participants are
    found = document_details([ClaimDraft(doc="x", sent=0, start=0, end=40, entities={"e_lab"},
                                         text="In 2013 the 3 labs found 1,187 flaws in 4. 5 days.")])
    assert found["x"] == frozenset({"e_lab", "#1,187", "#4.5"})
