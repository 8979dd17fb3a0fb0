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
  stay apart).

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

from rapidfuzz.distance import Levenshtein

from storylens.models import Entity
from storylens.records import AnnotatedDoc, Mention, MentionIndex
from storylens.wordlists import TITLES

__all__ = ["canonicalize", "entity_id", "fold_token", "names_compatible", "tokens_match", "TITLES"]

_TYPE_GROUP = {
    "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
    "ORG": "ORG", "NORP": "NORP", "EVENT": "EVENT", "PRODUCT": "THING",
    "LAW": "THING", "WORK_OF_ART": "THING", "PERSON": "PERSON",
}
_LEADING_THE = re.compile(r"^the\s+", re.I)
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


def _name_tokens(text: str) -> list[str]:
    tokens = [t for t in _TOKEN.findall(text.replace("-", " "))]
    while len(tokens) > 1 and tokens[0].lower().rstrip(".") in TITLES:
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


def names_compatible(a: list[str], b: list[str]) -> bool:
    """Two multi-token person names may denote the same person."""
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
        if len(tokens) >= 2:
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
        fits = [g for g in groups if any(tokens_match(tokens[0], n[-1]) or tokens_match(tokens[0], n[0])
                                         for n in g.names)]
        if not fits:
            unresolved.append(m)
            continue
        if len(fits) > 1:
            unresolved.append(m)  # two people could be meant: do not guess
            continue
        fits[0].add(m)
    return groups, unresolved


def _surname_keys(names: list[list[str]]) -> set[str]:
    """Blocking keys: the start and the end of each folded surname (a typo rarely changes both)."""
    keys = set()
    for n in names:
        f = fold_token(n[-1])
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
    return " ".join(fold_token(t) for t in _TOKEN.findall(_LEADING_THE.sub("", text)))


def _acronym(text: str) -> str:
    words = [w for w in _TOKEN.findall(text) if w[:1].isupper() and w.lower() not in {"of", "the", "and", "for"}]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


def canonicalize(annotated: list[AnnotatedDoc]) -> tuple[list[Entity], MentionIndex]:
    """Group mentions into entities; return entities and (doc, start, end) -> entity id."""
    person_doc_groups: list[_Group] = []
    lone_surnames: list[Mention] = []
    others: list[Mention] = []
    for ann in annotated:
        people = [m for m in ann.mentions if m.label == "PERSON"]
        groups, unresolved = _person_groups_in_doc(people)
        person_doc_groups.extend(groups)
        lone_surnames.extend(unresolved)
        for m in ann.mentions:
            if m.label != "PERSON" and not _is_title_fragment(ann, m):
                others.append(m)
    people_groups = _merge_people(person_doc_groups)

    # names that are spelled like a known person become that person, whatever
    # label spaCy gave them (a surname tagged ORG) — but never a place
    person_keys: dict[str, list[_Group]] = defaultdict(list)
    for g in people_groups:
        keys = {_fold_name(" ".join(n)) for n in g.names} | {fold_token(n[-1]) for n in g.names}
        # surname-first names ("Xi Jinping"): a short first token may be the family name
        keys |= {fold_token(n[0]) for n in g.names if len(n[0]) <= 3}
        for key in keys:
            person_keys[key].append(g)
    rest: list[Mention] = []
    for m in lone_surnames + others:
        if m.label in ("GPE", "LOC", "NORP"):
            rest.append(m)
            continue
        tokens = _name_tokens(m.span.text)
        key = _fold_name(" ".join(tokens))
        owners = {id(g): g for g in person_keys.get(key, [])}
        if m.label != "PERSON" and len(tokens) < 2:
            # a one-word non-person name becomes a person only beside that
            # person's full name in the same document, and never an acronym
            if m.span.text.isupper():
                owners = {}
            owners = {k: g for k, g in owners.items() if m.span.doc in g.docs}
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

    # non-person names: folded exact names within a type group, then acronyms
    other_groups: dict[tuple[str, str], _Group] = {}
    for m in rest:
        group = _TYPE_GROUP.get(m.label, m.label)
        group_key = (group, _fold_name(m.span.text))
        if group_key not in other_groups:
            other_groups[group_key] = _Group(group, [[m.span.text]])
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

    entities: list[Entity] = []
    index: MentionIndex = {}
    for g in people_groups + list(other_groups.values()):
        if not g.mentions:
            continue
        label = g.labels.most_common(1)[0][0] if g.group != "PERSON" else "PERSON"
        name = _canonical_name(g)
        eid = entity_id(name, g.group)
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
