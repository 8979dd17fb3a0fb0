"""Property-based test of the REST API from its own OpenAPI document (schemathesis):
whatever a client sends, the server answers without a 5xx."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from serve_helpers import LiveServer

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402


@pytest.fixture(scope="module")
def fuzz_server(corpus_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A copy of the analysed corpus, served without a worker (fuzzed uploads only queue)."""
    copy = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    src = sqlite3.connect(corpus_server.db_url.removeprefix("sqlite:///"))
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    server = LiveServer(copy, worker=False, writes_per_minute=100_000).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api_schema(fuzz_server: LiveServer) -> Any:
    return schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json")


def test_no_input_makes_the_server_fail(api_schema: Any) -> None:
    """Every operation, 30 generated requests each (schemathesis' pytest plugin is not used:
    its fixture loader does not run under this pytest version)."""
    from hypothesis import given

    tried = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        tried.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error], timeout=30)

        run()
    assert len(tried) >= 7, tried


def test_the_schema_documents_every_api_route(api_schema: Any, fuzz_server: LiveServer) -> None:
    paths = set(api_schema.raw_schema["paths"])
    assert {"/api/documents", "/api/jobs/{job_id}", "/api/jobs/{job_id}/events", "/api/jobs/{job_id}/cancel",
            "/api/stories", "/api/stories/{story_id}", "/api/documents/{doc_id}"} <= paths
    with fuzz_server.client() as client:
        docs = client.get("/docs")
        assert docs.status_code == 200
        for path in paths:
            assert path in docs.text
