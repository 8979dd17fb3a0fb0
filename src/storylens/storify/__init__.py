"""Stage 4, storify: group documents into stories (batch baseline: one story)."""

from __future__ import annotations

from storylens.annotate import AnnotatedDoc
from storylens.models import Entity, Story


def split_stories(annotated: list[AnnotatedDoc], entities: list[Entity]) -> list[Story]:
    """Group documents into stories; every document is in exactly one story."""
    if not annotated:
        return []
    dates = sorted(a.doc.published for a in annotated if a.doc.published)
    return [Story(id="s1", label=annotated[0].doc.title or "story", docs=[a.doc.id for a in annotated],
                  first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None)]
