"""storylens: many articles about the same events, checked claim by claim."""

from storylens import interrupt as _interrupt

if _interrupt.in_cli_worker():  # a spawned worker of a CLI run: signals as the CLI expects
    _interrupt.as_worker()

from storylens.api import analyze  # noqa: E402
from storylens.errors import StorylensError  # noqa: E402
from storylens.models import (  # noqa: E402
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
from storylens.options import Options  # noqa: E402

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
