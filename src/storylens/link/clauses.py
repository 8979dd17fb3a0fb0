"""Claim drafts with canonical entities: annotate's sentence drafts, roles resolved.

A draft is one sentence's statement with its slots: who did what to whom,
negated or not, when, where, which numbers, and who it is attributed to
("X said Y" gives Y attributed to X). Annotate walks the parse
(``annotate/drafts.py``); here each argument becomes the canonical entity its
first naming mention stands for, and the sentence's entities, places, times and
quantities are attached.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from storylens.models import Quantity, Quote, TimeExpression
from storylens.records import AnnotatedDoc, ClauseDraft, Mention, MentionIndex, RoleRef

__all__ = ["Clause", "ClaimDraft", "resolve_drafts", "resolve_role", "quantity_bounds", "coordinated", "coordinated_dates"]

@dataclass
class Clause:
    predicate: str
    negated: bool
    actor: str | None = None  # entity id or lower-cased head phrase
    actor_text: str | None = None
    patient: str | None = None
    patient_text: str | None = None
    #: who receives ("supply arms to X", "give X arms", "supply X with arms")
    recipient: str | None = None
    recipient_text: str | None = None
    start: int = 0
    end: int = 0
    #: the verb with its auxiliaries and negation, as written ("did not suspend")
    verb_text: str = ""
    #: the parties the roles stand for: a country for its capital, people or seat of
    #: government ("Moscow", "Russian officials" → Russia), else the role key itself
    #: stated as an allegation ("accused of bombing"): its polarity is not the writer's claim
    alleged: bool = False
    #: not asserted either way (under "I don't think", in an "if"/"unless" condition)
    hedged: bool = False
    #: a speaker's denial ("denied shipping rifles"), polarity already flipped
    denied: bool = False
    #: the event is named by a noun ("the arrest of X"): roles, no polarity of its own
    nominal: bool = False
    actor_party: str | None = None
    patient_party: str | None = None
    recipient_party: str | None = None
    #: for a "he"/"she" actor: the person last named before the clause in its document (a guess,
    #: used only to tell two people apart, never to merge them)
    antecedent: str | None = None
    antecedent_text: str | None = None


@dataclass
class ClaimDraft:
    doc: str
    sent: int
    start: int
    end: int
    text: str
    clauses: list[Clause] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)
    times: list[TimeExpression] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    attributed_to: str | None = None
    attributed_text: str | None = None
    #: the capitalised words naming the speaker and whom it speaks for, its appositive and
    #: compounds included ("Ana Reyes, a spokeswoman for the Norland army," → Ana, Reyes, Norland)
    attributed_names: set[str] = field(default_factory=set)
    opinion: bool = False
    #: the parties its entities stand for (a capital or demonym → the country); see claims.set_parties
    parties: set[str] = field(default_factory=set)
    #: part of a quotation split across sentences: checked for contradictions, not a claim
    fragment: bool = False
    #: quantity start offset → lemma of the noun it counts ("two rockets" → "rocket")
    counted: dict[int, str] = field(default_factory=dict)
    #: quantity start offset → the predicate it is an argument of ("evacuated 212 passengers" → "evacuate")
    count_anchor: dict[int, str] = field(default_factory=dict)
    #: time expression start offset → the predicate it dates ("charged Saturday" → "charge")
    time_anchor: dict[int, str] = field(default_factory=dict)
    #: time expression start offset → the predicates of the clauses coordinated with the one it
    #: dates, when it is the only time dating any of them ("on Tuesday stopped the ferry and took
    #: 14 into custody": the custody is Tuesday's too); see ``coordinated_dates``
    time_also: dict[int, list[str]] = field(default_factory=dict)
    #: what it states lies inside a direct quotation: the speaker's claim, not the outlet's
    #: ("'We did not bomb any camps,' he told reporters")
    quoted: bool = False
    #: the direct quotations overlapping the sentence, (start, end) in the document
    quote_spans: list[tuple[int, int]] = field(default_factory=list)
    #: where the sentence's named mentions end (document offsets)
    mention_ends: set[int] = field(default_factory=set)

    def in_quote(self, c: Clause) -> bool:
        """What the clause states is in a direct quotation (the speaker's words, not the outlet's):
        the clause ends inside one, though its subject may stand outside ('the fire "did not start
        in the engine room"'). A clause ends at most where its sentence ends: the last clause of a
        headline runs over the line break after it ('Vessia: "Norland shelled the camp"')."""
        end = min(c.end, self.end)
        return any(qs < end <= qe + 1 for qs, qe in self.quote_spans)

    @property
    def main(self) -> Clause | None:
        return self.clauses[0] if self.clauses else None


def resolve_role(ref: RoleRef | None, doc_id: str, index: MentionIndex) -> tuple[str | None, str | None]:
    """(key, text) for an argument: the canonical entity its first naming mention stands for,
    else the pronoun or head-noun key annotate gave it."""
    if ref is None:
        return None, None
    for tier in ref.tiers:
        for c in tier:
            eid = index.get((doc_id, c.start, c.end))
            if eid:
                return eid, c.text
    return ref.key, ref.text


def _clause(draft: ClauseDraft, doc_id: str, index: MentionIndex) -> Clause:
    clause = Clause(predicate=draft.predicate, negated=draft.negated, start=draft.start, end=draft.end,
                    verb_text=draft.verb_text, alleged=draft.alleged, hedged=draft.hedged,
                    denied=draft.denied, nominal=draft.nominal)
    clause.actor, clause.actor_text = resolve_role(draft.actor, doc_id, index)
    clause.patient, clause.patient_text = resolve_role(draft.patient, doc_id, index)
    clause.recipient, clause.recipient_text = resolve_role(draft.recipient, doc_id, index)
    return clause


def resolve_drafts(ann: AnnotatedDoc, index: MentionIndex) -> list[ClaimDraft]:
    """Claim drafts of one document, their roles and entities resolved to canonical ids."""
    doc = ann.doc
    mentions = sorted(ann.mentions, key=lambda m: m.span.start)
    mention_starts = [m.span.start for m in mentions]
    people = sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: m.span.end)
    people_ends = [m.span.end for m in people]
    times = sorted(doc.times, key=lambda t: t.span.start)
    time_starts = [t.span.start for t in times]
    quantities = sorted(doc.quantities, key=lambda q: q.span.start)
    quantity_starts = [q.span.start for q in quantities]
    quoted = sorted((q for q in ann.quotes if q.direct), key=lambda q: q.span.start)
    quoted_starts = [q.span.start for q in quoted]
    drafts: list[ClaimDraft] = []
    for s in ann.drafts:
        start, end = s.start, s.end
        draft = ClaimDraft(doc=doc.id, sent=s.sent, start=start, end=end, text=s.text,
                           opinion=s.opinion, fragment=s.fragment, counted=dict(s.counted),
                           count_anchor=dict(s.count_anchor), time_anchor=dict(s.time_anchor))
        draft.clauses = [_clause(c, doc.id, index) for c in s.clauses]
        for c in draft.clauses:
            if c.actor in _PERSONAL_PRONOUNS:
                c.antecedent, c.antecedent_text = _last_person(people, people_ends, c.start, index)
        draft.attributed_to, draft.attributed_text = resolve_role(s.attributed, doc.id, index)
        if s.attributed is not None:
            draft.attributed_names = {w for tier in s.attributed.tiers for c in tier
                                      for w in _NAME_WORD.findall(c.text)} | set(_NAME_WORD.findall(s.attributed.text))
        if draft.attributed_to is None:
            draft.attributed_to, draft.attributed_text = _quoting(quoted, quoted_starts, start, end, index)
        elif draft.attributed_to.startswith("e_"):
            _speaker_pronouns(draft)
        draft.quote_spans = [(q.span.start, q.span.end) for q in quoted[max(0, bisect_right(quoted_starts, start) - 1):
                                                                       bisect_left(quoted_starts, end)]
                             if q.span.end > start and q.span.start < end]
        main = draft.main
        draft.quoted = draft.in_quote(main) if main else \
            any(qs <= start + 1 and end <= qe + 1 for qs, qe in draft.quote_spans)
        for m in mentions[bisect_left(mention_starts, start) : bisect_left(mention_starts, end)]:
            eid = index.get((m.span.doc, m.span.start, m.span.end))
            draft.mention_ends.add(m.span.end)
            if eid:
                draft.entities.add(eid)
            if m.label in ("GPE", "LOC", "FAC"):
                draft.places.append(m.span.text)
        draft.times = times[bisect_left(time_starts, start) : bisect_left(time_starts, end)]
        draft.time_also = coordinated_dates(draft, doc.text)
        draft.quantities = quantities[bisect_left(quantity_starts, start) : bisect_left(quantity_starts, end)]
        drafts.append(draft)
    return drafts


_NAME_WORD = re.compile(r"[A-Z]\w{2,}")


#: what stands right before a verb coordinated with the main one ("… and took 14 into custody",
#: "…, but was arrested", "… and then fled")
_COORDINATED = re.compile(r"(?:\b(?:and|but)|,)(?:\s+then)?\s*$", re.I)


def coordinated(d: ClaimDraft, text: str) -> list[Clause]:
    """The main clause and the verbs coordinated with it, in the order written: "stopped the
    ferry and took 14 into custody", "was pulled over …, but was arrested". Not the clauses
    embedded in it ("pirates who attacked", "after slipping", "said it had …")."""
    main = d.main
    if main is None or main.nominal:
        return []
    group = [main]
    for c in d.clauses[1:]:
        if c.nominal or not main.start < c.start < c.end <= main.end:
            continue
        if _COORDINATED.search(text[max(d.start, c.start - 12) : c.start]):
            group.append(c)
    return group


def _dates(clause: Clause, anchor: str) -> bool:
    """The anchor of a time names the clause's verb (a clause's predicate may add a particle:
    "shoot dead", "check in")."""
    return clause.predicate == anchor or clause.predicate.startswith(anchor + " ")


def coordinated_dates(d: ClaimDraft, text: str) -> dict[int, list[str]]:
    """time start → the predicates of the coordinated clauses it also dates: the one time that
    dates a clause of the main coordination dates the undated others (one account of one
    occasion, "on Tuesday stopped the ferry and took 14 into custody"). Nothing when two times
    date clauses of it ("arrested on Monday and charged on Friday")."""
    group = coordinated(d, text)
    if len(group) < 2:
        return {}
    on_group = [(start, anchor) for start, anchor in d.time_anchor.items()
                if any(_dates(c, anchor) for c in group)]
    if len(on_group) != 1:
        return {}
    start, anchor = on_group[0]
    others = [c.predicate for c in group if not _dates(c, anchor)]
    return {start: list(dict.fromkeys(others))} if others else {}


_PERSONAL_PRONOUNS = {"pron:he", "pron:she", "pron:him", "pron:her"}
#: an antecedent further back than this is not guessed
_ANTECEDENT_WINDOW = 400


def _last_person(people: list[Mention], ends: list[int], start: int,
                 index: MentionIndex) -> tuple[str | None, str | None]:
    """The entity of the last person named before ``start`` (within a few sentences)."""
    i = bisect_right(ends, start) - 1
    while i >= 0 and people[i].span.end > start - _ANTECEDENT_WINDOW:
        m = people[i]
        eid = index.get((m.span.doc, m.span.start, m.span.end))
        if eid:
            return eid, m.span.text
        i -= 1
    return None, None


#: pronouns that, as the subject of what a named speaker says, stand for the speaker ("the
#: ministry denied it had shipped rifles", "police said they arrested two men"); "we" is left as
#: written (a speaker's own denial is read from it), "he"/"she" may be someone else
_SPEAKER_PRONOUNS = {"pron:it", "pron:they"}


def _speaker_pronouns(draft: ClaimDraft) -> None:
    """A pronoun subject of the reported clauses stands for the named speaker."""
    for c in draft.clauses:
        if c.actor in _SPEAKER_PRONOUNS and c.actor != draft.attributed_to:
            c.actor, c.actor_text = draft.attributed_to, draft.attributed_text


def _quoting(quoted: list[Quote], starts: list[int], start: int, end: int,
             index: MentionIndex) -> tuple[str | None, str | None]:
    """(key, text) of the speaker whose quotation holds the sentence ``start..end``: words
    inside a quotation are the speaker's claim, never the outlet's, even in a sentence with no
    speech verb of its own (the second sentence of a long quotation)."""
    i = bisect_right(starts, start + 1) - 1
    while i >= 0:
        q = quoted[i]
        if q.span.start <= start + 1 and end <= q.span.end + 1:
            sp = q.speaker_span
            eid = index.get((sp.doc, sp.start, sp.end)) if sp is not None else None
            if eid:
                return eid, q.speaker_text
            text = q.speaker_text or "an unnamed speaker"
            return text.lower(), text  # the key annotate gives a speaker it could not name
        if q.span.end < start:
            break
        i -= 1
    return None, None


_QUALIFIER = re.compile(
    r"(?P<q>about|around|some|nearly|almost|roughly|approximately|more than|over|at least|"
    r"up to|fewer than|less than|under|at most|as many as|close to|an estimated|estimated)\s*$",
    re.I,
)


#: a lower bound written after the number ("a 4-plus quake", "20+ years", "30 or more")
_BOUND_AFTER = re.compile(r"^(?:\s*-\s*|\s+)?(?:plus\b|\+|or more\b)", re.I)


def quantity_bounds(text: str, q: Quantity) -> tuple[float, float, bool]:
    """(low, high, approximate) for a quantity, from the words right before it (and a "-plus"
    or "or more" right after it)."""
    before = text[max(0, q.span.start - 25) : q.span.start]
    m = _QUALIFIER.search(before)
    v = q.value
    if _BOUND_AFTER.match(text[q.span.end : q.span.end + 10]) or q.span.text.rstrip().endswith("+"):
        return v, float("inf"), True
    if not m:
        return v, v, False
    word = m.group("q").lower()
    if word in ("more than", "over", "at least"):
        return v, float("inf"), True
    if word in ("up to", "fewer than", "less than", "under", "at most", "as many as"):
        return 0.0, v, True
    return v * 0.9, v * 1.1, True
