"""What the story clusterers compare, per document, as plain data.

A document is reduced to four things once, when it is added: the embedding of
its lead (title and first sentences, what happened), its content words
(sublinear term counts, weighted by IDF only when compared, because IDF moves
as the corpus grows), its canonical entities (who took part) and its days (the
days it reports, resolved against its own date, and the day it was published).
``DocFeatures`` is plain data: ``to_row()`` / ``from_row()`` give a
JSON-serialisable dict, so a store can keep it beside the document and a
clusterer can be rebuilt from rows without re-reading any text.
"""

from __future__ import annotations

import base64
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storylens.embed import Embedder, get_embedder
from storylens.models import Document, Span, headline_end

__all__ = ["DocFeatures", "features_of", "features_of_docs", "lead_parts", "lead_vectors", "day_number", "LEAD_SENTENCES"]

LEAD_SENTENCES = 6
#: weight of a name's or a number's words among the content words (see ``_terms``)
NAME_BOOST = 2.0
#: sentences whose days count as "what the article reports" (the lead)
REPORT_SENTENCES = 3
#: spaCy labels left out of entity overlap: nationalities are shared by unrelated events
_SKIP_LABELS = frozenset({"NORP"})

Vector = npt.NDArray[np.float32]


class MentionLike(Protocol):
    """What features need of an entity mention (``storylens.annotate.Mention`` fits)."""

    @property
    def span(self) -> Span: ...

    @property
    def label(self) -> str: ...


