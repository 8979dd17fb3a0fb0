"""Where an in-place edit of ``benchmarks.paraphrase`` is lost: the stage its best partner reaches.

For each edit the edited sentence A is followed through the pipeline against each of its
gold partners B, and the furthest stage any partner reaches is kept:

1. ``A: no draft``: no claim draft of the edited document maps to A (too short, merged, a headline);
2. ``B: no draft``: no partner maps to a draft;
3. ``other story``: the story split put A and every B in different stories;
4. ``not a candidate``: the pair is not among the pairs checked for contradictions
   (``contradiction_candidates``: MiniLM neighbours ≥ ``CANDIDATE_SIM``, or one dated action);
5. ``slot missing in A`` / ``slot missing in B``: the edited value (A) or the value it
   replaced (B) is not extracted as a comparable slot (a count with its noun, a day with the
   action it dates, a negated clause and its predicate, two named roles, a title);
6. ``rejected``: ``find_contradictions`` (``attribute_conflicts`` for titles) gives no report of
   the edit's type, with the first rule that rejects it;
7. ``below threshold``: reported, but its confidence is under the display default;
8. ``reported``.

Whether A and B are aligned (support spans of one claim) is kept beside the stage.

This reads the pipeline's internals (drafts, candidates, rules) to explain misses; it
never decides what counts as found (``paraphrase.score`` does, from the reports only).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np

from benchmarks.alignment import SentenceMap
from storylens.api import LinkState
from storylens.embed import get_embedder
from storylens.link import contradictions as cx
from storylens.link.align import NEAR_IDENTICAL, predicate_classes, same_class
from storylens.link.clauses import ClaimDraft, resolve_drafts

STAGES = ("A: no draft", "B: no draft", "other story", "not a candidate", "slot missing in A",
          "slot missing in B", "rejected", "below threshold", "reported")


def _region(d: ClaimDraft, after: str) -> list[tuple[int, int]]:
    """Absolute offsets of the edited words in A's draft."""
    needle = after.strip()
    if not needle:
        return []
    return [(d.start + m.start(), d.start + m.end()) for m in re.finditer(re.escape(needle), d.text)]


def _overlaps(s: int, e: int, region: list[tuple[int, int]]) -> bool:
    return any(s < re_ and rs < e for rs, re_ in region)


def _old_value(edit: dict[str, Any]) -> str:
    return str(edit["before"]).strip()


# ------------------------------------------------------------------ slots


def _two_roles(c: Any) -> bool:
    """An actor and a patient or recipient, one of them named, neither a pronoun (what
    ``_actor_conflicts`` can swap)."""
    for other in (c.patient_party, c.recipient_party):
        roles = (c.actor_party, other)
        if all(roles) and any(cx._named(r) for r in roles) and not any(r.startswith("pron:") for r in roles):
            return True
    return False


def _slot_a(kind: str, sub: str, d: ClaimDraft, region: list[tuple[int, int]], titles: Any) -> str | None:
    """None when A's edited value is a comparable slot, else what is missing."""
    if not region:
        return "edited words not found in the draft"
    if kind == "number":
        qs = [q for q in d.quantities if _overlaps(q.span.start, q.span.end, region)]
        if not qs:
            return "no quantity at the edit"
        if not any(d.counted.get(q.span.start) or cx._unit_key(q.unit) for q in qs):
            return "quantity counts no noun"
        return None
    if kind == "date":
        ts = [t for t in d.times if _overlaps(t.span.start, t.span.end, region)]
        if not ts:
            return "no time expression at the edit"
        if not any(cx._date_key(t) or cx._clock_key(t) is not None for t in ts):
            return "time not comparable"
        if not any(t.span.start in d.time_anchor for t in ts):
            return "time dates no action"
        return None
    if kind == "negation":
        want_denied = sub == "denied report"
        neg = [c for c in d.clauses if not c.nominal and c.negated and (c.denied or not want_denied)]
        if not neg:
            return "no negated clause" if not want_denied else "no denied clause"
        return None
    if kind == "actor":
        if not any(_two_roles(c) for c in d.clauses):
            return "no clause with two roles, one named"
        return None
    if kind == "attribute":
        if not any(_overlaps(sp.start, sp.end, region) for ts in titles.values() for _, sp in ts):
            return "no title read at the edit"
        return None
    return "unknown kind"


