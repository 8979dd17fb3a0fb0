"""The Python API: ``analyze(sources, options) -> Analysis``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from storylens.annotate import AnnotatedDoc, annotate
from storylens.annotate.quotes import extract_quotes
from storylens.ingest import ingest
from storylens.link.claims import build_claims
from storylens.link.entities import canonicalize
from storylens.link.quotes import match_quotes
from storylens.link.syndication import detect_syndication
from storylens.models import Analysis
from storylens.options import Options
from storylens.report.briefing import build_briefing
from storylens.report.framing import build_framing
from storylens.storify import split_stories
from storylens.storify.timeline import build_timelines

Progress = Callable[[str, int, int], None]


def analyze_documents(
    annotated: list[AnnotatedDoc], options: Options, analysis: Analysis, timings: dict[str, float]
) -> None:
    """The cross-document stages over annotated documents (fills ``analysis``)."""
    t0 = time.perf_counter()
    analysis.quotes = [q for ann in annotated for q in extract_quotes(ann)]
    timings["quotes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    detect_syndication([a.doc for a in annotated])
    entities, index = canonicalize(annotated)
    analysis.entities = entities
    match_quotes(analysis.quotes, entities, index)
    analysis.stories = split_stories(annotated, entities, index)
    analysis.claims, analysis.contradictions = build_claims(
        annotated, entities, index, analysis.stories, analysis.quotes, options
    )
    build_timelines(analysis.stories, analysis.claims)
    timings["link"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    analysis.framing = build_framing(analysis, annotated)
    analysis.briefing = build_briefing(analysis, options)
    timings["report"] = time.perf_counter() - t0


def analyze(
    sources: Iterable[str],
    options: Options | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Read, clean, annotate and link ``sources`` (paths, directories, URLs)."""
    options = options or Options()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ingested = ingest(sources, options)
    timings["ingest"] = time.perf_counter() - t0
    analysis = Analysis(documents=ingested.documents, errors=ingested.errors)
    total = len(ingested.documents)

    def tick(n: int) -> None:
        if progress:
            tick.done += n  # type: ignore[attr-defined]
            progress("annotate", tick.done, total)  # type: ignore[attr-defined]

    tick.done = 0  # type: ignore[attr-defined]
    t1 = time.perf_counter()
    annotated = annotate(ingested.documents, options, tick)
    timings["annotate"] = time.perf_counter() - t1
    if options.link and annotated:
        analyze_documents(annotated, options, analysis, timings)
    analysis.stats = {
        "documents": len(analysis.documents),
        "inputs_failed": len(analysis.errors),
        "exact_duplicates": ingested.exact_duplicates,
        "words": sum(d.words for d in analysis.documents),
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    return analysis
