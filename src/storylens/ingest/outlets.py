"""Who published a document: a readable outlet name.

In order: what the user stated (JSONL ``outlet``, a sidecar file, ``--outlet``),
the site name in the page's metadata, a site name printed on the page
(masthead, copyright line, title affix) that spells the web address's domain,
and last the registrable domain itself (``usatoday30.usatoday.com`` ->
``usatoday.com``). A raw host name is never the outlet: hosts of one site differ
(``www.``, ``m.``, numbered servers) and would count as different outlets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from tld import get_tld

__all__ = ["domain_of", "outlet_name", "site_in_text"]

_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z0-9&'.]+")
#: longest site name looked for in text, in words ("The New York Times")
_MAX_WORDS = 5
#: only this much of a page's text is scanned for a site name (mastheads and footers sit at the edges)
_EDGE_CHARS = 4000


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def domain_of(url_or_host: str | None) -> tuple[str, str] | None:
    """(registrable domain, its name label) of a URL or host: ("usatoday.com", "usatoday")."""
    if not url_or_host:
        return None
    value = url_or_host.strip()
    if "://" not in value:
        value = "http://" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return None
    if not host:
        return None
    info = get_tld(value, as_object=True, fail_silently=True)
    if isinstance(info, str) or info is None or not info.domain:
        # no public suffix (an intranet or example name, an IP address): the host without "www."
        if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
            return host, host
        bare = re.sub(r"^(?:www\d*|m|amp|mobile)\.", "", host)
        return bare, bare.split(".", 1)[0]
    return info.fld, info.domain


def site_in_text(label: str, texts: Iterable[str]) -> str | None:
    """A phrase of up to five words in ``texts`` whose letters spell ``label``
    ("USA TODAY" for usatoday, "The Guardian" for theguardian)."""
    key = _squash(label)
    if len(key) < 3:
        return None
    keys = {key, key.rstrip("0123456789")}
    for text in texts:
        tokens = list(_TOKEN.finditer(text))
        for i in range(len(tokens)):
            joined = ""
            for j in range(i, min(i + _MAX_WORDS, len(tokens))):
                joined += _squash(tokens[j].group())
                if joined in keys:
                    phrase = text[tokens[i].start() : tokens[j].end()].strip(" .'")
                    if any(c.isupper() for c in phrase):  # a name is written with capitals
                        return phrase
                if len(joined) >= len(key):
                    break
    return None


def _edges(text: str) -> list[str]:
    if len(text) <= 2 * _EDGE_CHARS:
        return [text]
    return [text[:_EDGE_CHARS], text[-_EDGE_CHARS:]]


def outlet_name(
    *,
    stated: str | None = None,
    sitename: str | None = None,
    url: str | None = None,
    texts: Iterable[str] = (),
    fallback: str | None = None,
) -> str | None:
    """The readable outlet of a document, or None when nothing names it."""
    if stated and stated.strip():
        return " ".join(stated.split())
    site = " ".join((sitename or "").split())
    if site and not _HOST.match(site):
        return site
    domain = domain_of(url) or (domain_of(site) if site else None)
    if domain is not None:
        fld, label = domain
        edges = [e for t in texts for e in _edges(t)]
        return site_in_text(label, edges) or fld
    if fallback and fallback.strip():
        return " ".join(fallback.split())
    return None
