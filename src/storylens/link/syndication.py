"""Near-duplicates and syndicated copies; independent-source groups.

MinHash signatures over word shingles, bucketed with LSH (datasketch), so a
batch of N documents costs about N lookups instead of N² comparisons:

* document level: Jaccard ≥ ``DUPLICATE_JACCARD`` → ``duplicate_of`` the
  earliest such document;
* paragraph level: a document whose paragraphs are, for the most part, found
  in one earlier document → ``syndicated_from`` it, with the shared
  paragraphs as evidence (wire copies that trim a paragraph or rewrite the
  headline still match).

"Earlier" means earlier publication date, then input order.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict

from datasketch import MinHash, MinHashLSH

from storylens._disjoint import DisjointSet
from storylens.models import Document, Span

__all__ = ["detect_syndication", "independent_source_key", "source_groups", "paragraphs"]

NUM_PERM = 128
SHINGLE = 4
DUPLICATE_JACCARD = 0.85
PARAGRAPH_JACCARD = 0.7
#: share of a document's paragraphs (by words) found in one earlier document
SYNDICATED_SHARE = 0.5
_WORD = re.compile(r"\w+")


def paragraphs(doc: Document, min_words: int = 8) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blank-line separated) with enough words."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", doc.text):
        if len(_WORD.findall(m.group(0))) >= min_words:
            out.append((m.start(), m.end()))
    return out


def _shingles(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


def _minhashes(shingle_sets: list[set[str]]) -> list[MinHash]:
    """Signatures for many shingle sets at once (datasketch's bulk path, CRC32 hashing)."""
    if not shingle_sets:
        return []
    encoded = [[s.encode() for s in shingles] for shingles in shingle_sets]
    return list(MinHash.bulk(encoded, num_perm=NUM_PERM, seed=7, hashfunc=_crc32))


def _order_key(doc: Document, position: int) -> tuple[str, int, int]:
    # by day (undated last); on the same day the fuller text is taken as the
    # original, since copies trim paragraphs more often than they add them
    return ((doc.published or "9999")[:10], -doc.words, position)


def detect_syndication(docs: list[Document]) -> None:
    """Set ``duplicate_of`` / ``syndicated_from``, evidence and ``source_group`` on ``docs`` in place."""
    _detect_copies(docs)
    groups = source_groups(docs)
    for doc in docs:
        doc.source_group = groups[doc.id]


def _detect_copies(docs: list[Document]) -> None:
    if len(docs) < 2:
        return
    order = sorted(range(len(docs)), key=lambda i: _order_key(docs[i], i))
    rank = {docs[i].id: r for r, i in enumerate(order)}

    doc_lsh = MinHashLSH(threshold=DUPLICATE_JACCARD, num_perm=NUM_PERM)
    doc_sigs: dict[str, MinHash] = {}
    para_lsh = MinHashLSH(threshold=PARAGRAPH_JACCARD, num_perm=NUM_PERM)
    para_owner: dict[str, tuple[str, int]] = {}
    para_sigs: dict[str, list[tuple[tuple[int, int], MinHash, int]]] = {}

    # the same text given twice is looked at once
    unique = list({docs[i].id: docs[i] for i in reversed(order)}.values())[::-1]
    spans = {d.id: paragraphs(d) for d in unique}
    doc_sig_list = _minhashes([_shingles(d.text) for d in unique])
    para_keys = [(d.id, s) for d in unique for s, _ in spans[d.id]]
    para_sig_list = _minhashes([_shingles(d.text[s:e]) for d in unique for s, e in spans[d.id]])
    para_sig_of = dict(zip(para_keys, para_sig_list, strict=True))

    for doc, sig in zip(unique, doc_sig_list, strict=True):
        doc_sigs[doc.id] = sig
        paras = []
        for n, (start, end) in enumerate(spans[doc.id]):
            text = doc.text[start:end]
            paras.append(((start, end), para_sig_of[(doc.id, start)], len(_WORD.findall(text))))
            para_owner[f"{doc.id}:{n}"] = (doc.id, n)
        para_sigs[doc.id] = paras

        # 1. near-identical to an earlier document
        earlier = [k for k in doc_lsh.query(sig) if rank[k] < rank[doc.id]]
        earlier = [k for k in earlier if doc_sigs[k].jaccard(sig) >= DUPLICATE_JACCARD]
        if earlier:
            doc.duplicate_of = min(earlier, key=lambda k: rank[k])
        else:
            # 2. most paragraphs shared with one earlier document
            shared_words: dict[str, int] = defaultdict(int)
            shared_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
            total_words = sum(w for _, _, w in paras) or 1
            for (start, end), psig, words in paras:
                owners = set()
                for key in para_lsh.query(psig):
                    owner, _ = para_owner[key]
                    if owner != doc.id and owner not in owners:
                        owners.add(owner)
                        shared_words[owner] += words
                        shared_spans[owner].append((start, end))
            best = max(shared_words, key=lambda k: (shared_words[k], -rank[k]), default=None)
            if best is not None and shared_words[best] / total_words >= SYNDICATED_SHARE:
                doc.syndicated_from = best
                doc.syndication_evidence = [
                    Span(doc=doc.id, start=s, end=e, text=doc.text[s:e]) for s, e in shared_spans[best]
                ]
        doc_lsh.insert(doc.id, sig)
        for n, (_, psig, _) in enumerate(paras):
            para_lsh.insert(f"{doc.id}:{n}", psig)
    # a copy of a copy points to the original
    by_id = {d.id: d for d in docs}
    for doc in docs:
        for attr in ("duplicate_of", "syndicated_from"):
            target = getattr(doc, attr)
            seen = {doc.id}
            while target and target in by_id and target not in seen:
                seen.add(target)
                parent = by_id[target]
                nxt = parent.duplicate_of or parent.syndicated_from
                if not nxt:
                    break
                target = nxt
            setattr(doc, attr, target)


def source_groups(docs: list[Document]) -> dict[str, str]:
    """doc id → independent-source key.

    Documents join one group when one copies the other (duplicate or
    syndicated) or when they come from the same outlet, transitively: a wire
    story and its copies in three papers count once.
    """
    sets = DisjointSet(d.id for d in docs)

    def union(a: str, b: str) -> None:
        sets.union(a, b, keep_smaller=True)

    by_outlet: dict[str, str] = {}
    for doc in docs:
        for target in (doc.duplicate_of, doc.syndicated_from):
            if target and target in sets.parent:
                union(doc.id, target)
        if doc.outlet:
            key = doc.outlet.strip().lower()
            if key in by_outlet:
                union(doc.id, by_outlet[key])
            else:
                by_outlet[key] = doc.id
    return {d.id: f"src:{sets.find(d.id)}" for d in docs}


def independent_source_key(doc: Document, groups: dict[str, str] | None = None) -> str:
    """The key under which ``doc`` counts as a source (see ``source_groups``)."""
    if groups and doc.id in groups:
        return groups[doc.id]
    root = doc.duplicate_of or doc.syndicated_from or doc.id
    return f"src:{root}"
