"""Sentence boundaries that the parser alone gets wrong in web articles."""

from __future__ import annotations

from storylens.annotate import annotate
from storylens.models import Document


def _sentences(text: str) -> list[str]:
    [record] = annotate([Document(id="d", source="d.txt", text=text)])
    return [record.doc.text[a:b] for a, b in record.doc.sentences]


def test_a_heading_on_its_own_paragraph_is_not_glued_to_the_next_sentence() -> None:
    text = (
        "The council met on Monday to discuss the harbour.\n\n"
        "Years of Neglect and Recent Repairs\n\n"
        "The harbour wall has been repaired twice since 2019. Work resumes in May."
    )
    sentences = _sentences(text)
    assert "The harbour wall has been repaired twice since 2019." in sentences
    assert not any("Repairs" in s and "harbour wall" in s for s in sentences)


def test_a_sentence_broken_by_a_blank_line_in_lower_case_runs_on() -> None:
    # a hard break inside a sentence (extraction left it) is not a sentence end
    sentences = _sentences("The mayor said the harbour would\n\nreopen in May after repairs. Work starts soon.")
    assert any("would" in s and "reopen in May" in s for s in sentences)
