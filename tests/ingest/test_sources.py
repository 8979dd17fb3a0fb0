"""Every source type, every bad input, exact duplicates: ingest end to end.

All inputs are built inside ``tmp_path``; no test touches the network (URL tests
use literal private addresses, which are refused before any connection, or a
server on 127.0.0.1).
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import storylens
from storylens.errors import CATALOGUE, StorylensError
from storylens.ingest import IngestResult, ingest
from storylens.ingest.decode import decode_bytes
from storylens.models import Document, InputError, invalid_spans, iter_spans
from storylens.options import Options

# Distinct articles (different text => different content ids, no accidental duplicates).
TOPICS = {
    "bridge": (
        "The city council voted on Tuesday to close the old harbour bridge for repairs, officials said.",
        "Engineers found cracks in two of the main supports during an inspection in March, the report said.",
        "Mayor Lena Ortiz said the closure would last about six months and that ferries would run more often.",
    ),
    "school": (
        "The education board approved a new primary school for the eastern district on Wednesday.",
        "The building will have room for 600 pupils and is due to open in September next year, the board said.",
        "Parents had campaigned for three years for a school closer to the new housing estates.",
    ),
    "storm": (
        "A storm brought down power lines across the northern valley overnight, leaving 4,000 homes without power.",
        "Repair crews worked through the morning and restored electricity to most streets by noon.",
        "The weather service warned that more strong winds were expected on Friday afternoon.",
    ),
    "museum": (
        "The national museum reopened its modern art wing on Saturday after a two-year renovation.",
        "Director Paul Haines said the wing now has new lighting, climate control and a larger entrance hall.",
        "More than 3,000 visitors came through the doors on the first day, according to museum staff.",
    ),
    "rail": (
        "The regional rail operator announced that night trains to the coast will return in the summer.",
        "The service was cut five years ago because of low demand and rising maintenance costs.",
        "A spokeswoman said tickets would go on sale at the end of April at all major stations.",
    ),
    "market": (
        "The farmers market on Church Square will move to the old tram depot from next month.",
        "Traders said the covered hall would protect them from the rain during the winter season.",
        "The council agreed to waive the rent for the first year to help stallholders settle in.",
    ),
}


def paragraphs(topic: str) -> list[str]:
    return list(TOPICS[topic])


def plain(topic: str) -> str:
    return "\n\n".join(paragraphs(topic)) + "\n"


def html_page(topic: str, title: str = "Local news") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs(topic))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li>"
        "<li><a href='/sport'>Sport</a></li><li><a href='/zzq'>NAVMARKERQZ section</a></li></ul></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer><p>FOOTERMARKERQZ Copyright 2031 Example Media Group. All rights reserved.</p>"
        "<p><a href='/privacy'>Privacy policy</a> <a href='/terms'>Terms of use</a></p></footer>"
        "</body></html>"
    )


def run(sources: list[Path | str], **opts: object) -> IngestResult:
    return ingest([str(s) for s in sources], Options(**opts))  # type: ignore[arg-type]


def only_doc(result: IngestResult) -> Document:
    assert result.errors == []
    assert len(result.documents) == 1, [d.source for d in result.documents]
    return result.documents[0]


def assert_contains_topic(doc: Document, topic: str) -> None:
    for para in paragraphs(topic):
        assert para in doc.text


def one_error(result: IngestResult, source: str, code: str) -> InputError:
    assert code in CATALOGUE
    assert [(e.source, e.code) for e in result.errors] == [(source, code)]
    err = result.errors[0]
    assert err.message.startswith(CATALOGUE[code])
    return err


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A good file analysed alongside each bad input."""
    path = tmp_path / "good.txt"
    path.write_text(plain("market"), encoding="utf-8")
    return path


def assert_good_still_read(result: IngestResult, good: Path) -> None:
    assert [d.source for d in result.documents] == [str(good)]
    assert_contains_topic(result.documents[0], "market")


# --------------------------------------------------------------------------- source types


def test_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(plain("bridge"), encoding="utf-8")
    doc = only_doc(run([path]))
    assert doc.source == str(path)
    assert_contains_topic(doc, "bridge")
    assert doc.words == len(doc.text.split()) > 40
    assert doc.language == "en"


