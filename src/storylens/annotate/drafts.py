"""Sentence → claim drafts from the dependency parse (per document; no entity ids yet).

A draft is one sentence's statement with its slots: who did what to whom,
negated or not, which predicate each time and count belongs to, and who it is
attributed to ("X said Y" gives Y attributed to X). Conjoined clauses with their
own subject become extra clauses on the same draft, so "A did X and B did not do
Y" is checked clause by clause. Arguments are ``RoleRef``s: the mentions that may
name them, resolved to canonical entities by ``link.clauses.resolve_drafts``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storylens.lexicon import polarity, subjectivity
from storylens.models import Document, headline_end
from storylens.records import ClauseDraft, Mention, RoleCandidate, RoleRef, SentenceDraft
from storylens.wordlists import (
    ANNOUNCING_VERBS,
    BELIEF_VERBS,
    EVENT_NOUNS,
    NEGATORS,
    POSSESSOR_UNDERGOES,
    POST_SIGNATURE,
    STATING_VERBS,
    VERB_IDIOMS,
)

if TYPE_CHECKING:
    from storylens.annotate import ParsedDoc

__all__ = ["extract_drafts", "is_opinion_sentence", "document_genre", "genre_score", "GENRE_WEIGHTS",
           "OPINION_SHARE", "OPINION_SCORE"]

_FIRST_PERSON = {"i", "we", "our", "us", "my", "me", "ours", "myself", "ourselves"}


def _first_person(word: str) -> bool:
    """A first-person pronoun; "US" in capitals is the country ("the US surgeon general")."""
    return word.lower() in _FIRST_PERSON and not (len(word) > 1 and word.isupper())

_OBLIGATION = {"should", "must", "ought"}
_QUOTE_CHARS = '"'
_SUBJ = {"nsubj", "nsubjpass", "csubj", "expl"}
_OBJ = {"dobj", "attr", "dative", "oprd", "obj"}
#: a document whose stating sentences are at least this share opinion is an opinion piece
OPINION_SHARE = 0.4


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
    if any(_first_person(t.text) for t in own):
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


def _role(tok: Any, mentions: list[Mention]) -> RoleRef:
    """The mentions that may name an argument, best first, tier by tier.

    Preference: a mention covering the head word; then one in an apposition
    ("CNN affiliate WDIV" → WDIV, "the captain, Ann Lee" → Ann Lee); then the
    mention of the phrase nearest to its head (a compound before it). Within a
    tier the mention ending nearest to the head word comes first.
    """

    def candidates(start: int, end: int, text: str | None = None) -> list[RoleCandidate]:
        found = [
            m for m in mentions
            if start <= m.span.start and m.span.end <= end or m.span.start <= start < m.span.end
        ]
        found.sort(key=lambda m: abs(m.span.end - tok.idx))  # stable: ties keep text order
        return [RoleCandidate(start=m.span.start, end=m.span.end, text=text or m.span.text) for m in found]

    tiers = [candidates(tok.idx, tok.idx + len(tok.text))]
    for child in tok.children:
        if child.dep_ == "appos":
            tiers.append(candidates(child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)))
    # "Russian military officials": the entity stands for the group, the words name it
    tiers.append(candidates(tok.left_edge.idx, tok.idx + len(tok.text),
                            _head_phrase(tok) if tok.pos_ == "NOUN" else None))
    tiers = [t for t in tiers if t]
    if tok.pos_ == "PRON":
        return RoleRef(tiers=tiers, key=f"pron:{tok.lower_}", text=tok.text)
    return RoleRef(tiers=tiers, key=tok.lemma_.lower(), text=_head_phrase(tok))


def _negated(verb: Any) -> bool:
    for c in verb.children:
        if c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ in ("advmod", "neg")):
            return True
    for c in verb.children:
        # "no terms were disclosed", "disclosed no terms"; "have ruled nothing out", "nobody was hurt"
        if c.dep_ in (*_OBJ, "nsubj", "nsubjpass") and (c.lower_ in ("nothing", "nobody", "none") or any(
            d.lower_ in ("no", "neither") and d.dep_ == "det" for d in c.children
        )):
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


def verb_predicate(verb: Any) -> str:
    """The verb's lemma with its particle or "dead" ("passed away" → "pass away", "was shot dead"
    → "shoot dead"), or the idiom it heads (``wordlists.VERB_IDIOMS``: "took 49 into custody"
    → "take into custody", "opened fire" → "open fire"; no particle is added to an idiom). One
    function for a clause's predicate and for the action a time or a count is anchored to, so
    "passed away Saturday" dates the "pass away" its clause tells, not a "pass"."""
    lemma = str(verb.lemma_.lower())
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            idiom = VERB_IDIOMS.get((lemma, child.lemma_.lower()))
        elif child.dep_ == "prep":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            idiom = VERB_IDIOMS.get((lemma, child.lower_, pobj.lemma_.lower())) if pobj is not None else None
        else:
            continue
        if idiom:
            return idiom
    # a particle, or an adverb-tagged preposition right after the verb ("passed away" is parsed
    # either way)
    prt = [c.text.lower() for c in verb.children
           if c.dep_ == "prt" or c.dep_ == "advmod" and c.pos_ == "ADP" and c.i == verb.i + 1]
    if prt:
        return f"{lemma} {prt[0]}"
    if verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == "dead" or any(
            c.lower_ == "dead" and c.dep_ in ("acomp", "oprd", "advmod", "xcomp", "ccomp") for c in verb.children):
        return f"{lemma} dead"  # "shot dead", "was shot dead": a killing, not a wounding
    return lemma


def _clause(verb: Any, mentions: list[Mention]) -> ClauseDraft:
    pred = verb_predicate(verb)
    clause = ClauseDraft(predicate=pred, negated=_negated(verb))
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
        clause.actor = _role(actor, mentions)
    if patient is not None:
        clause.patient = _role(patient, mentions)
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
            clause.patient = _role(given, mentions)
    if recipient is not None:
        clause.recipient = _role(recipient, mentions)
    toks = [t for t in verb.subtree]
    clause.start, clause.end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return clause


#: verbs that state their "to"-complement did not happen ("refused to sign": no signing)
_REFUSING = {"refuse", "decline", "fail"}
#: verbs whose subject reports a clause as untrue ("denied that", "denied shipping")
_DENYING = {"deny"}
#: conjunctions that make a clause a condition, not a statement
_CONDITIONAL_MARKS = {"if", "unless", "whether"}
#: conjunctions that tie a plan to a later event ("will be released after he is charged",
#: "will not be named until the family is told"): the plan states no outcome yet
_PENDING_MARKS = {"until", "till", "after", "once", "before", "when"}
_MODALS = {"will", "would", "shall", "should", "may", "might", "can", "could", "must", "wo", "ca"}


def _hedged(verb: Any) -> bool:
    """The clause of ``verb`` is not asserted: it sits under a negated verb of saying or belief
    ("I don't think he won", "did not say that"), or it is a condition ("unless it is
    signed") or the consequence of one ("it will close if ..."), or a plan tied to a later
    event ("will not be released until ...")."""
    planned = any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children)
    if planned and any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _PENDING_MARKS for m in c.children)
                       for c in verb.children):
        return True
    tok = verb
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in tok.children):
            return True
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITIONAL_MARKS for m in c.children)
               for c in tok.children):
            return True
        head = tok.head
        if head.i == tok.i:
            return False
        if (head.lemma_.lower() in STATING_VERBS or head.lemma_.lower() in BELIEF_VERBS) and _negated(head) \
                and tok.dep_ in ("ccomp", "xcomp", "parataxis"):
            return True
        tok = head
    return False


def _refused(verb: Any) -> Any | None:
    """The action a refusing verb says did not happen ("declined to comment" → comment)."""
    if verb.lemma_.lower() not in _REFUSING:
        return None
    return next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)


def _statement(verb: Any, speech: Any | None, mentions: list[Mention]) -> ClauseDraft:
    """The clause of a content verb, with its polarity as the sentence states it."""
    action = _refused(verb)
    if action is not None:
        # "X refused to sign the deal": X did not sign it
        clause = _clause(action, mentions)
        outer = _clause(verb, mentions)
        clause.negated = not outer.negated
        clause.actor = clause.actor or outer.actor
        clause.verb_text = f"{outer.verb_text} {clause.verb_text}"
        clause.start, clause.end = outer.start, outer.end
    else:
        clause = _clause(verb, mentions)
    clause.hedged = _hedged(verb)
    # the denial covers what was denied ("denied [he was arrested]"), not what that clause
    # embeds ("a man suspected of shooting … was arrested, police denied": no shooting denied)
    denied_clause = speech is not None and (
        verb.head.i == speech.i or (verb.dep_ == "conj" and verb.head.head.i == speech.i))
    if denied_clause and speech is not None and speech.lemma_.lower() in _DENYING and not _negated(speech):
        clause.denied = True
        clause.negated = not clause.negated
    return clause


#: events whose noun's "of" names who acts ("the death of X", "the arrival of X"); for the
#: others it names what the action is done to ("the arrest of X", "the shipment of rifles")
_OF_ACTS = {"die", "arrive", "resign", "leave", "collapse", "explode", "crash", "escape", "visit", "travel", "tour"}
#: preposition → role of its object after an event noun
_NOUN_PREPOSITIONS = {"by": "actor", "from": "actor", "to": "recipient", "on": "patient", "against": "patient"}
_TRANSFER_NOUN_VERBS = {"ship", "deliver", "supply", "transfer", "donate", "lend"}
#: events whose noun takes its target with "on" or "against" ("the attack on X")
_TARGETED = {"attack", "strike", "bomb", "raid", "ban"}


def _event_noun_clauses(sent: Any, mentions: list[Mention]) -> list[ClauseDraft]:
    """Events named by a noun with a participant ("her arrival on 3 May", "the arrest of X by
    police", "X's loans to Y", "the shipment of rifles from X to Y"), as clauses of the verb the
    noun stands for: they align with and are compared against the verb's wordings."""
    out = []
    for tok in sent:
        verb = EVENT_NOUNS.get(tok.lemma_.lower()) if tok.pos_ == "NOUN" else None
        if verb is None:
            continue
        roles: dict[str, Any] = {}

        def pobj_of(prep: Any) -> Any:
            return next((c for c in prep.children if c.dep_ == "pobj"), None)

        preps = [c for c in tok.children if c.dep_ == "prep"]
        of = next((pobj_of(p) for p in preps if p.lower_ == "of"), None)
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if of is not None:
            roles["actor" if verb in _OF_ACTS else "patient"] = of
            # "the shipment of rifles from X to Y": the parser often hangs "from"/"to" on "rifles"
            preps += [c for c in of.children if c.dep_ == "prep"]
            if poss is not None:
                roles.setdefault("actor", poss)
        elif poss is not None:
            roles["patient" if tok.lemma_.lower() in POSSESSOR_UNDERGOES else "actor"] = poss
        for prep in preps:
            pobj = pobj_of(prep)
            role = _NOUN_PREPOSITIONS.get(prep.lower_)
            if pobj is None or role is None:
                continue
            if prep.lower_ in ("from", "to") and verb not in _TRANSFER_NOUN_VERBS:
                role = "patient" if prep.lower_ == "to" and verb in ("visit", "travel", "tour") else ""
            if prep.lower_ in ("on", "against") and verb not in _TARGETED:
                role = ""
            if role:
                roles.setdefault(role, pobj)
        if not roles:
            continue  # a bare "the attack": nothing to line up but the word
        clause = ClauseDraft(predicate=verb, negated=False, nominal=True, verb_text=tok.text)
        for role, arg in roles.items():
            setattr(clause, role, _role(arg, mentions))
        toks = list(tok.subtree)
        clause.start, clause.end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        out.append(clause)
    return out


def _content_verbs(sent: Any) -> tuple[list[Any], Any | None]:
    """Main verbs of what is stated, and the speech verb that attributes it."""
    root = sent.root
    speech = None
    content = root
    if root.lemma_.lower() in STATING_VERBS:
        comp = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp", "parataxis")), None)
        if comp is not None:
            speech, content = root, comp
    else:
        # "Y, X said." parses with Y's verb as root and "said" below it
        for c in root.children:
            if (
                c.dep_ in ("parataxis", "ccomp", "advcl", "conj")
                and c.lemma_.lower() in STATING_VERBS
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
    # "23 of the raiders", "seven of the skiffs": the partitive names what is counted
    of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None) if t.pos_ == "NUM" else None
    noun = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None) \
        if of is not None else None
    if noun is not None:
        return str(noun.lemma_.lower())
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


def _acts_on_something(verb: Any) -> bool:
    """A verb with a subject or object, or one that modifies a noun ("filed charges Sunday",
    "charges filed Sunday"): an event, not an article's time stamp ("Filed 10:32 AM")."""
    return verb.head.pos_ in ("NOUN", "PROPN") and verb.head is not verb or any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj", "obj") for c in verb.children)


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
            if lemma in _STAMP_VERBS and not _acts_on_something(head):
                return None  # "Updated 1:32 PM", "published Monday": the article's own stamp
            if lemma not in STATING_VERBS:
                return verb_predicate(head)
            if lemma in ANNOUNCING_VERBS and not clock:
                return lemma  # "announced Friday that …": an announcement is made once, on one day
            if not clock:
                return None  # "said Wednesday that …": the day of the report
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


#: dependencies of a number that stands for what a verb counts, with no noun ("took 49 into
#: custody", "the blast killed 12")
_COUNT_ARGUMENTS = {"dobj", "obj", "nsubj", "nsubjpass"}


def _counted_argument(sp: Any, char: int) -> str | None:
    """"@<verb>" for a number that is itself a verb's subject or object (no noun counted):
    what the verb acts on, counted ("took 49 into custody" → "@take")."""
    span = sp.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    t = span[0]
    while t.dep_ in ("compound", "quantmod") and t.head is not t:
        t = t.head  # "2,000" split, "about 49"
    if t.pos_ != "NUM" or t.dep_ not in _COUNT_ARGUMENTS or t.head.pos_ != "VERB":
        return None
    lemma = str(t.head.lemma_.lower())
    if lemma in STATING_VERBS or lemma in ("be", "have", "do", "make", "get"):
        return None
    return "@" + verb_predicate(t.head)


def _governing_verb(sp: Any, start: int, end: int) -> str | None:
    span = sp.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(8):
        if tok.head is tok:
            return verb_predicate(tok) if tok.pos_ in ("VERB", "AUX") else None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return verb_predicate(tok)
    return None


def _according_to(sent: Any) -> Any | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            pobj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def extract_drafts(parsed: ParsedDoc) -> list[SentenceDraft]:
    """Drafts for every sentence with a verb and at least four words."""
    doc = parsed.doc
    text = doc.text
    times = sorted(doc.times, key=lambda t: t.span.start)
    quantities = sorted(doc.quantities, key=lambda q: q.span.start)
    time_starts = [t.span.start for t in times]
    quantity_starts = [q.span.start for q in quantities]
    drafts: list[SentenceDraft] = []
    # a sentence's roles are found among the mentions that overlap it (a role's words lie in
    # its sentence), not among all the document's: that was sentences x mentions per document
    mentions = sorted(parsed.mentions, key=lambda m: m.span.start)
    mention_starts = [m.span.start for m in mentions]
    longest = max((m.span.end - m.span.start for m in mentions), default=0)
    head_end = headline_end(doc)
    for n, sent in enumerate(parsed.sp.sents):
        words = [t for t in sent if t.is_alpha]
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in sent)
        # a headline states its fact in few words and often with no verb ("Coach hired",
        # "Nominee for surgeon general: Dr Ana Reyes"): it is a claim all the same, and
        # often the only place an outlet states it
        headline = sent.start_char < head_end
        if len(words) < (3 if headline else 4) or not (has_verb or headline):
            continue
        start, end = sent.start_char, sent.end_char
        near = [m for m in mentions[bisect_left(mention_starts, start - longest) : bisect_left(mention_starts, end)]
                if m.span.end > start]
        while end > start and text[end - 1].isspace():
            end -= 1
        draft = SentenceDraft(sent=n, start=start, end=end, text=text[start:end])
        draft.opinion = is_opinion_sentence(sent)
        verbs, speech = _content_verbs(sent) if has_verb else ([], None)
        if speech is None and draft.text.startswith('"') and draft.text.count('"') % 2 == 1:
            draft.fragment = True  # a piece of a longer quotation: a quote, not a claim
        draft.clauses = [_statement(v, speech, near) for v in verbs]
        if speech is not None:
            # "X told Y": who spoke to whom is itself checkable (kept after the content)
            draft.clauses.append(_clause(speech, near))
            speaker = next((c for c in speech.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if speaker is not None:
                draft.attributed = _role(speaker, near)
        else:
            src = _according_to(sent)
            if src is not None:
                draft.attributed = _role(src, near)
        draft.clauses += _event_noun_clauses(sent, near)
        for t in times[bisect_left(time_starts, start) : bisect_left(time_starts, end)]:
            anchor = _dated_predicate(parsed.sp, t.span.start, t.span.end, clock=bool(t.value and "T" in t.value))
            if anchor:
                draft.time_anchor[t.span.start] = anchor
        for q in quantities[bisect_left(quantity_starts, start) : bisect_left(quantity_starts, end)]:
            head = _counted_noun(parsed.sp, q.span.start) or _counted_argument(parsed.sp, q.span.start)
            if head:
                draft.counted[q.span.start] = head
            anchor = _governing_verb(parsed.sp, q.span.start, q.span.end)
            if anchor:
                draft.count_anchor[q.span.start] = anchor
        drafts.append(draft)
    return drafts


def document_genre(
    drafts: list[SentenceDraft], doc: Document | None = None, quoted: Sequence[tuple[int, int]] = ()
) -> str | None:
    """"opinion" or "report" (None without drafts).

    With the document, a weighed score of what the writer's own voice does: judging
    (opinion sentences, evaluative adjectives, first person, hedges and intensifiers,
    questions) against reporting (attributed sentences, quoted text, dates and
    numbers). A partisan outlet's piece that praises its side ("the wise guidance of")
    and attributes little scores as opinion whatever its section says. Weights and
    threshold were chosen by leave-one-out on the dev half and the train set of
    ``benchmarks/opinion_genre.py``.
    """
    if not drafts:
        return None
    n = len(drafts)
    share = sum(d.opinion for d in drafts) / n
    if doc is None:
        return "opinion" if share >= OPINION_SHARE else "report"
    score = genre_score(drafts, doc, quoted)
    return "opinion" if score >= OPINION_SCORE else "report"


#: a document scoring at least this (``genre_score``) is an opinion piece: the middle of the
#: gap between the highest-scoring reports not taken and the lowest opinion pieces taken, on the
#: dev half of ``benchmarks/opinion_genre.py`` and its train set together (0.05 chosen on dev's
#: eight opinion pieces alone took reports for opinion on test)
OPINION_SCORE = 0.12
#: how much evidence a report's typical rates are worth in ``genre_score``
PRIOR_WORDS = 100
PRIOR_SENTENCES = 5
#: a news report's typical rates (per sentence; evaluative words per 100 own words)
_PRIOR_RATE = {"attributed": 0.15, "dated": 0.3, "numbers": 0.3, "evaluative": 1.5}
_HEDGES = re.compile(
    r"\b(?:seems?|clearly|surely|perhaps|indeed|of course|arguably|simply|merely|truly|obviously|must|should|"
    r"ought|need to|let us|let's|nothing but|so-called)\b", re.IGNORECASE)
_QUOTED_TEXT = re.compile(r'"[^"\n]{0,600}"|“[^”\n]{0,600}”')
#: the writer's own forecast ("this will help", "is likely to") in a sentence attributed to no one
_PREDICTION = re.compile(r"\b(?:will|would|could|might|likely)\b", re.IGNORECASE)


#: a short paragraph announcing a text reproduced after it ("Below is the full text of the
#: letter.", "Check out the posts below."): what follows is that text, to the end
_ANNOUNCES_REST = re.compile(r"\b(?:below|the full text|full transcript|as follows)\b", re.IGNORECASE)
#: a paragraph ending with a colon introduces the next one (a statement, a post, a list)
_ANNOUNCES_NEXT = re.compile(r":[\s\"“”'’)\]]*$")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")


def reproduced_text(text: str) -> list[tuple[int, int]]:
    """Character ranges of text the writer reproduces rather than writes: embedded posts,
    the paragraph a colon introduces, and everything after a short paragraph announcing a
    reproduced text below. Not in quotation marks, but not the writer's voice either."""
    out: list[tuple[int, int]] = []
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    for i, (start, end) in enumerate(paragraphs):
        para = text[start:end]
        if POST_SIGNATURE.search(para):
            out.append((start, end))
        if i + 1 < len(paragraphs):
            if _ANNOUNCES_REST.search(para) and len(para.split()) <= 40:
                out.append((paragraphs[i + 1][0], len(text)))
                break
            if _ANNOUNCES_NEXT.search(para):
                out.append(paragraphs[i + 1])
    return out


def genre_score(drafts: list[SentenceDraft], doc: Document, quoted: Sequence[tuple[int, int]] = ()) -> float:
    """Judging minus reporting, per sentence (see ``document_genre``), in the writer's own
    voice: quotations and reproduced text (``reproduced_text``) are not the writer's."""
    text = doc.text
    reproduced = reproduced_text(text)
    drafts = [d for d in drafts if not any(a <= d.start and d.end <= b + 1 for a, b in reproduced)] or drafts
    inside = bytearray(len(text))
    for start, end in [*quoted, *reproduced, *((m.start(), m.end()) for m in _QUOTED_TEXT.finditer(text))]:
        inside[max(0, start):min(len(text), end)] = b"\x01" * (min(len(text), end) - max(0, start))
    own = "".join(" " if inside[i] else c for i, c in enumerate(text))
    words = re.findall(r"[A-Za-z']+", own)
    # a short text is weak evidence: every rate starts from a report's typical rate, worth
    # PRIOR_WORDS own words and PRIOR_SENTENCES sentences (a 20-word statement around a
    # long quotation is not an essay because two of its own words are evaluative)
    per100 = 100 / (len(words) + PRIOR_WORDS)
    n = len(drafts) + PRIOR_SENTENCES
    # evaluative words, each counted once: a word repeated is the topic ("light" in a study of
    # light therapy), and a capitalised one a name or a title ("The Infamous", "Loud Records")
    judged = {w.lower() for w in words if not w[0].isupper() and subjectivity(w) >= 0.6}
    evaluative = (len(judged) + _PRIOR_RATE["evaluative"] * PRIOR_WORDS / 100) * per100
    first_person = sum(1 for w in words if _first_person(w)) * per100
    dated = sum(1 for t in doc.times if t.kind in ("date", "datetime", "time"))
    predictions = sum(1 for d in drafts if d.attributed is None and _PREDICTION.search(own, d.start, d.end))

    def rate(count: float, name: str) -> float:
        return (count + _PRIOR_RATE.get(name, 0.0) * PRIOR_SENTENCES) / n

    features = {
        "opinion": rate(sum(d.opinion for d in drafts), "opinion"),
        "attributed": rate(sum(d.attributed is not None for d in drafts), "attributed"),
        "quoted": sum(inside) / max(1, len(text)),
        "evaluative": evaluative,
        "first_person": first_person,
        "dated": min(1.0, rate(dated, "dated")),
        "numbers": min(1.0, rate(len(doc.quantities), "numbers")),
        "hedges": rate(len(_HEDGES.findall(own)), "hedges"),
        "questions": rate(own.count("?"), "questions"),
        "predictions": rate(predictions, "predictions"),
    }
    return sum(GENRE_WEIGHTS[k] * v for k, v in features.items())


#: judging counts for, reporting against (per sentence unless said otherwise)
GENRE_WEIGHTS = {
    "opinion": 1.0,        # share of sentences in the writer's own judging voice
    "attributed": -1.5,    # share of sentences attributed to a source
    "quoted": -0.8,        # share of the text inside quotation marks
    "evaluative": 0.25,    # distinct evaluative words (not capitalised) per 100 own words
    "first_person": 0.3,   # first-person words per 100 own words
    "dated": -0.5,         # dates and times per sentence (capped at 1)
    "numbers": -0.8,       # quantities per sentence (capped at 1)
    "hedges": 0.5,         # hedges and intensifiers per sentence
    "questions": 1.0,      # question marks in the writer's own words per sentence
    "predictions": 0.4,    # sentences attributed to no one that forecast (will, could, likely)
}
