"""Candidate loaded wording: adjectives and adverbs in the outlet's own voice.

Text inside quotation marks is the speaker's, not the outlet's, and is skipped;
so are names ("South Sudanese"), compass words and stop words. A candidate is kept
when the TextBlob lexicon rates it evaluative (strongly subjective and
non-neutral), or when it is an adjective that may describe a named thing: which
one is decided across documents (``storify.framing``), from ``targets``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from storylens.lexicon import polarity, subjectivity
from storylens.records import TermCandidate
from storylens.wordlists import STOP_WORDS

if TYPE_CHECKING:
    from storylens.annotate import ParsedDoc

__all__ = ["term_candidates", "EVALUATIVE_SUBJECTIVITY", "EVALUATIVE_POLARITY"]

#: compass words name a part of a place, they do not describe it
_DIRECTIONS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeastern", "northwestern", "southeastern", "southwestern", "upper", "lower",
}
#: verbs that link a subject to a description of it
_LINKING = {"be", "seem", "appear", "look", "sound", "prove", "become"}
EVALUATIVE_SUBJECTIVITY = 0.7
EVALUATIVE_POLARITY = 0.2


def _quoted_chars(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks, paragraph by paragraph (unbalanced: none)."""
    out: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        marks = [para.start() + m.start() for m in re.finditer(r'["“”]', para.group(0))]
        if len(marks) % 2:
            continue
        out += [(marks[i], marks[i + 1]) for i in range(0, len(marks), 2)]
    return out


def _evaluative(word: str) -> bool:
    return subjectivity(word) >= EVALUATIVE_SUBJECTIVITY and abs(polarity(word)) >= EVALUATIVE_POLARITY


def _range(tok: Any) -> tuple[int, int]:
    return tok.idx, tok.idx + len(tok.text)


def _entity_words(tok: Any) -> list[tuple[int, int]]:
    """Where the name of what a noun token stands for may be, in order: the token, the
    heads of a compound name it is part of ("Mayor" in "Mayor Ada Quill"), then an
    apposition ("the mayor, Ada Quill")."""
    out = [_range(tok)]
    while tok.dep_ == "compound" and tok.head is not tok:
        tok = tok.head
        out.append(_range(tok))
    for other in [*tok.children, tok.head]:
        if (other.dep_ == "appos" and other.head is tok) or (tok.dep_ == "appos" and other is tok.head):
            out.append(_range(other))
    return out


def term_candidates(parsed: ParsedDoc) -> list[TermCandidate]:
    """Evaluative words and possible descriptors of named things, in the document's own voice."""
    text = parsed.doc.text
    quoted = _quoted_chars(text)
    names = [(m.span.start, m.span.end) for m in parsed.mentions]
    out: list[TermCandidate] = []
    for tok in parsed.sp:
        if tok.pos_ not in ("ADJ", "ADV") or not tok.is_alpha or tok.lower_ in STOP_WORDS:
            continue
        # the outlet's own voice, and words, not names ("South Sudanese", "Chilean")
        if any(s < tok.idx < e for s, e in quoted) or tok.text[0].isupper() or any(a <= tok.idx < b for a, b in names):
            continue
        if tok.lower_ in _DIRECTIONS:
            continue
        targets: list[tuple[int, int]] = []
        if tok.pos_ == "ADJ" and tok.dep_ == "amod":
            targets = _entity_words(tok.head)
        elif (
            tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.head.lemma_.lower() in _LINKING
            and not any(c.dep_ in ("xcomp", "ccomp") for c in tok.children)
        ):  # "X is careless"; not "likely to", "able to", nor a state ("stays closed")
            subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            targets = _entity_words(subj) if subj is not None else []
        elif tok.pos_ == "ADV" and tok.dep_ == "advmod" and tok.head.pos_ in ("VERB", "AUX"):
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            targets = _entity_words(subj) if subj is not None else []
        evaluative = _evaluative(tok.lower_)
        if evaluative or (targets and tok.pos_ == "ADJ"):
            start, end = _range(tok)
            out.append(TermCandidate(start=start, end=end, lemma=str(tok.lemma_ or tok.text).lower(),
                                     pos=tok.pos_, evaluative=evaluative, targets=targets))
    return out
