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

from benchmarks.common import machine, write_result
from storylens.annotate import annotate
from storylens.api import analyze_documents
from storylens.embed import get_embedder
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.models import Analysis
from storylens.options import Options

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
        per_doc.append((len(docs), link / len(docs)))
        lines.append(
            f"| {len(docs)} | {t_annotate:.1f} | {link:.1f} | {link / t_annotate:.2f} | {timings['quotes']:.1f} | "
            f"{timings['report']:.1f} | {1000 * link / len(docs):.0f} | {len(analysis.stories)} |"
        )
    if len(per_doc) >= 2:
        (n0, c0), (n1, c1) = per_doc[0], per_doc[-1]
        nlogn = math.log(n1) / math.log(max(n0, 2))
        lines += ["", f"Link time per document grows {c1 / c0:.2f}× from {n0} to {n1} documents "
                  f"(n log n would allow {nlogn:.2f}×)."]
    lines += ["", "Target: link ≤ 0.40 × annotate. Most link time is MiniLM sentence embeddings "
              "(one vector per claim sentence, shared with stories, quotes and the briefing through a cache).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 982])
    args = parser.parse_args()
    report = run(args.sizes)
    print(report)
    write_result("link_speed", report)


if __name__ == "__main__":
    main()
