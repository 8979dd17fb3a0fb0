"""Self-contained HTML report: one file, inline CSS/JS/SVG, no request to any host.

Everything that comes from an article goes through Jinja2's autoescaping; only our
own static CSS and JavaScript (and the SVG geometry computed here from numbers) are
inserted verbatim. A Content-Security-Policy in the page allows nothing but the one
inline script (by its hash) and inline styles, so even a markup mistake could not
load or run anything else.

The page is built from a plain view model (``_build_view``); the template only lays
it out. Cited spans are wrapped in ``<mark class="cite">`` elements inside each
document's text, with an id derived from (doc, start, end) so citations elsewhere in
the report can link to and highlight them.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from storylens._disjoint import DisjointSet
from storylens.models import Analysis, Claim, Document, Span, doc_label, outlet_counts, outlets_phrase
from storylens.report.marks import (
    board_quotes,
    cell_mark,
    claim_order,
    day_range,
    disputed_spans,
    speaker_of,
    when_published,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

SECTION_IDS = ("briefing", "matrix", "contradictions", "quotes", "timeline", "framing", "documents")

_STATUS_LABEL = {"corroborated": "corroborated", "single_source": "single source", "contested": "contested"}
_KIND_LABEL = {"corroborated": "corroborated", "single_source": "single source",
               "contradiction": "outlets differ", "context": "context", "opinion": "opinion piece"}
_META_REASONS = {"headline", "byline"}
# colours for series in the charts (colour-blind-safe Okabe-Ito palette, then grey)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
OTHER_COLOUR = "#999999"
UNATTRIBUTED_COLOUR = "#d0d4da"


# --------------------------------------------------------------------------- helpers



def span_key(doc: str, start: int, end: int) -> str:
    """The element id of a cited span: safe in HTML ids and CSS selectors."""
    return f"c-{re.sub(r'[^A-Za-z0-9_-]', '_', doc)}-{start}-{end}"


def doc_anchor(doc: str) -> str:
    return "doc-" + re.sub(r"[^A-Za-z0-9_-]", "_", doc)


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (never ``javascript:`` or ``data:``)."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


@dataclass
class Cite:
    """A link to a cited span inside the Documents section."""

    key: str
    doc: str
    outlet: str
    text: str

    @property
    def anchor(self) -> str:
        return doc_anchor(self.doc)


@dataclass
class Token:
    kind: str  # "text" | "open" | "close"
    text: str = ""
    key: str = ""
    first: bool = False


@dataclass
class _Registry:
    """Collects every span the report links to, per document, in the order first
    cited: earlier sections (the briefing first) win when spans cross."""

    texts: dict[str, str]
    labels: dict[str, str]
    spans: dict[str, dict[tuple[int, int], None]] = field(default_factory=lambda: defaultdict(dict))

    def cite(self, span: Span) -> Cite | None:
        text = self.texts.get(span.doc)
        if text is None or not (0 <= span.start < span.end <= len(text)):
            return None
        self.spans[span.doc].setdefault((span.start, span.end), None)
        return Cite(key=span_key(span.doc, span.start, span.end), doc=span.doc,
                    outlet=self.labels.get(span.doc, span.doc), text=text[span.start:span.end])


@dataclass
class _Node:
    start: int
    end: int
    key: str
    first: bool
    children: list[_Node] = field(default_factory=list)


def _insert(node: _Node, start: int, end: int, key: str, first: bool) -> None:
    """Insert [start, end) under ``node`` (which contains it). Existing nodes are
    never split: a new span that crosses one is cut into fragments instead."""
    for child in node.children:
        if child.start <= start and end <= child.end:
            if (child.start, child.end) != (start, end):
                _insert(child, start, end, key, first)
            elif child.key != key:  # same range, another span (a fragment): nest inside
                child.children = [_Node(start, end, key, first, child.children)]
            return
    crossing = [c for c in node.children if c.start < end and start < c.end
                and not (start <= c.start and c.end <= end)]
    if not crossing:
        inner = [c for c in node.children if start <= c.start and c.end <= end]
        new = _Node(start, end, key, first, inner)
        node.children = sorted([c for c in node.children if c not in inner] + [new], key=lambda c: c.start)
        return
    # cut at the first crossing child's edge and insert both parts
    c = min(crossing, key=lambda c: c.start)
    cut = c.end if c.start < start else c.start
    _insert(node, start, cut, key, first)
    _insert(node, cut, end, key, False)


def tokenize(doc_id: str, text: str, spans: Iterable[tuple[int, int]]) -> list[Token]:
    """Split ``text`` into text runs and open/close marks for the cited spans.

    Spans may nest or cross. ``spans`` is in priority order: a span is kept whole
    unless it crosses one given before it, in which case it is cut into fragments
    (same ``key``; only the first fragment carries the id). The markup stays well formed.
    """
    root = _Node(0, len(text), "", False)
    for s, e in dict.fromkeys(spans):
        if 0 <= s < e <= len(text):
            _insert(root, s, e, span_key(doc_id, s, e), True)
    tokens: list[Token] = []

    def walk(node: _Node) -> None:
        pos = node.start
        for child in node.children:
            if child.start > pos:
                tokens.append(Token("text", text=text[pos:child.start]))
            tokens.append(Token("open", key=child.key, first=child.first))
            walk(child)
            tokens.append(Token("close"))
            pos = child.end
        if node.end > pos:
            tokens.append(Token("text", text=text[pos:node.end]))

    walk(root)
    return tokens


# --------------------------------------------------------------------------- time parsing

@dataclass
class TimePoint:
    at: datetime
    precision: str  # "year" | "month" | "day" | "minute"
    label: str


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?")


def parse_when(value: str | None) -> TimePoint | None:
    """A point on the time axis from an ISO 8601 value; None for times without a date,
    durations and anything unparseable. A range counts from its start."""
    if not value:
        return None
    value = value.split("/", 1)[0].strip()
    m = _ISO.match(value)
    if not m:
        return None
    year, month, day, hour, minute = m.groups()
    try:
        if hour is not None:
            at = datetime(int(year), int(month), int(day), int(hour), int(minute))
            return TimePoint(at, "minute", at.strftime("%Y-%m-%d %H:%M"))
        if day is not None:
            at = datetime(int(year), int(month), int(day), 12)
            return TimePoint(at, "day", at.strftime("%Y-%m-%d"))
        if month is not None:
            at = datetime(int(year), int(month), 15)
            return TimePoint(at, "month", at.strftime("%Y-%m"))
        return TimePoint(datetime(int(year), 7, 1), "year", year)
    except ValueError:
        return None


# --------------------------------------------------------------------------- view model

@dataclass
class View:
    title: str
    summary: dict[str, Any]
    sections: dict[str, Any]


def _claim_outlets(claim: Claim, labels: dict[str, str]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = defaultdict(list)
    for s in claim.support:
        if s.doc in labels:
            out[labels[s.doc]].append(s)
    return out


def _briefing(analysis: Analysis, reg: _Registry) -> dict[str, Any]:
    """The briefing's sentences; with several stories, grouped under each story's title."""
    story_of = {d: st for st in analysis.stories for d in st.docs}
    several = len(analysis.stories) > 1
    sentences = []
    current = None
    for sent in analysis.briefing.sentences:
        cites = [c for c in (reg.cite(s) for s in sent.citations) if c]
        story = story_of.get(sent.citations[0].doc) if several else None
        heading = story.label if story is not None and story is not current else None
        anchor = story_anchor(analysis, story.id) if heading and story is not None else None
        current = story or current
        sentences.append({"text": sent.text, "kind": sent.kind, "kind_label": _KIND_LABEL.get(sent.kind, sent.kind),
                          "cites": cites, "heading": heading, "anchor": anchor})
    return {"sentences": sentences}


def story_anchor(analysis: Analysis, story_id: str, section: str = "briefing") -> str:
    """The in-page id of a story's part of a section ("briefing-story-3"), numbered as listed."""
    number = next(n for n, st in enumerate(analysis.stories, 1) if st.id == story_id)
    return f"{section}-story-{number}"


