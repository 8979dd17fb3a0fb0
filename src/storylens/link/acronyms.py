"""Acronyms a text defines: "the World Food Programme (WFP)" and "WFP (World Food Programme)".

The definition finder is the algorithm of Schwartz and Hearst (2003, "A simple algorithm
for identifying abbreviation definitions in biomedical text"): a short form in
parentheses right after a candidate long form of at most ``min(|SF| + 5, 2 * |SF|)``
words; the long form is the shortest tail of the candidate whose characters hold every
letter and digit of the short form in order, read from the right, with the short form's
first character at the start of a word. The reversed order (short form first, long form
in parentheses) is tried the same way.

News copy adds one condition: the short form carries at least two capitals ("(WFP)",
"(MoD)"), so "(in Chinese)" or "(2024)" define nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AcronymDefinition", "find_definitions", "best_long_form"]

#: "( ... )" on one line, with no nested parenthesis
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_WORD = re.compile(r"\S+")
_SHORT = re.compile(r"^[^\W_][\w.&'-]{1,9}$")


@dataclass(frozen=True)
class AcronymDefinition:
    """``short`` stands for ``long`` (``long_start``/``long_end`` are offsets into the text)."""

    short: str
    long: str
    long_start: int
    long_end: int


def _is_short_form(text: str) -> bool:
    if not _SHORT.match(text) or not any(c.isalpha() for c in text):
        return False
    return sum(c.isupper() for c in text) >= 2


def best_long_form(short: str, long_: str) -> int | None:
    """Start offset in ``long_`` of the shortest tail that ``short`` abbreviates, or None."""
    s = len(short) - 1
    i = len(long_) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (long_[i].lower() != c or (s == 0 and i > 0 and long_[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = long_.rfind(" ", 0, i + 1) + 1
    return start


def _candidate(text: str, end: int, short: str) -> tuple[int, str] | None:
    """The words right before ``end`` in the same sentence, at most the Schwartz–Hearst window."""
    limit = min(len(short) + 5, 2 * len(short))
    line_start = text.rfind("\n", 0, end) + 1
    words = list(_WORD.finditer(text, line_start, end))[-limit:]
    kept: list[re.Match[str]] = []
    for w in reversed(words):
        word = w.group()
        # a sentence ends before this word ("U.S." is an abbreviation, not an end)
        if kept and word[-1] in ".!?;:" and word.count(".") < 2:
            break
        kept.append(w)
    if not kept:
        return None
    start = kept[-1].start()
    return start, text[start:end]


def _accept(short: str, long_: str) -> bool:
    words = long_.split()
    if len(long_) <= len(short) or len(words) < 2 and not any(c.isupper() for c in short[1:]):
        return False
    # a long form that is the short form itself, or holds it as a word, defines nothing
    return short.lower() not in {w.lower().strip(",.") for w in words} and long_[:1].isupper()


def find_definitions(text: str) -> list[AcronymDefinition]:
    """Every acronym ``text`` defines, in order (a short form may be defined more than once)."""
    out: list[AcronymDefinition] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        if _is_short_form(inner):
            cand = _candidate(text, m.start(), inner)
            if cand is None:
                continue
            base, words = cand
            trimmed = words.rstrip()
            start = best_long_form(inner, trimmed)
            if start is None:
                continue
            long_ = re.sub(r"^(?:the|a|an)\s+", "", trimmed[start:], flags=re.I)
            offset = base + len(trimmed) - len(long_)
            if _accept(inner, long_):
                out.append(AcronymDefinition(inner, long_, offset, offset + len(long_)))
            continue
        # reversed: "WFP (World Food Programme)"
        before = text[: m.start()].rstrip()
        short_m = re.search(r"([^\W_][\w.&'-]{1,9})$", before)
        if short_m is None or not _is_short_form(short_m.group(1)):
            continue
        short = short_m.group(1)
        long_ = re.sub(r"^(?:the|a|an)\s+", "", inner, flags=re.I)
        if len(long_.split()) > min(len(short) + 5, 2 * len(short)):
            continue
        start = best_long_form(short, long_)
        if start != 0 or not _accept(short, long_):
            continue  # the whole parenthesis must be the long form
        offset = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip())) + len(inner) - len(long_)
        out.append(AcronymDefinition(short, long_, offset, offset + len(long_)))
    return out
