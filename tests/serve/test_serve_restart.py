"""Accepted jobs survive the server: SIGTERM (graceful) or SIGKILL while a job runs,
then a new server on the same database finishes every accepted job."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from serve_helpers import ROOT, SAMPLE, free_port, upload, wait_job

from storylens.serve import jobs
from storylens.store import open_store

pytestmark = pytest.mark.slow


class ServerProcess:
    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "STORYLENS_TOKEN"}
        env["PYTHONPATH"] = str(ROOT / "src")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "storylens.cli", "serve", "--db", f"sqlite:///{db}", "--port", str(self.port)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                raise RuntimeError(f"server did not start: {out[-500:]}")
            time.sleep(0.2)

    def signal(self, sig: int) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(60)

    def kill_group(self) -> None:
        """Everything the server started (its worker) goes too, as when a machine stops."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)


def _states(db: Path) -> dict[int, str]:
    store = open_store(f"sqlite:///{db}")
    try:
        return {int(r["id"]): str(r["state"]) for r in store.jobs() if r["kind"] == jobs.KIND}
    finally:
        store.close()


def _wait_running(client: httpx.Client, job_id: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while client.get(f"/api/jobs/{job_id}").json()["state"] == "queued":
        assert time.monotonic() < deadline, "the worker never started the job"
        time.sleep(0.1)


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_accepted_jobs_survive_a_restart(tmp_path: Path, how: str) -> None:
    db = tmp_path / "restart.db"
    first = ServerProcess(db)
    try:
        with httpx.Client(base_url=first.url, timeout=30) as client:
            a = upload(client, sorted(SAMPLE.iterdir())).json()["id"]
            b = upload(client, [], text="Harbour crane collapses\n\nA crane collapsed at the north harbour on "
                                         "Tuesday, injuring two workers, the port authority said.").json()["id"]
            _wait_running(client, a)
        if how == "sigterm":
            # uvicorn ends by re-raising the signal: 143 from the CLI's handler, -15 without it
            assert first.signal(signal.SIGTERM) in (143, -signal.SIGTERM)
        else:
            first.kill_group()
    finally:
        if first.proc.poll() is None:
            first.kill_group()
    states = _states(db)
    assert states[a] in ("queued", "running", "done") and states[b] in ("queued", "running", "done")
    if how == "sigterm" and states[a] != "done":
        assert states[a] == "queued"  # put back by the worker on its way out
    second = ServerProcess(db)
    try:
        with httpx.Client(base_url=second.url, timeout=30) as client:
            done_a = wait_job(client, a)
            done_b = wait_job(client, b)
            assert done_a["state"] == "done" and done_b["state"] == "done"
            listing = client.get("/api/stories").json()
            assert sum(s["size"] for s in listing["stories"]) == len(list(SAMPLE.iterdir())) + 1
            assert all(s["analysed"] for s in listing["stories"])
        assert second.signal(signal.SIGTERM) in (143, -signal.SIGTERM)
    finally:
        if second.proc.poll() is None:
            second.kill_group()
    store = open_store(f"sqlite:///{db}")
    try:
        assert store.integrity_problems() == []
    finally:
        store.close()
