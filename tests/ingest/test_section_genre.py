"""An opinion section in the page's URL is metadata a reader trusts: the piece is opinion."""

from __future__ import annotations

import pytest

from storylens.ingest import build_document
from storylens.ingest.sources import RawItem

BODY = (
    "The ferry operator added two evening crossings on the northern route from Monday, the port authority said. "
    "Tickets for the new crossings went on sale at the harbour office on Friday."
)


@pytest.mark.parametrize(("url", "genre"), [
    ("https://gazette.example/opinion/2031/05/04/ferries-at-last", "opinion"),
    ("https://gazette.example/commentisfree/2031/may/04/ferries", "opinion"),
    ("https://gazette.example/news/columnists/ferries", "opinion"),
    ("https://gazette.example/news/2031/05/04/ferries", "unknown"),
    # the article's own slug is no section: a report on opinion polls
    ("https://gazette.example/politics/opinion", "unknown"),
    ("https://gazette.example/news/opinion-polls-favour-ferries", "unknown"),
])
def test_an_opinion_section_in_the_url_path_labels_the_piece(url: str, genre: str) -> None:
    doc = build_document(RawItem("ferry.html", "text", BODY, {"url": url}))
    assert doc.genre == genre
