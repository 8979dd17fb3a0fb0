"""``storylens add``: ingest → annotate → assign a story → store, then re-link touched stories.

Each document is stored in its own transaction with its annotation record, vectors and
story membership, so a run killed at any point has stored a prefix of the new documents;
the next run skips them (content-hash ids) and goes on. A story whose documents changed
is flagged ``needs_link`` in the same transaction, and the flag is cleared only in the
transaction that stores its new claims and contradictions: stories left unlinked by a
killed run are linked by the next one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storylens.annotate import annotate
from storylens.api import analyze_documents
from storylens.embed import CachedEmbedder, get_embedder
from storylens.ingest import ingest
from storylens.models import Analysis, Document, InputError
from storylens.options import Options
from storylens.records import AnnotatedDoc
from storylens.store.assign import SnapshotAssigner, StoryAssigner, default_assigner
from storylens.store.repo import Store, docs_key
from storylens.storify.features import lead_vectors

__all__ = ["AddResult", "Prepared", "StoryInputs", "add_sources", "commit_document", "compute_story",
           "finish_add", "known_and_new", "load_assigner", "link_pending", "link_pending_with", "link_story", "prepare_document", "story_inputs", "ANNOTATION_FORMAT", "EMBED_MODEL",
           "annotation_record", "sentence_texts"]

#: shape of the stored annotation record: ``storylens.records.AnnotatedDoc`` without its document
ANNOTATION_FORMAT = "storylens.records.AnnotatedDoc/1"
EMBED_MODEL = "all-MiniLM-L6-v2-int8"
#: documents annotated per step (spaCy batches them)
CHUNK = 16
#: documents added since the assigner's saved snapshot before an ``add`` saves a new one
SNAPSHOT_EVERY = 200

Progress = Callable[[str, int, int], None]


@dataclass
class AddResult:
    added: int = 0
    already_stored: int = 0
    errors: list[InputError] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)
    job: int = 0


def annotation_record(ann: AnnotatedDoc) -> str:
    """The per-document record as stored (the document itself is stored apart)."""
    return ann.model_dump_json(exclude={"doc"})


def sentence_texts(doc: Document) -> list[str]:
    return [doc.text[s:e].strip() for s, e in doc.sentences]


@dataclass
class Prepared:
    """One annotated document with its vectors, ready to be assigned a story and stored
    (made in this process, or on a Dask worker)."""

    record: AnnotatedDoc
    sentence_vectors: np.ndarray
    lead: np.ndarray


def prepare_document(ann: AnnotatedDoc) -> Prepared:
    embedder = get_embedder()
    vecs = embedder.encode(sentence_texts(ann.doc))
    lead = lead_vectors([ann.doc], embedder)[0]  # title + first sentences, from the cache
    return Prepared(ann, vecs, lead)


def commit_document(store: Store, assigner: StoryAssigner, prepared: Prepared, result: AddResult) -> None:
    """Assign the document a story and store it, in one transaction."""
    ann, doc = prepared.record, prepared.record.doc
    features = assigner.features(ann, prepared.lead)
    assignment = assigner.assign(doc.id, prepared.lead, features)
    store.add_document(
        doc, (ANNOTATION_FORMAT, annotation_record(ann)),
        {"sentences": (EMBED_MODEL, prepared.sentence_vectors), "lead": (EMBED_MODEL, prepared.lead)},
        (assigner.name, features), assignment, _provisional_label(doc))
    result.added += 1
    result.stories.add(assignment.story_id)


def _provisional_label(doc: Document) -> str:
    if doc.title:
        return doc.title
    first = doc.text.strip().split("\n")[0]
    return first[:80] or doc.id


def add_sources(
    store: Store,
    sources: Sequence[str],
    options: Options | None = None,
    *,
    link: bool = True,
    assigner: StoryAssigner | None = None,
    progress: Progress | None = None,
    job: int | None = None,
) -> AddResult:
    """Add SOURCES to the store and bring the stories they touch up to date.

    ``job``: a job row the caller already holds (the web app's queued upload) to report on
    instead of starting a new one.
    """
    options = options or Options()
    result = AddResult()
    store.lock_writer()
    result.job = job if job is not None else store.start_job("add", {"sources": list(sources), "link": link})
    try:
        _add(store, sources, options, link, assigner or default_assigner(), progress, result)
    except BaseException as exc:
        store.update_job(result.job, result.added, result.added, state="failed", message=type(exc).__name__)
        raise
    # a job the caller holds is ended by the caller, with its summary: marked done here, it would
    # read as done without one until then
    store.update_job(result.job, result.added, result.added, state="done" if job is None else None)
    return result


def _add(store: Store, sources: Sequence[str], options: Options, link: bool, assigner: StoryAssigner,
         progress: Progress | None, result: AddResult) -> None:
    if progress:
        progress("reading", 0, 0)
    ingested = ingest(sources, options)
    result.errors = list(ingested.errors)
    new = known_and_new(store, ingested.documents, result)
    load_assigner(store, assigner)
    for start in range(0, len(new), CHUNK):
        for ann in annotate(new[start : start + CHUNK], options, errors=result.errors):
            # one document at a time: each is stored as soon as it is ready
            commit_document(store, assigner, prepare_document(ann), result)
            if progress:
                progress("adding", result.added, len(new))
    finish_add(store, assigner, bool(new), ingested.exact_duplicates)
    if link:
        result.linked += link_pending(store, options, progress)


def known_and_new(store: Store, docs: list[Document], result: AddResult) -> list[Document]:
    """The documents not stored yet; a stored one gets this source noted beside it."""
    known = store.known([d.id for d in docs])
    for doc in docs:
        if doc.id in known:
            result.already_stored += 1
            store.note_source(doc.id, doc.source, doc.url, doc.outlet)
    return [d for d in docs if d.id not in known]


def load_assigner(store: Store, assigner: StoryAssigner) -> None:
    """Rebuild the assigner from the database: from its saved snapshot and the documents stored
    after it when there is one that fits, else from every stored document."""
    after = 0
    if isinstance(assigner, SnapshotAssigner):
        saved = store.assigner_snapshot(assigner.name)
        if saved is not None and assigner.restore(saved[1]):
            after = saved[0]
    assigner.load(store.stored_features(after_seq=after), store.merge_records())


def finish_add(store: Store, assigner: StoryAssigner, added: bool, exact_duplicates: list[dict[str, str]]) -> None:
    settle = getattr(assigner, "settle", None)
    if added and settle is not None:
        # lone documents that match no story well enough join their nearest one now
        merges = settle()
        if merges:
            store.apply_merges(merges)
    for dup in exact_duplicates:
        store.note_source(dup["same_as"], dup["source"], None, None)
    # the next run restores this and replays at most SNAPSHOT_EVERY documents
    if (isinstance(assigner, SnapshotAssigner) and len(assigner) - assigner.snapshot_docs >= SNAPSHOT_EVERY
            and store.save_assigner_snapshot(assigner.name, len(assigner), assigner.snapshot()) is not None):
        assigner.snapshot_docs = len(assigner)


def link_pending(store: Store, options: Options, progress: Progress | None = None) -> list[str]:
    """Link every story flagged ``needs_link`` (this run's and any a killed run left)."""
    return link_pending_with(store, options, progress)


#: stories read from the store per step of ``link_pending_with``
LINK_BATCH = 16


def link_pending_with(
    store: Store,
    options: Options,
    progress: Progress | None = None,
    compute: Callable[[list[StoryInputs]], Iterable[tuple[Analysis, str]]] | None = None,
) -> list[str]:
    """``link_pending`` with the computation given (in this process by default; a Dask
    run passes one that links each story on a worker and yields the results in order)."""
    pending = store.stories_to_link()

    def here(inputs: list[StoryInputs]) -> Iterable[tuple[Analysis, str]]:
        return (compute_story(one, options) for one in inputs)

    done: list[str] = []
    for lo in range(0, len(pending), LINK_BATCH):
        if progress:
            progress("linking stories", lo, len(pending))
        inputs = [x for x in (story_inputs(store, sid, options) for sid in pending[lo : lo + LINK_BATCH]) if x]
        for one, (analysis, label) in zip(inputs, (compute or here)(inputs), strict=True):
            if store.save_link(one.story_id, one.key, analysis, label, one.pristine):
                done.append(one.story_id)
    if progress and pending:
        progress("linking stories", len(pending), len(pending))
    return done


def _records(store: Store, docs: list[Document], options: Options) -> list[AnnotatedDoc]:
    """The stored per-document records; a record of another format is made again from the text."""
    stored = store.annotations([d.id for d in docs])
    records: dict[str, AnnotatedDoc] = {}
    redo = []
    for doc in docs:
        fmt, body = stored.get(doc.id, ("", ""))
        if fmt == ANNOTATION_FORMAT:
            records[doc.id] = AnnotatedDoc.model_validate({**json.loads(body), "doc": doc})
        else:
            redo.append(doc)
    if redo:
        for ann in annotate(redo, options):
            records[ann.doc.id] = ann
    return [records[d.id] for d in docs]


@dataclass
class StoryInputs:
    """What linking one story needs, read from the store (plain data: it can go to a worker)."""

    story_id: str
    key: str
    records: list[AnnotatedDoc]
    #: stored sentence vectors by document id
    vectors: dict[str, np.ndarray]
    pristine: dict[str, dict[str, Any]]


def story_inputs(store: Store, story_id: str, options: Options) -> StoryInputs | None:
    docs = store.story_documents(story_id)
    if not docs:
        return None
    return StoryInputs(
        story_id=story_id, key=docs_key([d.id for d in docs]), records=_records(store, docs, options),
        vectors=store.vectors([d.id for d in docs], "sentences"), pristine={d.id: d.model_dump() for d in docs})


def compute_story(inputs: StoryInputs, options: Options) -> tuple[Analysis, str]:
    """The cross-document steps over one story's records: exactly what ``analyze`` does after
    annotate, on the records in the order they were added (a from-scratch analysis of them)."""
    embedder = get_embedder()
    if isinstance(embedder, CachedEmbedder):
        # MiniLM's output does not depend on the batch, so stored vectors are the ones link would compute
        for ann in inputs.records:
            doc, vecs = ann.doc, inputs.vectors.get(ann.doc.id)
            if vecs is not None and len(vecs) == len(doc.sentences):
                embedder.remember(sentence_texts(doc), vecs)
                embedder.remember([doc.text[s:e] for s, e in doc.sentences], vecs)
    annotated = [a.model_copy(update={"doc": a.doc.model_copy(deep=True)}) for a in inputs.records]
    docs = [a.doc for a in annotated]
    analysis = Analysis(documents=docs)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    analyze_documents(annotated, options, analysis, timings)
    timings["total"] = time.perf_counter() - t0
    analysis.stats = {"documents": len(docs), "words": sum(d.words for d in docs),
                      "seconds": {k: round(v, 3) for k, v in timings.items()}}
    label = analysis.stories[0].label if analysis.stories else docs[0].title or docs[0].id
    return analysis, label


def link_story(store: Store, story_id: str, options: Options) -> bool:
    """Run the cross-document steps on one story's documents and store the result."""
    inputs = story_inputs(store, story_id, options)
    if inputs is None:
        return False
    analysis, label = compute_story(inputs, options)
    return store.save_link(story_id, inputs.key, analysis, label, inputs.pristine)