@dataclass
class DocFeatures:
    """One document as the story clusterers see it."""

    doc_id: str
    #: L2-normalised mean embedding of the lead
    vector: Vector
    #: content word -> sublinear count (1 + log tf)
    terms: dict[str, float]
    #: canonical entity id -> mentions in the document
    entities: dict[str, int]
    #: every day the document's time expressions resolve to (ISO dates)
    days: frozenset[str] = frozenset()
    #: the days its lead reports (what happened when), falling back to none
    lead_days: frozenset[str] = frozenset()
    #: ISO day the document was published, if known
    published: str | None = None
    #: the latest year the document names or was published in (``None``: none); two reports of
    #: one kind whose latest years differ are mostly of two incidents (a coach fired in 2005 and
    #: another in 2008), also when neither article carries a full date
    year: int | None = None
    #: the weekdays (0 = Monday) its lead reports: weekday names in its lead's time expressions
    #: ("on Saturday") and the weekdays of its lead days. Most reports of an incident name the
    #: day it happened, also when no full date can be resolved (no published date); two reports
    #: of one kind naming other weekdays are mostly of two incidents
    weekdays: frozenset[int] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_row(self) -> dict[str, Any]:
        """JSON-serialisable form (vector as base64 of little-endian float32)."""
        return {
            "doc_id": self.doc_id,
            "vector": base64.b64encode(np.asarray(self.vector, dtype="<f4").tobytes()).decode("ascii"),
            "terms": self.terms,
            "entities": self.entities,
            "days": sorted(self.days),
            "lead_days": sorted(self.lead_days),
            "published": self.published,
            "year": self.year,
            "weekdays": sorted(self.weekdays),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DocFeatures:
        vec = np.frombuffer(base64.b64decode(row["vector"]), dtype="<f4").astype(np.float32)
        return cls(
            doc_id=str(row["doc_id"]), vector=vec, terms={str(k): float(v) for k, v in row["terms"].items()},
            entities={str(k): int(v) for k, v in row["entities"].items()},
            days=frozenset(row.get("days", ())), lead_days=frozenset(row.get("lead_days", ())),
            published=row.get("published"), year=row.get("year"),
            weekdays=frozenset(int(x) for x in row.get("weekdays", ())),
        )


def day_number(iso_day: str) -> int | None:
    """Days since 0001-01-01 of an ISO date (``None`` if it is not one)."""
    try:
        return date.fromisoformat(iso_day[:10]).toordinal()
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _analyzer() -> Callable[[str], list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer: Callable[[str], list[str]] = TfidfVectorizer(stop_words="english").build_analyzer()
    return analyzer


def _terms(text: str, names: Iterable[str] = ()) -> dict[str, float]:
    """Sublinear counts of content words; the words of ``names`` and numbers weigh ``NAME_BOOST``
    times as much: two incidents of one kind share their topic's words and differ in who, where
    and how many (on ECB+ train topics this separates the two incidents of a topic better:
    pairwise AUC 0.893 -> 0.92, benchmarks/RESULTS.md)."""
    analyze = _analyzer()
    counts = Counter(analyze(text))
    named = {w for name in names for w in analyze(name)}
    return {t: (1.0 + math.log(c)) * (NAME_BOOST if t in named or t.isdigit() else 1.0) for t, c in counts.items()}


def _iso_day(value: str | None) -> str | None:
    if value and len(value) >= 10 and value[:4].isdigit() and day_number(value[:10]) is not None:
        return value[:10]
    return None


_DATED_KINDS = frozenset({"date", "datetime", "range"})
#: a time value's years: "2008", "2008-05", "2008-05-23T10:00", "2008/2009", "2008-05-01/2008-05-03"
_YEAR_OF_VALUE = re.compile(r"(?:^|/)((?:1[89]|2[01])\d\d)(?=$|[-/T])")


_WEEKDAY_NAME = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekdays_of(text: str, value: str | None) -> set[int]:
    """The weekday of a time expression: of its resolved day, else the weekday it names ("Saturday",
    "late Friday night"); none for a date that was not resolved and names no weekday."""
    day = _iso_day(value)
    if day is not None:
        return {date.fromisoformat(day).weekday()}
    return {_WEEKDAYS.index(m.group(1).lower()) for m in _WEEKDAY_NAME.finditer(text)}


def latest_year(values: Iterable[str | None], published: str | None) -> int | None:
    """The latest year among resolved time values and the publication date (the time of the report)."""
    years = [int(y) for v in values if v for y in _YEAR_OF_VALUE.findall(v)]
    if published and (day := _iso_day(published)):
        years.append(int(day[:4]))
    return max(years) if years else None


def lead_parts(doc: Document) -> list[str]:
    """What a document's lead vector averages: its title and first sentences (not the headline paragraph)."""
    parts = [doc.title] if doc.title else []
    # the headline is the text's first paragraph too: it is the title above, not a lead sentence
    body = headline_end(doc)
    parts += [doc.text[s:e].strip() for s, e in [x for x in doc.sentences if x[0] >= body][:LEAD_SENTENCES]]
    return [p for p in parts if p] or [doc.text[:300]]


def features_of_docs(
    docs: Sequence[Document],
    mentions: Sequence[Iterable[MentionLike]],
    entity_of: dict[tuple[str, int, int], str] | None = None,
    embedder: Embedder | None = None,
    vectors: Sequence[Vector] | None = None,
) -> list[DocFeatures]:
    """Features of annotated documents (sentences and times filled in).

    ``entity_of`` maps a mention's (doc, start, end) to its canonical entity id;
    without it each document's mentions are canonicalised on their own (ids are
    a hash of the canonical name, so the same full name gets the same id in
    every document). ``vectors`` are lead vectors already computed (then nothing is embedded).
    """
    if vectors is None:
        vectors = lead_vectors(docs, embedder)
    out: list[DocFeatures] = []
    for doc, vector, doc_mentions in zip(docs, vectors, mentions, strict=True):
        ents: Counter[str] = Counter()
        names: set[str] = set()
        lead_end = doc.sentences[REPORT_SENTENCES - 1][1] if len(doc.sentences) >= REPORT_SENTENCES else len(doc.text)
        for m in doc_mentions:
            if m.label in _SKIP_LABELS:
                continue
            names.add(m.span.text)
            eid = (entity_of or {}).get((m.span.doc, m.span.start, m.span.end))
            if eid is None and entity_of is None:
                eid = _fallback_entity(m)
            if eid:
                ents[eid] += 1
        days = frozenset(d for t in doc.times if (d := _iso_day(t.value)))
        lead_days = frozenset(d for t in doc.times if t.span.start < lead_end and (d := _iso_day(t.value)))
        weekdays = frozenset(w for t in doc.times if t.span.start < lead_end and t.kind in ("date", "datetime")
                             for w in _weekdays_of(t.span.text, t.value))
        out.append(DocFeatures(
            doc_id=doc.id, vector=vector, terms=_terms(doc.text, names), entities=dict(ents), days=days,
            lead_days=lead_days, published=_iso_day(doc.published),
            year=latest_year((t.value for t in doc.times if t.kind in _DATED_KINDS), doc.published),
            weekdays=weekdays,
        ))
    return out


def lead_vectors(docs: Sequence[Document], embedder: Embedder | None = None) -> list[Vector]:
    """The unit mean MiniLM vector of each document's title and first sentences."""
    embedder = embedder or get_embedder()
    parts_of = [lead_parts(d) for d in docs]
    flat = embedder.encode([p for parts in parts_of for p in parts])
    out, pos = [], 0
    for parts in parts_of:
        mean = flat[pos : pos + len(parts)].mean(axis=0)
        pos += len(parts)
        out.append((mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32))
    return out


def _fallback_entity(m: MentionLike) -> str:
    from storylens.link.entities import _TYPE_GROUP, _fold_name, entity_id

    return entity_id(_fold_name(m.span.text), _TYPE_GROUP.get(m.label, m.label))


def features_of(doc: Document, mentions: Iterable[MentionLike],
                entity_of: dict[tuple[str, int, int], str] | None = None) -> DocFeatures:
    """Features of one annotated document."""
    return features_of_docs([doc], [list(mentions)], entity_of)[0]
