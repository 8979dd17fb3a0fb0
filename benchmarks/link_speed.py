"""Cost of the cross-document stages against annotation, on 10, 100 and ~1,000 ECB+ documents.

Documents are taken in ECB+ order (topic by topic, so stories form as in a
real batch). For each size: ingest + annotate are timed, then the
cross-document stages (quotes, link = syndication + entities + stories +
claims + contradictions, report = framing + briefing), in one process with
the models already loaded. Growth is judged from time per document.

Run:  .venv/bin/python -m benchmarks.link_speed --sizes 10 100 982
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import time
from pathlib import Path

import numpy as np

from benchmarks.common import machine, write_result
from storylens.annotate import annotate
from storylens.api import analyze_documents
from storylens.embed import get_embedder
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.clauses import resolve_drafts
from storylens.link.entities import canonicalize
from storylens.models import Analysis
from storylens.options import Options
from storylens.records import AnnotatedDoc

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"


def run(sizes: list[int]) -> str:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows.sort(key=lambda r: (r["topic"], r["doc_id"]))
    get_embedder().encode(["warm up"])
    annotate([build_document(RawItem(source="w", kind="text", content="Warm up the parser now please.", meta={}))])
    lines = [
        "## Cross-document stages vs annotation (ECB+)",
        "",
        f"Command: `.venv/bin/python -m benchmarks.link_speed --sizes {' '.join(map(str, sizes))}`  ",
        f"Machine: {machine()}  ",
        "",
        "| documents | annotate s | link s | link / annotate | quotes s | report s | link ms/doc | stories |",
        "|---|---|---|---|---|---|---|---|",
    ]
    per_doc = []
    floor: list[tuple[int, int, float, float]] = []
    for n in sizes:
        chosen = rows[:: max(1, len(rows) // n)][:n] if n < len(rows) else rows
        docs = [build_document(RawItem(source=r["doc_id"], kind="text", content=r["text"], meta={})) for r in chosen]
        started = time.perf_counter()
        annotated = annotate(docs)
        t_annotate = time.perf_counter() - started
        analysis = Analysis(documents=docs)
        timings: dict[str, float] = {}
        analyze_documents(annotated, Options(), analysis, timings)
        link = timings["link"]
        partners = _partner_shares(annotated, analysis)
        per_doc.append((len(docs), link / len(docs)))
        lines.append(
            f"| {len(docs)} | {t_annotate:.1f} | {link:.1f} | {link / t_annotate:.2f} | {timings['quote_speakers']:.1f} | "
            f"{timings['framing'] + timings['briefing']:.1f} | {1000 * link / len(docs):.0f} | {len(analysis.stories)} |"
        )
        floor.append((len(docs), *partners))
    lines += ["", "How much embedding blocking could save: the share of claim sentences in stories of two or more "
              "documents that have a sentence of another document at least this close (MiniLM cosine). Even a "
              "perfect blocker must embed these.", "",
              "| documents | claim sentences | partner ≥ 0.45 (contradiction candidates) | partner ≥ 0.62 (alignment) |",
              "|---|---|---|---|"]
    lines += [f"| {n} | {total} | {a:.0%} | {b:.0%} |" for n, total, a, b in floor]
    if len(per_doc) >= 2:
        (n0, c0), (n1, c1) = per_doc[0], per_doc[-1]
        nlogn = math.log(n1) / math.log(max(n0, 2))
        lines += ["", f"Link time per document grows {c1 / c0:.2f}× from {n0} to {n1} documents "
                  f"(n log n would allow {nlogn:.2f}×)."]
    lines += ["", "Target: link ≤ 0.40 × annotate: **not met**. Most link time is MiniLM sentence embeddings "
              "(one vector per claim sentence of a story with two or more documents, shared with stories, quotes "
              "and the briefing through a cache). On this CPU one MiniLM pass costs about what the spaCy pass "
              "costs per sentence (see the embedder comparison: 7.6 ms per sentence). Even a perfect blocker would "
              "have to embed the sentences with a partner ≥ 0.45 (second table), and a real one cannot know "
              "them without embedding: lexical (TF-IDF) candidates that keep 93 % of the MiniLM pairs ≥ 0.62 "
              "still cover 99 % of the sentences of an ECB+ dev sub-topic "
              "(`.venv/bin/python -m benchmarks.link_blocking --split dev`).", ""]
    return "\n".join(lines)


def _partner_shares(annotated: list[AnnotatedDoc], analysis: Analysis) -> tuple[int, float, float]:
    """(claim sentences, share with a cross-document partner ≥ 0.45, share ≥ 0.62), over multi-document
    stories; the vectors come from the embedder's cache, so this costs little."""
    _, index = canonicalize(annotated)
    by_doc = {a.doc.id: a for a in annotated}
    total = with_45 = with_62 = 0
    for story in analysis.stories:
        if len(story.docs) < 2:
            continue
        drafts = [d for doc_id in story.docs for d in resolve_drafts(by_doc[doc_id], index)]
        if not drafts:
            continue
        vectors = get_embedder().encode([d.text for d in drafts])
        docs = np.array([d.doc for d in drafts])
        best = np.full(len(drafts), -1.0)
        for lo in range(0, len(drafts), 1024):
            sims = vectors[lo : lo + 1024] @ vectors.T
            sims[docs[lo : lo + 1024, None] == docs[None, :]] = -1.0
            best[lo : lo + 1024] = sims.max(axis=1)
        total += len(drafts)
        with_45 += int((best >= 0.45).sum())
        with_62 += int((best >= 0.62).sum())
    return total, with_45 / max(total, 1), with_62 / max(total, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 982])
    args = parser.parse_args()
    report = run(args.sizes)
    print(report)
    write_result("link_speed", report)


if __name__ == "__main__":
    main()