def _slot_b(kind: str, edit: dict[str, Any], a: ClaimDraft, b: ClaimDraft, titles_b: Any,
            titles_a: Any, region: list[tuple[int, int]]) -> str | None:
    old = _old_value(edit)
    if kind == "number":
        qs = [q for q in b.quantities if old.lower().replace(",", "") in q.span.text.lower().replace(",", "")]
        if not qs:
            return "no quantity with the old value"
        if not any(b.counted.get(q.span.start) or cx._unit_key(q.unit) for q in qs):
            return "quantity counts no noun"
        return None
    if kind == "date":
        ts = [t for t in b.times if old.lower() in t.span.text.lower()]
        if not ts:
            return "no time expression with the old value"
        if not any(cx._date_key(t) or cx._clock_key(t) is not None for t in ts):
            return "time not comparable"
        if not any(t.span.start in b.time_anchor for t in ts):
            return "time dates no action"
        return None
    if kind == "negation":
        neg_a = {c.predicate for c in a.clauses if not c.nominal and c.negated}
        plain = [c for c in b.clauses if not c.nominal and not c.negated]
        if not plain:
            return "no affirmed clause"
        if not any(same_class(x, c.predicate) for x in neg_a for c in plain):
            return "no affirmed clause of A's predicate"
        return None
    if kind == "actor":
        if not any(_two_roles(c) for c in b.clauses):
            return "no clause with two roles, one named"
        return None
    if kind == "attribute":
        people = {eid for eid, ts in titles_a.items() for _, sp in ts if _overlaps(sp.start, sp.end, region)}
        if not any(eid in titles_b for eid in people):
            return "no title of the same person"
        return None
    return "unknown kind"


# ------------------------------------------------------------------ rejection


