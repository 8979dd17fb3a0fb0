"""Alembic environment: always run on a connection the store hands over (never from a URL here)."""

from __future__ import annotations

from alembic import context

from storylens.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a hand-run `alembic` command
    raise RuntimeError("run migrations through storylens.store (it passes the connection)")
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place: later migrations copy-and-move tables
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
