"""A person's age given differently by two outlets of one story ("Ana Reyes, 35," / "She was 34").

Ages are written in a few fixed shapes around a person's name, so they are read from the
text beside each person mention (no parse needed): an apposition ("Reyes, 35, of Vell",
"Reyes (35)"), a compound before the name ("35-year-old Ana Reyes"), a predicate after it
("Reyes was 35.", "Reyes, who was 35,", "Reyes died at 35", "dead at the age of 35"), and a
short sentence whose subject is a pronoun ("He was 35.") for the person named last before
it. A document that gives one person two ages is left out (an age then and an age now).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from storylens.link.align import same_class
from storylens.models import Contradiction, Entity, Span, source_group
from storylens.records import AnnotatedDoc, MentionIndex

__all__ = ["age_conflicts", "ages_in"]

#: an age given beside two different deeds ("searching for X, 27" / "found X, 29, guilty") may be
#: the person's age on two occasions months or years apart: shown only at this confidence, under
#: the display default; beside one deed, or in a sentence that only gives the age, it is 0.7
TWO_OCCASIONS_CONFIDENCE = 0.4
#: verbs that name no deed of their own
_NO_DEED = frozenset({"be", "have", "do", "make", "get", "go", "become", "seem", "appear", "say", "tell", "add",
                      "report", "state", "announce", "confirm", "identify", "name", "die", "find dead"})

_AGE = r"(\d{1,3})"
#: right after the name
_AFTER = re.compile(
    rf"^(?:,\s*(?:aged\s+)?{_AGE}\s*(?:,|;|\.(?!\d)|\)|$|\s+(?:and|of|from|who|was|is)\b)"
    rf"|\s*\({_AGE}\)"
    rf"|(?:,\s*who)?\s+(?:was|is)\s+(?:only\s+|just\s+)?{_AGE}(?:\s+years?\s+old)?\s*(?:[.;]|,\s+(?!when\b)|$)"
    rf"|\s+(?:has\s+)?(?:died|was\s+found\s+dead|found\s+dead|dead)\s+at\s+(?:the\s+age\s+of\s+)?{_AGE}\b(?!\s*%))",
    re.I,
)
#: right before the name: "the 35-year-old captain Ana Reyes"
_BEFORE = re.compile(rf"\b{_AGE}-year-old(?:\s+[a-z][\w'-]*){{0,3}}\s+$")
#: a sentence that says only a pronoun's age: "He was 35." "She was 35 years old."
_PRONOUN_AGE = re.compile(rf"^\s*(?:He|She)\s+(?:was|is)\s+{_AGE}(?:\s+years?\s+old)?\s*\.\s*$")


#: a person named by a common noun: between a name and "He was 35." it may be whom "he" means
_OTHER_PERSON = re.compile(
    r"\b(?:girls?|boys?|wom[ae]n|m[ae]n|child(?:ren)?|kids?|teens?|teenagers?|daughters?|sons?|wife|wives"
    r"|husbands?|mother|father|brother|sister|victims?|suspects?|friends?|baby|infant|toddler|officer|driver"
    r"|passenger|student|patient|resident|person|people)\b", re.I)


def _trimmed(doc: str, text: str, start: int, end: int) -> Span:
    """The sentence's span without the white space around it."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return Span(doc=doc, start=start, end=end, text=text[start:end])


def _valid(age: str) -> int | None:
    value = int(age)
    return value if 0 < value <= 120 else None


