"""How the store asks for a document's story: the ``StoryAssigner`` protocol.

The store owns persistence; an assigner owns the decision. Per document the store
computes the lead vector, asks the assigner for its features (plain JSON data) and
for a story id, and writes document, vectors, features and membership in one
transaction. On start the assigner is rebuilt from what the database holds
(``load``), so its state can never disagree with the stored stories after a crash.

``CentroidAssigner`` is a small stand-in: nearest story centroid by lead-vector
cosine, a share of rare entities in common, and dates. The incremental clusterer
of ``storylens.storify`` replaces it when present.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storylens.annotate import AnnotatedDoc

__all__ = ["Assignment", "StoredFeatures", "StoryAssigner", "CentroidAssigner", "default_assigner"]

Vector = npt.NDArray[np.float32]


@dataclass
class Assignment:
    story_id: str
    #: stories that turned out to be this one (their documents move to ``story_id``)
    merged: list[str] = field(default_factory=list)


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

    def load(self, stored: Iterable[StoredFeatures], merges: dict[str, str]) -> None:
        """Rebuild the state from the database, in insertion order."""
        ...

    def assign(self, doc_id: str, lead: Vector, features: dict[str, Any]) -> Assignment:
        """The story of a new document (deterministic given the loaded state and the input)."""
        ...


_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"}


class CentroidAssigner:
    name = "centroid/1"

    def __init__(self, threshold: float = 0.62, entity_weight: float = 0.15) -> None:
        self.threshold = threshold
        self.entity_weight = entity_weight
        self._ids: list[str] = []
        self._sums: list[Vector] = []
        self._entities: list[Counter[str]] = []
        self._index: dict[str, int] = {}

    def features(self, ann: AnnotatedDoc, lead: Vector) -> dict[str, Any]:
        names = sorted({m.span.text.lower() for m in ann.mentions if m.label in _ENTITY_LABELS})
        return {"entities": names}

    def load(self, stored: Iterable[StoredFeatures], merges: dict[str, str]) -> None:
        for row in stored:
            self._add(row.story_id, row.lead, row.features)

    def _add(self, story_id: str, lead: Vector, features: dict[str, Any]) -> None:
        k = self._index.get(story_id)
        if k is None:
            k = self._index[story_id] = len(self._ids)
            self._ids.append(story_id)
            self._sums.append(np.zeros_like(lead))
            self._entities.append(Counter())
        self._sums[k] = self._sums[k] + lead
        self._entities[k].update(features.get("entities", []))

    def assign(self, doc_id: str, lead: Vector, features: dict[str, Any]) -> Assignment:
        best, best_score = None, self.threshold
        if self._ids:
            sums = np.stack(self._sums)
            cos = (sums @ lead) / np.clip(np.linalg.norm(sums, axis=1), 1e-9, None)
            names = set(features.get("entities", []))
            for k in np.argsort(-cos)[:20]:
                shared = len(names & self._entities[k].keys()) / max(1, min(len(names), 8))
                score = float(cos[k]) + self.entity_weight * min(1.0, shared)
                if score >= best_score:
                    best, best_score = self._ids[k], score
        story_id = best or "st_" + doc_id[:12]
        self._add(story_id, lead, features)
        return Assignment(story_id=story_id)


def default_assigner() -> StoryAssigner:
    return CentroidAssigner()
