"""Quotation marks on the characters: direct quotation regions, paragraph by paragraph."""

from __future__ import annotations

import bisect
import re

from storylens.annotate.quotes.cues import (
    _DOUBLE_MARK,
    _ELISION,
    _OPEN_BEFORE,
    _WORD,
    QuoteRegion,
)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            s = pos + (len(line) - len(line.lstrip()))
            e = pos + len(line.rstrip())
            out.append((s, e))
        pos = end + 1
    return out


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


def _opener_shaped(text: str, i: int, width: int = 1) -> bool:
    p, n = _prev(text, i), _next(text, i + width - 1)
    return (p in _OPEN_BEFORE or p in "\"'") and n not in ("", " ", "\n")


def _closer_shaped(text: str, i: int, width: int = 1) -> bool:
    p, n = _prev(text, i), _next(text, i + width - 1)
    return p not in ("", " ", "\n") and (n in ("", " ", "\n") or not n.isalnum())


def _double_regions(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteRegion]:
    regions: list[QuoteRegion] = []
    open_at: int | None = None
    open_w = 1
    n_par = 1
    prev_end = 0
    for p_start, p_end in paragraphs:
        # a double mark, or two apostrophes standing for one ('' as some newspapers print it)
        marks = [(m.start(), len(m.group())) for m in _DOUBLE_MARK.finditer(text, p_start, p_end)]
        if open_at is not None:
            if marks and marks[0][0] == p_start and _opener_shaped(text, p_start, marks[0][1]):
                marks = marks[1:]  # the continuation mark of a multi-paragraph quote
                n_par += 1
            else:
                regions.append(QuoteRegion(open_at, prev_end, closed=False, paragraphs=n_par))
                open_at = None
        for m, w in marks:
            if open_at is None:
                if _closer_shaped(text, m, w) and not _opener_shaped(text, m, w):
                    continue  # a stray closing mark
                open_at, open_w, n_par = m, w, 1
            else:
                regions.append(QuoteRegion(open_at, m + w, paragraphs=n_par, mark_width=open_w))
                open_at = None
        prev_end = p_end
    if open_at is not None:
        regions.append(QuoteRegion(open_at, prev_end, closed=False, paragraphs=n_par))
    return regions


def _single_regions(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteRegion]:
    regions: list[QuoteRegion] = []
    for p_start, p_end in paragraphs:
        marks = [p_start + m.start() for m in re.finditer("(?<!')'(?!')", text[p_start:p_end])]
        if len(marks) < 2:
            continue
        k = 0
        while k < len(marks):
            o = marks[k]
            if not _opener_shaped(text, o) or _ELISION.match(text, o):
                k += 1
                continue
            strong = weak = None
            for j in range(k + 1, len(marks)):
                c = marks[j]
                if c <= o + 1 or not _closer_shaped(text, c):
                    continue
                nxt = text[c + 1 : c + 3]
                possessive = _prev(text, c) in "sS" and re.match(r" [a-z0-9]", nxt) is not None
                if possessive:
                    weak = weak if weak is not None else j
                    continue
                strong = j
                break
            j_close = strong if strong is not None else weak
            if j_close is None:
                k += 1
                continue
            regions.append(QuoteRegion(o, marks[j_close] + 1, mark="'"))
            k = j_close + 1
    return regions


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Outermost quotations in ``text`` (nested ones stay inside their outer quote)."""
    paragraphs = _paragraphs(text)
    doubles = _double_regions(text, paragraphs)
    singles = _single_regions(text, paragraphs)
    starts = [r.start for r in doubles]
    kept: list[QuoteRegion] = list(doubles)
    for s in singles:
        i = bisect.bisect_right(starts, s.start)
        clash = False
        for r in doubles[max(0, i - 1) : i + 1]:
            if r.start < s.end and s.start < r.end:
                clash = True
                break
        if not clash:
            kept.append(s)
    kept.sort(key=lambda r: r.start)
    # drop double regions nested in a single-quoted region (British outer marks)
    out: list[QuoteRegion] = []
    for r in kept:
        if out and r.start >= out[-1].start and r.end <= out[-1].end:
            continue
        out.append(r)
    return out


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))
