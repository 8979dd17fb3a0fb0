"""Property-based tests (hypothesis) for every input format: whatever the bytes, ingest
returns documents and named errors, never raises, and what it returns is safe to analyse
and to show (issue 13).
"""

from __future__ import annotations

import gzip
import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storylens.errors import CATALOGUE
from storylens.ingest import IngestResult, ingest
from storylens.ingest import fetch as fetch_module
from storylens.options import Options

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTIONS = Options(max_chars=20_000, max_records=20, max_bytes=200_000)

words = st.sampled_from(["the", "council", "voted", "on", "Tuesday", "harbour", "bridge", "said", "212",
                         "<b>", "</p>", "&amp;", "\u2028", "\x00", "\x1b[2J", "\ud800", "é", "“", "|", "*"])
texts = st.one_of(st.text(max_size=400), st.lists(words, max_size=200).map(" ".join))
raw_bytes = st.binary(max_size=2_000)


def check(result: IngestResult, source: str) -> None:
    for error in result.errors:
        assert error.code in CATALOGUE
        assert error.message.startswith(CATALOGUE[error.code])
        assert error.source.startswith(source)
    for doc in result.documents:
        assert doc.source.startswith(source)
        assert len(doc.text) <= OPTIONS.max_chars
        assert len(doc.text.split()) >= 5
        doc.model_dump_json().encode("utf-8")  # no lone surrogate anywhere
        for value in (doc.text, doc.title or "", doc.author or "", doc.outlet or "", doc.published or ""):
            assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value), value
        if doc.published:
            assert doc.published[:1].isdigit() or doc.published.startswith("--")


def run_file(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        check(ingest([str(path)], OPTIONS), str(path))


@SETTINGS
@given(text=texts, encoding=st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1", "cp1252"]))
def test_text_files(text: str, encoding: str) -> None:
    run_file("a.txt", text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace"))


@SETTINGS
@given(data=raw_bytes)
def test_arbitrary_bytes_as_any_format(data: bytes) -> None:
    for name in ("a.txt", "a.html", "a.jsonl", "a.rss", "a.warc", "a.txt.gz"):
        run_file(name, data)


@SETTINGS
@given(parts=st.lists(st.tuples(st.sampled_from(["p", "div", "h1", "script", "nav", "b", "table"]), texts),
                      max_size=12))
def test_html_pages(parts: list[tuple[str, str]]) -> None:
    body = "".join(f"<{tag}>{text}</{tag}>" for tag, text in parts)
    run_file("a.html", f"<html><head><title>T</title></head><body>{body}</body></html>".encode("utf-8", "surrogatepass"))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)
records = st.fixed_dictionaries({}, optional={
    "text": texts, "html": texts, "title": texts, "author": texts, "url": texts, "outlet": texts,
    "published": st.one_of(texts, st.sampled_from(["2031-13-45", "0001-01-01", "9999-12-31T23:59", "2031-02-29"])),
    "extra": json_values,
})


@SETTINGS
@given(lines=st.lists(st.one_of(records.map(json.dumps), json_values.map(json.dumps), texts), max_size=30))
def test_jsonl_files(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    run_file("a.jsonl", data)
    run_file("b.jsonl.gz", gzip.compress(data))


@SETTINGS
@given(items=st.lists(st.tuples(texts, texts, st.sampled_from(["", "Fri, 31 Dec 9999 23:59:59 GMT",
                                                                 "Mon, 01 Jan 2031 10:00:00 GMT", "garbage"])),
                      max_size=25),
       prolog=st.sampled_from(["", "<!-- " + "x" * 3000 + " -->", "<!DOCTYPE rss>"]))
def test_feeds(items: list[tuple[str, str, str]], prolog: str) -> None:
    from xml.sax.saxutils import escape

    body = "".join(f"<item><title>{escape(t)}</title><pubDate>{d}</pubDate><description>{escape(x)}</description>"
                   f"</item>" for t, x, d in items)
    feed = f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel><title>G</title>{body}</channel></rss>'
    run_file("a.rss", feed.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(records_=st.lists(st.tuples(texts, st.integers(-50, 50), st.sampled_from(["text/html", "text/plain",
                                                                                 "image/png"])), max_size=8),
       cut=st.integers(0, 200))
def test_warc_files(records_: list[tuple[str, int, str]], cut: int) -> None:
    out = b""
    for i, (text, skew, ctype) in enumerate(records_):
        block = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n<p>{text}</p>".encode("utf-8", "surrogatepass")
        out += (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{i:032d}>\r\n"
                f"WARC-Target-URI: https://w.example/{i}\r\nContent-Length: {max(0, len(block) + skew)}\r\n\r\n"
                ).encode() + block + b"\r\n\r\n"
    run_file("a.warc", out[: len(out) - cut] if cut < len(out) else out)
    run_file("b.warc.gz", gzip.compress(out))


@SETTINGS
@given(url=st.one_of(st.text(max_size=60).map(lambda s: "http://" + s), st.from_regex(
    r"https?://[a-z0-9.\[\]:%@-]{0,30}(:[0-9a-z]{0,7})?(/[^\s]{0,20})?", fullmatch=True)))
def test_urls_are_refused_or_fail_by_name(url: str) -> None:
    def unreachable(host: str, port: int) -> list[str]:
        raise OSError("lookups are off in this test")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fetch_module, "resolve_host", unreachable)
        result = ingest([url], Options(fetch=True, timeout=1))
    assert result.documents == []
    assert len(result.errors) == 1
    assert result.errors[0].code in CATALOGUE