def _why(kind: str, a: ClaimDraft, b: ClaimDraft, ta: str, tb: str, sim: float) -> str:
    """The first rule of ``find_contradictions`` that keeps the edit's type from being reported."""
    if sim >= NEAR_IDENTICAL and a.text != b.text and cx._diff_conflicts(a, b):
        return "near-identical: another difference read"
    if not cx._events_match(a, b, sim):
        if a.entities and b.entities and not a.entities & b.entities:
            return "no named participant shared"
        return "events differ (no predicate class in common, sim < 0.62, no action dated alike)"
    if kind in ("number", "date") and cx._other_occasion(a, b):
        return "other occasion (years / year vs weekday)"
    if kind == "number":
        values_a = {q.value for q in a.quantities}
        values_b = {q.value for q in b.quantities}
        if len(a.quantities) >= 2 and len(b.quantities) >= 2 and not values_a & values_b:
            return "several counts, none shared"
        if not values_a & values_b and sim < cx.LONE_NUMBER_SIM:
            return f"lone count in loosely related sentences (sim {sim:.2f} < {cx.LONE_NUMBER_SIM})"
        keys_a = {k for q in a.quantities if (k := a.counted.get(q.span.start) or cx._unit_key(q.unit))}
        keys_b = {k for q in b.quantities if (k := b.counted.get(q.span.start) or cx._unit_key(q.unit))}
        if not keys_a & keys_b:
            return f"counted nouns differ ({sorted(keys_a)} vs {sorted(keys_b)})"
        anchors_a = set(a.count_anchor.values())
        anchors_b = set(b.count_anchor.values())
        if not values_a & values_b and not any(same_class(x, y) for x in anchors_a for y in anchors_b):
            return f"count anchors differ ({sorted(anchors_a)} vs {sorted(anchors_b)})"
        return "number rule (qualifier, partial count, list order, money, several of one noun)"
    if kind == "date":
        anchors_a = set(a.time_anchor.values())
        anchors_b = set(b.time_anchor.values())
        if not any(same_class(x, y) for x in anchors_a for y in anchors_b):
            return f"dated actions differ ({sorted(anchors_a)} vs {sorted(anchors_b)})"
        return "date rule (several days on one action, gap, kinds)"
    if kind == "negation":
        if cx._actor_conflicts(a, b):
            return "actor conflict read instead"
        pairs = [(ca, cb) for ca in a.clauses for cb in b.clauses if ca.negated != cb.negated
                 and not ca.nominal and not cb.nominal]
        if not any(cx._same_negatable(ca.predicate, cb.predicate) for ca, cb in pairs):
            if any(same_class(ca.predicate, cb.predicate) for ca, cb in pairs):
                return "same predicate class, a verb of saying or belief"
            return "no predicate stated and negated"
        for ca, cb in pairs:
            if not cx._same_negatable(ca.predicate, cb.predicate):
                continue
            if ca.predicate != cb.predicate and sim < cx.CLASS_NEGATION_SIM:
                return "two verbs of one class, loosely related sentences"
            if ca.predicate in cx._LIGHT_VERBS and sim < cx.NEAR_SAME_SENTENCE:
                return "light verb"
            if ca.alleged != cb.alleged:
                return "allegation against statement"
            if ca.hedged or cb.hedged or ca.predicate in cx._NEG_RAISING:
                return "hedged"
            if cx._irrealis(ca) != cx._irrealis(cb):
                return "plan against deed"
            if cx._denial_against_report(ca, cb, a, b):
                return "denial against report"
            if not cx._compatible_actor(ca.actor, cb.actor) or not cx._compatible_patient(ca.patient, cb.patient):
                return f"roles differ ({ca.actor}/{ca.patient} vs {cb.actor}/{cb.patient})"
            return f"no participant positively shared ({ca.actor}/{ca.patient} vs {cb.actor}/{cb.patient})"
        return "negation rule"
    if kind == "actor":
        classes_a = {k for c in a.clauses for k in predicate_classes(c.predicate)}
        classes_b = {k for c in b.clauses for k in predicate_classes(c.predicate)}
        if not classes_a & classes_b:
            return "no predicate class in common"
        return "roles not swapped as read"
    return "rule"


# ------------------------------------------------------------------ per run


