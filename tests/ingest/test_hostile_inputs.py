"""Hostile and malformed inputs at the ingest boundary (issue 13): limits, decoding,
format sniffing, isolation. Each bad input is read beside a good one, which must
still come through; every refusal carries its catalogue code.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

import storylens.ingest as ingest_module
from storylens.errors import CATALOGUE
from storylens.ingest import IngestResult, ingest
from storylens.options import Options

GOOD = (
    "The farmers market on Church Square will move to the old tram depot from next month.\n\n"
    "Traders said the covered hall would protect them from the rain during the winter season.\n\n"
    "The council agreed to waive the rent for the first year to help stallholders settle in.\n"
)
OTHER = (
    "The regional rail operator announced that night trains to the coast will return in the summer.\n\n"
    "The service was cut five years ago because of low demand and rising maintenance costs.\n\n"
    "A spokeswoman said tickets would go on sale at the end of April at all major stations.\n"
)


def run(sources: list[Path | str], **opts: object) -> IngestResult:
    return ingest([str(s) for s in sources], Options(**opts))  # type: ignore[arg-type]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def codes(result: IngestResult) -> list[tuple[str, str]]:
    for e in result.errors:
        assert e.message.startswith(CATALOGUE[e.code])
    return [(e.source, e.code) for e in result.errors]


def good_read(result: IngestResult, good: Path) -> None:
    assert str(good) in [d.source for d in result.documents]


# --------------------------------------------------------------------------- decoding


def test_utf32_with_bom_is_not_read_as_utf16(tmp_path: Path) -> None:
    for encoding in ("utf-32", "utf-32-le", "utf-32-be"):
        path = tmp_path / f"{encoding}.txt"
        bom = {"utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}.get(encoding, b"")
        path.write_bytes(bom + OTHER.encode(encoding))
        result = run([path])
        assert result.errors == [], encoding
        assert "night trains to the coast" in result.documents[0].text
        assert "\x00" not in result.documents[0].text


def test_nuls_and_escapes_late_in_a_file_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    filler = "The harbour board met again on Monday to discuss the new ferry timetable. " * 150
    assert len(filler) > 8192
    path.write_text(filler + "\n\n" + OTHER.replace("summer", "sum\x00mer\x1b[2J\x1b]52;c;aGk=\x07"),
                    encoding="utf-8")
    doc = run([path]).documents[0]
    assert "summer" in doc.text
    assert not any(ord(c) < 32 and c not in "\n\t" for c in doc.text)


def test_binary_after_the_first_window_is_refused(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "glued.txt"
    path.write_bytes(GOOD.encode() * 100 + bytes(range(256)) * 200)
    result = run([path, good])
    assert codes(result) == [(str(path), "SL003")]
    good_read(result, good)


# --------------------------------------------------------------------------- format sniffing


def test_feed_whose_root_starts_late_is_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "late_root.xml"
    licence = "<!-- " + "licence text " * 400 + "-->"
    assert len(licence) > 2000
    path.write_text(
        f'<?xml version="1.0"?>\n{licence}\n<rss version="2.0"><channel><title>Gazette</title>'
        f"<item><title>Night trains</title><description>{OTHER}</description></item></channel></rss>",
        encoding="utf-8",
    )
    result = run([path])
    assert result.errors == []
    assert [d.source for d in result.documents] == [f"{path}#1"]
    assert "licence" not in result.documents[0].text


def test_feed_items_with_short_html_descriptions_are_read(tmp_path: Path) -> None:
    path = tmp_path / "teasers.rss"
    items = "".join(
        f"<item><title>Item {i}</title><link>https://g.example/{i}</link>"
        f"<description>&lt;p&gt;&lt;b&gt;Teaser {i}:&lt;/b&gt; {sentence}&lt;/p&gt;</description></item>"
        for i, sentence in enumerate(OTHER.split("\n\n"), 1)
    )
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>G</title>{items}</channel></rss>',
                    encoding="utf-8")
    result = run([path])
    assert result.errors == []
    assert len(result.documents) == 3
    assert all("<" not in d.text for d in result.documents)
    assert "Teaser 1: The regional rail operator" in result.documents[0].text


# --------------------------------------------------------------------------- JSONL


def test_jsonl_line_separator_inside_a_record_is_text(tmp_path: Path) -> None:
    path = tmp_path / "ls.jsonl"
    record = json.dumps({"text": OTHER.replace("\n\n", "\u2028", 1)}, ensure_ascii=False)
    assert "\u2028" in record
    path.write_text(record + "\n" + json.dumps({"text": GOOD}) + "\n", encoding="utf-8")
    result = run([path])
    assert result.errors == []
    assert [d.source for d in result.documents] == [f"{path}:1", f"{path}:2"]


def test_one_bad_jsonl_line_costs_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": GOOD}).encode(),
        b'{"text": "a NUL \x00 in the middle"}',
        b'{"text": "broken utf-8 \xff\xfe here"}',
        json.dumps({"text": OTHER}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = run([path])
    assert codes(result) == [(f"{path}:2", "SL007"), (f"{path}:3", "SL007")]
    assert [d.source for d in result.documents] == [f"{path}:1", f"{path}:4"]


def test_lone_surrogate_in_jsonl_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"text": "' + OTHER.replace("\n", "\\n") + ' \\ud800 end", "title": "T\\udfff"}\n',
                    encoding="utf-8")
    result = run([path])
    assert result.errors == []
    doc = result.documents[0]
    assert "\ufffd" in doc.text
    doc.model_dump_json().encode("utf-8")  # must not raise


def test_deeply_nested_json_is_a_named_error(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "nested.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"text": OTHER}) + "\n")
    result = run([path, good])
    assert codes(result) == [(f"{path}:1", "SL035")]
    assert [d.source for d in result.documents] == [f"{path}:2", str(good)]


def test_record_cap_keeps_the_first_records_and_names_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": f"Record number {i}. " + OTHER}) + "\n" for i in range(5)))
    result = run([path], max_records=3)
    assert codes(result) == [(str(path), "SL031")]
    assert [d.source for d in result.documents] == [f"{path}:{i}" for i in (1, 2, 3)]


def test_jsonl_line_over_the_limit_is_skipped_while_read(tmp_path: Path) -> None:
    path = tmp_path / "long_line.jsonl"
    path.write_text(json.dumps({"text": "word " * 200_000}) + "\n" + json.dumps({"text": OTHER}) + "\n")
    result = run([path], max_bytes=100_000)
    assert codes(result) == [(f"{path}:1", "SL005")]
    assert [d.source for d in result.documents] == [f"{path}:2"]


# --------------------------------------------------------------------------- compression


def test_gzip_bomb_is_refused_while_decompressing(tmp_path: Path, good: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 20_000_000, compresslevel=9))
    assert bomb.stat().st_size < 100_000
    result = run([bomb, good], max_bytes=1_000_000)
    assert codes(result) == [(str(bomb), "SL032")]
    good_read(result, good)


def test_jsonl_gzip_bomb_of_blank_lines_is_refused_by_its_expansion(tmp_path: Path, good: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(json.dumps({"text": OTHER}).encode() + b"\n" + b"\n" * 30_000_000, 9))
    result = run([bomb, good])
    assert codes(result) == [(str(bomb), "SL032")]
    assert [d.source for d in result.documents] == [f"{bomb}:1", str(good)]


# --------------------------------------------------------------------------- length and dates


def test_document_over_the_length_limit_is_refused_by_name(tmp_path: Path, good: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text((OTHER + "\n") * 60, encoding="utf-8")
    result = run([long, good], max_chars=5000)
    assert codes(result) == [(str(long), "SL030")]
    assert "--max-chars" in result.errors[0].message
    good_read(result, good)


@pytest.mark.parametrize("published", ["2031-13-45", "0001-01-01", "9999-12-31T23:59", "2031-02-30",
                                       "2031-04-31T25:61", "not a date at all"])
def test_impossible_published_dates_are_dropped(tmp_path: Path, published: str) -> None:
    path = tmp_path / "dated.jsonl"
    path.write_text(json.dumps({"text": OTHER, "published": published}) + "\n")
    result = run([path])
    assert result.errors == []
    assert result.documents[0].published is None
    assert result.documents[0].published_source == "none"


def test_control_characters_leave_metadata(tmp_path: Path) -> None:
    path = tmp_path / "meta.jsonl"
    path.write_text(json.dumps({"text": OTHER, "title": "Night\x1b[2J trains\x07", "author": "A\x9bB",
                                "outlet": "Rail\x1b]52;c;aGk=\x07 News"}) + "\n")
    doc = run([path]).documents[0]
    assert doc.title == "Night[2J trains"
    assert doc.author == "AB"
    assert doc.outlet == "Rail]52;c;aGk= News"


# --------------------------------------------------------------------------- WARC


def warc_record(url: str, body: bytes, declared: int | None = None) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    length = len(http) if declared is None else declared
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" + url[-8:].rjust(8, "0") + ">\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: 2031-03-04T10:00:00Z\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def html(text: str) -> bytes:
    return ("<html><body><article>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) +
            "</article></body></html>").encode()


def test_warc_content_length_too_large_does_not_swallow_the_next_record(tmp_path: Path) -> None:
    path = tmp_path / "overlong.warc"
    first = warc_record("https://a.example/one", html(OTHER))
    declared = len(first) + 500  # runs into the next record
    first = warc_record("https://a.example/one", html(OTHER), declared=declared)
    path.write_bytes(first + warc_record("https://a.example/two", html(GOOD)))
    result = run([path])
    assert codes(result) == [(f"{path}#https://a.example/one", "SL034")]
    assert [d.source for d in result.documents] == [f"{path}#https://a.example/one", f"{path}#https://a.example/two"]


def test_truncated_warc_record_is_named(tmp_path: Path) -> None:
    path = tmp_path / "truncated.warc"
    whole = warc_record("https://a.example/one", html(GOOD)) + warc_record("https://a.example/two", html(OTHER))
    path.write_bytes(whole[:-40])
    result = run([path])
    assert codes(result) == [(f"{path}#https://a.example/two", "SL034")]
    assert "truncated" in result.errors[0].message
    assert f"{path}#https://a.example/one" in [d.source for d in result.documents]


def test_warc_gz_members_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    buf = io.BytesIO()
    for url, text in (("https://a.example/one", OTHER), ("https://a.example/two", GOOD)):
        buf.write(gzip.compress(warc_record(url, html(text))))
    path.write_bytes(buf.getvalue())
    result = run([path])
    assert result.errors == []
    assert len(result.documents) == 2


# --------------------------------------------------------------------------- isolation


def test_unexpected_error_in_one_document_is_sl099_and_the_batch_goes_on(
    tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "trigger.txt"
    bad.write_text("TRIGGERQZ " + OTHER, encoding="utf-8")
    real = ingest_module.clean_plain_text

    def exploding(text: str, *args: object, **kwargs: object) -> object:
        if "TRIGGERQZ" in text:
            raise RuntimeError("a bug")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module, "clean_plain_text", exploding)
    result = run([bad, good])
    assert codes(result) == [(str(bad), "SL099")]
    assert "RuntimeError" in result.errors[0].message
    good_read(result, good)


def test_page_of_only_navigation_banner_and_footer_is_no_article(tmp_path: Path, good: Path) -> None:
    nav = "".join(f"<li><a href='/s{i}'>Section number {i} of the site</a></li>" for i in range(40))
    chrome = (
        f"<header><nav><ul>{nav}</ul></nav></header>"
        "<div id='cookie-banner' class='consent'><p>We use cookies to improve your experience on our "
        "website. By continuing to browse you agree to our use of cookies for analytics.</p></div>"
        f"<footer><p>Copyright 2031 Example Media Group. All rights reserved. Contact us, careers, terms of "
        f"use, privacy policy and help.</p><ul>{nav}</ul></footer>"
    )
    empty = tmp_path / "chrome.html"
    empty.write_text(f"<html><head><title>Example</title></head><body>{chrome}</body></html>")
    real = tmp_path / "real.html"
    real.write_text(f"<html><head><title>Example</title></head><body>{chrome.replace('<footer>', '<article><header><h1>Rail</h1></header>' + ''.join(f'<p>{p}</p>' for p in OTHER.split(chr(10) * 2)) + '</article><footer>')}</body></html>")
    result = run([empty, real, good])
    assert codes(result) == [(str(empty), "SL006")]
    assert "navigation" in result.errors[0].message
    assert [d.source for d in result.documents] == [str(real), str(good)]
    assert "Section number" not in result.documents[0].text
