"""Invented stories told by several outlets, analysed as one batch, and the contradictions
found between two of their sentences: what the contradiction tests of this folder share; and a
document with given entity mentions, for the entity tests."""

from __future__ import annotations

import json
from pathlib import Path

from storylens import analyze
from storylens.annotate import AnnotatedDoc, Mention
from storylens.models import Analysis, Contradiction, Document, Span, invalid_spans
from storylens.options import Options


def analyse_outlets(folder: Path, published: str, subject: str, bodies: dict[str, list[str]]) -> Analysis:
    """One JSONL batch, an article per outlet (its sentences joined), analysed; every span cites."""
    path = folder / "batch.jsonl"
    rows = [
        {"outlet": outlet, "published": published, "title": f"{outlet}: {subject}", "text": " ".join(body)}
        for outlet, body in bodies.items()
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analysis = analyze([str(path)])
    assert invalid_spans(analysis) == []
    return analysis


def analyse_texts(folder: Path, texts: dict[str, str], published: str | None = None,
                  options: Options | None = None) -> Analysis:
    """One JSONL batch of whole texts, one per outlet, analysed; every span cites."""
    path = folder / "batch.jsonl"
    rows = [{"outlet": o, "text": t, **({"published": published} if published else {})} for o, t in texts.items()]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analysis = analyze([str(path)], options)
    assert invalid_spans(analysis) == []
    return analysis


def between(analysis: Analysis, kind: str | None, a: str, b: str) -> list[Contradiction]:
    """Contradictions (of ``kind``, if given) whose two spans contain ``a`` and ``b``, either order."""
    return [
        c for c in analysis.contradictions
        if (kind is None or c.kind == kind) and ((a in c.a.text and b in c.b.text) or (b in c.a.text and a in c.b.text))
    ]


def mentioned_doc(doc_id: str, text: str, names: list[tuple[str, str]]) -> AnnotatedDoc:
    """A document whose entity mentions are the given (surface, label) pairs, found in order."""
    mentions = []
    pos = 0
    for surface, label in names:
        start = text.index(surface, pos)
        mentions.append(Mention(span=Span(doc=doc_id, start=start, end=start + len(surface), text=surface), label=label))
        pos = start + len(surface)
    return AnnotatedDoc(doc=Document(id=doc_id, source=doc_id, text=text), mentions=mentions)
