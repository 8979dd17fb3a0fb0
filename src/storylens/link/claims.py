"""Claims: aligned sentences across documents, corroboration, and their contradictions.

Per story, the stating sentences are aligned (``link.align``) into claims; each
claim lists its supporting sentences and counts independent sources (a wire story
and its copies, and one outlet's articles, count once). Every sentence, stating or
not, is then checked against its nearest cross-document neighbours for typed
contradictions (``link.contradictions``); a claim with one is ``contested``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

import numpy as np

from storylens.embed import CachedEmbedder, get_embedder
from storylens.link.ages import age_conflicts
from storylens.link.align import align
from storylens.link.clauses import ClaimDraft, resolve_drafts
from storylens.link.contradictions import (
    TWO_CAMPS_FACTOR,
    apart_in_detail,
    attribute_conflicts,
    contradiction_candidates,
    dated_sources,
    dedupe,
    detail_overlap,
    distinct_incidents,
    document_details,
    find_contradictions,
    fmt_number,
    incident_marks,
    modality,
    set_parties,
    two_camps,
)
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
    TimeExpression,
    headline_end,
    source_group,
)
from storylens.options import Options
from storylens.records import AnnotatedDoc, MentionIndex

__all__ = ["aligned_groups", "aligned_texts", "build_claims", "find_contradictions", "align"]


def _after_since(d: ClaimDraft, t: TimeExpression) -> bool:
    """Whether the time expression is the object of "since" (in its span or just before it)."""
    before = d.text[: max(0, t.span.start - d.start)].split()
    first = t.span.text.split()[:1]
    return any(w.lower() == "since" for w in first + before[-1:])


def _claim_when(d: ClaimDraft) -> str | None:
    """The time of what the sentence states: one that dates its main predicate, else one
    that dates another predicate, else any (a day on "said" dates the report, not the event)."""
    # a time after "since" starts a span that reaches the present ("exports have doubled
    # since 2019", "their first meeting since 2019"): it marks a reference point, so it
    # dates nothing the sentence reports
    dated = [t for t in d.times if t.value and t.kind in ("date", "datetime", "time", "range")
             and not _after_since(d, t)]
    main = d.main.predicate if d.main else None
    on_main = [t for t in dated if main and d.time_anchor.get(t.span.start) == main]
    anchored = [t for t in dated if t.span.start in d.time_anchor]
    # a bare year that does not date the main predicate dates background ("the invasion
    # in 2022"), not what the sentence states: a statement is not filed under it
    def dated_enough(ts: list[TimeExpression]) -> list[TimeExpression]:
        return [t for t in ts if not re.fullmatch(r"\d{4}", t.value or "")]

    chosen = on_main or dated_enough(anchored) or dated_enough(dated)
    return chosen[0].value if chosen else None


def _cid(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


#: the sentences to align are embedded in groups of at least this many (whole stories, in
#: the order ``build_claims`` takes the stories), so that it aligns the first stories while
#: the later ones are embedded; a larger group pads less (its sentences are sorted by
#: length together)
ALIGNED_GROUP = 256


def aligned_groups(annotated: list[AnnotatedDoc], stories: list[Story]) -> list[list[str]]:
    """The sentences ``build_claims`` embeds: every sentence of a story in which two or more
    documents have sentences (a one-document story has nothing to align or contradict),
    story after story in the order ``build_claims`` takes them, cut into groups of at least
    ``ALIGNED_GROUP`` sentences (or a sixteenth of them all). ``api`` starts embedding them
    as soon as the stories are known."""
    story_of = {d: s.id for s in stories for d in s.docs}
    texts_of: dict[str, list[str]] = defaultdict(list)
    docs_of: dict[str, set[str]] = defaultdict(set)
    for ann in annotated:
        sid = story_of.get(ann.doc.id, "s1")
        for draft in ann.drafts:
            texts_of[sid].append(draft.text)
            docs_of[sid].add(ann.doc.id)
    per_story = [texts_of[sid] for sid in sorted(texts_of) if len(docs_of[sid]) >= 2]
    size = max(ALIGNED_GROUP, sum(map(len, per_story)) // 16)
    groups: list[list[str]] = []
    for texts in per_story:
        if not groups or len(groups[-1]) >= size:
            groups.append([])
        groups[-1].extend(texts)
    return groups


def aligned_texts(annotated: list[AnnotatedDoc], stories: list[Story]) -> list[str]:
    """``aligned_groups``, in one list."""
    return [t for group in aligned_groups(annotated, stories) for t in group]


def build_claims(
    annotated: list[AnnotatedDoc],
    entities: list[Entity],
    mention_index: MentionIndex,
    stories: list[Story],
    quotes: list[Quote],
    options: Options,
) -> tuple[list[Claim], list[Contradiction]]:
    """Claims aligned across documents within each story, and typed contradictions."""
    docs: dict[str, Document] = {a.doc.id: a.doc for a in annotated}
    groups = {a.doc.id: source_group(a.doc) for a in annotated}
    ent_by_id = {e.id: e for e in entities}
    story_of = {d: s.id for s in stories for d in s.docs}
    drafts_by_doc = {a.doc.id: resolve_drafts(a, mention_index) for a in annotated}
    set_parties([d for ds in drafts_by_doc.values() for d in ds], entities)

    claims: list[Claim] = []
    #: claims by id, filled as they are made (not rebuilt per story over all claims so far)
    by_id: dict[str, Claim] = {}
    contradictions: list[Contradiction] = []
    embedder = get_embedder()
    story_ids = sorted({story_of.get(d, "s1") for d in docs}) or ["s1"]
    # each story's sentences, grouped in one pass (not every story scanning every document)
    checked_of: dict[str, list[ClaimDraft]] = defaultdict(list)
    for doc_id, ds in drafts_by_doc.items():
        checked_of[story_of.get(doc_id, "s1")].extend(ds)
    # the sentences of every story with two or more documents, queued at once, group after
    # group in the order of the loop below: many batches at once keep every inference thread
    # busy (a small story is one batch), and each story's call below waits only for its own
    # group, so a story is aligned while the later ones are embedded (``api`` has usually
    # queued them already, beside the steps between the stories and here)
    if isinstance(embedder, CachedEmbedder):
        embedder.prefetch_groups(aligned_groups(annotated, stories))
    else:
        embedder.encode(aligned_texts(annotated, stories))
    for sid in story_ids:
        # contradictions are looked for in every sentence (opinion pieces state facts too,
        # quotation pieces carry figures); claims come from stating, whole sentences
        checked = checked_of.get(sid, [])
        if not checked:
            continue
        stating = [k for k, d in enumerate(checked) if not d.fragment and not d.opinion]
        drafts = [checked[k] for k in stating]
        one_document = len({d.doc for d in checked}) < 2
        if one_document:
            # nothing to align or contradict, so nothing to embed
            checked_vectors = np.zeros((len(checked), 0), dtype=np.float32)
            members: list[list[int]] = [[k] for k in range(len(drafts))]
        else:
            checked_vectors = embedder.encode([d.text for d in checked])
            members, _pairs = align(drafts, checked_vectors[stating], options.align_threshold)
        vectors = checked_vectors[stating]
        claim_of: dict[int, str] = {}
        for group in members:
            centrality = _centrality(vectors, group)
            unbacked = _unbacked_numbers(drafts, group)
            group = sorted(group, key=lambda k: _lead_rank(drafts[k], docs[drafts[k].doc], centrality[k],
                                                           unbacked[k]))
            lead = drafts[group[0]]
            cid = "c_" + _cid(sid, lead.doc, str(lead.start))
            for k in group:
                claim_of[k] = cid
            main = lead.main
            support = []
            for k in group:
                d = drafts[k]
                sim = float(vectors[k] @ vectors[group[0]]) if k != group[0] else 1.0
                support.append(ScoredSpan(doc=d.doc, start=d.start, end=d.end, text=d.text, score=round(sim, 3)))
            # an opinion piece is no witness of a fact: it neither corroborates nor counts as a source
            reporting = {_source(drafts[k], groups) for k in group if docs[drafts[k].doc].genre != "opinion"}
            independent = len(reporting) or 1
            slots = ClaimSlots(
                subject=_display(main.actor, main.actor_text, ent_by_id) if main else None,
                predicate=main.predicate if main else None,
                negated=main.negated if main else False,
                object=_display(main.patient, main.patient_text, ent_by_id) if main else None,
                when=_claim_when(lead),
                where=lead.places[0] if lead.places else None,
                numbers=[f"{fmt_number(q.value)} {q.unit}".strip() if q.unit else fmt_number(q.value)
                         for q in lead.quantities],
                attributed_to=_display(lead.attributed_to, lead.attributed_text, ent_by_id),
                modality=modality(main) if main else "asserted",  # type: ignore[arg-type]
            )
            claims.append(Claim(
                id=cid, text=lead.text, slots=slots, support=support, independent_sources=independent,
                status="corroborated" if independent >= 2 else "single_source", story=sid,
            ))
            by_id[cid] = claims[-1]
        claim_of_draft = {id(drafts[k]): cid for k, cid in claim_of.items()}
        candidates = [] if one_document else contradiction_candidates(checked, checked_vectors)
        # the documents dating each kind of action on each day, and the same by source group
        dated_docs = dated_sources(checked, {}) if candidates else {}
        dated = {key: {groups.get(doc, doc) for doc in found} for key, found in dated_docs.items()}
        marks = incident_marks(checked) if candidates else {}
        overlap = detail_overlap(document_details(checked) if candidates else {})
        for i, j, sim in candidates:
            da, db = checked[i], checked[j]
            for kind, explanation, conf in find_contradictions(da, db, docs[da.doc].text, docs[db.doc].text, sim):
                if kind == "date" and (two_camps(da, db, dated) or distinct_incidents(da, db, marks)
                                       or apart_in_detail(da, db, dated_docs, overlap)):
                    # two incidents of one kind: each with its own reporters, told apart by
                    # their places or by a number naming them ("a 3.2 quake" / "a 4.6 quake"),
                    # or each day given only by documents sharing no detail with the other's
                    conf *= TWO_CAMPS_FACTOR
                conf = round(conf * min(1.0, sim + 0.3), 3)
                if conf < options.min_confidence:
                    continue  # below the display threshold (see Options.min_confidence)
                contradictions.append(Contradiction(
                    id="", kind=kind,  # type: ignore[arg-type]
                    a=Span(doc=da.doc, start=da.start, end=da.end, text=da.text),
                    b=Span(doc=db.doc, start=db.start, end=db.end, text=db.text),
                    explanation=explanation, confidence=conf,
                    claim=claim_of_draft.get(id(da)) or claim_of_draft.get(id(db)),
                ))
                for d in (da, db):
                    claim = by_id.get(claim_of_draft.get(id(d), ""))
                    if claim is not None:
                        claim.status = "contested"
    contradictions += [c for c in attribute_conflicts(annotated, mention_index, ent_by_id, story_of)
                       + age_conflicts(annotated, mention_index, ent_by_id, story_of)
                       if c.confidence >= options.min_confidence]
    contradictions = dedupe(contradictions, groups)
    for c in contradictions:
        c.id = "x_" + _cid(c.kind, c.a.doc, str(c.a.start), c.b.doc, str(c.b.start), c.explanation)
    contradictions.sort(key=lambda c: (-c.confidence, c.kind))
    claims.sort(key=lambda c: (-c.independent_sources, -len(c.support), c.id))
    return claims, contradictions


def _source(d: ClaimDraft, groups: dict[str, str]) -> str:
    """Who vouches for a sentence: its outlet (a wire story and its copies are one), or, for
    words inside a quotation, the speaker quoted: two outlets quoting one speaker are one
    source, and a quotation is never the outlet's own report."""
    if d.quoted and d.attributed_to:
        return "speaker:" + d.attributed_to
    return "outlet:" + groups[d.doc]


