"""HTML pages: trafilatura for body and metadata, htmldate as a date fallback.

The body comes from trafilatura's precision mode, which drops more of the
teasers, captions and link lists around an article than its balanced mode.
Precision mode sometimes collapses onto a fragment of the page (a standfirst,
one block of a split article); when its text is short, balanced mode is run as
well and wins if precision mode kept only a small share of its words.

The page is parsed once; trafilatura works on copies of the tree. ``full_text``
is every visible line of the page (navigation and footer included), so the
lines the body leaves out can be listed for audit.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import trafilatura
from trafilatura import load_html

from storylens.errors import StorylensError

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

#: below this many words the precision-mode body is checked against balanced mode
_CHECK_WORDS = 150
#: precision mode lost the article when it kept less than this share of balanced mode's words
_COLLAPSE_SHARE = 0.2
#: elements whose text is never shown
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas")
#: elements that start a new line of visible text
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td",
    "th", "tr", "ul",
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


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


def _words(text: str) -> int:
    return len(text.split())


def _body(result: Any) -> str:
    return (getattr(result, "text", None) or "") if result is not None else ""


def visible_text(tree: Any) -> str:
    """The page's visible text, one line per block element (modifies a copy of ``tree``)."""
    body = tree.find(".//body")
    root = deepcopy(body if body is not None else tree)
    for el in list(root.iter(*_INVISIBLE)):
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which is visible
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (_SPACES.sub(" ", ln).strip() for ln in root.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


def extract_html(html: str, source: str, url: str | None = None) -> ExtractedPage:
    options: dict[str, Any] = {
        "url": url, "include_comments": False, "include_tables": True, "deduplicate": False,
    }
    try:
        tree = load_html(html)
        if tree is None:
            raise StorylensError("SL006", source)
        result = trafilatura.bare_extraction(tree, with_metadata=True, favor_precision=True, **options)
        text = _body(result)
        if _words(text) < _CHECK_WORDS:
            balanced = _body(trafilatura.bare_extraction(tree, with_metadata=False, **options))
            if _words(text) < _COLLAPSE_SHARE * _words(balanced):
                text = balanced
        if _words(text) < 20:
            # fall back to recall mode
            alt = _body(trafilatura.bare_extraction(tree, with_metadata=False, favor_recall=True, **options))
            text = alt if _words(alt) > _words(text) else text
        full = visible_text(tree)
    except StorylensError:
        raise
    except Exception as exc:  # trafilatura and lxml raise various parser errors on broken markup
        raise StorylensError("SL006", source, f"parser failed: {type(exc).__name__}") from exc
    if _words(text) < 5:
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
