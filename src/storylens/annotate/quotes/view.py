"""Token lookups over the parse shared by both passes, and the cue verbs found in it."""

from __future__ import annotations

import bisect
import re
from typing import Any

from storylens.annotate import Mention, ParsedDoc
from storylens.annotate.quotes.cues import (
    _GENDER_TITLES,
    _SPEECH_EVAL,
    _SPEECH_EXTRA,
    _SUBJ_DEPS,
    BELIEF_CUES,
    EVAL_CUES,
    INTENT_CUES,
    SPEECH_CUES,
    QuoteRegion,
)

#: a wire dateline's credit ("VELMAR (Harbour Wire) -"): the agency that filed the story, not
#: anyone in it, so never the one "the agency said" or "it said" refers to
_DATELINE_CREDIT = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Za-z .,'/-]{1,40}?\s*\((?P<credit>[^()\n]{1,30})\)\s*[-–—]")


class _DocView:
    """Token lookups shared by both passes of one document."""

    def __init__(self, ann: ParsedDoc, regions: list[QuoteRegion]) -> None:
        self.ann = ann
        self.text: str = ann.doc.text
        self.sp: Any = ann.sp
        self.tok_starts: list[int] = [t.idx for t in self.sp]
        n = len(self.tok_starts)
        self.in_quote = bytearray(n)
        self.regions = regions
        self.region_of: dict[int, int] = {}
        for k, r in enumerate(regions):
            a, b = self.token_range(r.start, r.end)
            for i in range(a, b):
                self.in_quote[i] = 1
                self.region_of[i] = k
        self.sent_of: list[int] = [0] * n
        self.sents: list[tuple[int, int]] = []
        for si, s in enumerate(self.sp.sents):
            self.sents.append((s.start, s.end))
            for i in range(s.start, s.end):
                self.sent_of[i] = si
        credits = [(c.start("credit"), c.end("credit")) for c in _DATELINE_CREDIT.finditer(self.text)]
        ms = [m for m in ann.mentions if m.label in ("PERSON", "ORG", "GPE", "NORP")
              and not any(a <= m.span.start and m.span.end <= b for a, b in credits)]
        ms.sort(key=lambda m: m.span.start)
        self.mentions: list[Mention] = ms
        self.mention_starts = [m.span.start for m in ms]
        #: last words of the full person names of the document ("Whiteside" of "Barry Whiteside")
        self.surnames: set[str] = {m.span.text.split()[-1] for m in ms
                                   if m.label == "PERSON" and len(m.span.text.split()) >= 2}
        self.gender: dict[str, str] = {}
        for m in ms:
            if m.label != "PERSON":
                continue
            before = self.text[max(0, m.span.start - 6) : m.span.start].split()
            title = before[-1].lower() if before else ""
            g = _GENDER_TITLES.get(title) or _GENDER_TITLES.get(m.span.text.split()[0].lower())
            if g:
                self.gender[_surname(m.span.text)] = g

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        a = bisect.bisect_left(self.tok_starts, start)
        b = bisect.bisect_left(self.tok_starts, end)
        return a, b

    def tok_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.tok_starts, char) - 1)

    def char_span(self, a: int, b: int) -> tuple[int, int]:
        """Character span of tokens ``a..b-1`` without trailing spaces."""
        start = self.sp[a].idx
        last = self.sp[b - 1]
        return start, last.idx + len(last.text)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self.mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].span.start < end:
            if self.mentions[i].span.end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def mentions_before(self, char: int) -> list[Mention]:
        """Mentions outside quotations ending before ``char``, nearest first."""
        i = bisect.bisect_left(self.mention_starts, char)
        out = []
        for m in reversed(self.mentions[:i]):
            if m.span.end > char:
                continue
            if self.in_quote[self.tok_at(m.span.start)]:
                continue
            out.append(m)
        return out


def _surname(name: str) -> str:
    words = name.split()
    return words[-1].lower() if words else ""


def _is_cue(tok: Any, broad: bool) -> bool:
    if _is_per(tok):
        return True
    if tok.pos_ not in ("VERB", "AUX") and tok.lemma_ != "accord":
        return False
    if tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl", "amod") and not any(
        c.dep_ in _SUBJ_DEPS for c in tok.children
    ):
        return False  # "Asked whether ...", "the plan announced last week"
    lemma = tok.lemma_.lower()
    if lemma in SPEECH_CUES or lemma in _SPEECH_EXTRA or lemma in _SPEECH_EVAL:
        # "point" only as "point out"
        return lemma != "point" or any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)
    return broad and (lemma in BELIEF_CUES or lemma in INTENT_CUES or lemma in EVAL_CUES)


def _is_per(tok: Any) -> bool:
    """'per' / 'as per X' used like 'according to X'."""
    return tok.lower_ == "per" and tok.dep_ == "prep" and any(c.dep_ == "pobj" for c in tok.children)


