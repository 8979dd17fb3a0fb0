"""Entity canonicalisation across documents: one entity per real-world referent.

People are matched on name structure, not on string similarity alone:

* inside a document, a surname-only mention ("Sokolova") joins the full name
  it abbreviates when exactly one full name fits (else the nearest one before
  it), so each document contributes a few *full names*;
* across documents, full names join when surnames agree and given names are
  compatible: equal after transliteration folding (Andrei/Andrey), one or two
  edits in a long name (typos), or an initial; clusters are complete-link, so
  "Park Chung-hee" and "Park Geun-hye" never meet through a chain of partial matches;
* a surname seen alone in a document with no full name attaches only when
  exactly one person cluster carries that surname (two people called "Lee"
  stay apart);
* a generational suffix ("Jr.", "Sr.", "III") is no surname: a name with it and without it
  is one person, two different suffixes of one name are two (a father and his son).

Other types join on folded names (and acronyms for organisations), within one
type group, so an organisation and a place of the same name stay apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from cleanco import basename
from rapidfuzz.distance import Levenshtein

from storylens.link.acronyms import find_definitions
from storylens.link.polities import country_of, polity
from storylens.models import Entity
from storylens.records import AnnotatedDoc, Mention, MentionIndex
from storylens.wordlists import NAME_MODIFIERS, TITLES

__all__ = ["canonicalize", "entity_id", "fold_token", "names_compatible", "tokens_match", "TITLES"]

_TYPE_GROUP = {
    "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
    "ORG": "ORG", "NORP": "NORP", "EVENT": "EVENT", "PRODUCT": "THING",
    "LAW": "THING", "WORK_OF_ART": "THING", "PERSON": "PERSON",
}
_LEADING_THE = re.compile(r"^the\s+", re.I)
#: "Varga's", "Varga’s", "the Ministers'": a possessive ending is no part of a name
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.I)
_TOKEN = re.compile(r"[^\W_]+(?:['.][^\W_]+)*", re.UNICODE)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)  # names repeat across mentions and documents
def fold_token(token: str) -> str:
    """Fold spelling variants that transliteration produces (Andrei/Andrey, Aleksandr/Alexander)."""
    t = _strip_accents(token.lower()).replace("'", "").replace(".", "")
    for a, b in (("ow", "ou"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("ks", "x"), ("yu", "iu"), ("ya", "ia"),
                 ("ey", "ei"), ("y", "i"), ("w", "v"), ("j", "i"), ("ou", "u"), ("c", "k")):
        t = t.replace(a, b)
    t = re.sub(r"(.)\1+", r"\1", t)  # doubled letters
    t = re.sub(r"ei$", "i", t)
    t = re.sub(r"er$", "r", t)  # Aleksandr / Alexander
    return t


def _before_name(word: str) -> bool:
    """A word that may stand before a name and is no part of it: a title ("Gen.", "Deputy") or a
    describing word ("Top", "Ousted")."""
    return word.lower().rstrip(".") in TITLES or word.lower() in NAME_MODIFIERS


def _name_tokens(text: str) -> list[str]:
    tokens = [t for t in _TOKEN.findall(_POSSESSIVE.sub("", text.strip()).replace("-", " "))]
    while len(tokens) > 1 and _before_name(tokens[0]):
        tokens = tokens[1:]
    return tokens


@lru_cache(maxsize=262144)
def tokens_match(a: str, b: str) -> bool:
    fa, fb = fold_token(a), fold_token(b)
    if fa == fb:
        return True
    shortest = min(len(fa), len(fb))
    if shortest < 5:
        return False
    budget = 1 if shortest < 9 else 2
    return Levenshtein.distance(fa, fb, score_cutoff=budget) <= budget


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """Given names of two full names (without surnames) refer to the same person."""
    if not a or not b:
        return True
    fa, fb = a[0], b[0]
    if len(fa.rstrip(".")) == 1 or len(fb.rstrip(".")) == 1:
        return fa[0].lower() == fb[0].lower()
    if not tokens_match(fa, fb):
        return False
    # middle names, when both give one, must agree too
    if len(a) > 1 and len(b) > 1:
        return tokens_match(a[1], b[1]) or a[1][0].lower() == b[1][0].lower()
    return True


#: generational suffixes written after a surname ("Ana Reyes Jr.", "Tomas Varga III")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _suffix(name: list[str]) -> str | None:
    return name[-1].lower().rstrip(".") if len(name) > 2 and name[-1].lower().rstrip(".") in _SUFFIXES else None


def _core(name: list[str]) -> list[str]:
    """A person's name without its generational suffix: the surname is the word before it."""
    return name[:-1] if _suffix(name) else name


