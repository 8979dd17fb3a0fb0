"""Expand what the user gave (paths, directories, URLs) into raw articles.

Every failure is yielded as a ``StorylensError`` naming its input, so one bad
file never stops the batch.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from storylens.errors import StorylensError
from storylens.ingest.decode import decode_bytes
from storylens.ingest.fetch import fetch_url
from storylens.ingest.normalize import clean_field
from storylens.ingest.warc import WarcFormatError, iter_warc
from storylens.options import Options

log = logging.getLogger("storylens")

#: a compressed JSONL or WARC file may expand at most this many times (a bomb expands
#: by hundreds or thousands; text and HTML by about 3 to 15)
MAX_EXPANSION = 100
#: ... but this much is always allowed, whatever the ratio (small files of repeated records)
_EXPANSION_FLOOR = 1024 * 1024

TEXT_EXT = {".txt", ".md", ".text", ".markdown"}
HTML_EXT = {".html", ".htm", ".xhtml"}
FEED_EXT = {".rss", ".atom", ".xml"}
JSONL_EXT = {".jsonl", ".ndjson"}
WARC_EXT = {".warc", ".arc"}
_URL = re.compile(r"^https?://\S+$", re.I)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


@dataclass
class RawItem:
    source: str
    kind: Literal["text", "html"]
    content: str
    meta: dict[str, Any] = field(default_factory=dict)


Produced = RawItem | StorylensError


def is_url(source: str) -> bool:
    return bool(_URL.match(source.strip()))


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith(".warc") or name.endswith(".arc"):
        return ".warc"
    return Path(name).suffix


def _check_regular(path: Path) -> None:
    """Refuse pipes, sockets and devices: reading them can block or never end."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        raise StorylensError("SL001", str(path)) from exc
    except PermissionError as exc:
        raise StorylensError("SL017", str(path)) from exc
    except OSError as exc:
        raise StorylensError("SL001", str(path), exc.strerror) from exc
    if stat.S_ISDIR(mode):
        raise StorylensError("SL011", str(path), "is a directory")
    if not stat.S_ISREG(mode):
        raise StorylensError("SL011", str(path), "not a regular file")


class _Counted(io.RawIOBase):
    """A file read through gzip (when compressed), counting what comes out.

    Raises SL032 as soon as the decompressed bytes pass ``limit`` or (for archives)
    ``MAX_EXPANSION`` times the compressed bytes read so far; nothing beyond the
    limit is ever held in memory.
    """

    def __init__(self, path: Path, limit: int, ratio: bool) -> None:
        self.source = str(path)
        self._raw = path.open("rb")
        self._compressed = path.name.lower().endswith(".gz")
        self._inner: IO[bytes] = gzip.GzipFile(fileobj=self._raw) if self._compressed else self._raw  # type: ignore[assignment]
        self._limit = limit
        self._ratio = ratio and self._compressed
        self.total = 0

    def readable(self) -> bool:
        return True

    def _count(self, data: bytes) -> bytes:
        self.total += len(data)
        if self.total > self._limit:
            code = "SL032" if self._compressed else "SL005"
            raise StorylensError(code, self.source, f"more than {self._limit} bytes")
        if self._ratio and self.total > _EXPANSION_FLOOR and self.total > MAX_EXPANSION * self._raw.tell():
            raise StorylensError("SL032", self.source, f"expands more than {MAX_EXPANSION} times")
        return data

    def read(self, n: int = -1) -> bytes:
        try:
            return self._count(self._inner.read(n))
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise StorylensError("SL003", self.source, "broken gzip") from exc

    def readline(self, limit: int | None = -1) -> bytes:
        try:
            return self._count(self._inner.readline(-1 if limit is None else limit))
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise StorylensError("SL003", self.source, "broken gzip") from exc

    def close(self) -> None:
        self._inner.close()
        self._raw.close()
        super().close()


def _open_counted(path: Path, limit: int, ratio: bool = False) -> _Counted:
    source = str(path)
    try:
        return _Counted(path, limit, ratio)
    except PermissionError as exc:
        raise StorylensError("SL017", source) from exc
    except FileNotFoundError as exc:
        raise StorylensError("SL001", source) from exc
    except IsADirectoryError as exc:
        raise StorylensError("SL011", source, "is a directory") from exc
    except OSError as exc:
        raise StorylensError("SL001", source, exc.strerror) from exc


