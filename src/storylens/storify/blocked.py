"""Batch story split in memory linear in the corpus: exact average linkage inside blocks.

Average linkage with a distance threshold can only merge two groups whose mean
similarity reaches ``1 - threshold``, and a lone document only attaches to a
story at mean similarity ``SINGLETON_ATTACH`` (and is held back by a rival story that
it is ``ATTACH_MARGIN`` less close to, see ``attach_singletons``). So documents that have no
candidate partner at ``floor`` (below both) can never end up together, and the
clustering of the whole batch is the union of the clusterings of the
connected components of the "similar at ``floor`` or more" graph. That graph
is found in row chunks (a chunk × n slab at a time, never n × n), with an
upper bound of the similarity (day agreement counted as its best), and each
component is clustered exactly as before, with its own dense matrix.

A component too large for a dense matrix (``max_block`` documents) is split
again at a higher floor; one still too large at the merge level is clustered
by the incremental clusterer instead (linear memory, see ``storify.stream``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = ["BACKGROUND_DOCS", "BatchFeatures", "blocked_labels", "entity_vectors", "tfidf_rows"]

CHUNK = 512


@dataclass
class BatchFeatures:
    """The batch similarity's inputs, all linear in the corpus."""

    vectors: np.ndarray  # n × d unit lead vectors
    tfidf: sparse.csr_matrix  # n × vocabulary, rows unit length
    entities: list[dict[str, float]]  # IDF-weighted unit entity vectors
    dates: list[set[str]]


#: the batch is weighed as if it sat among this many more documents that name none of its
#: terms: the IDF of a small batch does not read "every document names it" as "common".
#: Without it, in a batch of two reports of one event the entities and words they share
#: weighed less than those each names alone, and one event split into two stories (30 of 60
#: one-event Multi-News dev clusters split; 21 with it, most of them a crawl notice or
#: another event's page among the articles). A large batch barely changes (ECB+ dev ARI
#: 0.968 → 0.981). Tuned on those dev sets: 10 or more merged two sub-events of one
#: coach (tests/storify/test_stream.py).
BACKGROUND_DOCS = 5


