"""Fixtures of the web app's tests: real uvicorn servers on loopback (see serve_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import SAMPLE, LiveServer, upload, wait_job


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    started: list[LiveServer] = []

    def make(**overrides: Any) -> LiveServer:
        overrides.setdefault("worker", False)
        server = LiveServer(tmp_path / f"serve{len(started)}.db", **overrides).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def corpus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """examples/sample added through the API by a server with its worker; analysis finished."""
    server = LiveServer(tmp_path_factory.mktemp("corpus") / "corpus.db", worker=True,
                        writes_per_minute=1000).start()
    try:
        with server.client() as client:
            resp = upload(client, sorted(SAMPLE.iterdir()))
            assert resp.status_code == 202, resp.text
            job = wait_job(client, resp.json()["id"])
            assert job["state"] == "done", job
            server.sample_job = job  # type: ignore[attr-defined]
        yield server
    finally:
        server.stop()
