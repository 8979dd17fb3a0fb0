"""Near-duplicates, syndicated copies and independent-source groups."""

from __future__ import annotations

import random
import time

from storylens.link.syndication import detect_syndication, source_groups
from storylens.models import Document

WIRE = [
    "The river authority closed the old bridge at Fenmoor on Monday after engineers found cracks in two of its piers.",
    "Traffic was diverted through the ring road, adding about twenty minutes to journeys into the town centre.",
    "Engineers will inspect the remaining piers this week, the authority said in a statement issued on Monday evening.",
    "The bridge, opened in 1931, carries about 9,000 vehicles a day and was last repaired eleven years ago.",
    "Local shop owners said the closure would hurt trade during the busiest weeks of the year for the market.",
]
OTHER = [
    "Fenmoor council members met on Tuesday to discuss the cost of repairing the town's ageing bridges and roads.",
    "The council's finance chief warned that the repair budget had been cut three years in a row by the region.",
    "Residents asked for a temporary footbridge so that pupils could still walk to the two schools across the river.",
    "A decision on the footbridge is expected next month after a public consultation that opens on Friday morning.",
]


def _doc(doc_id: str, paras: list[str], published: str | None = None, outlet: str | None = None) -> Document:
    text = "\n\n".join(paras)
    return Document(id=doc_id, source=doc_id, text=text, published=published, outlet=outlet, words=len(text.split()))


def test_copy_with_trimmed_paragraph_and_new_headline_is_syndicated() -> None:
    wire = _doc("wire", WIRE, "2026-01-05T08:00", "Wire Agency")
    copy = _doc("copy", ["Bridge shut as cracks found"] + WIRE[:3] + WIRE[4:], "2026-01-05T10:00", "Town Post")
    independent = _doc("indep", OTHER, "2026-01-06", "Valley News")
    detect_syndication([copy, independent, wire])
    assert copy.syndicated_from == "wire" or copy.duplicate_of == "wire"
    assert wire.syndicated_from is None and wire.duplicate_of is None
    assert independent.syndicated_from is None and independent.duplicate_of is None
    for span in copy.syndication_evidence:
        assert copy.text[span.start : span.end] == span.text
    groups = source_groups([wire, copy, independent])
    assert groups["wire"] == groups["copy"] != groups["indep"]


def test_near_identical_is_duplicate() -> None:
    a = _doc("a", WIRE, "2026-01-05")
    b = _doc("b", WIRE[:-1] + [WIRE[-1].replace("hurt", "harm")], "2026-01-06")
    detect_syndication([a, b])
    assert b.duplicate_of == "a" and a.duplicate_of is None


def test_same_outlet_counts_once_and_single_document_is_fine() -> None:
    a = _doc("a", WIRE, outlet="Town Post")
    b = _doc("b", OTHER, outlet="town post ")
    detect_syndication([a])
    assert a.duplicate_of is None and a.syndicated_from is None
    groups = source_groups([a, b])
    assert groups["a"] == groups["b"]


def test_five_hundred_wire_copies_are_fast_and_all_point_to_the_original() -> None:
    rng = random.Random(3)
    original = _doc("orig", WIRE, "2026-01-05T06:00")
    copies = []
    for i in range(500):
        paras = list(WIRE)
        paras.pop(rng.randrange(len(paras)))  # each copy trims one paragraph
        copies.append(_doc(f"c{i}", [f"Headline number {i}"] + paras, f"2026-01-05T{7 + i % 10:02d}:00"))
    started = time.perf_counter()
    detect_syndication([original, *copies])
    elapsed = time.perf_counter() - started
    assert all((c.syndicated_from or c.duplicate_of) == "orig" for c in copies)
    assert len(set(source_groups([original, *copies]).values())) == 1
    assert elapsed < 30
