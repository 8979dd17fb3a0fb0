"""Claims aligned across documents, corroboration, and typed contradictions.

Alignment needs more than a similarity threshold: two sentences join when
their MiniLM embeddings are close *and* they agree on what they are about
(shared canonical entities, or the same predicate), or when they are nearly
the same sentence. A claim group holds at most one sentence per document.

Contradictions are checked on aligned sentence pairs from different
documents, slot by slot, and each comes with a one-line explanation naming
both values, so a reader can check it against the two spans:

* ``number`` — the same kind of thing counted differently (212 vs 240
  passengers), unless qualifiers make the values compatible ("more than 200");
* ``date`` — different day, or a clock time more than half an hour apart, for
  the same event;
* ``negation`` — the same predicate stated and denied;
* ``actor`` — roles swapped (A accuses B / B accuses A);
* ``attribute`` — a different title for the same person.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from storylens.annotate import AnnotatedDoc
from storylens.embed import get_embedder
from storylens.link.clauses import ClaimDraft, extract_drafts, quantity_bounds
from storylens.link.entities import TITLES
from storylens.link.entities import tokens_match as _tokens_match
from storylens.link.syndication import source_groups
from storylens.models import (
    Claim,
    ClaimSlots,
    Contradiction,
    Document,
    Entity,
    Quote,
    ScoredSpan,
    Span,
    Story,
)
from storylens.options import Options

__all__ = ["build_claims", "find_contradictions", "align"]

#: sentences this close are the same statement whatever their slots say
NEAR_IDENTICAL = 0.9
#: opinion share above which a document is an opinion piece
OPINION_SHARE = 0.4
_GENERIC_UNITS = {None, "", "time", "times"}
#: sentences this close are looked at for contradictions
CANDIDATE_SIM = 0.45
#: above this similarity two sentences describe one event even with other verbs
SAME_EVENT_SIM = 0.62


@dataclass
class _Pair:
    a: int
    b: int
    sim: float
    score: float


def _entity_overlap(a: ClaimDraft, b: ClaimDraft, weight: dict[str, float] | None = None) -> float:
    """Weighted Jaccard of named participants; entities every document names weigh little."""
    if not a.entities or not b.entities:
        return 0.0
    w = weight or {}
    union = sum(w.get(e, 1.0) for e in a.entities | b.entities)
    if union <= 0:
        return 0.0
    return sum(w.get(e, 1.0) for e in a.entities & b.entities) / union


def _entity_weights(drafts: list[ClaimDraft]) -> dict[str, float]:
    """Inverse document frequency of each entity among the story's documents."""
    docs_with: dict[str, set[str]] = defaultdict(set)
    for d in drafts:
        for e in d.entities:
            docs_with[e].add(d.doc)
    n_docs = len({d.doc for d in drafts})
    return {e: math.log((n_docs + 1) / len(ds)) + 0.05 for e, ds in docs_with.items()}


def _same_predicate(a: ClaimDraft, b: ClaimDraft) -> bool:
    pa = {c.predicate for c in a.clauses}
    pb = {c.predicate for c in b.clauses}
    return bool(pa & pb)


def _agree(a: ClaimDraft, b: ClaimDraft, sim: float, overlap: float, same_pred: bool) -> bool:
    """Similar sentences that are also about the same participants or action."""
    if sim >= NEAR_IDENTICAL:
        return True
    if a.entities and b.entities and overlap == 0:
        return False  # about different named participants
    if sim >= 0.78:
        return True
    if overlap >= 0.25 and (same_pred or sim >= 0.68):
        return True
    return same_pred and sim >= 0.7


