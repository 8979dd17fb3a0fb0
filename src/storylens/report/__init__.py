"""Stage 5, report: JSON (the contract), Markdown and HTML renderings."""

from __future__ import annotations

from storylens.models import Analysis
from storylens.report.html import render_html
from storylens.report.markdown import render_markdown

FORMATS = ("json", "md", "html")


def render(analysis: Analysis, fmt: str) -> str:
    if fmt == "json":
        return analysis.to_json() + "\n"
    if fmt in ("md", "markdown"):
        return render_markdown(analysis)
    if fmt == "html":
        return render_html(analysis)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "render", "render_html", "render_markdown"]
