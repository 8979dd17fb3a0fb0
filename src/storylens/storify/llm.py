"""Optional rewrite of the briefing through an OpenAI-compatible endpoint (off by default).

Only corroborated and single-source sentences are sent; contradictions stay
verbatim. A rewrite is kept only when it passes ``check_sentence`` against the
same citations and keeps the number of negations; any failure of the endpoint
leaves the extractive sentences as they are.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from storylens.models import BriefingSentence, Document
from storylens.options import Options
from storylens.storify.verify import (
    SINGLE_SOURCE_AFTER_FRAME,
    SINGLE_SOURCE_FRAME,
    _doc_map,
    _negation_count,
    check_sentence,
)

__all__ = ["rewrite_with_llm", "LLM_KEY_ENV"]

log = logging.getLogger(__name__)

#: env variable holding an API key for the optional LLM endpoint
LLM_KEY_ENV = "STORYLENS_LLM_API_KEY"

_SYSTEM_PROMPT = (
    "You edit a neutral news briefing. Rewrite each numbered sentence in plain, neutral English. "
    "Use only facts from the sentence and its sources. Never add a name, number, date, weekday or "
    "negation that is not there; keep every negation; keep attributions (who said it). "
    "Answer with one line per sentence, in the form `N. rewritten sentence`, nothing else."
)


def _chat_url(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


def _parse_numbered(content: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for line in content.splitlines():
        m = re.match(r"^\s*(\d+)[.)]\s+(.+?)\s*$", line)
        if m:
            out[int(m.group(1))] = m.group(2).strip().strip("`")
    return out


def rewrite_with_llm(
    sentences: list[BriefingSentence],
    documents: Mapping[str, Document] | Iterable[Document],
    options: Options,
    transport: httpx.BaseTransport | None = None,
) -> list[BriefingSentence]:
    """Sentences rewritten by the endpoint where the rewrite passes ``check_sentence``.

    Contradictions stay verbatim. A rewrite must also keep the number of negations
    of the sentence it replaces. Any failure of the endpoint leaves the
    extractive sentences as they are.
    """
    if not options.llm_url or not sentences:
        return sentences
    docs = _doc_map(documents)
    targets: list[tuple[int, str, str]] = []  # (index, frame prefix, body)
    for i, s in enumerate(sentences):
        if s.kind == "corroborated":
            targets.append((i, "", s.text))
        elif s.kind == "single_source":
            m = SINGLE_SOURCE_FRAME.match(s.text)
            if m:
                targets.append((i, f"Only {m.group('outlet')} {m.group('verb')}: ", m.group("body")))
            elif m := SINGLE_SOURCE_AFTER_FRAME.match(s.text):
                # the lead-in stays as written: only what the one outlet adds is rewritten
                targets.append((i, f"{m.group('lead')} Only {m.group('outlet')} adds: ", m.group("body")))
    if not targets:
        return sentences
    lines = []
    for n, (i, _, body) in enumerate(targets, 1):
        sources = " | ".join(" ".join(c.text.split()) for c in sentences[i].citations[:4])
        lines.append(f"{n}. {body}\n   sources: {sources}")
    payload: dict[str, Any] = {
        "model": options.llm_model or "default",
        "temperature": 0,
        "messages": [
            {"role": "system", "content": _SYSTEM_PROMPT},
            {"role": "user", "content": "\n".join(lines)},
        ],
    }
    headers = {}
    key = os.environ.get(LLM_KEY_ENV)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    try:
        with httpx.Client(transport=transport, timeout=options.timeout) as client:
            response = client.post(_chat_url(options.llm_url), json=payload, headers=headers)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        rewrites = _parse_numbered(str(content))
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError, json.JSONDecodeError) as exc:
        log.warning("briefing rewrite skipped: %s", exc)
        return sentences
    out = list(sentences)
    for n, (i, prefix, body) in enumerate(targets, 1):
        new = rewrites.get(n)
        if not new or new == body:
            continue
        text = prefix + new
        if check_sentence(text, sentences[i].citations, docs) and _negation_count(new) == _negation_count(body):
            out[i] = BriefingSentence(text=text, citations=sentences[i].citations, kind=sentences[i].kind)
        else:
            log.info("briefing rewrite dropped (unsupported): %r", new)
    return out