def _outlet_columns(docs: list[Document], labels: dict[str, str]) -> list[dict[str, Any]]:
    cols: dict[str, dict[str, Any]] = {}
    for d in docs:
        col = cols.setdefault(labels[d.id], {"label": labels[d.id], "docs": [], "notes": set()})
        col["docs"].append(d.id)
        if d.duplicate_of or d.syndicated_from:
            col["notes"].add("copy")
        if d.genre == "opinion":
            col["notes"].add("opinion")
    return list(cols.values())


def _matrix(analysis: Analysis, reg: _Registry, labels: dict[str, str]) -> dict[str, Any]:
    by_id = {d.id: d for d in analysis.documents}
    groups = []
    stories = list(analysis.stories)
    known = {s.id for s in stories}
    buckets: dict[str | None, list[Claim]] = defaultdict(list)
    for c in analysis.claims:
        buckets[c.story if c.story in known else None].append(c)
    plan: list[tuple[str | None, list[Document]]] = []
    for st in stories:
        if buckets.get(st.id):
            plan.append((st.label, [by_id[d] for d in st.docs if d in by_id]))
    if buckets.get(None):
        plan.append(("Claims not assigned to a story" if plan else None, list(analysis.documents)))
    story_ids = [st.id for st in stories if buckets.get(st.id)] + ([None] if buckets.get(None) else [])
    disputed = disputed_spans(analysis)
    order = claim_order(analysis)
    for (label, docs), sid in zip(plan, story_ids, strict=True):
        anchor = story_anchor(analysis, sid, "matrix") if sid is not None and len(stories) > 1 else None
        cols = _outlet_columns(docs, labels)
        rows = []
        claims = sorted(buckets[sid], key=order)
        for c in claims:
            per = _claim_outlets(c, labels)
            against: dict[str, list[Span]] = defaultdict(list)
            for doc, spans in disputed.get(c.id, {}).items():
                if doc in labels:
                    against[labels[doc]] += spans
            cells = []
            for col in cols:
                spans = per.get(col["label"], [])
                conflict = against.get(col["label"], [])
                cite = reg.cite(spans[0]) if spans else (reg.cite(conflict[0]) if conflict else None)
                cells.append({"cite": cite, "n": len(spans), "mark": cell_mark(bool(spans), bool(conflict))})
            rows.append({"id": c.id, "text": c.text, "status": c.status, "status_label": _STATUS_LABEL[c.status],
                         "sources": c.independent_sources, "cells": cells,
                         "outlets": sum(1 for cell in cells if cell["cite"])})
        counts: Counter[str] = Counter(c.status for c in buckets[sid])
        groups.append({"label": label, "anchor": anchor, "columns": [{"label": col["label"], "notes": sorted(col["notes"])}
                                                   for col in cols],
                       "rows": rows, "counts": {k: counts.get(k, 0) for k in _STATUS_LABEL}})
    return {"groups": groups, "total": len(analysis.claims)}


