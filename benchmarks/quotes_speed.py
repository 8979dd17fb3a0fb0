"""Speed: quote extraction as a share of the annotate stage, on ECB+ news documents.

Run: ``.venv/bin/python -m benchmarks.quotes_speed [--docs N] [--repeat R]``

The documents (ECB+, CC BY 3.0, Cybulska & Vossen 2014) are normalised like
ingest does, annotated once per repeat with ``storylens.annotate.annotate``
(spaCy ``nlp.pipe`` plus times, quantities and mentions), then
``extract_quotes`` runs over every annotated document. The median of the
repeats is reported. Target: quote extraction adds at most 15 % to annotate.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

from benchmarks.quotes_common import command, machine, today, write_result

ECB = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=0, help="every k-th document so that about N are used (0: all)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    from storylens.annotate import annotate
    from storylens.annotate.nlp import get_nlp
    from storylens.annotate.quotes import extract_quotes
    from storylens.ingest.normalize import normalize
    from storylens.models import Document

    with gzip.open(ECB, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows.sort(key=lambda r: (str(r["topic"]), str(r["doc_id"])))
    if args.docs and args.docs < len(rows):
        step = len(rows) / args.docs
        rows = [rows[int(i * step)] for i in range(args.docs)]
    texts = [normalize(r["text"]).text for r in rows]
    words = sum(len(t.split()) for t in texts)
    get_nlp()(texts[0])  # load and warm up the model outside the timings

    t_ann, t_q, n_quotes, n_direct = [], [], 0, 0
    for _ in range(args.repeat):
        docs = [Document(id=str(r["doc_id"]), source=str(r["doc_id"]), text=t) for r, t in zip(rows, texts, strict=True)]
        t0 = time.perf_counter()
        annotated = annotate(docs)
        t_ann.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        quotes = [q for a in annotated for q in extract_quotes(a)]
        t_q.append(time.perf_counter() - t0)
        n_quotes, n_direct = len(quotes), sum(q.direct for q in quotes)
    ann, q = statistics.median(t_ann), statistics.median(t_q)
    share = 100 * q / ann
    md = "\n".join([
        f"## Quote extraction speed (ECB+, {len(rows)} documents, {words:,} words)",
        "",
        f"- Command: `{command()}`",
        f"- Machine: {machine()}",
        f"- Date: {today()}",
        "- Data: `../shared/data/ecbplus/docs.jsonl.gz` (ECB+, CC BY 3.0), in (topic, doc id) order"
        + (f", every k-th document to {len(rows)}" if args.docs else "") + "; texts normalised as ingest does.",
        f"- Median of {args.repeat} runs in one process, model loaded and warmed up first; single process.",
        "",
        "| stage | seconds | ms / document | share of annotate |",
        "|---|---|---|---|",
        f"| `annotate` (spaCy pipe + times, quantities, mentions) | {ann:.2f} | {1000 * ann / len(rows):.1f} | 100% |",
        f"| `extract_quotes` | {q:.3f} | {1000 * q / len(rows):.2f} | **{share:.1f}%** |",
        "",
        f"{n_quotes} quotes found ({n_direct} direct, {n_quotes - n_direct} reported). Target ≤ 15%: "
        + ("met." if share <= 15 else "NOT met."),
    ])
    print(md)
    if not args.no_write:
        write_result("quotes_speed", md)


if __name__ == "__main__":
    main()
