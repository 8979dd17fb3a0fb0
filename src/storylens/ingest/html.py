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
_TOKEN = re.compile(r"\w+")
#: what joins a headline and a site name in a <title>: "Headline | Site", "Site - Headline"
_AFFIX_SEP = re.compile(r"(?:\s[|\-\u2013\u2014\u00b7\u00bb:/~]+\s|\s*\|\s*|:\s)")
#: a site-name affix holds at least one of these (a colon alone may be part of the headline)
_STRONG_SEP = re.compile(r"\s[|\-\u2013\u2014\u00b7\u00bb/~]+\s|\s*\|\s*")
#: longest site-name affix, in words
_AFFIX_WORDS = 8


#: page chrome: elements whose text is navigation, banners or footer, never the article
_CHROME_TAGS = {"nav", "header", "footer", "aside", "menu"}
_CHROME_ATTR = re.compile(r"cookie|consent|gdpr|banner|navbar|footer|menu", re.I)
#: containers of the whole page or article: their classes often name site features
#: ("consent-management-enabled") and say nothing about their text
_NEVER_CHROME = {"html", "body", "main", "article"}
#: a short extraction made (almost) only of chrome lines is no article
_CHROME_CHECK_WORDS = 300
_CHROME_SHARE = 0.9


def _chrome_lines(tree: Any) -> set[str]:
    """The visible lines of the page's navigation, banners and footers (lower-cased)."""
    lines: set[str] = set()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in _NEVER_CHROME:
            continue
        marks = f"{el.get('id') or ''} {el.get('class') or ''}"
        if tag in _CHROME_TAGS or (marks.strip() and _CHROME_ATTR.search(marks)):
            lines.update(key for ln in visible_text(el).split("\n") if (key := " ".join(ln.split()).lower()))
    return lines


def _only_chrome(text: str, chrome: set[str]) -> bool:
    total = chrome_words = 0
    for ln in text.split("\n"):
        key = " ".join(ln.split()).lower()
        n = len(key.split())
        total += n
        if key in chrome:
            chrome_words += n
    return total > 0 and chrome_words >= _CHROME_SHARE * total


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
    #: the title as the page gives it, site name affix included (it may name the outlet)
    raw_title: str | None = None


def _words(text: str) -> int:
    return len(text.split())


def _body(result: Any) -> str:
    return (getattr(result, "text", None) or "") if result is not None else ""


