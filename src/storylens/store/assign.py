"""How the store asks for a document's story: the ``StoryAssigner`` protocol.

The store owns persistence; an assigner owns the decision. Per document the store
computes the lead vector, asks the assigner for its features (plain JSON data) and
for a story, and writes document, vectors, features and membership in one
transaction, applying any merges the assignment records. On start the assigner is
rebuilt from what the database holds (``load``), so its state can never disagree
with the stored stories after a crash. ``storify.assigner.StreamAssigner`` (the
incremental clusterer) is the one ``storylens add`` uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from storylens.records import AnnotatedDoc

__all__ = ["StoredFeatures", "StoryAssigner", "SnapshotAssigner", "AssignmentLike", "MergeLike", "default_assigner"]

Vector = npt.NDArray[np.float32]


class MergeLike(Protocol):
    """Story ``absorbed`` became part of ``into`` when document number ``at`` arrived."""

    @property
    def absorbed(self) -> str: ...

    @property
    def into(self) -> str: ...

    @property
    def at(self) -> int: ...

    @property
    def similarity(self) -> float: ...


class AssignmentLike(Protocol):
    @property
    def story_id(self) -> str: ...

    @property
    def merges(self) -> Sequence[MergeLike]: ...


@dataclass
class StoredFeatures:
    doc_id: str
    story_id: str
    lead: Vector
    features: dict[str, Any]


class StoryAssigner(Protocol):
    #: stored beside each document's features, so a database tells which assigner wrote it
    name: str

    def features(self, ann: AnnotatedDoc, lead: Vector) -> dict[str, Any]:
        """What the assigner needs to remember about a document (JSON-serialisable)."""
        ...

    def load(self, stored: Iterable[StoredFeatures], merges: Any) -> None:
        """Rebuild the state from the database: documents in insertion order, then the
        recorded merges (a list of ``storify.stream.StoryMerge``)."""
        ...

    def assign(self, doc_id: str, lead: Vector, features: dict[str, Any]) -> AssignmentLike:
        """The story of a new document (deterministic given the loaded state and the input)."""
        ...


@runtime_checkable
class SnapshotAssigner(Protocol):
    """An assigner whose state can be saved and restored whole, so that a run replays only
    the documents stored after the snapshot (``store.add.load_assigner``)."""

    name: str
    #: documents covered by the snapshot it was restored from (or last saved)
    snapshot_docs: int

    def __len__(self) -> int: ...

    def snapshot(self) -> dict[str, bytes | memoryview]:
        """The state as named parts (``Store.save_assigner_snapshot`` keeps each in chunks)."""
        ...

    def restore(self, data: Mapping[str, bytes | memoryview]) -> bool: ...


def default_assigner() -> StoryAssigner:
    from storylens.storify.assigner import StreamAssigner

    return StreamAssigner()
