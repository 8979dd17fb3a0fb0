"""storylens: many articles about the same events, checked claim by claim."""

from storylens.api import analyze
from storylens.errors import StorylensError
from storylens.models import (
    Analysis,
    Briefing,
    Claim,
    Contradiction,
    Document,
    Entity,
    Framing,
    Quote,
    Span,
    Story,
    TimeExpression,
)
from storylens.options import Options

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Briefing",
    "Claim",
    "Contradiction",
    "Document",
    "Entity",
    "Framing",
    "Options",
    "Quote",
    "Span",
    "Story",
    "StorylensError",
    "TimeExpression",
    "__version__",
    "analyze",
]
