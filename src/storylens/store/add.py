"""``storylens add``: ingest → annotate → assign a story → store, then re-link touched stories.

Each document is stored in its own transaction with its story membership, so a run
killed at any point has stored a prefix of the new documents; the next run skips
them (content-hash ids) and goes on. A story whose documents changed is flagged
``needs_link`` in the same transaction, and the flag is cleared only in the
transaction that stores its new claims and contradictions: stories left unlinked by
a killed run are linked by the next one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from storylens.annotate import AnnotatedDoc, annotate
from storylens.api import analyze_documents
from storylens.embed import CachedEmbedder, get_embedder
from storylens.ingest import ingest
from storylens.models import Analysis, Document, InputError
from storylens.options import Options
from storylens.store.assign import StoryAssigner, default_assigner
from storylens.store.repo import Store, docs_key

__all__ = ["AddResult", "add_sources", "link_pending", "link_story", "ANNOTATION_FORMAT", "EMBED_MODEL"]

#: shape of the stored annotation record (mentions; the Document carries sentences, times, quantities)
ANNOTATION_FORMAT = "storylens/mentions/1"
EMBED_MODEL = "all-MiniLM-L6-v2-int8"
#: the lead that represents a document for story assignment (as the batch split uses)
LEAD_SENTENCES = 6
#: documents annotated and stored per step
CHUNK = 16
#: parsed documents kept for linking; past this, stories are linked and the parses dropped
KEEP_PARSED = 1000

Progress = Callable[[str, int, int], None]


@dataclass
class AddResult:
    added: int = 0
    already_stored: int = 0
    errors: list[InputError] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)
    job: int = 0


def _annotation_record(ann: AnnotatedDoc) -> str:
    return json.dumps([{"start": m.span.start, "end": m.span.end, "label": m.label, "sent": m.sent}
                       for m in ann.mentions])


def _sentence_texts(doc: Document) -> list[str]:
    return [doc.text[s:e].strip() for s, e in doc.sentences]


def _lead_vector(doc: Document, sentence_vectors: np.ndarray, title_vector: np.ndarray | None) -> np.ndarray:
    """Mean of the title's and the first sentences' vectors, normalised."""
    parts = [title_vector] if title_vector is not None else []
    texts = _sentence_texts(doc)
    parts += [sentence_vectors[i] for i in range(min(LEAD_SENTENCES, len(texts))) if texts[i]]
    if not parts:
        return np.zeros(sentence_vectors.shape[1] if sentence_vectors.ndim == 2 else 384, dtype=np.float32)
    mean = np.mean(np.stack(parts), axis=0)
    out: np.ndarray = (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32)
    return out


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
    assigner.load(store.stored_features(), store.merges())
    embedder = get_embedder()
    parsed: dict[str, AnnotatedDoc] = {}
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        annotated = annotate(chunk, options)
        for ann in annotated:
            doc = ann.doc
            # embedded one document at a time: each is stored as soon as it is ready
            sents = _sentence_texts(doc)
            flat = embedder.encode(sents + ([doc.title] if doc.title else []))
            vecs = flat[: len(sents)]
            lead = _lead_vector(doc, vecs, flat[len(sents)] if doc.title else None)
            features = assigner.features(ann, lead)
            assignment = assigner.assign(doc.id, lead, features)
            store.add_document(
                doc, (ANNOTATION_FORMAT, _annotation_record(ann)),
                {"sentences": (EMBED_MODEL, vecs), "lead": (EMBED_MODEL, lead)},
                (assigner.name, features), assignment, _provisional_label(doc))
            result.added += 1
            result.stories.add(assignment.story_id)
            if len(parsed) < KEEP_PARSED:
                parsed[doc.id] = ann
            if progress:
                progress("adding", result.added, len(new))
        if link and len(parsed) >= KEEP_PARSED:
            result.linked += link_pending(store, options, parsed, progress)
            parsed.clear()
    for dup in ingested.exact_duplicates:
        store.note_source(dup["same_as"], dup["source"], None, None)
    if link:
        result.linked += link_pending(store, options, parsed, progress)


def link_pending(store: Store, options: Options, parsed: dict[str, AnnotatedDoc] | None = None,
                 progress: Progress | None = None) -> list[str]:
    """Link every story flagged ``needs_link`` (this run's and any a killed run left)."""
    pending = store.stories_to_link()
    done = []
    for i, story_id in enumerate(pending):
        if progress:
            progress("linking stories", i, len(pending))
        if link_story(store, story_id, options, parsed):
            done.append(story_id)
    if progress and pending:
        progress("linking stories", len(pending), len(pending))
    return done


def link_story(store: Store, story_id: str, options: Options,
               parsed: dict[str, AnnotatedDoc] | None = None) -> bool:
    """Run the cross-document stages on one story's documents and store the result.

    Exactly what ``analyze`` does after annotate, on the story's documents in the order
    they were added, so the stored result equals a from-scratch analysis of them.
    """
    parsed = parsed if parsed is not None else {}
    docs = store.story_documents(story_id)
    if not docs:
        return False
    key = docs_key([d.id for d in docs])
    missing = [d.model_copy(deep=True) for d in docs if d.id not in parsed]
    if missing:
        for ann in annotate(missing, options):
            parsed[ann.doc.id] = ann
    embedder = get_embedder()
    if isinstance(embedder, CachedEmbedder):
        stored = store.vectors([d.id for d in docs], "sentences")
        for doc in docs:
            vecs = stored.get(doc.id)
            if vecs is not None and len(vecs) == len(doc.sentences):
                embedder.remember(_sentence_texts(doc), vecs)
                raw = [doc.text[s:e] for s, e in doc.sentences]
                embedder.remember(raw, vecs)
    # fresh copies: the link stage sets fields on documents, the stored ones stay as annotated
    annotated = [AnnotatedDoc(doc=d.model_copy(deep=True), sp=parsed[d.id].sp, mentions=parsed[d.id].mentions)
                 for d in docs]
    analysis = Analysis(documents=[a.doc for a in annotated])
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    analyze_documents(annotated, options, analysis, timings)
    timings["total"] = time.perf_counter() - t0
    analysis.stats = {"documents": len(docs), "words": sum(d.words for d in docs),
                      "seconds": {k: round(v, 3) for k, v in timings.items()}}
    label = analysis.stories[0].label if analysis.stories else docs[0].title or docs[0].id
    return store.save_link(story_id, key, analysis, label)
