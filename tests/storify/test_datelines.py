"""Datelines are not part of what a sentence states, in whichever form the agency runs them in."""

from __future__ import annotations

from storylens.storify.briefing import _strip_dateline


def test_datelines_with_a_spaced_dash_a_double_hyphen_or_a_bare_dash() -> None:
    for head in ("PORT KESSEL (Harbour Wire) - ", "VELL--", "VELL -- ", "VELL—", "DUNMARRA, NORLAND (HW) — ",
                 "Vell (HW) ", "Port Kessel (HW) - ", "(HW) -- ", "Vell, Norland (HW)"):
        text = head + "The ferry left on Monday."
        assert text[_strip_dateline(text):] == "The ferry left on Monday.", head
    # a hyphenated word in capitals is no dateline, nor is a capitalised word before a dash
    for text in ("COVID-19 cases rose on Monday.", "Vell--the old port--reopened.", "NATO-led troops left.",
                 "The harbour board (HB) voted on Monday.", "Vell (population 900) voted."):
        assert _strip_dateline(text) == 0, text


def test_a_teaser_cut_short_with_an_ellipsis_is_unfinished() -> None:
    from storylens.storify.briefing import unfinished

    assert unfinished("The mayor travelled to the harbour on Saturday to name the ferry...")
    assert unfinished("The mayor travelled to the harbour on Saturday to name the ferry…")
    # with a space before the ellipsis, or cut after a comma
    assert unfinished("The harbour master is telling friends ...")
    assert unfinished("The mayor speaks at the pier in Vell, Friday,...")
    # a speaker trailing off inside quotation marks, and a stop after an ellipsis, are whole
    assert not unfinished('"We will see what the sea allows..."')
    assert not unfinished("The mayor named the ferry. ...")
