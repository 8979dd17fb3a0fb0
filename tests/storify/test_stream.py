"""Incremental stories: stable ids, recorded merges, time, and state as data."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from tests.storify import invented

from storylens.storify.features import DocFeatures
from storylens.storify.stream import IncrementalClusterer, StreamParams, story_id_for


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[DocFeatures]]:
    events = {
        "fire_march": invented.MILL_FIRE_MARCH, "fire_september": invented.MILL_FIRE_SEPTEMBER,
        "coach_2005": invented.COACH_2005, "coach_2008": invented.COACH_2008, "ferry": invented.FERRY,
    }
    feats = invented.features([a for arts in events.values() for a in arts])
    out, pos = {}, 0
    for name, arts in events.items():
        out[name] = feats[pos : pos + len(arts)]
        pos += len(arts)
    return out


def test_two_rulings_on_one_law_a_week_apart_are_two_stories() -> None:
    first, second = invented.RULING_FIRST, invented.RULING_SECOND
    feats = invented.features(first + second)
    for seed in range(3):
        order = list(feats)
        random.Random(seed).shuffle(order)
        clusterer = IncrementalClusterer()
        clusterer.assign_many(order)
        clusterer.settle(final=True)
        assert _partition(clusterer) == {frozenset(f.doc_id for f in feats[:3]), frozenset(f.doc_id for f in feats[3:])}
        # yet they are one subject: one thread
        threads = clusterer.threads()
        assert len({threads[s] for s in clusterer.stories()}) == 1


def _partition(clusterer: IncrementalClusterer) -> set[frozenset[str]]:
    return {frozenset(docs) for docs in clusterer.stories().values()}


def _gold(corpus: dict[str, list[DocFeatures]]) -> set[frozenset[str]]:
    return {frozenset(f.doc_id for f in feats) for feats in corpus.values()}


def test_same_kind_incidents_months_apart_are_two_stories(corpus: dict[str, list[DocFeatures]]) -> None:
    clusterer = IncrementalClusterer()
    for name in ("fire_march", "fire_september", "coach_2005", "coach_2008"):
        clusterer.assign_many(corpus[name])
    stories = _partition(clusterer)
    for name in ("fire_march", "fire_september", "coach_2005", "coach_2008"):
        assert frozenset(f.doc_id for f in corpus[name]) in stories, name


def test_story_ids_are_stable_and_merges_resolve(corpus: dict[str, list[DocFeatures]]) -> None:
    clusterer = IncrementalClusterer()
    first_story: dict[str, str] = {}
    feats = [f for fs in corpus.values() for f in fs]
    random.Random(3).shuffle(feats)
    for f in feats:
        assignment = clusterer.assign(f)
        first_story[f.doc_id] = assignment.story_id
        if assignment.created:
            assert assignment.story_id == story_id_for(f.doc_id)
        # no earlier document moved, except through a recorded merge
        for doc_id, sid in first_story.items():
            assert clusterer.resolve(sid) == clusterer.story_of(doc_id)
    before = clusterer.stories()
    # two stories declared one: the younger id now resolves to the older, nothing else moves
    a, b = sorted(before, key=lambda sid: feats.index(next(x for x in feats if x.doc_id == before[sid][0])))[:2]
    merge = clusterer.merge(a, b)
    assert (merge.into, merge.absorbed) == (a, b)
    assert clusterer.resolve(b) == a and clusterer.merges[-1] == merge
    after = clusterer.stories()
    assert sorted(after[a]) == sorted(before[a] + before[b])
    assert {k: v for k, v in after.items() if k != a} == {k: v for k, v in before.items() if k not in (a, b)}
    # assigning an already assigned document changes nothing
    again = clusterer.assign(feats[0])
    assert not again.created and again.story_id == clusterer.story_of(feats[0].doc_id)


def test_state_round_trips_as_plain_data(corpus: dict[str, list[DocFeatures]]) -> None:
    feats = [f for fs in corpus.values() for f in fs]
    clusterer = IncrementalClusterer()
    clusterer.assign_many(feats[:9])
    ids = list(clusterer.stories())
    clusterer.merge(ids[0], ids[1])
    state = json.loads(json.dumps(clusterer.to_state(feats)))
    restored = IncrementalClusterer.from_state(state)
    assert restored.stories() == clusterer.stories()
    assert restored.resolve(ids[1]) == ids[0]
    # and both go on deciding alike
    assert [restored.assign(f).story_id for f in feats[9:]] == [clusterer.assign(f).story_id for f in feats[9:]]


def test_batch_equals_one_by_one_and_shuffled(corpus: dict[str, list[DocFeatures]]) -> None:
    from storylens.link.entities import canonicalize
    from storylens.storify import split_stories

    feats = [f for fs in corpus.values() for f in fs]
    gold = _gold(corpus)
    # the batch path (split_stories, one call over the whole corpus) finds the same stories
    records = invented.annotate_articles(invented.MILL_FIRE_MARCH + invented.MILL_FIRE_SEPTEMBER + invented.COACH_2005
                                         + invented.COACH_2008 + invented.FERRY)
    entities, index = canonicalize(records)
    assert {frozenset(s.docs) for s in split_stories(records, entities, index)} == gold
    # one add call (the call's words counted for IDF first)
    one_call = IncrementalClusterer()
    one_call.observe(feats)
    one_call.assign_many(feats)
    one_call.settle(final=True)
    assert _partition(one_call) == gold
    for seed in range(3):
        order = list(feats)
        random.Random(seed).shuffle(order)
        clusterer = IncrementalClusterer()
        for f in order:
            clusterer.assign(f)
        clusterer.settle(final=True)
        assert _partition(clusterer) == gold, seed


def test_store_assigner_rebuilds_from_rows(corpus: dict[str, list[DocFeatures]]) -> None:
    from dataclasses import dataclass
    from typing import Any

    from storylens.storify.assigner import StreamAssigner

    @dataclass
    class Row:  # what a store hands back per document
        doc_id: str
        story_id: str
        lead: np.ndarray
        features: dict[str, Any]

    feats = [f for fs in corpus.values() for f in fs]
    live, rows, merges = StreamAssigner(), [], {}
    for f in feats[:10]:
        stored = f.to_row()
        del stored["vector"]
        got = live.assign(f.doc_id, f.vector, stored)
        rows.append(Row(f.doc_id, got.story_id, f.vector, stored))
        merges.update({m.absorbed: m.into for m in got.merges})
    rebuilt = StreamAssigner()
    rebuilt.load(rows, merges)
    assert rebuilt.clusterer.stories() == live.clusterer.stories()
    for f in feats[10:]:
        stored = f.to_row()
        del stored["vector"]
        assert rebuilt.assign(f.doc_id, f.vector, stored).story_id == live.assign(f.doc_id, f.vector, stored).story_id


def test_blocked_batch_split_equals_one_dense_matrix(corpus: dict[str, list[DocFeatures]]) -> None:
    """The batch split clusters block by block; the union of the blocks is the dense clustering."""
    import numpy as np
    from scipy import sparse
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    from storylens.storify import (
        DISTANCE_THRESHOLD,
        SINGLETON_ATTACH,
        W_DATE,
        W_ENT,
        W_TEXT,
        W_TFIDF,
        attach_singletons,
    )
    from storylens.storify.blocked import (
        BatchFeatures,
        block_similarity,
        blocked_labels,
        candidate_components,
    )

    feats = [f for fs in corpus.values() for f in fs]
    vocab = sorted({t for f in feats for t in f.terms})
    col = {t: i for i, t in enumerate(vocab)}
    rows = sparse.lil_matrix((len(feats), len(vocab)), dtype=np.float32)
    for i, f in enumerate(feats):
        norm = sum(v * v for v in f.terms.values()) ** 0.5
        for t, v in f.terms.items():
            rows[i, col[t]] = v / norm
    ents = [{e: 1.0 / len(f.entities) ** 0.5 for e in f.entities} for f in feats]
    batch = BatchFeatures(np.stack([f.vector for f in feats]), rows.tocsr(), ents, [set(f.days) for f in feats])
    weights = (W_TEXT, W_TFIDF, W_ENT, W_DATE)
    sim = block_similarity(batch, range(len(feats)), weights)
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    dense = attach_singletons([int(x) for x in AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=DISTANCE_THRESHOLD,
    ).fit_predict(dist)], sim, SINGLETON_ATTACH)
    assert len(candidate_components(batch, 0.14, weights)) > 1  # the blocks really split the batch
    blocked = blocked_labels(batch, DISTANCE_THRESHOLD, SINGLETON_ATTACH, weights)
    assert adjusted_rand_score(dense, blocked) == 1.0
    # a block cap below the corpus size sends the largest block to the incremental clusterer
    capped = blocked_labels(batch, DISTANCE_THRESHOLD, SINGLETON_ATTACH, weights, max_block=2)
    assert len(capped) == len(feats) and len(set(capped)) >= 2


def test_replay_of_a_store_that_moved_the_absorbed_members() -> None:
    """The store files a merged story's documents under the surviving id; replaying its rows
    with the recorded merge must not need the absorbed story, and its id still resolves."""
    import numpy as np

    from storylens.storify.features import DocFeatures
    from storylens.storify.stream import IncrementalClusterer, StoryMerge

    def features(doc_id: str, seed: int) -> DocFeatures:
        v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
        return DocFeatures(doc_id=doc_id, vector=v / np.linalg.norm(v), terms={"ferry": 1.0}, entities={})

    rows = [(features("d1", 1), "s_first"), (features("d2", 2), "s_first"), (features("d3", 3), "s_first")]
    merge = StoryMerge(absorbed="s_second", into="s_first", at=2, similarity=0.5)
    clusterer = IncrementalClusterer()
    clusterer.replay(rows, [merge])
    assert clusterer.resolve("s_second") == "s_first"
    assert clusterer.stories() == {"s_first": ["d1", "d2", "d3"]}
    assert merge in clusterer.merges


def test_snapshot_restores_a_clusterer_that_decides_alike(corpus: dict[str, list[DocFeatures]]) -> None:
    feats = [f for fs in corpus.values() for f in fs]
    random.Random(5).shuffle(feats)
    live = IncrementalClusterer()
    live.assign_many(feats[:10])
    data = live.snapshot()
    restored = IncrementalClusterer.restore(data)
    assert restored is not None and restored.stories() == live.stories()
    assert [restored.assign(f).story_id for f in feats[10:]] == [live.assign(f).story_id for f in feats[10:]]
    assert restored.settle(final=True) == live.settle(final=True)
    assert restored.stories() == live.stories() and restored.merges == live.merges
    # bytes of another format, or written with other parameters, are refused
    from storylens.storify.stream import StreamParams

    assert IncrementalClusterer.restore(b"garbage") is None
    assert IncrementalClusterer.restore(data, StreamParams(join=0.5)) is None


def test_idle_stories_keep_small_summaries(corpus: dict[str, list[DocFeatures]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory: a story nobody joined for a while keeps only its heaviest words and entities."""
    from storylens.storify import stream
    from storylens.storify.stream import StreamParams

    monkeypatch.setattr(stream, "COMPACT_EVERY", 1)
    params = StreamParams(idle_docs=4, idle_terms=5, idle_entities=2, idle_dated=1)
    clusterer = IncrementalClusterer(params)
    first = corpus["coach_2005"]
    clusterer.assign_many(first)
    number = clusterer._story_index[clusterer.story_of(first[0].doc_id)]
    story = clusterer._story(number)
    assert len(story.term_keys) > 5 and number in clusterer._hot
    heaviest = set(story.term_keys[np.argsort(-story.term_vals)[:5]].tolist())
    clusterer.assign_many(corpus["ferry"] + corpus["fire_march"])
    # out of memory (spilled), read back when compared with
    assert number not in clusterer._hot
    story = clusterer._story(number)
    assert len(story.term_keys) == 5 and set(story.term_keys.tolist()) == heaviest
    assert len(story.ent_keys) <= 2 and len(story.member_days) <= 1
    # the shrunk story still takes its own late report
    late = DocFeatures(doc_id="late", vector=first[1].vector, terms=first[1].terms, entities=first[1].entities,
                       days=first[1].days, lead_days=first[1].lead_days, published=first[1].published)
    assert clusterer.assign(late).story_id == clusterer.story_of(first[0].doc_id)


