"""The incremental clusterer behind the store's ``StoryAssigner`` calls.

The store keeps, per document, its lead vector and a JSON dict of features,
and the merges; ``StreamAssigner`` turns an annotated document into that dict
(``features``), rebuilds its state from the stored rows (``load``, nothing is
decided again) and assigns a new document (``assign``). Every merge an
assignment causes is in ``StoryAssignment.merges`` (absorbed id -> surviving
id, with the arrival number); ``merged`` lists the absorbed ids for callers
that only move documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storylens.records import AnnotatedDoc, MentionIndex
from storylens.storify.features import DocFeatures, features_of_docs
from storylens.storify.stream import IncrementalClusterer, Part, StoryAssignment, StoryMerge, StreamParams

__all__ = ["StreamAssigner"]

Vector = npt.NDArray[np.float32]


class StoredRow(Protocol):
    """A stored document as the store hands it back (``store.assign.StoredFeatures`` fits)."""

    doc_id: str
    story_id: str
    lead: Vector
    features: dict[str, Any]


class StreamAssigner:
    name = "stream/1"

    def __init__(self, params: StreamParams | None = None) -> None:
        self.params = params
        self.clusterer = IncrementalClusterer(params)
        #: documents the restored snapshot covered (0: none restored)
        self.snapshot_docs = 0

    def __len__(self) -> int:
        return len(self.clusterer)

    def snapshot(self) -> dict[str, Part]:
        """The state as named parts, for the store to keep (``restore`` reads it back)."""
        return self.clusterer.snapshot_parts()

    def restore(self, data: Mapping[str, Part]) -> bool:
        """Start from a saved state; ``load`` then replays only the documents stored after it.
        False (nothing changed) when the bytes are of another version or other parameters."""
        restored = IncrementalClusterer.restore_parts(data, self.params)
        if restored is None:
            return False
        self.clusterer = restored
        self.snapshot_docs = len(restored)
        return True

    def features(self, ann: AnnotatedDoc, lead: Vector, entity_of: MentionIndex | None = None) -> dict[str, Any]:
        """Features of one annotated document, without its vector (the store keeps the lead apart)."""
        row = features_of_docs([ann.doc], [ann.mentions], entity_of, vectors=[lead])[0].to_row()
        del row["vector"]
        return row

    def load(self, stored: Iterable[StoredRow], merges: dict[str, str] | Iterable[StoryMerge]) -> None:
        """Rebuild from the database, rows in insertion order; merges as absorbed -> into (or records).

        After ``restore``, ``stored`` holds only the rows after the snapshot, and the merges it
        already holds are applied again as no-ops."""
        records = ([StoryMerge(absorbed=a, into=b, at=-1, similarity=0.0) for a, b in merges.items()]
                   if isinstance(merges, dict) else list(merges))
        # merges without an arrival number are applied once every row is in
        timed = [m for m in records if m.at >= 0]
        late = [m for m in records if m.at < 0]
        self.clusterer.replay(((self._from_row(r.doc_id, r.lead, r.features), r.story_id) for r in stored), timed)
        for m in late:
            if self.clusterer.resolve(m.absorbed) != self.clusterer.resolve(m.into):
                self.clusterer.merge(m.into, m.absorbed)

    def assign(self, doc_id: str, lead: Vector, features: dict[str, Any]) -> StoryAssignment:
        return self.clusterer.assign(self._from_row(doc_id, lead, features))

    def settle(self) -> list[StoryMerge]:
        """Call at the end of an ``add`` batch: lone documents that have settled (``settle_docs``
        arrivals or ``settle_days`` days later) join their nearest story. Only settled ones: were
        every lone document attached at the end of each call, one ``add`` per article would attach
        each new report at once and get other stories than one ``add`` of the same articles."""
        return self.clusterer.settle()

    @staticmethod
    def _from_row(doc_id: str, lead: Vector, features: dict[str, Any]) -> DocFeatures:
        row = dict(features, doc_id=doc_id, vector="")
        f = DocFeatures.from_row(row)
        f.vector = np.asarray(lead, dtype=np.float32)
        return f
