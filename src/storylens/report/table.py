"""CSV export: one row per claim, for a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from storylens.models import Analysis, doc_label

COLUMNS = ("story", "claim", "status", "independent_sources", "text", "when", "outlets", "conflicting_outlets",
           "support_sentences")


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would be read as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(analysis: Analysis) -> str:
    labels = {d.id: doc_label(d) for d in analysis.documents}
    story_label = {s.id: s.label for s in analysis.stories}
    disputed: dict[str, set[str]] = defaultdict(set)
    for x in analysis.contradictions:
        if x.claim:
            disputed[x.claim] |= {x.a.doc, x.b.doc}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in analysis.claims:
        outlets = list(dict.fromkeys(labels.get(s.doc, s.doc) for s in c.support))
        conflicting = list(dict.fromkeys(labels.get(d, d) for d in sorted(disputed.get(c.id, ()))))
        writer.writerow([_cell(x) for x in (
            story_label.get(c.story or "", c.story or ""), c.id, c.status, str(c.independent_sources), c.text,
            c.slots.when or "", "; ".join(outlets), "; ".join(conflicting),
            " | ".join(" ".join(s.text.split()) for s in c.support),
        )])
    return buffer.getvalue()
