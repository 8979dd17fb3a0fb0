"""Text shown on a terminal: control characters quoted, never sent raw.

A file name or an article field may hold ESC sequences (clear the screen, write
the clipboard through OSC 52), bidirectional overrides or line breaks; printed
raw they act on the user's terminal. Here each such character is shown as a
Python-style escape (``\\x1b``, ``\\u202e``, ``\\n``) so an error stays one line
that names the input exactly.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quote_for_terminal(text: str) -> str:
    """``text`` with control, format and surrogate characters escaped (one line, safe to print)."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(_quote_char(ch))
        else:
            out.append(ch)
    return "".join(out)
