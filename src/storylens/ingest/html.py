"""HTML pages: trafilatura for body and metadata, htmldate as a date fallback."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura
from trafilatura import html2txt

from storylens.errors import StorylensError

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass
class ExtractedPage:
    text: str
    full_text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    sitename: str | None = None
    language: str | None = None
    url: str | None = None


def extract_html(html: str, source: str, url: str | None = None) -> ExtractedPage:
    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            include_tables=True, favor_precision=False, deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises various parser errors on broken markup
        raise StorylensError("SL006", source, f"parser failed: {type(exc).__name__}") from exc
    text = (getattr(result, "text", None) or "") if result is not None else ""
    full = html2txt(html) or ""
    if len(text.split()) < 20:
        # fall back to recall mode, then to the page's visible text
        alt = trafilatura.extract(html, favor_recall=True, include_comments=False) or ""
        text = alt if len(alt.split()) > len(text.split()) else text
    if len(text.split()) < 5:
        raise StorylensError("SL006", source)
    page = ExtractedPage(text=text, full_text=full or text, url=url)
    if result is not None:
        page.title = getattr(result, "title", None) or None
        page.author = getattr(result, "author", None) or None
        page.published = getattr(result, "date", None) or None
        page.sitename = getattr(result, "sitename", None) or None
        page.language = getattr(result, "language", None) or None
        page.url = url or getattr(result, "url", None) or None
    return page
