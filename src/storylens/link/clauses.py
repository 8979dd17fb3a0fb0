"""Sentence → claim drafts from the dependency parse.

A draft is one sentence's statement with its slots: who did what to whom,
negated or not, when, where, which numbers, and who it is attributed to
("X said Y" gives Y attributed to X). Conjoined clauses with their own
subject become extra ``Clause`` records on the same draft, so "A did X and B
did not do Y" is checked clause by clause.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from storylens.annotate import AnnotatedDoc
from storylens.lexicon import polarity, subjectivity
from storylens.models import Quantity, TimeExpression

__all__ = ["Clause", "ClaimDraft", "extract_drafts", "SPEECH_VERBS", "is_opinion_sentence"]

SPEECH_VERBS = {
    "say", "tell", "announce", "report", "confirm", "accuse", "warn", "add", "claim", "state",
    "deny", "insist", "note", "explain", "write", "declare", "argue", "allege", "assert", "stress",
    "suggest", "admit", "acknowledge", "reveal", "indicate", "describe", "call", "quote", "urge",
    "promise", "vow", "pledge", "predict", "estimate", "believe", "think", "tweet", "post",
}
_NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "nobody", "nothing", "none"}
_FIRST_PERSON = {"i", "we", "our", "us", "my", "me", "ours", "myself", "ourselves"}
_OBLIGATION = {"should", "must", "ought"}
_QUOTE_CHARS = '"'
_SUBJ = {"nsubj", "nsubjpass", "csubj", "expl"}
_OBJ = {"dobj", "attr", "dative", "oprd", "obj"}


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
    actor_party: str | None = None
    patient_party: str | None = None
    recipient_party: str | None = None


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

    @property
    def main(self) -> Clause | None:
        return self.clauses[0] if self.clauses else None


def _inside_quotes(sent: Any) -> set[int]:
    """Token indices inside quotation marks in this sentence."""
    inside: set[int] = set()
    open_ = False
    for tok in sent:
        if tok.text in _QUOTE_CHARS or tok.text in ("``", "''"):
            open_ = not open_
            continue
        if open_:
            inside.add(tok.i)
    if open_:  # unbalanced: a quote running on from an earlier sentence
        return set()
    return inside


def is_opinion_sentence(sent: Any) -> bool:
    """Author's own judgement: first person or obligation outside quotes, or loaded adjectives."""
    quoted = _inside_quotes(sent)
    own = [t for t in sent if t.i not in quoted]
    if not own:
        return False
    if any(t.lower_ in _FIRST_PERSON for t in own):
        return True
    if any(t.lower_ in _OBLIGATION and t.tag_ == "MD" for t in own):
        return True
    if sent.text.rstrip().endswith("?"):
        return True
    # judgement words: strongly subjective *and* clearly positive or negative adjectives
    # ("shameful", "heroic"), not merely subjective ones ("original", "approximate")
    subjective = [
        t for t in own
        if t.pos_ == "ADJ" and subjectivity(t.lower_) >= 0.7 and abs(polarity(t.lower_)) >= 0.3
    ]
    return len(subjective) >= 2


def _head_phrase(tok: Any) -> str:
    """A compact phrase for a noun: its compounds/amods and the noun itself."""
    parts = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nummod", "poss") and c.i >= tok.i - 3]
    words = [t.text for t in sorted([*parts, tok], key=lambda t: t.i)]
    return " ".join(words)


def _role(tok: Any, ann: AnnotatedDoc, index: dict[tuple[str, int, int], str]) -> tuple[str, str]:
    """(key, text) for an argument: the canonical entity it names, when one does.

    Preference: a mention covering the head word; then one in an apposition
    ("CNN affiliate WDIV" → WDIV, "the captain, Ann Lee" → Ann Lee); then the
    mention of the phrase nearest to its head (a compound before it).
    """

    def entity_at(start: int, end: int) -> tuple[str, str] | None:
        best = None
        for m in ann.mentions:
            if start <= m.span.start and m.span.end <= end or m.span.start <= start < m.span.end:
                eid = index.get((m.span.doc, m.span.start, m.span.end))
                if eid and (best is None or abs(m.span.end - tok.idx) < abs(best[2] - tok.idx)):
                    best = (eid, m.span.text, m.span.end)
        return (best[0], best[1]) if best else None

    covering = entity_at(tok.idx, tok.idx + len(tok.text))
    if covering:
        return covering
    for child in tok.children:
        if child.dep_ == "appos":
            found = entity_at(child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text))
            if found:
                return found
    left = tok.left_edge.idx
    found = entity_at(left, tok.idx + len(tok.text))
    if found:
        # "Russian military officials": the entity stands for the group, the words name it
        return (found[0], _head_phrase(tok)) if tok.pos_ == "NOUN" else found
    if tok.pos_ == "PRON":
        return f"pron:{tok.lower_}", tok.text
    return tok.lemma_.lower(), _head_phrase(tok)


