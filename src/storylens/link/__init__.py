"""Stage 3, link: cross-document entities, syndication, claims, contradictions."""

from __future__ import annotations

from storylens.link.entities import canonicalize

__all__ = ["canonicalize"]
