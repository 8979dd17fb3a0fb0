"""Atomic claims, cross-document alignment, corroboration and contradictions (issue 4)."""

from __future__ import annotations

from storylens.annotate import AnnotatedDoc
from storylens.models import Claim, Contradiction, Entity, Quote, Story
from storylens.options import Options


def build_claims(
    annotated: list[AnnotatedDoc],
    entities: list[Entity],
    mention_index: dict[tuple[str, int, int], str],
    stories: list[Story],
    quotes: list[Quote],
    options: Options,
) -> tuple[list[Claim], list[Contradiction]]:
    """Claims aligned across documents within each story, and typed contradictions."""
    return [], []
