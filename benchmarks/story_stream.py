"""Incremental story clustering on ECB+: documents fed one by one in shuffled orders.

Each document arrives alone (ingested, annotated and canonicalised by itself,
features cached by ``benchmarks.stream_features``) and is assigned to a story by
``storify.stream.IncrementalClusterer``, which is not told the number of
stories. Five shuffled orders (seeds 0-4) give mean ± sd of ARI and V-measure
against the gold sub-topics (two incidents of one kind per topic) and the
topics; the ARI between the orders' clusterings measures order dependence, and
``batch`` (``split_stories`` on the same documents, one call) is run beside.

Run:  .venv/bin/python -m benchmarks.story_stream --split dev      (train, dev, test, all)
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from typing import Any

from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

from benchmarks.common import machine, revision, write_result
from benchmarks.stream_features import load
from storylens.storify.features import DocFeatures
from storylens.storify.stream import IncrementalClusterer, StreamParams

ORDERS = 5


def select(split: str) -> list[tuple[DocFeatures, dict[str, Any]]]:
    rows = load()
    if split == "all":
        return rows
    if split == "tune":  # train and dev topics: what parameters may be chosen on
        return [r for r in rows if r[1]["split"] in ("train", "dev")]
    return [r for r in rows if r[1]["split"] == split]


def scores(gold_sub: list[str], gold_topic: list[int], predicted: list[str]) -> dict[str, float]:
    _, _, v = homogeneity_completeness_v_measure(gold_sub, predicted)
    _, _, v_topic = homogeneity_completeness_v_measure(gold_topic, predicted)
    return {"ari": adjusted_rand_score(gold_sub, predicted), "v": v,
            "ari_topic": adjusted_rand_score(gold_topic, predicted), "v_topic": v_topic}


def feed(rows: list[tuple[DocFeatures, dict[str, Any]]], seed: int, params: StreamParams | None = None,
         one_call: bool = False, settle_each: bool = False) -> tuple[IncrementalClusterer, list[float]]:
    """Feed the documents in the order of ``seed``: one by one (IDF from what has arrived), or as one
    ``add`` call (the call's documents counted for IDF first). Settles at the end, as ``add`` does;
    with ``settle_each`` after every document, as one ``storylens add`` run per article does."""
    order = list(rows)
    random.Random(seed).shuffle(order)
    clusterer = IncrementalClusterer(params)
    if one_call:
        clusterer.observe(f for f, _ in order)
    latencies = []
    for f, _ in order:
        t0 = time.perf_counter()
        clusterer.assign(f)
        if settle_each:
            clusterer.settle(final=True)
        latencies.append((time.perf_counter() - t0) * 1000)
    clusterer.settle(final=True)
    return clusterer, latencies


def run_orders(rows: list[tuple[DocFeatures, dict[str, Any]]], params: StreamParams | None = None,
               orders: int = ORDERS, observe_first: bool = False,
               settle_each: bool = False) -> tuple[list[dict[str, float]], list[list[str]], list[float], int]:
    """Scores per order, each order's labels (in corpus order), assignment latencies (ms), merges."""
    ids = [f.doc_id for f, _ in rows]
    gold_sub = [g["subtopic_id"] for _, g in rows]
    gold_topic = [g["topic"] for _, g in rows]
    results, labellings, latencies, merges = [], [], [], 0
    for seed in range(orders):
        clusterer, lat = feed(rows, seed, params, one_call=observe_first, settle_each=settle_each)
        latencies += lat
        merges += len(clusterer.merges)
        labels = clusterer.labels(ids)
        labellings.append(labels)
        result = scores(gold_sub, gold_topic, labels)
        threads = clusterer.threads()
        result["thread_ari_topic"] = adjusted_rand_score(gold_topic, [threads[x] for x in labels])
        results.append(result)
    return results, labellings, latencies, merges


def mean_sd(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values) if len(values) > 1 else 0.0:.3f}"