def test_latest_year_named_tells_undated_incidents_apart() -> None:
    from dataclasses import replace

    from storylens.storify.features import latest_year

    assert latest_year(["2004", "2004-05/2005-06", "2005-05-24T15:23", None, "2005-W21"], None) == 2005
    assert latest_year(["1999"], "2003-02-01") == 2003
    assert latest_year([], None) is None
    # six undated reports alike in every word (similarity 0.75); only the latest year each names differs
    vec = np.ones(8, dtype=np.float32) / np.sqrt(8)
    base = DocFeatures(doc_id="", vector=vec, terms={"coach": 1.0, "fired": 1.0, "club": 1.0}, entities={})
    feats = [replace(base, doc_id=f"d{i}", year=2005 if i < 3 else 2008) for i in range(6)]
    for w_year, stories in ((0.0, 1), (StreamParams().w_year, 2)):
        clusterer = IncrementalClusterer(replace(StreamParams(), w_year=w_year, join=0.7, merge=0.7))
        clusterer.assign_many(feats)
        clusterer.settle(final=True)
        assert len(clusterer.stories()) == stories


def test_spilled_stories_decide_as_in_memory_ones(corpus: dict[str, list[DocFeatures]],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory: idle stories leave memory (spill file) and only a bounded cache of them is read
    back; where a summary lives never changes a decision, and a snapshot taken while stories are
    spilled restores a clusterer that goes on deciding alike."""
    from storylens.storify import stream

    feats = [f for fs in corpus.values() for f in fs]
    random.Random(3).shuffle(feats)
    params = StreamParams(idle_docs=3, idle_terms=5, idle_entities=2, idle_dated=1)
    monkeypatch.setattr(stream, "COMPACT_EVERY", 1)
    roomy = IncrementalClusterer(params)
    roomy_ids = [roomy.assign(f).story_id for f in feats]
    monkeypatch.setattr(stream, "COLD_CACHE", 2)
    monkeypatch.setattr(stream, "HOT_STORIES", 2)
    tight = IncrementalClusterer(params)
    half = len(feats) // 2
    tight_ids = [tight.assign(f).story_id for f in feats[:half]]
    assert len(tight._cache) <= 2 and len(tight._hot) <= 2 and tight._cold_wide
    restored = IncrementalClusterer.restore_parts({k: bytes(v) for k, v in tight.snapshot_parts().items()}, params)
    assert restored is not None and restored.stories() == tight.stories()
    rest = [f for f in feats[half:]]
    assert [restored.assign(f).story_id for f in rest] == [tight.assign(f).story_id for f in rest]
    tight_ids += [tight.story_of(f.doc_id) for f in rest]
    assert tight_ids[:half] == roomy_ids[:half]
    assert tight.stories() == roomy.stories() == restored.stories()
    assert [m.absorbed for m in tight.merges] == [m.absorbed for m in roomy.merges]
    # memory in use: a bounded number of summaries, not one per story
    assert len(tight._hot) <= 2 < tight.story_count()


def test_document_ids_are_told_apart_even_when_their_hashes_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    from storylens.storify import stream

    monkeypatch.setattr(stream._IdTable, "key", staticmethod(lambda doc_id: 7))
    vec = np.ones(8, dtype=np.float32) / np.sqrt(8)
    clusterer = IncrementalClusterer()
    for i in range(700):  # past two growths of the table
        f = DocFeatures(doc_id=f"d{i}", vector=vec, terms={f"w{i}": 1.0}, entities={})
        assert clusterer.assign(f).created
    assert clusterer.story_of("d5") == story_id_for("d5") and clusterer.story_of("d650") == story_id_for("d650")
    again = clusterer.assign(DocFeatures(doc_id="d5", vector=vec, terms={"w5": 1.0}, entities={}))
    assert not again.created and again.story_id == story_id_for("d5") and len(clusterer) == 700
    with pytest.raises(KeyError):
        clusterer.story_of("d700")


def test_a_restored_index_grows_the_graph_a_live_one_grows() -> None:
    """faiss draws each new vector's level from a generator it does not save; a restored index
    must draw what the live one draws next, or the graphs (and later neighbours) part."""
    import faiss

    from storylens.storify.stream import _VectorIndex

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((600, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    live = _VectorIndex(16)
    for i in range(300):
        live.add(i, vectors[i])
    meta, parts = live.parts()
    restored = _VectorIndex.from_parts(meta, {k: bytes(v) for k, v in parts.items()})
    for i in range(300, 600):
        live.add(i, vectors[i])
        restored.add(i, vectors[i])
    for name in ("levels", "neighbors"):
        assert (faiss.vector_to_array(getattr(live.index.hnsw, name))
                == faiss.vector_to_array(getattr(restored.index.hnsw, name))).all()
    assert [restored.nearest(v, 5) for v in vectors[:20]] == [live.nearest(v, 5) for v in vectors[:20]]


def test_threads_link_groups_on_average_and_do_not_chain() -> None:
    # three harbour stories months apart: the first shares words with the second, the second
    # with the third, the first and the third nothing; a chain of loose pairs is no subject
    dim = 8
    axes = np.eye(dim, dtype=np.float32)
    spec = {"a": (axes[0], {"harbour": 1.0, "crane": 1.0}, "2031-01-10"),
            "b": (axes[0] + axes[1], {"crane": 1.0, "strike": 1.0}, "2031-06-10"),
            "c": (axes[1], {"strike": 1.0, "ferry": 1.0}, "2031-11-10")}
    docs = []
    for name, (vec, terms, day) in spec.items():
        for i in range(3):
            v = vec + 0.05 * axes[2 + i]
            docs.append(DocFeatures(doc_id=f"{name}{i}", vector=v / np.linalg.norm(v), terms=terms, entities={},
                                    published=day))
    clusterer = IncrementalClusterer()
    clusterer.assign_many(docs)
    clusterer.settle(final=True)
    assert len(clusterer.stories()) == 3
    threads = clusterer.threads(0.3)
    thread_of = {name: threads[clusterer.story_of(f"{name}0")] for name in spec}
    # the closest pair is one thread; the first story, close to the second alone, stays apart
    assert thread_of["b"] == thread_of["c"]
    assert thread_of["a"] != thread_of["b"]
    # a thread's id is its oldest story's id
    assert thread_of["b"] == clusterer.story_of("b0")
    # a looser level joins all three
    assert len(set(clusterer.threads(0.1).values())) == 1


def test_a_follow_up_weeks_later_joins_and_a_like_incident_months_later_does_not() -> None:
    dim = 8
    axes = np.eye(dim, dtype=np.float32)

    def doc(doc_id: str, day: str, names: dict[str, float], k: int) -> DocFeatures:
        v = axes[0] + 0.05 * axes[1 + k]
        terms = {"dam": 1.0, "burst": 1.0, "valley": 1.0, "flood": 1.0, **names}
        return DocFeatures(doc_id=doc_id, vector=v / np.linalg.norm(v), terms=terms, entities={},
                           published=day, lead_days=frozenset({day}))

    first = {"brennick": 1.0, "oswalt": 1.0}
    event = [doc(f"e{i}", f"2031-04-0{i + 1}", first, i) for i in range(3)]
    # the inquiry's report six weeks later names the same dam and engineer
    follow_up = doc("inquiry", "2031-05-20", first, 3)
    # another dam of the valley bursts five months later
    other = [doc(f"o{i}", f"2031-09-1{i}", {"harlow": 1.0, "quist": 1.0}, 4 + i) for i in range(3)]
    clusterer = IncrementalClusterer()
    clusterer.assign_many([*event, follow_up, *other])
    clusterer.settle(final=True)
    assert clusterer.story_of("inquiry") == clusterer.story_of("e0")
    assert clusterer.story_of("o0") != clusterer.story_of("e0")
    assert {clusterer.story_of(f"o{i}") for i in range(3)} == {clusterer.story_of("o0")}


def test_weekdays_the_leads_name_tell_undated_incidents_apart() -> None:
    from dataclasses import replace

    from storylens.storify.features import _weekdays_of

    assert _weekdays_of("late Friday night", None) == {4}
    assert _weekdays_of("on SATURDAY", None) == {5}
    assert _weekdays_of("Tuesday", "2031-03-06") == {3}  # a resolved day: its own weekday
    assert _weekdays_of("March 6", None) == set()
    # six undated reports alike in every word; three leads say "on Saturday", three "on Thursday",
    # one more names no weekday at all
    vec = np.ones(8, dtype=np.float32) / np.sqrt(8)
    base = DocFeatures(doc_id="", vector=vec, terms={"navy": 1.0, "pirates": 1.0, "captured": 1.0}, entities={})
    feats = [replace(base, doc_id=f"d{i}", weekdays=frozenset({5} if i < 3 else {3})) for i in range(6)]
    feats.append(replace(base, doc_id="plain"))
    for w_weekday, stories in ((0.0, 1), (StreamParams().w_weekday, 2)):
        clusterer = IncrementalClusterer(replace(StreamParams(), w_weekday=w_weekday, join=0.7, merge=0.7))
        clusterer.assign_many(feats)
        clusterer.settle(final=True)
        assert len(clusterer.stories()) == stories
    assert DocFeatures.from_row(feats[0].to_row()).weekdays == frozenset({5})


def _doc(doc_id: str, axis: int, words: list[str], published: str | None = None) -> DocFeatures:
    vec = np.zeros(8, dtype=np.float32)
    vec[axis] = 1.0
    return DocFeatures(doc_id=doc_id, vector=vec, terms=dict.fromkeys(words, 1.0), entities={}, published=published)


def test_settled_stories_merge_once_below_the_merge_level() -> None:
    """Two stories of three reports each, a little less alike than ``merge`` asks: a settled story
    (nobody joined it for ``settle_docs`` arrivals) merges with its nearest at ``merge`` minus the
    margin, recorded, the older id kept; before it settles, and above the margin, they stay two."""
    from dataclasses import replace

    first = [_doc(f"a{i}", 0, ["quay", "crane", "collapse", "harbour", "north"]) for i in range(3)]
    second = [_doc(f"b{i}", 0, ["quay", "crane", "collapse", "harbour", "south"]) for i in range(3)]
    fillers = [_doc(f"f{i}", 1 + i % 7, [f"topic{i}", f"word{i}"]) for i in range(6)]
    base = replace(StreamParams(), join=0.7, merge=0.7, settle_docs=7, settled_merge_margin=None)
    apart = IncrementalClusterer(base)
    apart.assign_many(first + second)
    a, b = (apart._story_index[apart.story_of(x.doc_id)] for x in (first[0], second[0]))
    sim = apart._story_story_sim(a, b)
    assert a != b and 0.3 < sim < 0.7

    for margin, merged in ((0.7 - sim + 0.01, True), (0.7 - sim - 0.01, False)):
        clusterer = IncrementalClusterer(replace(base, settled_merge_margin=margin))
        clusterer.assign_many(first + second + fillers[:2])
        assert clusterer.story_of("a0") != clusterer.story_of("b0")  # not settled yet
        clusterer.assign_many(fillers[2:])
        assert (clusterer.story_of("a0") == clusterer.story_of("b0")) is merged
        if merged:
            (merge,) = [m for m in clusterer.merges if m.absorbed == story_id_for("b0")]
            assert merge.into == story_id_for("a0") and clusterer.resolve(merge.absorbed) == story_id_for("a0")
            assert clusterer.stories()[story_id_for("a0")][:3] == ["a0", "a1", "a2"]


def test_an_archive_added_after_newer_articles_settles_by_arrivals_not_at_once() -> None:
    """A report dated weeks before the newest article seen is not settled by days as soon as the
    stream moves on: the stream's clock counts from its arrival, and only for a story that was
    current then. It joins its nearest story once ``settle_docs`` arrivals have passed."""
    from dataclasses import replace

    words = ["quay", "crane", "collapse", "harbour"]
    params = replace(StreamParams(), join=0.95, merge=0.95, settle_docs=5, settle_days=3)
    clusterer = IncrementalClusterer(params)
    clusterer.assign_many([_doc(f"m{i}", 0, [*words, "north"], "2031-03-01") for i in range(2)])
    clusterer.merge(story_id_for("m0"), story_id_for("m1"))
    clusterer.assign(_doc("old", 0, [*words, "south"], "2031-02-01"))
    clusterer.assign(_doc("f0", 1, ["budget", "vote"], "2031-03-06"))  # the clock moves five days on
    assert clusterer.story_of("old") == story_id_for("old")
    for i in range(1, 5):
        clusterer.assign(_doc(f"f{i}", 1 + i, [f"topic{i}"], "2031-03-06"))
    assert clusterer.story_of("old") == story_id_for("m0")


def test_a_lone_report_below_the_join_level_is_not_merged_at_the_lower_merge_level() -> None:
    """A report less alike to a story than ``join`` asks opens its own story; it is not merged into
    that story in the same step because ``merge`` (for stories) is lower: a lone report merges at
    ``lone_merge``, the join level, and otherwise waits until it settles."""
    from dataclasses import replace

    story = [_doc(f"a{i}", 0, ["quay", "crane", "collapse", "harbour", "north"]) for i in range(3)]
    lone = _doc("l", 0, ["quay", "crane", "collapse", "harbour", "south", "pier"])
    probe = IncrementalClusterer(replace(StreamParams(), join=0.7, merge=0.7, lone_merge=None))
    probe.assign_many(story)
    probe.assign(lone)
    sim = probe._story_story_sim(*(probe._story_index[probe.story_of(x)] for x in ("a0", "l")))
    assert probe.story_of("l") != probe.story_of("a0") and 0.3 < sim < 0.7

    base = replace(StreamParams(), join=sim + 0.02, merge=sim - 0.02, settle_docs=1000)
    for lone_merge, merged in ((None, True), (base.join, False)):
        clusterer = IncrementalClusterer(replace(base, lone_merge=lone_merge))
        clusterer.assign_many(story)
        assignment = clusterer.assign(lone)
        assert assignment.created
        assert (clusterer.story_of("l") == clusterer.story_of("a0")) is merged
        assert bool(assignment.merges) is merged
