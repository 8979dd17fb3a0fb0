"""Typed data model and JSON contract (``storylens/analysis/v1``).

All offsets are character offsets into ``Document.text`` unless a field says
otherwise (``BoilerplateSpan`` points into the decoded, normalised *input*).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "storylens/analysis/v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A citation: ``documents[doc].text[start:end] == text`` always holds."""

    doc: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ScoredSpan(Span):
    score: float = 1.0


class BoilerplateSpan(_Model):
    """A removed piece of the input, offsets into the normalised input text."""

    start: int
    end: int
    text: str
    reason: str


TimeKind = Literal["date", "time", "datetime", "range", "duration", "set"]


class TimeExpression(_Model):
    span: Span
    kind: TimeKind
    value: str | None = None
    anchor: str | None = None


class Quantity(_Model):
    span: Span
    value: float
    unit: str | None = None


class Document(_Model):
    id: str
    source: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: Literal["meta", "byline", "text", "batch", "none"] = "none"
    language: str | None = None
    text: str
    raw_length: int = 0
    boilerplate: list[BoilerplateSpan] = Field(default_factory=list)
    duplicate_of: str | None = None
    syndicated_from: str | None = None
    syndication_evidence: list[Span] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    sentences: list[tuple[int, int]] = Field(default_factory=list)
    genre: Literal["report", "opinion", "unknown"] = "unknown"
    words: int = 0
    #: independent-source key: a document, its copies and its outlet's other articles share one
    source_group: str | None = None


#: what parts the headline from the body in ``Document.text`` (a paragraph break; see
#: ``ingest.with_headline``)
HEADLINE_BREAK = "\n\n"


def headline_end(doc: Document) -> int:
    """Where the headline paragraph of ``doc.text`` ends (0 when the text has none)."""
    head = " ".join((doc.title or "").split())
    if head and doc.text.startswith(head + HEADLINE_BREAK):
        return len(head)
    return 0


def doc_label(doc: Document) -> str:
    """How a document is named in every report: its outlet; else (outlet unknown) its
    title, shortened and quoted; else the name of the file (without extension) or URL;
    a file name that is a generated id ("000_d45163…", a UUID) names nothing a reader
    recognises, so such a document is labelled by the opening words of its text."""
    if doc.outlet and doc.outlet.strip():
        return doc.outlet.strip()
    title = " ".join((doc.title or "").split())
    if title:
        return f"“{_shorten(title)}”"
    name = doc.source.rstrip("/").rsplit("/", 1)[-1].split("#", 1)[0]
    for ext in (".txt", ".md", ".html", ".htm", ".jsonl", ".warc.gz", ".warc", ".xml", ".rss", ".atom"):
        if name.lower().endswith(ext) and len(name) > len(ext):
            name = name[: -len(ext)]
            break
    opening = " ".join(doc.text[: LABEL_TITLE_CHARS * 4].split())
    if opening and (not name or _GENERATED_NAME.search(name)):
        return f"“{_shorten(opening)}”"
    return name or doc.id


def _shorten(words: str) -> str:
    if len(words) <= LABEL_TITLE_CHARS:
        return words
    head = words[: LABEL_TITLE_CHARS - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head) + "…"


#: a run of 8+ hex digits with at least one digit (hashes, UUID parts), or a name made
#: only of digits and separators: ids a program generated, not names a person gave
_GENERATED_NAME = re.compile(r"(?i)(?=[a-f]*\d)[0-9a-f]{8,}|^[\d_\-. ]+$")


#: a document without an outlet is labelled by at most this much of its title
LABEL_TITLE_CHARS = 40


def outlet_counts(docs: list[Document]) -> tuple[int, int]:
    """(distinct named outlets, documents whose outlet is unknown): a document without
    an outlet is not an outlet of its own."""
    named = {" ".join(d.outlet.lower().split()) for d in docs if d.outlet and d.outlet.strip()}
    unknown = sum(1 for d in docs if not (d.outlet and d.outlet.strip()))
    return len(named), unknown


def outlets_phrase(docs: list[Document]) -> str:
    """"12 documents from 9 outlets (3 of unknown outlet)": the one wording for every report."""
    named, unknown = outlet_counts(docs)
    n = len(docs)
    head = f"{n} document{'s' if n != 1 else ''}"
    if named and unknown:
        return f"{head} from {named} outlet{'s' if named != 1 else ''} ({unknown} of unknown outlet)"
    if named:
        return f"{head} from {named} outlet{'s' if named != 1 else ''}"
    return f"{head}, outlet unknown" if n == 1 else f"{head}, outlets unknown"


def source_group(doc: Document) -> str:
    """The document's independent-source key (itself until syndication has run)."""
    return doc.source_group or f"src:{doc.id}"


