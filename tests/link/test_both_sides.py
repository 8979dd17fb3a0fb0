"""A side that states both polarities of a deed, or speaks of an earlier time, does not
contradict the other side's one polarity."""

from __future__ import annotations

from pathlib import Path

from outlet_batches import analyse_outlets, between


def test_a_passage_saying_both_is_no_conflict_but_a_plain_denial_is(tmp_path: Path) -> None:
    intro = "Dock workers at the Dunmore terminal ended their strike on Wednesday."
    analysis = analyse_outlets(tmp_path, "2026-03-05", "strike ends", {
        "Coastal Herald": [intro, '"The crews didn\'t get more money. They got less money," the union leader said.',
                           "Police did not initially suspect sabotage at the terminal."],
        "Bay Courier": [intro, '"The crews did not get more money. They got less money," the union leader said.',
                        "Police suspected sabotage at the terminal, a spokesman said."],
        "Dunmore Gazette": [intro, "The union leader said the crews got more money."],
    })
    assert not between(analysis, "negation", "didn't get more money", "did not get more money")
    # "initially" speaks of an earlier time than the other side's report
    assert not between(analysis, "negation", "did not initially suspect", "suspected sabotage")
    # the Gazette says only "got more": against the passages' "did not get more" it still conflicts
    found = [c for c in analysis.contradictions if c.kind == "negation" and "got more money" in (c.a.text + c.b.text)]
    assert found, analysis.contradictions


def test_more_killed_on_another_day_is_no_date_conflict(tmp_path: Path) -> None:
    intro = "Fighting spread across the Varn valley this week, rights groups said."
    analysis = analyse_outlets(tmp_path, "2026-03-05", "valley fighting", {
        "Coastal Herald": [intro, "At least 40 people were killed Monday in the shelling of Tarnby, monitors said."],
        "Bay Courier": [intro, "Twelve more were killed on Tuesday in the shelling of Tarnby, monitors said."],
        "Dunmore Gazette": [intro, "At least 40 people were killed Wednesday in the shelling of Tarnby, monitors said."],
    })
    assert not between(analysis, "date", "Twelve more were killed", "were killed Monday")
    # the same deaths on two days still conflict
    assert between(analysis, "date", "were killed Monday", "were killed Wednesday"), analysis.contradictions
