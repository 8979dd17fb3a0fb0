"""The job worker: a separate process that runs accepted uploads one at a time.

It is a process, not a thread, so annotation (CPU-bound Python) never holds the web
process's interpreter: reads stay fast while articles are being added. It talks to
the web process only through the database. The worker takes the store's writer lock
for each job and releases it afterwards, so ``storylens add`` from a shell can run
between jobs.

Stopping: SIGTERM asks the running job to stop at its next progress point; the job
goes back to ``queued`` and is resumed by the next start. A worker killed outright
leaves it ``running``, which the next worker resumes too.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

from storylens.errors import StorylensError
from storylens.serve import jobs

__all__ = ["JobWorker", "absolute_db_url", "run_one", "worker_main"]

log = logging.getLogger("storylens.serve.worker")
POLL_S = 0.5
#: progress is written to the database at most this often
PROGRESS_EVERY_S = 0.3


class Stop(Exception):
    """The process is shutting down: put the job back in the queue."""


class Cancelled(Exception):
    """Someone cancelled the job."""


class _Flags:
    """Why the worker should stop: SIGTERM, or the web process is gone (killed outright)."""

    def __init__(self) -> None:
        self.terminated = False
        self.parent = os.getppid()

    @property
    def stopping(self) -> bool:
        return self.terminated or os.getppid() != self.parent


def _materialise(folder: Path, job_id: int, inputs: list[jobs.JobInput]) -> tuple[list[str], dict[str, str]]:
    """Write the job's files under ``folder/jobN/`` with names we made; URLs stay URLs.

    Returns the sources for ``add_sources`` and a map from each to the name the user gave.
    """
    job_dir = folder / f"job{job_id}"
    if job_dir.exists():
        shutil.rmtree(job_dir)
    job_dir.mkdir(mode=0o700)
    sources: list[str] = []
    names: dict[str, str] = {}
    used: set[str] = set()
    for i, item in enumerate(inputs, 1):
        if item.kind == "url":
            sources.append(item.name)
            names[item.name] = item.name
            continue
        safe = jobs.safe_name(item.name) or f"input{i}.txt"
        if safe.lower() in used:
            safe = f"{i}-{safe}"
        used.add(safe.lower())
        path = job_dir / safe
        path.write_bytes(item.data)
        if safe.lower().endswith(".meta.json"):
            continue  # metadata: ingest reads it beside its article, it is not a source
        # relative to the worker's folder: the stored source reads "job7/article.html"
        rel = f"job{job_id}/{safe}"
        sources.append(rel)
        names[rel] = item.name
    return sources, names


def run_one(db_url: str | None, job_id: int, folder: Path, flags: _Flags, options: dict[str, Any]) -> str:
    """Run one job to its end; returns the state it ended in."""
    from storylens.options import Options
    from storylens.store import open_store
    from storylens.store.add import add_sources

    store = open_store(db_url)
    try:
        try:
            store.lock_writer(wait_s=5.0)
        except StorylensError:
            return "queued"  # another process is writing: try again later
        state, inputs, fetch = jobs.job_inputs(store, job_id)
        if state in ("cancelling", "cancelled"):
            jobs.finish(store, job_id, "cancelled", "cancelled before it started", {"added": 0})
            return "cancelled"
        jobs.set_state(store, job_id, "running", "reading")
        sources, names = _materialise(folder, job_id, inputs)
        last = {"write": 0.0, "check": 0.0}

        def progress(phase: str, done: int, total: int) -> None:
            now = time.monotonic()
            if flags.stopping:
                raise Stop
            if now - last["check"] > PROGRESS_EVERY_S:
                last["check"] = now
                current = jobs.get_job(store, job_id)
                if current is not None and current["state"] == "cancelling":
                    raise Cancelled
            if now - last["write"] > PROGRESS_EVERY_S or (total and done == total):
                last["write"] = now
                store.update_job(job_id, done, total, message=phase)

        opts = Options(fetch=fetch, **options)
        try:
            result = add_sources(store, sources, opts, progress=progress, job=job_id)
        except Stop:
            jobs.set_state(store, job_id, "queued", "stopped by a shutdown; resumes on the next start")
            return "queued"
        except Cancelled:
            jobs.finish(store, job_id, "cancelled", "cancelled (documents stored before stay)", {"added": 0})
            return "cancelled"
        except Exception as exc:  # noqa: BLE001 - one job's failure must not end the worker
            log.exception("job %s failed", job_id)  # the operator's log has the traceback; the user a line
            jobs.finish(store, job_id, "failed", f"failed: {type(exc).__name__}", {"added": 0})
            return "failed"
        errors = [{"source": names.get(e.source, e.source), "code": e.code, "message": e.message}
                  for e in result.errors]
        summary = {"added": result.added, "already_stored": result.already_stored, "errors": errors,
                   "stories": sorted(result.stories)}
        ok = result.added + result.already_stored > 0 or not errors
        jobs.finish(store, job_id, "done" if ok else "failed",
                    "done" if ok else "no document could be added", summary)
        return "done" if ok else "failed"
    finally:
        shutil.rmtree(folder / f"job{job_id}", ignore_errors=True)
        store.close()


def absolute_db_url(db_url: str | None) -> str | None:
    """An SQLite URL with a relative path made absolute (the worker changes its folder)."""
    from storylens.store.engine import parse_target

    target = parse_target(db_url)
    if target.path is None or target.path.is_absolute():
        return db_url
    return f"sqlite:///{target.path.resolve()}"


def worker_main(db_url: str | None, options: dict[str, Any], ready: Any = None) -> None:
    """The worker process: run jobs until SIGTERM."""
    db_url = absolute_db_url(db_url)
    flags = _Flags()

    def on_term(_sig: int, _frame: FrameType | None) -> None:
        flags.terminated = True

    signal.signal(signal.SIGTERM, on_term)
    # Ctrl-C reaches the whole process group: the web process decides when we stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # annotation is background work: readers of the web process come first for the CPU
    with contextlib.suppress(OSError):
        os.nice(10)
    from storylens.store import open_store

    folder = Path(tempfile.mkdtemp(prefix="storylens-jobs-"))
    os.chdir(folder)
    store = open_store(db_url)
    if ready is not None:
        ready.set()
    try:
        while not flags.stopping:
            job_id = jobs.next_job(store)
            if job_id is None:
                time.sleep(POLL_S)
                continue
            if run_one(db_url, job_id, folder, flags, options) == "queued" and not flags.stopping:
                time.sleep(POLL_S)
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)


class JobWorker:
    """The worker process as the web app starts and stops it."""

    def __init__(self, db_url: str | None, options: dict[str, Any]) -> None:
        ctx = mp.get_context("spawn")
        self.ready = ctx.Event()
        self.process = ctx.Process(target=worker_main, args=(db_url, options, self.ready), daemon=True,
                                   name="storylens-worker")

    def start(self) -> None:
        self.process.start()

    def stop(self, grace_s: float = 20.0) -> None:
        """SIGTERM, then wait for the running job to reach a progress point; kill past the grace."""
        if not self.process.is_alive():
            return
        self.process.terminate()
        self.process.join(grace_s)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