def names_compatible(a: list[str], b: list[str]) -> bool:
    """Two multi-token person names may denote the same person ("Jr." and "Sr." keep a son
    and his father apart; a name written once with the suffix and once without is one person)."""
    sa, sb = _suffix(a), _suffix(b)
    if sa and sb and sa != sb:
        return False
    a, b = _core(a), _core(b)
    if len(a) < 2 or len(b) < 2:
        return False
    if not tokens_match(a[-1], b[-1]):
        return False
    return _given_compatible(a[:-1], b[:-1])


def entity_id(name: str, label: str) -> str:
    return "e_" + hashlib.sha1(f"{label}|{name.lower()}".encode()).hexdigest()[:10]


@dataclass
class _Group:
    """Mentions that refer to one thing; ``names`` are the full forms seen."""

    group: str
    names: list[list[str]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    surface: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    #: documents with a mention (asked for every one-word name: a set, not a scan of mentions)
    docs: set[str] = field(default_factory=set)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        self.surface[m.span.text] += 1
        self.labels[m.label] += 1
        self.docs.add(m.span.doc)

    def absorb(self, other: _Group) -> None:
        """Take ``other``'s mentions (names are merged by the caller when they matter)."""
        self.mentions.extend(other.mentions)
        self.surface.update(other.surface)
        self.labels.update(other.labels)
        self.docs |= other.docs


def _is_title_fragment(ann: AnnotatedDoc, m: Mention) -> bool:
    """A one-word ORG that is really part of an office title ("Defence Minister X")."""
    if m.label == "PERSON" or " " in m.span.text:
        return False
    nxt = ann.doc.text[m.span.end : m.span.end + 30].split()
    return bool(nxt) and nxt[0].lower().strip(".,") in TITLES and nxt[0][:1].isupper()


def _person_groups_in_doc(mentions: list[Mention]) -> tuple[list[_Group], list[Mention]]:
    """Full names of one document with their short mentions; unresolved singles."""
    groups: list[_Group] = []
    singles: list[Mention] = []
    for m in sorted(mentions, key=lambda x: x.span.start):
        tokens = _name_tokens(m.span.text)
        if len(tokens) >= 2 and not _one_word(m.span.text):
            for g in groups:
                if any(names_compatible(tokens, n) for n in g.names):
                    g.add(m)
                    if tokens not in g.names:
                        g.names.append(tokens)
                    break
            else:
                g = _Group("PERSON", [tokens])
                g.add(m)
                groups.append(g)
        else:
            singles.append(m)
    unresolved = []
    for m in singles:
        tokens = _name_tokens(m.span.text)
        if not tokens:
            continue
        fits = [g for g in groups if any(_short_form_of(tokens, n) for n in g.names)]
        if not fits:
            unresolved.append(m)
            continue
        if len(fits) > 1:
            unresolved.append(m)  # two people could be meant: do not guess
            continue
        fits[0].add(m)
    return groups, unresolved


def _one_word(text: str) -> bool:
    """A name written as one word, perhaps hyphenated ("Lindqvist-Maro"), after any title."""
    words = _POSSESSIVE.sub("", text.strip()).split()
    while len(words) > 1 and _before_name(words[0]):
        words = words[1:]
    return len(words) == 1


def _short_form_of(tokens: list[str], name: list[str]) -> bool:
    """``tokens`` (a one-word mention) are the surname of ``name``, its first name, or the
    hyphenated end of it ("Lindqvist-Maro" in "Oskar Lindqvist-Maro")."""
    name = _core(name)
    if len(tokens) == 1:
        return tokens_match(tokens[0], name[-1]) or tokens_match(tokens[0], name[0])
    return len(name) > len(tokens) and all(tokens_match(a, b) for a, b in zip(tokens, name[-len(tokens):], strict=True))


def _surname_keys(names: list[list[str]]) -> set[str]:
    """Blocking keys: the start and the end of each folded surname (a typo rarely changes both)."""
    keys = set()
    for n in names:
        f = fold_token(_core(n)[-1])
        keys |= {"^" + f[:3], f[-3:] + "$"}
    return keys


def _merge_people(doc_groups: list[_Group]) -> list[_Group]:
    merged: list[_Group] = []
    blocks: dict[str, set[int]] = defaultdict(set)
    # frequent names first, so clusters form around well-attested spellings
    for g in sorted(doc_groups, key=lambda x: -len(x.mentions)):
        keys = _surname_keys(g.names)
        candidates = sorted({k for key in keys for k in blocks.get(key, ())})
        for k in candidates:
            c = merged[k]
            if all(any(names_compatible(a, b) for b in c.names) for a in g.names):
                c.absorb(g)
                c.names.extend(n for n in g.names if n not in c.names)
                for key in keys:
                    blocks[key].add(k)
                break
        else:
            merged.append(g)
            for key in keys:
                blocks[key].add(len(merged) - 1)
    return merged


def _fold_name(text: str) -> str:
    return " ".join(fold_token(t) for t in _TOKEN.findall(_POSSESSIVE.sub("", _LEADING_THE.sub("", text.strip()))))


def _acronym(text: str) -> str:
    words = [w for w in _TOKEN.findall(text) if w[:1].isupper() and w.lower() not in {"of", "the", "and", "for"}]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


class _AcronymKeys:
    """Acronyms the batch defines (Schwartz–Hearst): a short form takes the folded name of
    its long form, from its own document's definition, else from the batch's only one."""

    def __init__(self, annotated: list[AnnotatedDoc]) -> None:
        self.in_doc: dict[str, dict[str, str]] = defaultdict(dict)
        batch: dict[str, set[str]] = defaultdict(set)
        for ann in annotated:
            text = ann.doc.text
            if "(" not in text:
                continue
            for d in find_definitions(text):
                # the long form as the recogniser delimited it, when it found it
                inside = [m for m in ann.mentions if m.label != "PERSON"
                          and d.long_start <= m.span.start <= d.long_start + 4
                          and d.long_end - 1 <= m.span.end <= d.long_end + 1]
                long_text = min(inside, key=lambda m: m.span.start).span.text if inside else d.long
                short, long_key = _fold_name(d.short), _fold_name(long_text)
                if not long_key or long_key == short:
                    continue
                self.in_doc[ann.doc.id].setdefault(short, long_key)
                batch[short].add(long_key)
        #: a short form the batch defines two ways is resolved only inside its own documents
        self.batch = {k: next(iter(v)) for k, v in batch.items() if len(v) == 1}

    def long_key(self, m: Mention) -> str | None:
        text = m.span.text.strip()
        if " " in text or sum(c.isupper() for c in text) < 2:
            return None
        short = _fold_name(text)
        return self.in_doc.get(m.span.doc, {}).get(short) or self.batch.get(short)


def _family_member(m: Mention, mentions: list[Mention]) -> bool:
    """A two- or three-word name tagged as something else that shares its surname with a
    person of the same document ("Ilse Varga" tagged ORG beside "Peter Varga"): a person,
    so that the surname alone stays ambiguous between them."""
    if m.label not in ("ORG", "GPE", "LOC") or m.span.text.isupper():
        return False  # a title of a work ("Choosing X") or an event is no relative
    words = m.span.text.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
        return False
    if len(words[0]) <= 2:
        return False  # "Mo", "Ed": a short form of a given name, not evidence of a second person
    if country_of(m.span.text) or polity(m.span.text):
        return False
    surname = fold_token(words[-1])
    return any(p.label == "PERSON" and len(p.span.text.split()) >= 2 and fold_token(p.span.text.split()[-1]) == surname
               and fold_token(p.span.text.split()[0]) != fold_token(words[0]) for p in mentions)


def _may_be_person(m: Mention) -> bool:
    """A non-person mention that could be a person's name: never a country, capital or
    people; a one-word place name only when it names no known place ("Varga's", tagged GPE)."""
    if m.label not in ("GPE", "LOC", "NORP"):
        return True
    text = m.span.text.strip()
    if m.label == "NORP" or " " in text or text.isupper():
        return False
    return polity(text, m.label) is None and country_of(text, m.label) is None


def _merge_countries(groups: dict[tuple[str, str], _Group]) -> None:
    """Names of one country ("Czechia", "Czech Republic"; "DPRK" defined as its official
    name) become one entity, from ``countryinfo``'s names and alternative spellings."""
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, g in groups.items():
        if g.group in ("PERSON", "NORP", "EVENT"):
            continue  # a people, or "the Mali war"
        label = "GPE" if g.group == "PLACE" else "ORG"
        found = {c for s in g.surface if (c := country_of(s, label))}
        if len(found) == 1:
            by_country[found.pop()].append(key)
    for keys in by_country.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: (groups[k].group != "PLACE", -len(groups[k].mentions)))
        target = groups[keys[0]]
        for k in keys[1:]:
            target.absorb(groups.pop(k))
        target.group = "PLACE"  # a country, however the recogniser labelled each name


