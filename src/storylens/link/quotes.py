"""Quote matching across outlets: also_in and misattribution (see issue 5)."""

from __future__ import annotations

from storylens.models import Entity, Quote


def match_quotes(quotes: list[Quote], entities: list[Entity], mention_index: dict[tuple[str, int, int], str]) -> None:
    """Fill ``speaker`` (entity id), ``also_in`` and ``misattribution`` in place."""
    return None
