"""Per-document records: what ``annotate`` contributes, as plain serialisable data.

Everything a later stage needs from the parse is here, so a document's record can be
saved (the store), shipped to another process (``-j``, Dask) and reloaded, and the
cross-document stages never see spaCy. Offsets are character offsets into
``Document.text``.

Roles are not entity ids yet: entities are canonicalised across documents in
``link``, so annotate records which mentions could name each argument (``RoleRef``)
and ``link`` resolves them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storylens.models import Document, Quote, Span

__all__ = [
    "AnnotatedDoc", "ClauseDraft", "Mention", "MentionIndex", "MentionKey", "RoleCandidate", "RoleRef",
    "SentenceDraft", "TermCandidate",
]

#: (document id, start, end) of an entity mention
MentionKey = tuple[str, int, int]
#: mention key → canonical entity id (built by ``link.entities.canonicalize``)
MentionIndex = dict[MentionKey, str]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mention(_Record):
    """A named-entity mention as the tagger found it (leading article and possessive cut)."""

    span: Span
    label: str
    #: index of the sentence the mention is in
    sent: int = 0


class RoleCandidate(_Record):
    """A mention that may name an argument, with the words to show when it does."""

    start: int
    end: int
    text: str


class RoleRef(_Record):
    """An argument of a clause: the first candidate (tier by tier) that names a canonical
    entity stands for it; else ``key``/``text`` (a pronoun or the head noun's lemma)."""

    tiers: list[list[RoleCandidate]] = Field(default_factory=list)
    key: str
    text: str


class ClauseDraft(_Record):
    """One clause of a sentence: who did what to whom, as the parse gives it."""

    predicate: str
    negated: bool
    actor: RoleRef | None = None
    patient: RoleRef | None = None
    #: who receives ("supply arms to X", "give X arms", "supply X with arms")
    recipient: RoleRef | None = None
    start: int = 0
    end: int = 0
    #: the verb with its auxiliaries and negation, as written ("did not suspend")
    verb_text: str = ""
    #: stated as an allegation ("accused of bombing"): its polarity is not the writer's claim
    alleged: bool = False
    #: not asserted either way: under a negated verb of saying or belief ("I don't think he
    #: won"), or in a condition ("unless the deal is signed") or its consequence
    hedged: bool = False
    #: reported as denied by its speaker ("the ministry denied shipping rifles"): polarity flipped,
    #: and the denial is the speaker's, set against reports rather than stated by the outlet
    denied: bool = False
    #: the event is named by a noun ("the arrest of X", "her arrival", "the shipment of rifles
    #: from X to Y"): it has roles but no polarity of its own
    nominal: bool = False


class SentenceDraft(_Record):
    """A sentence with a verb and its clauses, the raw material of claims."""

    sent: int
    start: int
    end: int
    text: str
    clauses: list[ClauseDraft] = Field(default_factory=list)
    #: "X said ...", "according to X"
    attributed: RoleRef | None = None
    #: the author's own judgement (first person, obligation, judgement adjectives, a question)
    opinion: bool = False
    #: part of a quotation split across sentences: checked for contradictions, not a claim
    fragment: bool = False
    #: quantity start offset → lemma of the noun it counts ("two rockets" → "rocket")
    counted: dict[int, str] = Field(default_factory=dict)
    #: quantity start offset → the predicate it is an argument of ("evacuated 212 passengers" → "evacuate")
    count_anchor: dict[int, str] = Field(default_factory=dict)
    #: time expression start offset → the predicate it dates ("charged Saturday" → "charge")
    time_anchor: dict[int, str] = Field(default_factory=dict)


class TermCandidate(_Record):
    """An adjective or adverb in the outlet's own voice that may be loaded wording.

    ``targets``: character ranges of the words that may name what it describes, in order;
    the first one inside a canonical entity's mention gives the target.
    """

    start: int
    end: int
    lemma: str
    pos: Literal["ADJ", "ADV"]
    evaluative: bool
    targets: list[tuple[int, int]] = Field(default_factory=list)


class AnnotatedDoc(_Record):
    """Everything one document contributes to the cross-document stages."""

    doc: Document
    mentions: list[Mention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    drafts: list[SentenceDraft] = Field(default_factory=list)
    terms: list[TermCandidate] = Field(default_factory=list)