def run(split: str) -> str:
    rows = select(split)
    results, labellings, latencies, merges = run_orders(rows)
    one_call, call_labels, _, _ = run_orders(rows, observe_first=True)
    per_run, run_labels, _, _ = run_orders(rows, settle_each=True)
    between = [adjusted_rand_score(a, b) for a, b in itertools.combinations(labellings, 2)]
    between_calls = [adjusted_rand_score(a, b) for a, b in itertools.combinations(call_labels, 2)]
    call_vs_single = [adjusted_rand_score(a, b) for a, b in zip(labellings, call_labels, strict=True)]
    call_vs_runs = [adjusted_rand_score(a, b) for a, b in zip(call_labels, run_labels, strict=True)]
    n_stories = [len(set(x)) for x in labellings]
    gold_sub = {g["subtopic_id"] for _, g in rows}
    gold_topic = {g["topic"] for _, g in rows}
    lat = sorted(latencies)
    lines = [
        f"## Story stream (incremental), ECB+ {split} topics, {ORDERS} shuffled orders",
        "",
        f"Command: `.venv/bin/python -m benchmarks.story_stream --split {split}`  ",
        f"Code: {revision()}  ",
        f"Machine: {machine()}  ",
        f"{len(rows)} documents, {len(gold_sub)} gold sub-topics in {len(gold_topic)} topics, fed one at a time "
        f"in {ORDERS} shuffled orders (seeds 0-{ORDERS - 1}); the clusterer is not told how many stories. "
        f"Stories found: {min(n_stories)}-{max(n_stories)}; merges recorded: {merges / ORDERS:.1f} per order.",
        "",
        "| system | k given? | ARI (sub-topic) | V-measure (sub-topic) | ARI (topic) | V-measure (topic) |",
        "|---|---|---|---|---|---|",
        f"| **storylens stream, one by one** (mean ± sd of {ORDERS} orders) | no | "
        + " | ".join(mean_sd([r[k] for r in results]) for k in ("ari", "v", "ari_topic", "v_topic")) + " |",
        f"| storylens stream, one `add` call (IDF of the call known first; {ORDERS} orders) | no | "
        + " | ".join(mean_sd([r[k] for r in one_call]) for k in ("ari", "v", "ari_topic", "v_topic")) + " |",
        f"| storylens stream, one `add` run per article (settles after each; {ORDERS} orders) | no | "
        + " | ".join(mean_sd([r[k] for r in per_run]) for k in ("ari", "v", "ari_topic", "v_topic")) + " |",
        f"| storylens stream threads (stories of one subject, time aside) vs topics, one by one | no | | | "
        f"{mean_sd([r['thread_ari_topic'] for r in results])} | |",
    ]
    if split == "test":
        lines.append("| storylens batch `split_stories` before this change (RESULTS.md, story split test) | no | "
                     "0.882 | 0.958 | 0.648 | 0.869 |")
        lines.append("| Barhom et al. 2019, K-means (published clusters) | yes, k = 20 | 0.965 | 0.984 | 0.641 | — |")
    lines += [
        "",
        f"Order dependence: ARI between the {len(between)} pairs of orders {mean_sd(between)} "
        f"(min {min(between):.3f}); between one `add` call and one by one in the same order "
        f"{mean_sd(call_vs_single)}.  ",
        f"Batch equivalence: ARI between the whole corpus in one `add` call and one `add` run per article, "
        f"same order: {mean_sd(call_vs_runs)} (min {min(call_vs_runs):.3f}); between the {len(between_calls)} pairs "
        f"of shuffled orders of the one-call add: {mean_sd(between_calls)} (min {min(between_calls):.3f}).  ",
        f"Assignment latency per document: median {statistics.median(lat):.2f} ms, "
        f"p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} ms.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test", "all", "tune"])
    args = parser.parse_args()
    report = run(args.split)
    print(report)
    write_result(f"story_stream_{args.split}", report)


if __name__ == "__main__":
    main()
