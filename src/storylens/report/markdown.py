"""Markdown report. Each section is one function; ``SECTIONS`` sets the order."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from storylens.models import Analysis, Document

_META_REASONS = {"headline", "byline"}


def md_escape(text: str) -> str:
    """Escape text for a Markdown table cell or inline run."""
    out = " ".join(text.split())
    for ch in "\\|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def doc_label(doc: Document) -> str:
    """How a document is named in reports: outlet, else the file or URL it came from."""
    if doc.outlet:
        return doc.outlet
    name = doc.source.rstrip("/").rsplit("/", 1)[-1]
    return name or doc.id


def section_documents(analysis: Analysis) -> list[str]:
    lines = ["## Documents", "", "| # | outlet / source | title | author | date | words | boilerplate removed |",
             "|---|---|---|---|---|---|---|"]
    index = {d.id: i for i, d in enumerate(analysis.documents, 1)}
    for i, doc in enumerate(analysis.documents, 1):
        removed = [b for b in doc.boilerplate if b.reason not in _META_REASONS]
        reasons = Counter(b.reason for b in removed)
        removed_txt = ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in reasons.items()) or "none"
        date = doc.published or "—"
        if doc.published_source == "batch":
            date += " (year from batch)"
        extra = ""
        if doc.duplicate_of:
            extra = f" (near-duplicate of #{index.get(doc.duplicate_of, '?')})"
        elif doc.syndicated_from:
            extra = f" (copy of #{index.get(doc.syndicated_from, '?')})"
        lines.append(
            f"| {i} | {md_escape(doc_label(doc))}{extra} | {md_escape(doc.title or '—')} | "
            f"{md_escape(doc.author or '—')} | {date} | {doc.words} | {md_escape(removed_txt)} |"
        )
    return lines


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _labels(analysis: Analysis) -> dict[str, str]:
    """Document id → unique column label (outlet, numbered when an outlet has several)."""
    base = {d.id: doc_label(d) for d in analysis.documents}
    counts = Counter(base.values())
    seen: Counter[str] = Counter()
    out = {}
    for d in analysis.documents:
        label = base[d.id]
        if counts[label] > 1:
            seen[label] += 1
            label = f"{label} ({seen[label]})"
        out[d.id] = label
    return out


MATRIX_CLAIMS = 40
MATRIX_COLUMNS = 12


def section_stories(analysis: Analysis) -> list[str]:
    if len(analysis.stories) < 2:
        return []
    labels = _labels(analysis)
    lines = ["## Stories", ""]
    for story in analysis.stories:
        outlets = ", ".join(md_escape(labels[d]) for d in story.docs if d in labels)
        span = f" ({story.first_seen} – {story.last_seen})" if story.first_seen else ""
        lines.append(f"- **{md_escape(story.label)}**{span}: {len(story.docs)} documents — {outlets}")
    return lines


def section_matrix(analysis: Analysis) -> list[str]:
    """Claims × outlets: ✓ where an outlet states the claim, ≠ where it disputes it."""
    if not analysis.claims:
        return []
    labels = _labels(analysis)
    shown = [c for c in analysis.claims if c.independent_sources >= 2 or c.status == "contested"]
    if not shown:
        return ["## Corroboration matrix", "", "No claim is stated by two independent sources."]
    shown = shown[:MATRIX_CLAIMS]
    support_count: Counter[str] = Counter(s.doc for c in shown for s in c.support)
    columns = [d.id for d in analysis.documents if support_count[d.id]]
    columns = sorted(columns, key=lambda d: -support_count[d])[:MATRIX_COLUMNS]
    columns = [d.id for d in analysis.documents if d.id in columns]
    disputed: dict[str, set[str]] = defaultdict(set)
    for x in analysis.contradictions:
        if x.claim:
            disputed[x.claim] |= {x.a.doc, x.b.doc}
    head = "| claim | sources | status | " + " | ".join(md_escape(labels[d]) for d in columns) + " |"
    lines = ["## Corroboration matrix", "",
             "✓ the outlet states the claim; ≠ it states it with a conflicting detail (see Contradictions). "
             "Sources counts independent sources: syndicated copies and one outlet's articles count once.", "",
             head, "|---|---|---|" + "---|" * len(columns)]
    for c in shown:
        docs = {s.doc for s in c.support}
        cells = []
        for d in columns:
            mark = "✓" if d in docs else ""
            if d in disputed.get(c.id, set()):
                mark = "≠" if not mark else "✓≠"
            cells.append(mark)
        lines.append(f"| {md_escape(_short(c.text))} | {c.independent_sources} | {c.status} | " + " | ".join(cells) + " |")
    if len(analysis.documents) > len(columns):
        lines += ["", f"({len(analysis.documents) - len(columns)} documents without corroborated claims are not shown as columns.)"]
    return lines


def section_single_source(analysis: Analysis) -> list[str]:
    """What only one outlet reports, grouped by outlet."""
    labels = _labels(analysis)
    genre = {d.id: d.genre for d in analysis.documents}
    by_doc: dict[str, list[str]] = defaultdict(list)
    for c in analysis.claims:
        if c.status != "single_source":
            continue
        docs = sorted({s.doc for s in c.support})
        by_doc[docs[0]].append(c.text)
    if not by_doc:
        return []
    lines = ["## Single-source claims", "", "Claims only one independent source makes (its copies included).", ""]
    for d in analysis.documents:
        items = by_doc.get(d.id)
        if not items:
            continue
        tag = " (opinion)" if genre.get(d.id) == "opinion" else ""
        lines.append(f"### {md_escape(labels[d.id])}{tag}")
        lines.append("")
        lines += [f"- {md_escape(_short(t, 240))}" for t in items[:25]]
        if len(items) > 25:
            lines.append(f"- … and {len(items) - 25} more")
        lines.append("")
    return lines


def section_contradictions(analysis: Analysis) -> list[str]:
    if not analysis.contradictions:
        return ["## Contradictions", "", "No contradiction found between the documents."] if analysis.claims else []
    labels = _labels(analysis)
    lines = ["## Contradictions", "", "| kind | what differs | confidence | says A | says B |", "|---|---|---|---|---|"]
    for x in analysis.contradictions:
        a = f"**{md_escape(labels.get(x.a.doc, x.a.doc))}**: {md_escape(_short(x.a.text, 220))}"
        b = f"**{md_escape(labels.get(x.b.doc, x.b.doc))}**: {md_escape(_short(x.b.text, 220))}"
        lines.append(f"| {x.kind} | {md_escape(x.explanation)} | {x.confidence:.2f} | {a} | {b} |")
    return lines


def section_entities(analysis: Analysis) -> list[str]:
    per_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in analysis.entities:
        for m in ent.mentions:
            per_doc[m.doc][f"{ent.name} ({ent.type})"] += 1
    lines = ["## Entities per document", ""]
    for doc in analysis.documents:
        top = per_doc.get(doc.id, Counter()).most_common(25)
        listing = ", ".join(f"{md_escape(name)} ×{n}" if n > 1 else md_escape(name) for name, n in top)
        lines.append(f"- **{md_escape(doc_label(doc))}**: {listing or 'none found'}")
    return lines


def section_times(analysis: Analysis) -> list[str]:
    lines = ["## Dates and times", ""]
    for doc in analysis.documents:
        resolved = [f"{md_escape(t.span.text)} → {t.value}" for t in doc.times if t.value]
        if resolved:
            lines.append(f"- **{md_escape(doc_label(doc))}**: " + "; ".join(resolved[:20]))
    return lines if len(lines) > 2 else []


def section_errors(analysis: Analysis) -> list[str]:
    if not analysis.errors:
        return []
    lines = ["## Inputs skipped", ""]
    lines += [f"- `{md_escape(e.source)}`: {e.code} {md_escape(e.message)}" for e in analysis.errors]
    return lines


Section = Callable[[Analysis], list[str]]
SECTIONS: list[Section] = [
    section_documents,
    section_stories,
    section_contradictions,
    section_matrix,
    section_single_source,
    section_entities,
    section_times,
    section_errors,
]


def render_markdown(analysis: Analysis, title: str = "storylens report") -> str:
    out = [f"# {md_escape(title)}", "",
           f"{len(analysis.documents)} documents, {len(analysis.stories)} stories, "
           f"{len(analysis.claims)} claims, {len(analysis.contradictions)} contradictions.", ""]
    for section in SECTIONS:
        lines = section(analysis)
        if lines:
            out += lines + [""]
    return "\n".join(out).rstrip() + "\n"
