"""Direct and reported quotes with speaker and cue (see issue 5)."""

from __future__ import annotations

from storylens.annotate import AnnotatedDoc
from storylens.models import Quote


def extract_quotes(ann: AnnotatedDoc) -> list[Quote]:
    """Quotes in one document, speaker text resolved within the document."""
    return []
