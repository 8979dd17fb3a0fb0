"""Scale-out on Dask: throughput of `storylens add` in one process and on 1 and 2 Dask
workers (LocalCluster), per-phase cost, memory per worker, the scheduler's overhead per
task, whether the stored results are the same, and a projection to large clusters.

Corpus: ECB+ documents of one split as JSONL (text only, each document its own outlet),
added to a fresh SQLite store by each configuration.

Run:  PYTHONPATH=. .venv/bin/python -m benchmarks.dask_scale --split dev --limit 200
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, machine, revision, write_result

ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"


def _corpus(split: str, limit: int, folder: Path) -> Path:
    with gzip.open(ECB, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = [r for r in rows if r["split"] == split][:limit]
    path = folder / f"ecb_{split}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"text": r["text"], "url": r.get("source_url") or None}) + "\n")
    return path


def _snapshot(store: Any) -> list[Any]:
    out = []
    for row in store.list_stories(with_documents=True):
        analysis = store.story_analysis(row.id)
        data = json.loads(analysis.to_json()) if analysis else None
        if data:
            data.pop("stats")
        out.append((row.id, [d["id"] for d in row.documents], data))
    return sorted(out, key=lambda r: str(r[0]))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _noop(x: int) -> int:
    return x


def _one_process(corpus: Path, db: Path) -> dict[str, Any]:
    from storylens.annotate.nlp import get_nlp
    from storylens.embed import get_embedder
    from storylens.options import Options
    from storylens.store import open_store
    from storylens.store.add import add_sources

    # warm, as the Dask workers are: the models load once per process, outside the timing
    get_nlp()
    get_embedder().encode(["x"])
    store = open_store(f"sqlite:///{db}")
    phases: dict[str, float] = {}
    last = [time.perf_counter(), ""]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1]:
            phases[str(last[1])] = phases.get(str(last[1]), 0.0) + now - float(last[0])
        last[0], last[1] = now, stage

    t0 = time.perf_counter()
    result = add_sources(store, [str(corpus)], Options(), progress=progress)
    wall = time.perf_counter() - t0
    snap = _snapshot(store)
    store.close()
    return {"wall": wall, "added": result.added, "stories": len(snap), "snap": snap, "phases": phases,
            "rss": _rss_mb()}


def _dask(corpus: Path, db: Path, workers: int) -> dict[str, Any]:
    from dask.distributed import Client, LocalCluster, get_task_stream

    from storylens.options import Options
    from storylens.scale import DaskOptions, add_with_dask
    from storylens.store import open_store

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="4GiB") as cluster, Client(cluster) as client:
        # warm: each worker loads its models once, as a long run would
        client.run(lambda: __import__("storylens.annotate.nlp", fromlist=["get_nlp"]).get_nlp())
        client.run(lambda: __import__("storylens.embed", fromlist=["get_embedder"]).get_embedder().encode(["x"]))
        store = open_store(f"sqlite:///{db}")
        opts = DaskOptions(workers=workers)
        t0 = time.perf_counter()
        with get_task_stream(client) as stream:
            result = add_with_dask(store, [str(corpus)], Options(), opts, client=client)
        wall = time.perf_counter() - t0
        snap = _snapshot(store)
        store.close()
        tasks = [t for t in stream.data if t.get("startstops")]
        compute = sum(s["stop"] - s["start"] for t in tasks for s in t["startstops"] if s["action"] == "compute")
        by_kind: dict[str, list[float]] = {}
        for t in tasks:
            key = t["key"][0] if isinstance(t["key"], tuple) else t["key"]
            kind = str(key).split("-", 1)[0]  # "prepare-<uuid>": the function's name
            by_kind.setdefault(kind, []).append(
                sum(s["stop"] - s["start"] for s in t["startstops"] if s["action"] == "compute"))
        worker_rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        # the scheduler's cost per task: round trips of tasks that do nothing
        n = 500
        t1 = time.perf_counter()
        client.gather(client.map(_noop, range(n), pure=False))
        per_noop = (time.perf_counter() - t1) / n
    return {"wall": wall, "added": result.added, "stories": len(snap), "snap": snap, "timings": opts.timings,
            "tasks": len(tasks), "compute": compute, "by_kind": by_kind, "worker_rss": worker_rss,
            "per_noop": per_noop, "rss": _rss_mb()}


def run(split: str, limit: int) -> str:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = _corpus(split, limit, folder)
        one = _one_process(corpus, folder / "one.db")
        d1 = _dask(corpus, folder / "d1.db", 1)
        d2 = _dask(corpus, folder / "d2.db", 2)
    load_after = os.getloadavg()
    n = one["added"]
    rows = []
    for name, r in (("one process (`storylens add`)", one), ("Dask, 1 worker", d1), ("Dask, 2 workers", d2)):
        rows.append(f"| {name} | {r['added']} | {r['wall']:.1f} | {r['added'] / r['wall']:.2f} | "
                    f"{one['wall'] / r['wall']:.2f}× | {r['stories']} | "
                    f"{'same as one process' if r['snap'] == one['snap'] else 'DIFFERENT'} |")
    mean_task = {k: sum(v) / len(v) for k, v in d2["by_kind"].items() if v}
    prepare_s = mean_task.get("prepare", 0.0)
    overhead_share = d2["per_noop"] / prepare_s if prepare_s else float("nan")
    t2 = d2["timings"]
    # driver-side sequential cost per article (assignment + one transaction), from the 2-worker run:
    # the annotate phase's wall time beyond what the workers computed is bounded below by it
    driver_per_doc = max(0.0, t2.get("annotate+store", 0.0) - sum(d2["by_kind"].get("prepare", [])) / 2) / max(1, n)
    worker_per_doc = sum(d2["by_kind"].get("prepare", [])) / max(1, n)
    link_per_doc = sum(d2["by_kind"].get("link", [])) / max(1, n)
    projection = []
    for workers in (10, 100, 1000):
        parallel = (worker_per_doc + link_per_doc) / workers
        per_doc = max(parallel, driver_per_doc)
        days = 10_000_000 * per_doc / 86400
        bound = "workers" if parallel >= driver_per_doc else "the single writer (driver)"
        projection.append(f"| {workers} | {1 / per_doc:,.0f} | {days:.1f} | {bound} |")
    header = "  \n".join([
        f"Command: `PYTHONPATH=. .venv/bin/python -m benchmarks.dask_scale --split {split} --limit {limit}`",
        f"Machine: {machine()}; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
        "(other processes shared the 2 cores during the run)",
        f"Code: {revision()}",
    ])
    report = f"""## Scale-out on Dask (ECB+ {split}, {n} articles)

