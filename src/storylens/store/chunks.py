"""Snapshot parts cut into fixed-size chunks with digests (``Store.save_assigner_snapshot``).

A part that grows at its end changes only its last chunks, a fixed-size table only the
chunks where it changed: saving the chunks whose digest differs from the stored one
writes what changed since the last save, not the whole state. A chunk of zeros is not
stored (the fixed-size tables start empty and fill as the corpus grows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping

import numpy as np

__all__ = ["CHUNK_BYTES", "Chunk", "chunks", "digests", "join_chunks"]

#: bytes per chunk: small enough that a change writes little, large enough that a part of
#: hundreds of MB is a few hundred rows
CHUNK_BYTES = 256 * 1024

#: (part, chunk number) -> (digest, bytes); ``None`` bytes: a chunk of zeros (not stored)
Chunk = tuple[str, int, str, memoryview | None]


def chunks(parts: Mapping[str, bytes | memoryview]) -> Iterator[Chunk]:
    for name, data in parts.items():
        view = memoryview(data).cast("B")
        for number, lo in enumerate(range(0, len(view), CHUNK_BYTES)):
            piece = view[lo : lo + CHUNK_BYTES]
            if not np.frombuffer(piece, dtype=np.uint8).any():
                yield name, number, "", None
                continue
            yield name, number, hashlib.blake2b(piece, digest_size=16).hexdigest(), piece


def digests(parts: Mapping[str, bytes | memoryview]) -> dict[tuple[str, int], tuple[str, int]]:
    """(part, chunk) -> (digest, size) of every stored (non-zero) chunk."""
    return {(name, number): (digest, len(piece)) for name, number, digest, piece in chunks(parts)
            if piece is not None}


def join_chunks(lengths: Mapping[str, int], stored: Iterator[tuple[str, int, bytes]]) -> dict[str, bytes]:
    """The parts back from their stored chunks (missing chunks are zeros)."""
    out = {name: bytearray(size) for name, size in lengths.items()}
    for name, number, data in stored:
        buf = out.get(name)
        if buf is not None:
            lo = number * CHUNK_BYTES
            buf[lo : lo + len(data)] = data
    return {name: bytes(buf) for name, buf in out.items()}
