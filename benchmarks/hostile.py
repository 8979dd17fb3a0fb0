"""The hostile-input corpus: named files and loopback servers that try to crash, stall or
exhaust storylens, each analysed beside one good article.

Every case states what a correct run looks like: which error codes may name its input
(or that it is analysed cleanly), how many of its documents must still come through, and
the common checks: no traceback, an answer before the time limit, every stderr line a
catalogue line or a known status line, no raw control character on stderr, the good
article analysed, and (in its own process) peak memory under ``RSS_BOUND_MB``.

    python -m benchmarks.hostile --scale full        # make fuzz: every case, full sizes,
                                                     # one process each -> results/hostile.md
    python -m benchmarks.hostile --scale small --case gz_text_bomb   # one case

``make test`` runs the same cases at small sizes (tests/hostile/test_hostile_corpus.py).
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import random
import re
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Scale = Literal["small", "full"]

#: peak resident memory allowed for any one case at default limits (issue 13 target)
RSS_BOUND_MB = 1536
#: a case that has not answered after this long is a "no answer" run
TIME_LIMIT_S = {"small": 120.0, "full": 600.0}
ERROR_LINE = re.compile(r"^(?P<source>.+): error (?P<code>SL\d{3}): (?P<reason>.+)$")
STATUS_LINES = ("error: no document could be analysed", "wrote ")
OK = "ok"  # in Case.outcomes: the input is analysed without an error

GOOD_TEXT = (
    "Harbour Bridge Closes for Repairs\n\n"
    "The city council voted on Tuesday to close the old harbour bridge for six months of repairs, "
    "officials said.\n\n"
    "Engineers found cracks in two of the main supports during an inspection in March, according to "
    "the council's report.\n\n"
    "Mayor Lena Ortiz said ferries would run every twenty minutes while the bridge is closed and that "
    "the repairs would cost about 4 million euros.\n"
)
GOOD_NAME = "good_article.txt"


def article(i: int, words: int = 60) -> str:
    """A distinct, plausible short article (no two alike, so none is an exact duplicate)."""
    rng = random.Random(i)
    towns = ["Port Kessel", "Varden", "Lindholm", "Brasov", "Tarn", "Eastmere", "Oskar", "Halden"]
    verbs = ["approved", "rejected", "postponed", "debated", "announced", "funded"]
    things = ["a new school", "the tram line", "a flood barrier", "the market hall", "a bike lane",
              "the harbour dredging", "a youth centre", "street lighting"]
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(f"The council of {rng.choice(towns)} {rng.choice(verbs)} {rng.choice(things)} "
                         f"at a cost of {rng.randint(2, 900)} thousand euros on day {rng.randint(1, 28)}, "
                         f"item {i}-{len(sentences)} of the agenda said.")
    return f"Council item {i}\n\n" + "\n\n".join(sentences) + "\n"


def paragraphs_html(text: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    return f"<!doctype html><html><head><title>Item</title></head><body><article>{body}</article></body></html>"


def pick(scale: Scale, small: int, full: int) -> int:
    return small if scale == "small" else full


# --------------------------------------------------------------------------- writers


def gzip_repeated(path: Path, unit: bytes, total: int, head: bytes = b"") -> None:
    """A gzip file that expands to ``head`` + ``total`` bytes of ``unit`` repeated: one member
    compressed once and written again and again (a 4 GiB bomb in seconds)."""
    block = unit * max(1, (8 << 20) // len(unit))
    member = gzip.compress(block, 9)
    with path.open("wb") as fh:
        if head:
            fh.write(gzip.compress(head, 9))
        for _ in range(max(1, total // len(block))):
            fh.write(member)


def warc_record(url: str, body: bytes, declared: int | None = None, ctype: str = "text/html") -> bytes:
    http_block = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n".encode() + body
    length = len(http_block) if declared is None else declared
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{abs(hash(url)):032x}>\r\n"
            f"WARC-Target-URI: {url}\r\nWARC-Date: 2031-03-04T10:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n")
    return head.encode() + http_block + b"\r\n\r\n"


def rss(items: Iterator[str] | list[str], prolog: str = "") -> str:
    return (f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel><title>Gazette</title>'
            + "".join(items) + "</channel></rss>")


def rss_item(i: int, body: str, extra: str = "") -> str:
    return (f"<item><title>Item {i}</title><link>https://gazette.example/{i}</link>{extra}"
            f"<description><![CDATA[{body}]]></description></item>")


# --------------------------------------------------------------------------- servers


class _Hostile(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        try:
            if self.path == "/dribble":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(6000):  # ten minutes if nobody stops it
                    self.wfile.write(b"<p>more</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            elif self.path == "/endless":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + b"endless words " * 4096 + b"</p>"
                while True:
                    self.wfile.write(chunk)
            elif self.path == "/silent":
                time.sleep(600)
            elif self.path == "/lying-length":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(10 << 30))
                self.end_headers()
                self.wfile.write(b"<p>short</p>")
                time.sleep(600)
            elif self.path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    block_on_close = False


@contextmanager
def hostile_servers() -> Iterator[str]:
    """A loopback HTTP server with the hostile routes; yields its base URL."""
    server = _Server(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- cases


Builder = Callable[[Path, Scale, str], list[str]]


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    what: str
    build: Builder
    #: error codes that may name this case's inputs, and/or OK (analysed without error)
    outcomes: frozenset[str]
    #: documents from this case that must be in the report
    analysed: int = 0
    args: tuple[str, ...] = ()
    #: extra arguments at full scale only (e.g. a larger --max-mb for the 200 MB file)
    full_args: tuple[str, ...] = ()

    def cli_args(self, scale: Scale) -> list[str]:
        return [*self.args, *(self.full_args if scale == "full" else ())]


CASES: list[Case] = []


def case(name: str, category: str, what: str, outcomes: set[str], analysed: int = 0,
         args: tuple[str, ...] = (), full_args: tuple[str, ...] = ()) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        CASES.append(Case(name, category, what, build, frozenset(outcomes), analysed, args, full_args))
        return build
    return register


# bombs ------------------------------------------------------------------------------------

@case("gz_text_bomb", "bomb", ".txt.gz expanding to 64 MiB (full: 4 GiB)", {"SL032"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "bomb.txt.gz"
    gzip_repeated(path, b"all work and no play ", pick(scale, 64 << 20, 4 << 30))
    return [str(path)]


@case("gz_html_bomb", "bomb", ".html.gz expanding to 64 MiB (full: 1 GiB)", {"SL032"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "bomb.html.gz"
    gzip_repeated(path, b"<p>lol</p>", pick(scale, 64 << 20, 1 << 30), head=b"<html><body>")
    return [str(path)]


@case("gz_jsonl_blank_lines", "bomb", ".jsonl.gz: one record, then 64 MiB (full: 2 GiB) of blank lines",
      {"SL032"}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "blank.jsonl.gz"
    gzip_repeated(path, b"\n", pick(scale, 64 << 20, 2 << 30), head=json.dumps({"text": article(1)}).encode() + b"\n")
    return [str(path)]


@case("gz_jsonl_endless_line", "bomb", ".jsonl.gz: one JSON line of 64 MiB (full: 2 GiB)", {"SL005", "SL032"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "line.jsonl.gz"
    gzip_repeated(path, b"a", pick(scale, 64 << 20, 2 << 30), head=b'{"text": "')
    return [str(path)]


@case("gz_warc_bomb", "bomb", ".warc.gz: one record declaring 64 MiB (full: 1 GiB) of zeros", {"SL005", "SL032"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "bomb.warc.gz"
    size = pick(scale, 64 << 20, 1 << 30)
    head = warc_record("https://bomb.example/", b"", declared=size)[:-4]
    gzip_repeated(path, b"\x00", size, head=head)
    return [str(path)]


@case("xml_billion_laughs", "bomb", "RSS with nested entity definitions (billion laughs)", {"SL012", "SL006", OK})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "laughs.rss"
    ents = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'
                                              for i in range(1, 10))
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel><title>T</title>'
                    f"<item><title>&lol9;</title><description>{article(2)}</description></item></channel></rss>")
    return [str(path)]


# nesting ----------------------------------------------------------------------------------

@case("json_deep_array", "nesting", "JSONL record nested 100,000 (full: 10,000,000) arrays deep", {"SL035"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    n = pick(scale, 100_000, 10_000_000)
    path = d / "deep.jsonl"
    path.write_text("[" * n + "]" * n + "\n")
    return [str(path)]


@case("json_deep_object", "nesting", "JSONL record of objects nested 50,000 (full: 1,000,000) deep", {"SL035"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    n = pick(scale, 50_000, 1_000_000)
    path = d / "deep_object.jsonl"
    path.write_text('{"a":' * n + '"x"' + "}" * n + "\n")
    return [str(path)]


@case("html_deep_divs", "nesting", "HTML article inside 20,000 (full: 200,000) nested <div>s",
      {"SL006", "SL014", OK})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    n = pick(scale, 20_000, 200_000)
    path = d / "deep.html"
    path.write_text("<html><body>" + "<div>" * n + paragraphs_html(article(3)) + "</div>" * n + "</body></html>")
    return [str(path)]


# encoding ---------------------------------------------------------------------------------

@case("jsonl_lone_surrogates", "encoding", "JSONL fields with lone surrogate escapes", {OK}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "surrogates.jsonl"
    text = article(4).replace("\n", "\\n")
    path.write_text('{"text": "' + text + ' \\ud800 \\udfff", "title": "T\\ud83d", "author": "\\udc00"}\n')
    return [str(path)]


@case("jsonl_nul_and_bad_utf8", "encoding", "JSONL: a line with a raw NUL, one with broken UTF-8, one good",
      {"SL007"}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "mixed.jsonl"
    path.write_bytes(b'{"text": "nul \x00 here"}\n{"text": "bad \xff\xfe utf-8"}\n'
                     + json.dumps({"text": article(5)}).encode() + b"\n")
    return [str(path)]


@case("jsonl_line_separators", "encoding", "JSONL record with raw U+2028 and U+2029 inside", {OK}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "separators.jsonl"
    text = article(6).replace("\n\n", "\u2029", 1).replace("\n\n", "\u2028")
    path.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    return [str(path)]


@case("utf32_with_bom", "encoding", "UTF-32 text with BOM", {OK}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "utf32.txt"
    path.write_bytes(article(7).encode("utf-32"))
    return [str(path)]


@case("binary_tail", "encoding", "text followed by 1 MiB of random bytes", {"SL003"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "glued.txt"
    path.write_bytes(article(8).encode() * 40 + random.Random(8).randbytes(1 << 20))
    return [str(path)]


@case("late_nuls_and_escapes", "encoding", "NULs and ESC sequences after the first 8 KiB", {OK}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "late.txt"
    text = "\n\n".join(article(90 + k) for k in range(12))
    path.write_text(text[:9000] + "\x00\x1b[2J\x1b]52;c;aGk=\x07\x00" + text[9000:], encoding="utf-8")
    return [str(path)]


@case("control_chars_in_file_name", "encoding", "empty file whose name holds ESC, BEL and a bidi override",
      {"SL002"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "clear\x1b[2J\x1b]52;c;aGk=\x07\u202eevil.txt"
    path.write_bytes(b"")
    return [str(path)]


# dates ------------------------------------------------------------------------------------

@case("jsonl_impossible_dates", "dates", "records published in year 1, 9999, month 13, 30 February",
      {OK}, analysed=4)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "dates.jsonl"
    dates = ["0001-01-01", "9999-12-31T23:59:59Z", "2031-13-45", "2031-02-30"]
    path.write_text("".join(json.dumps({"text": article(20 + k), "published": v}) + "\n"
                            for k, v in enumerate(dates)))
    return [str(path)]


@case("text_extreme_dates", "dates", "article text citing 1 January 0001, 31 December 9999 and 31/12/9999",
      {OK}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "extreme_dates.txt"
    path.write_text("Published: December 31, 9999\n\n" + article(30) +
                    "\nThe archive starts on 1 January 0001 and runs to 31 December 9999, or 31/12/9999, "
                    "the clerk said on Monday.\n\nIn the year 9999 the vault will be opened, she said.\n")
    return [str(path)]


@case("rss_extreme_dates", "dates", "feed items dated year 9999 and year 1", {OK}, analysed=2)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "dates.rss"
    path.write_text(rss([rss_item(1, article(31), "<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate>"),
                         rss_item(2, article(32), "<pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate>")]))
    return [str(path)]


# huge lines and documents -----------------------------------------------------------------

@case("text_huge_line", "huge", "a 1.2 MB article on one line", {"SL030"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "one_line.txt"
    path.write_text(("The harbour board met again on Monday to discuss the ferry timetable. " * 17_000)[:1_200_000])
    return [str(path)]


@case("text_long_article", "huge", "a 300 KB article (50,000 words) with --max-chars 100000", {"SL030"},
      args=("--max-chars", "100000"))
def _(d: Path, scale: Scale, url: str) -> list[str]:
    from benchmarks.throughput_limits import long_article

    path = d / "long_article.txt"
    path.write_text(long_article(300_000), encoding="utf-8")
    return [str(path)]


@case("jsonl_huge_record", "huge", "a JSONL record of 2 MB of text", {"SL030"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "big_record.jsonl"
    path.write_text(json.dumps({"text": "\n\n".join(article(40 + k) for k in range(2_000_000 // 500))}) + "\n")
    return [str(path)]


@case("html_huge_body", "huge", "an HTML page with 1.5 MB of paragraphs", {"SL030"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "huge.html"
    path.write_text(paragraphs_html("\n\n".join(article(10_000 + k) for k in range(1_500_000 // 500))))
    return [str(path)]


@case("feed_huge_item", "huge", "a feed with one 1.5 MB item beside a normal one", {"SL030"}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "huge_item.rss"
    big = "".join(f"<p>{article(20_000 + k)}</p>" for k in range(1_500_000 // 500))
    path.write_text(rss([rss_item(1, big), rss_item(2, article(250))]))
    return [str(path)]


@case("html_many_paragraphs", "huge", "HTML page of 50,000 (full: 200,000) paragraphs", {"SL030"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "paragraphs.html"
    n = pick(scale, 50_000, 200_000)
    path.write_text("<html><body><article>" + "".join(f"<p>Paragraph {i} says the harbour opened.</p>"
                                                      for i in range(n)) + "</article></body></html>")
    return [str(path)]


@case("text_200mb", "huge", "a 20 MB (full: 200 MB, with --max-mb 300) text file", {"SL030"},
      args=("--max-mb", "30"), full_args=("--max-mb", "300"))
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "huge.txt"
    block = ("\n\n".join(article(300 + k) for k in range(20))).encode()
    with path.open("wb") as fh:
        for _ in range(pick(scale, 20 << 20, 200 << 20) // len(block)):
            fh.write(block)
    return [str(path)]


# counts -----------------------------------------------------------------------------------

@case("jsonl_many_records", "counts", "2,000 (full: 200,000) JSONL records with --max-records 10",
      {"SL031"}, analysed=10, args=("--max-records", "10"))
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "many.jsonl"
    with path.open("w") as fh:
        for i in range(pick(scale, 2_000, 200_000)):
            fh.write(json.dumps({"text": article(1000 + i, words=20)}) + "\n")
    return [str(path)]


@case("feed_many_items", "counts", "feed of 2,000 (full: 100,000) items with --max-records 10",
      {"SL031"}, analysed=10, args=("--max-records", "10"))
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "many.rss"
    path.write_text(rss([rss_item(i, article(5000 + i, words=20)) for i in range(pick(scale, 2_000, 100_000))]))
    return [str(path)]


@case("warc_many_records", "counts", "WARC of 500 (full: 5,000) records with --max-records 10",
      {"SL031"}, analysed=10, args=("--max-records", "10"))
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "many.warc"
    with path.open("wb") as fh:
        for i in range(pick(scale, 500, 5_000)):
            fh.write(warc_record(f"https://w.example/{i}", paragraphs_html(article(9000 + i, 20)).encode()))
    return [str(path)]


@case("directory_of_empty_files", "counts", "a directory of 300 (full: 5,000) empty files", {"SL002", "SL010"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    folder = d / "empties"
    folder.mkdir()
    for i in range(pick(scale, 300, 5_000)):
        (folder / f"empty{i:05d}.txt").write_bytes(b"")
    return [str(folder)]


# damaged archives -------------------------------------------------------------------------

@case("warc_length_too_large", "archive", "WARC record whose Content-Length runs into the next record",
      {"SL034"}, analysed=2)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "overlong.warc"
    first = warc_record("https://w.example/one", paragraphs_html(article(60)).encode())
    first = warc_record("https://w.example/one", paragraphs_html(article(60)).encode(), declared=len(first) + 300)
    path.write_bytes(first + warc_record("https://w.example/two", paragraphs_html(article(61)).encode()))
    return [str(path)]


@case("warc_truncated", "archive", "WARC whose last record is cut short", {"SL034"}, analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "truncated.warc"
    data = (warc_record("https://w.example/a", paragraphs_html(article(62)).encode())
            + warc_record("https://w.example/b", paragraphs_html(article(63)).encode()))
    path.write_bytes(data[:-60])
    return [str(path)]


@case("warc_bad_length", "archive", "WARC record with a non-numeric Content-Length", {"SL013"})
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "bad_length.warc"
    path.write_bytes(warc_record("https://w.example/x", b"<p>x</p>").replace(b"Content-Length: ", b"Content-Length: -x"))
    return [str(path)]


@case("rss_root_after_long_prolog", "archive", "RSS whose root element starts after 5 KB of comments", {OK},
      analysed=1)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    path = d / "late_root.xml"
    path.write_text(rss([rss_item(1, article(64))], prolog="<!-- " + "licence " * 700 + "-->"))
    return [str(path)]


# servers ----------------------------------------------------------------------------------

_FETCH = ("--fetch", "--allow-private", "--timeout", "3")


@case("server_dribble", "server", "a server that sends 11 bytes every 0.1 s for ten minutes", {"SL033"}, args=_FETCH)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    return [f"{url}/dribble"]


@case("server_endless", "server", "a server that streams an endless body at full speed", {"SL015"}, args=_FETCH)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    return [f"{url}/endless"]


@case("server_silent", "server", "a server that accepts and never answers", {"SL033"}, args=_FETCH)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    return [f"{url}/silent"]


@case("server_lying_length", "server", "a server declaring a 10 GiB body", {"SL015"}, args=_FETCH)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    return [f"{url}/lying-length"]


@case("server_redirect_loop", "server", "a redirect to itself", {"SL008"}, args=_FETCH)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    return [f"{url}/loop"]


@case("url_malformed", "server", "URLs with port 99999, a non-numeric port, a broken IPv6 literal",
      {"SL036"}, args=_FETCH)
def _(d: Path, scale: Scale, url: str) -> list[str]:
    return ["http://127.0.0.1:99999/a", "http://127.0.0.1:port/a", "http://[::1/a"]


CASE_BY_NAME = {c.name: c for c in CASES}

#: the reference run: the good article alone (what every case pays before its own work)
BASELINE = Case("baseline", "baseline", "the good article alone", lambda d, scale, url: [], frozenset({OK}))


# --------------------------------------------------------------------------- running


@dataclass
class Outcome:
    case: str
    category: str
    exit_code: int | None
    seconds: float
    peak_rss_mb: float | None
    codes: dict[str, set[str]] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    traceback: bool = False
    no_answer: bool = False
    good_lost: bool = False


def check(case: Case, sources: list[str], good: str, exit_code: int | None, stderr: str,
          report: str | None, seconds: float, peak_rss_mb: float | None) -> Outcome:
    """Judge one run of ``case`` against what a correct run looks like."""
    out = Outcome(case.name, case.category, exit_code, seconds, peak_rss_mb)
    out.no_answer = exit_code is None
    out.traceback = "Traceback" in stderr
    if out.no_answer:
        out.problems.append("no answer before the time limit")
    if out.traceback:
        out.problems.append("traceback on stderr")
    if any(ord(c) < 32 and c not in "\n" for c in stderr):
        out.problems.append("raw control character on stderr")
    mine = tuple(sources)
    for line in stderr.splitlines():
        m = ERROR_LINE.match(line)
        if m:
            out.codes.setdefault(m["source"], set()).add(m["code"])
        elif not line.startswith(STATUS_LINES):
            out.problems.append(f"unexpected stderr line: {line[:120]!r}")
    seen = set().union(*out.codes.values()) if out.codes else set()
    foreign = {s for s in out.codes if not s.startswith(mine) and not _quoted_startswith(s, mine)}
    if foreign:
        out.problems.append(f"errors for inputs not in the case: {sorted(foreign)[:3]}")
    if report is not None:
        try:
            out.documents = [d["source"] for d in json.loads(report)["documents"]]
        except (ValueError, KeyError, TypeError):
            out.problems.append("report is not valid JSON")
    out.good_lost = good not in out.documents
    if out.good_lost and not out.no_answer:
        out.problems.append("good article not analysed")
    if not out.no_answer:
        unexpected = seen - case.outcomes
        if unexpected:
            out.problems.append(f"unexpected codes {sorted(unexpected)} (expected {sorted(case.outcomes)})")
        if not seen and OK not in case.outcomes:
            out.problems.append(f"no named refusal (expected one of {sorted(case.outcomes)})")
        own_docs = [s for s in out.documents if s != good]
        if len(own_docs) < case.analysed:
            out.problems.append(f"{len(own_docs)} of the case's documents analysed, expected {case.analysed}")
        expected_exit = 1 if seen else 0
        if exit_code != expected_exit:
            out.problems.append(f"exit code {exit_code}, expected {expected_exit}")
    if peak_rss_mb is not None and peak_rss_mb > RSS_BOUND_MB:
        out.problems.append(f"peak RSS {peak_rss_mb:.0f} MB > {RSS_BOUND_MB} MB")
    return out


def _quoted_startswith(source: str, prefixes: tuple[str, ...]) -> bool:
    """Error lines quote control characters: compare with the quoted form of the sources."""
    from storylens.terminal import quote_for_terminal

    return source.startswith(tuple(quote_for_terminal(p) for p in prefixes))


def write_good(directory: Path) -> str:
    path = directory / GOOD_NAME
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return str(path)


def run_in_process(case_: Case, directory: Path, scale: Scale, base_url: str) -> Outcome:
    """One case through the CLI in this process (fast: the models stay loaded; no memory figure)."""
    from typer.testing import CliRunner

    import storylens.cli as cli

    good = write_good(directory)
    sources = case_.build(directory, scale, base_url)
    report_path = directory / "report.json"
    started = time.perf_counter()
    result = CliRunner().invoke(cli.app, ["analyze", good, *sources, "-f", "json", "-o", str(report_path), "-q",
                                          *case_.cli_args(scale)])
    seconds = time.perf_counter() - started
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        stderr += "".join(traceback.format_exception(result.exception))
    report = report_path.read_text(encoding="utf-8") if report_path.exists() else None
    return check(case_, sources, good, result.exit_code, stderr, report, seconds, None)


def run_in_subprocess(case_: Case, directory: Path, scale: Scale, base_url: str) -> Outcome:
    """One case in its own process: exit code, time and peak RSS (``wait4``) of that process."""
    good = write_good(directory)
    sources = case_.build(directory, scale, base_url)
    report_path = directory / "report.json"
    err_path = directory / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[1] / "src"), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "storylens.cli", "analyze", good, *sources, "-f", "json",
               "-o", str(report_path), "-q", *case_.cli_args(scale)]
    started = time.perf_counter()
    with err_path.open("wb") as err:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env)
    limit = TIME_LIMIT_S[scale]
    exit_code: int | None = None
    rss_kb = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            exit_code = os.waitstatus_to_exitcode(status)
            rss_kb = usage.ru_maxrss
            break
        if time.perf_counter() - started > limit:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)
            rss_kb = usage.ru_maxrss
            break
        time.sleep(0.05)
    proc.returncode = exit_code if exit_code is not None else -9  # wait4 reaped it
    seconds = time.perf_counter() - started
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    report = report_path.read_text(encoding="utf-8") if report_path.exists() else None
    return check(case_, sources, good, exit_code, stderr, report, seconds, rss_kb / 1024)


# --------------------------------------------------------------------------- the table


def table(outcomes: list[Outcome], scale: Scale, command: str, baseline: Outcome) -> str:
    from benchmarks.common import machine, revision

    lines = ["## Hostile input (issue 13)", "",
             f"Command: `{command}`  ",
             f"Machine: {machine()}  ",
             f"Code: {revision()}  ",
             f"Scale: {scale}; each case is one `storylens analyze GOOD CASE... -f json -o report.json -q` "
             f"process at default limits unless the case says otherwise; peak RSS is that process's "
             f"`ru_maxrss` (wait4); the bound is {RSS_BOUND_MB} MB; a run with no answer after "
             f"{TIME_LIMIT_S[scale]:.0f} s is killed and counted. The good article alone "
             f"(start-up, model loading, analysis) takes {baseline.seconds:.1f} s and "
             f"{baseline.peak_rss_mb or 0:.0f} MB in the same run; *time to refuse* is a case's time "
             f"minus that.", "",
             "| category | cases | tracebacks | no-answer runs | good article lost | other problems | "
             "peak RSS max (MB) | slowest time to refuse (s) |",
             "|---|---|---|---|---|---|---|---|"]
    by_cat: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_cat.setdefault(o.category, []).append(o)
    for cat, group in [*by_cat.items(), ("all", outcomes)]:
        other = sum(1 for o in group if [p for p in o.problems if not p.startswith(
            ("traceback", "no answer", "good article"))])
        rss_max = max((o.peak_rss_mb or 0) for o in group)
        lines.append(f"| {'**all**' if cat == 'all' else cat} | {len(group)} | {sum(o.traceback for o in group)} | "
                     f"{sum(o.no_answer for o in group)} | {sum(o.good_lost for o in group)} | {other} | "
                     f"{rss_max:.0f} | {max(o.seconds for o in group) - baseline.seconds:.1f} |")
    lines += ["", "Per case (codes are the error codes naming the case's inputs; a negative time to "
              "refuse means the case ran faster than the baseline, within the noise of a shared machine):", "",
              "| case | what | exit | codes | case docs analysed | peak RSS (MB) | time (s) | time to refuse (s) "
              "| problems |",
              "|---|---|---|---|---|---|---|---|---|"]
    for o in outcomes:
        case_ = CASE_BY_NAME.get(o.case, BASELINE)
        codes = ", ".join(sorted(set().union(*o.codes.values()))) if o.codes else "—"
        own = len([s for s in o.documents if not s.endswith(GOOD_NAME)])
        rss = f"{o.peak_rss_mb:.0f}" if o.peak_rss_mb is not None else "—"
        lines.append(f"| `{o.case}` | {case_.what} | {o.exit_code if o.exit_code is not None else 'killed'} | "
                     f"{codes} | {own} | {rss} | {o.seconds:.1f} | {o.seconds - baseline.seconds:.1f} | "
                     f"{'; '.join(o.problems) or 'none'} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["small", "full"], default="full")
    parser.add_argument("--case", action="append", help="run only these cases (repeatable)")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write results/hostile.md")
    args = parser.parse_args()
    chosen = [CASE_BY_NAME[n] for n in args.case] if args.case else CASES
    outcomes = []
    with hostile_servers() as base_url:
        with tempfile.TemporaryDirectory(prefix="hostile-baseline-") as tmp:
            baseline = run_in_subprocess(BASELINE, Path(tmp), args.scale, base_url)
        print(f"baseline: {baseline.seconds:.1f} s, {baseline.peak_rss_mb or 0:.0f} MB, problems {baseline.problems}",
              flush=True)
        for case_ in chosen:
            with tempfile.TemporaryDirectory(prefix=f"hostile-{case_.name}-") as tmp:
                outcome = run_in_subprocess(case_, Path(tmp), args.scale, base_url)
            outcomes.append(outcome)
            rss = f"{outcome.peak_rss_mb:.0f} MB" if outcome.peak_rss_mb is not None else "—"
            print(f"{'ok  ' if not outcome.problems else 'FAIL'} {case_.name}: exit {outcome.exit_code}, "
                  f"{outcome.seconds:.1f} s, {rss}" + (f" — {'; '.join(outcome.problems)}" if outcome.problems else ""),
                  flush=True)
    command = "python -m benchmarks.hostile --scale " + args.scale + "".join(f" --case {n}" for n in args.case or [])
    report = table(outcomes, args.scale, command, baseline)
    print(report)
    if not args.no_write and not args.case:
        from benchmarks.common import write_result

        write_result("hostile", report)
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
