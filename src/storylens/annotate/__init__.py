"""Stage 2, annotate: sentences, entities, time expressions, quantities.

The spaCy ``Doc`` objects are kept beside the ``Document`` models in
``AnnotatedDoc`` so later stages (quotes, claims, link) reuse the parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storylens.annotate.nlp import get_nlp
from storylens.annotate.quantities import extract_quantities
from storylens.annotate.times import extract_times
from storylens.models import Document, Span
from storylens.options import Options

__all__ = ["AnnotatedDoc", "Mention", "annotate", "ENTITY_LABELS"]

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_TRAILING = re.compile(r"(?:'s|')$")


@dataclass
class Mention:
    span: Span
    label: str
    #: index of the sentence the mention is in
    sent: int = 0


@dataclass
class AnnotatedDoc:
    doc: Document
    sp: Any
    mentions: list[Mention] = field(default_factory=list)


def _clean_mention(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive from an entity span."""
    seg = text[start:end]
    m = _LEADING.match(seg)
    if m and end - start > m.end():
        start += m.end()
        seg = text[start:end]
    m2 = _TRAILING.search(seg)
    if m2 and m2.start() > 0:
        end = start + m2.start()
    # keep a final "." (abbreviations such as "U.S."); spaCy leaves sentence stops out
    while end > start and text[end - 1] in " ,;:-":
        end -= 1
    return start, end


def _mentions(sp_doc: Any, doc_id: str) -> list[Mention]:
    text = sp_doc.text
    sent_starts = [s.start_char for s in sp_doc.sents]
    out = []
    for ent in sp_doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        start, end = _clean_mention(text, ent.start_char, ent.end_char)
        if end - start < 2 or not any(c.isalpha() for c in text[start:end]):
            continue
        sent = max(i for i, s in enumerate(sent_starts) if s <= start) if sent_starts else 0
        out.append(Mention(Span(doc=doc_id, start=start, end=end, text=text[start:end]), ent.label_, sent))
    return out


def annotate(
    docs: list[Document],
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[AnnotatedDoc]:
    options = options or Options()
    nlp = get_nlp()
    result: list[AnnotatedDoc] = []
    texts = (d.text for d in docs)
    pipe = nlp.pipe(texts, batch_size=options.batch_size, n_process=options.n_process)
    for doc, sp_doc in zip(docs, pipe, strict=True):
        doc.sentences = [(s.start_char, s.end_char) for s in sp_doc.sents]
        doc.times = extract_times(sp_doc, doc.id, doc.published)
        doc.quantities = extract_quantities(sp_doc, doc.id, [(t.span.start, t.span.end) for t in doc.times])
        result.append(AnnotatedDoc(doc=doc, sp=sp_doc, mentions=_mentions(sp_doc, doc.id)))
        if progress:
            progress(1)
    return result
