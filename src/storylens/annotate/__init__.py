"""Stage 2, annotate: everything one document contributes, from one spaCy pass.

Sentences, entity mentions, time expressions, quantities, quotes with speakers,
claim drafts with their slots, candidate loaded terms and the genre. The spaCy
``Doc`` never leaves this package: ``annotate`` returns plain ``AnnotatedDoc``
records (``storylens.records``) that can be saved, reloaded and sent to another
process. ``parse`` gives the spaCy-level view for this package's own steps.
"""

from __future__ import annotations

import logging
import pickle
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from storylens.annotate.nlp import get_nlp
from storylens.annotate.quantities import extract_quantities
from storylens.annotate.times import extract_times
from storylens.annotate.truecase import restore, sentence_case_headline
from storylens.errors import StorylensError
from storylens.models import Document, InputError, Span, headline_end
from storylens.options import Options
from storylens.records import AnnotatedDoc, Mention

log = logging.getLogger("storylens")

__all__ = ["AnnotatedDoc", "Mention", "ParsedDoc", "annotate", "parse", "record_of", "ENTITY_LABELS"]

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_TRAILING = re.compile(r"(?:'s|')$")


@dataclass
class ParsedDoc:
    """A document with its spaCy parse: private to this package's steps."""

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
        sent = max(0, bisect_right(sent_starts, start) - 1)
        out.append(Mention(span=Span(doc=doc_id, start=start, end=end, text=text[start:end]), label=ent.label_, sent=sent))
    return out


def _parsed(doc: Document, sp_doc: Any) -> ParsedDoc:
    doc.sentences = [(s.start_char, s.end_char) for s in sp_doc.sents]
    doc.times = extract_times(sp_doc, doc.id, doc.published)
    doc.quantities = extract_quantities(sp_doc, doc.id, [(t.span.start, t.span.end) for t in doc.times])
    return ParsedDoc(doc=doc, sp=sp_doc, mentions=_mentions(sp_doc, doc.id))


