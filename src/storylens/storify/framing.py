"""Per-document framing with evidence spans.

For each document, what a reader comparing outlets wants to see, every finding
pointing at the words it came from (no outlet-level rating from anywhere):

* ``genre`` — report or opinion, as the link stage decided;
* ``quoted_speakers`` — whom the document quotes and how much (quotes, words),
  from ``analysis.quotes`` of that document;
* ``loaded_terms`` — evaluative wording in the document's own voice (text
  inside quotation marks is the speaker's, not the outlet's, and is skipped):

  - ``evaluative``: an adjective or adverb the TextBlob lexicon rates as
    strongly subjective and non-neutral (subjectivity ≥ 0.7, |polarity| ≥ 0.2);
  - ``descriptor``: an adjective the document attaches to a canonical entity
    (``amod`` on the entity's noun or its apposition, ``acomp`` with the entity
    as subject), ``target`` = the entity's name; an evaluative adverb on a
    verb whose subject is an entity gets that target too;
  - the suffix ``_unique`` (``evaluative_unique``, ``descriptor_unique``) marks a
    term on an entity that no other independent source uses for that entity,
    while at least one other source does mention the entity;
* ``omitted_claims`` — claims of the document's story that at least half of
  the *other* independent sources state (and at least two of them), but that
  this document does not;
* ``unique_claims`` — claims with a single independent source whose every
  supporting span lies in this document's source group (the document and its
  copies), this document among them.

Opinion pieces are not counted among the other sources for omissions: they are
not expected to restate the facts.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storylens.models import Analysis, Claim, Framing, LoadedTerm, Quote, Span, SpeakerShare, source_group
from storylens.records import AnnotatedDoc, Mention, TermCandidate

__all__ = ["build_framing", "speaker_shares", "loaded_terms"]

#: a few finite verbs: a phrase with one is a clause, not a title
_FINITE = re.compile(r"\b(?:is|was|are|were|has|have|had|said|says|will|would|did|does)\b", re.I)
_EXPERT = re.compile(r"\b(expert|analyst|professor|fellow|researcher|scholar|economist|academic|scientist)s?\b", re.I)


class _SideFinder:
    """One document's lookups for ``speaker_side``: built once, so a document with many
    quotes and mentions costs n log n, not quotes × mentions."""

    def __init__(self, ann: AnnotatedDoc) -> None:
        self.doc = ann.doc
        self.labels = {(m.span.start, m.span.end): m.label for m in ann.mentions}
        # nationality and country mentions by start (a stable sort keeps text order on ties)
        self.places = sorted((m for m in ann.mentions if m.label in ("NORP", "GPE")), key=lambda m: m.span.start)
        self.place_starts = [m.span.start for m in self.places]

    def nationality_before(self, s_start: int) -> Mention | None:
        """The nearest NORP/GPE mention ending before ``s_start`` and starting at most 40
        characters before it (the latest start; the first written on a tie)."""
        lo = bisect_left(self.place_starts, s_start - 40)
        hi = bisect_right(self.place_starts, s_start)
        window = [m for m in self.places[lo:hi] if m.span.end <= s_start]
        if not window:
            return None
        latest = max(m.span.start for m in window)
        return next(m for m in window if m.span.start == latest)

    def side(self, q: Quote, speaker_spans: Iterable[tuple[int, int]] = ()) -> str | None:
        span = q.speaker_span
        if span is None or span.doc != self.doc.id:
            return None
        text = self.doc.text
        if self.labels.get((span.start, span.end)) in ("GPE", "NORP"):
            return span.text
        for s_start, _ in sorted({(span.start, span.end), *speaker_spans}):
            m = self.nationality_before(s_start)
            if m is None:
                continue
            between = text[m.span.end : s_start]
            # only a title between the nationality and the name: "Russian Deputy Minister X"
            if not re.search(r"[,.;:()\"]", between) and len(between.split()) <= 4:
                return m.span.text
        if any(_expert_title(text, a, b) for a, b in {(span.start, span.end), *speaker_spans}):
            return "independent expert"
        return None


def _expert_title(text: str, start: int, end: int) -> bool:
    """An expert's title right before a mention of the name ("economist Ana Reyes") or in
    its apposition ("Ana Reyes, a fellow at the Lund Institute,"); an expert named anywhere
    else in the sentence is someone else ("X's ruling is flawed, said Y, a professor")."""
    segments = re.split(r"([,.;:()\"\n])", text[max(0, start - 80) : start])
    title = segments[-1].split()[-4:]
    if _EXPERT.search(" ".join(title)):
        return True
    # a title fronted before the name with a comma ("Senior fellow at the Lund Institute, Mia
    # Hart said"): a short phrase with no verb right before the comma
    if not title and len(segments) >= 3 and segments[-2] == ",":
        fronted = segments[-3].split()
        if len(fronted) <= 8 and not _FINITE.search(segments[-3]) and _EXPERT.search(segments[-3]):
            return True
    apposition = re.match(r"\s*,\s*([^,.;:\"\n]{1,70})", text[end : end + 80])
    return bool(apposition and _EXPERT.search(apposition.group(1)))


def speaker_side(q: Quote, ann: AnnotatedDoc, speaker_spans: Iterable[tuple[int, int]] = ()) -> str | None:
    """The side a speaker is presented as speaking for, from the words around the name:
    a country speaking for itself ("Moscow said"), a nationality or country right before
    any mention of the speaker ("Russian Deputy Minister X", "US envoy X"), else
    "independent expert" for an analyst, scholar or fellow; None when the text says neither.

    ``speaker_spans``: the other mentions of the speaker's entity in this document.
    """
    return _SideFinder(ann).side(q, speaker_spans)


def speaker_shares(
    quotes: Iterable[Quote], entity_names: dict[str, str], sides: dict[str, str] | None = None
) -> list[SpeakerShare]:
    """Quotes and quoted words per speaker (entity when known, else the speaker's text).

    ``sides`` maps a quote id to the side its speaker speaks for (see ``speaker_side``).
    """
    acc: dict[str, list[Any]] = {}
    side_of: dict[str, Counter[str]] = defaultdict(Counter)
    for q in quotes:
        if q.speaker and q.speaker in entity_names:
            key, name, ent = q.speaker, entity_names[q.speaker], q.speaker
        elif q.speaker_text:
            key, name, ent = "t:" + " ".join(q.speaker_text.lower().split()), q.speaker_text, None
        else:
            key, name, ent = "?", "unattributed", None
        row = acc.setdefault(key, [name, ent, 0, 0])
        row[2] += 1
        row[3] += len(re.findall(r"\w+", q.span.text))
        if sides and sides.get(q.id):
            side_of[key][sides[q.id]] += 1
    shares = [
        SpeakerShare(speaker=n, entity=e, quotes=c, words=w,
                     side=side_of[k].most_common(1)[0][0] if side_of.get(k) else None)
        for k, (n, e, c, w) in acc.items()
    ]
    return sorted(shares, key=lambda s: (-s.words, -s.quotes, s.speaker))


@dataclass
class _Term:
    candidate: TermCandidate
    kind: str
    target: str | None  # entity id


def _entity_at(mentions: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    for s, e, eid in mentions:
        if s <= start and end <= e:
            return eid
    return None


def loaded_terms(ann: AnnotatedDoc, mentions: list[tuple[int, int, str]]) -> list[_Term]:
    """Evaluative words and entity descriptors in the document's own voice: annotate's
    candidates, each with the canonical entity it describes (the first of its target
    words inside an entity's mention)."""
    out: list[_Term] = []
    for c in ann.terms:
        target = next((eid for s, e in c.targets if (eid := _entity_at(mentions, s, e))), None)
        if c.evaluative:
            out.append(_Term(c, "evaluative", target))
        elif target and c.pos == "ADJ":
            out.append(_Term(c, "descriptor", target))
    return out


def _mentions_by_doc(analysis: Analysis) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for ent in analysis.entities:
        for m in ent.mentions:
            out[m.doc].append((m.start, m.end, ent.id))
    return out


def build_framing(analysis: Analysis, annotated: list[AnnotatedDoc]) -> list[Framing]:
    docs = [a.doc for a in annotated]
    groups = {d.id: source_group(d) for d in docs}
    names = {e.id: e.name for e in analysis.entities}
    mentions = _mentions_by_doc(analysis)
    story_of = {d: s.id for s in analysis.stories for d in s.docs}
    genre = {d.id: d.genre for d in docs}

    terms = {a.doc.id: loaded_terms(a, mentions.get(a.doc.id, [])) for a in annotated}
    # who describes which entity how, and who mentions it at all (by independent source)
    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    for doc_id, ts in terms.items():
        for t in ts:
            if t.target:
                used[(t.target, t.candidate.lemma)].add(groups[doc_id])
    mentioned: dict[str, set[str]] = defaultdict(set)
    for doc_id, ms in mentions.items():
        if doc_id in groups:
            for _, _, eid in ms:
                mentioned[eid].add(groups[doc_id])

    quotes_by_doc: dict[str, list[Quote]] = defaultdict(list)
    for q in analysis.quotes:
        quotes_by_doc[q.span.doc].append(q)

    claims_by_story: dict[str | None, list[Claim]] = defaultdict(list)
    for c in analysis.claims:
        claims_by_story[c.story].append(c)
    sources_by_story: dict[str | None, set[str]] = defaultdict(set)
    for d in docs:
        if d.genre != "opinion":
            sources_by_story[story_of.get(d.id)].add(groups[d.id])

    # per claim, once: its supporting documents and sources; a document then reads only the
    # claims it supports (unique) and those backed by enough sources to be missed (omitted),
    # not every claim of its story (that was documents x claims per story)
    support_docs_of = {c.id: {s.doc for s in c.support} for c in analysis.claims}
    reporting_of = {c.id: {groups.get(x, x) for x in support_docs_of[c.id] if genre.get(x) != "opinion"}
                    for c in analysis.claims}
    supported_by: dict[tuple[str | None, str], list[Claim]] = defaultdict(list)
    for sid_key in {story_of.get(d.id) for d in docs}:
        for c in claims_by_story.get(sid_key, []) if sid_key is not None else analysis.claims:
            for doc_id in support_docs_of[c.id]:
                supported_by[(sid_key, doc_id)].append(c)
    widely_backed: dict[str | None, list[Claim]] = {}
    for sid_key in {story_of.get(d.id) for d in docs}:
        sources = sources_by_story.get(sid_key, set())
        # the fewest other sources a document of the story can need (see ``need`` below)
        least = max(2, math.ceil((len(sources) - 1) / 2))
        widely_backed[sid_key] = [
            c for c in (claims_by_story.get(sid_key, []) if sid_key is not None else analysis.claims)
            if len(reporting_of[c.id] & sources) >= least
        ]

    out: list[Framing] = []
    for ann in annotated:
        doc = ann.doc
        sides_in = _SideFinder(ann)
        spans_of: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s, e, eid in mentions.get(doc.id, []):
            spans_of[eid].append((s, e))
        own = groups[doc.id]
        sid = story_of.get(doc.id)

        loaded: list[LoadedTerm] = []
        for t in terms[doc.id]:
            kind = t.kind
            if t.target:
                others = mentioned.get(t.target, set()) - {own}
                if others and not (used[(t.target, t.candidate.lemma)] - {own}):
                    kind += "_unique"
            start, end = t.candidate.start, t.candidate.end
            loaded.append(LoadedTerm(
                span=Span(doc=doc.id, start=start, end=end, text=doc.text[start:end]),
                term=doc.text[start:end], kind=kind, target=names.get(t.target) if t.target else None,
            ))

        other_sources = sources_by_story.get(sid, set()) - {own}
        need = max(2, math.ceil(len(other_sources) / 2))
        omitted: list[str] = []
        if len(other_sources) >= 2:
            omitted = [c.id for c in widely_backed[sid] if doc.id not in support_docs_of[c.id]
                       and len(reporting_of[c.id] & other_sources) >= need]
        unique = [c.id for c in supported_by.get((sid, doc.id), []) if c.independent_sources <= 1
                  and {groups.get(d, d) for d in support_docs_of[c.id]} == {own}]

        out.append(Framing(
            doc=doc.id,
            genre=doc.genre,
            quoted_speakers=speaker_shares(
                quotes_by_doc.get(doc.id, []), names,
                {
                    q.id: side for q in quotes_by_doc.get(doc.id, [])
                    if (side := sides_in.side(q, spans_of.get(q.speaker or "", [])))
                },
            ),
            loaded_terms=loaded,
            omitted_claims=omitted,
            unique_claims=unique,
        ))
    return out
