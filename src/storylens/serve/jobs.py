"""Accepted uploads as jobs in the store's ``jobs`` table.

A job row is written with its whole input (file bytes, pasted text, URLs) before the
server answers 202, so an accepted job survives a restart: the worker runs every row
of kind ``upload`` that is ``queued``, or was ``running``/``interrupted`` when a
process died. Re-running one is safe: documents have content-hash ids, so the ones
stored before the interruption are skipped. When a job ends its input is replaced by
a summary (names only), so the table stays small.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from storylens.store import Store
from storylens.store import schema as t

__all__ = [
    "KIND", "RESUMABLE", "TERMINAL", "JobInput", "enqueue", "get_job", "request_cancel", "next_job",
    "job_inputs", "set_state", "finish", "count_waiting", "safe_name", "ACCEPTED_SUFFIXES",
]

KIND = "upload"
#: states the worker picks up (``running``/``interrupted``: a process died while running it)
RESUMABLE = ("queued", "running", "interrupted")
TERMINAL = ("done", "failed", "cancelled")
#: file types an upload may have (what ingest reads, and ``NAME.meta.json`` metadata sidecars),
#: longest first so ``.warc.gz`` wins
ACCEPTED_SUFFIXES = (".meta.json", ".warc.gz", ".jsonl.gz", ".txt", ".md", ".html", ".htm", ".jsonl", ".ndjson", ".warc",
                     ".rss", ".atom", ".xml")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _now() -> datetime:
    return datetime.now(UTC)


def safe_name(name: str) -> str | None:
    """A user's file name reduced to a harmless base name, or None when its type is not accepted.

    Directories, drive letters, dots at the start and every character but letters,
    digits, ``.``, ``_`` and ``-`` are dropped: the name is only ever used inside the
    job's own folder, never as given.
    """
    base = re.split(r"[\\/]", name)[-1].strip()
    lower = base.lower()
    suffix = next((s for s in ACCEPTED_SUFFIXES if lower.endswith(s)), None)
    if suffix is None:
        return None
    stem = _UNSAFE.sub("_", base[: len(base) - len(suffix)]).strip("._-")[:60] or "file"
    return stem + suffix


@dataclass
class JobInput:
    """One thing to add: a file's bytes, pasted text, or a URL to fetch."""

    kind: str  # "file" | "text" | "url" | "sidecar" (metadata of the pasted text)
    name: str
    data: bytes = b""

    def to_json(self) -> dict[str, str]:
        if self.kind == "url":
            return {"kind": "url", "name": self.name}
        return {"kind": self.kind, "name": self.name, "data": base64.b64encode(self.data).decode("ascii")}

    @classmethod
    def from_json(cls, item: dict[str, str]) -> JobInput:
        return cls(kind=item["kind"], name=item["name"], data=base64.b64decode(item.get("data", "")))


def enqueue(store: Store, inputs: list[JobInput], fetch: bool) -> int:
    """Persist a job and its input (committed before this returns)."""
    when = _now()
    params = {"inputs": [i.to_json() for i in inputs], "fetch": fetch, "origin": "web"}
    with store.write() as conn:
        result = conn.execute(insert(t.jobs).values(
            kind=KIND, state="queued", created_at=when, updated_at=when, params=json.dumps(params)))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def _public(row: Any) -> dict[str, Any]:
    params = json.loads(row.params or "{}")
    inputs = [{"kind": i.get("kind"), "name": i.get("name")} for i in params.get("inputs", [])]
    return {
        "id": row.id, "kind": row.kind, "state": row.state, "phase": row.message,
        "done": row.done, "total": row.total,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
        "inputs": inputs, "result": params.get("result"),
    }


def get_job(store: Store, job_id: int) -> dict[str, Any] | None:
    """A job as the API shows it (never its input data)."""
    with store.read() as conn:
        row = conn.execute(select(t.jobs).where(t.jobs.c.id == job_id)).first()
    return _public(row) if row is not None else None


def count_waiting(store: Store) -> int:
    from sqlalchemy import func

    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(t.jobs).where(
            t.jobs.c.kind == KIND, t.jobs.c.state == "queued")).scalar_one())


def request_cancel(store: Store, job_id: int) -> dict[str, Any] | None:
    """A queued job is cancelled at once; a running one is asked to stop (``cancelling``)."""
    with store.write() as conn:
        row = conn.execute(select(t.jobs.c.state, t.jobs.c.kind).where(t.jobs.c.id == job_id)).first()
        if row is None:
            return None
        if row.kind == KIND and row.state in ("queued", "interrupted"):
            conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(state="cancelled", updated_at=_now()))
        elif row.kind == KIND and row.state == "running":
            conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(state="cancelling", updated_at=_now()))
    return get_job(store, job_id)


def next_job(store: Store) -> int | None:
    """The oldest job the worker should run (queued, or left running by a dead process)."""
    with store.read() as conn:
        found = conn.execute(select(t.jobs.c.id).where(
            t.jobs.c.kind == KIND, t.jobs.c.state.in_(RESUMABLE + ("cancelling",))).order_by(t.jobs.c.id).limit(1)
        ).scalar()
    return int(found) if found is not None else None


def job_inputs(store: Store, job_id: int) -> tuple[str, list[JobInput], bool]:
    """State, inputs and whether to fetch URLs, as persisted."""
    with store.read() as conn:
        row = conn.execute(select(t.jobs.c.state, t.jobs.c.params).where(t.jobs.c.id == job_id)).one()
    params = json.loads(row.params or "{}")
    return row.state, [JobInput.from_json(i) for i in params.get("inputs", [])], bool(params.get("fetch"))


def set_state(store: Store, job_id: int, state: str, phase: str | None = None) -> None:
    values: dict[str, Any] = {"state": state, "updated_at": _now()}
    if phase is not None:
        values["message"] = phase
    with store.write() as conn:
        conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(**values))


def finish(store: Store, job_id: int, state: str, phase: str, result: dict[str, Any]) -> None:
    """End a job: its state, a summary of what happened, and its input dropped (names kept)."""
    with store.write() as conn:
        row = conn.execute(select(t.jobs.c.params).where(t.jobs.c.id == job_id)).one()
        params = json.loads(row.params or "{}")
        params["inputs"] = [{"kind": i.get("kind"), "name": i.get("name")} for i in params.get("inputs", [])]
        params["result"] = result
        conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(
            state=state, message=phase, updated_at=_now(), params=json.dumps(params)))
