"""The corpus store: every read and write of the database goes through ``Store``.

Writes are transactions that leave the database consistent on their own: one per
added document (document, annotation, vectors, features, membership, story row),
one per linked story (its analysis, claims and contradictions replaced together).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from storylens.errors import StorylensError
from storylens.models import Analysis, Document
from storylens.store import migrate
from storylens.store import schema as t
from storylens.store.assign import AssignmentLike, MergeLike, StoredFeatures
from storylens.store.chunks import chunks, join_chunks
from storylens.store.engine import (
    WRITE,
    Target,
    can_write,
    classify,
    make_engine,
    parse_target,
    read_only_target,
)
from storylens.storify.stream import StoryMerge

__all__ = ["Store", "StoryRow", "docs_key", "open_store"]

_PG_WRITER_LOCK = 0x5354_4F57


def now() -> datetime:
    return datetime.now(UTC)


def docs_key(doc_ids: Sequence[str]) -> str:
    return hashlib.sha256("|".join(doc_ids).encode()).hexdigest()[:32]


def _dated(doc: Document) -> bool:
    return bool(doc.published and doc.published[:4].isdigit())


def _day(doc: Document, added: datetime) -> str:
    """The date a document counts for: its publication day, else the day it was added."""
    return (doc.published or "")[:10] if _dated(doc) else added.date().isoformat()


def _has_dated_member(conn: Connection, story_id: str) -> bool:
    """Whether a document of the story has a publication date: then its first and last seen
    are publication days only (an undated article added today does not stretch a story
    published two years ago to today); a story of undated documents only uses the days they
    were added."""
    found = conn.execute(
        select(t.documents.c.id)
        .join(t.story_members, t.story_members.c.doc_id == t.documents.c.id)
        .where(t.story_members.c.story_id == story_id, t.documents.c.published.is_not(None),
               func.substr(t.documents.c.published, 1, 1).between("0", "9"))
        .limit(1)
    ).first()
    return found is not None


def _seen_range(
    a: tuple[str | None, str | None, bool], b: tuple[str | None, str | None, bool]
) -> tuple[str | None, str | None]:
    """First and last seen of two (first, last, dated) ranges together: dated days win over
    days of adding."""
    parts = [r for r in (a, b) if r[2]] or [a, b]
    firsts = [r[0] for r in parts if r[0]]
    lasts = [r[1] for r in parts if r[1]]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


@dataclass
class StoryRow:
    id: str
    label: str
    size: int
    outlets: list[str]
    first_seen: str | None
    last_seen: str | None
    claims: int
    open_contradictions: int
    needs_link: bool
    documents: list[dict[str, str | None]] = field(default_factory=list)


class Store:
    """One database (SQLite file or PostgreSQL), migrated to this version's schema."""

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        self.target: Target = parse_target(url)
        self.display = self.target.display
        path = self.target.path
        if path is not None and not create and not path.exists():
            raise StorylensError("SL050", self.display, "no database there yet: run 'storylens add' first")
        #: opened for reading only (an SQLite file in a folder we cannot write)
        self.read_only = False
        if (path is not None and not create and not can_write(path.resolve().parent)
                and not Path(f"{path}-wal").exists()):
            # no -wal file and nobody can create one: no writer is active, the file is complete
            self.target = read_only_target(self.target)
            self.read_only = True
        self.engine = make_engine(self.target)
        self._lock_file: IO[bytes] | None = None
        self._lock_conn: Connection | None = None
        try:
            with self.engine.connect() as conn:
                current = migrate.current_revision(conn)
            if current != migrate.head_revision():
                if self.read_only:
                    with self.engine.connect() as conn:
                        migrate.check(conn, self.display)
                    raise StorylensError("SL053", self.display, "its schema needs an upgrade, which needs writing")
                with self.write() as conn:
                    migrate.upgrade(conn, self.display)
        except StorylensError:
            self.engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as exc:
            self.engine.dispose()
            raise classify(exc, self.target) from exc

    # -- connections and locks ------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking)."""
        with self.engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def lock_writer(self, wait_s: float = 15.0) -> None:
        """Become the only writer (add, link) until ``close``; a killed process releases it."""
        if self._lock_file is not None or self._lock_conn is not None:
            return
        if self.read_only:
            raise StorylensError("SL053", self.display, "opened read-only")
        deadline = time.monotonic() + wait_s
        if self.target.backend == "sqlite":
            if self.target.path is None:
                return
            path = f"{self.target.path}.lock"
            try:
                self._lock_file = open(path, "ab")  # noqa: SIM115 - held until close()
            except OSError as exc:
                raise StorylensError("SL053", self.display, f"cannot create {path} ({exc.strerror})") from exc
            while True:
                try:
                    fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StorylensError("SL057", self.display) from None
                    time.sleep(0.1)
        conn = self.engine.connect()
        while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_WRITER_LOCK}).scalar():
            conn.commit()
            if time.monotonic() > deadline:
                conn.close()
                raise StorylensError("SL057", self.display)
            time.sleep(0.1)
        conn.commit()
        self._lock_conn = conn

    def close(self) -> None:
        if self._lock_conn is not None:
            self._lock_conn.close()
            self._lock_conn = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity_problems(self) -> list[str]:
        """SQLite's own check plus the store's invariants; empty when all is well."""
        problems: list[str] = []
        with self.read() as conn:
            if self.target.backend == "sqlite":
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
                if rows != ["ok"]:
                    problems += [f"integrity_check: {r}" for r in rows]
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                problems += [f"foreign key: {tuple(r)}" for r in fk]
            orphan = conn.execute(
                select(func.count()).select_from(t.documents).where(
                    ~t.documents.c.id.in_(select(t.story_members.c.doc_id)))
            ).scalar_one()
            if orphan:
                problems.append(f"{orphan} documents without a story")
            for table in (t.annotation_records, t.doc_features):
                missing = conn.execute(
                    select(func.count()).select_from(t.documents).where(~t.documents.c.id.in_(select(table.c.doc_id)))
                ).scalar_one()
                if missing:
                    problems.append(f"{missing} documents without {table.name}")
            sizes = conn.execute(
                select(t.stories.c.id, t.stories.c.size, func.count(t.story_members.c.doc_id))
                .select_from(t.stories.outerjoin(t.story_members, t.story_members.c.story_id == t.stories.c.id))
                .group_by(t.stories.c.id, t.stories.c.size)
            ).all()
            problems += [f"story {sid} says {size} documents, has {n}" for sid, size, n in sizes if size != n]
        return problems

    # -- documents ------------------------------------------------------------------------
    def known(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        with self.read() as conn:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                found.update(conn.execute(select(t.documents.c.id).where(t.documents.c.id.in_(chunk))).scalars())
        return found

    def count_documents(self) -> int:
        with self.read() as conn:
            return int(conn.execute(select(func.count()).select_from(t.documents)).scalar_one())

    def note_source(self, doc_id: str, source: str, url: str | None, outlet: str | None) -> bool:
        """Remember another place a stored text was seen; False when it was known already."""
        with self.write() as conn:
            seen = conn.execute(select(t.document_sources.c.source).where(
                and_(t.document_sources.c.doc_id == doc_id, t.document_sources.c.source == source))).first()
            if seen is not None:
                return False
            conn.execute(insert(t.document_sources).values(
                doc_id=doc_id, source=source, url=url, outlet=outlet, seen_at=now()))
            if outlet:
                story_id = conn.execute(select(t.story_members.c.story_id).where(
                    t.story_members.c.doc_id == doc_id)).scalar_one_or_none()
                if story_id is not None:
                    row = conn.execute(select(t.stories.c.outlets).where(t.stories.c.id == story_id)).scalar_one()
                    outlets = sorted(set(json.loads(row)) | {outlet})
                    conn.execute(update(t.stories).where(t.stories.c.id == story_id).values(outlets=json.dumps(outlets)))
            return True

    def add_document(
        self,
        doc: Document,
        annotation: tuple[str, str],
        vectors: dict[str, tuple[str, np.ndarray]],
        features: tuple[str, dict[str, Any]],
        assignment: AssignmentLike,
        label: str,
    ) -> None:
        """Store one annotated document in its story, all in one transaction."""
        with self.write() as conn:
            self.insert_document(conn, doc, annotation, vectors, features, assignment, label)

    def insert_document(
        self,
        conn: Connection,
        doc: Document,
        annotation: tuple[str, str],
        vectors: dict[str, tuple[str, np.ndarray]],
        features: tuple[str, dict[str, Any]],
        assignment: AssignmentLike,
        label: str,
    ) -> None:
        """``add_document`` inside the caller's transaction (bulk loads write many per transaction)."""
        added = now()
        conn.execute(insert(t.documents).values(
            id=doc.id, source=doc.source, url=doc.url, outlet=doc.outlet, title=doc.title,
            published=doc.published, words=doc.words, added_at=added, record=doc.model_dump_json()))
        conn.execute(insert(t.document_sources).values(
            doc_id=doc.id, source=doc.source, url=doc.url, outlet=doc.outlet, seen_at=added))
        conn.execute(insert(t.annotation_records).values(doc_id=doc.id, format=annotation[0], record=annotation[1]))
        for kind, (model, array) in vectors.items():
            arr = np.ascontiguousarray(array, dtype=np.float32)
            if arr.ndim == 1:
                arr = arr[None, :]
            conn.execute(insert(t.vectors).values(
                doc_id=doc.id, kind=kind, model=model, rows=arr.shape[0], dim=arr.shape[1] if arr.size else 0,
                data=arr.tobytes()))
        conn.execute(insert(t.doc_features).values(
            doc_id=doc.id, assigner=features[0], data=json.dumps(features[1], sort_keys=True)))
        for merge in assignment.merges:
            self._merge(conn, merge, added)
        sid = self._living(conn, assignment.story_id)
        story = conn.execute(select(t.stories).where(t.stories.c.id == sid)).first()
        day = _day(doc, added)
        if story is None:
            conn.execute(insert(t.stories).values(
                id=sid, label=label, created_at=added, updated_at=added, size=1,
                outlets=json.dumps([doc.outlet] if doc.outlet else []), first_seen=day, last_seen=day,
                needs_link=True))
        else:
            outlets = set(json.loads(story.outlets)) | ({doc.outlet} if doc.outlet else set())
            first, last = _seen_range((story.first_seen, story.last_seen, _has_dated_member(conn, sid)),
                                      (day, day, _dated(doc)))
            conn.execute(update(t.stories).where(t.stories.c.id == sid).values(
                updated_at=added, size=t.stories.c.size + 1, outlets=json.dumps(sorted(outlets)),
                first_seen=first, last_seen=last, needs_link=True))
        conn.execute(insert(t.story_members).values(doc_id=doc.id, story_id=sid, added_at=added,
                                                    assigned_story=assignment.story_id))

    def _living(self, conn: Connection, story_id: str) -> str:
        """Follow recorded merges from ``story_id`` to the story that holds its documents now."""
        seen = set()
        while story_id not in seen:
            seen.add(story_id)
            into = conn.execute(select(t.story_merges.c.new_id).where(t.story_merges.c.old_id == story_id)).scalar()
            if into is None:
                return story_id
            story_id = into
        return story_id

    def _merge(self, conn: Connection, merge: MergeLike, when: datetime) -> None:
        """Story ``absorbed`` is ``into``: move its documents, drop its results, record the merge."""
        old, new = self._living(conn, merge.absorbed), self._living(conn, merge.into)
        old_row = conn.execute(select(t.stories).where(t.stories.c.id == old)).first()
        if old_row is None or old == new:
            return
        dated = {sid: _has_dated_member(conn, sid) for sid in (old, new)}
        conn.execute(update(t.story_members).where(t.story_members.c.story_id == old).values(story_id=new))
        new_row = conn.execute(select(t.stories).where(t.stories.c.id == new)).first()
        if new_row is None:
            conn.execute(insert(t.stories).values(
                id=new, label=old_row.label, created_at=when, updated_at=when, size=0, outlets="[]",
                first_seen=old_row.first_seen, last_seen=old_row.last_seen, needs_link=True))
            new_row = conn.execute(select(t.stories).where(t.stories.c.id == new)).one()
        outlets = sorted(set(json.loads(old_row.outlets)) | set(json.loads(new_row.outlets)))
        first, last = _seen_range((old_row.first_seen, old_row.last_seen, dated[old]),
                                  (new_row.first_seen, new_row.last_seen, dated[new]))
        conn.execute(update(t.stories).where(t.stories.c.id == new).values(
            size=t.stories.c.size + old_row.size, outlets=json.dumps(outlets), updated_at=when,
            first_seen=first, last_seen=last, needs_link=True))
        conn.execute(delete(t.stories).where(t.stories.c.id == old))
        # as the assigner said it (absorbed → into, arrival number): its replay needs its own ids
        recorded = conn.execute(select(t.story_merges.c.old_id).where(t.story_merges.c.old_id == merge.absorbed))
        if recorded.first() is None:
            conn.execute(insert(t.story_merges).values(old_id=merge.absorbed, new_id=merge.into, merged_at=when,
                                                       at=merge.at, similarity=merge.similarity))

    def apply_merges(self, merges: Iterable[MergeLike]) -> None:
        """Merges decided outside an assignment (the assigner settling lone documents), together."""
        when = now()
        with self.write() as conn:
            for merge in merges:
                self._merge(conn, merge, when)

    def merge_records(self) -> list[StoryMerge]:
        """Every recorded merge in the order it happened, as the assigner's ``load`` takes them."""
        with self.read() as conn:
            rows = conn.execute(select(t.story_merges).order_by(t.story_merges.c.merged_at, t.story_merges.c.at))
            return [StoryMerge(absorbed=r.old_id, into=r.new_id, at=r.at if r.at is not None else -1,
                               similarity=r.similarity or 0.0) for r in rows]

    def stored_features(self, after_seq: int = 0) -> Iterator[StoredFeatures]:
        """Every document's lead vector and features with its story, in insertion order
        (only those stored after document ``after_seq``, when given)."""
        with self.read() as conn:
            # the story each document was given on arrival: the assigner replays merges itself
            assigned = func.coalesce(t.story_members.c.assigned_story, t.story_members.c.story_id)
            rows = conn.execute(
                select(t.documents.c.id, assigned, t.vectors.c.data, t.vectors.c.dim, t.doc_features.c.data)
                .join(t.story_members, t.story_members.c.doc_id == t.documents.c.id)
                .join(t.vectors, and_(t.vectors.c.doc_id == t.documents.c.id, t.vectors.c.kind == "lead"))
                .join(t.doc_features, t.doc_features.c.doc_id == t.documents.c.id)
                .where(t.documents.c.seq > after_seq)
                .order_by(t.documents.c.seq)
            )
            for doc_id, story_id, data, dim, feats in rows:
                yield StoredFeatures(doc_id=doc_id, story_id=story_id,
                                     lead=np.frombuffer(data, dtype=np.float32, count=dim).copy(),
                                     features=json.loads(feats))

    def assigner_snapshot(self, assigner: str) -> tuple[int, dict[str, bytes]] | None:
        """The assigner's saved state (its named parts) and the ``seq`` of the last document it
        covers, if it still describes a prefix of the stored documents (else ``None``: replay them all)."""
        with self.read() as conn:
            row = conn.execute(select(t.assigner_snapshots).where(t.assigner_snapshots.c.assigner == assigner)).first()
            if row is None:
                return None
            covered = conn.execute(select(func.count()).select_from(t.documents)
                                   .where(t.documents.c.seq <= row.last_seq)).scalar_one()
            last = conn.execute(select(t.documents.c.id).where(t.documents.c.seq == row.last_seq)).scalar()
            if covered != row.docs or last != row.last_doc:
                return None
            rows = conn.execute(select(t.assigner_chunks.c.part, t.assigner_chunks.c.chunk, t.assigner_chunks.c.data)
                                .where(t.assigner_chunks.c.assigner == assigner))
            try:
                parts = join_chunks(json.loads(row.parts), ((p, c, zlib.decompress(d)) for p, c, d in rows))
            except zlib.error:
                return None  # not a snapshot this version wrote: replay instead
            return int(row.last_seq), parts

    def save_assigner_snapshot(self, assigner: str, docs: int, parts: dict[str, bytes | memoryview]) -> int | None:
        """Keep the assigner's state as of the ``docs`` documents stored so far (all of them:
        the caller holds the writer lock), writing only the chunks that changed since the last
        save (``store.chunks``), each compressed (zlib, fast level: the fixed-size tables are mostly
        zeros while the corpus is small). The bytes written, or ``None`` when the count does not
        match what is stored."""
        ac = t.assigner_chunks
        with self.write() as conn:
            last_seq, count = conn.execute(select(func.max(t.documents.c.seq), func.count())
                                           .select_from(t.documents)).one()
            if count != docs or last_seq is None:
                return None
            last_doc = conn.execute(select(t.documents.c.id).where(t.documents.c.seq == last_seq)).scalar_one()
            stored = {(p, c): d for p, c, d in conn.execute(select(ac.c.part, ac.c.chunk, ac.c.digest)
                                                            .where(ac.c.assigner == assigner))}
            written = 0
            for part, number, digest, piece in chunks(parts):
                old = stored.pop((part, number), None)
                if piece is None or old == digest:
                    if piece is None and old is not None:
                        conn.execute(delete(ac).where(ac.c.assigner == assigner, ac.c.part == part, ac.c.chunk == number))
                    continue
                packed = zlib.compress(piece, 1)
                if old is None:
                    conn.execute(insert(ac).values(assigner=assigner, part=part, chunk=number, digest=digest,
                                                   data=packed))
                else:
                    conn.execute(update(ac).where(ac.c.assigner == assigner, ac.c.part == part, ac.c.chunk == number)
                                 .values(digest=digest, data=packed))
                written += len(packed)
            for part, number in stored:  # parts that shrank or went away
                conn.execute(delete(ac).where(ac.c.assigner == assigner, ac.c.part == part, ac.c.chunk == number))
            conn.execute(delete(t.assigner_snapshots).where(t.assigner_snapshots.c.assigner == assigner))
            conn.execute(insert(t.assigner_snapshots).values(
                assigner=assigner, docs=docs, last_seq=int(last_seq), last_doc=last_doc, saved_at=now(),
                parts=json.dumps({name: len(memoryview(data).cast("B")) for name, data in parts.items()})))
            return written

    def merges(self) -> dict[str, str]:
        """Old story id → the id it was merged into (follow again: that one may be merged too)."""
        with self.read() as conn:
            return {old: new for old, new in conn.execute(select(t.story_merges.c.old_id, t.story_merges.c.new_id))}

    # -- stories --------------------------------------------------------------------------
    def stories_to_link(self) -> list[str]:
        with self.read() as conn:
            return list(conn.execute(
                select(t.stories.c.id).where(t.stories.c.needs_link.is_(True)).order_by(t.stories.c.created_at,
                                                                                         t.stories.c.id)
            ).scalars())

    def resolve(self, story_id: str) -> str | None:
        """A story id as given (an old merged id, or a unique prefix) → the current id."""
        with self.read() as conn:
            seen = set()
            sid = story_id
            while sid not in seen:
                seen.add(sid)
                if conn.execute(select(t.stories.c.id).where(t.stories.c.id == sid)).first() is not None:
                    return sid
                new = conn.execute(select(t.story_merges.c.new_id).where(t.story_merges.c.old_id == sid)).scalar()
                if new is None:
                    break
                sid = new
            like = story_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found = list(conn.execute(
                select(t.stories.c.id).where(t.stories.c.id.like(like, escape="\\")).limit(2)).scalars())
            return found[0] if len(found) == 1 else None

    def story_documents(self, story_id: str) -> list[Document]:
        """The story's documents as annotate left them, in the order they were added."""
        with self.read() as conn:
            rows = conn.execute(
                select(t.documents.c.record).join(t.story_members, t.story_members.c.doc_id == t.documents.c.id)
                .where(t.story_members.c.story_id == story_id).order_by(t.documents.c.seq)
            ).scalars()
            return [Document.model_validate_json(r) for r in rows]

    def annotations(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        with self.read() as conn:
            out: dict[str, tuple[str, str]] = {}
            for i in range(0, len(doc_ids), 500):
                rows = conn.execute(select(t.annotation_records.c.doc_id, t.annotation_records.c.format, t.annotation_records.c.record)
                                    .where(t.annotation_records.c.doc_id.in_(doc_ids[i : i + 500])))
                out.update({d: (f, r) for d, f, r in rows})
            return out

    def vectors(self, doc_ids: Sequence[str], kind: str) -> dict[str, np.ndarray]:
        with self.read() as conn:
            out: dict[str, np.ndarray] = {}
            for i in range(0, len(doc_ids), 500):
                rows = conn.execute(select(t.vectors.c.doc_id, t.vectors.c.rows, t.vectors.c.dim, t.vectors.c.data)
                                    .where(and_(t.vectors.c.kind == kind, t.vectors.c.doc_id.in_(doc_ids[i : i + 500]))))
                for doc_id, n, dim, data in rows:
                    out[doc_id] = np.frombuffer(data, dtype=np.float32, count=n * dim).reshape(n, dim).copy()
            return out

    def save_link(self, story_id: str, key: str, analysis: Analysis, label: str,
                  pristine: dict[str, dict[str, Any]]) -> bool:
        """Replace the story's analysis, claims and contradictions in one transaction.

        False (nothing written) when the story's documents changed since ``key`` was taken.
        """
        payload = analysis.model_dump(mode="json", by_alias=True)
        payload["documents"] = []
        # what the link steps changed on each document (source group, syndication, ...)
        doc_link = {}
        for doc in analysis.documents:
            now_fields = doc.model_dump(mode="json")
            before = json.loads(json.dumps(pristine.get(doc.id, {}), default=str))
            doc_link[doc.id] = {k: v for k, v in now_fields.items() if before.get(k) != v}
        body = json.dumps({"analysis": payload, "doc_link": doc_link})
        when = now()
        with self.write() as conn:
            members = list(conn.execute(
                select(t.story_members.c.doc_id).join(t.documents, t.documents.c.id == t.story_members.c.doc_id)
                .where(t.story_members.c.story_id == story_id).order_by(t.documents.c.seq)).scalars())
            if docs_key(members) != key:
                return False
            for table in (t.claims, t.contradictions, t.story_analyses):
                conn.execute(delete(table).where(table.c.story_id == story_id))
            conn.execute(insert(t.story_analyses).values(story_id=story_id, docs_key=key, linked_at=when,
                                                         analysis=body))
            claim_rows = {c.id: c for c in analysis.claims}
            if claim_rows:
                conn.execute(insert(t.claims), [
                    {"story_id": story_id, "id": c.id, "text": c.text, "status": c.status,
                     "independent_sources": c.independent_sources, "record": c.model_dump_json()}
                    for c in claim_rows.values()])
            contra_rows = {c.id: c for c in analysis.contradictions}
            if contra_rows:
                conn.execute(insert(t.contradictions), [
                    {"story_id": story_id, "id": c.id, "kind": c.kind, "doc_a": c.a.doc, "doc_b": c.b.doc,
                     "explanation": c.explanation, "confidence": c.confidence, "record": c.model_dump_json()}
                    for c in contra_rows.values()])
            conn.execute(update(t.stories).where(t.stories.c.id == story_id).values(
                label=label, claims=len(claim_rows), open_contradictions=len(contra_rows), needs_link=False,
                linked_at=when, updated_at=when))
        return True

    def story_analysis(self, story_id: str) -> Analysis | None:
        """The stored analysis of a story with its documents as the link stage left them."""
        with self.read() as conn:
            body = conn.execute(select(t.story_analyses.c.analysis).where(
                t.story_analyses.c.story_id == story_id)).scalar_one_or_none()
        if body is None:
            return None
        data = json.loads(body)
        analysis = Analysis.model_validate(data["analysis"])
        docs = []
        for doc in self.story_documents(story_id):
            fields = data["doc_link"].get(doc.id)
            if fields is None:
                continue
            docs.append(Document.model_validate({**doc.model_dump(), **fields}))
        analysis.documents = docs
        return analysis

    def list_stories(self, since: str | None = None, query: str | None = None,
                     with_documents: bool = False, limit: int | None = None) -> list[StoryRow]:
        s = t.stories.c
        stmt = select(t.stories).order_by(s.last_seen.desc().nulls_last(), s.size.desc(), s.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        if since:
            stmt = stmt.where(s.last_seen >= since)
        if query:
            like = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            titled = select(t.story_members.c.story_id).join(
                t.documents, t.documents.c.id == t.story_members.c.doc_id).where(
                func.lower(t.documents.c.title).like(like, escape="\\"))
            stmt = stmt.where(or_(func.lower(s.label).like(like, escape="\\"), s.id.in_(titled)))
        with self.read() as conn:
            rows = [StoryRow(id=r.id, label=r.label, size=r.size, outlets=json.loads(r.outlets),
                             first_seen=r.first_seen, last_seen=r.last_seen, claims=r.claims,
                             open_contradictions=r.open_contradictions, needs_link=bool(r.needs_link))
                    for r in conn.execute(stmt)]
            if with_documents and rows:
                by_id = {r.id: r for r in rows}
                docs = conn.execute(
                    select(t.story_members.c.story_id, t.documents.c.id, t.documents.c.url, t.documents.c.title)
                    .join(t.documents, t.documents.c.id == t.story_members.c.doc_id).order_by(t.documents.c.seq))
                for story_id, doc_id, url, title in docs:
                    if story_id in by_id:
                        by_id[story_id].documents.append({"id": doc_id, "url": url, "title": title})
        return rows

    # -- jobs -----------------------------------------------------------------------------
    def start_job(self, kind: str, params: dict[str, Any]) -> int:
        when = now()
        with self.write() as conn:
            # only the writer holding the lock runs jobs: one still "running" was killed
            conn.execute(update(t.jobs).where(t.jobs.c.state == "running").values(
                state="interrupted", updated_at=when))
            result = conn.execute(insert(t.jobs).values(
                kind=kind, state="running", created_at=when, updated_at=when, params=json.dumps(params)))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def update_job(self, job_id: int, done: int, total: int, state: str | None = None,
                   message: str | None = None) -> None:
        values: dict[str, Any] = {"done": done, "total": total, "updated_at": now()}
        if state:
            values["state"] = state
        if message is not None:
            values["message"] = message
        with self.write() as conn:
            conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(**values))

    def jobs(self) -> list[dict[str, Any]]:
        with self.read() as conn:
            return [dict(r._mapping) for r in conn.execute(select(t.jobs).order_by(t.jobs.c.id))]


def open_store(url: str | None, *, create: bool = True) -> Store:
    """Open (and migrate) a store, turning every driver failure into one coded error."""
    try:
        return Store(url, create=create)
    except StorylensError:
        raise
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise classify(exc, parse_target(url)) from exc

