"""A person's age given differently by two outlets is a number conflict; the same age is none."""

from __future__ import annotations

from pathlib import Path

from outlet_batches import analyse_texts

from storylens.models import Analysis


def _analyse(tmp_path: Path, texts: dict[str, str]) -> Analysis:
    return analyse_texts(tmp_path, texts)


def _age_conflicts(analysis: Analysis) -> list[str]:
    docs = {d.id: d.text for d in analysis.documents}
    out = []
    for c in analysis.contradictions:
        if "age of" in c.explanation:
            assert docs[c.a.doc][c.a.start : c.a.end] == c.a.text
            assert docs[c.b.doc][c.b.start : c.b.end] == c.b.text
            out.append(c.explanation)
    return out


def test_two_ages_for_one_person_across_outlets_conflict(tmp_path: Path) -> None:
    analysis = _analyse(tmp_path, {
        "Harbour Post": "Tomas Brel, a ferry captain who founded the Vell pilots' guild, has died. He was 35. "
                        "Police found his body in his flat in Vell on Sunday.",
        "Strait Wire": "Ferry captain Tomas Brel, 34, was found dead in his flat in Vell on Sunday, police said. "
                       "Brel founded the Vell pilots' guild.",
    })
    conflicts = _age_conflicts(analysis)
    assert conflicts and "35" in conflicts[0] and "34" in conflicts[0], [
        c.explanation for c in analysis.contradictions]


def test_one_age_written_three_ways_is_no_conflict(tmp_path: Path) -> None:
    analysis = _analyse(tmp_path, {
        "Harbour Post": "The 35-year-old ferry captain Tomas Brel was found dead in Vell on Sunday, police said.",
        "Strait Wire": "Tomas Brel, 35, was found dead in his flat in Vell on Sunday, police said.",
        "Bay Times": "Police in Vell said ferry captain Tomas Brel died at 35 on Sunday.",
    })
    assert _age_conflicts(analysis) == []


def test_an_age_at_another_time_is_no_witness(tmp_path: Path) -> None:
    # one document gives two ages (then and now): it is left out, so nothing conflicts
    analysis = _analyse(tmp_path, {
        "Harbour Post": "Tomas Brel, 35, was found dead in Vell on Sunday. Brel, who was 19 when he "
                        "first sailed, founded the pilots' guild. Brel (20) won his first race a year later.",
        "Strait Wire": "Tomas Brel, 35, was found dead in his flat in Vell on Sunday, police said.",
    })
    assert _age_conflicts(analysis) == []


def test_ages_beside_two_different_deeds_may_be_two_occasions_and_are_not_shown(tmp_path: Path) -> None:
    # a manhunt and a verdict: the person may have had a birthday, or two, in between
    analysis = _analyse(tmp_path, {
        "Harbour Post": "Police in Vell were still searching for Tomas Brel, 27, after the harbour shooting.",
        "Strait Wire": "A jury in Vell found Tomas Brel, 29, guilty of the harbour shooting.",
    })
    assert _age_conflicts(analysis) == []


def test_he_or_she_after_another_person_was_named_is_not_given_the_name_s_age(tmp_path: Path) -> None:
    from storylens.options import Options

    analysis = analyse_texts(tmp_path, {
        "Harbour Post": "Tomas Brel ran the ferry line. Brel wrote that he wanted to hire a younger "
                        "girl as a deckhand. She is 13.",
        "Strait Wire": "Ferry owner Tomas Brel, 54, was charged on Monday over the hiring of a deckhand.",
    }, options=Options(min_confidence=0.0))
    assert _age_conflicts(analysis) == [], [c.explanation for c in analysis.contradictions]
