"""Pages that are not articles: what a crawler saved where a story should have been.

A link to a news story, archived or fetched later, can return a web archive's notice
about its crawls, a sign-in or registration form, an error page ("the page you requested
could not be found"), a legal notice printed under a map, or an index page listing other
stories' teasers. Such a page reports no events: analysed, it would form a story of its
own and its sentences would be stated in the briefing. An index page is told by its
paragraphs, most of them cut off with an ellipsis; the others by their words, which are
about the web page, the site or the notice itself: the share of those words among all
its words tells them apart (a news report about the web, an outage, an archive or a
privacy ruling, uses them too, but among many other words).
"""

from __future__ import annotations

import re
from collections import Counter


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: words about the page or the site itself, by what they describe
PAGE_WORDS: dict[str, frozenset[str]] = {
    "a web archive's notice": _words(
        "crawl crawls crawled crawler crawling archive archived archives archiving wayback warc seed seedlist "
        "snapshot snapshots captures embargo outlinks collection collections accessible"),
    "an error or site page": _words(
        "url urls link links web website websites webpage webmaster page pages site browser javascript "
        "cookies cookie bookmark navigation click loading enable"),
    "a sign-in form": _words(
        "login logged sign signed password account subscribe subscription registration registering register "
        "profile terms privacy policy"),
    "a legal notice": _words(
        "disclaimer designations imply implies implied whatsoever endorsement liability warranty warranties "
        "delimitation frontiers boundaries legal copyright reserved permission reproduced"),
}
_KIND_OF = {w: kind for kind, words in PAGE_WORDS.items() for w in words}
_TOKEN = re.compile(r"[a-z0-9]+")
#: a page whose words are at least this share about the page itself is not an article (on
#: the Multi-News sample's dev clusters: archive notices, sign-in forms and error pages
#: 0.09-0.19, a map's legal notice 0.10; the news reports at most 0.04)
PAGE_SHARE = 0.08
#: and at least this many such words (a two-line caption is not evidence either way)
MIN_PAGE_WORDS = 5


#: an index page: most paragraphs are teasers cut off with an ellipsis ("…, according to new ...")
_TEASER_END = re.compile(r"(?:\.\.\.|…)\W*$")
MIN_TEASERS = 5
TEASER_SHARE = 0.5


def non_article(text: str) -> str | None:
    """What the page is, when it is not an article ("a web archive's notice: crawl,
    archive, pages"; "an index of teasers"), or None. Reads the whole cleaned text."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    teasers = sum(1 for p in paragraphs if _TEASER_END.search(p.strip()))
    if teasers >= MIN_TEASERS and teasers >= TEASER_SHARE * len(paragraphs):
        return f"an index of teasers: {teasers} of {len(paragraphs)} paragraphs cut off with an ellipsis"
    tokens = _TOKEN.findall(text.lower())
    hits = [t for t in tokens if t in _KIND_OF]
    if len(hits) < MIN_PAGE_WORDS or len(hits) < PAGE_SHARE * len(tokens):
        return None
    kinds = Counter(_KIND_OF[t] for t in hits)
    kind = kinds.most_common(1)[0][0]
    top = ", ".join(w for w, _ in Counter(hits).most_common(3))
    return f"{kind}: {top}"