def align(drafts: list[ClaimDraft], vectors: np.ndarray, threshold: float) -> tuple[list[list[int]], list[_Pair]]:
    """Group drafts that state the same thing; return groups and accepted pairs."""
    n = len(drafts)
    if n == 0:
        return [], []
    sims = vectors @ vectors.T
    weights = _entity_weights(drafts)
    pairs: list[_Pair] = []
    for i in range(n):
        # blocking: only the nearest candidates of each sentence are scored
        cand = np.argsort(-sims[i])[:30]
        for j in cand:
            j = int(j)
            if j <= i or drafts[i].doc == drafts[j].doc:
                continue
            sim = float(sims[i, j])
            if sim < threshold:
                continue
            overlap = _entity_overlap(drafts[i], drafts[j], weights)
            same_pred = _same_predicate(drafts[i], drafts[j])
            if _agree(drafts[i], drafts[j], sim, overlap, same_pred):
                pairs.append(_Pair(i, j, sim, sim + 0.15 * overlap + (0.05 if same_pred else 0.0)))
    # greedy merge by score; a group keeps one sentence per document
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    docs_in: dict[int, set[str]] = {i: {drafts[i].doc} for i in range(n)}
    for p in sorted(pairs, key=lambda p: -p.score):
        ga, gb = group_of[p.a], group_of[p.b]
        if ga == gb or docs_in[ga] & docs_in[gb]:
            continue
        # the joined group must stay coherent: mean similarity to the new members
        sub = sims[np.ix_(members[ga], members[gb])]
        if float(sub.mean()) < threshold + 0.04:
            continue
        for k in members[gb]:
            group_of[k] = ga
        members[ga].extend(members.pop(gb))
        docs_in[ga] |= docs_in.pop(gb)
    return list(members.values()), pairs


def _fmt_number(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def _unit_key(unit: str | None) -> str | None:
    if unit in _GENERIC_UNITS:
        return None
    u = (unit or "").lower()
    return {"people": "person", "persons": "person"}.get(u, u.rstrip("s") if len(u) > 3 else u)


def _number_conflicts(a: ClaimDraft, b: ClaimDraft, ta: str, tb: str) -> list[tuple[str, float]]:
    out = []
    by_unit_a = defaultdict(list)
    for q in a.quantities:
        key = _unit_key(q.unit)
        if key:
            by_unit_a[key].append(q)
    for q2 in b.quantities:
        key = _unit_key(q2.unit)
        if not key or key not in by_unit_a:
            continue
        qs = by_unit_a[key]
        # only a count stated once on each side is compared (no "3 of 5 ships")
        if len(qs) != 1 or sum(1 for x in b.quantities if _unit_key(x.unit) == key) != 1:
            continue
        q1 = qs[0]
        lo1, hi1, ap1 = quantity_bounds(ta, q1)
        lo2, hi2, ap2 = quantity_bounds(tb, q2)
        if hi1 < lo2 or hi2 < lo1:
            conf = 0.9 if not (ap1 or ap2) else 0.7
            out.append((f"number: {q1.span.text!r} vs {q2.span.text!r}", conf))
    return out


def _day(value: str | None) -> str | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):
        return value[:10]
    return None


def _clock(value: str | None) -> int | None:
    m = re.search(r"T(\d{2}):(\d{2})", value or "")
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


def _date_conflicts(a: ClaimDraft, b: ClaimDraft) -> list[tuple[str, float]]:
    out = []
    days_a = {(_day(t.value), t.span.text) for t in a.times if _day(t.value)}
    days_b = {(_day(t.value), t.span.text) for t in b.times if _day(t.value)}
    if len({d for d, _ in days_a}) == 1 and len({d for d, _ in days_b}) == 1:
        (da, xa), (db, xb) = next(iter(days_a)), next(iter(days_b))
        if da != db:
            out.append((f"date: {xa!r} ({da}) vs {xb!r} ({db})", 0.8))
    clocks_a = [(_clock(t.value), t.span.text) for t in a.times if _clock(t.value) is not None]
    clocks_b = [(_clock(t.value), t.span.text) for t in b.times if _clock(t.value) is not None]
    if len(clocks_a) == 1 and len(clocks_b) == 1:
        (ca, xa), (cb, xb) = clocks_a[0], clocks_b[0]
        if ca is not None and cb is not None and abs(ca - cb) >= 30:
            out.append((f"time: {xa!r} vs {xb!r}", 0.75))
    return out


