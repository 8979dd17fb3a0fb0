"""Bytes to text: BOMs, UTF-8, then charset detection; binary is refused.

Binary is judged on windows spread over the whole input, not only its head, so
a text file with an image appended is refused; a few stray NULs or other control
bytes in text are kept here and dropped by ``normalize``.
"""

from __future__ import annotations

from charset_normalizer import from_bytes

from storylens.errors import StorylensError

_CONTROL_OK = {9, 10, 12, 13}


_WINDOW = 8192
#: BOMs, longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)


def _windows(data: bytes) -> list[bytes]:
    """The head and four more windows spread over the rest of ``data``."""
    if len(data) <= 5 * _WINDOW:
        return [data[i:i + _WINDOW] for i in range(0, len(data), _WINDOW)] or [b""]
    step = (len(data) - _WINDOW) // 4
    return [data[k * step:k * step + _WINDOW] for k in range(5)]


def _binary_window(window: bytes) -> bool:
    nuls = window.count(b"\x00")
    if nuls > max(2, len(window) // 200):
        return True
    controls = sum(1 for b in window if b < 32 and b not in _CONTROL_OK)
    return controls > max(8, len(window) // 50)


def looks_binary(data: bytes) -> bool:
    return any(_binary_window(w) for w in _windows(data))


def decode_bytes(data: bytes, source: str) -> str:
    if not data.strip():
        raise StorylensError("SL002", source)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if looks_binary(data):
        raise StorylensError("SL003", source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is not None:
        # short Western texts often tie between cp1250 and cp1252 ("près" -> "prčs");
        # on a tie prefer windows-1252, the web's default legacy encoding (WHATWG)
        for match in matches:
            if match.encoding == "cp1252" and match.chaos <= best.chaos and match.coherence >= best.coherence:
                best = match
                break
    if best is None or best.encoding is None:
        raise StorylensError("SL004", source)
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise StorylensError("SL004", source, str(exc)) from exc
    if looks_binary(text.encode("utf-8", errors="replace")):
        raise StorylensError("SL003", source)
    return text
