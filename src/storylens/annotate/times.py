"""Time expressions resolved against the article's own date.

We resolve only what the text and the anchor support: "June 18" takes the
anchor's year (the nearest such date), "Tuesday" the nearest Tuesday in the
direction the sentence's tense points to, "last month" the month before the
anchor. A duration ("in 24 years") is a duration, never a date. Without an
anchor, relative expressions keep ``value = None``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from storylens.ingest.dates import parse_date_text
from storylens.models import Span, TimeExpression
from storylens.wordlists import DURATION_NUMBER_WORDS, MONTHS, WEEKDAYS

#: number words that count a duration ("a year", "three weeks")
NUMBER_WORDS = DURATION_NUMBER_WORDS
_UNIT = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M", "decade": "Y"}
_NUM = r"(?P<n>\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_DURATION = re.compile(
    rf"^(?:(?:in|for|over|after|within|during|about|nearly|almost|more than|some)\s+)*(?:the\s+)?(?:(?:past|last|next|first|following)\s+)?"
    rf"{_NUM}[\s-]+(?P<u>year|month|week|day|hour|minute|decade)s?(?:[\s-]+(?:long|old))?$",
    re.I,
)
_AGO = re.compile(rf"^{_NUM}\s+(?P<u>year|month|week|day)s?\s+ago$", re.I)
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_RANGE_MD = re.compile(rf"{_MONTH}\s+(?P<d1>\d{{1,2}})\s*(?:-|to|and)\s*(?P<d2>\d{{1,2}})(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.I)
_RANGE_DM = re.compile(rf"(?P<d1>\d{{1,2}})\s*(?:-|to|and)\s*(?P<d2>\d{{1,2}})\s+{_MONTH}(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.I)
_MONTH_YEAR = re.compile(rf"^(?:(?:in|since|by|until|from|of|early|late|mid|last|this|next)[\s-]+)*{_MONTH}(?:,?\s+(?P<y>(?:19|20)\d\d))?$", re.I)
_YEAR = re.compile(r"^(?:(?:in|since|by|until|from|of|the|early|late|mid|year)[\s-]+)*(?P<y>(?:1[5-9]|20)\d\d)$", re.I)
_YEAR_RANGE = re.compile(r"(?P<y1>(?:19|20)\d\d)\s*(?:-|to)\s*(?P<y2>(?:19|20)?\d\d)$")
_RELATIVE = re.compile(r"^(?:(?:the|of)\s+)?(?P<which>last|this|next|past|previous|coming)\s+(?P<u>week|month|year)(?:'s)?$", re.I)
_WEEKDAY = re.compile(r"^(?:(?:on|by|until|since|from|early|late)\s+)?(?:(?P<which>last|this|next|past|coming)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night))?$", re.I)
_DEICTIC = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_CLOCK = re.compile(
    r"(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?|o'clock|in the (?:morning|afternoon|evening)|at night|hrs|h\b)?",
    re.I,
)
_SET = re.compile(r"^(?:every|each|per)\s+(?P<u>year|month|week|day)$|^(?P<adj>annual|yearly|monthly|weekly|daily|annually)$", re.I)
_FUTURE_LEMMAS = {"will", "shall", "schedule", "plan", "expect", "due", "intend", "set", "upcoming"}


def _shift_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + (d.month - 1) + months, 12)
    return dt.date(y, m + 1, 1)


def _nearest_year(anchor: dt.date, month: int, day: int) -> dt.date | None:
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - anchor).days) < abs((best - anchor).days):
            best = cand
    return best


def parse_number(text: str) -> float | None:
    """A number written in digits (with thousands commas) or as a word."""
    t = text.lower().replace(",", "").strip()
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


def _duration(n: float, unit: str) -> str:
    u = unit.lower()
    amount = n * 10 if u == "decade" else n
    amount_s = str(int(amount)) if amount == int(amount) else str(amount)
    return f"PT{amount_s}{_UNIT[u]}" if u in ("hour", "minute") else f"P{amount_s}{_UNIT[u]}"


def _clock(text: str) -> tuple[int, int] | None:
    m = _CLOCK.search(text)
    if not m or not (m.group("ap") or m.group("mi")):
        return None
    hour, minute = int(m.group("h")), int(m.group("mi") or 0)
    ap = (m.group("ap") or "").lower().replace(".", "")
    if ap in ("pm", "in the afternoon", "in the evening") and hour < 12:
        hour += 12
    if ap == "at night" and 6 <= hour < 12:
        hour += 12
    if ap in ("am", "in the morning") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def resolve(text: str, anchor: dt.date | None, future: bool = False) -> tuple[str, str | None]:
    """(kind, ISO value or None) for one time expression."""
    t = " ".join(text.replace("'s", "").split()).strip(" ,.")
    low = t.lower()
    m = _SET.match(t)
    if m:
        unit = m.group("u") or {"annual": "year", "annually": "year", "yearly": "year", "monthly": "month",
                                "weekly": "week", "daily": "day"}[m.group("adj").lower()]
        return "set", f"R/{_duration(1, unit)}"
    m = _AGO.match(t)
    if m:
        n = parse_number(m.group("n"))
        if n is None or anchor is None:
            return "date", None
        unit = m.group("u").lower()
        if unit == "year":
            return "date", f"{anchor.year - int(n):04d}"
        if unit == "month":
            d = _shift_months(anchor, -int(n))
            return "date", f"{d.year:04d}-{d.month:02d}"
        days = int(n) * (7 if unit == "week" else 1)
        return "date", (anchor - dt.timedelta(days=days)).isoformat()
    m = _DURATION.match(t)
    if m:
        n = parse_number(m.group("n"))
        return "duration", _duration(n, m.group("u")) if n is not None else None
    for rx in (_RANGE_MD, _RANGE_DM):
        m = rx.search(t)
        if m:
            month = MONTHS[m.group("mon").lower().rstrip(".")]
            d1, d2 = int(m.group("d1")), int(m.group("d2"))
            year = int(m.group("y")) if m.group("y") else None
            if year is None and anchor is not None:
                first = _nearest_year(anchor, month, d1)
                year = first.year if first else None
            if year is None:
                return "range", None
            try:
                a, b = dt.date(year, month, d1), dt.date(year, month, d2)
            except ValueError:
                return "range", None
            return "range", f"{a.isoformat()}/{b.isoformat()}"
    iso, matched = parse_date_text(t)
    if matched:
        clock = _clock(t[len(matched):]) if "T" not in (iso or "") else None
        if iso and iso.startswith("--"):
            if anchor is None:
                return "date", None
            near = _nearest_year(anchor, int(iso[2:4]), int(iso[5:7]))
            if near is None:
                return "date", None
            iso = near.isoformat() + iso[7:]
        if iso and clock:
            iso = f"{iso[:10]}T{clock[0]:02d}:{clock[1]:02d}"
        return ("datetime" if iso and "T" in iso else "date"), iso
    m = _YEAR_RANGE.search(t)
    if m:
        y2 = m.group("y2")
        y2 = y2 if len(y2) == 4 else m.group("y1")[:2] + y2
        return "range", f"{m.group('y1')}/{y2}"
    m = _YEAR.match(t)
    if m:
        return "date", m.group("y")
    m = _MONTH_YEAR.match(t)
    if m:
        month = MONTHS[m.group("mon").lower().rstrip(".")]
        if m.group("y"):
            return "date", f"{int(m.group('y')):04d}-{month:02d}"
        if anchor is None:
            return "date", None
        year = anchor.year
        if future and month < anchor.month:
            year += 1
        elif not future and month > anchor.month:
            year -= 1
        return "date", f"{year:04d}-{month:02d}"
    m = _RELATIVE.match(t)
    if m:
        if anchor is None:
            return "date", None
        step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[m.group("which").lower()]
        unit = m.group("u").lower()
        if unit == "year":
            return "date", f"{anchor.year + step:04d}"
        if unit == "month":
            d = _shift_months(anchor, step)
            return "date", f"{d.year:04d}-{d.month:02d}"
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=step)
        iso_year, iso_week, _ = monday.isocalendar()
        return "date", f"{iso_year:04d}-W{iso_week:02d}"
    m = _WEEKDAY.match(t)
    if m:
        if anchor is None:
            return "date", None
        target = WEEKDAYS[m.group("wd").lower()]
        which = (m.group("which") or "").lower()
        diff = (target - anchor.weekday()) % 7
        if which in ("next", "coming") or (future and which != "last"):
            day = anchor + dt.timedelta(days=diff or 7)
        else:
            day = anchor - dt.timedelta(days=(7 - diff) % 7)
        return "date", day.isoformat()
    for word, offset in _DEICTIC.items():
        if low == word or low.startswith(word + " ") or low.endswith(" " + word):
            return "date", (anchor + dt.timedelta(days=offset)).isoformat() if anchor else None
    clock = _clock(t)
    if clock:
        return "time", f"T{clock[0]:02d}:{clock[1]:02d}"
    if low in ("noon", "midday"):
        return "time", "T12:00"
    if low == "midnight":
        return "time", "T00:00"
    return ("time" if any(w in low for w in ("morning", "evening", "night", "afternoon", "hour")) else "date"), None


def parse_anchor(published: str | None) -> dt.date | None:
    if not published or not re.match(r"^\d{4}-\d{2}-\d{2}", published):
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _is_future(sent: Any) -> bool:
    return any(tok.lemma_.lower() in _FUTURE_LEMMAS or (tok.tag_ == "MD" and tok.lower_ in ("will", "shall"))
               for tok in sent)


_EXTRA_TIME = re.compile(
    r"\b\d{1,2}[.:]\d{2}\s*(?:a\.?m\.?|p\.?m\.?|in the (?:morning|afternoon|evening)|at night)"
    r"|\b\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)(?=\W)",
    re.I,
)


def extract_times(sp_doc: Any, doc_id: str, published: str | None) -> list[TimeExpression]:
    anchor = parse_anchor(published)
    text = sp_doc.text
    found: list[TimeExpression] = []
    taken: list[tuple[int, int]] = []
    candidates = [(e.start_char, e.end_char, e.label_) for e in sp_doc.ents if e.label_ in ("DATE", "TIME")]
    for m in _EXTRA_TIME.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in candidates):
            candidates.append((m.start(), m.end(), "TIME"))
    for start, end, _label in sorted(candidates):
        # spaCy sometimes swallows a trailing possessive or punctuation
        while end > start and text[end - 1] in " ,.;:'":
            end -= 1
        if end <= start or any(s < end and start < e for s, e in taken):
            continue
        surface = text[start:end]
        sent = sp_doc.char_span(start, end, alignment_mode="expand")
        future = _is_future(sent.sent) if sent is not None else False
        kind, value = resolve(surface, anchor, future)
        found.append(TimeExpression(
            span=Span(doc=doc_id, start=start, end=end, text=surface),
            kind=kind,  # type: ignore[arg-type]
            value=value,
            anchor=anchor.isoformat() if anchor and value and kind not in ("duration", "set") else None,
        ))
        taken.append((start, end))
    return found
