"""Story split and briefing: memory linear in the batch, cost per story (issue 13)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from storylens.storify import blocked
from storylens.storify.blocked import BatchFeatures, block_similarity, candidate_components
from storylens.storify.briefing import _told_elsewhere, mmr_order, mmr_select


def _naive_told_elsewhere(explained: list[set[str]]) -> set[int]:
    """The definition: the same explanations as an earlier pair, or a strict subset of another's."""
    return {
        i for i, e in enumerate(explained)
        if any(j != i and e < f for j, f in enumerate(explained)) or any(j < i and e == explained[j] for j in range(i))
    }


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sets(st.sampled_from("abcdef"), min_size=1, max_size=4), max_size=25))
def test_indexed_subsumption_equals_the_pairwise_definition(explained: list[set[str]]) -> None:
    assert _told_elsewhere(explained) == _naive_told_elsewhere(explained)


def _unit_rows(n: int, dim: int = 64, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_mmr_never_builds_a_square_matrix() -> None:
    n = 20_000  # an n x n float64 matrix would be 3.2 GB
    vectors = _unit_rows(n)
    relevance = list(np.linspace(2.0, 1.0, n))
    tracemalloc.start()
    chosen = mmr_select(relevance, vectors, limit=12)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(chosen) == 12 and chosen[0] == 0
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MiB"


def _reference_mmr(relevance: list[float], vectors: np.ndarray, families: list[str], lam: float = 0.7,
                   redundant: float = 0.8) -> list[int]:
    """MMR with the whole similarity matrix up front (what the lazy order must reproduce)."""
    n = len(relevance)
    fam = np.array(families, dtype=object)
    rel = np.array(relevance) / max(relevance)
    sims = (vectors @ vectors.T).astype(np.float64)
    max_sim, left, chosen = np.zeros(n), np.ones(n, dtype=bool), []
    while left.any():
        best = int(np.argmax(np.where(left, lam * rel - (1 - lam) * max_sim, -np.inf)))
        left[best] = False
        if max_sim[best] >= redundant:
            continue
        chosen.append(best)
        max_sim = np.where(fam == fam[best], np.maximum(max_sim, sims[:, best]), max_sim)
    return chosen


def test_lazy_order_matches_the_full_selection() -> None:
    vectors = _unit_rows(300, dim=8)  # low dimension: many near-duplicates to drop
    relevance = sorted(np.random.default_rng(3).uniform(1.0, 3.0, 300), reverse=True)
    families = ["fact" if i % 3 else "x:number" for i in range(300)]
    expected = _reference_mmr(relevance, vectors, families)
    assert 0 < len(expected) < 300  # something was dropped as redundant
    assert mmr_select(relevance, vectors, families) == expected
    lazy = mmr_order(relevance, vectors, families)
    assert [next(lazy) for _ in range(10)] == expected[:10]


def _batch(n: int, seed: int) -> BatchFeatures:
    rng = np.random.default_rng(seed)
    vectors = _unit_rows(n, dim=6, seed=seed)
    counts = sparse.random(n, 12, density=0.3, format="csr", dtype=np.float32, random_state=seed)
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1))).ravel()
    tfidf = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ counts
    entities = [{f"e{k}": 1.0} for k in rng.integers(0, 5, n)]
    dates = [{f"2031-01-0{d}"} if d else set() for d in rng.integers(0, 4, n)]
    return BatchFeatures(vectors, sparse.csr_matrix(tfidf, dtype=np.float32), entities, dates)


def test_components_read_in_slabs_are_those_of_every_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocked, "CHUNK", 7)  # many slabs, each folded into the running labelling
    weights = (0.25, 0.5, 0.15, 0.1)
    sizes = set()
    for seed in range(4):
        f = _batch(60, seed)
        sim = block_similarity(f, range(60), weights)
        for floor in (0.3, 0.5, 0.7):
            _, comp = connected_components(sparse.csr_matrix(sim >= floor), directed=False)
            expected = sorted(sorted(np.flatnonzero(comp == k).tolist()) for k in set(comp.tolist()))
            found = candidate_components(f, floor, weights)
            assert sorted(found) == expected
            sizes.add(len(found))
    assert len(sizes - {1, 60}) >= 3  # the floors really cut the batch, in several ways


