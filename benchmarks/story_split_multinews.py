"""Batch story split on real multi-outlet news: Multi-News clusters analysed together.

A Multi-News cluster is the set of source articles an editor summarised as one news item
(2 to 10 outlets, their own wording). Every article of a range of clusters is analysed in
one batch, as a news desk would analyse a day's intake, and each article's story is
compared with its cluster (ARI, V-measure). Unlike ECB+, whose two sub-topics per topic
are worded alike and dated years apart, the batch mixes a hundred unrelated items and
articles that share only a politician or a country: the case where a lone article must
not be attached to the wrong story.

Gold clusters are not pure: Multi-News sometimes pairs an article with a background or
follow-up piece, so an ARI of 1.0 is not the ceiling a reader would ask for; the number
compares settings of one clusterer on the same batch.

Data: the Multi-News sample is not in the repository (see ``benchmarks.briefing_rouge``:
``git show 442595002f2e:multi_news/sample_validation.csv`` of the fetched
TheAthleticCoder/Multi-Document-Summarization mirror into ``DIR``).

Run:  .venv/bin/python -m benchmarks.story_split_multinews --data DIR --clusters 0:100
"""

from __future__ import annotations

import argparse
import ast
import csv
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

from benchmarks.annotation_cache import annotate_cached
from benchmarks.briefing_rouge import DEFAULT_DATA, FILES
from benchmarks.common import machine, revision, write_result
from benchmarks.story_split import split_and_label
from storylens.errors import StorylensError
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.models import Document

#: articles shorter than this are crawl stubs more often than reports (as in briefing_rouge)
MIN_WORDS = 80


def load(data: Path, split: str, lo: int, hi: int) -> tuple[list[Document], list[int], int]:
    """The articles of clusters ``lo`` to ``hi - 1``, each with its cluster; and how many
    pages ingest refused (not articles: crawl notices, sign-in forms)."""
    csv.field_size_limit(10**9)
    with (data / FILES[split]).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    docs, gold, refused = [], [], 0
    for ci in range(lo, min(hi, len(rows))):
        for k, text in enumerate(ast.literal_eval(rows[ci]["documents"])):
            if len(text.split()) < MIN_WORDS:
                continue
            try:
                doc = build_document(RawItem(source=f"mn{ci}_{k}", kind="text", content=text,
                                             meta={"outlet": f"Outlet {ci}-{k}"}))
            except StorylensError:
                refused += 1
                continue
            docs.append(doc)
            gold.append(ci)
    return docs, gold, refused


def run(split: str, data: Path, lo: int, hi: int) -> str:
    docs, gold, refused = load(data, split, lo, hi)
    stories, predicted, elapsed = split_and_label(annotate_cached(docs))
    ari = adjusted_rand_score(gold, predicted)
    h, c, v = homogeneity_completeness_v_measure(gold, predicted)
    gold_of = {d.id: g for d, g in zip(docs, gold, strict=True)}
    mixed = sum(1 for s in stories if len({gold_of[d] for d in s.docs}) > 1)
    return "\n".join([
        f"## Story split (batch), Multi-News {split} clusters {lo}-{hi - 1}",
        "",
        f"Command: `.venv/bin/python -m benchmarks.story_split_multinews --split {split} --clusters {lo}:{hi} "
        "--data DIR`  ",
        f"Code: {revision()}  ",
        f"Machine: {machine()}  ",
        f"{len(docs)} articles of {len(set(gold))} clusters in one batch ({refused} pages refused as not "
        f"articles); storylens found {len(stories)} stories, {mixed} of them mixing clusters "
        f"(canonicalisation + clustering {elapsed:.1f} s).",
        "",
        "| ARI (cluster) | V-measure | homogeneity | completeness |",
        "|---|---|---|---|",
        f"| {ari:.3f} | {v:.3f} | {h:.3f} | {c:.3f} |",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=list(FILES))
    parser.add_argument("--clusters", default="0:100", help="LO:HI, clusters LO to HI - 1")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    lo, hi = (int(x) for x in args.clusters.split(":"))
    report = run(args.split, args.data, lo, hi)
    print(report)
    if not args.no_write:
        write_result(f"story_split_multinews_{args.split}_{lo}_{hi}", report)


if __name__ == "__main__":
    main()
