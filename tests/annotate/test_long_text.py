"""A long text is parsed in pieces cut at paragraph breaks and joined into one parse of the
whole text (issue 13): memory follows the piece, every span still indexes the document."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storylens.annotate as annotate_module
from storylens.annotate import annotate, pieces
from storylens.models import Document

PARAGRAPHS = [
    "The council of Varden approved the tram line on Monday, officials said.",
    '"We will not accept these terms," Mayor Lena Ortiz said on Tuesday.',
    "Engineers from Halden Rail found cracks in two supports during an inspection in March.",
    "The budget was cut by 12 percent, according to the finance committee of Port Kessel.",
]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab .\n\n\"'"), max_size=600), limit=st.integers(4, 80))
def test_pieces_cover_the_text_within_the_limit(text: str, limit: int) -> None:
    cuts = pieces(text, limit)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in zip(cuts, cuts[1:], strict=False))
    assert all(0 < end - start <= limit for start, end in cuts if text)


def test_pieces_end_at_paragraph_breaks_when_there_are_some() -> None:
    text = "\n\n".join(PARAGRAPHS * 6)
    for start, end in pieces(text, 300):
        assert end == len(text) or text[end - 2 : end] == "\n\n", (start, end)


def test_a_long_text_is_annotated_piece_by_piece(nlp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(annotate_module, "PIECE_CHARS", 400)
    text = "Council Budget Marathon Ends\n\n" + "\n\n".join(PARAGRAPHS * 5) + "\n"
    doc = Document(id="long", source="long.txt", text=text, title="Council Budget Marathon Ends")
    short = Document(id="short", source="short.txt", text=PARAGRAPHS[0])
    errors: list = []  # type: ignore[type-arg]
    records = annotate([short, doc], errors=errors)
    assert errors == []
    record = next(r for r in records if r.doc.id == "long")
    assert len(pieces(text, 400)) >= 5  # really parsed in pieces
    # every span indexes the document's text, in the last pieces as in the first
    spans = [m.span for m in record.mentions] + [q.span for q in record.quotes]
    spans += [t.span for t in record.doc.times] + [q.span for q in record.doc.quantities]
    assert spans and all(text[s.start : s.end] == s.text for s in spans)
    assert max(s.start for s in spans) > len(text) - 400
    assert all(text[d.start : d.end] == d.text for d in record.drafts)
    # sentences run end to end, none across a piece's end
    assert len(record.doc.sentences) >= len(PARAGRAPHS) * 5
    ends = {end for _, end in pieces(text, 400)}
    assert not any(start < e < end for start, end in record.doc.sentences for e in ends)
    # the quote's speaker is found in a later piece as in the first
    assert sum(1 for q in record.quotes if "Ortiz" in (q.speaker_text or "")) == 5
