"""Rules shared by the Markdown and HTML reports, so the two never disagree: the
corroboration-matrix cell, which quotes the quote board shows, and who their speaker is."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

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