def _subject(tok: Any) -> Any | None:
    """The grammatical subject of a cue verb, following conjunctions and 'according to'."""
    if _is_per(tok):
        return next((g for g in tok.children if g.dep_ == "pobj"), None)
    if tok.lemma_ == "accord":
        for c in tok.children:
            if c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    if tok.tag_ == "VBG" and tok.dep_ == "pcomp" and not any(c.dep_ in _SUBJ_DEPS for c in tok.children):
        # "despite Moscow and Beijing denying it": the gerund's own subject is the object of
        # the preposition before it, not the subject of the clause the preposition modifies
        own = [c for c in tok.head.children if c.dep_ == "pobj" and c.i < tok.i]
        if own:
            return own[-1]
    cur = tok
    for _ in range(4):
        subjects = [c for c in cur.children if c.dep_ in _SUBJ_DEPS]
        if cur is tok and subjects and all(c.dep_ == "nsubjpass" for c in subjects) and (
                tok.lemma_.lower() not in _SPEAKER_PASSIVES):
            # "it has been called an engine of ...", "the plan was announced": the subject is what
            # was said or described; the speaker is the agent ("by the ministry"), if any
            return _agent(tok)
        if subjects:
            # two subjects for one verb (a mis-parsed apposition): the named one, else the nearest
            named = [c for c in subjects if c.ent_type_ in ("PERSON", "ORG")]
            return (named or subjects)[-1] if len(subjects) > 1 else subjects[0]
        if cur.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep") and cur.head is not cur:
            # "X said A and said B", mis-parsed as a conjunct of A: X is the subject; so is
            # "X told them that A was so, saying, '…'", the participle hung on A's verb
            if (cur.dep_ in ("conj", "advcl") and (cur.dep_ == "conj" or cur.tag_ == "VBG")
                    and cur.head.dep_ == "ccomp" and cur.head.head.lemma_.lower() in SPEECH_CUES):
                cur = cur.head.head
                continue
            cur = cur.head
            continue
        break
    # passive with an agent: "it was announced by the ministry"
    agent = _agent(tok)
    if agent is not None:
        return agent
    # inverted and mis-parsed: '"...," says engineer Tobias Renn'
    sent_end = tok.sent.end
    for i in range(tok.i + 1, min(sent_end, tok.i + 5)):
        t = tok.doc[i]
        if t.is_punct or t.is_space:
            break
        if t.pos_ in ("PROPN", "NOUN") and t.ent_iob_ != "I":
            j = i
            while j + 1 < sent_end and tok.doc[j + 1].pos_ == "PROPN" and not tok.doc[j + 1].is_space:
                j += 1
            return tok.doc[j]
    return None


#: passive cues whose subject is the speaker ("she was quoted as saying", "he was heard saying")
_SPEAKER_PASSIVES = frozenset({"quote", "cite", "hear", "record", "overhear"})


def _agent(tok: Any) -> Any | None:
    """The agent of a passive cue ("by the ministry"), or None."""
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _cut_at_quotes(head: Any, view: _DocView, left: int, right: int) -> tuple[int, int]:
    """Narrow ``[left, right)`` to the words around ``head`` on its side of any quotation mark."""
    for i in range(head.i, right):
        if view.in_quote[i] and not view.in_quote[head.i]:
            right = i
            break
    for i in range(head.i, left - 1, -1):
        if view.in_quote[i] and not view.in_quote[head.i]:
            left = i + 1
            break
    return left, right


def _np_tokens(head: Any, view: _DocView) -> tuple[int, int]:
    """Token range of the phrase headed by ``head``, cut at relative clauses and quotes."""
    left, right = head.left_edge.i, head.right_edge.i + 1
    # stop at a quotation, a relative clause or a parenthesis to the right
    for c in head.children:
        if c.i > head.i and c.dep_ in ("relcl", "acl") and c.left_edge.i > head.i:
            right = min(right, c.left_edge.i)
    left, right = _cut_at_quotes(head, view, left, right)
    while right - 1 > head.i and view.sp[right - 1].is_punct and view.sp[right - 1].text not in (".",):
        right -= 1
    while left < head.i and view.sp[left].is_punct:
        left += 1
    # a possessor names the speaker without its "'s" ("the agency's statement")
    if right - 1 > head.i and view.sp[right - 1].dep_ == "case":
        right -= 1
    return left, right


_SOURCE_LEAD = {"both", "even", "also", "only", "all", "just", "then"}


def _surface_tokens(head: Any, view: _DocView) -> tuple[int, int]:
    """Token range of the source as written: with its relative clause, closing
    parenthesis, possessive "'s" and the comma that closes an apposition."""
    sp = view.sp
    left, right = head.left_edge.i, head.right_edge.i + 1
    left, right = _cut_at_quotes(head, view, left, right)
    for i in range(head.i, left - 1, -1):
        if "\n" in sp[i].text_with_ws and i < head.i:
            left = i + 1
            break
    while right - 1 > head.i and (sp[right - 1].is_space or (
            sp[right - 1].is_punct and sp[right - 1].text not in (".", ")", "'s", "'"))):
        right -= 1
    while left < head.i and (sp[left].is_punct or sp[left].is_space or sp[left].lower_ in _SOURCE_LEAD):
        left += 1
    span_text = view.text[sp[left].idx : sp[right - 1].idx + len(sp[right - 1].text)]
    if right < len(sp) and sp[right].text == "," and "," in span_text and head.dep_ != "poss":
        right += 1
    return left, right
