"""Which approximate-nearest-neighbour library the story stream uses: hnswlib, usearch or faiss-cpu.

The story clusterer adds one document vector (384-d MiniLM, cosine) at a
time and asks for its nearest earlier documents, so the measure is the cost
of one add and one top-20 query at 1k, 10k and 100k stored vectors, recall@20
against exact search, and the memory the index takes. Vectors are clustered
like news (25 documents a story around a story centre, unit length), made
with a fixed seed; all libraries use HNSW with the same graph degree (16),
construction beam (128) and search beam (64), one thread.

Run (the peers are not project dependencies; a throwaway venv holds them):
  python -m venv /tmp/annvenv && /tmp/annvenv/bin/pip install numpy hnswlib==0.8.0 usearch==2.26.6 faiss-cpu==1.15.1
  PYTHONPATH=. /tmp/annvenv/bin/python -m benchmarks.ann_choice
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.common import revision, write_result

CONCLUSION = (
    "Chosen: faiss-cpu (`IndexHNSWFlat`, inner product on unit vectors). hnswlib is as fast or faster but "
    "ships only as source (a C++ compiler at install) and its last release is from 2023; usearch at f32 "
    "cost about twice faiss's time per call at 100k, its int8 index is smaller but loses recall. Each library "
    "was measured once, one after the other, while other jobs shared the two cores: the times are noisy, the "
    "ordering at 100k is what the choice rests on."
)

DIM, K, M, EF_ADD, EF_SEARCH = 384, 20, 16, 128, 64
SIZES = (1_000, 10_000, 100_000)
QUERIES = 200


CENTRES = np.random.default_rng(0).standard_normal((SIZES[-1] // 25 + 1, DIM)).astype(np.float32)


def vectors(story: np.ndarray, seed: int) -> np.ndarray:
    """One unit vector per entry of ``story``, around that story's centre."""
    rng = np.random.default_rng(seed)
    x = CENTRES[story] + 0.7 * rng.standard_normal((len(story), DIM)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)


class Hnswlib:
    name = "hnswlib 0.8.0"

    def __init__(self) -> None:
        import hnswlib

        self.index = hnswlib.Index(space="ip", dim=DIM)
        self.index.init_index(max_elements=1024, M=M, ef_construction=EF_ADD)
        self.index.set_ef(EF_SEARCH)
        self.index.set_num_threads(1)
        self.n = 0

    def add(self, v: np.ndarray) -> None:
        if self.n >= self.index.get_max_elements():
            self.index.resize_index(2 * self.index.get_max_elements())
        self.index.add_items(v[None, :], [self.n])
        self.n += 1

    def query(self, v: np.ndarray) -> set[int]:
        labels, _ = self.index.knn_query(v[None, :], k=min(K, self.n))
        return {int(x) for x in labels[0]}

    def nbytes(self) -> int:
        return int(self.index.index_file_size())


class Usearch:
    def __init__(self, dtype: str) -> None:
        from usearch.index import Index

        self.name = f"usearch 2.26.6 ({dtype})"
        self.index = Index(ndim=DIM, metric="cos", dtype=dtype, connectivity=M, expansion_add=EF_ADD,
                           expansion_search=EF_SEARCH)
        self.n = 0

    def add(self, v: np.ndarray) -> None:
        self.index.add(self.n, v, threads=1)
        self.n += 1

    def query(self, v: np.ndarray) -> set[int]:
        return {int(x) for x in self.index.search(v, K, threads=1).keys}

    def nbytes(self) -> int:
        return int(self.index.memory_usage)


class Faiss:
    name = "faiss-cpu 1.15.1 (IndexHNSWFlat)"

    def __init__(self) -> None:
        import faiss

        faiss.omp_set_num_threads(1)
        self.index = faiss.IndexHNSWFlat(DIM, M, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = EF_ADD
        self.index.hnsw.efSearch = EF_SEARCH
        self.faiss = faiss

    def add(self, v: np.ndarray) -> None:
        self.index.add(v[None, :])

    def query(self, v: np.ndarray) -> set[int]:
        _, labels = self.index.search(v[None, :], K)
        return {int(x) for x in labels[0] if x >= 0}

    def nbytes(self) -> int:
        return int(self.faiss.serialize_index(self.index).nbytes)


def measure(make: Callable[[], Any], data: np.ndarray) -> list[str]:
    index = make()
    rows = []
    start = 0
    rng = np.random.default_rng(1)
    for size in SIZES:
        t0 = time.perf_counter()
        for i in range(start, size):
            index.add(data[i])
        build = time.perf_counter() - t0
        # the next documents of the stream: a query then an add, as the clusterer does
        # new documents of stories already in the index
        probes = vectors(rng.integers(0, size // 25, QUERIES), seed=size)
        t0 = time.perf_counter()
        found = [index.query(q) for q in probes]
        q_ms = (time.perf_counter() - t0) / QUERIES * 1000
        exact = np.argsort(-(probes @ data[:size].T), axis=1)[:, :K]
        recall = float(np.mean([len(f & set(e.tolist())) / K for f, e in zip(found, exact, strict=True)]))
        rows.append(f"| {index.name} | {size:,} | {build / (size - start) * 1000:.3f} | {q_ms:.3f} | {recall:.3f} | "
                    f"{index.nbytes() / 2**20:.1f} |")
        start = size
    return rows


def main() -> None:
    data = vectors(np.arange(SIZES[-1]) // 25, seed=1)
    makers: list[Callable[[], Any]] = [Hnswlib, lambda: Usearch("f32"), lambda: Usearch("f16"),
                                       lambda: Usearch("i8"), Faiss]
    lines = [
        "## ANN library for the story stream (hnswlib vs usearch vs faiss-cpu)",
        "",
        "Command: `PYTHONPATH=. /tmp/annvenv/bin/python -m benchmarks.ann_choice` (peers in a throwaway venv)  ",
        f"Code: {revision()}  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}  ",
        f"{DIM}-d unit vectors in clusters of 25 (member cosine about 0.67), HNSW degree {M}, construction beam {EF_ADD}, search beam "
        f"{EF_SEARCH}, one thread; add = mean per vector while growing to the size; query = top-{K}, mean of "
        f"{QUERIES}; recall@{K} against exact inner product.",
        "",
        "| library | stored | add (ms) | query (ms) | recall@20 | index (MiB) |",
        "|---|---|---|---|---|---|",
    ]
    for make in makers:
        try:
            lines += measure(make, data)
        except ImportError as exc:
            lines.append(f"| {exc.name} not installed | | | | | |")
        print("\n".join(lines[-3:]), flush=True)
    lines += ["", CONCLUSION, ""]
    print("\n".join(lines))
    write_result("ann_choice", "\n".join(lines))


if __name__ == "__main__":
    main()