def test_two_lone_documents_nearest_each_other_are_one_story() -> None:
    """Lone documents pair with their mutually nearest lone document when as close as a lone
    document must be to join a story; a third, far from both, stays alone, and a pair below
    that similarity stays apart."""
    from storylens.storify import SINGLETON_ATTACH, attach_singletons

    close, far = SINGLETON_ATTACH + 0.05, SINGLETON_ATTACH - 0.05
    sim = np.array([[1.0, close, far, 0.0],
                    [close, 1.0, 0.0, far],
                    [far, 0.0, 1.0, far],
                    [0.0, far, far, 1.0]])
    labels = attach_singletons([0, 1, 2, 3], sim, SINGLETON_ATTACH)
    assert labels[0] == labels[1]
    assert len({labels[0], labels[2], labels[3]}) == 3  # 2 and 3 are nearest each other, but too far
    # a document of a story of two joins nothing alone; the lone one attaches to that story instead
    story = np.array([[1.0, 0.5, close], [0.5, 1.0, close], [close, close, 1.0]])
    assert attach_singletons([0, 0, 1], story, SINGLETON_ATTACH) == [0, 0, 0]


def test_a_lone_document_between_two_unrelated_stories_joins_neither() -> None:
    """A lone document about as close to two stories joins neither when the two stories are far
    apart (it shares only what unrelated stories share), and joins the nearer when the two stories
    are close to each other (one matter told twice); a clear nearest story is joined as before."""
    from storylens.storify import ATTACH_MARGIN, SINGLETON_ATTACH, attach_singletons

    def batch(lone_a: float, lone_b: float, between: float) -> np.ndarray:
        # documents 0, 1: story A; 2, 3: story B; 4: the lone document
        sim = np.full((5, 5), between)
        sim[0, 1] = sim[1, 0] = sim[2, 3] = sim[3, 2] = 0.6
        sim[4, :2] = sim[:2, 4] = lone_a
        sim[4, 2:4] = sim[2:4, 4] = lone_b
        np.fill_diagonal(sim, 1.0)
        return sim

    labels = [0, 0, 1, 1, 2]
    near = SINGLETON_ATTACH + 0.06
    rival = near - ATTACH_MARGIN / 2
    unrelated, related = SINGLETON_ATTACH - 0.1, SINGLETON_ATTACH + 0.05
    assert attach_singletons(labels, batch(near, rival, unrelated), SINGLETON_ATTACH) == labels
    assert attach_singletons(labels, batch(near, rival, related), SINGLETON_ATTACH)[4] == 0
    assert attach_singletons(labels, batch(rival, near, related), SINGLETON_ATTACH)[4] == 1
    # a rival further behind than the margin does not hold the document back
    far_rival = near - 2 * ATTACH_MARGIN
    assert attach_singletons(labels, batch(near, far_rival, unrelated), SINGLETON_ATTACH)[4] == 0


def test_of_stories_of_equal_size_the_one_reports_tell_comes_first() -> None:
    """Main story first: most documents, then most documents that are not opinion pieces (the
    document id no longer decides between a report's story and an opinion piece's)."""
    from storylens.models import Document
    from storylens.records import AnnotatedDoc
    from storylens.storify import split_stories

    class Apart:
        def cluster(self, annotated: list[AnnotatedDoc], entity_of: object) -> list[int]:
            return list(range(len(annotated)))

    docs = [AnnotatedDoc(doc=Document(id=i, source=i, text="Invented text.", genre=g))
            for i, g in (("a1", "opinion"), ("b2", "report"), ("c3", "unknown"))]
    order = [s.docs[0] for s in split_stories(docs, [], {}, Apart())]
    assert order == ["b2", "c3", "a1"]
