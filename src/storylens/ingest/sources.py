"""Expand what the user gave (paths, directories, URLs) into raw articles.

Every failure is yielded as a ``StorylensError`` naming its input, so one bad
file never stops the batch.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from storylens.errors import StorylensError
from storylens.ingest.decode import decode_bytes
from storylens.ingest.fetch import fetch_url
from storylens.options import Options

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


def _read_file(path: Path, options: Options) -> bytes:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise StorylensError("SL005", source, f"{size} bytes > {options.max_bytes}")
        with path.open("rb") as fh:
            data = fh.read(options.max_bytes + 1)
        if len(data) > options.max_bytes:  # grew while we read it
            raise StorylensError("SL005", source, f"more than {options.max_bytes} bytes")
    except PermissionError as exc:
        raise StorylensError("SL017", source) from exc
    except FileNotFoundError as exc:
        raise StorylensError("SL001", source) from exc
    except IsADirectoryError as exc:
        raise StorylensError("SL011", source, "is a directory") from exc
    except OSError as exc:
        raise StorylensError("SL001", source, exc.strerror) from exc
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise StorylensError("SL003", source, "broken gzip") from exc
    return data


def _sniff(text: str) -> str:
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<?xml", "<rss", "<feed")) and ("<rss" in head or "<feed" in head or "<rdf:rdf" in head):
        return "feed"
    if head.startswith("<") and ("<html" in head or "<body" in head or "<!doctype html" in head
                                 or "<p>" in head or "<div" in head):
        return "html"
    return "text"


def _jsonl(text: str, source: str, max_bytes: int) -> Iterator[Produced]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        size = len(line.encode("utf-8", errors="replace"))
        if size > max_bytes:
            yield StorylensError("SL005", where, f"{size} bytes > {max_bytes}")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield StorylensError("SL007", where, exc.msg)
            continue
        if not isinstance(record, dict):
            yield StorylensError("SL007", where, "not a JSON object")
            continue
        meta = {k: record[k] for k in ("url", "title", "author", "published", "outlet")
                if isinstance(record.get(k), str) and record[k].strip()}
        if isinstance(record.get("html"), str) and record["html"].strip():
            yield RawItem(where, "html", record["html"], meta)
        elif isinstance(record.get("text"), str) and record["text"].strip():
            yield RawItem(where, "text", record["text"], meta)
        else:
            yield StorylensError("SL007", where, "no 'text' or 'html' field")


def _feed(text: str, source: str) -> Iterator[Produced]:
    import feedparser

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
        yield RawItem(where, "html" if "<" in body else "text", body, meta)


def _warc(data: bytes, source: str, max_bytes: int) -> Iterator[Produced]:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers
                     else record.rec_headers.get_header("Content-Type")) or ""
            if "html" not in ctype and "text" not in ctype:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{source}#{url or count}"
            count += 1
            raw = record.content_stream().read(max_bytes + 1)
            if len(raw) > max_bytes:  # the size limit applies per record, not per archive
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
    except Exception as exc:  # warcio raises assorted errors (even AttributeError) on damaged archives
        yield StorylensError("SL013", source, str(exc).splitlines()[0] if str(exc) else None)
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
        yield from _feed(text, url)
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
    if suffix in JSONL_EXT:
        # the size limit applies per record, not per file
        try:
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(path, "rb") as fh:
                raw = fh.read()
        except PermissionError:
            yield StorylensError("SL017", source)
            return
        except (gzip.BadGzipFile, EOFError):
            yield StorylensError("SL003", source, "broken gzip")
            return
        except OSError as exc:
            yield StorylensError("SL001", source, exc.strerror or str(exc))
            return
        try:
            text = decode_bytes(raw, source)
        except StorylensError as err:
            yield err
            return
        yield from _jsonl(text, source, options.max_bytes)
        return
    if suffix == ".warc":
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield StorylensError("SL001", source, str(exc))
            return
        if not data:
            yield StorylensError("SL002", source)
            return
        yield from _warc(data, source, options.max_bytes)
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
        yield from _feed(text, source)
    else:
        yield RawItem(source, "html" if kind == "html" else "text", text, {})


def _walk(directory: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                found.append(Path(root) / name)
    return found


def expand_sources(sources: list[str], options: Options) -> Iterator[Produced]:
    for source in sources:
        if is_url(source):
            yield from _from_url(source, options)
            continue
        if _OTHER_SCHEME.match(source.strip()):
            yield StorylensError("SL016", source)
            continue
        path = Path(source)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # e.g. a name too long for the file system
            yield StorylensError("SL001", source, exc.strerror)
            continue
        if is_dir:
            files = [p for p in _walk(path) if _suffix(p) in TEXT_EXT | HTML_EXT | FEED_EXT | JSONL_EXT | WARC_EXT]
            if not files:
                yield StorylensError("SL010", source)
                continue
            produced_any = False
            for file in files:
                for item in _from_file(file, options):
                    produced_any = produced_any or isinstance(item, RawItem)
                    yield item
            if not produced_any:
                yield StorylensError("SL010", source)
        elif exists:
            yield from _from_file(path, options)
        else:
            yield StorylensError("SL001", source)
