"""ECB+ documents as story features, computed once and cached (benchmarks/_cache, gitignored).

Each document is ingested, annotated and canonicalised *on its own* (as
``storylens add`` sees an article arriving), then reduced to
``storify.features.DocFeatures``. The incremental-story benchmarks read the
cache, so tuning and the five shuffled orders do not re-run spaCy or MiniLM.

Run:  .venv/bin/python -m benchmarks.stream_features
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from storylens.annotate import annotate
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.entities import canonicalize
from storylens.storify.features import DocFeatures, features_of_docs

ROOT = Path(__file__).resolve().parent
DATA = ROOT.parent.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
CACHE = ROOT / "_cache" / "ecbplus_story_features.jsonl.gz"


def ecb_rows() -> list[dict[str, Any]]:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def build() -> None:
    rows = ecb_rows()
    docs = [build_document(RawItem(source=r["doc_id"], kind="text", content=r["text"], meta={})) for r in rows]
    annotated = annotate(docs)
    entity_of: dict[tuple[str, int, int], str] = {}
    for ann in annotated:
        entity_of.update(canonicalize([ann])[1])
    feats = features_of_docs([a.doc for a in annotated], [a.mentions for a in annotated], entity_of)
    CACHE.parent.mkdir(exist_ok=True)
    with gzip.open(CACHE, "wt", encoding="utf-8") as fh:
        for r, f in zip(rows, feats, strict=True):
            row = f.to_row()
            row.update(gold_doc=r["doc_id"], topic=r["topic"], subtopic_id=r["subtopic_id"], split=r["split"])
            fh.write(json.dumps(row) + "\n")


def load() -> list[tuple[DocFeatures, dict[str, Any]]]:
    """(features, gold row) per ECB+ document, building the cache on first use."""
    if not CACHE.exists():
        build()
    out = []
    with gzip.open(CACHE, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append((DocFeatures.from_row(row), row))
    return out


if __name__ == "__main__":
    build()
    print(f"wrote {CACHE}")
