"""Database URLs and engines: SQLite by default, PostgreSQL by URL.

SQLite: WAL journal (readers never wait for the writer), foreign keys on, a busy
timeout, and transactions begun by us (``BEGIN`` / ``BEGIN IMMEDIATE`` for writers) so
DDL and DML share one transaction and a killed process leaves nothing half-written.
PostgreSQL: psycopg 3.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from storylens.errors import StorylensError

__all__ = ["DEFAULT_URL", "Target", "parse_target", "make_engine", "classify", "WRITE", "can_write",
           "read_only_target"]

DEFAULT_URL = "sqlite:///storylens.db"
#: execution option: this connection's transactions write (SQLite: BEGIN IMMEDIATE)
WRITE = "storylens_write"
BUSY_TIMEOUT_S = 30


@dataclass(frozen=True)
class Target:
    url: URL
    #: the URL as shown to the user (password hidden)
    display: str
    backend: str
    #: the SQLite file, None for PostgreSQL and in-memory SQLite
    path: Path | None


def parse_target(text: str | None) -> Target:
    """Check a ``--db`` URL; raise SL055 for anything but SQLite or PostgreSQL."""
    text = (text or DEFAULT_URL).strip()
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise StorylensError("SL055", text, str(exc).splitlines()[0] if str(exc) else None) from exc
    name = url.drivername
    if name in ("sqlite", "sqlite+pysqlite"):
        database = url.database or ""
        path = None if database in ("", ":memory:") or database.startswith("file:") else Path(database)
        return Target(url=url.set(drivername="sqlite+pysqlite"), display=_display(url), backend="sqlite", path=path)
    if name in ("postgresql", "postgres", "postgresql+psycopg"):
        url = url.set(drivername="postgresql+psycopg")
        return Target(url=url, display=_display(url), backend="postgresql", path=None)
    raise StorylensError("SL055", _display(url), f"driver {name!r}")


def can_write(folder: Path) -> bool:
    """Whether we may create files in ``folder`` (tried, not guessed: root ignores mode bits
    but not a read-only file system)."""
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".storylens-probe-"):
            return True
    except OSError:
        return False


def read_only_target(target: Target) -> Target:
    """The same SQLite file opened immutable: for reading a database in a folder nobody can
    write to (SQLite cannot otherwise open a WAL database there)."""
    assert target.path is not None
    url = target.url.set(database=f"file:{target.path.resolve()}", query={"mode": "ro", "immutable": "1", "uri": "true"})
    return Target(url=url, display=target.display, backend="sqlite", path=target.path)


def _display(url: URL) -> str:
    shown = unquote(url.render_as_string(hide_password=True))
    return shown.replace("postgresql+psycopg://", "postgresql://").replace("sqlite+pysqlite://", "sqlite://")


def make_engine(target: Target) -> Engine:
    if target.backend == "sqlite":
        return _sqlite_engine(target)
    return create_engine(target.url, connect_args={"connect_timeout": 10}, pool_pre_ping=True)


def _sqlite_engine(target: Target) -> Engine:
    engine = create_engine(target.url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # the driver's own implicit transactions would not cover DDL; we begin them ourselves
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            mode = cur.execute("PRAGMA journal_mode").fetchone()
            if mode and str(mode[0]).lower() != "wal" and target.path is not None:
                try:
                    cur.execute("PRAGMA journal_mode=WAL")
                except sqlite3.OperationalError as exc:
                    # a read-only file or directory keeps its journal mode; writes fail later
                    if "readonly" not in str(exc) and "read-only" not in str(exc):
                        raise
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

    return engine


def classify(exc: BaseException, target: Target) -> StorylensError:
    """The one-line, coded error for a failure to open or use the database."""
    if isinstance(exc, StorylensError):
        return exc
    orig: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = text.lower()
    src = target.display
    if target.backend == "sqlite":
        if "not a database" in low or "malformed" in low or "file is encrypted" in low:
            return StorylensError("SL051", src, text)
        if "readonly" in low or "read-only" in low:
            return StorylensError("SL053", src, text)
        if "locked" in low or "busy" in low:
            return StorylensError("SL057", src, text)
        if "unable to open" in low and target.path is not None:
            folder = target.path.resolve().parent
            if not folder.is_dir():
                return StorylensError("SL050", src, f"folder {folder} does not exist")
            if not can_write(folder) or (target.path.exists() and not os.access(target.path, os.W_OK)):
                return StorylensError("SL053", src, f"cannot write in {folder}")
        if isinstance(orig, PermissionError) or "permission denied" in low:
            return StorylensError("SL053", src, text)
        return StorylensError("SL050", src, text)
    # PostgreSQL (psycopg): no server, wrong port, socket missing, host down
    if any(k in low for k in ("connection refused", "could not connect", "no such file or directory",
                              "timeout expired", "connection failed", "could not translate host")):
        return StorylensError("SL052", src, text)
    if "read-only" in low or "readonly" in low or "permission denied" in low:
        return StorylensError("SL053", src, text)
    return StorylensError("SL050", src, text)
