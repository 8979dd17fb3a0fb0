"""Stage 5, report: JSON (the contract), Markdown and HTML renderings."""

from __future__ import annotations

import re

from storylens.models import Analysis
from storylens.report.html import render_html
from storylens.report.markdown import render_markdown
from storylens.report.table import render_csv

FORMATS = ("json", "md", "html", "csv")


#: control characters other than tab and line feed (ESC sequences, C1 controls, NUL):
#: article text and metadata lose them at ingest; file names and error messages may
#: still carry them, and a report shown in a terminal or editor must not act on them
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def render(analysis: Analysis, fmt: str) -> str:
    if fmt == "json":  # JSON escapes control characters itself (\u001b), and keeps sources exact
        return analysis.to_json() + "\n"
    if fmt in ("md", "markdown"):
        return strip_controls(render_markdown(analysis))
    if fmt == "html":
        return strip_controls(render_html(analysis))
    if fmt == "csv":
        return strip_controls(render_csv(analysis))
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "render", "render_csv", "render_html", "render_markdown", "strip_controls"]
