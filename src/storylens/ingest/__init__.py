"""Stage 1, ingest: sources -> clean ``Document`` objects (no NLP yet)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from storylens.errors import StorylensError
from storylens.ingest.dates import parse_date_text
from storylens.ingest.html import extract_html
from storylens.ingest.normalize import clean_field, normalize
from storylens.ingest.outlets import outlet_name
from storylens.ingest.pagekind import non_article
from storylens.ingest.plaintext import batch_line_counts, clean_plain_text, split_lines
from storylens.ingest.sources import RawItem, expand_sources
from storylens.models import HEADLINE_BREAK, BoilerplateSpan, Document, InputError
from storylens.options import Options

__all__ = [
    "IngestResult", "add_line_counts", "batch_lines_of", "build_document", "build_documents", "content_id",
    "with_headline",
    "fill_year", "finish_batch", "ingest", "latest_year", "read_items",
]

log = logging.getLogger("storylens")

_META_REASONS = {"headline", "byline"}
#: a published date outside these years is not a news date (and date arithmetic
#: near year 1 or 9999 overflows): it is dropped, never kept
_YEARS = (1800, 2200)
#: raw text this many times longer than the length limit is refused before cleaning
#: (cleaning removes boilerplate lines, never most of a text)
_RAW_TEXT_FACTOR = 2
#: raw HTML may be much longer than its text (scripts, markup), but not without bound
_RAW_HTML_FACTOR = 20
#: HTML whose visible text (tags, scripts and styles removed by a cheap scan) is this many
#: times the limit is refused before it is parsed: page extraction is slow on huge pages
_VISIBLE_HTML_FACTOR = 1.5
_INVISIBLE_BLOCKS = re.compile(r"<(script|style|template|svg)\b.*?</\1\s*>", re.S | re.I)
_TAGS = re.compile(r"<[^>]*>")
_SPACE_RUNS = re.compile(r"\s+")
_EN_STOP = {"the", "and", "of", "to", "in", "a", "is", "that", "for", "on", "was", "with", "said"}


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    exact_duplicates: list[dict[str, str]] = field(default_factory=list)


def content_id(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


#: a title longer than this is no headline (a feed's summary in the title field): not put in the text
MAX_HEADLINE_CHARS = 400


def with_headline(title: str | None, body: str) -> str:
    """The text with its headline as the first paragraph.

    A headline is often the only place an outlet states a fact, so it is part of the
    citable text (every span still indexes ``Document.text``); ``Document.title`` keeps
    it for display. A body that already opens with the headline is left as it is.
    """
    head = " ".join((title or "").split())
    if not head or len(head) > MAX_HEADLINE_CHARS or " ".join(body[: len(head) + 50].split()).startswith(head):
        return body
    return head + HEADLINE_BREAK + body


def _guess_language(text: str) -> str | None:
    words = re.findall(r"[a-z]+", text[:5000].lower())
    if len(words) < 20:
        return None
    share = sum(1 for w in words if w in _EN_STOP) / len(words)
    return "en" if share > 0.08 else None


def _text_or_none(value: object) -> str | None:
    return str(value) if value is not None and str(value).strip() else None


def _valid_date(iso: str | None) -> str | None:
    """``iso`` when it names a real calendar day (and time) in a plausible year, else None."""
    if not iso:
        return None
    if iso.startswith("--"):  # month and day without a year
        try:
            dt.date(2000, int(iso[2:4]), int(iso[5:7]))
        except ValueError:
            return None
        return iso
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$", iso)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    if not _YEARS[0] <= year <= _YEARS[1]:
        return None
    try:
        dt.date(year, month, day)
        if m[4] is not None:
            dt.time(int(m[4]), int(m[5]))
    except ValueError:
        return None
    return iso


def _normalise_date(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    value = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return _valid_date(value[:16] if "T" in value[:11] and len(value) >= 16 else value[:10]), value
    iso, text = parse_date_text(value)
    return _valid_date(iso), text or value


def _check_raw_length(item: RawItem, max_chars: int) -> None:
    factor = _RAW_HTML_FACTOR if item.kind == "html" else _RAW_TEXT_FACTOR
    if len(item.content) > factor * max_chars:
        raise StorylensError("SL030", item.source, f"{len(item.content)} characters before cleaning, "
                             f"limit {max_chars} (--max-chars)")
    if item.kind == "html" and len(item.content) > _VISIBLE_HTML_FACTOR * max_chars:
        visible = len(_SPACE_RUNS.sub(" ", _TAGS.sub(" ", _INVISIBLE_BLOCKS.sub(" ", item.content))))
        if visible > _VISIBLE_HTML_FACTOR * max_chars:
            raise StorylensError("SL030", item.source, f"about {visible} characters of page text, "
                                 f"limit {max_chars} (--max-chars)")


def build_document(item: RawItem, batch_lines: dict[str, int] | None = None,
                   max_chars: int | None = None) -> Document:
    """Clean one raw item into a Document (raises StorylensError when nothing is left,
    or when its text is longer than ``max_chars``)."""
    if max_chars is not None:
        _check_raw_length(item, max_chars)
    meta = item.meta
    title = author = published = sitename = language = None
    page_texts: list[str] = []
    published_source = "none"
    url = meta.get("url")
    if item.kind == "html":
        page = extract_html(item.content, item.source, url)
        full = normalize(page.full_text)
        body = normalize(page.text)
        cleaned = clean_plain_text(body.text, batch_lines, from_html=True)
        # lines of the page text that did not make it into the body, for audit
        kept_keys = {" ".join(ln.text.split()) for ln in split_lines(body.text)}
        removed = [
            BoilerplateSpan(start=ln.start, end=ln.end, text=ln.text, reason="html-boilerplate")
            for ln in split_lines(full.text)
            if " ".join(ln.text.split()) not in kept_keys
        ]
        removed += [
            BoilerplateSpan(start=ln.start, end=ln.end, text=ln.text, reason=ln.reason or "")
            for ln in cleaned.removed if ln.reason not in _META_REASONS
        ]
        text = cleaned.text if cleaned.text.strip() else body.text
        genre_label = cleaned.extra.get("genre")
        title, author = page.title, page.author
        if page.published:
            published, published_source = page.published, "meta"
        sitename, language, url = page.sitename, page.language, page.url or url
        page_texts = [page.raw_title or "", full.text]
        raw_length = len(item.content)
    else:
        norm = normalize(item.content)
        cleaned = clean_plain_text(norm.text, batch_lines)
        genre_label = cleaned.extra.get("genre")
        removed = [
            BoilerplateSpan(start=ln.start, end=ln.end, text=ln.text, reason=ln.reason or "")
            for ln in cleaned.removed
        ]
        text = cleaned.text
        title, author = cleaned.title, cleaned.author
        sitename = cleaned.extra.get("site")
        page_texts = [norm.text]
        if cleaned.published_text:
            published, published_source = cleaned.published, "byline"
        raw_length = len(item.content)
    if meta.get("title"):
        title = normalize(str(meta["title"])).text.strip()
    if meta.get("author"):
        author = str(meta["author"]).strip()
    # metadata is shown in reports and terminals: no control characters, one line
    title, author = clean_field(title or ""), clean_field(author or "")
    if meta.get("published"):
        iso, _ = _normalise_date(str(meta["published"]))
        if iso:
            published, published_source = iso, "meta"
    if published and not re.match(r"^(\d{4}|--)", published):
        published, _ = _normalise_date(published)
    elif published:
        published = _valid_date(published[:16] if "T" in published[:11] and len(published) >= 16 else published[:10])
    if not text.strip() or len(text.split()) < 5:
        raise StorylensError("SL014", item.source)
    # a web archive's crawl notice, a sign-in form, an error page saved where an article was
    kind = non_article(text)
    if kind:
        raise StorylensError("SL041", item.source, kind)
    if max_chars is not None and len(text) > max_chars:
        raise StorylensError("SL030", item.source, f"{len(text)} characters, limit {max_chars} (--max-chars)")
    genre_label = genre_label or _section_genre(url)
    outlet = outlet_name(stated=_text_or_none(meta.get("outlet")), sitename=sitename, url=url, texts=page_texts,
                         fallback=_text_or_none(meta.get("default_outlet")))
    outlet = clean_field(str(outlet)) if outlet else None
    url = clean_field(str(url)) if url else None
    language = clean_field(language) if language else None
    body_text = text
    text = with_headline(title, body_text)
    return Document(
        # the body's hash: one article is one id whatever headline a feed or page gives it
        id=content_id(body_text),
        source=item.source,
        url=url,
        outlet=str(outlet) if outlet else None,
        title=title or None,
        author=author or None,
        published=published,
        published_source=published_source if published else "none",  # type: ignore[arg-type]
        language=language or _guess_language(text),
        text=text,
        raw_length=raw_length,
        boilerplate=removed,
        words=len(text.split()),
        # a section label only says "opinion"; report vs opinion is decided later from the text
        genre="opinion" if genre_label == "opinion" else "unknown",
    )


#: URL path sections of opinion pages ("/opinion/", "/commentisfree/", "/columnists/")
_OPINION_SECTIONS = frozenset({
    "opinion", "opinions", "op-ed", "op-eds", "oped", "opeds", "commentisfree", "comment", "commentary",
    "column", "columns", "columnists", "editorial", "editorials", "viewpoint", "viewpoints",
})


def _section_genre(url: object) -> str | None:
    """"opinion" when a directory of the URL's path is an opinion section (not the last part,
    the article's own slug)."""
    if not url:
        return None
    parts = [p.lower() for p in urlsplit(str(url)).path.split("/")]
    return "opinion" if any(p in _OPINION_SECTIONS for p in parts[:-1]) else None