def _read_file(path: Path, options: Options) -> bytes:
    """The whole file, decompressed, refused once it passes ``max_bytes`` (counted while reading)."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise StorylensError("SL001", source, exc.strerror) from exc
    if size > options.max_bytes:
        raise StorylensError("SL005", source, f"{size} bytes > {options.max_bytes}")
    reader = _open_counted(path, options.max_bytes)
    try:
        chunks = []
        while chunk := reader.read(1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise StorylensError("SL001", source, exc.strerror) from exc
    finally:
        reader.close()


#: what may come before an XML root element: declaration, comments, processing instructions, doctype
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S | re.I)
_FEED_ROOT = re.compile(r"<(?:[\w.-]+:)?(?:rss|feed|rdf)\b", re.I)


def _sniff(text: str) -> str:
    # the prolog may be long (licence comments): the root is found after it, wherever it starts
    prolog = _PROLOG.match(text, 0, min(len(text), 1 << 20))
    root = prolog.end() if prolog else 0
    if _FEED_ROOT.match(text, root):
        return "feed"
    head = text.lstrip()[:2000].lower()
    if head.startswith("<") and ("<html" in head or "<body" in head or "<!doctype html" in head
                                 or "<p>" in head or "<div" in head):
        return "html"
    return "text"


_SURROGATE = re.compile("[\ud800-\udfff]")
_META_KEYS = ("url", "title", "author", "published", "outlet")


def _field(value: Any) -> str | None:
    """A JSON string field, lone surrogates replaced (they cannot be encoded as UTF-8)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _SURROGATE.sub("\ufffd", value)


def _jsonl_record(line: bytes, where: str) -> Produced:
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return StorylensError("SL007", where, f"not UTF-8 (byte {exc.start})")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return StorylensError("SL007", where, exc.msg)
    except RecursionError:
        return StorylensError("SL035", where)
    if not isinstance(record, dict):
        return StorylensError("SL007", where, "not a JSON object")
    meta = {k: v for k in _META_KEYS if (v := _field(record.get(k)))}
    if html := _field(record.get("html")):
        return RawItem(where, "html", html, meta)
    if body := _field(record.get("text")):
        return RawItem(where, "text", body, meta)
    return StorylensError("SL007", where, "no 'text' or 'html' field")


def _jsonl(reader: _Counted, source: str, options: Options) -> Iterator[Produced]:
    """One record per line, read as a stream: each line on its own (a bad line, even one
    with a NUL or broken UTF-8, costs only that line), only line feeds end a line (U+2028
    is text), a line over ``max_bytes`` is skipped while it is read, never held."""
    max_bytes = options.max_bytes
    records = 0
    lineno = 0
    while True:
        line = reader.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        where = f"{source}:{lineno}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):
                line = reader.readline(1 << 20)
                size += len(line)
            yield StorylensError("SL005", where, f"{size} bytes > {max_bytes}")
            continue
        if not line.strip():
            continue
        if records >= options.max_records:
            yield StorylensError("SL031", source, f"{options.max_records} records read, the rest skipped")
            return
        records += 1
        yield _jsonl_record(line, where)


#: a feed entry body with fewer words than this is an HTML fragment (a teaser, a
#: description), not a page: its text is taken as it is, not through page extraction
_FRAGMENT_WORDS = 150


def _fragment_text(html: str) -> str:
    from lxml import html as lxml_html

    from storylens.ingest.html import visible_text

    try:
        tree = lxml_html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises assorted errors on broken markup
        return ""
    return visible_text(tree, in_place=True)


#: what the entry scan looks at: CDATA and comments (skipped whole, an "<item>" inside one
#: is text) and the tags of RSS items and Atom entries, with or without a namespace prefix
_ENTRY_MARKUP = re.compile(
    r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<(?P<close>/?)(?:[\w.-]+:)?(?P<tag>item|entry)\b[^<>]*?(?P<empty>/?)>",
    re.S | re.I,
)


def first_entries(text: str, limit: int) -> tuple[str, bool]:
    """The feed cut after its ``limit``-th entry (what follows the last entry, the closing
    tags, is kept), and whether anything was cut.

    A scan of the tags, building nothing: the feed parser then reads at most ``limit``
    entries, so a feed of a million items costs what one of ``limit`` does.
    """
    depth = closed = 0
    cut = last = -1
    for m in _ENTRY_MARKUP.finditer(text):
        if not m.group("tag"):
            continue  # CDATA or a comment
        if m.group("close"):
            depth = max(0, depth - 1)
        elif not m.group("empty"):
            depth += 1
            continue
        if depth == 0:
            closed += 1
            last = m.end()
            if closed == limit:
                cut = m.end()
    if cut < 0 or cut == last:
        return text, False
    return text[:cut] + text[last:], True


