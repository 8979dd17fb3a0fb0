"""Rules shared by the Markdown and HTML reports, so the two never disagree: the
corroboration-matrix cell, and which quotes the quote board shows."""

from __future__ import annotations

import re
from collections import defaultdict

from storylens.models import Analysis, Quote, Span

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


#: a quotation shorter than this says nothing on its own ("the summit", "such allegations")
BOARD_MIN_WORDS = 4
#: reported speech shorter than this is a topic, not what was said ("arms transfers")
BOARD_MIN_REPORTED_WORDS = 6


def board_quotes(quotes: list[Quote]) -> list[Quote]:
    """The quotes a quote board shows: what someone said, not a scare-quoted phrase or the
    topic of a denial, whose speaker and meaning a reader could not check from the board."""
    out = []
    for q in quotes:
        words = len(re.findall(r"\w+", q.span.text))
        if words < (BOARD_MIN_WORDS if q.direct else BOARD_MIN_REPORTED_WORDS):
            continue
        out.append(q)
    return out
