"""Dates as written in bylines and date lines, parsed without guessing a year."""

from __future__ import annotations

import re

from storylens import wordlists

MONTHS = wordlists.MONTHS
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:(?:,|\s)\s*(?:at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})\s*(?P<ap>[ap]\.?m\.?)?(?:\s*(?P<tz>[A-Z]{2,4}|GMT[+-]\d+|UTC))?)?"
_MDY = re.compile(rf"{_WEEKDAY}{_MON}\s+(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?{_TIME}", re.I)
_DMY = re.compile(rf"{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}(?:,?\s+(?P<y>(?:19|20)\d\d))?{_TIME}", re.I)
_ISO = re.compile(r"(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?:[T ](?P<h>\d\d):(?P<mi>\d\d))?")
_LEAD = re.compile(r"^\s*(?:published|updated|posted|last updated|date|on)?\s*:?\s*", re.I)


def _iso(y: int | None, m: int, d: int, h: int | None, mi: int | None) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    date = f"{y:04d}-{m:02d}-{d:02d}" if y else f"--{m:02d}-{d:02d}"
    if h is not None and mi is not None and 0 <= h <= 23 and 0 <= mi <= 59:
        return f"{date}T{h:02d}:{mi:02d}"
    return date


#: a numeric date, its separators possibly spaced ("4/4/2012", "04 / 28 / 09", "08. 07. 2012",
#: "2012 - 04 - 04"): only read on a date line, where nothing but a timestamp stands beside it
_NUMERIC = re.compile(r"(?<![\d.:/-])(?P<a>\d{1,4})\s?(?P<sep>[/.-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<c>\d{2,4})(?![\d/-])"
                      r"(?:\s+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::\d{2})?\s*(?P<ap>[ap]\.?m\.?)?)?", re.I)


def parse_numeric_date(text: str) -> tuple[str | None, str | None]:
    """A numeric date on a date line; return (ISO value, matched text).

    Year first is year-month-day; otherwise the year is last (two digits: 19xx from 70) and
    a part above 12 is the day; when both could be the month, slashes are read month first
    (as in American outlets' date lines) and dots and dashes day first.
    """
    m = _NUMERIC.search(text)
    if not m:
        return None, None
    a, b, c, sep = m.group("a"), int(m.group("b")), m.group("c"), m.group("sep")
    if len(a) == 4:
        if len(c) > 2:
            return None, None
        year, month, day = int(a), b, int(c)
    elif len(a) > 2 or len(c) == 3:
        return None, None
    else:
        year = int(c) if len(c) == 4 else (1900 if int(c) >= 70 else 2000) + int(c)
        first = int(a)
        if first > 12 or (b <= 12 and sep != "/"):
            day, month = first, b
        else:
            month, day = first, b
    if not 1900 <= year <= 2099:
        return None, None
    hour = int(m.group("h")) if m.group("h") else None
    minute = int(m.group("mi")) if m.group("mi") else None
    ap = (m.group("ap") or "").lower().replace(".", "")
    if hour is not None and ap == "pm" and hour < 12:
        hour += 12
    if hour is not None and ap == "am" and hour == 12:
        hour = 0
    value = _iso(year, month, day, hour, minute)
    return (value, m.group(0).strip()) if value else (None, None)


def parse_date_text(text: str, whole: bool = False) -> tuple[str | None, str | None]:
    """Find a calendar date in ``text``; return (ISO value, matched text).

    A date without a year gives ``--MM-DD`` (ISO 8601 without year) rather than
    a guessed year. With ``whole`` the date must make up the whole line.
    """
    body = _LEAD.sub("", text) if whole else text
    for rx in (_ISO, _MDY, _DMY):
        m = rx.search(body)
        if not m:
            continue
        if whole and (m.start() > 0 or body[m.end():].strip(" ,.-|")):
            continue
        g = m.groupdict()
        month = MONTHS[g["mon"].lower().rstrip(".")] if g.get("mon") else int(g["m"])
        year = int(g["y"]) if g.get("y") else None
        hour = int(g["h"]) if g.get("h") else None
        minute = int(g["mi"]) if g.get("mi") else None
        ap = (g.get("ap") or "").lower().replace(".", "")
        if hour is not None and ap == "pm" and hour < 12:
            hour += 12
        if hour is not None and ap == "am" and hour == 12:
            hour = 0
        value = _iso(year, month, int(g["d"]), hour, minute)
        if value:
            return value, m.group(0).strip(" ,")
    return None, None
