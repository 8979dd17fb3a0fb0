"""Numbers with units: "11,000 containers", "$2.5 billion", "40 percent"."""

from __future__ import annotations

from typing import Any

from storylens.annotate.times import parse_number
from storylens.models import Quantity, Span

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3}
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_UNIT_WORDS = {"percent": "%", "per cent": "%", "%": "%"}
#: units written right after the number ("600m", "12km", "2,000ft")
_UNIT_ABBREVIATIONS = {"m", "km", "cm", "mm", "ft", "mi", "kg", "lb", "lbs"}


_DEFINITE = {"the", "both", "these", "those", "all", "its", "their", "our"}


def _is_model_number(toks: list[Any], i: int) -> bool:
    """The number in a name such as "AK-47", "F-16", "Boeing 737" or "Covid-19" is not a count."""
    if i >= 1 and toks[i - 1].text == "-" and i >= 2 and toks[i - 2].text[:1].isupper():
        return True
    if i >= 1 and toks[i - 1].text[:1].isupper() and toks[i - 1].text.isupper() and len(toks[i - 1].text) <= 4:
        return bool(toks[i - 1].idx + len(toks[i - 1].text) == toks[i].idx - 1 or toks[i - 1].text.endswith("-"))
    return bool(i >= 1 and toks[i - 1].pos_ == "PROPN" and toks[i].text.isdigit() and toks[i].dep_ == "compound")


def _metres(toks: list[Any], j: int, unit: str | None) -> bool:
    """"m" after a number is metres ("fell 600m"), unless money is counted ("$5m") or people
    and things follow ("5m viewers")."""
    if toks[j].lower_ != "m" or unit is not None:
        return False
    return not (j + 1 < len(toks) and toks[j + 1].tag_ == "NNS")


def extract_quantities(sp_doc: Any, doc_id: str, exclude: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Quantities outside dates/times; "the two countries" is a reference, not a count."""
    text = sp_doc.text
    date_chars: set[int] = set()
    for ent in sp_doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            date_chars.update(range(ent.start_char, ent.end_char))
    for start, end in exclude or []:
        date_chars.update(range(start, end))
    out: list[Quantity] = []
    i = 0
    toks = list(sp_doc)
    while i < len(toks):
        tok = toks[i]
        # "1849 rounds" is a count even when the tagger took it for a year
        counted_noun = tok.i + 1 < len(toks) and toks[tok.i + 1].tag_ == "NNS"
        in_date = tok.idx in date_chars and not (counted_noun and tok.ent_iob_ == "B" and tok.ent_type_ == "DATE"
                                                 and (tok.i + 1 >= len(toks) or toks[tok.i + 1].ent_type_ != "DATE"))
        if in_date or not (tok.like_num and tok.pos_ in ("NUM", "ADJ", "NOUN", "PROPN", "X")):
            i += 1
            continue
        if tok.lower_ in ("one", "a", "an") and tok.dep_ not in ("nummod",):
            i += 1
            continue
        value = parse_number(tok.text)
        if _is_model_number(toks, tok.i):
            i += 1
            continue
        if tok.i > 0 and toks[tok.i - 1].lower_ in _DEFINITE and not tok.text[0].isdigit():
            value = None
        if value is None:
            i += 1
            continue
        start, end = tok.idx, tok.idx + len(tok.text)
        unit: str | None = None
        if tok.i > 0 and toks[tok.i - 1].text in _CURRENCY:
            unit = _CURRENCY[toks[tok.i - 1].text]
            start = toks[tok.i - 1].idx
        j = i + 1
        while j < len(toks) and toks[j].lower_ in _SCALE and not _metres(toks, j, unit):
            value *= _SCALE[toks[j].lower_]
            end = toks[j].idx + len(toks[j].text)
            j += 1
        if j + 1 < len(toks) and toks[j].text == "-" and toks[j + 1].pos_ in ("NOUN", "ADJ"):
            j += 1  # "101-storey", "two-day"
        if j < len(toks):
            nxt = toks[j]
            if nxt.lower_ in _UNIT_WORDS or nxt.text == "%":
                unit = "%"
                end = nxt.idx + len(nxt.text)
                j += 1
            elif unit is None and nxt.lower_ in _UNIT_ABBREVIATIONS and nxt.idx == toks[j - 1].idx + len(toks[j - 1].text):
                unit = nxt.lower_  # "600m", "2,000ft": the tagger often takes the unit for a verb
                end = nxt.idx + len(nxt.text)
                j += 1
            elif unit is None and nxt.pos_ in ("NOUN", "PROPN") and nxt.idx not in date_chars:
                unit = nxt.lemma_.lower()
                end = nxt.idx + len(nxt.text)
                j += 1
            elif unit is None and nxt.text == "of" and j + 1 < len(toks) and toks[j + 1].pos_ == "NOUN":
                unit = toks[j + 1].lemma_.lower()
                end = toks[j + 1].idx + len(toks[j + 1].text)
                j += 2
        out.append(Quantity(span=Span(doc=doc_id, start=start, end=end, text=text[start:end]),
                            value=value, unit=unit))
        i = j
    return out
