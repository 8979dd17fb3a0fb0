"""--max-records applies to a feed before it is parsed (issue 13): a feed of many items costs
what one of ``--max-records`` items does, and the first items are read as they would be whole."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st

from storylens.ingest import ingest
from storylens.ingest.sources import first_entries
from storylens.options import Options

BODIES = st.sampled_from([
    "plain words about the tram line",
    "<![CDATA[<p>an <item>inside a CDATA section</item> is text</p>]]>",
    "<!-- <item> in a comment --> the budget vote",
    "&lt;entry&gt; escaped, not a tag",
])


def _rss(bodies: list[str]) -> str:
    items = "".join(f"<item><title>Item {i}</title><description>{b}</description></item>"
                    for i, b in enumerate(bodies))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>{items}</channel></rss>'


def _atom(bodies: list[str]) -> str:
    entries = "".join(f'<entry><title>Entry {i}</title><id>urn:e{i}</id><summary type="html">{b}</summary></entry>'
                      for i, b in enumerate(bodies))
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title>{entries}</feed>'


@settings(max_examples=60, deadline=None)
@given(bodies=st.lists(BODIES, min_size=1, max_size=12), limit=st.integers(1, 14), atom=st.booleans())
def test_a_cut_feed_reads_the_same_first_entries(bodies: list[str], limit: int, atom: bool) -> None:
    text = (_atom if atom else _rss)(bodies)
    cut_text, cut = first_entries(text, limit)
    assert cut == (len(bodies) > limit)
    whole = feedparser.parse(text)
    part = feedparser.parse(cut_text)
    assert not part.bozo  # the closing tags are kept: still well-formed XML
    assert part.feed.get("title") == "Gazette"
    expected = whole.entries[:limit]
    assert [e.get("title") for e in part.entries] == [e.get("title") for e in expected]
    assert [e.get("summary") for e in part.entries] == [e.get("summary") for e in expected]


def test_many_items_are_refused_before_they_are_parsed(tmp_path: Path) -> None:
    body = "The council of Varden approved the tram line at a cost of {n} thousand euros on Monday."
    path = tmp_path / "many.rss"
    path.write_text(_rss([body.format(n=i) for i in range(20_000)]), encoding="utf-8")
    size = path.stat().st_size
    tracemalloc.start()
    result = ingest([str(path)], Options(max_records=10))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(result.documents) == 10
    assert [e.code for e in result.errors] == ["SL031"]
    assert "0" in result.documents[0].text and "9 thousand" in result.documents[-1].text
    # the file's text, decoded once and cut once; parsing all 20,000 items took many times that
    assert peak < 6 * size, f"peak {peak / 2**20:.1f} MiB for a {size / 2**20:.1f} MiB feed"
