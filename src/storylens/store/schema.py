"""The store's tables (SQLAlchemy Core), as the newest migration leaves them.

The migrations in ``storylens/store/migrations/versions`` create and change these
tables; a test checks that migrating an empty database yields exactly this metadata.
Per-document records are JSON text (pydantic ``model_dump_json``), vectors are
row-major float32 bytes: both read back the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

ID = String(64)

#: one row per distinct text (content-hash id); ``record`` is the ``Document`` after annotate,
#: before any cross-document stage touched it, so a story can be re-linked from it
documents = Table(
    "documents",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", ID, nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", String(32)),
    Column("words", Integer, nullable=False, server_default="0"),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("record", Text, nullable=False),
)

#: every place a stored text was seen: the first source and later copies (another
#: outlet's syndicated copy has the same content hash, so it adds a row here, not a document)
document_sources = Table(
    "document_sources",
    metadata,
    Column("doc_id", ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("source", Text, primary_key=True),
    Column("url", Text),
    Column("outlet", Text),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

#: the per-document annotation record (JSON); ``format`` names its shape so an older
#: record can be recognised and re-derived from the document text
annotation_records = Table(
    "annotations",
    metadata,
    Column("doc_id", ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("format", String(64), nullable=False),
    Column("record", Text, nullable=False),
)

#: float32 vectors of a document: ``sentences`` (one row per ``Document.sentences`` entry),
#: ``lead`` (the document vector story assignment uses)
vectors = Table(
    "vectors",
    metadata,
    Column("doc_id", ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("model", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("dim", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

#: what the story assigner keeps per document besides vectors (entities, dates), JSON
doc_features = Table(
    "doc_features",
    metadata,
    Column("doc_id", ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("assigner", String(64), nullable=False),
    Column("data", Text, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", ID, primary_key=True),
    Column("label", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("size", Integer, nullable=False, server_default="0"),
    #: JSON list of outlet names
    Column("outlets", Text, nullable=False, server_default="[]"),
    #: earliest / latest article date (published, else the day it was added), ISO text
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("claims", Integer, nullable=False, server_default="0"),
    Column("open_contradictions", Integer, nullable=False, server_default="0"),
    #: set when a document joined or left since the last link; cleared in the link's transaction
    Column("needs_link", Boolean, nullable=False, server_default="1"),
    Column("linked_at", DateTime(timezone=True)),
)
Index("ix_stories_last_seen", stories.c.last_seen)
Index("ix_stories_needs_link", stories.c.needs_link)

#: when two stories turn out to be one: the old id resolves to the new one
story_merges = Table(
    "story_merges",
    metadata,
    Column("old_id", ID, primary_key=True),
    Column("new_id", ID, nullable=False),
    Column("merged_at", DateTime(timezone=True), nullable=False),
    #: the assigner's arrival number of the document that caused it, and the similarity
    Column("at", Integer),
    Column("similarity", Float),
)

story_members = Table(
    "story_members",
    metadata,
    Column("doc_id", ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", ID, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    #: the story the assigner gave the document when it arrived (``story_id`` follows merges)
    Column("assigned_story", ID),
)
Index("ix_story_members_story", story_members.c.story_id)

#: the cross-document analysis of a story: ``Analysis`` JSON without the document texts
#: (they are in ``documents``) plus what the link stage set on each document (genre,
#: syndication); ``docs_key`` hashes the member ids, in order, it was computed from
story_analyses = Table(
    "story_analyses",
    metadata,
    Column("story_id", ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("docs_key", String(64), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    Column("analysis", Text, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("story_id", ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("id", ID, primary_key=True),
    Column("text", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("record", Text, nullable=False),
)

contradictions = Table(
    "contradictions",
    metadata,
    Column("story_id", ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("id", ID, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("doc_a", ID, nullable=False),
    Column("doc_b", ID, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    #: ``open`` until someone resolves it (the web app will)
    Column("status", String(16), nullable=False, server_default="open"),
    Column("record", Text, nullable=False),
)

#: long-running work (``storylens add`` runs; later the web app's uploads)
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    #: running | done | failed | interrupted
    Column("state", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("params", Text, nullable=False, server_default="{}"),
    Column("done", Integer, nullable=False, server_default="0"),
    Column("total", Integer, nullable=False, server_default="0"),
    Column("message", Text),
)

#: the story assigner's state as of document ``last_seq`` (a cache: the next ``add`` restores
#: it and replays only later documents; a missing or stale one means a replay of every document).
#: The state is named parts (``IncrementalClusterer.snapshot_parts``), each kept in ``assigner_chunks``
assigner_snapshots = Table(
    "assigner_snapshots",
    metadata,
    Column("assigner", String(64), primary_key=True),
    #: documents it covers, and the last of them (``documents.seq`` and id)
    Column("docs", Integer, nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("last_doc", ID, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    #: JSON: part name -> its length in bytes
    Column("parts", Text, nullable=False),
)

#: one fixed-size piece of a snapshot part, with the digest of its bytes, stored compressed
#: (zlib): a save rewrites only the chunks whose digest changed, and stores no chunk that is all
#: zeros (it reads back as zeros)
assigner_chunks = Table(
    "assigner_chunks",
    metadata,
    Column("assigner", String(64), primary_key=True),
    Column("part", String(64), primary_key=True),
    Column("chunk", Integer, primary_key=True, autoincrement=False),
    Column("digest", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
)
