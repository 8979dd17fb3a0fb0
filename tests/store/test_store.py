"""The corpus store on SQLite and a real PostgreSQL server: add, re-add, list, show, merges.

Runs the real pipeline (spaCy, MiniLM) on small made-up articles (store_corpus.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from store_corpus import EVENTS, articles, write_jsonl
from typer.testing import CliRunner, Result

import storylens
import storylens.cli as cli
from storylens.models import Analysis, invalid_spans
from storylens.options import Options
from storylens.store import open_store
from storylens.store import schema as t
from storylens.store.add import add_sources, link_story
from storylens.storify.stream import StoryAssignment, StoryMerge


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def event_of(rows: list[dict[str, str]]) -> dict[str, int]:
    """url → event number (urls are https://outlet/EVENT/K)."""
    return {r["url"]: int(r["url"].split("/")[3]) for r in rows}


def test_add_list_show_and_idempotent_readd(db_url: str, tmp_path: Path) -> None:
    rows = articles(per_event=2)
    src = write_jsonl(tmp_path / "batch.jsonl", rows)
    first = invoke("add", str(src), "--db", db_url, "--quiet")
    assert first.exit_code == 0, first.output
    listed = invoke("stories", "--db", db_url, "-f", "json")
    assert listed.exit_code == 0, listed.output
    stories = json.loads(listed.stdout)
    # every article in exactly one story, and a story holds one event's articles
    urls = [d["url"] for s in stories for d in s["documents"]]
    assert sorted(urls) == sorted(r["url"] for r in rows)
    events = event_of(rows)
    for s in stories:
        assert len({events[d["url"]] for d in s["documents"]}) == 1, s
        assert s["linked"] and s["size"] == len(s["documents"])
        assert set(s["outlets"]) == {r["outlet"] for r in rows if r["url"] in {d["url"] for d in s["documents"]}}
    assert len(stories) == len(EVENTS)

    with open_store(db_url) as store:
        before = _snapshot(store)
    # the same file again, and one article's text from another outlet: nothing new is stored
    again = invoke("add", str(src), "--db", db_url)
    assert again.exit_code == 0
    assert f"added 0 documents ({len(rows)} already stored)" in again.stderr
    copy = dict(rows[0], outlet="copy-desk.example", url="https://copy-desk.example/wire/1")
    invoke("add", str(write_jsonl(tmp_path / "copy.jsonl", [copy])), "--db", db_url, "--quiet")
    with open_store(db_url) as store:
        after = _snapshot(store)
        assert after["documents"] == before["documents"]
        assert after["linked_at"] == before["linked_at"], "re-adding known texts re-linked a story"
        with store.read() as conn:
            seen = conn.execute(select(t.document_sources.c.outlet).order_by(t.document_sources.c.outlet)).scalars()
            assert "copy-desk.example" in list(seen)
        holding = [s for s in store.list_stories(with_documents=True)
                   if rows[0]["url"] in {d["url"] for d in s.documents}]
        assert len(holding) == 1 and "copy-desk.example" in holding[0].outlets
        assert store.integrity_problems() == []

    # show renders one story with the report renderers, in every format
    story = next(s for s in stories if s["size"] == 2)
    as_json = invoke("show", story["id"], "--db", db_url, "-f", "json")
    assert as_json.exit_code == 0, as_json.output
    analysis = Analysis.model_validate_json(as_json.stdout)
    assert sorted(d.id for d in analysis.documents) == sorted(d["id"] for d in story["documents"])
    assert analysis.claims and invalid_spans(analysis) == []
    md = invoke("show", story["id"][:7], "--db", db_url, "-f", "md")
    assert md.exit_code == 0 and story["documents"][0]["title"] in md.stdout
    html = invoke("show", story["id"], "--db", db_url, "-f", "html", "-o", str(tmp_path / "s.html"), "--quiet")
    assert html.exit_code == 0 and (tmp_path / "s.html").read_text().startswith("<!DOCTYPE html>")

    # filters
    q = json.loads(invoke("stories", "--db", db_url, "-f", "json", "--q", "EASTPORT").stdout)
    assert [len(s["documents"]) for s in q] == [2] and all("/1/" in d["url"] for d in q[0]["documents"])
    late = json.loads(invoke("stories", "--db", db_url, "-f", "json", "--since", "2031-06-01").stdout)
    assert {s["first_seen"] for s in late} == {"2031-06-02", "2031-07-19"}
    table = invoke("stories", "--db", db_url)
    assert table.exit_code == 0 and story["id"] in table.stdout


def _snapshot(store: Any) -> dict[str, Any]:
    with store.read() as conn:
        docs = sorted(conn.execute(select(t.documents.c.id)).scalars())
        linked = sorted((r.id, str(r.linked_at)) for r in conn.execute(select(t.stories)))
    return {"documents": docs, "linked_at": linked}


def _comparable(analysis: Analysis) -> dict[str, Any]:
    data = json.loads(analysis.to_json())
    data.pop("stats")
    for doc in data["documents"]:
        doc.pop("source")  # the path the article was read from differs between the two runs
    return data


def test_incremental_link_equals_from_scratch(db_url: str, tmp_path: Path) -> None:
    rows = articles(per_event=3)
    bridge = [r for r in rows if "/0/" in r["url"]]
    fire = [r for r in rows if "/1/" in r["url"]]
    options = Options()
    with open_store(db_url) as store:
        add_sources(store, [str(write_jsonl(tmp_path / "day1.jsonl", [bridge[0], fire[0]]))], options)
    with open_store(db_url) as store:
        linked_before = {s.id: s for s in store.list_stories()}
        fire_story = next(s for s in linked_before.values() if s.label in {r["title"] for r in fire})
        with store.read() as conn:
            fire_linked_at = conn.execute(select(t.stories.c.linked_at).where(t.stories.c.id == fire_story.id)).scalar()
        result = add_sources(store, [str(write_jsonl(tmp_path / "day2.jsonl", bridge[1:]))], options)
        assert result.added == 2
        # only the touched story was re-linked
        assert len(result.linked) == 1 and result.linked[0] != fire_story.id
        with store.read() as conn:
            assert conn.execute(select(t.stories.c.linked_at).where(
                t.stories.c.id == fire_story.id)).scalar() == fire_linked_at
        incremental = store.story_analysis(result.linked[0])
    assert incremental is not None
    scratch = storylens.analyze([str(write_jsonl(tmp_path / "scratch.jsonl", bridge))], options)
    assert len(scratch.documents) == 3 and scratch.contradictions, "the check needs a story with contradictions"
    assert _comparable(incremental) == _comparable(scratch)


class ScriptedAssigner:
    """A deterministic assigner for the merge bookkeeping: event number → story, merging on request."""

    name = "scripted/1"

    def __init__(self, merge_at: str) -> None:
        self.merge_at = merge_at
        self.count = 0

    def features(self, ann: Any, lead: np.ndarray) -> dict[str, Any]:
        return {"url": ann.doc.url}

    def load(self, stored: Any, merges: Any) -> None:
        self.count = len(list(stored))

    def assign(self, doc_id: str, lead: np.ndarray, features: dict[str, Any]) -> StoryAssignment:
        event = features["url"].split("/")[3]
        self.count += 1
        if features["url"] == self.merge_at:
            merge = StoryMerge(absorbed="story-1", into="story-0", at=self.count - 1, similarity=0.5)
            return StoryAssignment(doc_id=doc_id, story_id="story-0", created=False, similarity=0.5, merges=(merge,))
        return StoryAssignment(doc_id=doc_id, story_id=f"story-{event}", created=False, similarity=0.5)


def test_merge_is_recorded_and_old_ids_resolve(db_url: str, tmp_path: Path) -> None:
    rows = [r for r in articles(per_event=2) if r["url"].split("/")[3] in ("0", "1")]
    last = rows[-1]
    with open_store(db_url) as store:
        add_sources(store, [str(write_jsonl(tmp_path / "a.jsonl", rows[:-1]))], assigner=ScriptedAssigner(""),
                    link=False)
        assert {s.id for s in store.list_stories()} == {"story-0", "story-1"}
        add_sources(store, [str(write_jsonl(tmp_path / "b.jsonl", [last]))], assigner=ScriptedAssigner(last["url"]))
        (only,) = store.list_stories()
        assert only.id == "story-0" and only.size == len(rows) and not only.needs_link
        assert store.merges() == {"story-1": "story-0"}
        assert [(m.absorbed, m.into, m.at) for m in store.merge_records()] == [("story-1", "story-0", len(rows) - 1)]
        # the assigner is replayed with the story each document was given on arrival
        given = {f.features["url"]: f.story_id for f in store.stored_features()}
        assert given == {r["url"]: "story-1" if "/1/" in r["url"] and r is not last else "story-0" for r in rows}
        assert "story-1" in given.values()
        assert store.resolve("story-1") == "story-0"
        assert store.integrity_problems() == []
    shown = invoke("show", "story-1", "--db", db_url, "-f", "json")
    assert shown.exit_code == 0 and len(Analysis.model_validate_json(shown.stdout).documents) == len(rows)


def test_no_link_defers_linking_to_show(db_url: str, tmp_path: Path) -> None:
    rows = articles(per_event=2)[:2]
    res = invoke("add", str(write_jsonl(tmp_path / "a.jsonl", rows)), "--db", db_url, "--no-link", "--quiet")
    assert res.exit_code == 0
    stories = json.loads(invoke("stories", "--db", db_url, "-f", "json").stdout)
    assert stories and not any(s["linked"] for s in stories)
    shown = invoke("show", stories[0]["id"], "--db", db_url, "-f", "json")
    assert shown.exit_code == 0, shown.output
    assert Analysis.model_validate_json(shown.stdout).documents
    with open_store(db_url) as store:
        assert stories[0]["id"] not in store.stories_to_link()
        # linking again from the stored records gives the same analysis
        before = store.story_analysis(stories[0]["id"])
        assert link_story(store, stories[0]["id"], Options())
        again = store.story_analysis(stories[0]["id"])
        assert before is not None and again is not None
        assert again.model_dump(exclude={"stats"}) == before.model_dump(exclude={"stats"})


def test_assigner_state_rebuilds_from_the_database(db_url: str, tmp_path: Path) -> None:
    rows = articles(per_event=2)
    with open_store(db_url) as store:
        add_sources(store, [str(write_jsonl(tmp_path / "a.jsonl", rows))], link=False)
        stored = list(store.stored_features())
        vectors = store.vectors([s.doc_id for s in stored], "sentences")
    with open_store(db_url) as store:
        order = [d["url"] for s in store.list_stories(with_documents=True) for d in s.documents]
    assert len(stored) == len(rows) == len(order)
    # insertion order: the assigner replays documents as they were added
    assert [r.features["entities"] is not None for r in stored] == [True] * len(rows)
    for s in stored:
        assert s.lead.dtype == np.float32 and abs(float(np.linalg.norm(s.lead)) - 1.0) < 1e-4
        assert vectors[s.doc_id].shape[1] == 384


def test_assigner_snapshot_replays_only_later_documents(db_url: str, tmp_path: Path,
                                                        monkeypatch: Any) -> None:
    from storylens.store import add as add_module
    from storylens.store.add import load_assigner
    from storylens.storify.assigner import StreamAssigner

    rows = articles(per_event=3)
    half = len(rows) // 2
    monkeypatch.setattr(add_module, "SNAPSHOT_EVERY", 2)
    with open_store(db_url) as store:
        add_sources(store, [str(write_jsonl(tmp_path / "a.jsonl", rows[:half]))], link=False)
        saved = store.assigner_snapshot(StreamAssigner.name)
        assert saved is not None
        # a later add that saves none leaves the snapshot a valid prefix: the rest is replayed
        monkeypatch.setattr(add_module, "SNAPSHOT_EVERY", 10**6)
        add_sources(store, [str(write_jsonl(tmp_path / "b.jsonl", rows[half:]))], link=False)
        assert store.assigner_snapshot(StreamAssigner.name) == saved
        replayed_after = list(store.stored_features(after_seq=saved[0]))
        assert len(replayed_after) == len(rows) - half
        restored, full = StreamAssigner(), StreamAssigner()
        load_assigner(store, restored)
        full.load(store.stored_features(), store.merge_records())
        assert restored.snapshot_docs == half and full.snapshot_docs == 0
        assert len(restored) == len(full) == len(rows)
        assert restored.clusterer.stories() == full.clusterer.stories()
        assert [(m.absorbed, m.into) for m in restored.clusterer.merges] == [
            (m.absorbed, m.into) for m in full.clusterer.merges]
        # both decide the next document alike
        probe = next(iter(store.stored_features()))
        other = dict(probe.features, days=[], lead_days=[])
        assert (restored.assign("probe", probe.lead, other).story_id == full.assign("probe", probe.lead, other).story_id)
        # a snapshot that no longer fits the documents (here: one row gone) is not used
        with store.write() as conn:
            conn.execute(t.assigner_snapshots.update().values(docs=half + 1))
        assert store.assigner_snapshot(StreamAssigner.name) is None
    # snapshots of another format are refused, not misread
    assert not StreamAssigner().restore({"meta": b"not a snapshot"})
    assert not StreamAssigner().restore({})


def test_one_add_per_article_gives_the_stories_of_one_add_of_all(db_url: str, tmp_path: Path) -> None:
    """Batch equivalence: the stories do not depend on how the articles are split into calls
    (each call rebuilds the assigner from the database: replay and snapshot)."""
    rows = articles(per_event=2)
    whole = f"sqlite:///{tmp_path / 'whole.db'}"
    with open_store(whole) as store:
        add_sources(store, [str(write_jsonl(tmp_path / "all.jsonl", rows))], link=False)
        expected = {s.id: sorted(d["url"] or "" for d in s.documents) for s in store.list_stories(with_documents=True)}
    with open_store(db_url) as store:
        for k, row in enumerate(rows):
            add_sources(store, [str(write_jsonl(tmp_path / f"one{k}.jsonl", [row]))], link=False)
        got = {s.id: sorted(d["url"] or "" for d in s.documents) for s in store.list_stories(with_documents=True)}
    assert got == expected
    assert len(expected) >= len(EVENTS)


def test_an_undated_article_does_not_stretch_a_dated_story_to_today(db_url: str, tmp_path: Path) -> None:
    rows = [r for r in articles(per_event=3) if r["url"].split("/")[3] == "0"]
    undated = {k: v for k, v in rows[2].items() if k != "published"}
    assert invoke("add", str(write_jsonl(tmp_path / "a.jsonl", rows[:2])), "--db", db_url, "--quiet").exit_code == 0
    assert invoke("add", str(write_jsonl(tmp_path / "b.jsonl", [undated])), "--db", db_url, "--quiet").exit_code == 0
    stories = json.loads(invoke("stories", "--db", db_url, "-f", "json").stdout)
    [story] = [s for s in stories if undated["url"] in {d["url"] for d in s["documents"]}]
    assert story["size"] == 3, stories  # one event, one story
    assert (story["first_seen"], story["last_seen"]) == (rows[0]["published"], rows[0]["published"])


def test_seen_range_prefers_publication_days() -> None:
    from storylens.store.repo import _seen_range

    assert _seen_range(("2031-04-07", "2031-04-09", True), ("2031-11-30", "2031-11-30", False)) == (
        "2031-04-07", "2031-04-09")
    assert _seen_range(("2031-11-30", "2031-11-30", False), ("2031-04-08", "2031-04-08", True)) == (
        "2031-04-08", "2031-04-08")
    assert _seen_range(("2031-11-29", "2031-11-29", False), ("2031-11-30", "2031-11-30", False)) == (
        "2031-11-29", "2031-11-30")
    assert _seen_range(("2031-04-07", "2031-04-07", True), ("2031-05-01", "2031-05-02", True)) == (
        "2031-04-07", "2031-05-02")


def test_a_snapshot_save_writes_only_the_chunks_that_changed(db_url: str, tmp_path: Path, monkeypatch: Any) -> None:
    """The assigner's state is kept in chunks: saving it again unchanged writes nothing, saving it
    after more documents writes less than the whole, and what is read back is what was saved."""
    from storylens.store import chunks
    from storylens.store.add import load_assigner
    from storylens.storify.assigner import StreamAssigner

    monkeypatch.setattr(chunks, "CHUNK_BYTES", 4096)
    rows = articles(per_event=3)
    half = len(rows) - 1  # the last save covers all but one: the next writes what one document changed
    with open_store(db_url) as store:
        add_sources(store, [str(write_jsonl(tmp_path / "a.jsonl", rows[:half]))], link=False)
        assigner = StreamAssigner()
        load_assigner(store, assigner)
        parts = assigner.snapshot()
        total = sum(len(memoryview(v).cast("B")) for v in parts.values())
        first = store.save_assigner_snapshot(assigner.name, len(assigner), parts)
        # compressed: the fixed-size tables are mostly zeros in a small corpus
        assert first is not None and 0 < first < total / 2
        assert store.save_assigner_snapshot(assigner.name, len(assigner), assigner.snapshot()) == 0
        saved = store.assigner_snapshot(assigner.name)
        assert saved is not None and saved[1] == {k: bytes(v) for k, v in assigner.snapshot().items()}
        add_sources(store, [str(write_jsonl(tmp_path / "b.jsonl", rows[half:]))], link=False)
        grown = StreamAssigner()
        load_assigner(store, grown)
        assert grown.snapshot_docs == half and len(grown) == len(rows)
        parts = grown.snapshot()
        # the same state saved where no chunk is stored yet: what a save of the whole state writes
        whole = store.save_assigner_snapshot("whole-state", len(grown), parts)
        written = store.save_assigner_snapshot(grown.name, len(grown), parts)
        assert whole is not None and written is not None and 0 < written < whole / 2
        saved = store.assigner_snapshot(grown.name)
        assert saved is not None and saved[1] == {k: bytes(v) for k, v in grown.snapshot().items()}
        again = StreamAssigner()
        load_assigner(store, again)
        assert again.snapshot_docs == len(rows) and again.clusterer.stories() == grown.clusterer.stories()
        # a count that does not match the stored documents is refused, nothing written
        assert store.save_assigner_snapshot(grown.name, len(grown) + 1, parts) is None
