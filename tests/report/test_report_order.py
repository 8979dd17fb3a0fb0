"""What a reader meets first in the matrices and the story list: claims in a reading order
(most sources first, then where the articles state them, never alphabetically), and a
story's span by day, the same in Markdown and HTML."""

from __future__ import annotations

from storylens.models import Analysis, Claim, Document, ScoredSpan, Story
from storylens.report.html import render_html
from storylens.report.markdown import render_markdown

TEXT_A = ("The Vell ferry left Dunmarra on Monday with 300 passengers. "
          "And then the crossing took four hours. "
          "Also, the operator sold every ticket.")
TEXT_B = ("The Vell ferry left Dunmarra on Monday with 300 passengers, the operator said. "
          "And then the crossing took four hours, passengers said. "
          "Also, the operator sold every ticket, it said.")


def _scored(doc: Document, needle: str) -> ScoredSpan:
    start = doc.text.index(needle)
    return ScoredSpan(doc=doc.id, start=start, end=start + len(needle), text=needle, score=0.9)


def _analysis() -> Analysis:
    a = Document(id="a", source="a.txt", outlet="Fenwick Herald", text=TEXT_A, genre="report")
    b = Document(id="b", source="b.txt", outlet="Orchard Times", text=TEXT_B, genre="report")
    claims = []
    # given out of reading order, and alphabetically "Also" < "And" < "The"
    for cid, needle_a, needle_b in (
        ("c3", "Also, the operator sold every ticket.", "Also, the operator sold every ticket"),
        ("c2", "And then the crossing took four hours.", "And then the crossing took four hours"),
        ("c1", "The Vell ferry left Dunmarra on Monday with 300 passengers.",
         "The Vell ferry left Dunmarra on Monday with 300 passengers"),
    ):
        claims.append(Claim(id=cid, text=needle_a, support=[_scored(a, needle_a), _scored(b, needle_b)],
                            independent_sources=2, status="corroborated", story="s1"))
    return Analysis(documents=[a, b], claims=claims,
                    stories=[Story(id="s1", label="Vell ferry sails", docs=["a", "b"],
                                   first_seen="2031-04-02T18:09", last_seen="2031-04-09"),
                             Story(id="s2", label="Dunmarra harbour", docs=[],
                                   first_seen="2031-04-05T07:30", last_seen="2031-04-05T21:00")])


def test_matrix_lists_claims_in_reading_order_in_markdown_and_html() -> None:
    analysis = _analysis()
    md = render_markdown(analysis)
    html = render_html(analysis)
    first, second, third = "The Vell ferry left", "And then the crossing", "Also, the operator"
    for page in (md, html):
        matrix = page[page.index("orroboration matrix"):]
        assert matrix.index(first) < matrix.index(second) < matrix.index(third)


def test_a_storys_span_is_given_by_day() -> None:
    analysis = _analysis()
    for page in (render_markdown(analysis), render_html(analysis)):
        assert "2031-04-02 to 2031-04-09" in page
        assert "T18:09" not in page and "T07:30" not in page
        assert "2031-04-05 to" not in page  # one day is named once


def test_a_publication_time_reads_without_the_iso_t() -> None:
    analysis = _analysis()
    analysis.documents[0].published = "2031-04-02T18:09"
    for page in (render_markdown(analysis), render_html(analysis)):
        assert "2031-04-02 18:09" in page and "2031-04-02T18:09" not in page


def test_a_quote_one_outlet_printed_is_one_line_on_the_markdown_board() -> None:
    from storylens.models import Quote, Span

    analysis = _analysis()
    a = analysis.documents[0]
    start = a.text.index("the crossing took four hours")
    words = "the crossing took four hours"
    analysis.quotes = [Quote(id="q1", span=Span(doc="a", start=start, end=start + len(words), text=words),
                             direct=False, speaker_text="Captain Ilse Varga", statement=True)]
    md = render_markdown(analysis)
    board = md[md.index("## Quote board"):]
    assert "1. Fenwick Herald (reported): the crossing took four hours" in board
    assert "carried by 1" not in board