def ages_in(ann: AnnotatedDoc, index: MentionIndex) -> dict[str, list[tuple[int, Span]]]:
    """Entity id → (age, the sentence that gives it) for the people ``ann`` gives an age."""
    text = ann.doc.text
    sentences = ann.doc.sentences
    starts = [s for s, _ in sentences]

    def sentence_of(char: int) -> Span | None:
        k = bisect.bisect_right(starts, char) - 1
        if k < 0 or char >= sentences[k][1]:
            return None
        return _trimmed(ann.doc.id, text, *sentences[k])

    people = sorted((m for m in ann.mentions if m.label == "PERSON"), key=lambda m: m.span.start)
    found: dict[str, list[tuple[int, Span]]] = defaultdict(list)
    for m in people:
        eid = index.get((m.span.doc, m.span.start, m.span.end))
        if eid is None:
            continue
        after = _AFTER.match(text[m.span.end : m.span.end + 60])
        before = _BEFORE.search(text[max(0, m.span.start - 60) : m.span.start])
        for hit in (after, before):
            if hit is None:
                continue
            age = _valid(next(g for g in hit.groups() if g))
            where = sentence_of(m.span.start)
            if age is not None and where is not None:
                found[eid].append((age, where))
    # "He was 35.": the person named last before the sentence, in it or the two before
    mention_ends = [m.span.end for m in people]
    for k, (s, e) in enumerate(sentences):
        hit = _PRONOUN_AGE.match(text[s:e])
        if hit is None:
            continue
        i = bisect.bisect_right(mention_ends, s) - 1
        if i < 0 or people[i].span.start < sentences[max(0, k - 2)][0]:
            continue
        m = people[i]
        if _OTHER_PERSON.search(text[m.span.end : s]):
            continue  # "… wants me to take another girl. She is 13.": someone else was named since
        eid = index.get((m.span.doc, m.span.start, m.span.end))
        age = _valid(hit.group(1))
        if eid is not None and age is not None:
            found[eid].append((age, _trimmed(ann.doc.id, text, s, e)))
    return found


def _deeds(ann: AnnotatedDoc, span: Span) -> set[str]:
    """The predicates of the sentence at ``span`` that name a deed."""
    return {c.predicate for d in ann.drafts if d.start <= span.start < d.end or span.start <= d.start < span.end
            for c in d.clauses if c.predicate not in _NO_DEED}


def age_conflicts(
    annotated: list[AnnotatedDoc], index: MentionIndex, entities: dict[str, Entity],
    story_of: dict[str, str] | None = None,
) -> list[Contradiction]:
    """A person given one age by one source and another age by another source of one story.

    A document that gives the person two different ages is no witness (it tells an age at
    another time); a wire copy and its source are one source.
    """
    story_of = story_of or {}
    # (entity, story) → [(source group, age, span, deeds beside it)], one age per document
    given: dict[tuple[str, str], list[tuple[str, int, Span, set[str]]]] = defaultdict(list)
    for ann in annotated:
        for eid, ages in ages_in(ann, index).items():
            if len({a for a, _ in ages}) != 1:
                continue
            age, span = ages[0]
            given[(eid, story_of.get(ann.doc.id, "s1"))].append(
                (source_group(ann.doc), age, span, set().union(*(_deeds(ann, sp) for _, sp in ages))))
    found: list[Contradiction] = []
    for (eid, _story), rows in given.items():
        ent = entities.get(eid)
        by_age: dict[int, list[tuple[str, Span, set[str]]]] = defaultdict(list)
        for group, age, span, deeds in rows:
            by_age[age].append((group, span, deeds))
        if ent is None or len(by_age) < 2:
            continue
        (a_age, a_rows), (b_age, b_rows) = sorted(by_age.items())[:2]
        (a_group, a_span, _), (_, b_span, _) = a_rows[0], b_rows[0]
        if {g for g, _, _ in a_rows} == {g for g, _, _ in b_rows} == {a_group}:
            continue  # one source (a wire story and its copies)
        # one occasion when two witnesses give the ages beside one kind of deed, or both in
        # sentences that only say who the person is; else they may tell two occasions
        one_occasion = any((not x and not y) or any(same_class(p, q) for p in x for q in y)
                           for _, _, x in a_rows for _, _, y in b_rows)
        found.append(Contradiction(
            id="", kind="number", a=a_span, b=b_span,
            confidence=0.7 if one_occasion else TWO_OCCASIONS_CONFIDENCE,
            explanation=f"number: age of {ent.name}: {a_age} vs {b_age}",
        ))
    return found
