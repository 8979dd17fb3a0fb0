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
    for i, doc in enumerate(analysis.documents, 1):
        removed = [b for b in doc.boilerplate if b.reason not in _META_REASONS]
        reasons = Counter(b.reason for b in removed)
        removed_txt = ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in reasons.items()) or "none"
        date = doc.published or "—"
        if doc.published_source == "batch":
            date += " (year from batch)"
        extra = ""
        if doc.duplicate_of:
            extra = f" (near-duplicate of {doc.duplicate_of})"
        elif doc.syndicated_from:
            extra = f" (syndicated from {doc.syndicated_from})"
        lines.append(
            f"| {i} | {md_escape(doc_label(doc))}{extra} | {md_escape(doc.title or '—')} | "
            f"{md_escape(doc.author or '—')} | {date} | {doc.words} | {md_escape(removed_txt)} |"
        )
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
SECTIONS: list[Section] = [section_documents, section_entities, section_times, section_errors]


def render_markdown(analysis: Analysis, title: str = "storylens report") -> str:
    out = [f"# {md_escape(title)}", "",
           f"{len(analysis.documents)} documents, {len(analysis.stories)} stories, "
           f"{len(analysis.claims)} claims, {len(analysis.contradictions)} contradictions.", ""]
    for section in SECTIONS:
        lines = section(analysis)
        if lines:
            out += lines + [""]
    return "\n".join(out).rstrip() + "\n"
