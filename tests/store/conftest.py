"""A real PostgreSQL server for the store tests, started by the test run itself.

A throwaway cluster (pgserver.py) listens only on a Unix socket in a temporary folder
and is stopped at the end of the session. When no PostgreSQL is installed or it cannot
start, the PostgreSQL tests are skipped with the reason; SQLite tests always run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import PostgresServer, pg_bindir

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb; `make setup` installs Debian's postgresql as root)")
    try:
        server = PostgresServer(bindir)
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"PostgreSQL could not be started: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corpus.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()
