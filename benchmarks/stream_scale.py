"""Story assignment at scale: a stream of 100,000 edited articles, latency at 1k, 10k and 100k.

The stream is built from the 982 ECB+ documents and the five example stories
(examples/sample) by real edits, so no two articles are one text:

* every source sub-topic (ECB+ sub-topic, or the sample story) is re-told as
  many *variant events*: each variant renames the people, organisations and
  places of its source (a fixed rename map per variant, names drawn from other
  topics' entities and from invented name parts) and moves the event in time
  (a variant-specific offset of months; the articles' own dates and the dates
  they report move with it);
* every article of a variant is one of its source articles, edited: one or two
  body sentences dropped, the body after the lead re-ordered, names replaced.

Features are then computed from the edited text as ``storylens add`` would, except
for two costs measured elsewhere: the spaCy pass (mentions and times come from
the source's annotation, renamed/shifted) and MiniLM (a lead vector is the mean
of the source's cached sentence vectors for the sentences that stayed in the
lead: the embeddings of renamed sentences are not recomputed).
Articles arrive in order of publication. Latency is ``IncrementalClusterer.assign``
per article (features already computed), over the 1,000 articles after the store
reaches 1k, 10k and 100k; RSS is read from /proc at each checkpoint.

Run:  .venv/bin/python -m benchmarks.stream_scale [--n 100000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import statistics
import time
from array import array
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score

from benchmarks.common import machine, revision, write_result
from benchmarks.stream_features import ecb_rows
from storylens.store.add import SNAPSHOT_EVERY
from storylens.store.chunks import CHUNK_BYTES, digests
from storylens.storify.features import DocFeatures, _terms
from storylens.storify.stream import IncrementalClusterer

ROOT = Path(__file__).resolve().parent
SOURCE_CACHE = ROOT / "_cache" / "stream_scale_sources.jsonl.gz"
SAMPLE = ROOT.parent / "examples" / "sample"
CHECKPOINTS = (1_000, 10_000, 20_000, 30_000, 50_000, 75_000, 100_000)
WINDOW = 1_000
#: stored articles at which ``threads()`` is timed
THREAD_AT = (10_000, 100_000)
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
_SYLLABLES = ["ka", "ren", "dor", "vel", "mi", "sta", "lun", "bor", "tes", "ane", "ol", "gri", "fen", "ro", "sa"]


def build_sources() -> None:
    """Annotate each source article once: sentences, lead sentence vectors, names, days."""
    from storylens.annotate import annotate
    from storylens.embed import get_embedder
    from storylens.ingest import build_document, ingest
    from storylens.ingest.sources import RawItem
    from storylens.options import Options
    from storylens.storify.features import LEAD_SENTENCES, _iso_day

    rows = ecb_rows()
    docs = [build_document(RawItem(source=r["doc_id"], kind="text", content=r["text"], meta={})) for r in rows]
    groups = [r["subtopic_id"] for r in rows]
    sample = ingest([str(SAMPLE)], Options()).documents
    docs += sample
    groups += ["sample"] * len(sample)
    annotated = annotate(docs)
    embedder = get_embedder()
    SOURCE_CACHE.parent.mkdir(exist_ok=True)
    with gzip.open(SOURCE_CACHE, "wt", encoding="utf-8") as fh:
        for ann, group in zip(annotated, groups, strict=True):
            d = ann.doc
            sents = [d.text[s:e].strip() for s, e in d.sentences]
            lead = ([d.title] if d.title else []) + sents[: LEAD_SENTENCES + 2]
            vecs = embedder.encode(lead)
            fh.write(json.dumps({
                "group": group, "title": d.title, "sentences": sents,
                "lead_vectors": [v.round(5).tolist() for v in vecs],
                "names": sorted({(m.span.text, m.label) for m in ann.mentions if m.label in NAME_LABELS}),
                "days": sorted({x for t in d.times if (x := _iso_day(t.value))}),
                "lead_days": sorted({x for t in d.times if (x := _iso_day(t.value))
                                     and d.sentences and t.span.start < d.sentences[min(2, len(d.sentences) - 1)][1]}),
                "published": _iso_day(d.published),
            }) + "\n")


def load_sources() -> list[dict[str, Any]]:
    if not SOURCE_CACHE.exists():
        build_sources()
    with gzip.open(SOURCE_CACHE, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _shift(day: str, offset: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=offset)).isoformat()


@dataclass
class _Planned:
    published: str
    variant: int
    source: int
    offset: int
    renames: dict[str, str]


def plan_stream(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[_Planned]]:
    """The sources and ``n`` planned articles in publication order (features are made one at a time)."""
    rng = random.Random(seed)
    sources = load_sources()
    by_group: dict[str, list[int]] = {}
    for i, s in enumerate(sources):
        by_group.setdefault(s["group"], []).append(i)
    groups = sorted(by_group)
    all_names = sorted({name for s in sources for name, _ in s["names"]})
    plan: list[_Planned] = []
    variant = 0
    start = date(2020, 1, 1).toordinal()
    while len(plan) < n:
        members = by_group[groups[variant % len(groups)]]
        # the variant's renames and its place in time (spread over ten years)
        names = sorted({name for i in members for name, _ in sources[i]["names"]})
        renames = {name: _new_name(rng, all_names) for name in names if rng.random() < 0.8}
        day0 = date.fromordinal(start + rng.randrange(3650))
        own = [d for i in members for d in ([sources[i]["published"]] if sources[i]["published"] else [])
               + sources[i]["lead_days"]]
        offset = (day0 - date.fromisoformat(min(own))).days if own else 0
        for k, i in enumerate(members[: n - len(plan)]):
            src = sources[i]
            published = _shift(src["published"], offset) if src["published"] else (day0 + timedelta(days=k % 3)).isoformat()
            plan.append(_Planned(published, variant, i, offset, renames))
        variant += 1
    plan.sort(key=lambda p: p.published)
    return sources, plan


def _new_name(rng: random.Random, pool: list[str]) -> str:
    if rng.random() < 0.5:
        return rng.choice(pool)
    return " ".join("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()
                    for _ in range(rng.randint(1, 2)))


def _edited(rng: random.Random, src: dict[str, Any], renames: dict[str, str], offset: int, doc_id: str,
            published: str) -> DocFeatures:
    sents = list(src["sentences"])
    lead_n = min(3, len(sents))
    body = sents[lead_n:]
    for _ in range(min(len(body), rng.randint(1, 2))):
        body.pop(rng.randrange(len(body)))
    rng.shuffle(body)
    # a lead sentence is sometimes dropped too (a shorter rewrite); the vector follows the kept sentences
    keep_lead = [i for i in range(lead_n) if not (i > 0 and rng.random() < 0.2)]
    edited = [sents[i] for i in keep_lead] + body
    text = "\n".join(edited)
    if renames:
        pattern = re.compile("|".join(re.escape(k) for k in sorted(renames, key=len, reverse=True)))
        text = pattern.sub(lambda m: renames[m.group(0)], text)
    vectors = np.asarray(src["lead_vectors"], dtype=np.float32)
    title_rows = [0] if src["title"] else []
    first = 1 if src["title"] else 0
    rows = [r for r in title_rows + [first + i for i in keep_lead] if r < len(vectors)] or [0]
    mean = vectors[rows].mean(axis=0)
    from storylens.link.entities import _TYPE_GROUP, _fold_name, entity_id

    entities: dict[str, int] = {}
    for name, label in src["names"]:
        new = renames.get(name, name)
        eid = entity_id(_fold_name(new), _TYPE_GROUP.get(label, label))
        entities[eid] = entities.get(eid, 0) + text.count(new) or 1
    return DocFeatures(
        doc_id=doc_id, vector=(mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32), terms=_terms(text),
        entities=entities, days=frozenset(_shift(d, offset) for d in src["days"]),
        lead_days=frozenset(_shift(d, offset) for d in src["lead_days"]), published=published,
    )


def rss_mib() -> tuple[float, float]:
    """Current and peak resident set size (MiB)."""
    status = Path("/proc/self/status").read_text()
    cur = float(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return cur, peak


DIM = 384


def index_mib(clusterer: IncrementalClusterer) -> float:
    """faiss HNSW storage for the indexed articles: vectors and level-0 links (M = 16)."""
    return len(clusterer) * (DIM * 4 + 2 * 16 * 4) / 2**20


def run(n: int) -> str:
    load = ", ".join(Path("/proc/loadavg").read_text().split()[:3])
    t0 = time.perf_counter()
    # SNAPSHOT_EVERY articles past n, after the last checkpoint: what one snapshot save of `storylens add`
    # would write (the chunks that changed over them)
    sources, plan = plan_stream(n + SNAPSHOT_EVERY)
    rng = random.Random(11)
    import faiss  # noqa: F401  (loaded before timing: the first add would pay for it)

    # the benchmark's own per-article data in compact arrays (8 bytes an article for each), preallocated
    # before the baseline, so that the RSS growth measured is the clusterer's
    lat = array("d", bytes(8 * len(plan)))
    cpu = array("d", bytes(8 * len(plan)))
    gold = array("q", (p.variant for p in plan))
    base_rss, _ = rss_mib()
    clusterer = IncrementalClusterer()
    rows: list[str] = []
    thread_rows: list[str] = []
    before_last: dict[tuple[str, int], tuple[str, int]] = {}
    for i, item in enumerate(plan, start=1):
        if i == n + 1:
            t = time.perf_counter()
            parts = clusterer.snapshot_parts()
            before_last = digests(parts)
            save_s = time.perf_counter() - t
            snapshot_mib = sum(len(memoryview(v).cast("B")) for v in parts.values()) / 2**20
            t = time.perf_counter()
            restored = IncrementalClusterer.restore_parts({k: bytes(v) for k, v in parts.items()})
            restore_s = time.perf_counter() - t
            assert restored is not None and len(restored) == len(clusterer)
            del restored, parts
        feats = _edited(rng, sources[item.source], item.renames, item.offset, f"a{i}", item.published)
        t, c = time.perf_counter(), time.process_time()
        clusterer.assign(feats)
        lat[i - 1] = (time.perf_counter() - t) * 1000
        cpu[i - 1] = (time.process_time() - c) * 1000
        if i in CHECKPOINTS or (i == n and i not in CHECKPOINTS):
            window = sorted(lat[max(0, i - WINDOW) : i])
            cwin = sorted(cpu[max(0, i - WINDOW) : i])
            cur, peak = rss_mib()
            index = index_mib(clusterer)
            rows.append(f"| {i:,} | {statistics.mean(window):.2f} | {statistics.median(window):.2f} | "
                        f"{window[int(0.95 * (len(window) - 1))]:.2f} | {statistics.mean(cwin):.2f} | "
                        f"{cwin[int(0.95 * (len(cwin) - 1))]:.2f} | {clusterer.story_count():,} | "
                        f"{cur:.0f} ({cur - base_rss:+.0f}) | {index:.0f} | {cur - base_rss - index:+.0f} | "
                        f"{peak:.0f} |")
            print(rows[-1], flush=True)
        if i in THREAD_AT or i == n:
            thread_rows.append(time_threads(clusterer))
            print(thread_rows[-1], flush=True)
    clusterer.settle(final=True)
    total_s = time.perf_counter() - t0
    # what a store keeps between runs: the next ``add`` restores this instead of replaying every row
    after = digests(clusterer.snapshot_parts())
    changed_mib = sum(size for key, (digest, size) in after.items() if before_last.get(key, ("", 0))[0] != digest) / 2**20
    spilled_mib = clusterer.spilled_bytes() / 2**20
    pred = clusterer.labels(f"a{i}" for i in range(1, len(plan) + 1))
    ari = adjusted_rand_score(gold, pred)
    return "\n".join([
        f"## Story stream at scale: {n:,} edited articles (ECB+ and examples/sample)",
        "",
        f"Command: `.venv/bin/python -m benchmarks.stream_scale --n {n}`  ",
        f"Code: {revision()}  ",
        f"Machine: {machine()}  ",
        f"Whole run {total_s:.0f} s: {len(set(gold)):,} variant events re-told from 87 sources "
        "(86 ECB+ sub-topics and the sample story) by renaming 80 % of their names, moving them in time and "
        "editing each article (sentences dropped and re-ordered); see the module docstring. Latency is "
        f"`IncrementalClusterer.assign` per article over the {WINDOW:,} articles before each checkpoint "
        "(features computed; no spaCy, no MiniLM, no database). Wall time includes waiting for a core "
        "(other jobs shared the 2 cores; load average at the start: " + load + "); CPU time is the "
        "process's own.",
        "",
        "| stored articles | wall mean (ms) | wall median (ms) | wall p95 (ms) | CPU mean (ms) | CPU p95 (ms) | "
        "stories | RSS MiB (vs before the stream) | of which the index (est.) MiB | the rest MiB | peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "The index estimate is faiss HNSW's own storage: per article its float32 vector "
        f"({DIM} × 4 bytes) and its level-0 links (2 × M = 32 × 4 bytes). The rest is all other "
        "growth of the process (the clusterer's per-article ids, the story summaries, the fixed "
        "hashed tables as their pages are first written, and this benchmark's own lists of "
        "latencies and ids).",
        "",
        f"State kept between runs (`IncrementalClusterer.snapshot_parts`, what `storylens add` stores and the "
        f"next run restores instead of re-reading every stored article's features) at {n:,} "
        f"articles: {snapshot_mib:.0f} MiB, made and cut into chunks in {save_s:.2f} s, restored in {restore_s:.2f} s. "
        f"The store keeps it in {CHUNK_BYTES // 1024} KiB chunks and a save writes only the chunks that changed: "
        f"over {SNAPSHOT_EVERY} more articles (one save of `storylens add`; they follow the last checkpoint and "
        f"are not in the table) {changed_mib:.1f} MiB changed. "
        f"Idle stories' summaries and the articles' ids are in the clusterer's spill file, outside the RSS: "
        f"{spilled_mib:.0f} MiB at the end.",
        "",
        f"ARI of the final stories against the variant events: {ari:.3f} (a variant re-told from one source "
        "sub-topic; variants of one source differ by names and months).",
        "",
        "Threads (`IncrementalClusterer.threads()`: every story grouped with the stories of its subject, a "
        "view computed on demand by `storylens stories` and the benchmarks, not on `add`), timed once at "
        "each size (its peak RSS is the process's peak so far):",
        "",
        "| stored articles | stories | threads | wall (s) | CPU (s) | RSS MiB after (peak) |",
        "|---|---|---|---|---|---|",
        *thread_rows,
        "",
    ])


def time_threads(clusterer: IncrementalClusterer) -> str:
    """One call of ``threads()`` on the clusterer as it stands: wall and CPU time, RSS after."""
    t, c = time.perf_counter(), time.process_time()
    threads = clusterer.threads()
    wall, cpu_s = time.perf_counter() - t, time.process_time() - c
    cur, peak = rss_mib()
    return (f"| {len(clusterer):,} | {clusterer.story_count():,} | {len(set(threads.values())):,} | {wall:.1f} | "
            f"{cpu_s:.1f} | {cur:.0f} ({peak:.0f}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    report = run(args.n)
    print(report)
    write_result("story_stream_scale", report)


if __name__ == "__main__":
    main()