def _contradictions(analysis: Analysis, reg: _Registry) -> dict[str, Any]:
    items = []
    for x in sorted(analysis.contradictions, key=lambda x: -x.confidence):
        items.append({"id": x.id, "kind": x.kind, "explanation": x.explanation,
                      "confidence": f"{x.confidence:.2f}", "confidence_pct": round(100 * max(0.0, min(1.0, x.confidence))),
                      "a": reg.cite(x.a), "b": reg.cite(x.b)})
    return {"entries": items}


def _quotes(analysis: Analysis, reg: _Registry, labels: dict[str, str]) -> dict[str, Any]:
    entity_names = {e.id: e.name for e in analysis.entities}
    quotes = [q for q in board_quotes(analysis.quotes) if q.span.doc in labels]
    by_id = {q.id: q for q in quotes}
    # one utterance = connected component of also_in links
    sets = DisjointSet(q.id for q in quotes)
    for q in quotes:
        for other in q.also_in:
            if other in sets.parent:
                sets.union(other, q.id)
    find = sets.find
    utterances: dict[str, list[str]] = defaultdict(list)
    for q in quotes:
        utterances[find(q.id)].append(q.id)
    speakers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    shown: dict[str, str] = {}
    for members in utterances.values():
        qs = [by_id[m] for m in members]
        lead = max(qs, key=lambda q: (q.direct, len(q.span.text)))
        key, name = speaker_of(lead, entity_names)
        who = shown.setdefault(key, name or "Unattributed")
        cites = [c for c in (reg.cite(q.span) for q in qs) if c]
        text = lead.span.text
        if lead.direct and not text.lstrip().startswith(('"', "“", "'", "‘", "«")):
            text = f"“{text}”"
        speakers[who].append({"text": text, "direct": lead.direct, "cites": cites,
                              "outlets": sorted({c.outlet for c in cites}),
                              "misattribution": sorted({m for q in qs for m in q.misattribution})})
    board = [{"speaker": who, "quotes": items, "outlets": sorted({o for it in items for o in it["outlets"]})}
             for who, items in speakers.items()]
    board.sort(key=lambda b: (b["speaker"] == "Unattributed", -len(b["quotes"]), b["speaker"]))
    return {"speakers": board, "total": len(quotes)}