def read_items(sources: Iterable[str], options: Options) -> tuple[list[RawItem], list[InputError]]:
    """Every raw item the sources hold (files, records, feed items, fetched pages), in order."""
    items: list[RawItem] = []
    errors: list[InputError] = []
    for produced in expand_sources(list(sources), options):
        if isinstance(produced, StorylensError):
            errors.append(InputError(source=produced.source, code=produced.code, message=produced.reason))
        else:
            items.append(produced)
    return items, errors


def batch_lines_of(items: Iterable[RawItem], options: Options) -> dict[str, int]:
    """How many pasted texts of the batch carry each short line (boilerplate evidence).

    Counts of two parts of a batch add up to the counts of the whole batch.
    """
    too_long = _RAW_TEXT_FACTOR * options.max_chars
    return batch_line_counts(normalize(i.content).text for i in items
                             if i.kind == "text" and len(i.content) <= too_long)


def add_line_counts(total: dict[str, int], part: dict[str, int]) -> dict[str, int]:
    for key, n in part.items():
        total[key] = total.get(key, 0) + n
    return total


def build_documents(
    items: Iterable[RawItem], batch_lines: dict[str, int], options: Options
) -> tuple[list[Document], list[InputError]]:
    """A document per item (duplicates kept); a bad item becomes an error, the rest go on."""
    documents: list[Document] = []
    errors: list[InputError] = []
    for item in items:
        if options.outlet:
            item.meta.setdefault("default_outlet", options.outlet)
        try:
            documents.append(build_document(item, batch_lines, options.max_chars))
        except StorylensError as err:
            errors.append(InputError(source=err.source, code=err.code, message=err.reason))
        except Exception as exc:  # isolation: one document's unexpected failure must not stop the batch
            log.debug("unexpected error while reading %s", item.source, exc_info=True)
            unexpected = StorylensError("SL099", item.source, type(exc).__name__)
            errors.append(InputError(source=unexpected.source, code=unexpected.code, message=unexpected.reason))
    return documents, errors