def _feed(text: str, source: str, options: Options) -> Iterator[Produced]:
    import feedparser

    text, cut = first_entries(text, options.max_records)
    try:
        parsed = feedparser.parse(text)
    except Exception as exc:  # feedparser can raise on hostile markup (e.g. surrogate char refs)
        yield StorylensError("SL012", source, type(exc).__name__)
        return
    if parsed.bozo and not parsed.entries:
        yield StorylensError("SL012", source, str(getattr(parsed, "bozo_exception", "")))
        return
    if not parsed.entries:
        yield StorylensError("SL012", source, "no entries")
        return
    site = parsed.feed.get("title") if hasattr(parsed, "feed") else None
    for i, entry in enumerate(parsed.entries, 1):
        if i > options.max_records:
            break
        body = ""
        if entry.get("content"):
            body = " ".join(c.get("value") or "" for c in entry["content"])
        body = body or entry.get("summary") or ""
        meta: dict[str, Any] = {"url": entry.get("link"), "title": entry.get("title"),
                                "author": entry.get("author"), "outlet": site}
        if entry.get("published_parsed") or entry.get("updated_parsed"):
            t = entry.get("published_parsed") or entry.get("updated_parsed")
            meta["published"] = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}"
        meta = {k: v for k, v in meta.items() if v}
        where = f"{source}#{i}"
        if not body.strip():
            yield StorylensError("SL006", where, "feed entry has no content")
            continue
        if "<" not in body:
            yield RawItem(where, "text", body, meta)
            continue
        fragment = _fragment_text(body)
        if len(fragment.split()) < _FRAGMENT_WORDS and "<html" not in body[:2000].lower():
            yield RawItem(where, "text", fragment, meta) if fragment.strip() else \
                StorylensError("SL006", where, "feed entry has no text")
        else:
            yield RawItem(where, "html", body, meta)
    if cut or len(parsed.entries) > options.max_records:
        yield StorylensError("SL031", source, f"{options.max_records} records read, the rest skipped")


