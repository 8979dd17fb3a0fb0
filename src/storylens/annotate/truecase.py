"""Headlines in title case or capitals, parsed as a sentence would be written.

"Sixers Hire Maurice Cheeks as Head Coach" and "CHARGERS' RECEIVER ARRESTED" parse
badly: the tagger reads every capitalised word as a name, so the headline has no verb,
no claim and nothing to align, although it is often the only place an outlet states its
fact. Before parsing, such a headline is written in sentence case, word by word from the
article's own body: a word the body writes in lower case ("hire", "coach") is lowered, a
word the body writes capitalised in mid-sentence ("Cheeks", "Chargers") keeps that form,
and the small function words ("as", "to") are lowered. Only case changes, so every
character keeps its offset; the parse is then laid onto the text as written (``restore``),
and every span still indexes ``Document.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from storylens.wordlists import STOP_WORDS

__all__ = ["sentence_case_headline", "restore"]

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
#: endings a headline's word may carry that the body's form of it does not ("Hires" / "hired")
_ENDINGS = ("ing", "es", "ed", "s", "d")
#: a headline is in title case (or capitals) when at least this share of its words is
TITLE_SHARE = 0.6
#: a capitalised word right after one of these starts a sentence: its case says nothing
_SENTENCE_START = re.compile(r"(^|[.!?:;\"“”]\s*|\n\s*)$")


def _body_forms(body: str) -> tuple[set[str], set[str]]:
    """(words the body writes in lower case, words it writes capitalised mid-sentence)."""
    lower: set[str] = set()
    capital: set[str] = set()
    for m in _WORD.finditer(body):
        w = m.group()
        if w[0].islower():
            lower.add(w.lower())
        elif not _SENTENCE_START.search(body[max(0, m.start() - 3) : m.start()]):
            capital.add(w)
    return lower, capital


def _lowered_in_body(low: str, lower: list[str]) -> bool:
    """The body writes this word, or another form of it, in lower case ("hire" / "hired")."""
    stems = {low} | {low[: -len(e)] for e in _ENDINGS if low.endswith(e) and len(low) - len(e) >= 3}
    for stem in stems:
        k = bisect_left(lower, stem)
        if k < len(lower) and lower[k].startswith(stem) and len(lower[k]) - len(stem) <= 3:
            return True
    return False


def sentence_case_headline(text: str, end: int) -> str | None:
    """``text`` with its headline (``text[:end]``) in sentence case, or None when the
    headline is not in title case or capitals (or there is none)."""
    if end <= 0:
        return None
    head = text[:end]
    words = list(_WORD.finditer(head))
    if len(words) < 3 or sum(w.group()[0].isupper() for w in words) / len(words) < TITLE_SHARE:
        return None
    lower_set, capital = _body_forms(text[end:])
    lower = sorted(lower_set)
    by_lower = {c.lower(): c for c in sorted(capital)}
    out = list(head)
    for k, m in enumerate(words):
        w = m.group()
        low = w.lower()
        if w in capital:
            continue  # written so in the body: a name ("Cheeks", "UN")
        if low in by_lower and w.isupper() and len(w) > 1:
            new = by_lower[low]  # "CHARGERS" → "Chargers"
        elif k == 0:
            known = low in STOP_WORDS or _lowered_in_body(low, lower)
            new = w[0] + w[1:].lower() if w.isupper() and len(w) > 1 and known else w
        elif low in STOP_WORDS or _lowered_in_body(low, lower):
            new = low
        else:
            continue  # unknown to the body: left as written
        if len(new) == len(w):
            out[m.start() : m.end()] = new
    cased = "".join(out)
    return None if cased == head else cased + text[end:]


def restore(nlp: Any, parsed: Any, text: str) -> Any:
    """The parse of a re-cased text laid onto the text as written (same offsets): a new
    ``Doc`` of the original words with the parse's tags, lemmas, tree and entities."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
    from spacy.tokens import Doc

    words = [text[t.idx : t.idx + len(t.text)] for t in parsed]
    spaces = [bool(t.whitespace_) for t in parsed]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    attrs = [TAG, POS, MORPH, DEP, HEAD, LEMMA, ENT_IOB, ENT_TYPE]
    doc.from_array(attrs, parsed.to_array(attrs))
    if doc.text != text:  # spans index the document's text: never hand on another one
        raise ValueError("the re-cased parse does not cover the text")
    return doc
