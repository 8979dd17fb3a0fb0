"""One document that breaks annotation never takes the batch down."""

from __future__ import annotations

import pytest

import storylens.annotate as annotate_module
from storylens.annotate import annotate
from storylens.models import Document

GOOD = "The council approved the new budget on Monday after a long debate in the town hall."


def _docs() -> list[Document]:
    return [Document(id=f"d{i}", source=f"d{i}.txt", text=GOOD.replace("Monday", day))
            for i, day in enumerate(["Monday", "Tuesday", "Friday"])]


def test_a_failing_record_step_drops_only_that_document(nlp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    real = annotate_module.record_of

    def breaks_on_d1(parsed):  # type: ignore[no-untyped-def]
        if parsed.doc.id == "d1":
            raise ValueError("boom")
        return real(parsed)

    monkeypatch.setattr(annotate_module, "record_of", breaks_on_d1)
    errors: list = []  # type: ignore[type-arg]
    records = annotate(_docs(), errors=errors)
    assert [r.doc.id for r in records] == ["d0", "d2"]
    assert [(e.source, e.code) for e in errors] == [("d1.txt", "SL020")]
    assert "ValueError" in errors[0].message


def test_a_failing_parse_is_found_document_by_document(nlp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    real = annotate_module.parse

    def parse(docs, options=None):  # type: ignore[no-untyped-def]
        if any(d.id == "d2" for d in docs):
            raise RuntimeError("parser crashed")
        return real(docs, options)

    monkeypatch.setattr(annotate_module, "parse", parse)
    errors: list = []  # type: ignore[type-arg]
    records = annotate(_docs(), errors=errors)
    assert [r.doc.id for r in records] == ["d0", "d1"]
    assert [(e.source, e.code) for e in errors] == [("d2.txt", "SL020")]


def test_the_api_reports_the_failure_and_analyses_the_rest(
    nlp: object, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from storylens import analyze

    for i, day in enumerate(["Monday", "Tuesday"]):
        (tmp_path / f"a{i}.txt").write_text(GOOD.replace("Monday", day) + "\n", encoding="utf-8")
    real = annotate_module.record_of

    def breaks_on_tuesday(parsed):  # type: ignore[no-untyped-def]
        if "Tuesday" in parsed.doc.text:
            raise ValueError("boom")
        return real(parsed)

    monkeypatch.setattr(annotate_module, "record_of", breaks_on_tuesday)
    analysis = analyze([str(tmp_path)])
    assert [d.source.rsplit("/", 1)[-1] for d in analysis.documents] == ["a0.txt"]
    assert [(e.source.rsplit("/", 1)[-1], e.code) for e in analysis.errors] == [("a1.txt", "SL020")]


def test_records_are_handed_on_batch_by_batch_as_they_are_made(nlp: object) -> None:
    from storylens.options import Options
    from storylens.records import AnnotatedDoc

    heard: list[list[AnnotatedDoc]] = []
    records = annotate(_docs(), Options(batch_size=2), on_records=heard.append)
    assert [[r.doc.id for r in batch] for batch in heard] == [["d0", "d1"], ["d2"]]
    assert [r for batch in heard for r in batch] == records