def _warc(reader: _Counted, source: str, options: Options) -> Iterator[Produced]:
    from warcio.archiveiterator import ArchiveIterator

    max_bytes = options.max_bytes
    count = 0
    records = 0
    try:
        for chunk in iter_warc(reader, max_bytes):  # type: ignore[arg-type]  # a readable binary stream
            rec_type = (chunk.header(b"WARC-Type") or b"").decode("latin-1").strip().lower()
            url = clean_field((chunk.header(b"WARC-Target-URI") or b"").decode("utf-8", "replace"))
            where = f"{source}#{url or count}"
            if chunk.problem:
                yield StorylensError("SL034", where, chunk.problem)
            if rec_type not in ("response", "resource"):
                continue
            records += 1
            if records > options.max_records:
                yield StorylensError("SL031", source, f"{options.max_records} records read, the rest skipped")
                return
            if chunk.block is None:
                count += 1  # named by its own error: "no HTML records" would be wrong
                yield StorylensError("SL005", where, f"more than {max_bytes} bytes")
                continue
            try:
                record = next(iter(ArchiveIterator(io.BytesIO(chunk.as_record()))))
            except Exception as exc:  # warcio raises assorted errors on a damaged record
                yield StorylensError("SL013", where, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers
                     else record.rec_headers.get_header("Content-Type")) or ""
            if "html" not in ctype and "text" not in ctype:
                continue
            count += 1
            raw = record.content_stream().read(max_bytes + 1)
            if len(raw) > max_bytes:  # the size limit applies per record (decoded), not per archive
                yield StorylensError("SL005", where, f"more than {max_bytes} bytes")
                continue
            try:
                body = decode_bytes(raw, where)
            except StorylensError as err:
                yield err
                continue
            meta = {"url": url} if url else {}
            warc_date = record.rec_headers.get_header("WARC-Date")
            if warc_date:
                meta["crawled"] = warc_date
            yield RawItem(where, "html" if "html" in ctype else "text", body, meta)
    except StorylensError as err:
        yield err
        return
    except (WarcFormatError, OSError, EOFError, zlib.error) as exc:
        yield StorylensError("SL013", source, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return
    if count == 0:
        yield StorylensError("SL013", source, "no HTML or text records")


def _from_url(url: str, options: Options) -> Iterator[Produced]:
    if not options.fetch:
        yield StorylensError("SL011", url, "a URL; pass --fetch to download it")
        return
    try:
        body, ctype, final = fetch_url(url, options)
        text = decode_bytes(body, url)
    except StorylensError as err:
        yield err
        return
    kind = "feed" if ("xml" in ctype or "rss" in ctype or "atom" in ctype) and _sniff(text) == "feed" else _sniff(text)
    if "html" in ctype:
        kind = "html"
    if kind == "feed":
        yield from _feed(text, url, options)
    else:
        yield RawItem(url, "html" if kind == "html" else "text", text, {"url": final})


def _from_file(path: Path, options: Options) -> Iterator[Produced]:
    source = str(path)
    suffix = _suffix(path)
    try:
        _check_regular(path)
    except StorylensError as err:
        yield err
        return
    if suffix in JSONL_EXT or suffix == ".warc":
        # JSONL and WARC hold many articles: they are streamed, the size limit applies per
        # record, and a compressed one may expand at most MAX_EXPANSION times
        reader = None
        try:
            reader = _open_counted(path, limit=2**62, ratio=True)
            produced = False
            for item in (_jsonl if suffix in JSONL_EXT else _warc)(reader, source, options):
                produced = True
                yield item
            if not produced:
                yield StorylensError("SL002", source)
        except StorylensError as err:
            yield err
        except OSError as exc:
            yield StorylensError("SL001", source, exc.strerror or str(exc))
        finally:
            if reader is not None:
                reader.close()
        return
    try:
        data = _read_file(path, options)
        text = decode_bytes(data, source)
    except StorylensError as err:
        yield err
        return
    kind = _sniff(text)
    if suffix in HTML_EXT:
        kind = "html" if kind != "feed" else kind
    elif suffix in FEED_EXT and kind == "feed":
        kind = "feed"
    elif suffix in TEXT_EXT:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if lines and all(is_url(ln) for ln in lines):
            for ln in lines:
                yield from _from_url(ln, options)
            return
        kind = "text"
    if kind == "feed":
        yield from _feed(text, source, options)
        return
    meta: dict[str, Any] = {}
    try:
        meta = read_sidecar(path)
    except StorylensError as err:
        yield err  # the article is still read, without the metadata
    yield RawItem(source, "html" if kind == "html" else "text", text, meta)


SIDECAR_KEYS = ("url", "title", "author", "published", "outlet")


def sidecar_path(path: Path) -> Path:
    """``article.txt`` -> ``article.meta.json`` (metadata for a pasted article)."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return path.with_name(stem + ".meta.json")


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata in the sidecar file beside ``path`` ({} when there is none)."""
    side = sidecar_path(path)
    try:
        if not side.is_file():
            return {}
        raw = side.read_bytes()[:65536]
        record = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StorylensError("SL040", str(side), type(exc).__name__) from exc
    if not isinstance(record, dict):
        raise StorylensError("SL040", str(side), "not a JSON object")
    return {k: str(record[k]) for k in SIDECAR_KEYS if isinstance(record.get(k), (str, int, float)) and str(record[k]).strip()}


def _walk(directory: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                found.append(Path(root) / name)
    return found


def _guarded(source: str, produce: Iterator[Produced]) -> Iterator[Produced]:
    """Whatever goes wrong inside one input becomes an error for that input; the batch goes on."""
    try:
        yield from produce
    except StorylensError as err:
        yield err
    except Exception as exc:  # isolation: one input's unexpected failure must not stop the others
        log.debug("unexpected error while reading %s", source, exc_info=True)
        yield StorylensError("SL099", source, type(exc).__name__)


STDIN = "-"


def _from_stdin(options: Options) -> Iterator[Produced]:
    """``-``: one article (text or HTML) or a feed read from standard input."""
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        yield StorylensError("SL001", "<stdin>", "no standard input")
        return
    try:
        data = stream.read(options.max_bytes + 1)
    except OSError as exc:
        yield StorylensError("SL001", "<stdin>", exc.strerror)
        return
    if len(data) > options.max_bytes:
        yield StorylensError("SL005", "<stdin>", f"more than {options.max_bytes} bytes")
        return
    if not data.strip():
        yield StorylensError("SL002", "<stdin>")
        return
    try:
        text = decode_bytes(data, "<stdin>")
    except StorylensError as err:
        yield err
        return
    kind = _sniff(text)
    if kind == "feed":
        yield from _feed(text, "<stdin>", options)
    else:
        yield RawItem("<stdin>", "html" if kind == "html" else "text", text, {})


def expand_sources(sources: list[str], options: Options) -> Iterator[Produced]:
    for source in sources:
        yield from _guarded(source, _expand_one(source, options))


def _expand_one(source: str, options: Options) -> Iterator[Produced]:
    if source == STDIN:
        yield from _from_stdin(options)
        return
    if is_url(source):
        yield from _from_url(source, options)
        return
    if _OTHER_SCHEME.match(source.strip()):
        yield StorylensError("SL016", source)
        return
    path = Path(source)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # e.g. a name too long for the file system
        yield StorylensError("SL001", source, exc.strerror)
        return
    if is_dir:
        files = [p for p in _walk(path) if _suffix(p) in TEXT_EXT | HTML_EXT | FEED_EXT | JSONL_EXT | WARC_EXT]
        if not files:
            yield StorylensError("SL010", source)
            return
        produced_any = False
        for file in files:
            for item in _guarded(str(file), _from_file(file, options)):
                produced_any = produced_any or isinstance(item, RawItem)
                yield item
        if not produced_any:
            yield StorylensError("SL010", source)
    elif exists:
        yield from _from_file(path, options)
    else:
        yield StorylensError("SL001", source)
