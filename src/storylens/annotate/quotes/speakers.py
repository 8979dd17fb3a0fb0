"""Speakers: the subject of a cue reduced to a named mention; pronouns and role nouns resolved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storylens.annotate import Mention
from storylens.annotate.quotes.cues import (
    _ORG_ROLES,
    _PERSON_PRONOUNS,
    _PERSON_ROLES,
    _PRONOUNS,
    _ROLE_SYNONYMS,
    _SAY_LIKE,
    _SPEAKER_NOUNS,
    _STATEMENT_NOUNS,
    _SUBJ_DEPS,
)
from storylens.annotate.quotes.view import (
    _DocView,
    _np_tokens,
    _surface_tokens,
    _surname,
)
from storylens.models import Span


@dataclass
class _Speaker:
    source: tuple[int, int]
    speaker: tuple[int, int] | None
    named: bool


class _Resolver:
    def __init__(self, view: _DocView) -> None:
        self.view = view
        #: the last named speaker and the sentence it spoke in
        self.recent: tuple[Mention, int] | None = None
        #: proper-name speakers the entity recogniser missed
        self.extra: list[Mention] = []

    def speaker(self, subj: Any) -> _Speaker | None:
        v = self.view
        # "the ministry's statement said", "a statement from the ministry"
        if subj.lemma_.lower() in _STATEMENT_NOUNS and subj.ent_type_ == "":
            for c in subj.children:
                if c.dep_ == "poss" and c.lower_ not in _PRONOUNS:
                    return self.speaker(c)
                if c.dep_ == "prep" and c.lower_ in ("from", "of", "for", "by"):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            inner = self.speaker(g)
                            if inner and inner.named:
                                a, b = _surface_tokens(subj, v)
                                return _Speaker(v.char_span(a, b), inner.speaker, True)
        a, b = _np_tokens(subj, v)
        if b <= a:
            return None
        source = v.char_span(a, b)
        sa, sb = _surface_tokens(subj, v)
        surface = v.char_span(sa, sb) if sb > sa else source
        # a mis-parsed name: widen the phrase to the whole mention its head is part of
        for m in v.mentions_in(max(0, subj.idx - 60), subj.idx + len(subj.text) + 60):
            if m.span.start <= subj.idx < m.span.end:
                source = (min(source[0], m.span.start), max(source[1], m.span.end))
        low = subj.lower_
        if subj.pos_ == "PRON" or low in _PRONOUNS:
            if low in ("i", "we", "you", "who", "that", "which"):
                if low in ("who", "that", "which") and subj.head.dep_ == "relcl":
                    return self.speaker(subj.head.head)
                return _Speaker(surface, source, False)
            kin = self._kin_before(subj, low) if low in _PERSON_PRONOUNS else None
            if kin is not None:
                # "Vell's mother said …. 'We will be there,' she said": the mother again
                return _Speaker(surface, kin, False)
            target = self._pronoun(low, subj.idx)
            if target is not None:
                return _Speaker(surface, (target.span.start, target.span.end), True)
            return _Speaker(surface, None, False)  # an unresolved pronoun names nobody
        inside = v.mentions_in(source[0], source[1])
        head_low = _role_word(subj)
        # "King said" (a surname, no article) names someone; "the king said" is a role
        bare_name = subj.pos_ == "PROPN" and subj.text[:1].isupper() and not any(
            c.dep_ in ("det", "poss") for c in subj.children)
        person_role = head_low in _PERSON_ROLES and not bare_name
        role = person_role or (head_low in _ORG_ROLES and not bare_name)
        person = [m for m in inside if m.label == "PERSON"]
        if subj.pos_ == "NOUN" and subj.lower_ in _RELATIONS:
            # "Vell's mother said", "Vell's lawyer said": someone named through the person, not
            # that person (whatever label the recogniser gave the name); a name of their own
            # ("Vell's mother, Ana Brook,") still names them
            owners = [c for c in subj.children if c.dep_ == "poss" and c.lower_ not in _PRONOUNS]
            through = [m for m in inside if any(_within(v, m, c) for c in owners)]
            if through:
                inside = [m for m in inside if m not in through]
                person = [m for m in person if m not in through]
                if not person:
                    return _Speaker(surface, source, False)
        # a name in apposition or compound to a person role ("the mayor, Ines Okafor")
        named_like = [m for m in inside if m.label != "PERSON" and _person_like(m, v)
                      and _attached_to(v, m, subj, ("appos", "compound"))]
        org = [m for m in inside if m.label == "ORG"]
        # a place speaks only as the subject itself ("Washington warned"), not as a modifier of
        # it ("10News in San Diego", "police in Halden"): those are other speakers
        place = [m for m in inside if m.label in ("GPE", "NORP") and m.span.start <= subj.idx < m.span.end]
        joint = _coordinated(subj, inside)
        if joint is not None:
            # "Valdoria and Ostmark have both denied it": the speaker is all of them
            return _Speaker(surface, joint, True)
        found: Mention | None = None
        if person and (not role or person_role or len(person) == 1):
            found = _closest(person, subj.idx)
        elif named_like and (person_role or subj.pos_ == "PROPN"):
            found = _closest(named_like, subj.idx)
        elif org:
            found = _closest(org, subj.idx)
        elif role:
            # a role that names its own place ("Kenyan police", "police in Halden") is that
            # place's role, not an earlier mention's: unnamed, like the place itself
            found = None if any(m.label in ("GPE", "NORP", "LOC") for m in inside) else self._role(subj, source)
            if found is None:
                return _Speaker(surface, source, False)
        elif place:
            found = _closest(place, subj.idx)
        if found is not None:
            self.recent = (found, v.sent_of[subj.i])
            return _Speaker(surface, (found.span.start, found.span.end), True)
        # a proper name the entity recogniser missed: the name itself, with no entity,
        # remembered as an antecedent for later pronouns
        name = _proper_name(subj)
        if name is not None:
            se = v.char_span(*name)
            pseudo = Mention(span=Span(doc=v.ann.doc.id, start=se[0], end=se[1], text=v.text[se[0] : se[1]]), label="PERSON")
            self.extra.append(pseudo)
            self.recent = (pseudo, v.sent_of[subj.i])
            return _Speaker(surface, se, False)
        return _Speaker(surface, source, False)

    def _kin_before(self, pron: Any, low: str) -> tuple[int, int] | None:
        """The phrase of a relative who spoke in this sentence or the one before ("Vell's
        mother said …"), if it is the nearest speaking subject before ``pron`` and its
        gender fits the pronoun: whom a following "she said" means. Read from the parse,
        not from the resolver's memory, because direct and reported speech are read in
        separate passes."""
        v = self.view
        sent = v.sent_of[pron.i]
        first = v.sents[max(0, sent - 1)][0]
        for t in reversed(v.sp[first : pron.i]):
            if t.dep_ not in _SUBJ_DEPS or t.head.lemma_.lower() not in _SAY_LIKE or t.head.i >= pron.i:
                continue
            if t.pos_ != "NOUN" or t.lower_ not in _RELATIONS or not any(
                    c.dep_ == "poss" and c.lower_ not in _PRONOUNS for c in t.children):
                return None  # the nearest speaker before is someone else
            if _KIN_GENDER.get(t.lower_, _PERSON_PRONOUNS[low]) != _PERSON_PRONOUNS[low]:
                return None
            a, b = _np_tokens(t, v)
            return v.char_span(a, b) if b > a else None
        return None

    def _pronoun(self, low: str, char: int) -> Mention | None:
        v = self.view
        want_person = low in _PERSON_PRONOUNS
        gender = _PERSON_PRONOUNS.get(low)
        sent = v.sent_of[v.tok_at(char)]
        cands = v.mentions_before(char)
        if want_person and self.extra:
            extra = [m for m in self.extra if m.span.end <= char]
            cands = sorted(cands + extra, key=lambda m: -m.span.start)
        if want_person:
            def fits(m: Mention) -> bool:
                return v.gender.get(_surname(m.span.text), gender) == gender

            # "..., she added": the speaker of the sentence just before
            if self.recent is not None:
                m, s_i = self.recent
                if sent - s_i <= 1 and m.span.end <= char and _person_like(m, v) and fits(m):
                    return m
            window = [m for m in cands if v.sent_of[v.tok_at(m.span.start)] >= sent - 3]
            compatible = [m for m in cands if m.label == "PERSON" and fits(m)]
            if not compatible:
                compatible = [m for m in window if _person_like(m, v) and fits(m)]
            if not compatible:
                return None
            # within the nearest sentence that holds a compatible person, prefer its subject
            best = compatible[0]
            best_sent = v.sent_of[v.tok_at(best.span.start)]
            same = [m for m in compatible if v.sent_of[v.tok_at(m.span.start)] == best_sent]
            for m in same:
                t = v.sp[v.tok_at(m.span.end - 1)]
                if t.dep_ in _SUBJ_DEPS and t.head.dep_ == "ROOT":
                    best = m
                    break
            if gender:
                v.gender.setdefault(_surname(best.span.text), gender)
            self.recent = (best, sent)
            return best
        orgs = [m for m in cands if m.label == "ORG" and not _person_like(m, v)]
        if not orgs:
            return None
        self.recent = (orgs[0], sent)
        return orgs[0]

    def _role(self, head: Any, source: tuple[int, int]) -> Mention | None:
        v = self.view
        if any(t.dep_ == "det" and t.lower_ in ("a", "an", "another") for t in head.lefts):
            return None  # "a federal agency said": someone new, not the one named before
        key = _role_word(head)
        wanted = _ROLE_SYNONYMS.get(key, {key})
        person_role = key in _PERSON_ROLES
        mods = {t.lower_ for t in head.lefts if t.dep_ in ("amod", "compound") and t.is_alpha}
        fits: list[tuple[Mention, bool]] = []
        for m in v.mentions_before(source[0]):
            if person_role and m.label != "PERSON":
                continue
            if not person_role and m.label not in ("ORG", "GPE", "NORP"):
                continue
            if v.sent_of[v.tok_at(m.span.start)] < v.sent_of[v.tok_at(source[0])] - 12:
                break
            ctx = _context_words(v, m)
            if wanted & ctx:
                fits.append((m, bool(mods & ctx)))
        # the nearest that also carries the role's modifiers ("foreign minister"), else the nearest
        best = next((m for m, with_mods in fits if with_mods), None)
        if best is not None or fits:
            return best if best is not None else fits[0][0]
        return self._only_candidate(key, source)

    def _only_candidate(self, key: str, source: tuple[int, int]) -> Mention | None:
        """"The agency said" after one organisation, "the government said" after one country:
        the only one of that kind named in the three sentences before (two: do not guess)."""
        labels = _GENERIC_ORG_ROLES.get(key)
        if labels is None:
            return None
        v = self.view
        sent = v.sent_of[v.tok_at(source[0])]
        near = [m for m in v.mentions_before(source[0]) if m.label in labels
                and v.sent_of[v.tok_at(m.span.start)] >= sent - 3]
        names = {m.span.text.lower().removeprefix("the ") for m in near}
        return near[0] if len(names) == 1 else None


_ORG_WORDS = _ORG_ROLES | {
    "inc", "ltd", "llc", "plc", "corp", "co", "group", "news", "times", "post", "press", "energy",
    "airlines", "airways", "motors", "bank", "fund", "foundation", "trust", "holdings", "partners",
    "international", "national", "federal", "united", "republic", "kingdom", "state", "states",
    "city", "county", "province", "ministry", "department", "agency", "office", "union",
}


def _person_like(m: Mention, v: _DocView) -> bool:
    """A mention that names a person, whatever label the recogniser gave it."""
    if m.label == "PERSON":
        return True
    words = m.span.text.split()
    if len(words) == 1 and words[0] in v.surnames:
        return True  # "Whiteside" tagged ORG, after "Sgt. Barry Whiteside"
    if not 2 <= len(words) <= 3:
        return False
    if any(not w[:1].isupper() or w.lower().strip(".") in _ORG_WORDS for w in words):
        return False
    return not m.span.text.isupper()


#: the gender a kinship noun gives, for the pronoun that refers back to it
_KIN_GENDER = {
    **dict.fromkeys(("mother", "wife", "daughter", "sister", "grandmother", "aunt", "niece", "widow",
                     "girlfriend", "stepmother", "mom", "mum"), "f"),
    **dict.fromkeys(("father", "husband", "son", "brother", "grandfather", "uncle", "nephew", "widower",
                     "boyfriend", "stepfather", "dad"), "m"),
}


#: people named through another person: relatives and those who act or speak for them privately
_RELATIONS = frozenset(_KIN_GENDER) | {
    "lawyer", "lawyers", "attorney", "attorneys", "friend", "friends", "neighbor", "neighbour", "neighbors",
    "neighbours", "relative", "relatives", "cousin", "family", "parents", "partner", "fiancee", "fiance",
    "roommate", "classmate", "teammate", "agent", "publicist", "doctor", "children", "son-in-law",
}


def _within(v: _DocView, m: Mention, tok: Any) -> bool:
    """``m`` lies inside the phrase ``tok`` heads."""
    a, b = v.token_range(m.span.start, m.span.end)
    return bool(tok.left_edge.i <= a and b - 1 <= tok.right_edge.i)


def _attached_to(v: _DocView, m: Mention, head: Any, deps: tuple[str, ...]) -> bool:
    a, b = v.token_range(m.span.start, m.span.end)
    for t in v.sp[a:b]:
        if t.i == head.i:
            return True
        if t.head.i == head.i and t.dep_ in deps:
            return True
    return False


def _proper_name(head: Any) -> tuple[int, int] | None:
    """Token range of a proper name at or in apposition to ``head``."""
    cands = [head] + [c for c in head.children if c.dep_ == "appos"]
    for h in cands:
        if h.pos_ != "PROPN" and not (h.text.isupper() and len(h.text) > 1 and h.is_alpha):
            continue
        lo = h.i
        for c in sorted(h.lefts, key=lambda t: -t.i):
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == lo - 1:
                lo = c.i
        return lo, h.i + 1
    return None


def _role_word(tok: Any) -> str:
    """The word a role is looked up by: the lemma, or the word itself ("media", not "medium")."""
    low = tok.lower_
    if low in _PERSON_ROLES or low in _ORG_ROLES or low in _SPEAKER_NOUNS or low in _STATEMENT_NOUNS:
        return str(low)
    return str(tok.lemma_.lower())


def _context_words(v: _DocView, m: Mention) -> set[str]:
    """Words of a mention and of its title / apposition context: the words before it, and
    after it those of its own phrase ("Ines Okafor, the mayor,", "Kenyan police"), not the
    next clause's ("… in New Zealand, police there have said": New Zealand is no police)."""
    a, b = v.token_range(m.span.start, m.span.end)
    lo = max(0, a - 4)
    hi = min(len(v.sp), b + 9)
    root = v.sp[a:b].root if b > a else None
    phrase: set[int] = set()
    if root is not None:
        phrase = {t.i for t in root.subtree}
        if root.dep_ in ("poss", "compound", "amod", "nmod"):
            phrase.add(root.head.i)  # the role the name modifies ("Kenyan police", "Russia's ministry")
    out = set()
    for t in v.sp[lo:hi]:
        if t.i >= b and t.text in (".", ";", '"') or "\n" in t.text:
            if t.i >= b:
                break
            continue
        if t.i >= b and t.i not in phrase:
            continue
        out.add(t.lemma_.lower())
        out.add(t.lower_)
    return out


#: organisation words that stand for whichever organisation (or state) was just named
_GENERIC_ORG_ROLES: dict[str, tuple[str, ...]] = {
    **{k: ("ORG",) for k in ("agency", "organisation", "organization", "body", "group", "company", "firm",
                             "office", "authority", "board", "commission", "union", "association")},
    **{k: ("GPE",) for k in ("government", "administration", "cabinet", "regime")},
}


def _coordinated(subj: Any, inside: list[Mention]) -> tuple[int, int] | None:
    """The span from the first to the last of two or more coordinated named speakers
    ("Valdoria and Ostmark", "the ministry, the army and Tomas Brevik"), else None."""
    conjuncts = [subj]
    k = 0
    while k < len(conjuncts):
        conjuncts += [c for c in conjuncts[k].children if c.dep_ == "conj"]
        k += 1
    if len(conjuncts) < 2:
        return None
    named: list[tuple[int, int]] = []
    for c in sorted(conjuncts, key=lambda t: t.i):
        m = next((m for m in inside if m.span.start <= c.idx < m.span.end), None)
        if m is not None:
            where = (m.span.start, m.span.end)
        elif c.pos_ == "PROPN":  # a name the recogniser missed
            first = min((t for t in c.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"), key=lambda t: t.i, default=c)
            where = (first.idx, c.idx + len(c.text))
        else:
            return None  # "the minister and her aides": not every part is a name
        if where not in named:
            named.append(where)
    if len(named) < 2:
        return None
    return named[0][0], named[-1][1]


def _closest(mentions: list[Mention], char: int) -> Mention:
    return min(mentions, key=lambda m: (abs(m.span.start - char), -len(m.span.text)))