{header}

| configuration | articles | seconds | articles/s | vs one process | stories | stored stories, claims, contradictions |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Per phase, 2 workers (driver's wall time): {", ".join(f"{k} {v:.1f} s" for k, v in t2.items())}.
Task compute time on the workers, 2 workers: {d2['compute']:.1f} s over {d2['tasks']} tasks; mean per task:
{", ".join(f"{k} {v:.2f} s" for k, v in sorted(mean_task.items()))}.
Peak RSS: driver {d2['rss']:.0f} MB; per worker {", ".join(f"{v:.0f} MB" for v in d2['worker_rss'].values())}
(one process: {one['rss']:.0f} MB).
Scheduler overhead: {1000 * d2['per_noop']:.1f} ms per no-op task round trip, {100 * overhead_share:.1f} % of a
mean annotate task (target ≤ 5 %).

Targets: 2 workers ≥ 1.7× one process; overhead ≤ 5 % of task time. The speed-up measured here
is bounded by this machine: 2 cores, shared with the driver (which stores each document and
assigns its story) and with other processes (load average above); and one process is not
single-threaded: its MiniLM inference already runs on every core, so a second worker on the
same 2 cores adds only the spaCy pass's share.

### Projection: 10 million articles

From the costs above: worker CPU per article {worker_per_doc:.3f} s (annotate + vectors) plus
{link_per_doc:.3f} s (linking, per article), and the driver's sequential cost per article
{1000 * driver_per_doc:.1f} ms (story assignment + one store transaction, measured as the
annotate phase's wall time beyond the workers' share).

| workers | articles/s | days for 10 M | bound by |
|---|---|---|---|
{chr(10).join(projection)}

Where it breaks and what changes there: past a few dozen workers the single writer is
the bottleneck — each article is one transaction and one assignment in input order. The
changes, in order: (1) batch the writes (many documents per transaction; PostgreSQL `COPY`
for documents, vectors and memberships), which removes most of the per-article store cost;
(2) partition story assignment by time window and blocking key (a story's candidates come
from its own window and key range), so several assigners run in parallel — the incremental
clusterer's order dependence then holds within a partition, and cross-partition merges are
recorded like any other merge; (3) read raw items on the workers (one partition per WARC/JSONL
shard) instead of the driver; (4) link touched stories in waves on the workers (already one task
per story). The shuffle is small: per article only its record, vectors (≈ 1.5 KB per sentence)
and features travel, not the parse.
"""
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    report = run(args.split, args.limit)
    print(report)
    write_result(f"dask_scale_{args.split}", report)


if __name__ == "__main__":
    main()
