"""`storylens add --dask`: the same stories, claims and contradictions as one process,
on a real 2-worker LocalCluster; a worker killed mid-run loses and duplicates nothing."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from storylens.cli_store import optional_option_values
from storylens.options import Options
from storylens.store import open_store
from storylens.store.add import add_sources
from storylens.store.repo import Store

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample"

# a second, unrelated story on invented events, so the run has several stories to link
OTHER = [
    ("Harbour Gazette", "Ferry strike halts crossings to Olmsey",
     "Ferry crews on the Olmsey route walked out on Tuesday over pay, halting all crossings. "
     "The union said 140 crew members joined the strike. The operator, Brisk Lines, said talks "
     "would resume on Thursday."),
    ("Coast Ledger", "Olmsey ferries stopped by crew walkout",
     "All ferry crossings to Olmsey stopped on Tuesday when crews went on strike over wages. "
     "According to the union, 140 crew members are on strike. Brisk Lines said it would meet "
     "union leaders on Thursday."),
]


def _corpus(tmp_path: Path) -> list[str]:
    jsonl = tmp_path / "other.jsonl"
    jsonl.write_text("".join(json.dumps({"outlet": o, "title": t, "text": x}) + "\n" for o, t, x in OTHER),
                     encoding="utf-8")
    return [str(SAMPLE), str(jsonl)]


def _snapshot(store: Store) -> list[tuple[Any, ...]]:
    out = []
    for row in store.list_stories(with_documents=True):
        analysis = store.story_analysis(row.id)
        data = json.loads(analysis.to_json()) if analysis else None
        if data:
            data.pop("stats")
        out.append((row.id, row.label, row.size, [d["id"] for d in row.documents], data))
    return sorted(out, key=lambda r: str(r[0]))


@pytest.fixture(scope="module")
def cluster() -> Any:
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="3GiB") as lc, Client(lc) as client:
        yield client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> list[tuple[Any, ...]]:
    tmp = tmp_path_factory.mktemp("one")
    store = open_store(f"sqlite:///{tmp / 'one.db'}")
    result = add_sources(store, corpus, Options())
    assert result.added == len(list(SAMPLE.iterdir())) + len(OTHER)
    snap = _snapshot(store)
    store.close()
    return snap


@pytest.mark.slow
def test_dask_gives_what_one_process_gives(
    cluster: Any, corpus: list[str], one_process: list[Any], tmp_path: Path
) -> None:
    from storylens.scale import DaskOptions, add_with_dask

    store = open_store(f"sqlite:///{tmp_path / 'dask.db'}")
    opts = DaskOptions(partition=2, chunk=2)  # several tasks per phase, even on a small corpus
    result = add_with_dask(store, corpus, Options(), opts, client=cluster)
    assert result.added == len(list(SAMPLE.iterdir())) + len(OTHER) and not result.errors
    snap = _snapshot(store)
    assert len(snap) >= 2 and all(s[4] and s[4]["claims"] for s in snap)
    assert snap == one_process
    # adding again stores nothing twice
    again = add_with_dask(store, corpus, Options(), opts, client=cluster)
    assert again.added == 0 and again.already_stored == result.added
    assert _snapshot(store) == one_process
    store.close()


@pytest.mark.slow
def test_a_killed_worker_loses_and_duplicates_nothing(
    cluster: Any, corpus: list[str], one_process: list[Any], tmp_path: Path
) -> None:
    from storylens.scale import DaskOptions, add_with_dask

    pids = cluster.run(os.getpid)
    victim = sorted(pids.values())[0]
    killed: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        # the first document is stored while the next annotate tasks run: kill a worker outright
        if stage == "adding" and done == 1 and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    store = open_store(f"sqlite:///{tmp_path / 'killed.db'}")
    opts = DaskOptions(partition=1, chunk=1, ahead=4)
    result = add_with_dask(store, corpus, Options(), opts, client=cluster, progress=progress)
    assert killed == [victim]
    cluster.wait_for_workers(2, timeout=120)
    assert victim not in cluster.run(os.getpid).values()  # the nanny started a new process
    assert result.added == len(list(SAMPLE.iterdir())) + len(OTHER)
    assert store.count_documents() == result.added
    assert _snapshot(store) == one_process
    store.close()


def test_a_bare_dask_flag_means_a_local_cluster() -> None:
    assert optional_option_values(["add", "a.jsonl", "--dask"]) == ["add", "a.jsonl", "--dask=local"]
    assert optional_option_values(["add", "--dask", "a.jsonl"]) == ["add", "--dask=local", "a.jsonl"]
    assert optional_option_values(["add", "--dask", "tcp://10.0.0.5:8786", "a.jsonl"]) == [
        "add", "--dask", "tcp://10.0.0.5:8786", "a.jsonl"]
    assert optional_option_values(["add", "--dask", "sched:8786", "x"]) == ["add", "--dask", "sched:8786", "x"]
