from __future__ import annotations

import datetime as dt

import pytest

from storylens.annotate.times import extract_times, resolve

ANCHOR = dt.date(2031, 3, 5)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "future", "kind", "value"),
    [
        ("in 24 years", False, "duration", "P24Y"),
        ("two-day", False, "duration", "P2D"),
        ("March 3", False, "date", "2031-03-03"),
        ("March 3-4", False, "range", "2031-03-03/2031-03-04"),
        ("4 March 2031", False, "date", "2031-03-04"),
        ("Tuesday", False, "date", "2031-03-04"),
        ("Thursday", True, "date", "2031-03-06"),
        ("last month", False, "date", "2031-02"),
        ("next year", False, "date", "2032"),
        ("2.45 in the morning", False, "time", "T02:45"),
        ("6:09 pm", False, "time", "T18:09"),
        ("yesterday", False, "date", "2031-03-04"),
        ("2019", False, "date", "2019"),
        ("December", False, "date", "2030-12"),
        ("three years ago", False, "date", "2028"),
        ("annual", False, "set", "R/P1Y"),
    ],
)
def test_resolve_against_anchor(text: str, future: bool, kind: str, value: str) -> None:
    assert resolve(text, ANCHOR, future) == (kind, value)


def test_relative_without_anchor_is_unresolved() -> None:
    assert resolve("Tuesday", None) == ("date", None)
    assert resolve("last month", None) == ("date", None)
    # absolute and durations still resolve
    assert resolve("in 24 years", None) == ("duration", "P24Y")
    assert resolve("June 1, 2030", None) == ("date", "2030-06-01")


def test_extract_times_spans_are_exact_and_tense_aware(nlp) -> None:
    text = ("The ferry sank on Tuesday at 2.45 in the morning. "
            "The minister will visit the port on Friday, the first visit in 24 years.")
    sp = nlp(text)
    times = extract_times(sp, "d1", "2031-03-05")
    by_text = {t.span.text: t for t in times}
    for t in times:
        assert text[t.span.start : t.span.end] == t.span.text
    assert by_text["Tuesday"].value == "2031-03-04"
    assert by_text["Friday"].value == "2031-03-07"
    assert "2.45 in the morning" in by_text and by_text["2.45 in the morning"].kind == "time"
    durations = [t for t in times if t.kind == "duration"]
    assert durations and durations[0].value == "P24Y"
