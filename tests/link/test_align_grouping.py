"""How claims are grouped: frames at a lower similarity, a per-member floor against
grab-bags, different years of one kind of action, and blocking among other documents.

All on invented events and names."""

from __future__ import annotations

import numpy as np

from storylens.link.align import (
    FRAME_SIM,
    MEMBER_FLOOR,
    align,
    nearest_pairs,
    other_participants,
    stated_years,
)
from storylens.link.clauses import ClaimDraft, Clause
from storylens.models import Span, TimeExpression


def _draft(doc: str, predicate: str, patient: str, text: str = "", times: list[TimeExpression] | None = None,
           anchors: dict[int, str] | None = None) -> ClaimDraft:
    clause = Clause(predicate=predicate, negated=False, actor="e_guard", patient=patient, actor_text="guards",
                    patient_text=patient, verb_text=predicate)
    return ClaimDraft(doc=doc, sent=0, start=0, end=len(text) or 1, text=text or predicate, clauses=[clause],
                      entities={"e_guard", patient}, times=times or [], time_anchor=anchors or {})


def _unit(rows: list[list[float]]) -> np.ndarray:
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _cos(a: float) -> list[float]:
    """A unit vector at angle ``a`` (radians) in the plane: cosines follow angle differences."""
    return [float(np.cos(a)), float(np.sin(a))]


def test_a_shared_frame_joins_a_paraphrase_far_below_the_threshold() -> None:
    # "guards detained Ilsa Marr" / "Marr was taken into custody by the guards": one frame at
    # similarity 0.5, which no plain rule accepts
    a = _draft("d1", "detain", "e_marr")
    b = _draft("d2", "arrest", "e_marr")
    sim = 0.5
    assert FRAME_SIM <= sim < 0.6
    vectors = _unit([_cos(0.0), _cos(float(np.arccos(sim)))])
    groups, _ = align([a, b], vectors, threshold=0.62)
    assert sorted(map(sorted, groups)) == [[0, 1]]
    # the same similarity without a shared frame (another kind of action) joins nothing
    c = _draft("d2", "praise", "e_marr")
    groups, _ = align([a, c], vectors, threshold=0.62)
    assert len(groups) == 2


def test_no_member_of_a_claim_is_far_from_another() -> None:
    # A ~ B and B ~ C are close, A and C are not: the mean of the merge is high, but A and C
    # are two statements, joined only through B
    a = _draft("d1", "detain", "e_marr", "Guards detained Ilsa Marr at the Kesh crossing on Monday.")
    b = _draft("d2", "detain", "e_marr", "Marr, detained at Kesh, had crossed the river twice.")
    c = _draft("d3", "detain", "e_marr", "Marr crossed the river in the spring.")
    angle_ab, angle_bc = 0.6, 0.6  # cos 0.83 each; A ~ C: cos 1.2 = 0.36
    vectors = _unit([_cos(0.0), _cos(angle_ab), _cos(angle_ab + angle_bc)])
    assert float(vectors[0] @ vectors[2]) < MEMBER_FLOOR < float(vectors[0] @ vectors[1])
    groups, _ = align([a, b, c], vectors, threshold=0.62)
    assert not any({0, 2} <= set(g) for g in groups)
    assert any({0, 1} <= set(g) or {1, 2} <= set(g) for g in groups)


def _year(doc: str, text: str, year: str) -> ClaimDraft:
    start = text.index(year)
    t = TimeExpression(span=Span(doc=doc, start=start, end=start + 4, text=year), kind="date", value=f"{year}-05-04")
    return _draft(doc, "flood", "e_town", text, [t], {start: "flood"})


def test_one_action_dated_in_different_years_is_two_claims() -> None:
    now = _year("d1", "The river flooded the town of Orvel in 2019.", "2019")
    before = _year("d2", "The river last flooded Orvel in 2009.", "2009")
    again = _year("d3", "Orvel was flooded by the river in 2019.", "2019")
    assert stated_years(now) == {"2019"} and stated_years(before) == {"2009"}
    vectors = _unit([_cos(0.0), _cos(0.2), _cos(0.1)])  # all close: cos >= 0.98
    groups, _ = align([now, before, again], vectors, threshold=0.62)
    assert not any({0, 1} <= set(g) or {1, 2} <= set(g) for g in groups)
    assert any({0, 2} <= set(g) for g in groups)


def test_a_year_on_the_report_dates_nothing_stated() -> None:
    text = "Officials said in 2019 that the river flooded Orvel."
    start = text.index("2019")
    t = TimeExpression(span=Span(doc="d1", start=start, end=start + 4, text="2019"), kind="date", value="2019")
    said = _draft("d1", "flood", "e_town", text, [t], {start: "say"})
    assert stated_years(said) == frozenset()


def test_neighbours_are_counted_among_other_documents_and_from_either_end() -> None:
    # d1 holds five near-copies of one sentence; with k = 3 they fill sentence 0's nearest places,
    # but its partner in d2 is still found (and found once)
    rows = [_cos(0.01 * k) for k in range(5)] + [_cos(0.5), _cos(2.0)]
    vectors = _unit(rows)
    docs = ["d1"] * 5 + ["d2", "d3"]
    plain = {(i, j) for i, j, _ in nearest_pairs(vectors, docs, 0.0, k=3)}
    assert (0, 5) not in plain
    across = [(i, j) for i, j, _ in nearest_pairs(vectors, docs, 0.0, k=3, other_docs=True)]
    assert (0, 5) in across and len(across) == len(set(across))
    assert all(docs[i] != docs[j] and i < j for i, j in across)


def test_one_kind_of_action_by_two_named_parties_is_two_claims() -> None:
    # "the Harlow club offered Ilsa Marr a contract" / "the Denby club offered Marr a contract":
    # alike as sentences (similarity 0.8), two offers
    def offer(doc: str, actor: str) -> ClaimDraft:
        clause = Clause(predicate="offer", negated=False, actor=actor, patient="e_marr", actor_text=actor,
                        patient_text="Marr", verb_text="offered")
        return ClaimDraft(doc=doc, sent=0, start=0, end=1, text="offer", clauses=[clause], entities={actor, "e_marr"})

    vectors = _unit([_cos(0.0), _cos(float(np.arccos(0.8)))])
    groups, _ = align([offer("d1", "e_harlow"), offer("d2", "e_denby")], vectors, threshold=0.62)
    assert len(groups) == 2
    # the same offer told twice is one claim
    groups, _ = align([offer("d1", "e_harlow"), offer("d2", "e_harlow")], vectors, threshold=0.62)
    assert sorted(map(sorted, groups)) == [[0, 1]]
    # another clause of the kind that agrees outweighs the clash (a second offer named in passing)
    a, b = offer("d1", "e_harlow"), offer("d2", "e_denby")
    b.clauses.append(Clause(predicate="offer", negated=False, actor="e_harlow", patient="e_marr", verb_text="offered"))
    assert not other_participants(a, b)
