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
