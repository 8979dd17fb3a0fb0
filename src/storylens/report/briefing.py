"""The cited neutral briefing (issue 6)."""

from __future__ import annotations

from storylens.models import Analysis, Briefing
from storylens.options import Options


def build_briefing(analysis: Analysis, options: Options) -> Briefing:
    return Briefing()
