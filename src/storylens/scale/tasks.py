"""What runs on a Dask worker: pure functions of their arguments, so a task that is run
again (a worker died) gives the same answer, and the driver alone writes to the store.

The phases mirror ``ingest`` + ``annotate`` of one process exactly:

1. ``line_counts``: each partition's short-line counts; summed, they are the batch's
   (boilerplate evidence for pasted texts is a property of the whole batch);
2. ``build``: documents from raw items with the whole batch's line counts;
3. ``prepare``: the driver's choice of documents (first copy of each text, year-less
   bylines given the batch's latest year, not stored yet) annotated, with sentence
   vectors: plain records, ready to be stored;
4. ``link``: the cross-document stages over one story's records.

Models load once per worker process (``get_nlp`` and ``get_embedder`` keep one instance).
"""

from __future__ import annotations

from dataclasses import dataclass

from storylens.annotate import annotate
from storylens.ingest import add_line_counts, batch_lines_of, build_documents
from storylens.ingest.sources import RawItem
from storylens.models import Analysis, Document, InputError
from storylens.options import Options
from storylens.store.add import Prepared, StoryInputs, compute_story, prepare_document

__all__ = ["Built", "build", "line_counts", "link", "merge_line_counts", "prepare"]


@dataclass
class Built:
    """One partition's documents (duplicates kept) and its per-item errors."""

    documents: list[Document]
    errors: list[InputError]


def line_counts(items: list[RawItem], options: Options) -> dict[str, int]:
    return batch_lines_of(items, options)


def build(items: list[RawItem], batch_lines: dict[str, int], options: Options) -> Built:
    documents, errors = build_documents(items, batch_lines, options)
    return Built(documents, errors)


def merge_line_counts(parts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for part in parts:
        add_line_counts(total, part)
    return total


def prepare(documents: list[Document], options: Options) -> tuple[list[Prepared], list[InputError]]:
    """Annotate new documents and embed their sentences (one worker's chunk); a document
    that cannot be annotated comes back as an error."""
    errors: list[InputError] = []
    records = annotate(documents, options.model_copy(update={"n_process": 1}), errors=errors)
    return [prepare_document(ann) for ann in records], errors


def link(inputs: StoryInputs, options: Options) -> tuple[Analysis, str]:
    return compute_story(inputs, options)