def _compatible_actor(x: str | None, y: str | None) -> bool:
    """Only two different named entities are incompatible ("the company" may be Northwind Ltd)."""
    if x is None or y is None or not (x.startswith("e_") and y.startswith("e_")):
        return True
    return x == y


def _compatible_patient(x: str | None, y: str | None) -> bool:
    """What the action is done to must be the same thing (or unstated on one side)."""
    if x is None or y is None or x.startswith("pron:") or y.startswith("pron:"):
        return True
    if x.startswith("e_") != y.startswith("e_"):
        return True  # a named thing and a common noun may be the same
    return x == y


def _same_title(a: str, b: str) -> bool:
    wa, wb = a.lower().split(), b.lower().split()
    if len(wa) != len(wb):
        return a.lower() in b.lower() or b.lower() in a.lower()
    return all(_tokens_match(x, y) for x, y in zip(wa, wb, strict=True))


def _negation_conflicts(a: ClaimDraft, b: ClaimDraft) -> list[tuple[str, float]]:
    out = []
    for ca in a.clauses:
        for cb in b.clauses:
            if ca.predicate != cb.predicate or ca.negated == cb.negated:
                continue
            if not _compatible_actor(ca.actor, cb.actor) or not _compatible_patient(ca.patient, cb.patient):
                continue
            out.append((f"negation: {ca.verb_text!r} vs {cb.verb_text!r}", 0.75))
            return out
    return out


def _actor_conflicts(a: ClaimDraft, b: ClaimDraft) -> list[tuple[str, float]]:
    for ca in a.clauses:
        for cb in b.clauses:
            if ca.predicate != cb.predicate or not (ca.actor and ca.patient and cb.actor and cb.patient):
                continue
            if ca.actor == cb.patient and ca.patient == cb.actor and ca.actor != ca.patient:
                return [(
                    f"actor: {ca.actor_text} {ca.predicate} {ca.patient_text} vs "
                    f"{cb.actor_text} {cb.predicate} {cb.patient_text}",
                    0.85,
                )]
    return []


def _contradiction_candidates(drafts: list[ClaimDraft], vectors: np.ndarray) -> list[tuple[int, int, float]]:
    """Pairs from different documents close enough to be about the same thing."""
    sims = vectors @ vectors.T
    out = []
    for i in range(len(drafts)):
        for j in np.argsort(-sims[i])[:30]:
            j = int(j)
            if j > i and drafts[i].doc != drafts[j].doc and sims[i, j] >= CANDIDATE_SIM:
                out.append((i, j, float(sims[i, j])))
    return out


def _events_match(a: ClaimDraft, b: ClaimDraft, sim: float) -> bool:
    """Two drafts speak of the same event: same predicate and no clash of named participants."""
    if a.entities and b.entities and not (a.entities & b.entities):
        return False
    return _same_predicate(a, b) or sim >= SAME_EVENT_SIM


def find_contradictions(
    a: ClaimDraft, b: ClaimDraft, ta: str, tb: str, sim: float = 1.0
) -> list[tuple[str, str, float]]:
    """(kind, explanation, confidence) for every slot on which two drafts about one event disagree."""
    found: list[tuple[str, str, float]] = []
    if not _events_match(a, b, sim):
        return found
    if _same_predicate(a, b) or sim >= SAME_EVENT_SIM:
        found += [("number", e, c) for e, c in _number_conflicts(a, b, ta, tb)]
        found += [("date", e, c) for e, c in _date_conflicts(a, b)]
    found += [("actor", e, c) for e, c in _actor_conflicts(a, b)]
    if not any(k == "actor" for k, _, _ in found):
        found += [("negation", e, c) for e, c in _negation_conflicts(a, b)]
    return found


