"""The one rule for a corroboration-matrix cell, shared by the Markdown and HTML reports."""

from __future__ import annotations

from collections import defaultdict

from storylens.models import Analysis, Span

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
