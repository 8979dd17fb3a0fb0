"""WARC files read record by record from a stream, each record checked against its
declared ``Content-Length`` before warcio parses it.

warcio trusts ``Content-Length``: a value too large swallows the records after it,
a truncated record is accepted silently. Here each record's block is read from
the stream (at most ``max_block`` bytes are kept; a longer block is skipped
while it is read, never held), then checked: a block that runs into the next
record's header is cut there and the next record is read normally; a block cut
short by the end of the file is kept and named; a block not followed by the
record separator is named and the reader resynchronises at the next header.
Each problem is reported as a warning (SL034) for that record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

#: a header block is never this long; more means the input is not a WARC file
_MAX_HEADER_BYTES = 64 * 1024
_MAX_HEADER_LINES = 256
#: how much non-record data may sit between two records before we give up
_MAX_JUNK_BYTES = 64 * 1024
_CHUNK = 1 << 16
#: the start of the next record inside a block: separator, version line, then a WARC header
_NEXT_RECORD = re.compile(rb"\r\n\r\n(WARC/1\.[01]\r\n)(?=(?:[^\r\n]{0,2000}\r\n){0,30}?WARC-Type:)", re.I)


class WarcFormatError(Exception):
    """The stream is not (or no longer) a sequence of WARC records."""


@dataclass
class WarcChunk:
    """One record as found in the stream."""

    version: bytes
    headers: list[tuple[bytes, bytes]]
    #: the block, or None when it was longer than ``max_block`` (skipped)
    block: bytes | None
    declared: int
    #: what was wrong with the declared length, if anything
    problem: str | None = None

    def header(self, name: bytes) -> bytes | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def as_record(self) -> bytes:
        """The record re-serialised with a ``Content-Length`` that matches its block."""
        assert self.block is not None
        lines = [self.version.rstrip(b"\r\n")]
        lines += [k + b": " + (str(len(self.block)).encode() if k.lower() == b"content-length" else v)
                  for k, v in self.headers]
        return b"\r\n".join(lines) + b"\r\n\r\n" + self.block + b"\r\n\r\n"


class _Pushback:
    """A binary stream that can take bytes back."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = b""

    def unread(self, data: bytes) -> None:
        self._buffer = data + self._buffer

    def read(self, n: int) -> bytes:
        if self._buffer:
            out, self._buffer = self._buffer[:n], self._buffer[n:]
            if len(out) < n:
                out += self._stream.read(n - len(out))
            return out
        return self._stream.read(n)

    def readline(self, limit: int) -> bytes:
        if self._buffer:
            cut = self._buffer.find(b"\n", 0, limit)
            if cut >= 0:
                out, self._buffer = self._buffer[:cut + 1], self._buffer[cut + 1:]
                return out
            out, self._buffer = self._buffer[:limit], self._buffer[limit:]
            if len(out) < limit and not out.endswith(b"\n"):
                out += self._stream.readline(limit - len(out))
            return out
        return self._stream.readline(limit)


def _read_headers(stream: _Pushback) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
    junk = 0
    while True:
        line = stream.readline(8192)
        if not line:
            return None
        if line.startswith(b"WARC/"):
            break
        junk += len(line)
        if line.strip() and junk > _MAX_JUNK_BYTES:
            raise WarcFormatError("no WARC record header found")
    version = line
    headers: list[tuple[bytes, bytes]] = []
    size = 0
    while True:
        line = stream.readline(8192)
        size += len(line)
        if not line:
            raise WarcFormatError("the file ends inside a record header")
        if line in (b"\r\n", b"\n"):
            return version, headers
        if size > _MAX_HEADER_BYTES or len(headers) >= _MAX_HEADER_LINES:
            raise WarcFormatError("record header too long")
        key, sep, value = line.partition(b":")
        if sep:
            headers.append((key.strip(), value.strip()))


def _read_block(stream: _Pushback, declared: int, max_block: int) -> tuple[bytes | None, int]:
    """Read ``declared`` bytes, keeping at most ``max_block + 1``; return (kept or None, bytes read)."""
    kept: list[bytes] = []
    kept_size = 0
    read = 0
    while read < declared:
        chunk = stream.read(min(_CHUNK, declared - read))
        if not chunk:
            break
        read += len(chunk)
        if kept_size <= max_block:
            kept.append(chunk)
            kept_size += len(chunk)
    return (b"".join(kept) if kept_size <= max_block else None), read


def iter_warc(raw: BinaryIO, max_block: int) -> Iterator[WarcChunk]:
    """Yield the records of a (decompressed) WARC stream; raise WarcFormatError when lost."""
    stream = _Pushback(raw)
    while True:
        found = _read_headers(stream)
        if found is None:
            return
        version, headers = found
        chunk = WarcChunk(version, headers, None, 0)
        length = chunk.header(b"Content-Length")
        if length is None or not length.strip().isdigit():
            raise WarcFormatError("record without a valid Content-Length")
        chunk.declared = int(length)
        block, read = _read_block(stream, chunk.declared, max_block)
        if block is not None:
            runs_on = _NEXT_RECORD.search(block)
            if runs_on:
                # the declared length swallows the next record: cut the block there
                stream.unread(block[runs_on.start(1):])
                block = block[:runs_on.start()]
                chunk.problem = f"declared {chunk.declared} bytes, but the next record starts after {len(block)}"
                chunk.block = block
                yield chunk
                continue
        chunk.block = block
        if read < chunk.declared:
            chunk.problem = f"truncated: declared {chunk.declared} bytes, {read} present"
            yield chunk
            return
        tail = stream.read(4)
        if tail in (b"\r\n\r\n", b""):
            yield chunk
            continue
        # not followed by the separator: the declared length is short; resynchronise
        stream.unread(tail)
        chunk.problem = f"declared {chunk.declared} bytes, but the record goes on after them"
        yield chunk
        skipped = 0
        while True:
            line = stream.readline(8192)
            if not line:
                return
            if line.startswith(b"WARC/1."):
                stream.unread(line)
                break
            skipped += len(line)
            if skipped > 64 * max(max_block, _CHUNK):
                raise WarcFormatError("no next record header found")