def _titles(ann: AnnotatedDoc, index: dict[tuple[str, int, int], str]) -> dict[str, list[tuple[str, Span]]]:
    """Person entity → office titles written right before its name in this document."""
    out: dict[str, list[tuple[str, Span]]] = defaultdict(list)
    text = ann.doc.text
    for m in ann.mentions:
        if m.label != "PERSON":
            continue
        eid = index.get((m.span.doc, m.span.start, m.span.end))
        if not eid:
            continue
        before = text[max(0, m.span.start - 50) : m.span.start]
        words = re.findall(r"[A-Z][\w'.-]*|[a-z][\w'-]*", before)
        title: list[str] = []
        for w in reversed(words):
            if w[0].isupper() and (w.lower().rstrip(".") in TITLES or title):
                title.insert(0, w)
                if len(title) == 3:
                    break
            else:
                break
        while title and title[0].lower().rstrip(".") not in TITLES:
            title.pop(0)
        if title and title[-1].lower().rstrip(".") in TITLES:
            phrase = " ".join(title)
            start = before.rfind(phrase)
            if start >= 0:
                s = m.span.start - len(before) + start
                out[eid].append((phrase, Span(doc=m.span.doc, start=s, end=m.span.end, text=text[s : m.span.end])))
    return out


def _attribute_conflicts(
    annotated: list[AnnotatedDoc], index: dict[tuple[str, int, int], str], entities: dict[str, Entity]
) -> list[Contradiction]:
    per_doc = [(_titles(ann, index), ann) for ann in annotated]
    found: list[Contradiction] = []
    for eid, ent in entities.items():
        seen: list[tuple[str, Span]] = []
        for titles, _ann in per_doc:
            values = {t.lower() for t, _ in titles.get(eid, [])}
            if len(values) != 1:
                continue  # a document that uses two titles is no clean witness
            seen.append(titles[eid][0])
        for i in range(len(seen)):
            for j in range(i + 1, len(seen)):
                (t1, s1), (t2, s2) = seen[i], seen[j]
                if s1.doc == s2.doc:
                    continue
                if _same_title(t1, t2):
                    continue
                found.append(Contradiction(
                    id="", kind="attribute", a=s1, b=s2, confidence=0.6,
                    explanation=f"attribute: {ent.name} is {t1!r} in one and {t2!r} in the other",
                ))
    # one contradiction per (entity, pair of title values)
    unique: dict[tuple[str, str], Contradiction] = {}
    for c in found:
        unique.setdefault((c.explanation, c.a.doc), c)
    return list(unique.values())


