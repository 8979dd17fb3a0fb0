"""The embedder: parallel batches give the same vectors in the input order; each text is embedded once."""

from __future__ import annotations

import threading
import time

import numpy as np

from storylens.embed import CachedEmbedder, OnnxMiniLM, Vectors

SENTENCES = [
    "The minister resigned on Tuesday after the vote.",
    "Rescue teams pulled 12 people from the rubble.",
    "Shares fell sharply in early trading.",
    "The court rejected the appeal.",
    "A storm cut power to thousands of homes across the region overnight, officials said.",
    "Police said the suspect was arrested near the border.",
    "He denied the allegations.",
    "The company will cut 300 jobs by the end of the year, according to a statement.",
] * 3


def test_parallel_batches_match_one_thread_in_input_order() -> None:
    texts = [f"{s} ({k})" for k, s in enumerate(SENTENCES)]
    one = OnnxMiniLM(batch_size=4, threads=1).encode(texts)
    many = OnnxMiniLM(batch_size=4, threads=3).encode(texts)
    assert one.shape == (len(texts), 384)
    assert np.allclose(one, many, atol=1e-5)
    # the order is the input order, not the length order the batches use
    alone = OnnxMiniLM(threads=1).encode([texts[5]])
    assert float(alone[0] @ many[5]) > 0.9999
    assert float(alone[0] @ many[4]) < 0.99


class _Counting:
    dim = 384

    def __init__(self) -> None:
        self.inner = OnnxMiniLM(threads=1)
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> Vectors:
        self.seen += texts
        return self.inner.encode(texts)

    def token_ids(self, texts: list[str]) -> list[tuple[int, ...]]:
        return self.inner.token_ids(texts)


def test_cached_embedder_embeds_each_text_once() -> None:
    counting = _Counting()
    cached = CachedEmbedder(counting)
    first = cached.encode(SENTENCES[:5])
    again = cached.encode(SENTENCES)  # repeats and the first five again
    assert sorted(counting.seen) == sorted(set(SENTENCES))
    assert np.allclose(again[:5], first)
    assert np.allclose(again[8], again[0])


def test_prefetch_fills_the_cache_in_the_background_with_the_same_vectors() -> None:
    counting = _Counting()
    cached = CachedEmbedder(counting)
    thread = cached.prefetch(SENTENCES[:6])
    # an encode while the prefetch may still run waits for it and embeds only what is new
    both = cached.encode(SENTENCES[4:8])
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert sorted(counting.seen) == sorted(set(SENTENCES[:8]))
    alone = OnnxMiniLM(threads=1).encode(SENTENCES[4:8])
    assert np.allclose(both, alone, atol=1e-6)