class Entity(_Model):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)


class Quote(_Model):
    id: str
    span: Span
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_span: Span | None = None
    cue: Span | None = None
    direct: bool = True
    also_in: list[str] = Field(default_factory=list)
    misattribution: list[str] = Field(default_factory=list)
    #: a complete statement a reader can take on its own (what the quote board shows), not a
    #: fragment (a denial's topic, a phrase in scare quotes); set by link, None when not judged
    statement: bool | None = None


ClaimStatus = Literal["corroborated", "single_source", "contested"]


class ClaimSlots(_Model):
    subject: str | None = None
    predicate: str | None = None
    negated: bool = False
    object: str | None = None
    when: str | None = None
    where: str | None = None
    numbers: list[str] = Field(default_factory=list)
    attributed_to: str | None = None
    #: how the lead sentence states it: as fact ("asserted"), as an accusation ("alleged": "accused
    #: of shelling"), not asserted either way ("hedged": "I don't think", "if"/"unless"), as a
    #: speaker's denial ("denied"), or as a plan, forecast or possibility ("planned": "will", "may")
    modality: Literal["asserted", "alleged", "hedged", "denied", "planned"] = "asserted"


class Claim(_Model):
    id: str
    text: str
    slots: ClaimSlots = Field(default_factory=ClaimSlots)
    support: list[ScoredSpan] = Field(default_factory=list)
    independent_sources: int = 0
    status: ClaimStatus = "single_source"
    story: str | None = None


ContradictionKind = Literal["number", "date", "actor", "negation", "attribute", "other"]


class Contradiction(_Model):
    id: str
    kind: ContradictionKind
    a: Span
    b: Span
    explanation: str
    confidence: float = 0.5
    claim: str | None = None


class TimelineEntry(_Model):
    when: str | None
    what: str
    #: the sentences that state it; a sentence that a contradiction sets against it is not one
    support: list[Span] = Field(default_factory=list)
    #: the status of the claim it comes from (what a reader sees beside it)
    status: ClaimStatus | None = None
    claim: str | None = None
    #: sentences of other outlets that state it with a conflicting detail
    conflicting: list[Span] = Field(default_factory=list)


class Story(_Model):
    id: str
    label: str
    docs: list[str]
    first_seen: str | None = None
    last_seen: str | None = None
    timeline: list[TimelineEntry] = Field(default_factory=list)


class SpeakerShare(_Model):
    speaker: str
    entity: str | None = None
    quotes: int
    words: int
    #: whose side the speaker speaks for, as the text says ("Russian", "US", "independent expert")
    side: str | None = None


class LoadedTerm(_Model):
    span: Span
    term: str
    kind: str = "evaluative"
    target: str | None = None


class Framing(_Model):
    doc: str
    genre: Literal["report", "opinion", "unknown"] = "unknown"
    quoted_speakers: list[SpeakerShare] = Field(default_factory=list)
    loaded_terms: list[LoadedTerm] = Field(default_factory=list)
    omitted_claims: list[str] = Field(default_factory=list)
    unique_claims: list[str] = Field(default_factory=list)


class BriefingSentence(_Model):
    text: str
    citations: list[Span] = Field(min_length=1)
    kind: Literal["corroborated", "single_source", "contradiction", "context", "opinion"] = "corroborated"


class Briefing(_Model):
    story: str | None = None
    sentences: list[BriefingSentence] = Field(default_factory=list)


class InputError(_Model):
    """A bad input that was skipped, with its stable error code."""

    source: str
    code: str
    message: str


class Analysis(_Model):
    schema_: str = Field(default=SCHEMA_ID, alias="schema")
    documents: list[Document] = Field(default_factory=list)
    stories: list[Story] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)
    briefing: Briefing = Field(default_factory=Briefing)
    errors: list[InputError] = Field(default_factory=list)
    stats: dict[str, Any] = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)


def iter_spans(obj: Any) -> Iterator[Span]:
    """Every Span nested anywhere inside a model (or list/dict of models)."""
    if isinstance(obj, Span):
        yield obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from iter_spans(getattr(obj, name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from iter_spans(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from iter_spans(item)


def invalid_spans(analysis: Analysis) -> list[Span]:
    """Spans that break ``doc.text[start:end] == text`` (should always be empty)."""
    texts = {d.id: d.text for d in analysis.documents}
    bad = []
    for span in iter_spans(analysis):
        text = texts.get(span.doc)
        if text is None or span.end < span.start or text[span.start : span.end] != span.text:
            bad.append(span)
    return bad


def json_schema() -> dict[str, Any]:
    schema = Analysis.model_json_schema(by_alias=True)
    schema["$id"] = SCHEMA_ID
    return schema