def _negated(verb: Any) -> bool:
    for c in verb.children:
        if c.dep_ == "neg" or (c.lower_ in _NEGATORS and c.dep_ in ("advmod", "neg")):
            return True
    for c in verb.children:
        # "no terms were disclosed", "disclosed no terms"
        if c.dep_ in (*_OBJ, "nsubj", "nsubjpass") and any(
            d.lower_ in ("no", "neither") and d.dep_ == "det" for d in c.children
        ):
            return True
    return False


#: verbs that give their object the role of subject of an "of/for -ing" complement
#: ("accused X of supplying": X supplies)
_CONTROL_VERBS = {"accuse", "charge", "suspect", "blame", "convict", "indict", "arrest", "fine",
                  "sanction", "punish", "praise", "thank", "criticize", "criticise", "condemn", "credit"}
#: control verbs that report an allegation, not a fact
_ALLEGING = {"accuse", "charge", "suspect", "blame", "indict"}
#: verbs whose "X with Y" means X receives Y
_TRANSFER_WITH = {"supply", "provide", "arm", "equip", "furnish", "present", "reward"}


def _controller(verb: Any) -> tuple[Any, bool]:
    """The implicit subject of "accused X of supplying" (the controlling verb's object), and
    whether the controlling verb reports an allegation."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.dep_ != "prep" or prep.lower_ not in ("of", "for"):
        return None, False
    ruler = prep.head
    # the parser often hangs "of -ing" on the noun before it ("accused the mayor of",
    # "accused by governments of"): climb through nouns and prepositions to the verb
    for _ in range(3):
        if ruler.pos_ in ("VERB", "AUX") or ruler.head is ruler:
            break
        ruler = ruler.head
    lemma = ruler.lemma_.lower()
    if ruler.pos_ not in ("VERB", "AUX") or lemma not in _CONTROL_VERBS:
        return None, False
    passive = next((c for c in ruler.children if c.dep_ == "nsubjpass"), None)
    controller = passive if passive is not None else next(
        (c for c in ruler.children if c.dep_ in ("dobj", "obj")), None)
    return controller, controller is not None and lemma in _ALLEGING


def _clause(verb: Any, ann: AnnotatedDoc, index: dict[tuple[str, int, int], str]) -> Clause:
    pred = verb.lemma_.lower()
    prt = [c.text.lower() for c in verb.children if c.dep_ == "prt"]
    if prt:
        pred = f"{pred} {prt[0]}"
    clause = Clause(predicate=pred, negated=_negated(verb))
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i]
    clause.verb_text = " ".join(t.text for t in sorted([*aux, verb], key=lambda t: t.i))
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
    subj_pass = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    obj = next((c for c in verb.children if c.dep_ in _OBJ), None)
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    agent_obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if subj_pass is not None:  # passive: normalise to active roles
        actor, patient = agent_obj, subj_pass
    else:
        actor, patient = subj, obj
    if actor is None and subj_pass is None:
        actor, clause.alleged = _controller(verb)
    if patient is None:
        # "accuse X of", "supply X to Y": first prepositional object as the patient
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and prep.lower_ in ("to", "with", "against", "on", "at"):
                patient = pobj
                break
    if actor is not None:
        clause.actor, clause.actor_text = _role(actor, ann, index)
    if patient is not None:
        clause.patient, clause.patient_text = _role(patient, ann, index)
    recipient = next((c for c in verb.children if c.dep_ == "dative" and c.lower_ != "to"), None)
    if recipient is None:
        for prep in (c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"):
            recipient = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if recipient is not None:
                break
    with_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"), None)
    if recipient is None and obj is not None and with_prep is not None and pred in _TRANSFER_WITH:
        recipient = obj  # "supply X with arms": X receives, the arms are what is given
        given = next((c for c in with_prep.children if c.dep_ == "pobj"), None)
        if given is not None:
            clause.patient, clause.patient_text = _role(given, ann, index)
    if recipient is not None:
        clause.recipient, clause.recipient_text = _role(recipient, ann, index)
    toks = [t for t in verb.subtree]
    clause.start, clause.end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return clause


def _content_verbs(sent: Any) -> tuple[list[Any], Any | None]:
    """Main verbs of what is stated, and the speech verb that attributes it."""
    root = sent.root
    speech = None
    content = root
    if root.lemma_.lower() in SPEECH_VERBS:
        comp = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp", "parataxis")), None)
        if comp is not None:
            speech, content = root, comp
    else:
        # "Y, X said." parses with Y's verb as root and "said" below it
        for c in root.children:
            if (
                c.dep_ in ("parataxis", "ccomp", "advcl", "conj")
                and c.lemma_.lower() in SPEECH_VERBS
                and c.i > root.i
                and any(g.dep_ == "nsubj" for g in c.children)
            ):
                speech = c
                break
    verbs = [content]
    for c in content.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c is not speech:
            verbs.append(c)
    # embedded statements with a subject of their own ("there are accusations that
    # A supplied B", "B was accused of supplying"): extra clauses after the main ones
    for tok in content.subtree:
        if tok in verbs or tok is speech or tok.pos_ not in ("VERB", "AUX"):
            continue
        if tok.dep_ in ("ccomp", "acl", "advcl", "pcomp") and (
            any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) or tok.dep_ == "pcomp"
        ):
            verbs.append(tok)
    return verbs, speech


def _counted_noun(sp: Any, char: int) -> str | None:
    """Lemma of the noun a number counts, following the parse ("one rocket launcher" → "launcher")."""
    tok = sp.char_span(char, char + 1, alignment_mode="expand")
    if tok is None or len(tok) == 0:
        return None
    t = tok[0]
    # walk from the number to the noun it modifies
    for _ in range(3):
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "nummod"):
            return str(t.lemma_.lower())
        if t.dep_ in ("nummod", "compound", "quantmod", "amod") or t.pos_ == "NUM":
            t = t.head
        else:
            break
    return str(t.lemma_.lower()) if t.pos_ in ("NOUN", "PROPN") else None


_STAMP_VERBS = {"update", "publish", "post", "file", "modify", "edit"}
_EVENT_PREPOSITIONS = {"after", "before", "during", "following", "since", "until", "amid", "ahead"}


def _dated_predicate(sp: Any, start: int, end: int, clock: bool = False) -> str | None:
    """The verb (or event noun after "after", "during" …) a time expression attaches to.

    "charged Saturday" → "charge"; "after a shooting ... Friday" → "shooting".
    A time on a speech verb ("police said Saturday") dates the report, not the
    event, and gives ``None`` — unless the reported clause comes before it, where
    the parser often hangs the time on the wrong verb ("said the fire started
    ... at 3.15").
    """
    span = sp.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    inside = range(span.start, span.end)
    for _ in range(8):
        head = tok.head
        if head is tok:
            break
        if head.pos_ in ("VERB", "AUX") and head.i not in inside:
            lemma = str(head.lemma_.lower())
            if lemma in _STAMP_VERBS:
                return None  # "Updated 1:32 PM", "published Monday": the article's own stamp
            if lemma not in SPEECH_VERBS:
                return lemma
            if not clock:
                return None  # "confirmed Wednesday that …": the day of the report
            # a clock time after the reported clause belongs to it ("said the fire
            # started ... at 3.15"); reports are rarely timed to the minute
            content = [c for c in head.children if c.dep_ in ("ccomp", "xcomp") and head.i < c.i < span.start]
            return str(content[0].lemma_.lower()) if content else None
        if (
            head.pos_ == "NOUN"
            and head.dep_ == "pobj"
            and head.head.lower_ in _EVENT_PREPOSITIONS
            and head.i not in inside
        ):
            return str(head.lemma_.lower())
        tok = head
    return None


def _governing_verb(sp: Any, start: int, end: int) -> str | None:
    span = sp.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(8):
        if tok.head is tok:
            return str(tok.lemma_.lower()) if tok.pos_ in ("VERB", "AUX") else None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return str(tok.lemma_.lower())
    return None


def _according_to(sent: Any) -> Any | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            pobj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def extract_drafts(ann: AnnotatedDoc, index: dict[tuple[str, int, int], str]) -> list[ClaimDraft]:
    """Claim drafts for every stating sentence of one document."""
    doc = ann.doc
    text = doc.text
    drafts: list[ClaimDraft] = []
    # mentions, times and quantities by start offset, so each sentence takes its own by bisection
    mentions = sorted(ann.mentions, key=lambda m: m.span.start)
    mention_starts = [m.span.start for m in mentions]
    times = sorted(doc.times, key=lambda t: t.span.start)
    time_starts = [t.span.start for t in times]
    quantities = sorted(doc.quantities, key=lambda q: q.span.start)
    quantity_starts = [q.span.start for q in quantities]
    for n, sent in enumerate(ann.sp.sents):
        words = [t for t in sent if t.is_alpha]
        if len(words) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in sent):
            continue
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        draft = ClaimDraft(doc=doc.id, sent=n, start=start, end=end, text=text[start:end])
        draft.opinion = is_opinion_sentence(sent)
        verbs, speech = _content_verbs(sent)
        if speech is None and draft.text.startswith('"') and draft.text.count('"') % 2 == 1:
            draft.fragment = True  # a piece of a longer quotation: a quote, not a claim
        draft.clauses = [_clause(v, ann, index) for v in verbs]
        if speech is not None:
            # "X told Y": who spoke to whom is itself checkable (kept after the content)
            draft.clauses.append(_clause(speech, ann, index))
        if speech is not None:
            speaker = next((c for c in speech.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if speaker is not None:
                draft.attributed_to, draft.attributed_text = _role(speaker, ann, index)
        else:
            src = _according_to(sent)
            if src is not None:
                draft.attributed_to, draft.attributed_text = _role(src, ann, index)
        for m in mentions[bisect_left(mention_starts, start) : bisect_left(mention_starts, end)]:
            eid = index.get((m.span.doc, m.span.start, m.span.end))
            if eid:
                draft.entities.add(eid)
            if m.label in ("GPE", "LOC", "FAC"):
                draft.places.append(m.span.text)
        draft.times = times[bisect_left(time_starts, start) : bisect_left(time_starts, end)]
        draft.quantities = quantities[bisect_left(quantity_starts, start) : bisect_left(quantity_starts, end)]
        for t in draft.times:
            anchor = _dated_predicate(ann.sp, t.span.start, t.span.end, clock=bool(t.value and "T" in t.value))
            if anchor:
                draft.time_anchor[t.span.start] = anchor
        for q in draft.quantities:
            head = _counted_noun(ann.sp, q.span.start)
            if head:
                draft.counted[q.span.start] = head
            anchor = _governing_verb(ann.sp, q.span.start, q.span.end)
            if anchor:
                draft.count_anchor[q.span.start] = anchor
        drafts.append(draft)
    return drafts


_QUALIFIER = re.compile(
    r"(?P<q>about|around|some|nearly|almost|roughly|approximately|more than|over|at least|"
    r"up to|fewer than|less than|under|at most|as many as|close to|an estimated|estimated)\s*$",
    re.I,
)


def quantity_bounds(text: str, q: Quantity) -> tuple[float, float, bool]:
    """(low, high, approximate) for a quantity, from the words right before it."""
    before = text[max(0, q.span.start - 25) : q.span.start]
    m = _QUALIFIER.search(before)
    v = q.value
    if not m:
        return v, v, False
    word = m.group("q").lower()
    if word in ("more than", "over", "at least"):
        return v, float("inf"), True
    if word in ("up to", "fewer than", "less than", "under", "at most", "as many as"):
        return 0.0, v, True
    return v * 0.9, v * 1.1, True