def trace_run(state: LinkState, edits: list[dict[str, Any]], maps: dict[str, SentenceMap],
              ecb_of: dict[str, str], shown: float) -> dict[str, dict[str, Any]]:
    """edit key ("doc#index") → {"stage", "detail", "aligned", "sim", "partner"} for the edits of one run
    ("partner": the key of the gold partner whose pair reached the stage)."""
    docs = {a.doc.id: a for a in state.annotated}
    drafts = {doc: resolve_drafts(ann, state.mention_index) for doc, ann in docs.items()}
    every = [d for ds in drafts.values() for d in ds]
    cx.set_parties(every, state.entities)
    key_of: dict[int, str] = {}
    by_key: dict[str, list[ClaimDraft]] = defaultdict(list)
    for doc, ds in drafts.items():
        for d in ds:
            k = maps[ecb_of[doc]].locate(d.text, d.start)
            if k is not None:
                key_of[id(d)] = f"{ecb_of[doc]}#{k}"
                by_key[f"{ecb_of[doc]}#{k}"].append(d)
    story_of = {doc: s.id for s in state.analysis.stories for doc in s.docs}
    claim_of: dict[tuple[str, int], str] = {}
    for c in state.analysis.claims:
        for sp in c.support:
            claim_of[(sp.doc, sp.start)] = c.id
    # the pairs checked for contradictions, story by story, as build_claims forms them
    candidates: dict[tuple[int, int], float] = {}
    by_story: dict[str, list[ClaimDraft]] = defaultdict(list)
    for doc, ds in drafts.items():
        by_story[story_of.get(doc, "s1")].extend(ds)
    embedder = get_embedder()
    vec_of: dict[int, np.ndarray] = {}
    for checked in by_story.values():
        if len({d.doc for d in checked}) < 2:
            continue
        vectors = embedder.encode([d.text for d in checked])
        for d, v in zip(checked, vectors, strict=True):
            vec_of[id(d)] = v
        for i, j, cand_sim in cx.contradiction_candidates(checked, vectors):
            candidates[(id(checked[i]), id(checked[j]))] = cand_sim
            candidates[(id(checked[j]), id(checked[i]))] = cand_sim
    titles = {doc: cx._titles(ann, state.mention_index) for doc, ann in docs.items()}
    attr = [c for c in cx.attribute_conflicts(state.annotated, state.mention_index,
                                              {e.id: e for e in state.entities}, story_of)]
    out: dict[str, dict[str, Any]] = {}
    for e in edits:
        a_key = f"{e['doc']}#{e['index']}"
        best: dict[str, Any] = {"stage": STAGES[0], "detail": "", "aligned": False, "sim": None, "partner": None}
        partner: list[str | None] = [None]  # the gold partner being followed (kept with the best stage)

        def better(stage: str, detail: str, aligned: bool, sim: float | None, best: dict[str, Any] = best,
                   partner: list[str | None] = partner) -> None:
            if STAGES.index(stage) > STAGES.index(best["stage"]) or (
                    stage == best["stage"] and aligned and not best["aligned"]):
                best.update(stage=stage, detail=detail, aligned=aligned, sim=sim, partner=partner[0])

        a_drafts = by_key.get(a_key, [])
        for da in a_drafts:
            better(STAGES[1], "", False, None)
            region = _region(da, e["after"])
            text_a = docs[da.doc].doc.text
            for pk in e["partner_keys"]:
                partner[0] = pk
                for db in by_key.get(pk, []):
                    aligned = claim_of.get((da.doc, da.start)) is not None and \
                        claim_of.get((da.doc, da.start)) == claim_of.get((db.doc, db.start))
                    va, vb = vec_of.get(id(da)), vec_of.get(id(db))
                    sim = float(va @ vb) if va is not None and vb is not None else None
                    if story_of.get(da.doc) != story_of.get(db.doc):
                        better("other story", "", aligned, sim)
                        continue
                    if (id(da), id(db)) not in candidates:
                        better("not a candidate", f"sim {sim:.2f}" if sim is not None else "", aligned, sim)
                        continue
                    pair_sim = candidates[(id(da), id(db))]
                    miss = _slot_a(e["kind"], e["sub"], da, region, titles[da.doc])
                    if miss:
                        better("slot missing in A", miss, aligned, pair_sim)
                        continue
                    miss = _slot_b(e["kind"], e, da, db, titles[db.doc], titles[da.doc], region)
                    if miss:
                        better("slot missing in B", miss, aligned, pair_sim)
                        continue
                    text_b = docs[db.doc].doc.text
                    if e["kind"] == "attribute":
                        hits = [(c.confidence, c.explanation) for c in attr
                                if {c.a.doc, c.b.doc} == {da.doc, db.doc} and any(
                                    _overlaps(sp.start, sp.end, region) for sp in (c.a, c.b) if sp.doc == da.doc)]
                    else:
                        hits = [(round(conf * min(1.0, pair_sim + 0.3), 3), expl)
                                for kind, expl, conf in cx.find_contradictions(da, db, text_a, text_b, pair_sim)
                                if kind == e["kind"]]
                    if not hits:
                        reason = "titles compared equal or combinable" if e["kind"] == "attribute" else \
                            _why(e["kind"], da, db, text_a, text_b, pair_sim)
                        better("rejected", reason, aligned, pair_sim)
                        continue
                    conf = max(h[0] for h in hits)
                    if conf < shown:
                        better("below threshold", f"confidence {conf:.2f}", aligned, pair_sim)
                        continue
                    better("reported", "", aligned, pair_sim)
        out[a_key] = dict(best)
    return out