def test_md_file(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text("# School approved\n\n" + plain("school"), encoding="utf-8")
    doc = only_doc(run([path]))
    assert doc.source == str(path)
    assert_contains_topic(doc, "school")


def test_html_file_drops_nav_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(html_page("storm", "Storm cuts power"), encoding="utf-8")
    doc = only_doc(run([path]))
    assert doc.source == str(path)
    assert_contains_topic(doc, "storm")
    assert doc.title == "Storm cuts power"
    for boilerplate in ("NAVMARKERQZ", "FOOTERMARKERQZ", "Privacy policy", "All rights reserved"):
        assert boilerplate not in doc.text


def test_directory_is_read_recursively(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    nested = root / "sub" / "deeper"
    nested.mkdir(parents=True)
    (root / "a.txt").write_text(plain("bridge"), encoding="utf-8")
    (root / "sub" / "b.html").write_text(html_page("school"), encoding="utf-8")
    (nested / "c.md").write_text(plain("storm"), encoding="utf-8")
    (root / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # unsupported: ignored
    (root / ".hidden.txt").write_text(plain("rail"), encoding="utf-8")  # hidden: ignored
    result = run([root])
    assert result.errors == []
    assert sorted(d.source for d in result.documents) == sorted(
        [str(root / "a.txt"), str(root / "sub" / "b.html"), str(nested / "c.md")]
    )
    by_source = {d.source: d for d in result.documents}
    assert_contains_topic(by_source[str(nested / "c.md")], "storm")
    assert "NAVMARKERQZ" not in by_source[str(root / "sub" / "b.html")].text


def test_jsonl_text_html_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    records = [
        {
            "text": plain("bridge"),
            "url": "https://www.harbour-news.example/bridge",
            "title": "Bridge to close",
            "author": "Ann Lee",
            "published": "2031-03-04T08:30:00Z",
            "outlet": "Harbour News",
        },
        {"html": html_page("school", "School approved"), "url": "https://www.east-times.example/school"},
        {"text": plain("storm"), "title": "", "published": "", "extra": 1},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    result = run([path])
    assert result.errors == []
    docs = {d.source: d for d in result.documents}
    assert sorted(docs) == [f"{path}:1", f"{path}:2", f"{path}:3"]

    first = docs[f"{path}:1"]
    assert_contains_topic(first, "bridge")
    assert first.url == "https://www.harbour-news.example/bridge"
    assert first.title == "Bridge to close"
    assert first.author == "Ann Lee"
    assert first.outlet == "Harbour News"
    assert first.published is not None and first.published.startswith("2031-03-04")
    assert first.published_source == "meta"

    second = docs[f"{path}:2"]
    assert_contains_topic(second, "school")
    assert "NAVMARKERQZ" not in second.text and "FOOTERMARKERQZ" not in second.text
    assert second.url == "https://www.east-times.example/school"
    assert second.outlet == "east-times.example"  # from the URL when no outlet is given
    assert second.title == "School approved"

    third = docs[f"{path}:3"]
    assert_contains_topic(third, "storm")
    assert third.url is None and third.published is None


def test_rss_feed_items(tmp_path: Path) -> None:
    first = "".join(f"<p>{p}</p>" for p in paragraphs("museum"))
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Capital Chronicle</title><link>https://chronicle.example/</link><description>News</description>
  <item>
    <title>Museum wing reopens</title><link>https://chronicle.example/museum</link>
    <pubDate>Sat, 08 Mar 2031 09:15:00 GMT</pubDate><dc:creator>Maria Okonkwo</dc:creator>
    <content:encoded><![CDATA[{first}]]></content:encoded>
  </item>
  <item>
    <title>Night trains return</title><link>https://chronicle.example/rail</link>
    <description>{" ".join(paragraphs("rail"))}</description>
  </item>
</channel></rss>"""
    path = tmp_path / "feed.rss"
    path.write_text(rss, encoding="utf-8")
    result = run([path])
    assert result.errors == []
    docs = {d.source: d for d in result.documents}
    assert sorted(docs) == [f"{path}#1", f"{path}#2"]
    museum = docs[f"{path}#1"]
    assert_contains_topic(museum, "museum")
    assert museum.title == "Museum wing reopens"
    assert museum.url == "https://chronicle.example/museum"
    assert museum.outlet == "Capital Chronicle"
    assert museum.author == "Maria Okonkwo"
    assert museum.published == "2031-03-08T09:15"
    rail = docs[f"{path}#2"]
    assert_contains_topic(rail, "rail")
    assert rail.title == "Night trains return"


@pytest.mark.parametrize("suffix", [".atom", ".xml"])
def test_atom_feed_entry(tmp_path: Path, suffix: str) -> None:
    content = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in paragraphs("storm"))
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title><id>urn:courier</id><updated>2031-03-05T10:00:00Z</updated>
  <entry>
    <title>Storm cuts power</title><link href="https://courier.example/storm"/><id>urn:courier:1</id>
    <updated>2031-03-05T10:00:00Z</updated><author><name>Sam Reed</name></author>
    <content type="html">{content}</content>
  </entry>
</feed>"""
    path = tmp_path / f"courier{suffix}"
    path.write_text(atom, encoding="utf-8")
    doc = only_doc(run([path]))
    assert doc.source == f"{path}#1"
    assert_contains_topic(doc, "storm")
    assert doc.title == "Storm cuts power"
    assert doc.author == "Sam Reed"
    assert doc.outlet == "Valley Courier"
    assert doc.url == "https://courier.example/storm"
    assert doc.published == "2031-03-05T10:00"


def write_warc(path: Path, records: list[tuple[str, str, bytes]], gz: bool = False) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for url, ctype, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


@pytest.mark.parametrize("name,gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_response(tmp_path: Path, name: str, gz: bool) -> None:
    path = tmp_path / name
    write_warc(
        path,
        [
            ("https://wire.example/rail", "text/html; charset=utf-8", html_page("rail", "Night trains").encode()),
            ("https://wire.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
        ],
        gz=gz,
    )
    doc = only_doc(run([path]))
    assert doc.source == f"{path}#https://wire.example/rail"
    assert doc.url == "https://wire.example/rail"
    assert doc.outlet == "wire.example"
    assert_contains_topic(doc, "rail")
    assert "NAVMARKERQZ" not in doc.text and "FOOTERMARKERQZ" not in doc.text


def test_warc_without_html_records_is_one_error(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "images.warc"
    write_warc(path, [("https://wire.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100))])
    result = run([path, good])
    one_error(result, str(path), "SL013")
    assert_good_still_read(result, good)


def test_txt_file_listing_urls_without_fetch(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("https://a.example/one\nhttps://b.example/two\n", encoding="utf-8")
    result = run([path, good])
    assert [(e.source, e.code) for e in result.errors] == [
        ("https://a.example/one", "SL011"),
        ("https://b.example/two", "SL011"),
    ]
    assert "--fetch" in result.errors[0].message
    assert_good_still_read(result, good)


# --------------------------------------------------------------------------- bad inputs


def test_empty_file(tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text(" \n\n\t\n", encoding="utf-8")
    result = run([bad, good, blank])
    assert [(e.source, e.code) for e in result.errors] == [(str(bad), "SL002"), (str(blank), "SL002")]
    assert_good_still_read(result, good)


@pytest.mark.parametrize(
    "name,data",
    [
        ("noise.txt", os.urandom(4096)),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2048)),
        ("nul.md", b"text\x00with\x00nul\x00bytes " * 40),
    ],
)
def test_binary_file(tmp_path: Path, good: Path, name: str, data: bytes) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    result = run([bad, good])
    one_error(result, str(bad), "SL003")
    assert_good_still_read(result, good)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encoding_is_decoded(tmp_path: Path, encoding: str) -> None:
    quote = "\u201cWe will reopen soon,\u201d" if encoding == "cp1252" else '"We will reopen soon,"'
    text = (
        f"Le café près du pont était fermé lundi, a dit le maire. {quote} a-t-il ajouté "
        "devant la presse réunie.\n\n" + plain("bridge")
    )
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    # decoding alone keeps every character, curly quotes included
    assert decode_bytes(path.read_bytes(), str(path)) == text
    doc = only_doc(run([path]))
    assert "Le café près du pont était fermé lundi" in doc.text
    assert '"We will reopen soon,"' in doc.text  # curly quotes normalised to ASCII, not mojibake
    for mojibake in ("Ã©", "â€œ", "\ufffd"):
        assert mojibake not in doc.text


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(plain("school").encode("utf-16"))
    doc = only_doc(run([path]))
    assert_contains_topic(doc, "school")


def test_html_without_article_text(tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "shell.html"
    bad.write_text(
        "<html><head><title>App</title></head><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
        "<div id='root'></div><script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    result = run([bad, good])
    one_error(result, str(bad), "SL006")
    assert_good_still_read(result, good)


def test_file_over_size_limit(tmp_path: Path, good: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(plain("bridge") * 20, encoding="utf-8")
    assert big.stat().st_size > 4000 > good.stat().st_size
    result = run([big, good], max_bytes=4000)
    err = one_error(result, str(big), "SL005")
    assert "4000" in err.message
    assert_good_still_read(result, good)
    # the same file is fine under the default limit
    assert only_doc(run([big])).source == str(big)


def test_malformed_jsonl_line_keeps_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        json.dumps({"text": plain("bridge")}) + "\n"
        + '{"text": "broken, no closing brace\n'
        + json.dumps({"text": plain("school")}) + "\n"
        + "[1, 2, 3]\n"
        + json.dumps({"title": "no body"}) + "\n",
        encoding="utf-8",
    )
    result = run([path])
    assert [(e.source, e.code) for e in result.errors] == [
        (f"{path}:2", "SL007"),
        (f"{path}:4", "SL007"),
        (f"{path}:5", "SL007"),
    ]
    assert [d.source for d in result.documents] == [f"{path}:1", f"{path}:3"]


def test_jsonl_record_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        json.dumps({"text": plain("bridge") * 30}) + "\n" + json.dumps({"text": plain("school")}) + "\n",
        encoding="utf-8",
    )
    result = run([path], max_bytes=2000)
    one_error(result, f"{path}:1", "SL005")
    assert [d.source for d in result.documents] == [f"{path}:2"]


def test_warc_record_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(
        path,
        [
            ("https://wire.example/big", "text/html", (html_page("rail") * 10).encode()),
            ("https://wire.example/small", "text/html", html_page("museum").encode()),
        ],
    )
    result = run([path], max_bytes=3000)
    one_error(result, f"{path}#https://wire.example/big", "SL005")
    assert [d.source for d in result.documents] == [f"{path}#https://wire.example/small"]
    # an archive whose only record is too big is reported once, for that record
    single = tmp_path / "single.warc"
    write_warc(single, [("https://wire.example/big", "text/html", (html_page("rail") * 10).encode())])
    one_error(run([single], max_bytes=3000), f"{single}#https://wire.example/big", "SL005")


def test_url_without_fetch(good: Path) -> None:
    url = "https://news.example/story"
    result = run([url, good])
    err = one_error(result, url, "SL011")
    assert "--fetch" in err.message
    assert_good_still_read(result, good)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Fail loudly if anything tries to open a connection."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"network connection attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
    assert attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "http://127.0.0.1:8080/",
        "http://10.0.0.1/internal",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://192.168.1.1/router",
        "http://100.100.100.200/latest/meta-data/",  # shared address space (cloud metadata)
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_private_url_refused_without_connecting(good: Path, no_network: list[object], url: str) -> None:
    result = run([url, good], fetch=True, timeout=0.5)
    one_error(result, url, "SL009")
    assert_good_still_read(result, good)


@pytest.mark.parametrize("url", ["ftp://files.example/article.txt", "file:///etc/hostname"])
def test_url_with_other_scheme_refused(good: Path, no_network: list[object], url: str) -> None:
    for fetch in (False, True):
        result = run([url, good], fetch=fetch)
        one_error(result, url, "SL016")
        assert_good_still_read(result, good)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_url(good: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/story"
    result = run([url, good], fetch=True, allow_private=True, timeout=0.5)
    one_error(result, url, "SL008")
    assert_good_still_read(result, good)


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        status, ctype, body = self.pages.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Handler.pages = {
        "/story": (200, "text/html; charset=utf-8", html_page("museum", "Museum reopens").encode()),
        "/big": (200, "text/html", html_page("rail").encode() * 20),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_from_local_server(local_server: str) -> None:
    ok, missing, big = f"{local_server}/story", f"{local_server}/missing", f"{local_server}/big"
    result = run([ok, missing, big], fetch=True, allow_private=True, timeout=5, max_bytes=10_000)
    assert [(e.source, e.code) for e in result.errors] == [(missing, "SL008"), (big, "SL015")]
    assert "404" in result.errors[0].message
    doc = only_doc(IngestResult(documents=result.documents))
    assert doc.source == ok and doc.url == ok
    assert_contains_topic(doc, "museum")
    assert "NAVMARKERQZ" not in doc.text


def test_fetch_without_allow_private_never_reaches_local_server(local_server: str) -> None:
    url = f"{local_server}/story"
    result = run([url], fetch=True, timeout=5)
    one_error(result, url, "SL009")


def test_directory_with_nothing_readable(tmp_path: Path, good: Path) -> None:
    folder = tmp_path / "assets"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "data.csv.bak").write_text("a,b\n", encoding="utf-8")
    result = run([folder, good])
    one_error(result, str(folder), "SL010")
    assert_good_still_read(result, good)


def test_empty_directory(tmp_path: Path, good: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    result = run([folder, good])
    one_error(result, str(folder), "SL010")
    assert_good_still_read(result, good)


def test_directory_of_only_bad_files_names_each_file_and_the_directory(tmp_path: Path, good: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.html").write_bytes(os.urandom(1024))
    result = run([folder, good])
    assert [(e.source, e.code) for e in result.errors] == [
        (str(folder / "empty.txt"), "SL002"),
        (str(folder / "noise.html"), "SL003"),
        (str(folder), "SL010"),
    ]
    assert_good_still_read(result, good)


def test_nonexistent_path(tmp_path: Path, good: Path) -> None:
    missing = tmp_path / "no" / "such" / "file.txt"
    result = run([missing, good])
    one_error(result, str(missing), "SL001")
    assert_good_still_read(result, good)


def test_file_name_too_long_is_an_input_error(tmp_path: Path, good: Path) -> None:
    name = str(tmp_path / ("x" * 300 + ".txt"))
    result = run([name, good])
    one_error(result, name, "SL001")
    assert_good_still_read(result, good)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path, good: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    box: list[IngestResult] = []
    worker = threading.Thread(target=lambda: box.append(run([fifo, good])), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "reading a named pipe blocked"
    one_error(box[0], str(fifo), "SL011")
    assert_good_still_read(box[0], good)


def test_broken_gzip(tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "article.txt.gz"
    bad.write_bytes(gzip.compress(plain("bridge").encode())[:30])
    result = run([bad, good])
    one_error(result, str(bad), "SL003")
    assert_good_still_read(result, good)


def test_broken_gzipped_jsonl(tmp_path: Path, good: Path) -> None:
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress((json.dumps({"text": plain("bridge")}) + "\n").encode())[:30])
    not_gzip = tmp_path / "fake.jsonl.gz"
    not_gzip.write_bytes(b"this is not gzip data at all")
    result = run([truncated, not_gzip, good])
    assert [(e.source, e.code) for e in result.errors] == [(str(truncated), "SL003"), (str(not_gzip), "SL003")]
    assert_good_still_read(result, good)


def test_damaged_warc_never_crashes(tmp_path: Path, good: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, [("https://wire.example/rail", "text/html", html_page("rail").encode())], gz=True)
    data = whole.read_bytes()
    for cut in range(10, len(data), max(1, len(data) // 25)):
        damaged = tmp_path / f"cut{cut}.warc.gz"
        damaged.write_bytes(data[:cut])
        result = run([damaged, good])  # must not raise
        assert result.documents[-1].source == str(good)
        assert all(e.source.startswith(str(damaged)) for e in result.errors)
        # the damaged archive is reported once, or (cut late) still yields its record
        assert len(result.errors) + len(result.documents) - 1 >= 1, cut
        assert len(result.errors) <= 1, (cut, result.errors)


def test_hostile_feeds_are_input_errors(tmp_path: Path, good: Path) -> None:
    surrogate = tmp_path / "surrogate.atom"
    surrogate.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        f"<entry><title>A</title><content type='html'>&#xD800; {' '.join(paragraphs('bridge'))}</content>"
        "</entry></feed>",
        encoding="utf-8",
    )
    mangled = tmp_path / "mangled.rss"
    mangled.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
        "<item><title>Bridge closes<wtitle><link>https://g.example/b</link>"
        f"<description>{' '.join(paragraphs('school'))}</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    no_entries = tmp_path / "empty.rss"
    no_entries.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>')
    result = run([surrogate, mangled, no_entries, good])
    assert_good_still_read(result, good)
    assert [(e.source, e.code) for e in result.errors] == [
        (str(surrogate), "SL012"),
        (f"{mangled}#1", "SL006"),
        (str(no_entries), "SL012"),
    ]


def test_gzipped_text_and_jsonl(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt.gz"
    txt.write_bytes(gzip.compress(plain("bridge").encode()))
    dump = tmp_path / "b.jsonl.gz"
    dump.write_bytes(gzip.compress((json.dumps({"text": plain("school")}) + "\n").encode()))
    result = run([txt, dump])
    assert result.errors == []
    assert [d.source for d in result.documents] == [str(txt), f"{dump}:1"]


def test_errors_carry_source_and_code() -> None:
    err = StorylensError("SL009", "http://10.0.0.1/", "detail")
    assert (err.source, err.code) == ("http://10.0.0.1/", "SL009")
    assert err.line() == "http://10.0.0.1/: error SL009: URL refused: private, loopback or link-local address (detail)"
    assert "\n" not in err.line()
    with pytest.raises(ValueError):
        StorylensError("SL999", "x")


# --------------------------------------------------------------------------- duplicates


def test_exact_duplicate_is_analysed_once(tmp_path: Path) -> None:
    first = tmp_path / "a_copy.txt"
    second = tmp_path / "b_copy.txt"
    first.write_text(plain("bridge"), encoding="utf-8")
    # same article, different whitespace and file name
    second.write_text(plain("bridge").replace("\n\n", "\n\n\n") + "\n", encoding="utf-8")
    other = tmp_path / "c_other.txt"
    other.write_text(plain("school"), encoding="utf-8")
    result = run([first, second, other])
    assert result.errors == []
    assert [d.source for d in result.documents] == [str(first), str(other)]
    kept = result.documents[0]
    assert result.exact_duplicates == [{"source": str(second), "same_as": kept.id}]


def test_exact_duplicate_in_analysis_stats(tmp_path: Path) -> None:
    folder = tmp_path / "dups"
    folder.mkdir()
    (folder / "one.txt").write_text(plain("storm"), encoding="utf-8")
    (folder / "two.txt").write_text(plain("storm"), encoding="utf-8")
    (folder / "three.html").write_text(html_page("museum"), encoding="utf-8")
    analysis = storylens.analyze([str(folder)], Options(link=False))
    assert analysis.errors == []
    assert [d.source for d in analysis.documents] == [str(folder / "one.txt"), str(folder / "three.html")]
    assert analysis.stats["documents"] == 2
    assert analysis.stats["exact_duplicates"] == [
        {"source": str(folder / "two.txt"), "same_as": analysis.documents[0].id}
    ]


# --------------------------------------------------------------------------- spans


def test_every_span_points_into_its_document(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text(plain("bridge"), encoding="utf-8")
    (folder / "b.html").write_text(html_page("storm", "Storm"), encoding="utf-8")
    (folder / "c.jsonl").write_text(
        json.dumps({"text": plain("museum"), "published": "2031-03-08"}) + "\n", encoding="utf-8"
    )
    (folder / "d.txt").write_bytes(("Le café «Chez Léa» a fermé. " + plain("rail")).encode("cp1252"))
    analysis = storylens.analyze([str(folder)], Options())
    assert analysis.errors == []
    assert len(analysis.documents) == 4
    spans = list(iter_spans(analysis))
    assert len(spans) > 10
    assert invalid_spans(analysis) == []
    for doc in analysis.documents:
        for start, end in doc.sentences:
            assert 0 <= start < end <= len(doc.text)
