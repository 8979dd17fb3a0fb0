"""Scale-out on Dask: ``storylens add SOURCES --dask [SCHEDULER]``.

The heavy work is per document, so it goes to the workers; the driver keeps what must
be decided in one order, so the stored result equals ``storylens add`` in one process:

- the driver reads raw items (files, JSONL/WARC records, feed items) and cuts them into
  partitions;
- workers count each partition's short lines; the sums are the batch's boilerplate
  evidence, and each worker builds its partition's documents with them;
- the driver drops repeated texts and fills year-less bylines exactly as ``ingest`` does,
  then sends chunks of new documents to the workers, which annotate them and embed their
  sentences (``store.add.prepare_document``), returning plain records;
- the driver assigns each document a story (in input order: the incremental clusterer
  is order-dependent) and stores it, one transaction per document, so SQLite has one
  writer and a killed run resumes;
- each touched story is linked on a worker (``store.add.compute_story``) and its result
  stored by the driver.

Every task is a pure function of its arguments (no scattered data), so when a worker
dies Dask runs its tasks again elsewhere and nothing is lost or stored twice: documents
are keyed by content hash and stored only by the driver. Models load once per worker
process. Workers of a ``LocalCluster`` get a memory limit and spill to disk past it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from storylens.ingest import finish_batch, read_items
from storylens.ingest.sources import RawItem
from storylens.models import Document
from storylens.options import Options
from storylens.scale import tasks
from storylens.store.add import (
    AddResult,
    commit_document,
    finish_add,
    known_and_new,
    link_pending_with,
    load_assigner,
)
from storylens.store.assign import StoryAssigner, default_assigner
from storylens.store.repo import Store

__all__ = ["DaskOptions", "add_with_dask", "dask_client"]

Progress = Callable[[str, int, int], None]


@dataclass
class DaskOptions:
    #: scheduler address ("tcp://host:8786"); None starts a LocalCluster
    address: str | None = None
    #: workers of the LocalCluster (one process, one thread each)
    workers: int = 2
    #: memory limit per LocalCluster worker (spills to disk before it)
    memory_limit: str = "4GiB"
    #: raw items per ingest partition
    partition: int = 64
    #: documents per annotate task
    chunk: int = 8
    #: annotate tasks in flight per worker (bounds the driver's and workers' memory)
    ahead: int = 3
    #: seconds spent, by phase (filled by ``add_with_dask``)
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def dask_client(opts: DaskOptions) -> Iterator[Any]:
    """A client of the given scheduler, or of a LocalCluster started (and stopped) here."""
    from dask.distributed import Client, LocalCluster

    if opts.address:
        with Client(opts.address) as client:
            yield client
        return
    with LocalCluster(
        n_workers=opts.workers, threads_per_worker=1, processes=True, memory_limit=opts.memory_limit,
        dashboard_address=None,
    ) as cluster, Client(cluster) as client:
        yield client


def _chunks(seq: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(seq[i : i + size]) for i in range(0, len(seq), size)]


def add_with_dask(
    store: Store,
    sources: Sequence[str],
    options: Options | None = None,
    dask: DaskOptions | None = None,
    *,
    link: bool = True,
    assigner: StoryAssigner | None = None,
    progress: Progress | None = None,
    client: Any = None,
) -> AddResult:
    """``store.add.add_sources`` with the per-document work on a Dask cluster."""
    options = options or Options()
    dask = dask or DaskOptions()
    result = AddResult()
    store.lock_writer()
    result.job = store.start_job("add", {"sources": list(sources), "link": link,
                                         "dask": dask.address or f"local:{dask.workers}"})
    try:
        if client is not None:
            _add(client, store, sources, options, dask, link, assigner or default_assigner(), progress, result)
        else:
            with dask_client(dask) as own:
                _add(own, store, sources, options, dask, link, assigner or default_assigner(), progress, result)
    except BaseException as exc:
        store.update_job(result.job, result.added, result.added, state="failed", message=type(exc).__name__)
        raise
    store.update_job(result.job, result.added, result.added, state="done")
    return result


def _ingest(client: Any, sources: Sequence[str], options: Options, dask: DaskOptions,
            result: AddResult) -> tuple[list[Document], list[dict[str, str]]]:
    """``ingest`` with the per-item work on the workers; same documents, errors and duplicates."""
    items, result.errors = read_items(sources, options)
    parts: list[list[RawItem]] = _chunks(items, dask.partition)
    counts = [client.submit(tasks.line_counts, part, options, pure=False) for part in parts]
    lines = client.submit(tasks.merge_line_counts, counts)
    built = client.gather([client.submit(tasks.build, part, lines, options, pure=False) for part in parts])
    for part in built:
        result.errors += part.errors
    return finish_batch(doc for part in built for doc in part.documents)


def _add(client: Any, store: Store, sources: Sequence[str], options: Options, dask: DaskOptions, link: bool,
         assigner: StoryAssigner, progress: Progress | None, result: AddResult) -> None:
    t0 = time.perf_counter()
    if progress:
        progress("reading", 0, 0)
    documents, duplicates = _ingest(client, sources, options, dask, result)
    dask.timings["ingest"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    new = known_and_new(store, documents, result)
    load_assigner(store, assigner)
    chunks = _chunks(new, dask.chunk)
    workers = max(1, len(client.scheduler_info().get("workers", {})) or dask.workers)
    pending: deque[Any] = deque()
    submitted = 0
    # a bounded window of annotate tasks; results are committed in input order
    for _ in range(len(chunks)):
        while submitted < len(chunks) and len(pending) < workers * dask.ahead:
            pending.append(client.submit(tasks.prepare, chunks[submitted], options, pure=False))
            submitted += 1
        prepared_chunk, failed = pending.popleft().result()
        result.errors += failed
        for prepared in prepared_chunk:
            commit_document(store, assigner, prepared, result)
            if progress:
                progress("adding", result.added, len(new))
    finish_add(store, assigner, bool(new), duplicates)
    dask.timings["annotate+store"] = time.perf_counter() - t0
    if link:
        t0 = time.perf_counter()
        result.linked += link_pending_with(store, options, progress, _remote_compute(client, options))
        dask.timings["link"] = time.perf_counter() - t0


def _remote_compute(client: Any, options: Options) -> Callable[[list[Any]], Iterator[Any]]:
    """Link stories on the workers: one task per story, results in order."""

    def compute(inputs: list[Any]) -> Iterator[Any]:
        futures = [client.submit(tasks.link, one, options, pure=False) for one in inputs]
        for future in futures:
            yield future.result()

    return compute
