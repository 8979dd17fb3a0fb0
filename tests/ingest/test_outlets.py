"""Outlet names: metadata, a site name printed on the page, the registrable domain, sidecars, --outlet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storylens.ingest import ingest
from storylens.ingest.outlets import domain_of, outlet_name, site_in_text
from storylens.options import Options

BODY = ("The council approved the new bridge budget on Tuesday after a long debate. "
        "Work on the crossing is expected to start next spring, officials said.\n")


def test_numbered_and_www_hosts_of_one_site_share_one_outlet() -> None:
    assert domain_of("http://usatoday30.usatoday.com/news/a.htm") == ("usatoday.com", "usatoday")
    assert domain_of("https://www.usatoday.com/story")[0] == "usatoday.com"  # type: ignore[index]
    assert domain_of("https://news.bbc.co.uk/x")[0] == "bbc.co.uk"  # type: ignore[index]
    assert domain_of("https://www.east-times.example/a") == ("east-times.example", "east-times")
    assert domain_of("") is None


def test_site_name_printed_on_the_page_spells_the_domain() -> None:
    texts = ["Home | News | Sport", "© 2012 USA TODAY, a division of Gannett"]
    assert site_in_text("usatoday", texts) == "USA TODAY"
    assert site_in_text("theguardian", ["Read more at The Guardian."]) == "The Guardian"
    assert site_in_text("usatoday", ["usatoday is lower case here"]) is None  # a name has capitals
    assert outlet_name(url="http://usatoday30.usatoday.com/a", texts=["nothing here"]) == "usatoday.com"
    assert outlet_name(url="http://usatoday30.usatoday.com/a", texts=["Copyright USA TODAY"]) == "USA TODAY"


def test_stated_outlet_wins_and_a_host_name_is_never_a_site_name() -> None:
    assert outlet_name(stated=" Daily  Example ", sitename="Other", url="http://x.example/") == "Daily Example"
    assert outlet_name(sitename="Evening Post", url="http://www.post.example/") == "Evening Post"
    assert outlet_name(sitename="www.post.example") == "post.example"
    assert outlet_name(fallback="Given") == "Given"
    assert outlet_name() is None


def test_sidecar_and_outlet_option_name_plain_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Bridge budget approved\n\n" + BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"outlet": "Harbour Herald", "url": "https://hh.example/a"}),
                                          encoding="utf-8")
    (tmp_path / "b.txt").write_text("Council backs bridge\n\n" + BODY.replace("long", "heated"), encoding="utf-8")
    result = ingest([str(tmp_path)], Options(outlet="Valley Voice"))
    outlets = {Path(d.source).name: d.outlet for d in result.documents}
    assert outlets == {"a.txt": "Harbour Herald", "b.txt": "Valley Voice"}
    assert not result.errors
    without = ingest([str(tmp_path / "b.txt")], Options())
    assert without.documents[0].outlet is None


def test_broken_sidecar_is_one_error_and_the_article_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Bridge budget approved\n\n" + BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("[1, 2", encoding="utf-8")
    result = ingest([str(tmp_path / "a.txt")], Options())
    assert len(result.documents) == 1
    assert [e.code for e in result.errors] == ["SL040"]
    assert result.errors[0].source.endswith("a.meta.json")


def test_dash_reads_one_article_from_stdin() -> None:
    code = ("import sys; from storylens.ingest import ingest; r = ingest(['-']); "
            "print(len(r.documents), r.documents[0].source, r.documents[0].title)")
    done = subprocess.run([sys.executable, "-c", code], input="Bridge budget approved\n\n" + BODY,
                          capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split()[:2] == ["1", "<stdin>"]
