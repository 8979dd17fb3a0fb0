"""Annotation records cached on disk for the link benchmarks (alignment, paraphrase, judged).

Annotation (the spaCy pass) is most of a benchmark's run time, and a change to
``link`` does not change it. Each document's ``AnnotatedDoc`` is kept under a key
of the source files annotation reads (``annotate/``, ``ingest/``, the record and
model types, the word lists) and of the document as built, so a change to any of
them annotates afresh. The records are exactly what ``annotate`` returned.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from benchmarks.common import ROOT
from storylens.annotate import annotate
from storylens.models import Document
from storylens.options import Options
from storylens.records import AnnotatedDoc

CACHE = Path(__file__).resolve().parent / "_cache" / "annotated"
#: what ``annotate`` reads (besides spaCy and the model package)
ANNOTATE_SOURCES = ("annotate", "ingest", "models.py", "records.py", "options.py", "errors.py",
                    "wordlists.py", "lexicon.py", "data")


def annotate_key() -> str:
    h = hashlib.sha1()
    src = ROOT / "src" / "storylens"
    for name in ANNOTATE_SOURCES:
        path = src / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
        for p in files:
            h.update(str(p.relative_to(src)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def annotate_cached(docs: list[Document], options: Options | None = None) -> list[AnnotatedDoc]:
    """``annotate(docs)``, each record read from the cache when this code annotated this document before."""
    folder = CACHE / annotate_key()
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / (hashlib.sha1(d.model_dump_json().encode()).hexdigest()[:20] + ".json") for d in docs]
    missing = [k for k, p in enumerate(paths) if not p.exists()]
    fresh = annotate([docs[k] for k in missing], options) if missing else []
    if len(fresh) != len(missing):  # a document failed annotation: keep the batch's own answer
        return annotate(docs, options)
    for k, rec in zip(missing, fresh, strict=True):
        paths[k].write_text(rec.model_dump_json(), encoding="utf-8")
    out = []
    fresh_of = dict(zip(missing, fresh, strict=True))
    for k, p in enumerate(paths):
        out.append(fresh_of[k] if k in fresh_of else AnnotatedDoc.model_validate_json(p.read_text(encoding="utf-8")))
    return out
