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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from storylens.annotate import annotate
from storylens.api import analyze_documents
from storylens.embed import CachedEmbedder, get_embedder
from storylens.ingest import ingest
from storylens.models import Analysis, Document, InputError
from storylens.options import Options
from storylens.records import AnnotatedDoc
from storylens.store.assign import StoryAssigner, default_assigner
from storylens.store.repo import Store, docs_key
from storylens.storify.features import lead_vectors

__all__ = ["AddResult", "add_sources", "link_pending", "link_story", "ANNOTATION_FORMAT", "EMBED_MODEL",
           "annotation_record", "sentence_texts"]

#: shape of the stored annotation record: ``storylens.records.AnnotatedDoc`` without its document
ANNOTATION_FORMAT = "storylens.records.AnnotatedDoc/1"
EMBED_MODEL = "all-MiniLM-L6-v2-int8"
#: documents annotated per step (spaCy batches them)
CHUNK = 16

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
) -> AddResult:
    """Add SOURCES to the store and bring the stories they touch up to date."""
    options = options or Options()
    result = AddResult()
    store.lock_writer()
    result.job = store.start_job("add", {"sources": list(sources), "link": link})
    try:
        _add(store, sources, options, link, assigner or default_assigner(), progress, result)
    except BaseException as exc:
        store.update_job(result.job, result.added, result.added, state="failed", message=type(exc).__name__)
        raise
    store.update_job(result.job, result.added, result.added, state="done")
    return result


def _add(store: Store, sources: Sequence[str], options: Options, link: bool, assigner: StoryAssigner,
         progress: Progress | None, result: AddResult) -> None:
    if progress:
        progress("reading", 0, 0)
    ingested = ingest(sources, options)
    result.errors = list(ingested.errors)
    docs = ingested.documents
    known = store.known([d.id for d in docs])
    for doc in docs:
        if doc.id in known:
            result.already_stored += 1
            store.note_source(doc.id, doc.source, doc.url, doc.outlet)
    new = [d for d in docs if d.id not in known]
    assigner.load(store.stored_features(), store.merge_records())
    embedder = get_embedder()
    for start in range(0, len(new), CHUNK):
        for ann in annotate(new[start : start + CHUNK], options):
            doc = ann.doc
            # one document at a time: each is stored as soon as it is ready
            vecs = embedder.encode(sentence_texts(doc))
            lead = lead_vectors([doc], embedder)[0]  # title + first sentences, from the cache
            features = assigner.features(ann, lead)
            assignment = assigner.assign(doc.id, lead, features)
            store.add_document(
                doc, (ANNOTATION_FORMAT, annotation_record(ann)),
                {"sentences": (EMBED_MODEL, vecs), "lead": (EMBED_MODEL, lead)},
                (assigner.name, features), assignment, _provisional_label(doc))
            result.added += 1
            result.stories.add(assignment.story_id)
            if progress:
                progress("adding", result.added, len(new))
    settle = getattr(assigner, "settle", None)
    if new and settle is not None:
        # lone documents that match no story well enough join their nearest one now
        merges = settle()
        if merges:
            store.apply_merges(merges)
    for dup in ingested.exact_duplicates:
        store.note_source(dup["same_as"], dup["source"], None, None)
    if link:
        result.linked += link_pending(store, options, progress)


def link_pending(store: Store, options: Options, progress: Progress | None = None) -> list[str]:
    """Link every story flagged ``needs_link`` (this run's and any a killed run left)."""
    pending = store.stories_to_link()
    done = []
    for i, story_id in enumerate(pending):
        if progress:
            progress("linking stories", i, len(pending))
        if link_story(store, story_id, options):
            done.append(story_id)
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


def link_story(store: Store, story_id: str, options: Options) -> bool:
    """Run the cross-document steps on one story's documents and store the result.

    Exactly what ``analyze`` does after annotate, on the story's stored records in the
    order they were added, so the stored result equals a from-scratch analysis of them.
    """
    docs = store.story_documents(story_id)
    if not docs:
        return False
    key = docs_key([d.id for d in docs])
    embedder = get_embedder()
    if isinstance(embedder, CachedEmbedder):
        # MiniLM's output does not depend on the batch, so stored vectors are the ones link would compute
        stored = store.vectors([d.id for d in docs], "sentences")
        for doc in docs:
            vecs = stored.get(doc.id)
            if vecs is not None and len(vecs) == len(doc.sentences):
                embedder.remember(sentence_texts(doc), vecs)
                embedder.remember([doc.text[s:e] for s, e in doc.sentences], vecs)
    annotated = _records(store, docs, options)
    pristine = {d.id: d.model_dump() for d in docs}
    analysis = Analysis(documents=[a.doc for a in annotated])
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    analyze_documents(annotated, options, analysis, timings)
    timings["total"] = time.perf_counter() - t0
    analysis.stats = {"documents": len(docs), "words": sum(d.words for d in docs),
                      "seconds": {k: round(v, 3) for k, v in timings.items()}}
    label = analysis.stories[0].label if analysis.stories else docs[0].title or docs[0].id
    return store.save_link(story_id, key, analysis, label, pristine)
