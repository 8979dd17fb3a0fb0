"""Batch story split on ECB+: ARI and V-measure of ``stories`` against gold sub-topics.

Each ECB+ topic holds two sub-events (e.g. two different earthquakes); all
documents of the chosen split are analysed together and every document's
story label is compared with its gold sub-topic (and, coarser, its topic).
The published reference (Barhom et al. 2019, released predicted clusters of
K-means with k = 20 *given*, rescored in ../shared/data/ecbplus/SOURCE.txt)
is ARI 0.965 / V-measure 0.984 on test topics 36-45; storylens is not told
the number of stories.

Run:  .venv/bin/python -m benchmarks.story_split --split test
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

from benchmarks.common import machine, main_for_split, revision
from storylens.annotate import AnnotatedDoc, annotate
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.entities import canonicalize
from storylens.models import Story
from storylens.storify import split_stories

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"


def split_and_label(annotated: list[AnnotatedDoc]) -> tuple[list[Story], list[int], float]:
    """The batch's stories, each document's story number (in document order) and the seconds
    that entity canonicalisation and clustering took."""
    started = time.perf_counter()
    entities, index = canonicalize(annotated)
    stories = split_stories(annotated, entities, index)
    elapsed = time.perf_counter() - started
    label = {d: i for i, s in enumerate(stories) for d in s.docs}
    return stories, [label[a.doc.id] for a in annotated], elapsed


def run(split: str) -> str:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = [r for r in rows if r["split"] == split]
    docs = [build_document(RawItem(source=r["doc_id"], kind="text", content=r["text"], meta={})) for r in rows]
    stories, predicted, elapsed = split_and_label(annotate(docs))
    gold_sub = [r["subtopic_id"] for r in rows]
    gold_topic = [r["topic"] for r in rows]
    ari = adjusted_rand_score(gold_sub, predicted)
    h, c, v = homogeneity_completeness_v_measure(gold_sub, predicted)
    ari_topic = adjusted_rand_score(gold_topic, predicted)
    _, _, v_topic = homogeneity_completeness_v_measure(gold_topic, predicted)
    return "\n".join([
        f"## Story split (batch), ECB+ {split} split",
        "",
        f"Command: `.venv/bin/python -m benchmarks.story_split --split {split}`  ",
        f"Code: {revision()}  ",
        f"Machine: {machine()}  ",
        f"{len(rows)} documents, {len(set(gold_sub))} gold sub-topics in {len(set(gold_topic))} topics; "
        f"storylens found {len(stories)} stories without being told how many "
        f"(entity canonicalisation + clustering took {elapsed:.1f} s).",
        "",
        "| system | k given? | ARI (sub-topic) | V-measure | homogeneity | completeness | ARI (topic) |",
        "|---|---|---|---|---|---|---|",
        f"| **storylens** | no | {ari:.3f} | {v:.3f} | {h:.3f} | {c:.3f} | {ari_topic:.3f} |",
        "| Barhom et al. 2019, K-means (published clusters, test topics) | yes, k = 20 | 0.965 | 0.984 | 0.985 | "
        "0.982 | 0.641 |",
        "",
        f"Topic level: storylens V-measure against the 10 topics is {v_topic:.3f}. "
        "Thresholds were tuned on the dev topics only.",
        "",
    ])


def main() -> None:
    main_for_split("story_split", run, __doc__)


if __name__ == "__main__":
    main()
