"""Store cost as the corpus grows: per-article write latency, read latency and database size.

What is timed is the store's part of ``storylens add`` for one article: the transaction
that writes the document, its annotation record, sentence and lead vectors, assigner
features, story membership and story row (``Store.add_document``). Not timed: reading,
spaCy, embedding and story assignment (the story-assignment benchmark measures that)
and re-linking, whose cost follows the story's size, not the corpus's.

Articles: every ECB+ document (or every k-th, ``--bases N``) is annotated and embedded once
(real records and vectors); the stream then cycles through them, article ``i`` being base
document ``i mod N`` with
a distinct closing line appended ("Update k: ..."), a real edit with a new content hash
whose earlier annotation offsets stay valid (the appended sentence gets a copy of the last
sentence's vector). Article ``i`` joins story (gold sub-topic, ``k``), so stories hold as
many articles as the bases have per sub-topic (about ten with all of ECB+).

The corpus is filled in bulk transactions up to each size (not timed), then ``--window``
articles are added one transaction each and timed; at each size also timed: listing the
50 latest stories, and loading one story's documents. PostgreSQL: a throwaway cluster
with fsync on, Unix socket (tests/store/pgserver.py); SQLite: WAL, synchronous=FULL.

Run:  .venv/bin/python -m benchmarks.store_scale --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import machine, revision, write_result
from storylens.annotate import annotate
from storylens.embed import get_embedder
from storylens.ingest import build_document, content_id
from storylens.ingest.sources import RawItem
from storylens.models import Document
from storylens.store import open_store
from storylens.store.add import ANNOTATION_FORMAT, EMBED_MODEL, annotation_record, sentence_texts
from storylens.storify.features import lead_vectors
from storylens.storify.stream import StoryAssignment

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
sys.path.insert(0, str(ROOT / "tests" / "store"))
from pgserver import PostgresServer, pg_bindir  # noqa: E402

FILL_BATCH = 500


class Base:
    """One annotated ECB+ document with everything the store keeps for it."""

    def __init__(self, doc: Document, record: str, sentences: np.ndarray, lead: np.ndarray, subtopic: str) -> None:
        self.doc, self.record, self.sentences, self.lead, self.subtopic = doc, record, sentences, lead, subtopic


def prepare(limit: int | None = None) -> list[Base]:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    if limit:
        # every k-th document, so every topic is represented
        rows = rows[:: max(1, len(rows) // limit)][:limit]
    docs = [build_document(RawItem(source=r["doc_id"], kind="text", content=r["text"],
                                   meta={"url": r.get("source_url") or None})) for r in rows]
    embedder = get_embedder()
    bases = []
    for ann, row in zip(annotate(docs), rows, strict=True):
        vecs = embedder.encode(sentence_texts(ann.doc))
        lead = lead_vectors([ann.doc], embedder)[0]
        bases.append(Base(ann.doc, annotation_record(ann), vecs, lead, str(row["subtopic_id"])))
    return bases


def article(bases: list[Base], i: int) -> tuple[Document, dict[str, tuple[str, np.ndarray]], StoryAssignment]:
    base = bases[i % len(bases)]
    k = i // len(bases)
    line = f"Update {k}: this article was revised after publication."
    text = base.doc.text + "\n\n" + line
    doc = base.doc.model_copy(update={
        "id": content_id(text), "text": text, "source": f"{base.doc.source}#update{k}",
        "sentences": [*base.doc.sentences, (len(text) - len(line), len(text))], "words": len(text.split())})
    sentences = np.vstack([base.sentences, base.sentences[-1:]]) if len(base.sentences) else base.sentences
    vectors = {"sentences": (EMBED_MODEL, sentences), "lead": (EMBED_MODEL, base.lead)}
    story = f"st_{base.subtopic}_{k}"
    return doc, vectors, StoryAssignment(doc_id=doc.id, story_id=story, created=False, similarity=1.0)


def _size(url: str, path: Path | None) -> int:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if not p.name.endswith(".lock"))
    from sqlalchemy import text

    with open_store(url, create=False) as store, store.read() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def measure(bases: list[Base], url: str, path: Path | None, sizes: list[int], window: int) -> list[dict[str, Any]]:
    store = open_store(url)
    features = ("bench/1", {"entities": []})
    out = []
    i = 0
    try:
        for size in sizes:
            fill_to = max(i, size - window)
            while i < fill_to:
                with store.write() as conn:
                    for _ in range(min(FILL_BATCH, fill_to - i)):
                        doc, vectors, assignment = article(bases, i)
                        store.insert_document(conn, doc, (ANNOTATION_FORMAT, bases[i % len(bases)].record),
                                              vectors, features, assignment, doc.title or doc.id)
                        i += 1
            latencies = []
            while i < size:
                doc, vectors, assignment = article(bases, i)
                started = time.perf_counter()
                store.add_document(doc, (ANNOTATION_FORMAT, bases[i % len(bases)].record), vectors, features,
                                   assignment, doc.title or doc.id)
                latencies.append(time.perf_counter() - started)
                i += 1
            started = time.perf_counter()
            latest = store.list_stories(limit=50)
            list_s = time.perf_counter() - started
            started = time.perf_counter()
            docs = store.story_documents(latest[0].id)
            load_s = time.perf_counter() - started
            latencies.sort()
            out.append({"size": size, "median_ms": 1000 * statistics.median(latencies),
                        "p90_ms": 1000 * latencies[int(0.9 * (len(latencies) - 1))],
                        "list_ms": 1000 * list_s, "load_ms": 1000 * load_s, "load_docs": len(docs),
                        "bytes": _size(url, path)})
            print(url.split("?")[0], out[-1], flush=True)
    finally:
        store.close()
    return out


def run(sizes: list[int], window: int, bases_limit: int | None) -> str:
    started = time.perf_counter()
    bases = prepare(bases_limit)
    prep_s = time.perf_counter() - started
    tmp = Path(tempfile.mkdtemp(prefix="sl-scale-"))
    bindir = pg_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (initdb not found)")
    server = PostgresServer(bindir, durable=True)
    server.start()
    try:
        results = {"SQLite": measure(bases, f"sqlite:///{tmp / 'scale.db'}", tmp / "scale.db", sizes, window),
                   "PostgreSQL": measure(bases, server.new_database(), None, sizes, window)}
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    lines = [
        "## Store: per-article write latency and database size as the corpus grows",
        "",
        f"Command: `.venv/bin/python -m benchmarks.store_scale --sizes {' '.join(map(str, sizes))} "
        f"--window {window}" + (f" --bases {bases_limit}" if bases_limit else "") + "`  ",
        f"Machine: {machine()}  ",
        f"Code: {revision()}; date {time.strftime('%Y-%m-%d')}; 1-minute load average at the end "
        f"{os.getloadavg()[0]:.1f} (the machine was shared, so absolute times are noisy)  ",
        f"Articles: {len(bases)} ECB+ documents annotated and embedded once ({prep_s:.0f} s), then cycled with a "
        "distinct appended closing line each (see the module docstring), grouped in stories by gold sub-topic. "
        f"Latency: the last {window} articles before each size, one transaction each (document, annotation "
        "record, sentence + lead vectors, features, membership, story row); excludes spaCy, embedding, "
        "story assignment and re-linking.",
        "",
        "| database | stored articles | add: median ms | add: p90 ms | list 50 latest stories ms | "
        "load one story's documents ms | DB size MB | KB / article |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, rows in results.items():
        for r in rows:
            lines.append(f"| {name} | {r['size']:,} | {r['median_ms']:.1f} | {r['p90_ms']:.1f} | {r['list_ms']:.0f} | "
                         f"{r['load_ms']:.1f} ({r['load_docs']} docs) | {r['bytes'] / 1e6:.1f} | "
                         f"{r['bytes'] / 1e3 / r['size']:.1f} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--window", type=int, default=200)
    parser.add_argument("--bases", type=int, default=None, help="ECB+ documents to cycle through (default all)")
    args = parser.parse_args()
    report = run(sorted(args.sizes), args.window, args.bases)
    print(report)
    write_result("store_scale", report)


if __name__ == "__main__":
    main()
