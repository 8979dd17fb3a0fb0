"""The Python API: ``analyze(sources, options) -> Analysis``.

After ``ingest`` and ``annotate`` (per document), the cross-document work is an
ordered list of named steps (``STEPS``). Each step declares which fields of the
``Analysis`` (or of the per-document records) it reads and which it writes, in
the spirit of spaCy's ``requires``/``assigns``; ``check_steps`` verifies that
every field is written before it is read, and a test runs it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from storylens.annotate import annotate
from storylens.embed import CachedEmbedder, default_threads, get_embedder
from storylens.ingest import ingest
from storylens.link.claims import aligned_groups, build_claims
from storylens.link.entities import canonicalize
from storylens.link.quotes import mark_statements, match_quotes
from storylens.link.syndication import detect_syndication
from storylens.models import Analysis, Entity, InputError
from storylens.options import Options
from storylens.records import AnnotatedDoc, MentionIndex
from storylens.storify import split_stories
from storylens.storify.briefing import build_briefing
from storylens.storify.features import lead_parts
from storylens.storify.framing import build_framing
from storylens.storify.timeline import build_timelines
from storylens.storify.titles import neutral_titles

__all__ = ["STEPS", "Step", "analyze", "analyze_documents", "check_steps"]

Progress = Callable[[str, int, int], None]


@dataclass
class LinkState:
    """What the cross-document steps share: the analysis being filled and the records."""

    annotated: list[AnnotatedDoc]
    options: Options
    analysis: Analysis
    entities: list[Entity] = field(default_factory=list)
    mention_index: MentionIndex = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    name: str
    #: the stage the step belongs to (timings are summed per stage too)
    stage: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    run: Callable[[LinkState], None]


def _quotes(s: LinkState) -> None:
    # copies: link fills speakers and matches in place, the records stay as annotate made them
    s.analysis.quotes = [q.model_copy(deep=True) for ann in s.annotated for q in ann.quotes]
    mark_statements(s.analysis.quotes)


def _syndication(s: LinkState) -> None:
    detect_syndication([a.doc for a in s.annotated])


def _entities(s: LinkState) -> None:
    s.entities, s.mention_index = canonicalize(s.annotated)
    s.analysis.entities = s.entities


def _speakers(s: LinkState) -> None:
    story_of = {doc: story.id for story in s.analysis.stories for doc in story.docs}
    match_quotes(s.analysis.quotes, s.entities, s.mention_index, blocks=story_of)


def _stories(s: LinkState) -> None:
    s.analysis.stories = split_stories(s.annotated, s.entities, s.mention_index)
    # the claim step's sentences are known now: they are embedded while the steps up to it
    # (quote speakers, resolving the drafts: pure Python, one core) run, in groups in the
    # order the claim step takes the stories (it starts on the first while the rest are embedded)
    embedder = get_embedder()
    if isinstance(embedder, CachedEmbedder):
        embedder.prefetch_groups(aligned_groups(s.annotated, s.analysis.stories))


def _claims(s: LinkState) -> None:
    s.analysis.claims, s.analysis.contradictions = build_claims(
        s.annotated, s.entities, s.mention_index, s.analysis.stories, s.analysis.quotes, s.options
    )


def _titles(s: LinkState) -> None:
    neutral_titles(s.analysis)


def _timelines(s: LinkState) -> None:
    build_timelines(s.analysis.stories, s.analysis.claims, s.analysis.contradictions)


def _framing(s: LinkState) -> None:
    s.analysis.framing = build_framing(s.analysis, s.annotated)


def _briefing(s: LinkState) -> None:
    s.analysis.briefing = build_briefing(s.analysis, s.options)


#: what annotate provides before the first step
ANNOTATED = ("records.doc", "records.mentions", "records.quotes", "records.drafts", "records.terms")

STEPS: tuple[Step, ...] = (
    Step("quotes", "link", ("records.quotes",), ("quotes",), _quotes),
    Step("syndication", "link", ("records.doc",), ("documents.duplicate_of", "documents.source_group"),
         _syndication),
    Step("entities", "link", ("records.mentions", "records.doc"), ("entities", "mention_index"), _entities),
    Step("stories", "storify", ("records.doc", "records.mentions", "entities", "mention_index"), ("stories",),
         _stories),
    # after the stories: one utterance is matched only within its story, so the pairs to judge
    # grow with the largest story, not with the square of the batch
    Step("quote_speakers", "link", ("quotes", "entities", "mention_index", "stories"),
         ("quotes.speaker", "quotes.also_in"), _speakers),
    Step("claims", "link",
         ("records.drafts", "records.mentions", "documents.source_group", "entities", "mention_index", "stories",
          "quotes"),
         ("claims", "contradictions"), _claims),
    Step("titles", "storify", ("stories", "claims", "quotes"), ("stories.label",), _titles),
    Step("timelines", "storify", ("stories", "claims", "contradictions"), ("stories.timeline",), _timelines),
    Step("framing", "storify",
         ("records.terms", "records.mentions", "documents.source_group", "entities", "stories", "quotes.speaker",
          "claims"),
         ("framing",), _framing),
    Step("briefing", "storify",
         ("documents.source_group", "stories", "claims", "contradictions"), ("briefing",), _briefing),
)


def check_steps(steps: Iterable[Step] = STEPS) -> list[str]:
    """Problems with the step order: a field read before any step writes it."""
    available = set(ANNOTATED)
    problems = []
    for step in steps:
        for name in step.reads:
            if name not in available and name.split(".")[0] not in available:
                problems.append(f"{step.name} reads {name} before it is written")
        available.update(step.writes)
    return problems


def _prefetch_leads(annotated: list[AnnotatedDoc]) -> None:
    """Start embedding the story step's lead sentences now, so inference (on every core)
    runs while the first steps (quotes, syndication, entities, speakers: pure Python, one
    core) do; the story step then finds them in the cache. Measured in benchmarks/RESULTS.md
    "End-to-end speed"."""
    if len(annotated) < 2:
        return  # one document is one story: its lead is not embedded
    _prefetch([p for ann in annotated for p in lead_parts(ann.doc)])


def _prefetch(texts: list[str]) -> None:
    embedder = get_embedder()
    if texts and isinstance(embedder, CachedEmbedder):
        embedder.prefetch(texts)


def analyze_documents(
    annotated: list[AnnotatedDoc], options: Options, analysis: Analysis, timings: dict[str, float],
    progress: Progress | None = None,
) -> None:
    """The cross-document steps over annotated documents (fills ``analysis``).

    ``progress`` hears ``("<stage>: <step>", k, len(STEPS))`` as step k starts, and
    ``("done", n, n)`` after the last.
    """
    state = LinkState(annotated=annotated, options=options, analysis=analysis)
    _prefetch_leads(annotated)
    # the records (and everything else alive now) are set aside from the cyclic garbage
    # collector while the steps run: each full collection walked every object of every
    # record, about 0.15 s of one core each, four to six times per batch of 150 ECB+
    # articles, in steps where nothing else runs (benchmarks/RESULTS.md, "End-to-end
    # speed"). Nothing is lost: the objects go back to the collector when the steps end.
    # A process that froze objects itself (before forking workers) is left as it is.
    frozen = gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    try:
        _run_steps(state, timings, progress)
    finally:
        if frozen:
            gc.unfreeze()


def _run_steps(state: LinkState, timings: dict[str, float], progress: Progress | None) -> None:
    # one BLAS thread for the steps' matrix products: they are small (one story's sentences),
    # and spreading one over OpenBLAS's threads cost more than the product (nearest pairs
    # of 100 sentences: 0.18 ms of CPU on one thread, 10.8 ms on two, on a busy machine;
    # the idle threads spin while the inference threads want the cores). One thread also
    # gives the same similarities whatever the number of cores (benchmarks/RESULTS.md,
    # "End-to-end speed")
    with threadpool_limits(limits=1, user_api="blas"):
        for k, step in enumerate(STEPS):
            if progress:
                progress(f"{step.stage}: {step.name}", k, len(STEPS))
            t0 = time.perf_counter()
            step.run(state)
            spent = time.perf_counter() - t0
            timings[step.name] = spent
            timings[step.stage] = timings.get(step.stage, 0.0) + spent
    if progress:
        progress("done", len(STEPS), len(STEPS))


def _embedding_ahead(options: Options, documents: int) -> Callable[[list[AnnotatedDoc]], None] | None:
    """While annotate leaves cores idle (fewer worker processes than cores: one process by
    default), the sentences link will embed are embedded on one of them as each batch of
    records is made: every lead sentence (the story step embeds them all) and every claim
    draft (the claim step or the briefing embeds nearly all of them). Vectors do not depend
    on the batch (``embed``), so nothing changes but when they are computed."""
    if not options.link or documents < 2 or options.n_process >= default_threads():
        return None
    embedder = get_embedder()
    if not isinstance(embedder, CachedEmbedder):
        return None
    cached = embedder

    def embed(records: list[AnnotatedDoc]) -> None:
        cached.ahead([p for ann in records for p in lead_parts(ann.doc)]
                     + [d.text for ann in records for d in ann.drafts])

    return embed


def analyze(
    sources: Iterable[str],
    options: Options | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Read, clean, annotate and link ``sources`` (paths, directories, URLs)."""
    options = options or Options()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if progress:
        progress("ingest", 0, 0)
    ingested = ingest(sources, options)
    timings["ingest"] = time.perf_counter() - t0
    analysis = Analysis(documents=ingested.documents, errors=ingested.errors)
    total = len(ingested.documents)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("annotate", done, total)

    t1 = time.perf_counter()
    failed: list[InputError] = []
    ahead = _embedding_ahead(options, len(ingested.documents))
    try:
        annotated = annotate(ingested.documents, options, tick, failed, ahead)
    finally:
        embedder = get_embedder() if ahead else None
        if isinstance(embedder, CachedEmbedder):
            embedder.drop_ahead()  # link embeds what is left, in large calls, on every core
    if failed:  # what could not be annotated is reported, not analysed
        analysis.errors += failed
        analysis.documents = [a.doc for a in annotated]
    timings["annotate"] = time.perf_counter() - t1
    if options.link and annotated:
        analyze_documents(annotated, options, analysis, timings, progress)
    analysis.stats = {
        "documents": len(analysis.documents),
        "inputs_failed": len(analysis.errors),
        "exact_duplicates": ingested.exact_duplicates,
        "words": sum(d.words for d in analysis.documents),
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    return analysis
