from __future__ import annotations

import storylens
from storylens.models import Analysis, Document, Entity, Span, invalid_spans, json_schema


def _doc() -> Document:
    return Document(id="d1", source="x.txt", text="Alice met Bob in Paris.")


def test_invalid_spans_detects_mismatch() -> None:
    doc = _doc()
    good = Span(doc="d1", start=0, end=5, text="Alice")
    bad = Span(doc="d1", start=0, end=5, text="Bob")
    missing = Span(doc="nope", start=0, end=1, text="A")
    analysis = Analysis(documents=[doc], entities=[Entity(id="e", name="Alice", type="PERSON", mentions=[good, bad, missing])])
    assert invalid_spans(analysis) == [bad, missing]


def test_schema_is_versioned_and_has_contract_keys() -> None:
    schema = json_schema()
    assert schema["$id"] == "storylens/analysis/v1"
    for key in ("schema", "documents", "stories", "entities", "quotes", "claims", "contradictions", "framing", "briefing", "stats"):
        assert key in schema["properties"]


def test_json_uses_schema_alias() -> None:
    out = Analysis(documents=[_doc()]).to_json()
    assert '"schema": "storylens/analysis/v1"' in out


def test_public_api_is_curated() -> None:
    assert "analyze" in storylens.__all__
    for name in storylens.__all__:
        assert hasattr(storylens, name)
