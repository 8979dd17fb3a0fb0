from __future__ import annotations

from storylens.annotate.quantities import extract_quantities


def test_numbers_with_units_and_references_skipped(nlp) -> None:
    text = ("Officials said 1,200 people were evacuated and $2.5 million was pledged. "
            "Turnout rose 40 percent. The two leaders met in a 101-storey tower.")
    sp = nlp(text)
    qs = extract_quantities(sp, "d1")
    found = {(q.value, q.unit) for q in qs}
    assert (1200.0, "people") in found or (1200.0, "person") in found
    assert (2_500_000.0, "USD") in found
    assert (40.0, "%") in found
    assert all(q.value != 2.0 for q in qs), "'the two leaders' is a reference, not a count"
    for q in qs:
        assert text[q.span.start : q.span.end] == q.span.text


def test_a_length_written_on_the_number_is_a_length_not_millions(nlp) -> None:
    text = "Ana Ruiz fell about 600m down a gully. The club raised $5m and drew 2m viewers. She climbed 2,000ft."
    found = {(q.value, q.unit) for q in extract_quantities(nlp(text), "d1")}
    assert (600.0, "m") in found and (2000.0, "ft") in found
    assert (5_000_000.0, "USD") in found and (2_000_000.0, "viewer") in found
