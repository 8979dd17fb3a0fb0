"""Load test of ``storylens serve`` on loopback: locust with 200 concurrent clients.

For each database (SQLite file; PostgreSQL started by this run with initdb/pg_ctl, as
the store tests do) the run:

1. seeds a corpus with ``storylens add`` (examples/sample plus ECB+ dev documents);
2. starts ``storylens serve`` (a real process: uvicorn + its job worker process);
3. runs locust headless: 9 readers to 1 uploader (story pages, story list, the read API,
   search; uploads of a new pasted article with its job followed), measuring every
   response: p50/p95/p99 for reads and uploads, throughput, 5xx, peak RSS of the web
   process and of the worker;
4. runs load again and sends SIGTERM to the server in the middle: every accepted job
   (202) must then be in the database, queued or finished, never lost; a restarted
   server must pick the queued ones up.

Run:  PYTHONPATH=.:src .venv/bin/python -m benchmarks.serve_load [--users 200] [--seconds 60]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from benchmarks.common import machine, revision, write_result

ROOT = Path(__file__).resolve().parent.parent
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
LOCUSTFILE = Path(__file__).resolve().parent / "serve_locustfile.py"
sys.path.insert(0, str(ROOT / "tests" / "store"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_TOKEN"}
    env["PYTHONPATH"] = f"{ROOT / 'src'}:{ROOT}"
    return env


def _seed(url: str, docs: int, folder: Path) -> float:
    """``storylens add`` examples/sample and ``docs`` ECB+ dev documents; seconds taken."""
    with gzip.open(ECB, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    # one document per ECB+ topic: separate stories (a merge of stories in the seed corpus would
    # meet the store's merge-replay failure noted in the results)
    seen: set[str] = set()
    dev = []
    for r in rows:
        if r["split"] == "dev" and r["topic"] not in seen:
            seen.add(r["topic"])
            dev.append(r)
    dev = dev[:docs]
    jsonl = folder / "ecb-dev.jsonl"
    jsonl.write_text("\n".join(json.dumps({"text": r["text"], "url": r.get("source_url") or None}) for r in dev),
                     encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "storylens.cli", "add", "--db", url, "--quiet",
                    str(ROOT / "examples" / "sample"), str(jsonl)], env=_env(), check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


class Server:
    def __init__(self, url: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "storylens.cli", "serve", "--db", url, "--port", str(self.port),
             "--writes-per-minute", "1000000"], env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(self.base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")
            time.sleep(0.2)
        self.peak = {"web": 0, "worker": 0}
        self._watching = False

    def watch(self) -> threading.Thread:
        """Sample the RSS of the web process and of its worker every 0.25 s."""
        self._watching = True

        def loop() -> None:
            ps = psutil.Process(self.proc.pid)
            while self._watching:
                try:
                    self.peak["web"] = max(self.peak["web"], ps.memory_info().rss)
                    for child in ps.children(recursive=True):
                        self.peak["worker"] = max(self.peak["worker"], child.memory_info().rss)
                except psutil.Error:
                    return
                time.sleep(0.25)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        return thread

    def unwatch(self) -> None:
        self._watching = False

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                return self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        return self.proc.returncode


def _locust(base: str, stories: list[str], users: int, seconds: int, out: Path) -> subprocess.Popen[bytes]:
    env = {**_env(), "SERVE_LOAD_STORIES": json.dumps(stories), "SERVE_LOAD_OUT": str(out)}
    return subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", "50",
         "-t", f"{seconds}s", "-H", base, "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _summary(records: list[list[Any]], seconds: float) -> dict[str, Any]:
    reads = [r[1] for r in records if r[0].startswith("read:") and r[2] and r[2] < 500]
    writes = [r[1] for r in records if r[0].startswith("write:") and r[2] and r[2] < 500]
    by_name: dict[str, list[float]] = {}
    for name, ms, status in records:
        if status and status < 500:
            by_name.setdefault(name, []).append(ms)
    return {
        "requests": len(records), "throughput": len(records) / seconds,
        "5xx": sum(1 for r in records if r[2] >= 500), "no_response": sum(1 for r in records if not r[2]),
        "4xx": sum(1 for r in records if 400 <= r[2] < 500),
        "reads": len(reads), "writes": len(writes),
        "read_p": [_pct(reads, q) for q in (0.5, 0.95, 0.99)], "write_p": [_pct(writes, q) for q in (0.5, 0.95, 0.99)],
        "by_name": {k: (len(v), _pct(v, 0.5), _pct(v, 0.95)) for k, v in sorted(by_name.items())},
    }


def _job_states(url: str) -> dict[int, str]:
    from storylens.serve import jobs
    from storylens.store import open_store

    store = open_store(url)
    try:
        return {int(r["id"]): str(r["state"]) for r in store.jobs() if r["kind"] == jobs.KIND}
    finally:
        store.close()


def run_backend(name: str, url: str, users: int, seconds: int, seed_docs: int, folder: Path) -> dict[str, Any]:
    print(f"[{name}] seeding {seed_docs} ECB+ dev documents + examples/sample", flush=True)
    seed_s = _seed(url, seed_docs, folder)
    server = Server(url)
    stories = [s["id"] for s in httpx.get(server.base + "/api/stories?limit=200").json()["stories"]]
    for sid in stories:  # every story page once, as after any earlier visit
        httpx.get(f"{server.base}/stories/{sid}", timeout=60)
    print(f"[{name}] {len(stories)} stories; load: {users} users for {seconds} s", flush=True)
    load_before = os.getloadavg()
    server.watch()
    out_a = folder / f"{name}-a.json"
    started = time.perf_counter()
    _locust(server.base, stories, users, seconds, out_a).wait(seconds + 120)
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    server.unwatch()
    phase_a = json.loads(out_a.read_text())
    summary = _summary(phase_a["records"], elapsed)
    summary.update(seed_s=seed_s, stories=len(stories), load_before=load_before, load_after=load_after,
                   peak=dict(server.peak))
    done_a = _job_states(url)
    summary["jobs_after_a"] = {s: sum(1 for v in done_a.values() if v == s) for s in set(done_a.values())}

    print(f"[{name}] SIGTERM during load", flush=True)
    out_b = folder / f"{name}-b.json"
    locust_b = _locust(server.base, stories, users, 30, out_b)
    time.sleep(15)
    code = server.stop(signal.SIGTERM)
    locust_b.wait(120)
    phase_b = json.loads(out_b.read_text())
    accepted = set(phase_a["accepted"]) | set(phase_b["accepted"])
    states = _job_states(url)
    # lost: accepted but not in the database, or ended without anyone asking (a "running" left over)
    lost = sorted(j for j in accepted if j not in states or states[j] in ("cancelled", "running"))
    failed = sorted(j for j in accepted if states.get(j) == "failed")
    pending = sorted(j for j in accepted if states.get(j) in ("queued", "interrupted"))
    restarted = Server(url)
    deadline = time.monotonic() + 120
    resumed = 0
    while time.monotonic() < deadline and pending:
        now = _job_states(url)
        resumed = sum(1 for j in pending if now.get(j) in ("done", "failed"))
        if resumed >= min(5, len(pending)):
            break
        time.sleep(1)
    restarted.stop(signal.SIGTERM)
    summary["sigterm"] = {"exit": code, "accepted": len(accepted), "in_db": sum(1 for j in accepted if j in states),
                          "lost": len(lost), "failed": len(failed), "pending_at_stop": len(pending),
                          "resumed_after_restart": resumed,
                          "phase_b_5xx": sum(1 for r in phase_b["records"] if r[2] >= 500)}
    print(f"[{name}] {json.dumps({k: v for k, v in summary.items() if k != 'by_name'})}", flush=True)
    return summary


def _table(results: dict[str, dict[str, Any]], users: int, seconds: int, seed_docs: int) -> str:
    mb = 1024 * 1024
    lines = [
        "## Web app under load (storylens serve, locust, loopback)",
        "",
        f"Command: `PYTHONPATH=.:src .venv/bin/python -m benchmarks.serve_load --users {users} --seconds {seconds} "
        f"--seed-docs {seed_docs}`  ",
        f"Code: {revision()}; machine: {machine()}.  ",
        f"{users} concurrent locust users for {seconds} s (9 readers to 1 uploader; readers wait 0.5–2 s between "
        "requests, uploaders 1–3 s): story pages, the story list page, `GET /api/stories`, `GET /api/stories/{id}`, "
        "search; uploads are `POST /api/documents` with a new pasted article, then `GET /api/jobs/{id}`. "
        f"Corpus: examples/sample plus {seed_docs} ECB+ dev documents (one per topic) added with `storylens add`. "
        "Job states after each run are in the JSON line the benchmark prints. The server, its "
        "job worker (annotating the uploads meanwhile) and locust itself share the machine's 2 cores with other "
        "engineers' work: the 1-minute load average before and after each run is given.",
        "",
        "| database | requests | req/s | 5xx | reads p50 / p95 / p99 (ms) | uploads p50 / p95 / p99 (ms) | "
        "peak RSS web / worker (MB) | load avg before → after |",
        "|---|---:|---:|---:|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['requests']} | {r['throughput']:.0f} | {r['5xx']} | "
            f"{r['read_p'][0]:.0f} / {r['read_p'][1]:.0f} / {r['read_p'][2]:.0f} | "
            f"{r['write_p'][0]:.0f} / {r['write_p'][1]:.0f} / {r['write_p'][2]:.0f} | "
            f"{r['peak']['web'] / mb:.0f} / {r['peak']['worker'] / mb:.0f} | "
            f"{r['load_before'][0]:.1f} → {r['load_after'][0]:.1f} |")
    lines += ["", "Per request kind (count, p50, p95 in ms):", ""]
    lines += ["| database | request | count | p50 | p95 |", "|---|---|---:|---:|---:|"]
    for name, r in results.items():
        for kind, (n, p50, p95) in r["by_name"].items():
            lines.append(f"| {name} | {kind} | {n} | {p50:.0f} | {p95:.0f} |")
    lines += ["", "SIGTERM in the middle of a second 30 s load run (then a restart on the same database):", "",
              "| database | exit code | jobs accepted (202) | in the database | lost | failed (processing) | "
              "queued at stop | picked up after restart (first 2 min) | 5xx |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        s = r["sigterm"]
        lines.append(f"| {name} | {s['exit']} | {s['accepted']} | {s['in_db']} | {s['lost']} | {s['failed']} | "
                     f"{s['pending_at_stop']} | {s['resumed_after_restart']} | {s['phase_b_5xx']} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--seed-docs", type=int, default=8, help="ECB+ dev documents, one per topic (at most 8)")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        folder = Path(tmp)
        if "sqlite" in args.backends:
            results["SQLite"] = run_backend("sqlite", f"sqlite:///{folder / 'load.db'}", args.users, args.seconds,
                                            args.seed_docs, folder)
        if "postgresql" in args.backends:
            from pgserver import PostgresServer, pg_bindir

            bindir = pg_bindir()
            if bindir is None:
                print("PostgreSQL is not installed: skipped")
            else:
                pg = PostgresServer(bindir, durable=True)
                pg.start()
                try:
                    results["PostgreSQL"] = run_backend("postgresql", pg.new_database(), args.users, args.seconds,
                                                        args.seed_docs, folder)
                finally:
                    pg.stop()
    table = _table(results, args.users, args.seconds, args.seed_docs)
    print(table)
    write_result("serve_load", table)


if __name__ == "__main__":
    main()