#: a name after these words is the object of the longer name, not its head ("Academy at the
#: Kodak Theater" does not contain the theater; "Federation of State Medical Boards")
_LINKING = frozenset(fold_token(w) for w in ("of", "the", "at", "for", "in", "on", "and", "to", "by", "from", "de"))


#: abbreviated words of organisation names, written out ("Players Assn." is "Players Association")
_ORG_ABBREVIATIONS = {fold_token(a): fold_token(b) for a, b in (
    ("assn", "association"), ("assoc", "association"), ("univ", "university"), ("dept", "department"),
    ("intl", "international"), ("natl", "national"), ("govt", "government"), ("inst", "institute"))}


@lru_cache(maxsize=65536)
def _org_tokens(name: str) -> tuple[str, ...]:
    """Folded words of an organisation's name without its legal form ("Kestrel Motors Inc.",
    "Volvo AB", "Fiat S.p.A."), from ``cleanco``'s multi-country list of company endings (MIT),
    abbreviations written out, and without a lower-case noun the recogniser took in after the
    name ("the United Dockworkers union" is "United Dockworkers")."""
    words = name.strip().split()
    while len(words) > 1 and words[-1].islower() and any(w[:1].isupper() for w in words[:-1]):
        words.pop()
    name = " ".join(words)
    bare = basename(name) or name
    ending = name[len(bare):].strip(" ,.") if name.startswith(bare) else ""
    if len(ending) <= 2 and ending.isupper():
        bare = name  # "QUEENS DA" is a district attorney, not a Danish company form
    return tuple(_ORG_ABBREVIATIONS.get(t, t) for t in _fold_name(bare).split())