def latest_year(docs: Iterable[Document]) -> int | None:
    """The year of the batch's latest dated article (what a year-less byline date takes)."""
    years = [int(d.published[:4]) for d in docs if d.published and d.published[:4].isdigit()]
    return max(years) if years else None


def fill_year(docs: Iterable[Document], year: int | None) -> None:
    """A byline date without a year takes ``year`` (the batch's latest, see ``latest_year``)."""
    if year is None:
        return
    for doc in docs:
        if doc.published and doc.published.startswith("--"):
            doc.published = f"{year:04d}{doc.published[1:]}"
            doc.published_source = "batch"


def ingest(sources: Iterable[str], options: Options | None = None) -> IngestResult:
    """Read, clean and deduplicate the sources: the phases above, over one batch."""
    options = options or Options()
    result = IngestResult()
    items, result.errors = read_items(sources, options)
    documents, errors = build_documents(items, batch_lines_of(items, options), options)
    result.errors += errors
    result.documents, result.exact_duplicates = finish_batch(documents)
    return result


def finish_batch(documents: Iterable[Document]) -> tuple[list[Document], list[dict[str, str]]]:
    """The batch's documents without repeated texts (each repeat noted beside the first),
    year-less bylines given the batch's latest year."""
    unique: list[Document] = []
    duplicates: list[dict[str, str]] = []
    seen: set[str] = set()
    for doc in documents:
        if doc.id in seen:
            duplicates.append({"source": doc.source, "same_as": doc.id})
            continue
        seen.add(doc.id)
        unique.append(doc)
    fill_year(unique, latest_year(unique))
    return unique, duplicates
