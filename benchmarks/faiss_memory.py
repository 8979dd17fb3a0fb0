"""How much resident memory the story stream's faiss HNSW index takes beyond its own estimate.

``benchmarks.stream_scale`` splits RSS growth into "the index" (estimated as a float32 vector
and 32 level-0 links per article) and "the rest". This measures the index alone, with the
stream's settings (``storify.stream._VectorIndex``: HNSW, M = 16, efConstruction 128, inner
product, one thread), adding unit random 384-d vectors one at a time as the stream does, and
reads RSS from /proc: the difference to the estimate is the index's own overhead (upper
levels, per-node offsets, growth slack of its arrays), which ``stream_scale`` counts as "the
rest".

Run:  .venv/bin/python -m benchmarks.faiss_memory [--n 30000]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from benchmarks.common import machine, revision, write_result

DIM = 384


def _rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run(n: int, every: int) -> str:
    import faiss

    faiss.omp_set_num_threads(1)
    index = faiss.IndexHNSWFlat(DIM, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 128
    rng = np.random.default_rng(0)
    load = os.getloadavg()[0]
    before = _rss_mib()
    start = time.perf_counter()
    rows = []
    for i in range(1, n + 1):
        v = rng.normal(size=(1, DIM)).astype(np.float32)
        index.add(v / np.linalg.norm(v))
        if i % every == 0:
            estimate = i * (DIM * 4 + 32 * 4) / 2**20
            grown = _rss_mib() - before
            rows.append(f"| {i:,} | {grown:.1f} | {estimate:.1f} | {grown / estimate:.2f} | "
                        f"{time.perf_counter() - start:.0f} |")
    return "\n".join([
        "## Story stream index memory: faiss HNSW RSS vs its estimate",
        "",
        f"Command: `.venv/bin/python -m benchmarks.faiss_memory --n {n}`  ",
        f"Code: {revision()}  ",
        f"Machine: {machine()}  ",
        f"Load average at the start: {load:.1f} (shared machine: times are upper bounds; memory is not affected)  ",
        "Unit random 384-d vectors added one at a time to `IndexHNSWFlat(384, M=16)`, efConstruction 128, "
        "as `storify.stream` does. Estimate = float32 vector + 32 level-0 links per vector (what "
        "`stream_scale` calls the index).",
        "",
        "| vectors | RSS growth MiB | estimate MiB | ratio | seconds |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30_000)
    parser.add_argument("--every", type=int, default=10_000)
    args = parser.parse_args()
    report = run(args.n, args.every)
    print(report)
    write_result("faiss_memory", report)


if __name__ == "__main__":
    main()
