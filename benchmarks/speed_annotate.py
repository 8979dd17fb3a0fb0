"""Annotation speed: storylens ``annotate`` and ``analyze`` vs a bare ``nlp.pipe`` of the same model.

ECB+ documents (``../shared/data/ecbplus/docs.jsonl.gz``) are written as ``.txt`` files to a
temporary directory and ingested once; every configuration then works on the same cleaned
texts. Each measurement runs in a fresh child process (so its peak RSS is its own) with
the spaCy model loaded and warmed up before the clock starts:

- ``bare``: ``list(nlp.pipe(texts, batch_size=16, n_process=N))`` with
  ``storylens.annotate.nlp.get_nlp()`` (the baseline);
- ``annotate``: ``storylens.annotate.annotate(docs, Options(n_process=N))`` on the ingested
  documents (same batch size, the ``Options`` default);
- ``analyze``: ``storylens.analyze([tmpdir], Options(n_process=N))`` end to end (ingest,
  annotate, quotes, link, storify, report content).

Times are the median of ``--repeat`` runs (``--analyze-repeat`` for the slow end-to-end
row); peak RSS is the largest ``ru_maxrss`` of the
child process itself and of its spaCy worker processes.

    .venv/bin/python -m benchmarks.speed_annotate [--docs 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.common import machine, revision

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: the shared data folder (``../shared/data`` from the project root), or $STORYLENS_BENCH_DATA
DATA = Path(os.environ.get("STORYLENS_BENCH_DATA") or ROOT.parent / "shared" / "data")
ECB = DATA / "ecbplus" / "docs.jsonl.gz"
RESULTS = HERE / "results"
COMMAND = ".venv/bin/python -m benchmarks.speed_annotate"
MODES = ("bare", "annotate", "analyze")


def write_corpus(n_docs: int, directory: Path) -> int:
    """The first ``n_docs`` ECB+ documents in (topic, doc id) order, one .txt file each."""
    with gzip.open(ECB, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    docs.sort(key=lambda d: (int(d["topic"]), d["doc_id"]))
    # spread the sample over all topics: every k-th document
    step = max(1, len(docs) // n_docs)
    chosen = docs[::step][:n_docs]
    for d in chosen:
        (directory / f"{d['doc_id']}.txt").write_text(d["text"], encoding="utf-8")
    return sum(len(d["text"].split()) for d in chosen)


def child(mode: str, n_process: int, corpus: str) -> dict[str, Any]:
    """One timed run in this (fresh) process; returns seconds, doc count and peak RSS."""
    from storylens import analyze
    from storylens.annotate import annotate
    from storylens.annotate.nlp import get_nlp
    from storylens.ingest import ingest
    from storylens.options import Options

    nlp = get_nlp()
    list(nlp.pipe(["Warm-up sentence for the model, in London on Monday."]))
    options = Options(n_process=n_process)
    docs = ingest([corpus], options).documents
    texts = [d.text for d in docs]
    extra: dict[str, Any] = {}

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # spaCy workers, once joined
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    c0 = cpu()
    t0 = time.perf_counter()
    if mode == "bare":
        out = list(nlp.pipe(texts, batch_size=options.batch_size, n_process=n_process))
        count = len(out)
    elif mode == "annotate":
        count = len(annotate(docs, options))
    else:
        analysis = analyze([corpus], options)
        count = len(analysis.documents)
        extra = dict(analysis.stats.get("seconds", {}))
    seconds = time.perf_counter() - t0
    cpu_seconds = cpu() - c0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"mode": mode, "n_process": n_process, "seconds": seconds, "cpu": cpu_seconds, "docs": count,
            "rss_mb": own / 1024, "children_rss_mb": kids / 1024, "stages": extra,
            "load": os.getloadavg()[0]}


def run_child(mode: str, n_process: int, corpus: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.speed_annotate", "--child", mode, str(n_process), corpus]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child {mode} n_process={n_process} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--analyze-repeat", type=int, default=1,
                        help="runs of the (slow) end-to-end analyze per n_process")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "N_PROCESS", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.child[2])))
        return ""
    if not ECB.exists():
        raise SystemExit(f"ECB+ data not found at {ECB}")

    from storylens.annotate.nlp import MODEL_PACKAGE

    runs: dict[tuple[str, int], list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="storylens-speed-") as tmp:
        words = write_corpus(args.docs, Path(tmp))
        for rep in range(args.repeat):
            for n_process in (1, 2):
                for mode in MODES:
                    if mode == "analyze" and rep >= args.analyze_repeat:
                        continue
                    r = run_child(mode, n_process, tmp)
                    runs.setdefault((mode, n_process), []).append(r)
                    print(f"# run {rep + 1}/{args.repeat} {mode:8s} n_process={n_process}: "
                          f"{r['seconds']:.2f}s, {r['docs']} docs", file=sys.stderr)

    def med(mode: str, n: int, key: str = "seconds") -> float:
        return float(statistics.median(float(r[key]) for r in runs[(mode, n)]))

    def peak(mode: str, n: int) -> str:
        own = max(r["rss_mb"] for r in runs[(mode, n)])
        kids = max(r["children_rss_mb"] for r in runs[(mode, n)])
        return f"{own:.0f}" + (f" (+ workers {kids:.0f} each)" if n > 1 and kids > 0 else "")

    n_docs = runs[("bare", 1)][0]["docs"]
    loads = [float(r["load"]) for rs in runs.values() for r in rs]
    out = [
        f"## Annotation speed (ECB+, {n_docs} documents, {words:,} words)",
        "",
        f"- Command: `{COMMAND}" + (f" --docs {args.docs}" if args.docs != 300 else "")
        + (f" --repeat {args.repeat}" if args.repeat != 3 else "")
        + (f" --analyze-repeat {args.analyze_repeat}" if args.analyze_repeat != 1 else "") + "`",
        f"- Machine: {machine()}",
        f"- Code: {revision()}",
        f"- Date: {dt.date.today().isoformat()}",
        f"- spaCy {version('spacy')}, model `{MODEL_PACKAGE}` {version(MODEL_PACKAGE)}; batch size 16 "
        "everywhere. Every document of ECB+ in (topic, doc id) order, every k-th, written as .txt "
        "files and ingested once; the timed stages see the same cleaned texts.",
        f"- Each row: median of {args.repeat} runs ({args.analyze_repeat} for `analyze`), each in a fresh process with the model already "
        "loaded and warmed up (worker start-up for n_process=2 is inside the time, for both "
        "baseline and storylens). Peak RSS = `ru_maxrss` of that process; with n_process=2, of "
        "the largest worker too.",
        f"- Machine load while measuring (1-minute load average at the end of each run, {os.cpu_count()} "
        f"CPUs): {min(loads):.1f} to {max(loads):.1f}. The machine was shared with other jobs, so "
        "absolute times are noisy; the ratios compare runs interleaved under the same load.",
        "",
        "| stage | n_process | wall s | articles/s (wall) | vs bare (wall) | CPU s | "
        "articles per CPU-s | vs bare (CPU) | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n in (1, 2):
        base, base_cpu = med("bare", n), med("bare", n, "cpu")
        for mode, label in (("bare", "bare `nlp.pipe` (baseline)"), ("annotate", "storylens `annotate`"),
                            ("analyze", "storylens `analyze` (end to end)")):
            s, c = med(mode, n), med(mode, n, "cpu")
            out.append(f"| {label} | {n} | {s:.2f} | {n_docs / s:.1f} | {base / s:.2f}× | {c:.2f} | "
                       f"{n_docs / c:.1f} | {base_cpu / c:.2f}× | {peak(mode, n)} |")
    out += [
        "",
        "CPU s = user + system time of the process and its spaCy workers during the timed section; "
        "on a shared machine it is the steadier measure, wall time is what a user waits.",
        "",
    ]
    for n in (1, 2):
        ratio = med("bare", n) / med("annotate", n)
        ratio_cpu = med("bare", n, "cpu") / med("annotate", n, "cpu")
        verdict = "meets" if min(ratio, ratio_cpu) >= 0.8 else "misses"
        out.append(f"- n_process={n}: `annotate` runs at {ratio:.2f}× bare spaCy by wall time and "
                   f"{ratio_cpu:.2f}× by CPU time ({verdict} the 0.8× target).")
    stages: dict[str, list[float]] = {}
    for r in runs[("analyze", 1)]:
        for k, v in r["stages"].items():
            stages.setdefault(k, []).append(float(v))
    if stages:
        parts = ", ".join(f"{k} {statistics.median(v):.2f}s" for k, v in stages.items())
        out.append(f"- `analyze` stage times (n_process=1, median, from `Analysis.stats`): {parts}.")
    text = "\n".join(out) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "speed_annotate.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return text


if __name__ == "__main__":
    main()
