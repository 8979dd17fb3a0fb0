"""Rules shared by the Markdown and HTML reports, so the two never disagree: the
corroboration-matrix cell, which quotes the quote board shows, and who their speaker is."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping

from storylens.models import Analysis, Claim, Quote, Span

#: the outlet states the claim / states it with a detail another outlet contradicts / both
STATES = "✓"
DISPUTES = "≠"


def disputed_spans(analysis: Analysis) -> dict[str, dict[str, list[Span]]]:
    """claim id -> document -> its sentences that a contradiction about the claim names."""
    out: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for x in analysis.contradictions:
        if x.claim:
            out[x.claim][x.a.doc].append(x.a)
            out[x.claim][x.b.doc].append(x.b)
    return out


def cell_mark(states: bool, disputed: bool) -> str:
    """"✓", "≠", "✓≠" or "" (not stated)."""
    return (STATES if states else "") + (DISPUTES if disputed else "")


def board_quotes(quotes: list[Quote]) -> list[Quote]:
    """The quotes a quote board shows: what someone said, not a scare-quoted phrase or the
    topic of a denial, whose speaker and meaning a reader could not check from the board."""
    return [q for q in quotes if q.statement is not False]


def speaker_of(q: Quote, names: Mapping[str, str]) -> tuple[str, str]:
    """(key, name) of a quote's speaker on the quote board: its canonical entity; else its
    words as the outlet wrote them, compared without case, a joint speaker without the order
    of its parts ("Ostmark and Halden" is "Halden and Ostmark"); ("", "") for nobody."""
    if q.speaker and q.speaker in names:
        return q.speaker, names[q.speaker]
    text = " ".join((q.speaker_text or "").split())
    if not text:
        return "", ""
    parts = sorted(p for p in re.split(r"\s*(?:,|&|\band\b)\s*", text.lower()) if p)
    return "t:" + " & ".join(parts), text


def day_range(first: str | None, last: str | None) -> str:
    """When a story ran, by day ("2031-04-02 to 2031-04-09", one day once; "" when undated): a
    publication time of one article ("T18:09") is no part of a story's span."""
    a, b = (first or "")[:10], (last or "")[:10]
    if not a:
        return b
    return a if not b or b == a else f"{a} to {b}"


def when_published(iso: str | None) -> str:
    """A publication date as a reader reads it: "2031-04-02 18:09", not ISO's "2031-04-02T18:09"
    (seconds and a zone offset are kept as written)."""
    return (iso or "").replace("T", " ", 1)


_STATUS_ORDER = {"contested": 0, "corroborated": 1, "single_source": 2}


def claim_order(analysis: Analysis) -> Callable[[Claim], tuple[int, int, int, int]]:
    """How the matrices list claims: contested, then corroborated, then single-source; within
    each, most independent sources first, then in reading order (the first document stating
    the claim, and where in it), never alphabetically (which puts every "And …" first)."""
    position = {d.id: i for i, d in enumerate(analysis.documents)}

    def key(c: Claim) -> tuple[int, int, int, int]:
        first = min(((position.get(s.doc, len(position)), s.start) for s in c.support), default=(len(position), 0))
        return _STATUS_ORDER.get(c.status, 9), -c.independent_sources, first[0], first[1]

    return key