_PRONOUN_START = re.compile(r"^\W*(he|she|it|they|this|that|these|those|his|her|its|their)\b", re.I)


def _centrality(vectors: np.ndarray, group: list[int]) -> dict[int, float]:
    """How close each member is to what the group says together (cosine to its mean vector),
    to two decimals so that near-ties fall to the next criterion; 0 for a single member."""
    if len(group) < 2 or vectors.shape[1] == 0:
        return dict.fromkeys(group, 0.0)
    centre = vectors[group].mean(axis=0)
    return {k: round(float(vectors[k] @ centre), 2) for k in group}


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _unbacked_numbers(drafts: list[ClaimDraft], group: list[int]) -> dict[int, int]:
    """1 for a member stating a number or year that no member from another document states:
    its detail is its own (an earlier occasion's year, a count only it gives), so it does not
    word what the group says together; 0 otherwise."""
    numbers = {k: set(_NUMBER.findall(drafts[k].text)) for k in group}
    out = {}
    for k in group:
        others = set().union(*(numbers[j] for j in group if drafts[j].doc != drafts[k].doc))
        out[k] = int(bool(numbers[k] - others))
    return out


def _lead_rank(
    d: ClaimDraft, doc: Document, centrality: float = 0.0, unbacked: int = 0
) -> tuple[int, int, int, int, float, int, str, str, int]:
    """The sentence that states a claim best: a report's (an opinion piece is no witness),
    a sentence of the body (a headline is one outlet's title, in title case and full of
    names), self-contained, with no number the other documents do not give, central to the
    group (an aligned group can hold a looser member: a worry about the event beside the
    event), named, early."""
    return (
        1 if doc.genre == "opinion" else 0,
        1 if d.start < headline_end(doc) else 0,
        1 if _PRONOUN_START.match(d.text) else 0,
        unbacked,
        -centrality,
        -len(d.entities),
        doc.published or "9999",
        d.doc,
        d.start,
    )


def _display(key: str | None, text: str | None, ents: dict[str, Entity]) -> str | None:
    if key and key in ents:
        return ents[key].name
    return text