#: the kind of body a name ends with, which the name alone often leaves out
_KINDS_OF_BODY = frozenset(fold_token(w) for w in (
    "university", "college", "party", "company", "corporation", "group", "association", "institute"))


def _is_short_form(text: str) -> bool:
    """An acronym as written ("PRA", "MoWR", "U.S."): its letters say nothing of containment."""
    text = text.strip()
    return " " not in text and sum(c.isupper() for c in text) >= 2


def _merge_contained_organisations(groups: dict[tuple[str, str], _Group]) -> None:
    """A short organisation name that ends a longer one ("the General Assembly", "UN General
    Assembly") joins it: in each document, the only longer name there; with no longer name in
    the document, the batch's only one (a name of two words or more). Names that differ by a
    company ending ("Kestrel Motors Inc.") are one name."""
    orgs = [(k, g) for k, g in groups.items() if g.group == "ORG"]
    forms = {k: {_org_tokens(s) for s in g.surface if not _is_short_form(s)} or {_org_tokens(k[1])} for k, g in orgs}
    # a name followed by the kind of body it is ("Harwick University", "Labour Party") is also
    # written without it ("Harwick"), when no other organisation of the batch is so named
    # ("Harwick College" beside "Harwick University" leaves "Harwick" to neither)
    bare_of: dict[tuple[str, ...], set[tuple[str, str]]] = defaultdict(set)
    for k, _g in orgs:
        for f in forms[k]:
            if len(f) >= 2 and f[-1] in _KINDS_OF_BODY and f[-2] not in _LINKING:
                bare_of[f[:-1]].add(k)
    for bare, owners in bare_of.items():
        if len(owners) == 1:
            forms[next(iter(owners))].add(bare)
    # same name up to a company ending
    by_form: dict[tuple[str, ...], tuple[str, str]] = {}
    for k, _g in sorted(orgs, key=lambda x: -len(x[1].mentions)):
        if k not in groups:
            continue
        for form in sorted(forms[k]):
            other = by_form.get(form)
            if other is not None and other != k and other in groups:
                groups[other].absorb(groups.pop(k))
                forms[other] |= forms.pop(k)
                break
            by_form.setdefault(form, k)
    orgs = [(k, g) for k, g in groups.items() if g.group == "ORG"]
    # proper endings of every name (not after "of", "at", ...) → the groups whose name ends so,
    # so that finding the longer names a short one ends is a lookup, not a scan of all names
    endings: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for k, _g in orgs:
        for f2 in forms[k]:
            for n in range(1, len(f2)):
                if f2[-n - 1] not in _LINKING:
                    endings[f2[-n:]].append(k)
    # shorter names first move into longer ones, longest short names first (chains resolve)
    for k, g in sorted(orgs, key=lambda x: -max(len(f) for f in forms[x[0]])):
        if k not in groups:
            continue
        mine = forms[k]
        found = dict.fromkeys(k2 for f in mine for k2 in endings.get(f, ()) if k2 != k)
        containers = [(k2, groups[k2]) for k2 in found if k2 in groups and groups[k2].mentions]
        if not containers:
            continue
        shortest = min(len(f) for f in mine)
        keep: list[Mention] = []
        for m in g.mentions:
            here = [g2 for _k2, g2 in containers if m.span.doc in g2.docs]
            if len(here) == 1:
                here[0].add(m)
            elif not here and len(containers) == 1 and shortest >= 2:
                containers[0][1].add(m)
            else:
                keep.append(m)
        if not keep:
            del groups[k]
        elif len(keep) < len(g.mentions):
            rest = _Group(g.group, g.names)
            for m in keep:
                rest.add(m)
            groups[k] = rest