#: a text longer than this is parsed in pieces of at most this many characters, cut at
#: paragraph breaks: spaCy's memory follows the length of what it parses at once (3.4 GB
#: for one text of 900,000 characters, measured), the pieces' memory does not add up
PIECE_CHARS = 50_000
#: where a piece may end, best first: a paragraph break, a line break, a sentence end, a space
_PIECE_BREAKS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)]*\s+"),
                 re.compile(r"\s+"))


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` pieces that cover ``text`` end to end, each at most ``limit``
    characters, each ending after the whitespace of the best break before the limit."""
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = 0
        for brk in _PIECE_BREAKS:
            # the last break that ends inside the window (and not in its first half)
            last = None
            for m in brk.finditer(text, start + limit // 2, end):
                last = m
            if last is not None and last.end() <= end:
                cut = last.end()
                break
        cut = cut or end  # one word of ``limit`` characters: cut it
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


def _parse_long(nlp: Any, doc: Document) -> Any:
    """One long text parsed piece by piece and joined into one spaCy ``Doc`` of the whole
    text (character offsets are the document's; no sentence crosses a piece's end)."""
    from spacy.tokens import Doc

    cased = sentence_case_headline(doc.text, headline_end(doc))
    text = cased or doc.text
    parts = []
    for k, (start, end) in enumerate(pieces(text)):
        sp = nlp.make_doc(text[start:end])
        parts.append(_with_headline_break(sp, headline_end(doc)) if k == 0 else sp)
    parsed = list(nlp.pipe(parts, batch_size=1))
    whole = Doc.from_docs(parsed, ensure_whitespace=False)
    if whole.text != text:  # spans index the document's text: never hand on another one
        raise ValueError("the joined pieces differ from the text")
    return restore(nlp, whole, doc.text) if cased else whole


def parse(docs: list[Document], options: Options | None = None) -> Iterator[ParsedDoc]:
    """The spaCy pass with sentences, times, quantities and mentions set, one document at a time."""
    options = options or Options()
    nlp = get_nlp()

    def short_run(run: list[Document]) -> Iterator[ParsedDoc]:
        # a headline in title case or capitals is parsed in sentence case (see truecase)
        cased = [sentence_case_headline(d.text, headline_end(d)) for d in run]
        pipe = nlp.pipe((_with_headline_break(nlp.make_doc(c or d.text), headline_end(d))
                         for d, c in zip(run, cased, strict=True)), batch_size=options.batch_size)
        for doc, c, sp_doc in zip(run, cased, pipe, strict=True):
            yield _parsed(doc, restore(nlp, sp_doc, doc.text) if c else sp_doc)

    run: list[Document] = []
    for doc in docs:
        if len(doc.text) <= PIECE_CHARS:
            run.append(doc)
            continue
        yield from short_run(run)
        run = []
        yield _parsed(doc, _parse_long(nlp, doc))
    yield from short_run(run)


def _with_headline_break(sp_doc: Any, end: int) -> Any:
    """The headline is a sentence of its own, and one sentence (it often has no full stop,
    and the parser would run it into the body's first sentence). After that forced break the parser
    tends to cut an upper-case dateline word by word ("PORT", "KESSEL", "(Agency) -
    ..."), so the body's first sentence runs at least to its first full stop."""
    if not end:
        return sp_doc
    body = next((t for t in sp_doc if t.idx >= end and not t.is_space), None)
    if body is None:
        return sp_doc
    body.is_sent_start = True
    # one line, one statement: the parser would cut "Nominee for harbour master: Ilse Varga"
    # at the colon, and neither half states the fact
    for tok in sp_doc[1 : body.i]:
        tok.is_sent_start = False
    for tok in sp_doc[body.i + 1 :]:
        if "\n" in tok.text or tok.text in (".", "!", "?"):
            break
        tok.is_sent_start = False
    return sp_doc


def record_of(parsed: ParsedDoc) -> AnnotatedDoc:
    """The plain record of a parsed document (the parse itself is dropped)."""
    from storylens.annotate.drafts import document_genre, extract_drafts
    from storylens.annotate.quotes import extract_quotes
    from storylens.annotate.terms import term_candidates

    drafts = extract_drafts(parsed)
    quotes = extract_quotes(parsed)
    genre = document_genre(drafts, parsed.doc, [(q.span.start, q.span.end) for q in quotes])
    if genre and parsed.doc.genre == "unknown":
        parsed.doc.genre = genre  # type: ignore[assignment]
    return AnnotatedDoc(doc=parsed.doc, mentions=parsed.mentions, quotes=quotes,
                        drafts=drafts, terms=term_candidates(parsed))


def _failure(doc: Document, exc: Exception) -> InputError:
    log.debug("annotating %s failed", doc.source, exc_info=True)
    err = StorylensError("SL020", doc.source, type(exc).__name__)
    return InputError(source=err.source, code=err.code, message=err.reason)


def _annotate_batch(docs: list[Document], options: Options) -> tuple[list[AnnotatedDoc], list[InputError]]:
    """Records for a batch; a document whose annotation fails becomes an error, the rest go on.

    spaCy parses a batch at once, so when the batch fails each document is parsed alone to
    find the one at fault.
    """
    records: list[AnnotatedDoc] = []
    errors: list[InputError] = []
    try:
        parsed = list(parse(docs, options))
    except Exception as exc:
        if len(docs) == 1:
            return [], [_failure(docs[0], exc)]
        for doc in docs:
            one, failed = _annotate_batch([doc], options)
            records += one
            errors += failed
        return records, errors
    for item in parsed:
        try:
            records.append(record_of(item))
        except Exception as exc:  # isolation: one document's failure must not stop the batch
            errors.append(_failure(item.doc, exc))
    return records, errors


def _annotate_chunk(docs: list[Document], batch_size: int) -> bytes:
    """One worker's share (runs in a child process with ``-j``): its records and errors, pickled.

    For a batch of ``RELEASE_AFTER_DOCS`` or more the caller keeps the bytes until every
    worker is done and only then makes objects of them: records as objects take about eight
    times the memory of their pickle (62 MB against 7 MB for 100 long articles), so the
    records do not grow beside the workers' memory for the whole of annotate. A smaller
    batch is made objects as its chunks arrive (see ``_annotate_parallel``).
    """
    return pickle.dumps(_annotate_batch(docs, Options(batch_size=batch_size)), protocol=pickle.HIGHEST_PROTOCOL)


def annotate(
    docs: list[Document],
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
    errors: list[InputError] | None = None,
    on_records: Callable[[list[AnnotatedDoc]], None] | None = None,
) -> list[AnnotatedDoc]:
    """Annotate documents; with ``options.n_process > 1`` the work is split over worker
    processes that send back plain records (never spaCy objects).

    A document that cannot be annotated is left out of the result and reported in
    ``errors`` (SL020) when a list is given; the rest of the batch is annotated.
    ``on_records`` hears each batch's records as they are made (not in one process with
    ``RELEASE_AFTER_DOCS`` documents or more and ``-j``: their records are made at the end).
    """
    options = options or Options()
    failed: list[InputError] = [] if errors is None else errors
    if options.n_process > 1 and len(docs) > 1:
        return _annotate_parallel(docs, options, progress, failed, on_records)
    result: list[AnnotatedDoc] = []
    for lo in range(0, len(docs), options.batch_size):
        batch = docs[lo : lo + options.batch_size]
        records, batch_errors = _annotate_batch(batch, options)
        result += records
        failed += batch_errors
        if on_records and records:
            on_records(records)
        if progress:
            progress(len(batch))
    return result


def _worker_context() -> Any:
    """Workers forked from a fork server that has the model loaded (``annotate.preload``);
    started fresh ("spawn") where there is no fork server (not on Windows). Never a plain
    fork of the caller: it may hold threads (the embedder's, a web server's)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # read when the fork server starts (the first pool of this process); "__main__": the
    # caller's main module, which the workers import anyway, is then imported once
    context.set_forkserver_preload(["__main__", "storylens.annotate.preload"])
    return context


#: after a batch of at least this many documents the fork server is stopped: its copy of the
#: model (about 270 MB) would sit idle through link, whose memory grows with the batch, and
#: the start it saves the next call (about 2 s) is under 2 % of such a batch's time
RELEASE_AFTER_DOCS = 500


def _release_fork_server() -> None:
    """Stop the fork server (the next ``-j`` annotate starts another)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # not public: without it the server stays, nothing else changes
    if stop is not None:
        try:
            stop()
        except OSError:  # pragma: no cover - already gone
            log.debug("stopping the fork server failed", exc_info=True)


def _annotate_parallel(
    docs: list[Document], options: Options, progress: Callable[[int], None] | None, errors: list[InputError],
    on_records: Callable[[list[AnnotatedDoc]], None] | None = None,
) -> list[AnnotatedDoc]:
    size = max(1, min(options.batch_size, -(-len(docs) // options.n_process)))
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    pickled: list[bytes] = []
    result: list[AnnotatedDoc] = []

    def unpickle(data: bytes) -> None:
        records, failed = pickle.loads(data)  # noqa: S301 - our own worker's output
        result.extend(records)
        errors.extend(failed)

    # a batch below RELEASE_AFTER_DOCS is made objects as each chunk arrives, while the
    # workers parse the next ones: done after the pool, it was a stretch in which no worker
    # ran (0.4 s of CPU for 150 ECB+ articles); a larger batch keeps its pickles until the
    # pool is done, so that its records do not grow beside the workers' memory
    early = len(docs) < RELEASE_AFTER_DOCS
    with ProcessPoolExecutor(max_workers=options.n_process, mp_context=_worker_context()) as pool:
        for chunk, data in zip(chunks, pool.map(_annotate_chunk, chunks, [options.batch_size] * len(chunks)),
                               strict=True):
            if early:
                made = len(result)
                unpickle(data)
                if on_records and len(result) > made:
                    on_records(result[made:])
            else:
                pickled.append(data)
            if progress:
                progress(len(chunk))
    if not early:
        _release_fork_server()
    for k, data in enumerate(pickled):
        pickled[k] = b""  # each pickle is let go as soon as its objects exist
        unpickle(data)
    # the workers filled copies: the caller's documents get the same fields, and the
    # records point at the caller's objects, as in the one-process path
    originals = {d.id: d for d in docs}
    for record in result:
        original = originals[record.doc.id]
        for name in type(original).model_fields:
            setattr(original, name, getattr(record.doc, name))
        record.doc = original
    return result
