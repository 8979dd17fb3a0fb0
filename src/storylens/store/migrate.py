"""Schema versions: migrate an older database forward, refuse a newer one.

The migrations are Alembic scripts shipped in the package; the database's
``alembic_version`` row names the last one applied. A revision this storylens does
not know was written by a newer version: we stop with SL054 rather than guess.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from storylens.errors import StorylensError

__all__ = ["head_revision", "known_revisions", "upgrade", "current_revision"]

SCRIPT_LOCATION = "storylens.store:migrations"
#: PostgreSQL advisory lock key: two processes never migrate at once
_PG_LOCK = 0x5354_4F52


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in _script().walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    heads = MigrationContext.configure(conn).get_current_heads()
    return heads[0] if heads else None


def upgrade(conn: Connection, source: str) -> bool:
    """Bring the schema to the head revision inside the caller's write transaction.

    Returns True when something was applied. Raises SL054 for a newer database and
    SL051 for a database whose tables are not ours.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    current = current_revision(conn)
    head = head_revision()
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise StorylensError("SL054", source, f"schema {current}; this storylens knows up to {head}; upgrade storylens")
    if current is None:
        tables = set(inspect(conn).get_table_names())
        if tables:
            raise StorylensError("SL051", source, f"it has other tables ({', '.join(sorted(tables)[:3])})")
    cfg = _config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
    return True


def check(conn: Connection, source: str) -> None:
    """For read-only use: the schema must be exactly the one this version writes."""
    current = current_revision(conn)
    head = head_revision()
    if current == head:
        return
    if current is None:
        tables = set(inspect(conn).get_table_names())
        detail = "empty database: run 'storylens add' first" if not tables else "it has other tables"
        raise StorylensError("SL051", source, detail)
    if current not in known_revisions():
        raise StorylensError("SL054", source, f"schema {current}; this storylens knows up to {head}; upgrade storylens")