def entity_vectors(counts: Sequence[Counter[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts) + BACKGROUND_DOCS
    out = []
    for c in counts:
        vec = {e: (1 + math.log(k)) * math.log((n + 1) / df[e]) for e, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({e: v / norm for e, v in vec.items()})
    return out


def tfidf_rows(texts: Sequence[str]) -> sparse.csr_matrix:
    """Unit TF-IDF rows (sublinear term frequency, English stop words removed), the IDF
    smoothed by ``BACKGROUND_DOCS`` as for entities."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    tf = TfidfVectorizer(sublinear_tf=True, stop_words="english", use_idf=False, norm=None).fit_transform(texts)
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log((1 + tf.shape[0] + BACKGROUND_DOCS) / (1 + df)) + 1
    rows: sparse.csr_matrix = normalize(tf.multiply(idf).tocsr()).astype(np.float32).tocsr()
    return rows


def _entity_matrix(ents: list[dict[str, float]]) -> sparse.csr_matrix:
    keys: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(ents):
        for e, w in vec.items():
            rows.append(i)
            cols.append(keys.setdefault(e, len(keys)))
            vals.append(w)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(ents), max(1, len(keys))), dtype=np.float32)


def _date_matrix(dates: list[set[str]]) -> sparse.csr_matrix:
    keys: dict[str, int] = {}
    rows, cols = [], []
    for i, ds in enumerate(dates):
        for d in ds:
            rows.append(i)
            cols.append(keys.setdefault(d, len(keys)))
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                             shape=(len(dates), max(1, len(keys))))


class _Slabs:
    """Rows of the batch similarity among a set of documents, a slab at a time."""

    def __init__(self, f: BatchFeatures, idx: Sequence[int], weights: tuple[float, float, float, float]) -> None:
        ix = np.asarray(idx)
        self.weights = weights
        self.v = f.vectors[ix]
        self.x = f.tfidf[ix]
        self.e = _entity_matrix([f.entities[i] for i in idx])
        self.d = _date_matrix([f.dates[i] for i in idx])
        self.dated = np.asarray([bool(f.dates[i]) for i in idx], dtype=np.float32)
        self.xt, self.et, self.dt = self.x.T.tocsc(), self.e.T.tocsc(), self.d.T.tocsc()

    def rows(self, start: int, stop: int) -> np.ndarray:
        w_text, w_tfidf, w_ent, w_date = self.weights
        text = np.clip(self.v[start:stop] @ self.v.T, 0.0, 1.0)
        lexical = np.asarray((self.x[start:stop] @ self.xt).toarray(), dtype=np.float32)
        ent = np.clip(np.asarray((self.e[start:stop] @ self.et).toarray(), dtype=np.float32), 0.0, 1.0)
        # +1 for a shared day, -0.5 when both are dated and share none, 0 otherwise
        shared = np.asarray((self.d[start:stop] @ self.dt).toarray(), dtype=np.float32) > 0
        both = np.outer(self.dated[start:stop], self.dated) > 0
        date = np.where(shared, 1.0, np.where(both, -0.5, 0.0)).astype(np.float32)
        for r in range(stop - start):  # a document is not compared with itself
            date[r, start + r] = 0.0
        sim: np.ndarray = w_text * text + w_tfidf * lexical + w_ent * ent + w_date * date
        return sim


def block_similarity(f: BatchFeatures, idx: Sequence[int], weights: tuple[float, float, float, float]) -> np.ndarray:
    """The exact batch similarity among documents ``idx`` (dense, len(idx)²)."""
    return _Slabs(f, idx, weights).rows(0, len(idx))


def candidate_components(f: BatchFeatures, floor: float, weights: tuple[float, float, float, float],
                         subset: Sequence[int] | None = None) -> list[list[int]]:
    """Connected components of the graph of pairs whose similarity reaches ``floor``.

    The pairs are read a slab at a time and folded into a running component labelling:
    a batch whose documents are all alike has n² such pairs, and keeping them (as one
    edge list) took memory quadratic in the batch.
    """
    from scipy.sparse.csgraph import connected_components

    idx = list(subset if subset is not None else range(len(f.dates)))
    n = len(idx)
    slabs = _Slabs(f, idx, weights)
    comp = np.arange(n, dtype=np.int32)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        rows, cols = np.nonzero(slabs.rows(start, stop) >= floor)
        # this slab's pairs as pairs of the components found so far: joining those
        # components gives the components of every pair read up to here
        graph = sparse.csr_matrix((np.ones(len(rows), dtype=np.int8), (comp[rows + start], comp[cols])),
                                  shape=(n, n))
        _, merged = connected_components(graph, directed=False)
        comp = merged.astype(np.int32)[comp]
    groups: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(comp.tolist()):
        groups[k].append(idx[i])
    return sorted(groups.values(), key=lambda g: g[0])


def blocked_labels(
    f: BatchFeatures, threshold: float, attach: float, weights: tuple[float, float, float, float],
    max_block: int = 4000, floor: float | None = None,
) -> list[int]:
    """A story label per document: exact average linkage + singleton attachment, block by block."""
    from sklearn.cluster import AgglomerativeClustering

    from storylens.storify import ATTACH_MARGIN, attach_singletons

    n = len(f.dates)
    labels = [0] * n
    next_label = 0
    # a lone document's rival stories (within ATTACH_MARGIN of its nearest, see
    # ``attach_singletons``) must sit in its block too, or the blocks would not give the dense split
    start_floor = min(attach - ATTACH_MARGIN, 1.0 - threshold) - 0.01 if floor is None else floor
    todo: list[tuple[list[int], float]] = [(list(range(n)), start_floor)]
    while todo:
        members, at = todo.pop()
        for block in candidate_components(f, at, weights, members) if len(members) > 1 else [members]:
            if len(block) > max_block:
                higher = at + 0.05
                if higher <= 1.0 - threshold:
                    todo.append((block, higher))
                    continue
                block_labels = _incremental_labels(f, block, weights, threshold, attach)
            elif len(block) == 1:
                block_labels = [0]
            else:
                sim = block_similarity(f, block, weights)
                dist = np.clip(1.0 - sim, 0.0, None)
                np.fill_diagonal(dist, 0.0)
                model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                                distance_threshold=threshold)
                block_labels = attach_singletons([int(x) for x in model.fit_predict(dist)], sim, attach)
            remap: dict[int, int] = {}
            for i, lab in zip(block, block_labels, strict=True):
                if lab not in remap:
                    remap[lab] = next_label
                    next_label += 1
                labels[i] = remap[lab]
    return labels


def _incremental_labels(f: BatchFeatures, block: list[int], weights: tuple[float, float, float, float],
                        threshold: float, attach: float) -> list[int]:
    """A block too large for a dense matrix: the incremental clusterer, in document order."""
    from storylens.storify.features import DocFeatures
    from storylens.storify.stream import IncrementalClusterer, StreamParams

    w_text, w_tfidf, w_ent, w_date = weights
    clusterer = IncrementalClusterer(StreamParams(w_text=w_text, w_tfidf=w_tfidf, w_ent=w_ent, w_date=w_date,
                                                  attach=attach))
    feats = []
    for i in block:
        row = f.tfidf[i]
        terms = {f"t{int(c)}": float(val) for c, val in zip(row.indices, row.data, strict=True)}
        feats.append(DocFeatures(doc_id=str(i), vector=f.vectors[i], terms=terms,
                                 entities={e: 1 for e in f.entities[i]}, days=frozenset(f.dates[i])))
    clusterer.observe(feats)
    clusterer.assign_many(feats)
    clusterer.settle(final=True)
    ids = {sid: k for k, sid in enumerate(clusterer.stories())}
    return [ids[clusterer.story_of(str(i))] for i in block]
