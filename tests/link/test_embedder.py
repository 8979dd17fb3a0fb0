"""The embedder: parallel batches give the same vectors in the input order; each text is embedded once."""

from __future__ import annotations

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