def _cid(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def build_claims(
    annotated: list[AnnotatedDoc],
    entities: list[Entity],
    mention_index: dict[tuple[str, int, int], str],
    stories: list[Story],
    quotes: list[Quote],
    options: Options,
) -> tuple[list[Claim], list[Contradiction]]:
    """Claims aligned across documents within each story, and typed contradictions."""
    docs: dict[str, Document] = {a.doc.id: a.doc for a in annotated}
    groups = source_groups([a.doc for a in annotated])
    ent_by_id = {e.id: e for e in entities}
    story_of = {d: s.id for s in stories for d in s.docs}
    drafts_by_doc = {a.doc.id: extract_drafts(a, mention_index) for a in annotated}

    for ann in annotated:
        drafts = drafts_by_doc[ann.doc.id]
        if drafts and ann.doc.genre == "unknown":
            share = sum(d.opinion for d in drafts) / len(drafts)
            ann.doc.genre = "opinion" if share >= OPINION_SHARE else "report"

    claims: list[Claim] = []
    contradictions: list[Contradiction] = []
    embedder = get_embedder()
    story_ids = sorted({story_of.get(d, "s1") for d in docs}) or ["s1"]
    for sid in story_ids:
        drafts = [
            d for doc_id, ds in drafts_by_doc.items() if story_of.get(doc_id, "s1") == sid
            for d in ds if not d.opinion
        ]
        if not drafts:
            continue
        vectors = embedder.encode([d.text for d in drafts])
        members, pairs = align(drafts, vectors, options.align_threshold)
        claim_of: dict[int, str] = {}
        for group in members:
            group = sorted(group, key=lambda k: _lead_rank(drafts[k], docs[drafts[k].doc]))
            lead = drafts[group[0]]
            cid = "c_" + _cid(sid, lead.doc, str(lead.start))
            for k in group:
                claim_of[k] = cid
            main = lead.main
            support = []
            for k in group:
                d = drafts[k]
                sim = float(vectors[k] @ vectors[group[0]])
                support.append(ScoredSpan(doc=d.doc, start=d.start, end=d.end, text=d.text, score=round(sim, 3)))
            independent = len({groups[drafts[k].doc] for k in group})
            slots = ClaimSlots(
                subject=_display(main.actor, main.actor_text, ent_by_id) if main else None,
                predicate=main.predicate if main else None,
                negated=main.negated if main else False,
                object=_display(main.patient, main.patient_text, ent_by_id) if main else None,
                when=next((t.value for t in lead.times if t.value and t.kind in ("date", "datetime", "time")), None),
                where=lead.places[0] if lead.places else None,
                numbers=[f"{_fmt_number(q.value)} {q.unit}".strip() if q.unit else _fmt_number(q.value)
                         for q in lead.quantities],
                attributed_to=_display(lead.attributed_to, lead.attributed_text, ent_by_id),
            )
            claims.append(Claim(
                id=cid, text=lead.text, slots=slots, support=support, independent_sources=independent,
                status="corroborated" if independent >= 2 else "single_source", story=sid,
            ))
        by_id = {c.id: c for c in claims}
        for i, j, sim in _contradiction_candidates(drafts, vectors):
            da, db = drafts[i], drafts[j]
            for kind, explanation, conf in find_contradictions(da, db, docs[da.doc].text, docs[db.doc].text, sim):
                contradictions.append(Contradiction(
                    id="", kind=kind,  # type: ignore[arg-type]
                    a=Span(doc=da.doc, start=da.start, end=da.end, text=da.text),
                    b=Span(doc=db.doc, start=db.start, end=db.end, text=db.text),
                    explanation=explanation, confidence=round(conf * min(1.0, sim + 0.3), 3),
                    claim=claim_of.get(i),
                ))
                for k in (i, j):
                    claim = by_id.get(claim_of.get(k, ""))
                    if claim is not None:
                        claim.status = "contested"
    contradictions += _attribute_conflicts(annotated, mention_index, ent_by_id)
    contradictions = _dedupe(contradictions, groups)
    for c in contradictions:
        c.id = "x_" + _cid(c.kind, c.a.doc, str(c.a.start), c.b.doc, str(c.b.start), c.explanation)
    contradictions.sort(key=lambda c: (-c.confidence, c.kind))
    claims.sort(key=lambda c: (-c.independent_sources, -len(c.support), c.id))
    return claims, contradictions


_PRONOUN_START = re.compile(r"^\W*(he|she|it|they|this|that|these|those|his|her|its|their)\b", re.I)


def _lead_rank(d: ClaimDraft, doc: Document) -> tuple[int, int, str, str, int]:
    """The sentence that states a claim best: self-contained, named, early."""
    return (
        1 if _PRONOUN_START.match(d.text) else 0,
        -len(d.entities),
        doc.published or "9999",
        d.doc,
        d.start,
    )


def _dedupe(items: list[Contradiction], groups: dict[str, str]) -> list[Contradiction]:
    """The same disagreement between the same two sources is reported once.

    A wire story and its copies are one source: when both copies contradict a
    third outlet the same way, one contradiction is kept.
    """
    best: dict[tuple[str, str, str, str], Contradiction] = {}
    for c in items:
        docs_key = tuple(sorted((groups.get(c.a.doc, c.a.doc), groups.get(c.b.doc, c.b.doc))))
        if docs_key[0] == docs_key[1]:
            docs_key = tuple(sorted((c.a.doc, c.b.doc)))
        value_key = re.sub(r"\s+", " ", c.explanation.lower())
        key = (c.kind, docs_key[0], docs_key[1], value_key)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return list(best.values())


def _display(key: str | None, text: str | None, ents: dict[str, Entity]) -> str | None:
    if key and key in ents:
        return ents[key].name
    return text