def visible_text(tree: Any, in_place: bool = False) -> str:
    """The page's visible text, one line per block element.

    ``tree`` is changed when ``in_place`` is set (cheaper when it is not needed afterwards).
    """
    body = tree.find(".//body")
    root = body if body is not None else tree
    if not in_place:
        root = deepcopy(root)
    for el in list(root.iter(*_INVISIBLE)):
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which is visible
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (_SPACES.sub(" ", ln).strip() for ln in root.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _meta(tree: Any, *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        for attr in ("property", "name"):
            for value in tree.xpath(f'//meta[@{attr}="{name}"]/@content'):
                value = " ".join(str(value).split())
                if value and value not in found:
                    found.append(value)
    return found


def _squash(text: str) -> str:
    return "".join(_TOKEN.findall(text.lower()))


def _title_signals(tree: Any) -> tuple[list[str], list[str]]:
    """(headline candidates, site names) declared in the page.

    Candidates are the social-card titles and the first ``<h1>`` elements that
    are not the site name (a logo often sits in an ``<h1>``).
    """
    sites = _meta(tree, "og:site_name", "application-name")
    site_keys = {_squash(s) for s in sites}
    candidates = _meta(tree, "og:title", "twitter:title")
    for h1 in tree.xpath("//h1")[:3]:
        text = " ".join(h1.text_content().split())
        if text and _squash(text) not in site_keys and text not in candidates:
            candidates.append(text)
    return candidates, sites


def _is_site(segment: str, sites: list[str]) -> bool:
    """The segment is a site name: the same words, or one more ("Inexhibit" / "Inexhibit magazine")."""
    key, words = _squash(segment), len(_TOKEN.findall(segment))
    for site in sites:
        other = _squash(site)
        if not key or not other:
            continue
        if key == other:
            return True
        close = abs(words - len(_TOKEN.findall(site))) <= 1 and min(len(key), len(other)) >= 5
        if close and (key.startswith(other) or other.startswith(key)):
            return True
    return False


def _strip_site_affix(title: str, alternatives: list[str], sites: list[str] | None = None) -> str:
    """Drop a site name added before or after the headline ("Headline - Site").

    Two signals, both from the page: a headline candidate (``og:title``, ``<h1>``)
    that is the start or the end of the title, parted from the rest by a
    separator; or a first or last separator-delimited segment that is the site
    name (``og:site_name``, trafilatura's site name).
    """
    sites = [s for s in (sites or []) if s]
    site_keys = {_squash(s) for s in sites}
    tokens = [t.lower() for t in _TOKEN.findall(title)]
    for alt in alternatives:
        alt_tokens = [t.lower() for t in _TOKEN.findall(alt)]
        n = len(alt_tokens)
        if n < 2 or n >= len(tokens) or len(tokens) - n > _AFFIX_WORDS or _squash(alt) in site_keys:
            continue
        if tokens[:n] == alt_tokens:
            rest = title[_token_end(title, n):]
            if _AFFIX_SEP.match(rest) and _STRONG_SEP.search(rest):
                return alt
        if tokens[-n:] == alt_tokens:
            head = title[: _token_start(title, len(tokens) - n)]
            if _AFFIX_SEP.search(head[-4:]) and _STRONG_SEP.search(head):
                return alt
    seps = list(_STRONG_SEP.finditer(title))
    if seps and sites:
        last, first = seps[-1], seps[0]
        if _is_site(title[last.end():], sites) and len(_TOKEN.findall(title[: last.start()])) >= 2:
            return title[: last.start()].strip()
        if _is_site(title[: first.start()], sites) and len(_TOKEN.findall(title[first.end():])) >= 2:
            return title[first.end():].strip()
    return title


def _token_end(text: str, n: int) -> int:
    """Offset just past the ``n``-th word token of ``text`` (and a closing quote or bracket)."""
    matches = list(_TOKEN.finditer(text))
    end = matches[n - 1].end()
    while end < len(text) and text[end] in "\"'\u201d\u2019)]?!.":
        end += 1
    return end


def _token_start(text: str, index: int) -> int:
    """Offset of the word token at ``index`` (and an opening quote or bracket before it)."""
    start = list(_TOKEN.finditer(text))[index].start()
    while start > 0 and text[start - 1] in "\"'\u201c\u2018([":
        start -= 1
    return start


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
        if _words(text) < _CHROME_CHECK_WORDS and _only_chrome(text, _chrome_lines(tree)):
            raise StorylensError("SL006", source, "only navigation, banners and footer")
        candidates, sites = _title_signals(tree)
        full = visible_text(tree, in_place=True)  # last use of the tree
    except StorylensError:
        raise
    except Exception as exc:  # trafilatura and lxml raise various parser errors on broken markup
        raise StorylensError("SL006", source, f"parser failed: {type(exc).__name__}") from exc
    if _words(text) < 5:
        raise StorylensError("SL006", source)
    page = ExtractedPage(text=text, full_text=full or text, url=url)
    title = " ".join((getattr(result, "title", None) or "").split())
    page.raw_title = title or None
    if title:
        page.title = _strip_site_affix(title, candidates, [*sites, getattr(result, "sitename", None) or ""])
    elif candidates:
        page.title = candidates[0]
    if result is not None:
        page.author = getattr(result, "author", None) or None
        page.published = getattr(result, "date", None) or None
        page.sitename = getattr(result, "sitename", None) or None
        page.language = getattr(result, "language", None) or None
        page.url = url or getattr(result, "url", None) or None
    return page
