"""Bad databases: each a one-line error with its SL05x code, exit code 4, nothing stored lost.

Also: the migrations produce exactly the tables the code expects, on both backends.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from store_corpus import articles, write_jsonl
from typer.testing import CliRunner, Result

import storylens.cli as cli
from storylens.errors import EXIT_DATABASE, EXIT_USAGE
from storylens.store import open_store
from storylens.store.migrate import head_revision
from storylens.store.schema import metadata

ERROR_LINE = re.compile(r"^(?P<source>.+): error (?P<code>SL\d{3}): (?P<reason>.+)$")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def one_error(result: Result, code: str, exit_code: int = EXIT_DATABASE) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    m = ERROR_LINE.match(lines[0])
    assert m and m.group("code") == code, lines[0]
    assert "Traceback" not in result.output
    assert result.exit_code == exit_code, (result.exit_code, lines[0])
    return lines[0]


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "one.jsonl", articles(per_event=1)[:1])


def test_migrations_create_exactly_the_schema(db_url: str) -> None:
    with open_store(db_url) as store, store.read() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_heads() == (head_revision(),)
        assert compare_metadata(ctx, metadata) == []
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_corrupted_sqlite_file(tmp_path: Path, article: Path) -> None:
    db = tmp_path / "broken.db"
    garbage = b"this is not a database, just bytes " * 200
    db.write_bytes(garbage)
    line = one_error(invoke("add", str(article), "--db", f"sqlite:///{db}"), "SL051")
    assert str(db) in line
    one_error(invoke("stories", "--db", f"sqlite:///{db}"), "SL051")
    assert db.read_bytes() == garbage, "the file was changed"


def test_truncated_database_file(tmp_path: Path, article: Path) -> None:
    db = tmp_path / "cut.db"
    assert invoke("add", str(article), "--db", f"sqlite:///{db}", "--quiet").exit_code == 0
    data = db.read_bytes()
    db.write_bytes(data[:100] + b"\0" * 50 + data[150 : len(data) // 2])
    result = invoke("stories", "--db", f"sqlite:///{db}")
    one_error(result, "SL051")


def test_sqlite_file_of_another_program(tmp_path: Path, article: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    one_error(invoke("add", str(article), "--db", f"sqlite:///{db}"), "SL051")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("invoices",)]


def test_postgresql_refusing_the_connection(article: Path, tmp_path: Path) -> None:
    # a socket folder with no server in it, and a TCP port nothing listens on
    one_error(invoke("add", str(article), "--db", f"postgresql://storylens@/corpus?host={tmp_path}"), "SL052")
    one_error(invoke("stories", "--db", "postgresql://storylens@127.0.0.1:1/corpus"), "SL052")


def test_newer_schema_is_refused(db_url: str, article: Path) -> None:
    assert invoke("add", str(article), "--db", db_url, "--quiet").exit_code == 0
    with open_store(db_url) as store, store.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    for args in (["add", str(article)], ["stories"], ["show", "anything"]):
        line = one_error(invoke(*args, "--db", db_url), "SL054")
        assert "0099_from_the_future" in line
    with pytest.raises(Exception, match="SL054"):
        open_store(db_url)


def test_unsupported_url_and_missing_database(tmp_path: Path) -> None:
    one_error(invoke("stories", "--db", "mysql://root@localhost/news"), "SL055")
    one_error(invoke("stories", "--db", "not a url"), "SL055")
    one_error(invoke("stories", "--db", f"sqlite:///{tmp_path}/none.db"), "SL050")
    assert not (tmp_path / "none.db").exists()
    one_error(invoke("add", "x.txt", "--db", f"sqlite:///{tmp_path}/no/such/folder/c.db"), "SL050")


def test_unknown_story(db_url: str, article: Path) -> None:
    assert invoke("add", str(article), "--db", db_url, "--quiet").exit_code == 0
    one_error(invoke("show", "no-such-story", "--db", db_url), "SL056", EXIT_USAGE)


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` as a location we cannot write: its mode bits, or as root (who ignores
    them) a read-only bind mount of it; skipped when neither is possible here."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    view = Path(tempfile.mkdtemp(prefix="slro-"))
    mounted = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True, text=True)
    if mounted.returncode != 0:
        view.rmdir()
        pytest.skip(f"as root, a read-only location needs a bind mount: {mounted.stderr.strip()}")
    try:
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True, text=True)
        if ro.returncode != 0:
            pytest.skip(f"could not make a read-only bind mount: {ro.stderr.strip()}")
        yield view
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)
        view.rmdir()


def test_read_only_location(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "one.jsonl", articles(per_event=1)[:1])
    more = write_jsonl(tmp_path / "more.jsonl", articles(per_event=1)[1:2])
    empty = tmp_path / "empty"
    empty.mkdir()
    full = tmp_path / "full"
    full.mkdir()
    assert invoke("add", str(src), "--db", f"sqlite:///{full}/c.db", "--quiet").exit_code == 0
    (full / "c.db.lock").unlink()
    size = (full / "c.db").stat().st_size
    # a new database where we cannot write
    with read_only(empty) as ro:
        one_error(invoke("add", str(src), "--db", f"sqlite:///{ro}/c.db"), "SL053")
    assert list(empty.iterdir()) == []
    # an existing database we can read but not write: listing works, adding is refused
    with read_only(full) as ro:
        listed = invoke("stories", "--db", f"sqlite:///{ro}/c.db", "-f", "json")
        assert listed.exit_code == 0, listed.output
        assert '"size": 1' in listed.stdout
        one_error(invoke("add", str(more), "--db", f"sqlite:///{ro}/c.db"), "SL053")
    assert (full / "c.db").stat().st_size == size
    assert sorted(p.name for p in full.iterdir()) == ["c.db"]
