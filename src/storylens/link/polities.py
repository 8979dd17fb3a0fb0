"""Which country a place, people or seat of government stands for.

News names a state by its capital ("Moscow said"), its people ("Russian
officials") or its seat of government ("the Kremlin"). Comparing who did what
to whom across outlets needs those to be one party. Country names, capitals,
demonyms and alternative spellings come from the ``countryinfo`` package
(MIT, data shipped with it); only unambiguous keys are kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

__all__ = ["country_of", "polity", "POLITY_PREFIX"]

POLITY_PREFIX = "polity:"
#: a demonym or capital shared by several entries names the most populous one only when
#: it is this many times larger ("Chinese" → China, not Macau); otherwise it is ambiguous
_DOMINANCE = 50
#: seats of government that stand for their state in news copy
_SEATS = {
    "kremlin": "Russia",
    "white house": "United States",
    "pentagon": "United States",
    "downing street": "United Kingdom",
    "elysee": "France",
    "elysee palace": "France",
    "blue house": "South Korea",
    "zhongnanhai": "China",
}
#: common short forms the data lacks
_SHORT_FORMS = {"britain": "United Kingdom", "kiev": "Ukraine", "holland": "Netherlands"}
_LABELS = {"GPE", "NORP", "LOC", "PLACE", "ORG", "FAC"}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"['’]s$", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    from countryinfo import all_countries

    candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for c in all_countries():
        name = c.name()
        if not name:
            continue
        try:
            population = int(c.population() or 0)
        except (TypeError, ValueError, KeyError):
            population = 0
        names = [name, *(c.alt_spellings() or [])]
        raw_capital: str | list[str] = c.capital() or []
        capitals: list[str] = [raw_capital] if isinstance(raw_capital, str) else list(raw_capital)  # several
        demonym = c.demonym() or ""
        keys = {_key(n) for n in names if isinstance(n, str) and len(n) >= 2}
        for capital in capitals:
            if isinstance(capital, str) and capital:
                keys |= {_key(capital), _key(re.sub(r"\s+D\.?C\.?$", "", capital))}
        if isinstance(demonym, str) and demonym:
            keys.add(_key(demonym))
        for k in keys:
            if k:
                candidates[k].append((population, name))
    table: dict[str, str] = {}
    for k, options in candidates.items():
        ranked = sorted(set(options), reverse=True)
        if len({n for _, n in ranked}) == 1 or ranked[0][0] >= _DOMINANCE * max(ranked[1][0], 1):
            table[k] = ranked[0][1]
    for short, country in {**_SHORT_FORMS, **_SEATS}.items():
        table.setdefault(short, country)
    return table


@lru_cache(maxsize=1)
def _country_names() -> tuple[dict[str, str], dict[str, str]]:
    """(names and alternative spellings → country, ISO codes → country), no capitals or demonyms.

    A one-word alternative spelling that ends another country's name ("Congo" in "DR Congo")
    names neither reliably, so it is left out; a country's own name is always kept.
    """
    from countryinfo import all_countries

    names: dict[str, set[str]] = defaultdict(set)
    codes: dict[str, set[str]] = defaultdict(set)
    primary: dict[str, str] = {}
    for c in all_countries():
        name = c.name()
        if not name:
            continue
        primary[_key(name)] = name
        names[_key(name)].add(name)
        iso = c.iso() or {}
        iso_codes = {v for k, v in iso.items() if k in ("alpha2", "alpha3") and isinstance(v, str)}
        for alt in c.alt_spellings() or []:
            if not isinstance(alt, str) or len(alt) < 2:
                continue
            if alt in iso_codes:
                codes[alt].add(name)
            else:
                names[_key(alt)].add(name)
    table: dict[str, str] = {}
    for k, owners in names.items():
        if len(owners) != 1 or (" " not in k and any(o.endswith(" " + k) and names[o] != owners for o in names)):
            continue
        table[k] = next(iter(owners))
    table.update(primary)
    for short, country in _SHORT_FORMS.items():
        table.setdefault(short, country)
    return table, {k: next(iter(v)) for k, v in codes.items() if len(v) == 1}


def country_of(name: str, label: str | None = None) -> str | None:
    """The country a name spells, from its name or alternative spellings ("Czechia", "Côte
    d'Ivoire", "Russian Federation"), never from its capital, people or seat of government.
    Two- and three-letter codes ("UK", "USA") count only for a place (``label`` GPE/LOC/None)."""
    names, codes = _country_names()
    country = names.get(_key(name))
    if country is None and label in (None, "GPE", "LOC"):
        country = codes.get(name.replace(".", ""))
    return country


def polity(name: str, label: str | None = None) -> str | None:
    """``polity:<country>`` for a country, capital, demonym or seat of government; else None.

    Organisations are mapped only through the seats of government ("the Kremlin"),
    never through a country name inside them ("Russian Orthodox Church").
    """
    if label is not None and label not in _LABELS:
        return None
    key = _key(name)
    if label in ("ORG", "FAC"):
        country = _SEATS.get(key)
    else:
        country = _table().get(key)
    return POLITY_PREFIX + country.lower() if country else None
