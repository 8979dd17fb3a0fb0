"""Throughput at the size limits (issue 13): many short records, one very long article.

Each run is one `storylens analyze FILE -f json -o report.json` process (its plain progress
lines on stderr say how far a run that is stopped got); time is wall
time, memory the process's peak RSS (``ru_maxrss`` from wait4), stage times come from the
report's ``stats.seconds``. Two shapes, each beside a smaller peer in the same run:

- N short JSONL records (default 1,000, 5,000 and 20,000): does it complete, and does memory
  grow linearly with the number of documents (no n x n matrix)?
- one long article (default a 5,000-word one and a 900 KB one, the latter over the default
  ``--max-chars`` and run with ``--long-max-chars``, 1,000,000 unless given): time per word
  of the long article against the 5,000-word one (target: no worse than 2x), and its peak
  memory (target: 1.5 GB).

``--jobs N`` runs N of the processes at once (on a shared machine, to get every row within
a session); the table then says so, and times include the other runs' load. The load
average (1 minute) at each run's start and end is in the table.

    python -m benchmarks.throughput_limits                      # writes results/throughput_limits.md
    python -m benchmarks.throughput_limits --records 2000 --long-kb 100 --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.hostile import article

QUOTES = [
    '"We will not accept these terms," {name} said on {day}.',
    '{name} told reporters that the plan "puts the harbour at risk".',
    'According to {name}, the budget was cut by {n} percent.',
    '"The numbers speak for themselves," said {name}, who chairs the committee.',
]
NAMES = ["Lena Ortiz", "Dmitry Sokolov", "Ilona Varga", "Paul Haines", "Mara Lind", "Tomas Berg",
         "Ana Reyes", "Jonas Weber", "Sofia Marin", "Karl Olsen"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def long_article(target_chars: int) -> str:
    """One article of about ``target_chars`` characters: council items with quoted speakers."""
    parts = ["Council Budget Marathon Ends After Three Days\n"]
    size = len(parts[0])
    i = 0
    while size < target_chars:
        body = article(70_000 + i, words=50).split("\n\n", 1)[1].replace("\n\n", " ").strip()
        quote = QUOTES[i % len(QUOTES)].format(name=NAMES[i % len(NAMES)], day=DAYS[i % len(DAYS)], n=i % 40 + 2)
        para = f"{body} {quote}\n"
        parts.append(para)
        size += len(para) + 1
        i += 1
    return "\n".join(parts)


@dataclass
class Run:
    label: str
    load: tuple[float, float]
    words: int
    documents_in: int
    exit_code: int | None
    seconds: float
    peak_rss_mb: float
    documents_out: int
    stages: dict[str, float]
    stderr: str


def run_cli(label: str, path: Path, words: int, documents_in: int, time_limit: float,
            extra: tuple[str, ...] = ()) -> Run:
    report = path.with_suffix(".report.json")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[1] / "src"), os.environ.get("PYTHONPATH", "")])}
    err = path.with_suffix(".stderr")
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    with err.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "storylens.cli", "analyze", str(path), "-f", "json",
                                 "-o", str(report), *extra], stdout=subprocess.DEVNULL, stderr=fh, env=env)
    exit_code: int | None = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            exit_code = os.waitstatus_to_exitcode(status)
            break
        if time.perf_counter() - started > time_limit:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.1)
    proc.returncode = exit_code if exit_code is not None else -9
    seconds = time.perf_counter() - started
    stages: dict[str, float] = {}
    docs_out = 0
    if exit_code in (0, 1) and report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        stages = data["stats"].get("seconds", {})
        docs_out = len(data["documents"])
    return Run(label, (load_start, os.getloadavg()[0]), words, documents_in, exit_code, seconds,
               usage.ru_maxrss / 1024, docs_out, stages,
               err.read_text(encoding="utf-8", errors="replace")[-2000:])


def records_file(directory: Path, n: int) -> tuple[Path, int]:
    path = directory / f"records_{n}.jsonl"
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = article(200_000 + i, words=40)
            words += len(text.split())
            fh.write(json.dumps({"text": text}) + "\n")
    return path, words


def article_file(directory: Path, chars: int, name: str) -> tuple[Path, int]:
    path = directory / f"{name}.txt"
    text = long_article(chars)
    path.write_text(text, encoding="utf-8")
    return path, len(text.split())


def table(runs: list[Run], command: str, jobs: int) -> str:
    from benchmarks.common import machine, revision

    # one article: start-up and models, the floor every run pays (absent with --records-only)
    base = runs[0].peak_rss_mb if runs and runs[0].documents_in == 1 else None
    lines = ["## Throughput at the size limits (issue 13)", "",
             f"Command: `{command}`  ", f"Machine: {machine()}  ", f"Code: {revision()}  ",
             "Each row is one `storylens analyze FILE -f json -o report.json` process at default limits unless "
             "the row says otherwise; "
             "time is wall time including Python start-up and model loading; peak RSS is the process's "
             "`ru_maxrss`; *MB per 1,000 documents* is the peak above the one-article run's, per 1,000 "
             "documents (constant when memory is linear in documents); stage times are the report's "
             "`stats.seconds`; load is the 1-minute load average at the run's start and end"
             + (f"; {jobs} runs at a time, so each run's time includes the others' load" if jobs > 1 else "")
             + ".", "",
             "| input | words | documents in / out | exit | time (s) | ms per 1,000 words | peak RSS (MB) | "
             "MB per 1,000 documents | load | slowest stages (s) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        slow = ", ".join(f"{k} {v:.1f}" for k, v in sorted(r.stages.items(), key=lambda kv: -kv[1])[:4]) or "—"
        per = f"{1000 * 1000 * r.seconds / r.words:.0f}" if r.words else "—"
        per_docs = f"{1000 * (r.peak_rss_mb - base) / r.documents_in:.0f}" if r.documents_in > 1 and base is not None else "—"
        lines.append(f"| {r.label} | {r.words:,} | {r.documents_in:,} / {r.documents_out:,} | "
                     f"{r.exit_code if r.exit_code is not None else 'killed'} | {r.seconds:.1f} | {per} | "
                     f"{r.peak_rss_mb:.0f} | {per_docs} | {r.load[0]:.0f}–{r.load[1]:.0f} | {slow} |")
    failed = [r for r in runs if r.exit_code not in (0, 1)]
    for r in failed:
        last = r.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
        ended = "was stopped at the time limit" if r.exit_code is None else f"ended with {r.exit_code}"
        lines.append(f"\n`{r.label}` {ended}; its last stderr line: `{last[0][:300]}`")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    parser.add_argument("--short-words", type=int, default=5_000, help="words of the peer article")
    parser.add_argument("--long-kb", type=int, default=900)
    parser.add_argument("--long-max-chars", type=int, default=1_000_000, help="--max-chars of the long article")
    parser.add_argument("--time-limit", type=float, default=3600.0)
    parser.add_argument("--jobs", type=int, default=1, help="runs at a time (default one after another)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--records-only", action="store_true", help="skip the two single-article runs")
    args = parser.parse_args()
    from concurrent.futures import ThreadPoolExecutor

    with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
        directory = Path(tmp)
        todo: list[tuple[str, Path, int, int, tuple[str, ...]]] = []
        if not args.records_only:
            path, words = article_file(directory, args.short_words * 6, "article_short")
            todo.append((f"one article, {path.stat().st_size // 1000} KB", path, words, 1, ()))
            path, words = article_file(directory, args.long_kb * 1000, "article_long")
            todo.append((f"one article, {path.stat().st_size // 1000} KB (`--max-chars {args.long_max_chars}`)",
                         path, words, 1, ("--max-chars", str(args.long_max_chars))))
        for n in args.records:
            path, words = records_file(directory, n)
            todo.append((f"{n:,} short JSONL records", path, words, n, ()))

        def one(job: tuple[str, Path, int, int, tuple[str, ...]]) -> Run:
            label, path, words, documents, extra = job
            run = run_cli(label, path, words, documents, args.time_limit, extra)
            print(run, flush=True)
            return run

        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            runs = list(pool.map(one, todo))
    command = "python -m benchmarks.throughput_limits " + " ".join(sys.argv[1:])
    report = table(runs, command.strip(), args.jobs)
    print(report)
    if not args.no_write:
        from benchmarks.common import write_result

        write_result("throughput_limits", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
