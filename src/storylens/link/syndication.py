"""Near-duplicates and syndicated copies; independent-source keys.

Baseline: exact-outlet grouping only. MinHash/LSH detection: see issue 4.
"""

from __future__ import annotations

from storylens.models import Document


def detect_syndication(docs: list[Document]) -> None:
    """Set ``duplicate_of`` / ``syndicated_from`` on documents (in place)."""
    return None


def independent_source_key(doc: Document) -> str:
    """Documents with the same key count as one source (wire copies, same outlet)."""
    root = doc.duplicate_of or doc.syndicated_from or doc.id
    if doc.outlet:
        return f"outlet:{doc.outlet.lower()}"
    return f"doc:{root}"
