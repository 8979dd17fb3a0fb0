"""Per-document records are plain data: a JSON round trip changes nothing downstream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens.annotate import annotate
from storylens.api import analyze_documents
from storylens.ingest import ingest
from storylens.models import Analysis
from storylens.options import Options
from storylens.records import AnnotatedDoc

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample"


def _link(records: list[AnnotatedDoc]) -> dict[str, object]:
    analysis = Analysis(documents=[r.doc for r in records])
    analyze_documents(records, Options(), analysis, {})
    data = json.loads(analysis.to_json())
    data.pop("stats")
    return data


@pytest.mark.slow
def test_json_round_trip_of_records_gives_the_same_analysis(nlp: object) -> None:
    docs = ingest([str(SAMPLE)], Options()).documents
    records = annotate(docs)
    assert records and all(r.drafts for r in records)
    dumped = [r.model_dump_json() for r in records]
    assert all("sp" not in json.loads(d) for d in dumped)
    reloaded = [AnnotatedDoc.model_validate_json(d) for d in dumped]
    assert reloaded == records
    assert _link(reloaded) == _link(records)


@pytest.mark.slow
def test_two_worker_processes_give_the_same_analysis(nlp: object) -> None:
    one = ingest([str(SAMPLE)], Options()).documents
    two = ingest([str(SAMPLE)], Options()).documents
    serial = annotate(one, Options())
    done: list[int] = []
    parallel = annotate(two, Options(n_process=2, batch_size=2), done.append)
    assert sum(done) == len(two)
    assert [r.model_dump() for r in parallel] == [r.model_dump() for r in serial]
    # the caller's documents are filled as in one process
    assert all(d.sentences and d is r.doc for d, r in zip(two, parallel, strict=True))
    assert _link(parallel) == _link(serial)


def _model_already_loaded() -> bool:
    from storylens.annotate import nlp

    return nlp._nlp is not None


@pytest.mark.slow
def test_workers_start_with_the_model_loaded() -> None:
    """-j's workers are forks of a process that loaded the model: none loads it again."""
    from concurrent.futures import ProcessPoolExecutor

    from storylens.annotate import _worker_context

    with ProcessPoolExecutor(max_workers=1, mp_context=_worker_context()) as pool:
        assert pool.submit(_model_already_loaded).result(timeout=300)


def _frozen_objects() -> int:
    import gc

    return gc.get_freeze_count()


@pytest.mark.slow
def test_workers_start_with_what_the_fork_server_loaded_set_aside_from_the_collector() -> None:
    """The model and modules the fork server loaded are frozen before any worker is forked:
    a worker's full collections skip them (and leave the pages it shares unwritten)."""
    from concurrent.futures import ProcessPoolExecutor

    from storylens.annotate import _worker_context

    with ProcessPoolExecutor(max_workers=1, mp_context=_worker_context()) as pool:
        assert pool.submit(_frozen_objects).result(timeout=300) > 10_000


@pytest.mark.slow
def test_a_large_batch_stops_the_fork_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a batch this large the model copy in the fork server is not kept through link;
    the next -j annotate starts a fork server again."""
    from multiprocessing import forkserver

    import storylens.annotate as annotate_module

    monkeypatch.setattr(annotate_module, "RELEASE_AFTER_DOCS", 3)
    docs = ingest([str(SAMPLE)], Options()).documents[:3]
    assert len(annotate(docs, Options(n_process=2, batch_size=1))) == 3
    assert forkserver._forkserver._forkserver_pid is None  # type: ignore[attr-defined]
    again = ingest([str(SAMPLE)], Options()).documents[:2]
    assert len(annotate(again, Options(n_process=2, batch_size=1))) == 2
    assert forkserver._forkserver._forkserver_pid is not None  # type: ignore[attr-defined]


@pytest.mark.slow
def test_link_sets_the_records_aside_from_the_collector_and_gives_them_back(nlp: object) -> None:
    """The cross-document steps run with the objects alive before them frozen (full
    collections then skip the records); afterwards the collector has them again, and a
    process that had frozen objects itself is left as it was."""
    import gc

    records = annotate(ingest([str(SAMPLE)], Options()).documents)
    assert gc.get_freeze_count() == 0
    during: list[int] = []
    analyze_documents(records, Options(), Analysis(documents=[r.doc for r in records]), {},
                      lambda *_: during.append(gc.get_freeze_count()))
    assert during and all(n > 0 for n in during)
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        analyze_documents(records, Options(), Analysis(documents=[r.doc for r in records]), {})
        # not unfrozen, nothing more frozen (frozen objects that died are gone from the count)
        assert 0 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()


@pytest.mark.slow
def test_embedding_ahead_during_annotate_changes_no_answer(nlp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """In one process annotate leaves a core idle and the sentences are embedded on it as
    the records are made; the analysis is the one made without that."""
    import storylens.api as api
    from storylens import analyze
    from storylens.embed import CachedEmbedder

    queued: list[str] = []
    real_ahead = CachedEmbedder.ahead

    def ahead(self: CachedEmbedder, texts: list[str]) -> None:
        queued.extend(texts)
        real_ahead(self, texts)

    monkeypatch.setattr(CachedEmbedder, "ahead", ahead)
    monkeypatch.setattr(api, "default_threads", lambda: 2)
    embedder = api.get_embedder()
    assert isinstance(embedder, CachedEmbedder)
    embedder._cache.clear()  # nothing from other tests: the vectors are made ahead here
    with_ahead = json.loads(analyze([str(SAMPLE)], Options()).to_json())
    assert queued
    monkeypatch.setattr(api, "default_threads", lambda: 1)
    queued.clear()
    embedder = api.get_embedder()
    assert isinstance(embedder, CachedEmbedder)
    embedder.drop_ahead()
    embedder._cache.clear()  # every vector computed again, in link's own calls
    without = json.loads(analyze([str(SAMPLE)], Options()).to_json())
    assert not queued
    with_ahead.pop("stats")
    without.pop("stats")
    assert with_ahead == without
