"""Helpers for the web app's tests (imported by conftest.py and the tests; a module name no
other test folder uses). Real servers for the web app's tests: uvicorn on a free loopback port, a real SQLite file.

``live_server(**settings)`` starts uvicorn in a thread of the test process (the job
worker, when on, is its own process as in production). ``corpus_server`` is one
server per session that has been given examples/sample through the API and has
finished analysing it; the read, browser and property tests share it.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample"
JOB_TIMEOUT_S = 400


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, db_path: Path, **overrides: Any) -> None:
        import uvicorn

        from storylens.serve.app import create_app
        from storylens.serve.settings import ServeSettings

        self.port = free_port()
        self.db_url = f"sqlite:///{db_path}"
        self.settings = ServeSettings(db=self.db_url, port=self.port, **overrides)
        self.app = create_app(self.settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(40)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)


def wait_job(client: httpx.Client, job_id: int, timeout: float = JOB_TIMEOUT_S) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['state']} after {timeout}s")
        time.sleep(0.3)


def upload(client: httpx.Client, paths: list[Path], **data: str) -> httpx.Response:
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    return client.post("/api/documents", files=files or None, data=data or None)
