"""What one ``storylens add`` pays to rebuild the story assigner, as the stored corpus grows.

Before assigning anything, ``add`` rebuilds the assigner from the database
(``store.add.load_assigner``): from the saved snapshot of its state (index, story
summaries, counts; migration 0003) plus the documents stored after it, or, without a
snapshot, by replaying every stored document's features. Timed here, on SQLite: a
full replay, a restore with nothing after the snapshot, and a restore followed by the
largest tail an ``add`` leaves unsaved (``SNAPSHOT_EVERY`` documents).

Corpus: the ECB+ story features (``benchmarks.stream_features``), cycled with new ids
and a little noise on the lead vectors, assigned by the real assigner and written with
``Store.insert_document`` in bulk transactions (not timed). No spaCy, no MiniLM.

Run:  .venv/bin/python -m benchmarks.assigner_load --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import machine, revision, write_result
from benchmarks.stream_features import load
from storylens.models import Document
from storylens.store import open_store
from storylens.store.add import ANNOTATION_FORMAT, EMBED_MODEL, SNAPSHOT_EVERY, load_assigner
from storylens.store.repo import Store
from storylens.storify.assigner import StreamAssigner

FILL_BATCH = 500


def fill(store: Store, assigner: StreamAssigner, start: int, stop: int) -> None:
    rows = load()
    rng = np.random.default_rng(start)
    i = start
    while i < stop:
        with store.write() as conn:
            for _ in range(min(FILL_BATCH, stop - i)):
                f = rows[i % len(rows)][0]
                lead = f.vector + rng.normal(scale=0.02, size=f.vector.shape).astype(np.float32)
                lead /= np.linalg.norm(lead)
                features = f.to_row()
                del features["vector"]
                doc_id = f"a{i:07d}"
                assignment = assigner.assign(doc_id, lead, features)
                doc = Document(id=doc_id, source=f"bench:{i}", text=f"article {i}")
                store.insert_document(conn, doc, (ANNOTATION_FORMAT, "{}"), {"lead": (EMBED_MODEL, lead)},
                                      (assigner.name, features), assignment, doc_id)
                i += 1


def timed_load(store: Store) -> tuple[float, int]:
    fresh = StreamAssigner()
    started = time.perf_counter()
    load_assigner(store, fresh)
    return time.perf_counter() - started, len(fresh)


def run(sizes: list[int]) -> str:
    load_at_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="sl-load-"))
    rows = []
    try:
        store = open_store(f"sqlite:///{tmp / 'load.db'}")
        assigner = StreamAssigner()
        done = 0
        for size in sizes:
            fill(store, assigner, done, size)
            done = size
            with store.write() as conn:
                conn.exec_driver_sql("DELETE FROM assigner_snapshots")
            replay_s, n = timed_load(store)
            assert n == size
            started = time.perf_counter()
            data = assigner.snapshot()
            size_mib = sum(len(memoryview(v).cast("B")) for v in data.values()) / 2**20
            assert store.save_assigner_snapshot(assigner.name, len(assigner), data) is not None
            save_s = time.perf_counter() - started
            restore_s, _ = timed_load(store)
            fill(store, assigner, done, size + SNAPSHOT_EVERY)
            done = size + SNAPSHOT_EVERY
            tail_s, n = timed_load(store)
            assert n == done
            # what the next save writes: the chunks that changed over those documents
            started = time.perf_counter()
            written = store.save_assigner_snapshot(assigner.name, len(assigner), assigner.snapshot())
            resave_s = time.perf_counter() - started
            assert written is not None
            rows.append(f"| {size:,} | {replay_s:.2f} | {size_mib:.1f} | {save_s:.2f} | {restore_s:.2f} | "
                        f"{tail_s:.2f} | {written / 2**20:.1f} | {resave_s:.2f} |")
            print(rows[-1], flush=True)
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "\n".join([
        "## Story assigner: rebuilding it at the start of an `add`, with and without the stored snapshot",
        "",
        f"Command: `.venv/bin/python -m benchmarks.assigner_load --sizes {' '.join(map(str, sizes))}`  ",
        f"Code: {revision()}  ",
        f"Machine: {machine()}; load average at the start {', '.join(f'{x:.1f}' for x in load_at_start)}, "
        f"at the end {', '.join(f'{x:.1f}' for x in os.getloadavg())} (shared machine: wall times are upper bounds)  ",
        "SQLite; ECB+ story features cycled with new ids (see the module docstring). Full replay = every stored "
        "document's features read and replayed (what every `add` did before the snapshot). Restore = the snapshot "
        f"read and restored, nothing after it; + tail = restore and replay of the {SNAPSHOT_EVERY} documents an "
        "`add` may leave after the snapshot (it saves a new one once that many were added). The snapshot is kept "
        "in chunks (migration 0004): the next save, after those documents, writes only the chunks that changed.",
        "",
        "| stored articles | full replay s | snapshot MiB | snapshot written s | restore s | restore + "
        f"{SNAPSHOT_EVERY} later s | next save (after {SNAPSHOT_EVERY} more) MiB written | its time s |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    report = run(sorted(args.sizes))
    print(report)
    write_result("assigner_load", report)


if __name__ == "__main__":
    main()
