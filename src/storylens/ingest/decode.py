"""Bytes to text: BOMs, UTF-8, then charset detection; binary is refused."""

from __future__ import annotations

from charset_normalizer import from_bytes

from storylens.errors import StorylensError

_CONTROL_OK = {9, 10, 12, 13}


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 32 and b not in _CONTROL_OK)
    return controls > max(8, len(head) // 50)


def decode_bytes(data: bytes, source: str) -> str:
    if not data.strip():
        raise StorylensError("SL002", source)
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
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
    if looks_binary(text[:4000].encode("utf-8", errors="replace")):
        raise StorylensError("SL003", source)
    return text