# ---- timeline -----------------------------------------------------------------------

_TL_LEFT, _TL_RIGHT, _TL_TOP, _TL_LANE = 160, 16, 34, 30
#: a chart's row label fits the 150 units left of the plot at 13px even in capitals
LABEL_CHARS = 16
# chart widths in SVG units; drawn at most 1.25 times that in CSS pixels
_TL_WIDTH, _BAR_WIDTH = 760, 660


def _timeline(analysis: Analysis, reg: _Registry, labels: dict[str, str]) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    source = ""
    for st in analysis.stories:
        for entry in st.timeline:
            tp = parse_when(entry.when)
            if tp:
                cites = [c for c in (reg.cite(s) for s in entry.support) if c]
                conflicts = [c for c in (reg.cite(s) for s in entry.conflicting) if c]
                events.append({"tp": tp, "text": entry.what, "cites": cites, "status": entry.status,
                               "conflicts": conflicts})
    if events:
        source = "story timeline"
    else:
        for c in analysis.claims:
            tp = parse_when(c.slots.when)
            if tp:
                cites = [x for x in (reg.cite(s) for s in c.support[:6]) if x]
                events.append({"tp": tp, "text": c.text, "cites": cites, "status": c.status})
        if events:
            source = "dates of claims"
    # per outlet: publication and the dates each text mentions
    lanes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in analysis.documents:
        label = labels[d.id]
        pub = parse_when(d.published)
        if pub:
            lanes[label].append({"tp": pub, "kind": "published", "text": f"published {pub.label}", "cite": None})
        for t in d.times:
            tp = parse_when(t.value) if t.kind in ("date", "datetime", "range") else None
            if tp:
                lanes[label].append({"tp": tp, "kind": "mentioned", "text": f"“{t.span.text}” → {tp.label}",
                                     "cite": None, "span": t.span})
    points: list[TimePoint] = [e["tp"] for e in events] + [m["tp"] for ms in lanes.values() for m in ms]
    precise = [tp for tp in points if tp.precision in ("day", "minute")]
    if not precise:
        outside_only = [{"when": e["tp"].label, "text": e["text"], "cites": e["cites"]} for e in events]
        return {"svg": None, "events": [], "outside": sorted(outside_only, key=lambda o: str(o["when"])),
                "source": source}
    # The plotted window is centred on the publication dates (else on the dated
    # points), so that a "1998" in a background paragraph does not squash the
    # story's days into one pixel. Dates with no day ("2022", "October") are listed,
    # not plotted: a dot would claim a precision the text does not have.
    published = sorted(m["tp"].at for ms in lanes.values() for m in ms if m["kind"] == "published")
    anchors = published or sorted(tp.at for tp in precise)
    median = anchors[len(anchors) // 2]
    radius = timedelta(days=60)

    def inside(tp: TimePoint) -> bool:
        return tp.precision in ("day", "minute") and abs(tp.at - median) <= radius

    plotted = [tp.at for tp in precise if inside(tp)]
    lo, hi = min(plotted), max(plotted)
    if hi - lo < timedelta(days=1):
        mid = lo + (hi - lo) / 2
        lo, hi = mid - timedelta(hours=18), mid + timedelta(hours=18)
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad
    width = _TL_WIDTH
    plot_w = width - _TL_LEFT - _TL_RIGHT

    def x(at: datetime) -> float:
        return round(_TL_LEFT + plot_w * ((at - lo) / (hi - lo)), 1)

    outside: list[dict[str, Any]] = []
    event_rows = []
    events.sort(key=lambda e: e["tp"].at)
    ev_marks: list[dict[str, Any]] = []
    row_end: list[float] = []  # stack events that would overlap into extra rows
    for e in events:
        if not inside(e["tp"]):
            outside.append({"when": e["tp"].label, "text": e["text"], "cites": e["cites"]})
            continue
        n = len(ev_marks) + 1
        ex = x(e["tp"].at)
        row = next((r for r, end in enumerate(row_end) if end + 20 <= ex), len(row_end))
        if row == len(row_end):
            row_end.append(ex)
        row_end[row] = ex
        ev_marks.append({"x": ex, "row": row, "n": n, "title": f"{n}. {e['tp'].label}: {_short(e['text'], 200)}",
                         "status": e["status"] or "event", "target": e["cites"][0].key if e["cites"] else None})
        event_rows.append({"n": n, "when": e["tp"].label, "text": e["text"], "cites": e["cites"],
                           "conflicts": e.get("conflicts", []),
                           "status": e["status"], "status_label": _STATUS_LABEL.get(e["status"] or "", "")})
    ev_rows = max(1, len(row_end))
    ev_height = _TL_LANE + 22 * (ev_rows - 1)
    for m in ev_marks:
        m["y"] = _TL_TOP + _TL_LANE // 2 + 22 * m["row"]
    lanes_svg = [{"label": "Events", "y": _TL_TOP + _TL_LANE // 2, "marks": ev_marks, "kind": "events"}]
    y0 = _TL_TOP + ev_height
    for i, (label, marks) in enumerate(lanes.items()):
        merged: dict[tuple[str, float], dict[str, Any]] = {}
        for m in sorted(marks, key=lambda m: m["tp"].at):
            if not inside(m["tp"]):
                if m["kind"] == "mentioned":
                    outside.append({"when": m["tp"].label, "text": f"{label}: {m['text']}",
                                    "cites": [c for c in [reg.cite(m["span"])] if c]})
                continue
            cite = reg.cite(m["span"]) if m["kind"] == "mentioned" else None
            key = (m["kind"], x(m["tp"].at))
            if key in merged:  # same date mentioned twice: one mark, both in its tooltip
                merged[key]["title"] += "; " + m["text"]
                continue
            merged[key] = {"x": key[1], "kind": m["kind"], "title": f"{label}: {m['text']}",
                           "target": cite.key if cite else None}
        # publications drawn last, on top
        drawn = sorted(merged.values(), key=lambda m: m["kind"] == "published")
        y = y0 + _TL_LANE * i + _TL_LANE // 2
        for m in drawn:
            m["y"] = y
        lanes_svg.append({"label": _short(label, LABEL_CHARS), "full": label, "y": y, "marks": drawn, "kind": "outlet"})
    height = y0 + _TL_LANE * len(lanes) + 6
    grid = [{"x": x(t), "line": lo <= t <= hi, "label": lab, "label_x": x(t + shift)}
            for t, lab, shift in _ticks(lo, hi)]
    outside.sort(key=lambda o: o["when"])
    svg = {"width": width, "height": height, "left": _TL_LEFT, "right": width - _TL_RIGHT, "top": _TL_TOP,
           "bottom": height - 4, "grid": grid, "lanes": lanes_svg, "events_bottom": y0}
    return {"svg": svg, "events": event_rows, "outside": outside, "source": source}


def _ticks(lo: datetime, hi: datetime) -> list[tuple[datetime, str, timedelta]]:
    """Grid lines (at round times) and their labels; a one-day grid is labelled
    in the middle of each day, with the weekday, since news text names weekdays."""
    span = hi - lo
    day = timedelta(days=1)
    steps = [timedelta(hours=h) for h in (1, 3, 6, 12)] + [day * d for d in (1, 2, 7, 14)]
    steps += [day * 30 * m for m in (1, 3, 6, 12)]
    step = steps[-1]
    for s in steps:
        if span / s <= 8 and (s >= day or span < day * 1.5):
            step = s
            break
    if step < day:
        hours = int(step.total_seconds() // 3600)
        t = lo.replace(minute=0, second=0, microsecond=0)
        t = t.replace(hour=(t.hour // hours) * hours)
    elif step < day * 30:
        t = lo.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        t = lo.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    out = []
    while t <= hi:
        if step < day:
            label, shift = f"{t:%a} {t.day} {t:%b %H:%M}", timedelta(0)
        elif step == day:
            label, shift = f"{t:%a} {t.day} {t:%b}", step / 2
        elif step < day * 30:
            label, shift = f"{t.day} {t:%b}", timedelta(0)
        else:
            label, shift = t.strftime("%b %Y"), timedelta(0)
        if lo <= t + shift <= hi:
            out.append((t, label, shift))
        if step >= day * 30:
            m = t.month - 1 + round(step.days / 30)
            t = t.replace(year=t.year + m // 12, month=m % 12 + 1)
        else:
            t += step
    return out


# ---- framing ------------------------------------------------------------------------

def _framing(analysis: Analysis, reg: _Registry, labels: dict[str, str]) -> dict[str, Any]:
    docs = analysis.documents
    by_doc = {f.doc: f for f in analysis.framing if f.doc in labels}
    outlets = list(dict.fromkeys(labels[d.id] for d in docs))
    outlet_docs: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        outlet_docs[labels[d.id]].append(d.id)

    # who is quoted: framing first, else the quotes themselves
    speakers: dict[str, Counter[str]] = {o: Counter() for o in outlets}
    quoted_source = ""
    if any(f.quoted_speakers for f in by_doc.values()):
        quoted_source = "framing"
        for f in by_doc.values():
            for sp in f.quoted_speakers:
                speakers[labels[f.doc]][sp.speaker] += sp.quotes
    elif analysis.quotes:
        quoted_source = "quotes"
        names = {e.id: e.name for e in analysis.entities}
        for q in analysis.quotes:
            if q.span.doc in labels:
                who = names.get(q.speaker or "") or (q.speaker_text or q.speaker or "").strip() or "Unattributed"
                speakers[labels[q.span.doc]][who] += 1
    quoted_chart = _stacked_chart(speakers) if quoted_source else None

    # unique / omitted claims
    claim_ids = {c.id for c in analysis.claims}
    have_framing_claims = any(f.unique_claims or f.omitted_claims for f in by_doc.values())
    unique: dict[str, set[str]] = {o: set() for o in outlets}
    omitted: dict[str, set[str]] = {o: set() for o in outlets}
    carried: dict[str, set[str]] = {o: set() for o in outlets}
    for c in analysis.claims:
        for s in c.support:
            if s.doc in labels:
                carried[labels[s.doc]].add(c.id)
    if have_framing_claims:
        claims_source = "framing"
        for f in by_doc.values():
            o = labels[f.doc]
            unique[o].update(x for x in f.unique_claims if x in claim_ids)
            omitted[o].update(x for x in f.omitted_claims if x in claim_ids)
        # an outlet with several documents omits a claim only if none of them carries it
        for o in outlets:
            omitted[o] -= carried[o]
    elif analysis.claims and len(outlets) > 1:
        claims_source = "claims"
        for c in analysis.claims:
            present = {labels[s.doc] for s in c.support if s.doc in labels}
            if len(present) == 1:
                unique[next(iter(present))].add(c.id)
            # "most others carry it": at least two outlets and more than half of the rest
            for o in outlets:
                if o in present:
                    continue
                if len(present) >= 2 and len(present) > (len(outlets) - 1) / 2:
                    omitted[o].add(c.id)
    else:
        claims_source = ""
    total = len(analysis.claims)
    claims_chart = None
    if claims_source:
        claims_chart = _grouped_chart(outlets, [("carried", "#0072B2", carried), ("only this outlet", "#E69F00", unique),
                                                ("omitted (most others carry)", "#CC79A7", omitted)], total)
    claim_text = {c.id: c.text for c in analysis.claims}
    rows = []
    for n, o in enumerate(outlets):
        ids = outlet_docs[o]
        genres = sorted({(by_doc[i].genre if i in by_doc else next(d.genre for d in docs if d.id == i)) for i in ids})
        loaded = []
        for i in ids:
            if i in by_doc:
                for t in by_doc[i].loaded_terms:
                    cite = reg.cite(t.span)
                    if cite:
                        loaded.append({"term": t.term, "kind": t.kind, "target": t.target, "cite": cite})
        rows.append({"outlet": o, "anchor": f"framing-{n}", "genre": ", ".join(genres), "carried": len(carried[o]),
                     "unique": [{"id": c, "text": claim_text[c]} for c in sorted(unique[o], key=claim_text.__getitem__)],
                     "omitted": [{"id": c, "text": claim_text[c]}
                                 for c in sorted(omitted[o], key=claim_text.__getitem__)],
                     "speakers": speakers[o].most_common(), "loaded": loaded})
    return {"quoted_chart": quoted_chart, "quoted_source": quoted_source, "claims_chart": claims_chart,
            "claims_source": claims_source, "rows": rows, "total_claims": total,
            "has_loaded": any(r["loaded"] for r in rows)}


def _stacked_chart(per_outlet: dict[str, Counter[str]]) -> dict[str, Any] | None:
    totals: Counter[str] = Counter()
    for cnt in per_outlet.values():
        totals.update(cnt)
    if not totals:
        return None
    # unattributed quotes are not a speaker: neutral grey, like "others"
    named = Counter({s: n for s, n in totals.items() if s.lower() != "unattributed"})
    top = [s for s, _ in named.most_common(len(PALETTE) - 1)]
    if len(named) == len(PALETTE):
        top = [s for s, _ in named.most_common(len(PALETTE))]
    colour = {s: PALETTE[i] for i, s in enumerate(top)}
    for s in totals:
        if s.lower() == "unattributed":
            top.append(s)
            colour[s] = UNATTRIBUTED_COLOUR
    left, width, bar_h, gap = 160, _BAR_WIDTH, 20, 10
    right = width - 40
    rows = []
    for i, (outlet, cnt) in enumerate(per_outlet.items()):
        y = 10 + i * (bar_h + gap)
        whole = sum(cnt.values())
        segs = []
        xpos = float(left)
        if whole:
            parts = [(s, cnt[s]) for s in top if cnt[s]]
            rest = whole - sum(n for _, n in parts)
            if rest:
                parts.append(("others", rest))
            for s, n in parts:
                w = (right - left) * n / whole
                segs.append({"x": round(xpos, 1), "w": round(w, 1), "colour": colour.get(s, OTHER_COLOUR),
                             "title": f"{outlet}: {s} — {n} quote{'s' if n != 1 else ''} ({_pct(n, whole)})"})
                xpos += w
        rows.append({"label": _short(outlet, LABEL_CHARS), "full": outlet, "y": y, "segs": segs, "total": whole})
    legend = [{"label": s, "colour": colour[s]} for s in top]
    if any(s not in colour for s in totals):
        legend.append({"label": "others", "colour": OTHER_COLOUR})
    return {"width": width, "height": 10 + len(rows) * (bar_h + gap), "left": left, "right": right,
            "bar_h": bar_h, "rows": rows, "legend": legend}


def _grouped_chart(outlets: list[str], series: list[tuple[str, str, dict[str, set[str]]]],
                   total: int) -> dict[str, Any]:
    left, width, bar_h, gap = 160, _BAR_WIDTH, 14, 14
    right = width - 80
    group_h = bar_h * len(series) + gap
    top_max = max((len(sets[o]) for _, _, sets in series for o in outlets), default=0)
    scale_max = max(1, top_max)
    rows = []
    for i, o in enumerate(outlets):
        y0 = 10 + i * group_h
        bars = []
        for j, (name, colour, sets) in enumerate(series):
            n = len(sets[o])
            w = (right - left) * n / scale_max
            bars.append({"y": y0 + j * bar_h, "w": round(w, 1), "colour": colour,
                         "label": f"{n} ({_pct(n, total)})", "title": f"{o}: {name} — {n} of {total} claims"})
        rows.append({"label": _short(o, LABEL_CHARS), "full": o, "y": y0 + (bar_h * len(series)) / 2, "bars": bars})
    return {"width": width, "height": 10 + len(outlets) * group_h, "left": left, "right": right, "bar_h": bar_h,
            "rows": rows, "legend": [{"label": name, "colour": colour} for name, colour, _ in series]}


# ---- documents ----------------------------------------------------------------------

def _documents(analysis: Analysis, reg: _Registry, labels: dict[str, str]) -> dict[str, Any]:
    items = []
    for d in analysis.documents:
        boiler = [{"text": b.text, "reason": b.reason} for b in d.boilerplate if b.reason not in _META_REASONS]
        meta = [{"text": b.text, "reason": b.reason} for b in d.boilerplate if b.reason in _META_REASONS]
        copy_of = d.duplicate_of or d.syndicated_from
        items.append({
            "id": d.id, "anchor": doc_anchor(d.id), "label": labels[d.id], "title": d.title, "author": d.author,
            "published": when_published(d.published), "published_source": d.published_source, "source": d.source,
            "url": safe_url(d.url), "url_text": d.url, "genre": d.genre, "words": d.words,
            "language": d.language,
            "copied": ({"kind": "near-duplicate of" if d.duplicate_of else "syndicated from",
                      "anchor": doc_anchor(copy_of), "label": labels.get(copy_of, copy_of)} if copy_of else None),
            "tokens": tokenize(d.id, d.text, reg.spans.get(d.id, ())),
            "boilerplate": boiler, "meta_lines": meta,
        })
    return {"entries": items}


def _build_view(analysis: Analysis, title: str) -> View:
    labels = {d.id: doc_label(d) for d in analysis.documents}
    reg = _Registry(texts={d.id: d.text for d in analysis.documents}, labels=labels)
    sections: dict[str, Any] = {
        # the order sets whose spans stay whole where cited spans cross
        "briefing": _briefing(analysis, reg),
        "contradictions": _contradictions(analysis, reg),
        "quotes": _quotes(analysis, reg, labels),
        "matrix": _matrix(analysis, reg, labels),
        "timeline": _timeline(analysis, reg, labels),
        "framing": _framing(analysis, reg, labels),
    }
    # last: it needs every span the other sections cite
    sections["documents"] = _documents(analysis, reg, labels)
    statuses: Counter[str] = Counter(c.status for c in analysis.claims)
    summary = {
        "documents": len(analysis.documents),
        "outlets": outlet_counts(analysis.documents)[0],
        "unknown_outlets": outlet_counts(analysis.documents)[1],
        "documents_phrase": outlets_phrase(analysis.documents),
        "stories": [{"label": s.label, "docs": len(s.docs), "dates": day_range(s.first_seen, s.last_seen),
                     "href": _story_href(analysis, sections, s.id)}
                    for s in analysis.stories],
        "all_opinion": bool(analysis.documents) and all(d.genre == "opinion" for d in analysis.documents),
        "claims": len(analysis.claims), "statuses": {k: statuses.get(k, 0) for k in _STATUS_LABEL},
        "contradictions": len(analysis.contradictions), "quotes": len(analysis.quotes),
        "errors": [{"source": e.source, "code": e.code, "message": e.message} for e in analysis.errors],
    }
    return View(title=title, summary=summary, sections=sections)


def _story_href(analysis: Analysis, sections: dict[str, Any], story_id: str) -> str | None:
    """Where a story's part of this page starts (its briefing, else its claims), or None for
    a one-story page or a story with neither: the story list is the page's table of contents."""
    if len(analysis.stories) < 2:
        return None
    anchors = {s["anchor"] for s in sections["briefing"]["sentences"] if s["anchor"]}
    anchors |= {g["anchor"] for g in sections["matrix"]["groups"] if g["anchor"]}
    for section in ("briefing", "matrix"):
        anchor = story_anchor(analysis, story_id, section)
        if anchor in anchors:
            return "#" + anchor
    return None


# --------------------------------------------------------------------------- rendering

@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["short"] = _short
    env.filters["pct"] = _pct
    env.globals["math"] = math
    return env


@cache
def _static(name: str) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if "</" in text.lower():  # would end the inline <style>/<script> early
        raise ValueError(f"{name} must not contain '</'")
    return text


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; img-src 'none'; font-src 'none'; connect-src 'none'; "
            f"style-src 'unsafe-inline'; script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def render_html(analysis: Analysis, title: str = "storylens report", index_href: str | None = None,
                story_number: tuple[int, int] | None = None) -> str:
    """The whole report as one self-contained HTML document.

    ``index_href`` (with ``story_number``: this story's number and the count) makes it one
    story's page of a site, with a link back to the story index (``report.site``).
    """
    view = _build_view(analysis, title)
    script = _static("report.js")
    # our own static code, not article text: inserted verbatim (and allowed by its hash)
    return _environment().get_template("report.html.j2").render(
        view=view, s=view.sections, summary=view.summary, section_ids=SECTION_IDS,
        css=Markup(_static("report.css")), script=Markup(script), csp=_csp(script),
        generator="storylens", index_href=index_href, story_number=story_number,
    )


__all__ = ["SECTION_IDS", "doc_label", "parse_when", "render_html", "safe_url", "span_key", "tokenize"]
