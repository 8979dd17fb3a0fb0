"""The web app's reads of the store that ``Store`` does not offer: filtered, paged story
lists, one document, and what a rendered story page depends on.

Read-only SQL over the store's tables (``storylens.store.schema``), the same on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select

from storylens.models import Document
from storylens.store import Store, StoryRow
from storylens.store import schema as t

__all__ = ["StoryFilter", "search_stories", "document", "story_version", "entity_candidates_limit"]

#: stories whose analysis text mentions an entity query are checked one by one, at most this many
entity_candidates_limit = 500


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class StoryFilter:
    words: str = ""
    entity: str = ""
    outlet: str = ""
    since: str = ""
    until: str = ""
    limit: int = 50
    offset: int = 0
    words_list: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.words_list = [w for w in self.words.split() if w][:8]


def _row(r: Any) -> StoryRow:
    return StoryRow(id=r.id, label=r.label, size=r.size, outlets=json.loads(r.outlets), first_seen=r.first_seen,
                    last_seen=r.last_seen, claims=r.claims, open_contradictions=r.open_contradictions,
                    needs_link=bool(r.needs_link))


def _entity_matches(analysis_json: str, query: str) -> bool:
    want = query.casefold()
    entities = json.loads(analysis_json).get("analysis", {}).get("entities", [])
    for ent in entities:
        names = [ent.get("name") or ""] + list(ent.get("aliases") or [])
        if any(want in str(n).casefold() for n in names):
            return True
    return False


def search_stories(store: Store, flt: StoryFilter) -> tuple[list[StoryRow], int]:
    """Stories newest first (by last seen, then size), filtered; with the total matching."""
    s = t.stories.c
    conds = []
    for word in flt.words_list:
        like = _like(word)
        in_docs = select(t.story_members.c.story_id).join(
            t.documents, t.documents.c.id == t.story_members.c.doc_id).where(or_(
                func.lower(t.documents.c.title).like(like, escape="\\"),
                func.lower(t.documents.c.record).like(like, escape="\\")))
        conds.append(or_(func.lower(s.label).like(like, escape="\\"), s.id.in_(in_docs)))
    if flt.outlet:
        # the stored JSON list spells each outlet as json.dumps does: match it quoted, whole
        conds.append(func.lower(s.outlets).like(_like(json.dumps(flt.outlet)), escape="\\"))
    if flt.since:
        conds.append(s.last_seen >= flt.since)
    if flt.until:
        # a story seen on the day ``until`` counts: compare the day part
        conds.append(s.first_seen <= flt.until + "\uffff")
    where = and_(*conds) if conds else None
    with store.read() as conn:
        if flt.entity:
            text = json.dumps(flt.entity)[1:-1]  # as the stored JSON spells it
            stmt = select(t.story_analyses.c.story_id, t.story_analyses.c.analysis).where(
                func.lower(t.story_analyses.c.analysis).like(_like(text), escape="\\"))
            if where is not None:
                stmt = stmt.join(t.stories, t.stories.c.id == t.story_analyses.c.story_id).where(where)
            ids = [sid for sid, body in conn.execute(stmt.limit(entity_candidates_limit))
                   if _entity_matches(body, flt.entity)]
            where = and_(where, s.id.in_(ids)) if where is not None else s.id.in_(ids)
        count = select(func.count()).select_from(t.stories)
        stmt2 = select(t.stories).order_by(s.last_seen.desc(), s.size.desc(), s.id)
        if where is not None:
            count = count.where(where)
            stmt2 = stmt2.where(where)
        total = int(conn.execute(count).scalar_one())
        rows = [_row(r) for r in conn.execute(stmt2.limit(flt.limit).offset(flt.offset))]
    return rows, total


def document(store: Store, doc_id: str) -> tuple[Document, str | None] | None:
    """A stored document (as annotated) and the story it belongs to."""
    with store.read() as conn:
        row = conn.execute(
            select(t.documents.c.record, t.story_members.c.story_id)
            .outerjoin(t.story_members, t.story_members.c.doc_id == t.documents.c.id)
            .where(t.documents.c.id == doc_id)).first()
    if row is None:
        return None
    return Document.model_validate_json(row.record), row.story_id


def story_version(store: Store, story_id: str) -> tuple[str, bool] | None:
    """What a rendered story page depends on: (linked_at/updated_at stamp, needs_link)."""
    with store.read() as conn:
        row = conn.execute(select(t.stories.c.updated_at, t.stories.c.linked_at, t.stories.c.needs_link)
                           .where(t.stories.c.id == story_id)).first()
    if row is None:
        return None
    return f"{row.updated_at}|{row.linked_at}", bool(row.needs_link)


def story_row(store: Store, story_id: str) -> StoryRow | None:
    with store.read() as conn:
        row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).first()
    return _row(row) if row is not None else None


def outlets(store: Store, limit: int = 200) -> list[str]:
    """Every outlet in the store (for the filter's choices)."""
    with store.read() as conn:
        rows = conn.execute(select(t.stories.c.outlets).limit(5000)).scalars()
        found: set[str] = set()
        for r in rows:
            found.update(json.loads(r))
    return sorted(found)[:limit]