class _Gated:
    """An embedder whose first call blocks until released: a prefetch caught in flight."""

    dim = 384

    def __init__(self) -> None:
        self.inner = OnnxMiniLM(threads=1)
        self.calls: list[list[str]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.block_next = False

    def encode(self, texts: list[str]) -> Vectors:
        self.calls.append(list(texts))
        if self.block_next:
            self.block_next = False
            self.started.set()
            assert self.release.wait(timeout=60)
        return self.inner.encode(texts)


def test_encode_takes_cached_texts_and_embeds_its_own_while_a_prefetch_is_in_flight() -> None:
    gated = _Gated()
    cached = CachedEmbedder(gated)
    cached.encode(SENTENCES[6:8])  # cached before the prefetch
    gated.calls.clear()
    gated.block_next = True
    thread = cached.prefetch(SENTENCES[:4])
    assert gated.started.wait(timeout=60)
    # neither cached texts nor new ones wait for the prefetch's inference
    both = cached.encode([SENTENCES[7], SENTENCES[5]])
    assert gated.calls == [SENTENCES[:4], [SENTENCES[5]]]
    # a text the prefetch is embedding is waited for, not embedded twice
    waiting: list[Vectors] = []
    waiter = threading.Thread(target=lambda: waiting.append(cached.encode([SENTENCES[2], SENTENCES[7]])))
    waiter.start()
    waiter.join(timeout=0.5)
    assert waiter.is_alive()
    gated.release.set()
    waiter.join(timeout=60)
    thread.join(timeout=60)
    assert not waiter.is_alive() and not thread.is_alive()
    assert len(gated.calls) == 2
    alone = OnnxMiniLM(threads=1).encode([SENTENCES[2], SENTENCES[7], SENTENCES[5]])
    assert np.array_equal(waiting[0], alone[:2])
    assert np.array_equal(both, alone[[1, 2]])


def test_a_failed_prefetch_leaves_its_texts_to_the_next_encode() -> None:
    class Failing(_Counting):
        def encode(self, texts: list[str]) -> Vectors:
            if not self.seen:
                self.seen += texts
                raise RuntimeError("inference failed")
            return super().encode(texts)

    failing = Failing()
    cached = CachedEmbedder(failing)
    thread = cached.prefetch(SENTENCES[:3])
    thread.join(timeout=60)
    again = cached.encode(SENTENCES[:3])
    assert np.allclose(again, OnnxMiniLM(threads=1).encode(SENTENCES[:3]), atol=1e-6)


def test_urgent_batches_run_before_queued_prefetch_batches() -> None:
    from storylens.embed import AHEAD, URGENT, _PriorityPool

    pool = _PriorityPool(1, "test-pool")
    ran: list[str] = []
    gate = threading.Event()

    def job(name: str) -> Vectors:
        if name == "block":
            assert gate.wait(timeout=60)
        ran.append(name)
        return np.zeros((1, 1), dtype=np.float32)

    blocker = threading.Thread(target=lambda: pool.map(job, ["block"], URGENT))
    blocker.start()
    while not pool._queue.empty():  # the one thread has taken the blocking job
        time.sleep(0.01)
    ahead = threading.Thread(target=lambda: pool.map(job, ["ahead-1", "ahead-2"], AHEAD))
    ahead.start()
    time.sleep(0.1)
    urgent = threading.Thread(target=lambda: pool.map(job, ["urgent"], URGENT))
    urgent.start()
    time.sleep(0.1)
    gate.set()
    for t in (blocker, ahead, urgent):
        t.join(timeout=60)
    assert ran == ["block", "urgent", "ahead-1", "ahead-2"]


def test_ahead_embeds_in_the_background_and_drop_forgets_what_has_not_started() -> None:
    gated = _Gated()
    cached = CachedEmbedder(gated)
    gated.block_next = True
    cached.ahead(SENTENCES[:2])
    assert gated.started.wait(timeout=60)
    cached.ahead(SENTENCES[2:4])  # queued behind the first list
    cached.drop_ahead()
    gated.release.set()
    # the list under way is finished and cached; the dropped one was never embedded
    cached.encode(SENTENCES[:2])
    assert gated.calls == [SENTENCES[:2]]
    cached.ahead(SENTENCES[4:6])
    deadline = time.monotonic() + 60
    while len(gated.calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    both = cached.encode(SENTENCES[4:6])
    assert gated.calls == [SENTENCES[:2], SENTENCES[4:6]]
    assert np.array_equal(both, OnnxMiniLM(threads=1).encode(SENTENCES[4:6]))


def test_serial_encode_gives_the_pool_s_vectors() -> None:
    model = OnnxMiniLM(batch_size=4, threads=2)
    texts = [f"{s} ({k})" for k, s in enumerate(SENTENCES)]
    assert np.array_equal(model.encode(texts, serial=True), model.encode(texts))


def test_prefetch_groups_hands_out_each_group_as_soon_as_it_is_done() -> None:
    model = OnnxMiniLM(batch_size=2, threads=2)
    first_group = SENTENCES[:4]
    second_group = [f"{s} (later)" for s in SENTENCES[4:8]]
    late = {tuple(e.ids) for e in model._tok.encode_batch(second_group)}
    gate = threading.Event()
    run = model._run

    def gated(encodings: list[list[int]]) -> Vectors:
        if any(tuple(e) in late for e in encodings):  # the second group is held until released
            assert gate.wait(timeout=60)
        return run(encodings)

    model._run = gated  # type: ignore[method-assign]
    cached = CachedEmbedder(model)
    thread = cached.prefetch_groups([first_group, second_group, first_group[:2]])
    # the first group's vectors come while the second group is still held
    first = cached.encode(first_group)
    assert thread.is_alive()
    gate.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    second = cached.encode(second_group)
    alone = OnnxMiniLM(threads=1)
    assert np.array_equal(first, alone.encode(first_group))
    assert np.array_equal(second, alone.encode(second_group))


def test_a_failed_group_leaves_its_texts_to_the_next_encode() -> None:
    class FailingOnce(_Counting):
        def encode(self, texts: list[str]) -> Vectors:
            if SENTENCES[0] in texts and SENTENCES[0] not in self.seen:
                self.seen += texts
                raise RuntimeError("inference failed")
            return super().encode(texts)

    failing = FailingOnce()
    cached = CachedEmbedder(failing)
    cached.prefetch_groups([SENTENCES[:2], SENTENCES[2:4]]).join(timeout=60)
    both = cached.encode(SENTENCES[:4])
    assert np.allclose(both, OnnxMiniLM(threads=1).encode(SENTENCES[:4]), atol=1e-6)


def test_a_text_that_differs_only_in_white_space_takes_the_cached_vector_without_inference() -> None:
    counting = _Counting()
    cached = CachedEmbedder(counting)
    cached.encode(SENTENCES[:3])
    # the same words with a line break (the same token ids), and words that differ
    again = cached.encode([SENTENCES[1] + "\n\n", "  " + SENTENCES[0], "The court rejected the appeal!"])
    assert counting.seen == [*SENTENCES[:3], "The court rejected the appeal!"]
    assert np.array_equal(again[:2], OnnxMiniLM(threads=1).encode([SENTENCES[1] + "\n\n", "  " + SENTENCES[0]]))
