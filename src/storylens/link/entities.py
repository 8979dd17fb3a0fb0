"""Entity grouping across documents (placeholder-free baseline: exact names).

Canonicalisation across spelling variants lives here (see issue 4).
"""

from __future__ import annotations

import hashlib

from storylens.annotate import AnnotatedDoc
from storylens.models import Entity

_TYPE_GROUP = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def entity_id(name: str, label: str) -> str:
    return "e_" + hashlib.sha1(f"{label}|{name.lower()}".encode()).hexdigest()[:10]


def canonicalize(annotated: list[AnnotatedDoc]) -> tuple[list[Entity], dict[tuple[str, int, int], str]]:
    """Group mentions into entities; return entities and (doc, start, end) -> entity id."""
    entities: dict[str, Entity] = {}
    index: dict[tuple[str, int, int], str] = {}
    for ann in annotated:
        for m in ann.mentions:
            key_label = _TYPE_GROUP.get(m.label, m.label)
            eid = entity_id(m.span.text, key_label)
            ent = entities.get(eid)
            if ent is None:
                ent = entities[eid] = Entity(id=eid, name=m.span.text, type=m.label)
            ent.mentions.append(m.span)
            index[(m.span.doc, m.span.start, m.span.end)] = eid
    ordered = sorted(entities.values(), key=lambda e: (-len(e.mentions), e.name))
    return ordered, index
