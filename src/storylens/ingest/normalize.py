"""Unicode normalisation that keeps an offset map back to the input.

Curly quotes and apostrophes (including U+2018 used as an apostrophe, as in
``Name‘s``) become ASCII so the tokenizer splits possessives; dashes, odd
spaces and invisible characters are normalised; a "?" that opens a word is a character an
earlier encoding step lost, and goes. NFKC handles the rest.

Control characters (C0 other than tab and line breaks, DEL, C1) are dropped: they
carry no text and, copied into a report or a terminal, can rewrite the screen.
A lone surrogate (possible from a JSON ``\\ud800`` escape) becomes U+FFFD, so the
text can always be encoded as UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TABLE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u3000": " ", "\t": " ",
    "\u2026": "...",
    "\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n",
    "\x0b": "\n", "\x0c": "\n",
}
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"} | {
    chr(c) for c in (*range(0x00, 0x20), *range(0x7f, 0xa0)) if chr(c) not in "\t\n\r\x0b\x0c"
}
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_field(value: str) -> str:
    """A metadata value (title, author, outlet) safe to store and show: no control
    characters, no lone surrogates, one line."""
    value = _SURROGATES.sub("\ufffd", value)
    return " ".join(_CONTROLS.sub("", value).split())
_KEYS = sorted(_TABLE, key=len, reverse=True)
_RX = re.compile("|".join(re.escape(k) for k in _KEYS))


@dataclass(frozen=True)
class Normalized:
    text: str
    #: offsets[i] = index in the original of output char i (len(text)+1 entries)
    offsets: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end]


#: characters that may need work; everything else (printable ASCII but the backtick and
#: the question mark, and line feeds) is copied in runs, which keeps a megabyte of text well under a second
_SPECIAL = re.compile("[^\x20-\x3e\x40-\x5f\x61-\x7e\n]")


def _lost_character(text: str, j: int) -> bool:
    """A "?" that stands for a character an earlier encoding step lost, between a space and a
    word ("She did not ?mislead", ". ?Those are"): a question mark ends a word, never opens one.
    Left in, it splits a clause from its negation."""
    return 0 < j < len(text) - 1 and text[j - 1] in " \n" and text[j + 1].isalpha()


def normalize(original: str) -> Normalized:
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    for special in _SPECIAL.finditer(original):
        j = special.start()
        if j < i:  # consumed with the character before it ("\r\n")
            continue
        if j > i:
            out.append(original[i:j])
            offsets.extend(range(i, j))
        ch = original[j]
        i = j + 1
        if ch in _DROP or ch == "?" and _lost_character(original, j):
            continue
        m = _RX.match(original, j)
        if m:
            rep = _TABLE[m.group(0)]
            out.append(rep)
            offsets.extend([j] * len(rep))
            i = m.end()
            continue
        if "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
            offsets.append(j)
            continue
        if ord(ch) > 127:
            rep = unicodedata.normalize("NFKC", ch)
            if rep != ch and rep:
                out.append(rep)
                offsets.extend([j] * len(rep))
                continue
        out.append(ch)
        offsets.append(j)
    if i < len(original):
        out.append(original[i:])
        offsets.extend(range(i, len(original)))
    offsets.append(len(original))
    return Normalized("".join(out), offsets)
