"""Claim alignment: which sentences of different documents state the same thing.

Alignment needs more than a similarity threshold: two sentences join when
their MiniLM embeddings are close *and* they agree on what they are about
(shared canonical entities, or the same predicate class), or when they are
nearly the same sentence. A claim group holds at most one sentence per document.
Only each sentence's nearest neighbours are scored (blocking), a chunk of rows
at a time, so memory stays linear in the number of sentences.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from storylens.link.clauses import ClaimDraft

__all__ = ["align", "nearest_pairs", "predicate_class", "same_predicate", "NEAR_IDENTICAL", "NEIGHBOURS"]


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


# Verbs that name one kind of action with the same roles (giver → receiver, accuser → accused).
_PREDICATE_CLASS = {
    **dict.fromkeys(("supply", "provide", "deliver", "send", "give", "ship", "transfer", "export", "hand"),
                    "transfer"),
    **dict.fromkeys(("accuse", "blame"), "accuse"),
    **dict.fromkeys(("attack", "strike", "hit", "bomb", "shell", "raid", "invade"), "attack"),
    # one outlet's "foiled" is another's "thwarted": common synonyms of news verbs, same roles
    **dict.fromkeys(("foil", "thwart", "repulse", "repel", "avert", "frustrate"), "foil"),
    **dict.fromkeys(("arrest", "capture", "nab", "detain", "apprehend"), "arrest"),
    **dict.fromkeys(("fire", "sack", "dismiss", "oust", "axe"), "fire"),
    **dict.fromkeys(("appoint", "nominate", "name", "pick", "choose", "select", "tap"), "appoint"),
    **dict.fromkeys(("kill", "murder", "slay"), "kill"),
    **dict.fromkeys(("injure", "wound", "hurt"), "injure"),
    **dict.fromkeys(("deny", "reject"), "deny"),
    **dict.fromkeys(("resign", "quit", "step down"), "resign"),
    **dict.fromkeys(("visit", "arrive", "travel"), "visit"),
    # one escape told from either side: rescuers evacuate people, people escape or flee
    **dict.fromkeys(("evacuate", "escape", "flee", "rescue"), "evacuate"),
}


def predicate_class(lemma: str) -> str:
    return _PREDICATE_CLASS.get(lemma, lemma)


def same_predicate(a: ClaimDraft, b: ClaimDraft) -> bool:
    pa = {predicate_class(c.predicate) for c in a.clauses}
    pb = {predicate_class(c.predicate) for c in b.clauses}
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
    weights = _entity_weights(drafts)
    pairs: list[_Pair] = []
    docs = [d.doc for d in drafts]
    # blocking: only the nearest candidates of each sentence are scored
    for i, j, sim in nearest_pairs(vectors, docs, threshold):
        overlap = _entity_overlap(drafts[i], drafts[j], weights)
        same_pred = same_predicate(drafts[i], drafts[j])
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
        sub = vectors[members[ga]] @ vectors[members[gb]].T
        if float(sub.mean()) < threshold + 0.04:
            continue
        for k in members[gb]:
            group_of[k] = ga
        members[ga].extend(members.pop(gb))
        docs_in[ga] |= docs_in.pop(gb)
    return list(members.values()), pairs


def nearest_pairs(
    vectors: np.ndarray, docs: list[str], min_sim: float, k: int = NEIGHBOURS, chunk: int = 1024
) -> list[tuple[int, int, float]]:
    """(i, j, similarity) with i < j from different documents, j among i's ``k`` nearest.

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
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(sims), 1))
        # each row's neighbours by falling similarity, then the pairs kept, row by row in that
        # order (array operations: a Python loop over n x k neighbours was link's hot spot)
        top_sims = np.take_along_axis(sims, top, axis=1)
        by_sim = np.argsort(-top_sims, axis=1)
        top = np.take_along_axis(top, by_sim, axis=1)
        top_sims = np.take_along_axis(top_sims, by_sim, axis=1)
        keep = (top > rows[:, None]) & (doc_ids[top] != doc_ids[rows][:, None]) & (top_sims >= min_sim)
        r, c = np.nonzero(keep)
        out += zip((lo + r).tolist(), top[r, c].tolist(), top_sims[r, c].tolist(), strict=True)
    return out