def canonicalize(annotated: list[AnnotatedDoc]) -> tuple[list[Entity], MentionIndex]:
    """Group mentions into entities; return entities and (doc, start, end) -> entity id."""
    person_doc_groups: list[_Group] = []
    lone_surnames: list[Mention] = []
    others: list[Mention] = []
    #: mentions that are places whatever their label
    places: set[int] = set()
    for ann in annotated:
        people = [m for m in ann.mentions if m.label == "PERSON" or _family_member(m, ann.mentions)]
        groups, unresolved = _person_groups_in_doc(people)
        person_doc_groups.extend(groups)
        for m in unresolved:
            # a lone one-word "person" that names a country ("Chad closed its airspace")
            if _one_word(m.span.text) and country_of(m.span.text, "GPE"):
                places.add(id(m))
            lone_surnames.append(m)
        taken = {id(m) for m in people}
        for m in ann.mentions:
            if id(m) not in taken and not _is_title_fragment(ann, m):
                others.append(m)
    people_groups = _merge_people(person_doc_groups)

    # names that are spelled like a known person become that person, whatever
    # label spaCy gave them (a surname tagged ORG) — but never a place
    person_keys: dict[str, list[_Group]] = defaultdict(list)
    for g in people_groups:
        keys = {_fold_name(" ".join(n)) for n in g.names} | {_fold_name(" ".join(_core(n))) for n in g.names}
        keys |= {fold_token(_core(n)[-1]) for n in g.names}
        # surname-first names ("Xi Jinping"): a short first token may be the family name
        keys |= {fold_token(n[0]) for n in g.names if len(n[0]) <= 3}
        # a double surname written alone ("Lindqvist-Maro")
        keys |= {_fold_name(" ".join(n[-2:])) for n in g.names if len(n) >= 3}
        for key in keys:
            person_keys[key].append(g)
    acronyms = _AcronymKeys(annotated)
    rest: list[Mention] = []
    for m in lone_surnames + others:
        if acronyms.long_key(m) is not None or not _may_be_person(m) or id(m) in places:
            rest.append(m)
            continue
        tokens = _name_tokens(m.span.text)
        key = _fold_name(" ".join(tokens))
        owners = {id(g): g for g in person_keys.get(key, [])}
        if m.label != "PERSON" and (len(tokens) < 2 or _one_word(m.span.text)):
            # a one-word non-person name becomes a person only beside that
            # person's full name in the same document, and never an acronym
            if m.span.text.isupper():
                owners = {}
            owners = {k: g for k, g in owners.items() if m.span.doc in g.docs}
            if m.label in ("GPE", "LOC"):
                # a place name joins a person only through that person's full name in the
                # document ("Bloomington" tagged both GPE and PERSON stays a place)
                owners = {k: g for k, g in owners.items()
                          if any(x.span.doc == m.span.doc and not _one_word(x.span.text) for x in g.mentions)}
        if len(owners) == 1:
            next(iter(owners.values())).add(m)
        elif m.label == "PERSON" and not owners:
            # a surname with no full name anywhere: its own person
            g = _Group("PERSON", [_name_tokens(m.span.text)])
            g.add(m)
            people_groups.append(g)
            person_keys[key].append(g)
        elif m.label == "PERSON":
            rest.append(m)  # ambiguous surname: kept apart, as its own entity
        else:
            rest.append(m)

    # non-person names: folded exact names within a type group (an acronym the batch
    # defines takes its long form's name and group), then initials, countries, containment
    def group_of(m: Mention) -> str:
        return "PLACE" if id(m) in places else _TYPE_GROUP.get(m.label, m.label)

    own_keys: dict[int, tuple[str, str]] = {}
    groups_of_key: dict[str, Counter[str]] = defaultdict(Counter)
    for m in rest:
        if acronyms.long_key(m) is None:
            own = (group_of(m), _fold_name(m.span.text))
            own_keys[id(m)] = own
            groups_of_key[own[1]][own[0]] += 1
    other_groups: dict[tuple[str, str], _Group] = {}
    for m in rest:
        group = group_of(m)
        group_key = own_keys.get(id(m))
        if group_key is None:
            long_key = acronyms.long_key(m) or ""
            groups_seen = groups_of_key.get(long_key)
            if groups_seen and group not in groups_seen:
                group = groups_seen.most_common(1)[0][0]
            group_key = (group, long_key)
        if group_key not in other_groups:
            other_groups[group_key] = _Group(group_key[0], [[m.span.text]])
        other_groups[group_key].add(m)
    by_acronym: dict[str, _Group] = {}
    for (group, _key), g in other_groups.items():
        if group in ("ORG", "PLACE"):
            acro = _acronym(g.surface.most_common(1)[0][0])
            if acro:
                by_acronym[f"{group}:{acro}"] = g
    for (group, key), g in list(other_groups.items()):
        acro_key = f"{group}:" + re.sub(r"[^A-Z]", "", g.surface.most_common(1)[0][0])
        if " " not in key and acro_key in by_acronym:
            target = by_acronym[acro_key]
            if target is not g:
                target.absorb(g)
                del other_groups[(group, key)]
    _merge_countries(other_groups)
    _merge_contained_organisations(other_groups)

    entities: list[Entity] = []
    index: MentionIndex = {}
    used_ids: set[str] = set()
    for g in people_groups + list(other_groups.values()):
        if not g.mentions:
            continue
        label = g.labels.most_common(1)[0][0] if g.group != "PERSON" else "PERSON"
        if g.group == "PLACE" and label not in ("GPE", "LOC", "FAC"):
            label = "GPE"
        name = _canonical_name(g)
        eid = entity_id(name, g.group)
        if eid in used_ids:
            # two referents written the same way ("PRA" defined twice): the id tells them apart
            eid = entity_id(name + "|" + max(g.surface, key=lambda x: (len(x), x)), g.group)
        used_ids.add(eid)
        seen: set[tuple[str, int, int]] = set()
        mentions = []
        for m in sorted(g.mentions, key=lambda x: (x.span.doc, x.span.start)):
            where = (m.span.doc, m.span.start, m.span.end)
            if where in seen:
                continue
            seen.add(where)
            mentions.append(m.span)
            index[where] = eid
        aliases = sorted({s for s in g.surface if s != name})
        entities.append(Entity(id=eid, name=name, type=label, aliases=aliases, mentions=mentions))
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return entities, index


def _canonical_name(g: _Group) -> str:
    """The most frequent full form (longest name on a tie)."""
    if g.group == "PERSON":
        full = [(c, len(_name_tokens(s)), s) for s, c in g.surface.items() if len(_name_tokens(s)) >= 2]
        if full:
            c, _, s = max(full, key=lambda x: (x[0], x[1], x[2]))
            return " ".join(_name_tokens(s))
    return max(g.surface.items(), key=lambda x: (x[1], len(x[0]), x[0]))[0]
