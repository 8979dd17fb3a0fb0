"""Per-document framing with evidence spans (issue 6)."""

from __future__ import annotations

from storylens.annotate import AnnotatedDoc
from storylens.models import Analysis, Framing


def build_framing(analysis: Analysis, annotated: list[AnnotatedDoc]) -> list[Framing]:
    return [Framing(doc=a.doc.id, genre=a.doc.genre) for a in annotated]
