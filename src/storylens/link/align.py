"""Claim alignment: which sentences of different documents state the same thing.

Alignment needs more than a similarity threshold: two sentences join when
their MiniLM embeddings are close *and* they agree on what they are about
(shared canonical entities, or the same predicate class), or when they are
nearly the same sentence, or when they share an event frame (``same_frame``: one kind
of action, ``wordlists.PREDICATE_CLASSES``, told by a verb or its noun, with a named
participant in common) at a lower similarity. Pairs are of two documents; a group may
hold two sentences of one document (a headline and the lead that restates it).
Only each sentence's nearest neighbours are scored (blocking), a chunk of rows
at a time, so memory stays linear in the number of sentences.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from storylens.link.clauses import ClaimDraft, Clause
from storylens.wordlists import BELIEF_VERBS, EVENT_NOUNS, PREDICATE_CLASSES, STATING_VERBS

__all__ = ["align", "nearest_pairs", "predicate_class", "predicate_classes", "same_class", "same_predicate",
           "same_frame", "NEAR_IDENTICAL", "NEIGHBOURS", "FRAME_SIM", "MEMBER_FLOOR",
           "stated_years", "other_participants"]


#: sentences this close are the same statement whatever their slots say
NEAR_IDENTICAL = 0.9


#: candidates scored per sentence (blocking)
NEIGHBOURS = 30


@dataclass
class _Pair:
    a: int
    b: int
    sim: float
    score: float
    #: accepted because both sentences share an event frame (``same_frame``)
    framed: bool = False


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


def predicate_classes(lemma: str) -> frozenset[str]:
    """The kinds of action a verb (or an event noun, "arrival" → arrive) names
    (``wordlists.PREDICATE_CLASSES``); a word of no class is its own kind."""
    found = PREDICATE_CLASSES.get(lemma)
    if found is not None:
        return found
    verb = EVENT_NOUNS.get(lemma)
    if verb is not None:
        return PREDICATE_CLASSES.get(verb, frozenset({verb}))
    return frozenset({lemma})


def predicate_class(lemma: str) -> str:
    """One name for the kind of action (the first of its classes): a grouping key."""
    return min(predicate_classes(lemma))


def same_class(x: str, y: str) -> bool:
    """Two predicates name one kind of action ("evacuated" and "escaped", "detained" and "arrest")."""
    return x == y or bool(predicate_classes(x) & predicate_classes(y))


def same_predicate(a: ClaimDraft, b: ClaimDraft) -> bool:
    pa = set().union(*(predicate_classes(c.predicate) for c in a.clauses))
    pb = set().union(*(predicate_classes(c.predicate) for c in b.clauses))
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


#: two sentences that share an event frame (one kind of action, a participant in the same
#: role) are one claim from this similarity on: the frame pins down what MiniLM's
#: similarity alone cannot tell apart in differently worded reports (a paraphrase in other
#: words, "was named coach" / "hired as head coach", is often this far apart for MiniLM;
#: the merge's per-member floor keeps such joins from chaining)
FRAME_SIM = 0.45
#: every sentence of a claim is at least this similar to every other one: a group whose mean
#: is high can still hold two sentences joined only through a third (this year's flood, the
#: flood of a decade ago, the warning issued before either), a grab-bag, not one claim
MEMBER_FLOOR = 0.4

#: verbs that name no event of their own: a frame is never built on them
_FRAMELESS = STATING_VERBS | BELIEF_VERBS | {"be", "have", "do", "make", "get", "go", "take", "come", "become",
                                            "seem", "appear", "happen", "include", "continue"}


def same_frame(a: ClaimDraft, b: ClaimDraft) -> bool:
    """One event told twice: a named participant in common, and clauses of one kind of
    action (a verb or the noun for it, active or passive: "arrested X" / "X was detained" /
    "the arrest of X") with the same polarity and no two different named participants in
    one role."""
    if not a.entities & b.entities:
        return False
    return any(not _roles_clash(ca, cb) for ca, cb in _kindred_clauses(a, b)
               if ca.nominal or cb.nominal or ca.negated == cb.negated)


def other_participants(a: ClaimDraft, b: ClaimDraft) -> bool:
    """Both sentences tell one kind of action, each time with another named participant in one
    role ("the Harlow club offered the striker a contract" / "the Denby club offered him a
    contract"): two events of a kind, however alike the sentences read. Not when another pair of
    their clauses of that kind agrees (a frame in common)."""
    clash = False
    for ca, cb in _kindred_clauses(a, b):
        if not _roles_clash(ca, cb):
            return False
        clash = True
    return clash


def _kindred_clauses(a: ClaimDraft, b: ClaimDraft) -> Iterator[tuple[Clause, Clause]]:
    """Pairs of clauses of the two sentences that tell one kind of action (neither on a verb
    that names no event of its own)."""
    for ca in a.clauses:
        if ca.predicate in _FRAMELESS:
            continue
        for cb in b.clauses:
            if cb.predicate not in _FRAMELESS and same_class(ca.predicate, cb.predicate):
                yield ca, cb


def _roles_clash(ca: Clause, cb: Clause) -> bool:
    """The two clauses name different participants in one role."""
    return any(_clash(getattr(ca, role), getattr(cb, role)) for role in ("actor", "patient", "recipient"))


def _clash(x: str | None, y: str | None) -> bool:
    return x is not None and y is not None and x.startswith("e_") and y.startswith("e_") and x != y


def align(drafts: list[ClaimDraft], vectors: np.ndarray, threshold: float) -> tuple[list[list[int]], list[_Pair]]:
    """Group drafts that state the same thing; return groups and accepted pairs."""
    n = len(drafts)
    if n == 0:
        return [], []
    weights = _entity_weights(drafts)
    pairs: list[_Pair] = []
    docs = [d.doc for d in drafts]
    # blocking: only the nearest candidates of each sentence are scored
    for i, j, sim in nearest_pairs(vectors, docs, min(threshold, FRAME_SIM), other_docs=True):
        framed = sim >= FRAME_SIM and same_frame(drafts[i], drafts[j])
        if sim < threshold and not framed:
            continue
        overlap = _entity_overlap(drafts[i], drafts[j], weights)
        same_pred = same_predicate(drafts[i], drafts[j])
        if not framed and sim < NEAR_IDENTICAL and other_participants(drafts[i], drafts[j]):
            continue  # one kind of action done by or to two different named participants
        if framed or _agree(drafts[i], drafts[j], sim, overlap, same_pred):
            pairs.append(_Pair(i, j, sim, sim + 0.15 * overlap + (0.05 if same_pred else 0.0), framed))
    # greedy merge by score. Pairs are always of two documents, but a group may hold two
    # sentences of one document that both state its fact (a headline and its lead)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    years = [stated_years(d) for d in drafts]
    for p in sorted(pairs, key=lambda p: -p.score):
        ga, gb = group_of[p.a], group_of[p.b]
        if ga == gb:
            continue
        # the joined group must stay coherent: mean similarity to the new members (a group
        # joined through a frame keeps the frame's similarity), and no two sentences
        # further apart than the floor
        sub = vectors[members[ga]] @ vectors[members[gb]].T
        if float(sub.mean()) < (FRAME_SIM if p.framed else threshold + 0.04):
            continue
        if float(sub.min()) < MEMBER_FLOOR:
            continue
        if _other_years(members[ga], members[gb], years):
            continue
        for k in members[gb]:
            group_of[k] = ga
        members[ga].extend(members.pop(gb))
    return list(members.values()), pairs


def stated_years(d: ClaimDraft) -> frozenset[str]:
    """The years written out ("in 2009", "on 4 May 2013") on the times that date an action of
    the sentence: when it happened, not when it was said or published."""
    return frozenset(t.value[:4] for t in d.times
                     if t.value and d.time_anchor.get(t.span.start, "say") not in STATING_VERBS and _YEAR.search(t.span.text)
                     and t.value[:4].isdigit())


_YEAR = re.compile(r"\b(1[89]|2[01])\d\d\b")


def _other_years(a: list[int], b: list[int], years: list[frozenset[str]]) -> bool:
    """Two groups whose sentences date what they state in different years only: two
    occasions (a flood this year, one a decade ago), never one claim."""
    ya = frozenset().union(*(years[k] for k in a))
    yb = frozenset().union(*(years[k] for k in b))
    return bool(ya and yb and not ya & yb)


def nearest_pairs(
    vectors: np.ndarray, docs: list[str], min_sim: float, k: int = NEIGHBOURS, chunk: int = 1024,
    other_docs: bool = False,
) -> list[tuple[int, int, float]]:
    """(i, j, similarity) with i < j from different documents, j among i's ``k`` nearest.

    With ``other_docs``, the ``k`` nearest are counted among the other documents' sentences
    only (a document's own sentences, often close to each other, no longer use up the
    places), and a pair is kept when either sentence is among the other's nearest.
    Rows are scored a chunk at a time, so memory stays linear in the number of sentences.
    """
    n = len(docs)
    if n < 2:
        return []
    doc_ids = np.unique(np.array(docs), return_inverse=True)[1]
    k = min(k, n)
    out: list[tuple[int, int, float]] = []
    for lo in range(0, n, chunk):
        sims = vectors[lo : lo + chunk] @ vectors.T
        rows = np.arange(lo, lo + len(sims))
        if other_docs:
            sims = np.where(doc_ids[None, :] == doc_ids[rows][:, None], -np.inf, sims)
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(sims), 1))
        # each row's neighbours by falling similarity, then the pairs kept, row by row in that
        # order (array operations: a Python loop over n x k neighbours was link's hot spot)
        top_sims = np.take_along_axis(sims, top, axis=1)
        by_sim = np.argsort(-top_sims, axis=1)
        top = np.take_along_axis(top, by_sim, axis=1)
        top_sims = np.take_along_axis(top_sims, by_sim, axis=1)
        keep = (top != rows[:, None]) if other_docs else (top > rows[:, None])
        keep &= (doc_ids[top] != doc_ids[rows][:, None]) & (top_sims >= min_sim)
        r, c = np.nonzero(keep)
        out += zip((lo + r).tolist(), top[r, c].tolist(), top_sims[r, c].tolist(), strict=True)
    if not other_docs:
        return out
    # a pair found from both ends once, as (smaller, larger), in the order first found
    seen: dict[tuple[int, int], float] = {}
    for i, j, sim in out:
        seen.setdefault((i, j) if i < j else (j, i), sim)
    return [(i, j, sim) for (i, j), sim in seen.items()]
