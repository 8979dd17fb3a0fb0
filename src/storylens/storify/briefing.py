"""The cited neutral briefing.

Extractive by construction: every sentence is a sentence (or a verbatim part of
one) from the documents, cited with the Spans it came from.

* **Corroborated** claims (two or more independent sources, opinion pieces not
  counted) are stated in the words of the supporting sentence that the other
  sources agree with most, citing every supporting sentence. That sentence's
  numbers, dates and negations must each be stated by another independent
  source; when no supporting sentence qualifies (aligned reports that differ in
  a detail) the claim is framed as its best source's alone.
* **Contradictions** become "Outlets differ on <kind>: <A> says "…", <B> says
  "…"." with both sides quoted verbatim and cited; a claim that is contested is
  never stated as a fact.
* **Single-source** claims appear only framed: "Only <outlet> reports: …"; when the
  sentence it leans on is one that other sources also state, that sentence comes first,
  as the fact it is: "<fact> Only <outlet> adds: …". An event other outlets report too, in
  wordings whose details differ, is "Only <outlet> gives these details: …" (citing them all).
* **Opinion pieces** corroborate nothing; what only they say comes last, as theirs: "In an
  opinion piece, <outlet> writes: …".

Words inside someone's quotation are never stated as an outlet's; a sentence that
quotes someone it names, with the cue ('"…," Ines Okafor said.'), is the outlet's
statement of who said what and may be stated. A sentence that
leans on the one before it ("She was a clerk there.") is stated together with that
sentence when both are the outlet's own words in one paragraph, and left out otherwise.
Among equivalent wordings the plainest wins: loaded or garbled wording never stands for
a claim that has a plain version.

Light compression only removes a dateline ("PORT X (Agency) - "), a short
tag in parentheses, or a connective that only ties a sentence to the one before ("However, …")
when the rest stands alone; attributions ("…, officials said") are kept, since
dropping them would turn reported speech into a stated fact. What matters most
comes first: corroboration (independent sources), the lead (an article's first
sentences, counted by sentence), centrality (closeness to the centre of the story's
candidates) and echo across outlets (closeness to a sentence of another source).
Redundancy is removed with MMR over MiniLM vectors. Corroborated claims come first, then
contradictions, then single-source claims, then opinion pieces; within each kind, what the outlets
tell earliest first (each outlet's first sentence, then each one's second, …), then what lies
nearest the story's leads (the story's timeline orders claims by date). A photo's caption left
in an article is not stated; an article's first sentence leans on nothing before it.

Every sentence goes through the verifier (``storify.verify.check_sentence``);
the optional LLM rewrite is in ``storify.llm``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Literal

import httpx
import numpy as np

from storylens.embed import get_embedder
from storylens.lexicon import subjectivity
from storylens.models import (
    Analysis,
    Briefing,
    BriefingSentence,
    Claim,
    Contradiction,
    Document,
    Span,
    doc_label,
    headline_end,
    source_group,
)
from storylens.options import Options
from storylens.storify.llm import rewrite_with_llm
from storylens.storify.verify import (
    _DATELINE,
    _MONTHS,
    _PAREN_TAG,
    _PLACE_AGENCY,
    _PRONOUN_START,
    CONTRADICTION_FRAME,
    OPINION_FRAME,
    SINGLE_SOURCE_AFTER_FRAME,
    SINGLE_SOURCE_FRAME,
    _name_supported,
    _normalise,
    _numbers,
    check_sentence,
    checkable_terms,
)
from storylens.wordlists import POST_SIGNATURE, STOP_WORDS

__all__ = [
    "build_briefing",
    "cross_source_echo",
    "lexical_vectors",
    "garbledness",
    "direct_quotes_by_doc",
    "embedded_post",
    "inside_quotation",
    "leans_on_previous",
    "loadedness",
    "check_sentence",
    "checkable_terms",
    "mmr_order",
    "mmr_select",
    "photo_caption",
    "rewrite_with_llm",
    "CONTRADICTION_FRAME",
    "SINGLE_SOURCE_FRAME",
]

log = logging.getLogger(__name__)

#: per story: at most this many sentences of each kind
MAX_CORROBORATED = 12
MAX_CONTRADICTIONS = 6
MAX_SINGLE_SOURCE = 6
#: what opinion pieces alone say, framed as theirs: at most this many per story (more when
#: reports leave places free: a story told by reviews and columns is told by them)
MAX_OPINION = 3
#: relevance bonus for a claim stated in an article's first sentence; it falls by e for every
#: LEAD_DECAY sentences further in (news puts what matters first: a lead bias by sentence,
#: not by characters, so a long first paragraph does not dilute it)
LEAD_BONUS = 1.0
LEAD_DECAY = 3.0
#: relevance bonus per unit of cosine similarity to the centre of the story's candidates
CENTRALITY = 1.0
#: relevance bonus per unit of cosine similarity to the closest candidate of another source
ECHO = 1.0
#: the story's lead: each outlet's first LEAD_SENTENCES sentences. Within each kind, the
#: briefing states first what lies nearest the centre of the leads (what the outlets put first
#: is what the story is about, whichever outlet's words state it), less LEAD_ORDER_RANK per
#: place in the selection's order (its relevance breaks near-ties)
LEAD_SENTENCES = 2
LEAD_ORDER_RANK = 0.02
#: MMR trade-off between relevance and novelty
MMR_LAMBDA = 0.7
#: a candidate this close to a chosen sentence says the same thing and is dropped
REDUNDANT_SIM = 0.8
#: per story, candidates weighed per place of each kind (the rest, less relevant, are not
#: embedded): 20 x 6 contradictions = 120, far above what a story of a few hundred articles has
POOL_PER_PLACE = 20
#: an opinion piece's sentence weighs this much less than a report's
OPINION_PENALTY = 0.5
#: a contradiction side longer than this is quoted as the clause around the value
QUOTE_WORDS = 30
# ---------------------------------------------------------------------------
# candidates


_Kind = Literal["corroborated", "single_source", "contradiction", "context", "opinion"]


@dataclass
class _Candidate:
    kind: _Kind
    text: str
    citations: list[Span]
    relevance: float
    #: what redundancy is measured against: "fact", or "x:<kinds>" for a contradiction
    family: str
    claims: set[str] = field(default_factory=set)
    #: the independent source of the first citation (what "another outlet" means)
    group: str = ""
    #: (doc, start) of the sentence stated before this one because this one leans on it
    lead_in: tuple[str, int] | None = None
    #: (doc, sentence start) of each sentence the candidate states in the outlets' words
    stated: tuple[tuple[str, int], ...] = ()
    #: (doc, sentence start) of each sentence it cites
    backed: tuple[tuple[str, int], ...] = ()


#: a dash or bullet opening a sentence, left where a dateline or list marker stood
_LEADING_MARK = re.compile(r"^[-–—•*]+\s+(?=\w)")


def _strip_dateline(text: str) -> int:
    """Characters of a leading dateline ("PORT KESSEL (Agency) - ") or of a bare dash or
    bullet where one stood ("- The ferry …") to drop, or 0."""
    m = _DATELINE.match(text)
    agency = _PLACE_AGENCY.match(text)
    if agency and (not m or agency.end() > m.end()):
        return agency.end()
    if not m:
        mark = _LEADING_MARK.match(text)
        return mark.end() if mark else 0
    head = m.group(0)
    letters = [c for c in head if c.isalpha()]
    # a dateline is written in capitals (the agency in parentheses may not be)
    caps = re.sub(r"\([^)]*\)", "", head)
    if not letters or any(c.islower() for c in caps):
        return 0
    return m.end()


def _after_heading(span: Span) -> Span:
    """A sentence that runs on from a heading line ("Heading\n\nThe text…") starts after it."""
    if "\n" not in span.text:
        return span
    cut = span.text.rindex("\n") + 1
    rest = span.text[cut:]
    if _words(rest) < 4 or re.search(r"[.!?:]\s*$", span.text[:cut].rstrip()):
        return span
    return Span(doc=span.doc, start=span.start + cut, end=span.end, text=rest)


def _compress(span: Span) -> tuple[str, Span]:
    """Sentence text without a dateline or a short parenthesised tag; the span it is cited by."""
    span = _after_heading(span)
    cut = _strip_dateline(span.text)
    if cut:
        span = Span(doc=span.doc, start=span.start + cut, end=span.end, text=span.text[cut:])
    text = _PAREN_TAG.sub("", span.text)
    # a discourse connective ("However, …", "But …") ties the sentence to the one before while
    # what it states stands alone: it goes when nothing else leans on that sentence
    m = _CONNECTIVE.match(span.text)
    if m and span.text[m.end() :][:1].isalpha():
        rest = _PAREN_TAG.sub("", span.text[m.end() :])
        rest = rest[0].upper() + rest[1:]
        if not leans_on_previous(rest) and not _PRONOUN_START.match(rest):
            span = Span(doc=span.doc, start=span.start + m.end(), end=span.end, text=span.text[m.end() :])
            text = rest
    # the result is either the (narrowed) span text itself or a shortening of it (and its first
    # letter a capital); the span is cited whole
    return " ".join(text.split()), span


#: connectives that only link a sentence to the previous one ("However, the port stayed shut.")
_CONNECTIVE = re.compile(
    r"^(?:(?:But|And|Yet)\s+|(?:However|Meanwhile|Still|Also|Moreover|Furthermore|In addition|Additionally|Indeed|"
    r"Nonetheless|Nevertheless|Besides|Separately),\s+)"
)


def _quote_balanced(text: str) -> bool:
    return text.count('"') % 2 == 0


def _mostly_quote(text: str) -> bool:
    inside = re.findall(r'"[^"]*"', text)
    return sum(len(q) for q in inside) > 0.5 * len(text)


#: a speaker named by a pronoun only ("…," he said): who it is lies in another sentence
_PRONOUN_ONLY = re.compile(r"^\W*(?:he|she|they|it|we|i|you|this|that)\W*$", re.IGNORECASE)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


#: a sentence that starts like this, or names "such allegations", means something only
#: with the sentence before it ("Both have rejected such allegations.")
_LEANS_START = re.compile(
    r"^(?:He|She|It|They|This|That|These|Those|His|Her|Its|Their|We|I|Both|Such|Neither|Either|Another|"
    r"The two|The latter|The former|The same|The move|The deal|The decision|The statement|The visit|"
    r"Also|Moreover|Furthermore|In addition|In return|In response|As a result|Meanwhile|However|But|And|So|Yet|"
    r"Instead|Still|Besides|Nonetheless|Nevertheless|Likewise|Similarly|Then|Later|Earlier|"
    r"By contrast|In contrast|On the other hand|Even so|For example|For instance|Now|Here|Thus|Therefore|Hence|"
    r"Otherwise|Again|Additionally|Consequently|Indeed|Afterwards|In turn|At the same time|By then|Since then|"
    r"Until then|Even then|Until now|In (?:this|that) (?:regard|respect|context|case)|To (?:this|that) end|"
    r"In doing so|As such|With that)\b(?!\s+[A-Z][a-z])"
)
_LEANS_INSIDE = re.compile(
    r"\b(?:such|these|those|the same|the said|the aforementioned)\s+(?:\w+\s+)?"
    r"(?:allegations?|claims?|accusations?|charges?|reports?|measures?|moves?|steps?|remarks?|comments?|"
    r"statements?|plans?|deals?|agreements?|talks|concerns?|threats?|sanctions|weapons|efforts?|actions?|"
    r"demands?|proposals?|criticism|denials?)\b|\b(?:both|each other|the two (?:sides|countries|leaders|men|nations))\b"
    r"|\b(?:also|too|as well|again)\b[^,;]{0,20}[.!?]?$|^(?:\S+\s+){1,4}(?:also|then|too|again)\b",
    re.IGNORECASE,
)


def leans_on_previous(text: str) -> bool:
    """Whether ``text`` needs the sentence before it to mean anything (who "both" are,
    which "such allegations"), so it must not stand alone in a briefing."""
    return bool(_LEANS_START.match(text) or _LEANS_INSIDE.search(text))


#: a sentence that announces what follows ("… released the following statement:")
_LEANS_ON_NEXT = re.compile(r":[\s\"“”'’)\]]*$")


def leans_on_next(text: str) -> bool:
    """Whether ``text`` only announces the sentence after it (it ends with a colon: the
    statement, list or post it introduces is elsewhere), so it says nothing alone."""
    return bool(_LEANS_ON_NEXT.search(text))


#: the site speaking to its reader: any one of these is enough ("click here", "Read more")
_SITE_STRONG = re.compile(
    r"\bclick(?:ing)? (?:here|through|on the link|the box)\b|\bunsubscribe\b|\bnewsletters?\b|\bread more\W*$|"
    r"\bcontinue reading\b|\bnot a robot\b|^\W*\(?click\b", re.IGNORECASE)
#: these need a second marker or the reader addressed ("you"): "sign up" is news in
#: "2 million people may sign up for coverage"
_SITE_WEAK = re.compile(
    r"\bsign(?:ing)? (?:up|in)\b|\bsubscribe\b|\be-?mails?\b|\balerts\b|\bslideshow\b|\bhttps?://|\bclick\b",
    re.IGNORECASE)
_READER = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")


def site_furniture(text: str) -> bool:
    """Whether ``text`` is the site addressing its reader (sign-up offers, "click here",
    teasers ending "Read more"), not news an outlet reports."""
    if _SITE_STRONG.search(text):
        return True
    weak = {m.group(0).lower() for m in _SITE_WEAK.finditer(text)}
    return len(weak) >= 2 or (len(weak) == 1 and bool(_READER.search(_URL.sub(" ", text))))


#: a wire photo's caption left in the text: what the picture shows, ending on the day it was
#: taken after the place ("Guards stand by the gate of the residence in Vell, Saturday, March 23,
#: 2030."); a report's sentence says when with a word ("… on Saturday, March 23, 2030.")
_CAPTION_DATE = re.compile(
    r"(?P<before>\S+)\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+)?"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\.?\s*$")
_WHEN_WORDS = frozenset({"on", "since", "until", "till", "by", "before", "after", "from", "of", "to", "through",
                         "today", "yesterday", "dated", "published", "posted", "updated", "and", "or"})
#: a caption describes the picture in the present tense: a sentence that reports (past tense,
#: someone speaking) is not one
_REPORTING = re.compile(r"\b(?:was|were|had|did|said|says|told|according)\b", re.IGNORECASE)
_PHOTO_OF = re.compile(r"^\W*(?:file|undated|handout) (?:photo|picture|image)s? of\b", re.IGNORECASE)


def photo_caption(text: str) -> bool:
    """Whether ``text`` is a photo's caption left among the article's sentences ("Guards stand
    by the gate in Vell, Saturday, March 23, 2030.", "File photo of …"): it describes a
    picture, not what happened."""
    if _PHOTO_OF.match(text):
        return True
    m = _CAPTION_DATE.search(text)
    if m is None or _REPORTING.search(text):
        return False
    before = m.group("before")
    word = before.strip(",.").lower()
    return (before.endswith(",") or before[:1].isupper()) and word not in _WHEN_WORDS


_OPEN_QUOTES = "\"“”«»„"


#: words a sentence cannot end on: a page cut off mid-sentence ("… after the blast and")
_DANGLING = frozenset({
    "and", "or", "but", "nor", "so", "that", "which", "who", "whom", "whose", "the", "a", "an", "of", "to",
    "in", "on", "at", "by", "for", "with", "from", "as", "than", "because", "if", "when", "while", "although",
})


def unfinished(text: str) -> bool:
    """A sentence cut off before its end: no closing punctuation and a last word that opens
    more ("Residents reported a smell of gas after the blast and"), or an ellipsis right after
    its last word or a comma ("… to have lunch...", "… telling friends ...", "… Friday,..."). Stating it would put
    half a claim in the outlets' mouths."""
    stripped = text.rstrip()
    # a teaser cut short with an ellipsis ("The pope travelled to the hill town to have lunch...");
    # an ellipsis inside quotation marks is the speaker trailing off
    if re.search(r"[\w,;]\s?(?:\.\.\.|…)$", stripped):
        return True
    if not stripped or stripped[-1] in ".!?\"”’')":
        return False
    words = re.findall(r"[A-Za-z]+", stripped)
    return bool(words) and words[-1].lower() in _DANGLING


def embedded_post(paragraph: str) -> bool:
    """Whether ``paragraph`` is a social-media post the page embeds: the poster's words, which
    the outlet reproduces without quotation marks (two outlets embedding one post do not
    corroborate what it says)."""
    return bool(POST_SIGNATURE.search(paragraph))


def inside_quotation(doc: Document, span: Span, quotes: Sequence[Span] = (), attributed: Sequence[Span] = ()) -> bool:
    """Whether the words of ``span`` belong to someone quoted: it lies mostly inside a
    quotation the annotator found (``quotes``), or inside quotation marks opened earlier in
    its paragraph, or inside quotation marks in it that are not one of ``attributed`` (a
    quotation the sentence itself attributes to its speaker)."""
    length = max(1, span.end - span.start)
    covered = 0
    for q in quotes:
        if q.doc == span.doc and q.start < span.end and span.start < q.end:
            covered += min(q.end, span.end) - max(q.start, span.start)
    if covered > 0.5 * length:
        return True
    text = doc.text
    para = text.rfind("\n\n", 0, span.start)
    before = text[para + 2 if para >= 0 else 0 : span.start]
    straight = before.count('"')
    opened = before.count("“") + before.count("«") - before.count("”") - before.count("»")
    if straight % 2 == 1 or opened > 0:
        return True  # a quotation opened before the sentence and still runs
    said = [(q.start - span.start, q.end - span.start) for q in attributed]
    inside = sum(len(m.group(0)) for m in re.finditer(r'"[^"]*"|“[^”]*”|«[^»]*»', span.text)
                 if not any(a < m.end() and m.start() < b for a, b in said))
    if span.text.count('"') % 2 == 1:  # a quotation opens here and runs on past the sentence
        inside += len(span.text) - span.text.rfind('"')
    elif span.text.count("“") > span.text.count("”"):
        inside += len(span.text) - span.text.rfind("“")
    return inside > 0.5 * len(span.text)


def loadedness(text: str) -> float:
    """How evaluative a wording is: the summed subjectivity of its words (TextBlob lexicon),
    plus marks of an unplain sentence (exclamations, scare quotes)."""
    words = re.findall(r"[A-Za-z]+", text)
    score = sum(subjectivity(w) for w in words)
    return score + text.count("!") + 0.5 * len(re.findall(r"[\"“][^\"”]{1,25}[\"”]", text))


#: marks of wording mangled on its way to the page, each counted once per occurrence
_MOJIBAKE = re.compile("\ufffd|â€|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|Ã©|Ã¨")
_ENTITY_LEFT = re.compile(r"&(?:amp|quot|apos|nbsp|lt|gt|#\d{2,5}|#x[0-9a-f]{2,4});", re.IGNORECASE)
#: a word written twice in a row ("the the"); "had had" and "that that" are English
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_DOUBLED_OK = {"had", "that", "is", "do", "very", "bye", "no", "yes", "ha", "so", "far", "now", "knock"}
#: two words glued at a sentence end ("closed.The") or punctuation doubled or spaced off (",," " ,")
#: "movie after movie after movie", "day by day by day": a repeat by design
_IDIOM_LINKS = {"after", "by", "to", "and", "upon", "for", "or"}
_GLUED = re.compile(r"[a-z]{2}[.!?][A-Z][a-z]|[,;:]{2}|\s[,;.:](?=\s|$)")


# the same sentences are weighed for each candidate and ranking that holds them
@functools.lru_cache(maxsize=16384)
def garbledness(text: str) -> int:
    """How many marks of mangled wording ``text`` carries: broken encoding (mojibake, the
    replacement character), HTML entities left as text, a word doubled ("the the"), a
    phrase of two to five words repeated at once, words glued across a sentence end,
    doubled or stray punctuation, a sentence that starts in lower case or leaves a
    bracket open. A plain version of the same claim is always preferred."""
    text = re.sub(r"(?:\s?\.){3}", "…", text)  # a spaced ellipsis ". . ." is no stray full stop
    marks = len(_MOJIBAKE.findall(text)) + len(_ENTITY_LEFT.findall(text)) + len(_GLUED.findall(text))
    marks += sum(1 for m in _DOUBLED.finditer(text)
                 if m.group(1).lower() not in _DOUBLED_OK and not m.group(1).isdigit())
    words = text.lower().split()
    for n in (2, 3, 4, 5):
        marks += sum(1 for i in range(len(words) - 2 * n + 1)
                     if words[i : i + n] == words[i + n : i + 2 * n] and words[i + n - 1] not in _IDIOM_LINKS)
    first = next((c for c in text if c.isalnum()), "")
    if first.islower():
        marks += 1
    if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        marks += 1
    return marks


def direct_quotes_by_doc(analysis: Analysis) -> dict[str, list[Span]]:
    """The spans of direct quotations, by document."""
    out: dict[str, list[Span]] = defaultdict(list)
    for q in analysis.quotes:
        if q.direct:
            out[q.span.doc].append(q.span)
    return out


class _Context:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.docs = {d.id: d for d in analysis.documents}
        self.facts = {d.id for d in analysis.documents if d.genre != "opinion"}
        self.opinions = {d.id for d in analysis.documents if d.genre == "opinion"}
        self.groups = {d.id: source_group(d) for d in analysis.documents}
        ordered = sorted(
            range(len(analysis.documents)),
            key=lambda i: ((analysis.documents[i].published or "9999"), i),
        )
        self.rank = {analysis.documents[i].id: r for r, i in enumerate(ordered)}
        self.story_of = {d: s.id for s in analysis.stories for d in s.docs}
        # every quotation, direct or the content of reported speech, with its cue: words
        # inside one belong to the speaker unless the sentence itself says who speaks
        self.quotes_in: dict[str, list[tuple[Span, Span | None]]] = defaultdict(list)
        # direct quotations with who said them: the cue and a named speaker
        self.said_by: dict[str, list[tuple[Span, Span, Span]]] = defaultdict(list)
        for q in analysis.quotes:
            self.quotes_in[q.span.doc].append((q.span, q.cue))
            if q.direct and q.cue is not None and q.speaker_span is not None and not _PRONOUN_ONLY.match(
                    q.speaker_span.text):
                self.said_by[q.span.doc].append((q.span, q.cue, q.speaker_span))
        self._starts: dict[str, list[int]] = {}
        #: ``stateable`` and ``check`` by span and by sentence: a sentence supports several
        #: claims and candidates, and a chosen one is checked again at the end
        self._stateable: dict[tuple[str, int, int, str], bool] = {}
        self._checked: dict[tuple[str, tuple[tuple[str, int, int, str], ...]], bool] = {}

    def stateable(self, span: Span) -> bool:
        """A sentence the briefing may state in an outlet's voice: not words inside a
        quotation, not leaning on the sentence before it, and not the headline (telegraphic,
        often the most loaded wording; it is cited as support, never stated for the outlets)."""
        key = (span.doc, span.start, span.end, span.text)
        known = self._stateable.get(key)
        if known is None:
            known = self._stateable[key] = self._stateable_now(span)
        return known

    def check(self, sentence: str, citations: Sequence[Span]) -> bool:
        """``verify.check_sentence`` against the batch's documents."""
        key = (sentence, tuple((c.doc, c.start, c.end, c.text) for c in citations))
        known = self._checked.get(key)
        if known is None:
            known = self._checked[key] = check_sentence(sentence, citations, self.docs)
        return known

    def _stateable_now(self, span: Span) -> bool:
        doc = self.docs.get(span.doc)
        if doc is None or span.start < headline_end(doc):
            return False
        text, cited = _compress(span)
        if self.leans(span, text) or unfinished(text) or leans_on_next(text) or site_furniture(text) \
                or photo_caption(text):
            return False
        return self.own_words(doc, span, cited)

    def leans(self, span: Span, text: str) -> bool:
        """``leans_on_previous(text)``, except that an article's first sentence has no sentence
        before it: its "also", "too" or "both" ("North Korea again tested missiles this week")
        point within it or at what the reader knows, and only an opening pronoun ("She threw a
        curveball.") still needs words the page does not give."""
        starts = self.sentence_starts(span.doc)
        if bisect_right(starts, span.start) == 1:
            return bool(_LEANS_START.match(text))
        return leans_on_previous(text)

    def own_words(self, doc: Document, span: Span, cited: Span) -> bool:
        """Whether ``span`` (and the part of it that is cited) is in the outlet's own voice:
        what it says is the outlet's, or a quotation it attributes in the same sentence to a
        speaker it names there ('"…," Ines Okafor said.': the outlet states who said what).
        A paragraph signed as a social-media post is the poster's words (``embedded_post``)."""
        start = doc.text.rfind("\n\n", 0, span.start)
        end = doc.text.find("\n\n", span.end)
        if embedded_post(doc.text[start + 2 if start >= 0 else 0 : end if end >= 0 else len(doc.text)]):
            return False
        for part in {(span.start, span.end): span, (cited.start, cited.end): cited}.values():
            unattributed = [q for q, cue in self.quotes_in.get(span.doc, [])
                            if cue is None or not part.start <= cue.start < part.end]
            if inside_quotation(doc, part, unattributed, self.attributed_in(part)):
                return False
        return True

    def attributed_in(self, part: Span) -> list[Span]:
        """Direct quotations that overlap ``part`` and whose cue and named speaker lie in it."""
        return [q for q, cue, who in self.said_by.get(part.doc, [])
                if q.start < part.end and part.start < q.end
                and part.start <= cue.start < part.end and part.start <= who.start and who.end <= part.end]

    def says_who(self, span: Span) -> bool:
        """Whether ``span`` is mostly a quotation it attributes to a speaker it names."""
        _, cited = _compress(span)
        return bool(self.attributed_in(cited))

    def antecedent(self, span: Span) -> Span | None:
        """For a sentence that leans on the one before it ("She was a teacher at …"), that
        sentence, when it is in the same paragraph, stands alone and is the outlet's own
        words: the two together mean what the second alone does not. None otherwise."""
        doc = self.docs.get(span.doc)
        if doc is None:
            return None
        text, cited = _compress(span)
        if not leans_on_previous(text) or not self.own_words(doc, span, cited):
            return None
        k = next((i for i, (a, b) in enumerate(doc.sentences) if a <= span.start < b), 0)
        if k == 0:
            return None
        start, end = doc.sentences[k - 1]
        while end > start and doc.text[end - 1].isspace():
            end -= 1
        if start < headline_end(doc) or "\n" in doc.text[start : span.start]:
            return None  # the headline, or another paragraph
        prev = Span(doc=doc.id, start=start, end=end, text=doc.text[start:end])
        body, _ = _compress(prev)
        if (
            not self.stateable(prev) or _words(body) < 6 or not re.search(r"[.!?][\"”’)]?$", body)
            or _PRONOUN_START.match(body) or not _quote_balanced(body) or garbledness(body)
        ):
            return None
        return prev

    def sentence_key(self, span: Span) -> tuple[str, int]:
        """(doc, start) of the sentence ``span`` lies in."""
        doc = self.docs.get(span.doc)
        sentences = doc.sentences if doc is not None else []
        return span.doc, next((a for a, b in sentences if a <= span.start < b), span.start)

    def is_copy(self, doc_id: str) -> bool:
        doc = self.docs[doc_id]
        return bool(doc.duplicate_of or doc.syndicated_from)

    def lead_weight(self, spans: Sequence[Span]) -> float:
        """1 for a claim stated in an article's first sentence, falling with each later
        sentence (news puts what matters first): the best over the supporting documents."""
        best = 0.0
        for s in spans:
            k = bisect_right(self.sentence_starts(s.doc), s.start) - 1
            best = max(best, math.exp(-max(0, k) / LEAD_DECAY))
        return best

    def sentence_starts(self, doc_id: str) -> list[int]:
        """Where the document's sentences of four words or more start (the headline, headings
        and bylines skipped)."""
        starts = self._starts.get(doc_id)
        if starts is None:
            doc = self.docs[doc_id]
            head = headline_end(doc)  # the headline is no lead sentence
            starts = [a for a, b in doc.sentences if a >= head and _words(doc.text[a:b]) >= 4]
            self._starts[doc_id] = starts
        return starts

    def place(self, spans: Sequence[Span]) -> int:
        """How early the outlets tell what ``spans`` cite: the place of the earliest of them among
        its article's sentences (``sentence_starts``: 0 for the first after the headline)."""
        return min((max(0, bisect_right(self.sentence_starts(s.doc), s.start) - 1)
                    for s in spans if s.doc in self.docs), default=0)

    def label(self, doc_id: str) -> str:
        return doc_label(self.docs[doc_id])

    def fact_support(self, claim: Claim, opinion: bool = False) -> list[Span]:
        """Supporting spans from documents that are not opinion pieces (with ``opinion``: from
        those that are), every one of them: a document's first support may be its headline or a
        loose member of the group, while its plain statement of the fact comes later, and the
        wording is chosen among all."""
        wanted = self.opinions if opinion else self.facts
        return [
            Span(doc=s.doc, start=s.start, end=s.end, text=s.text)
            for s in claim.support
            if s.doc in wanted and s.doc in self.docs and (s.score is None or s.score >= SAYS_THE_SAME)
        ]



#: a claim's member this similar to the sentence that words the claim (``ScoredSpan.score``)
#: says the same and may word or back it; a looser member (joined through an event frame: "Russia
#: opposed the programme" in a claim about Russia opposing new sanctions) is a related sentence,
#: never stated as what the other sources also say
SAYS_THE_SAME = 0.6

_WEIGHT = {"numbers": 1.0, "dates": 1.0, "negations": 1.0, "names": 0.5}


@dataclass(frozen=True)
class _Source:
    """One independent source's supporting sentences, read once per claim."""

    norm: str
    numbers: set[str]
    words: set[str]


def _source(group: list[Span]) -> _Source:
    text = " \n ".join(s.text for s in group)
    norm = _normalise(text)
    return _Source(norm, _numbers(text), set(re.findall(r"[a-z]+", norm)))


def _agreement(stated: str, others: list[_Source]) -> float:
    """Weighted share of what ``stated`` says that the other sources state too.

    Numbers, dates and negations weigh twice as much as names, so a sentence
    whose only extra is an attribution wins over one with an extra negation.
    """
    terms = checkable_terms(stated)
    items = [(k, v) for k, vs in terms.items() for v in vs]
    if not items or not others:
        return 1.0
    total = sum(_WEIGHT[k] for k, _ in items)
    scores = []
    for source in others:
        hit = 0.0
        for kind, value in items:
            if kind == "numbers":
                found = value in source.numbers
            elif kind == "names":
                found = _name_supported(value, source.norm)
            else:
                found = value in source.words
            hit += _WEIGHT[kind] * found
        scores.append(hit / total)
    return sum(scores) / len(scores)


def _ranked(spans: list[Span], groups: Mapping[str, str]) -> list[Span]:
    """Supporting sentences, best wording first: what the other sources also say, no leading
    pronoun, no broken quotation, not too long."""
    # each source's sentences read once (not once per other supporting sentence)
    by_group: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        by_group[groups.get(s.doc, s.doc)].append(s)
    sources = {g: _source(group) for g, group in by_group.items()}

    def score(span: Span) -> float:
        own = groups.get(span.doc, span.doc)
        text, _ = _compress(span)
        value = _agreement(text, [src for g, src in sources.items() if g != own])
        if _PRONOUN_START.match(text):
            value -= 0.5
        if not _quote_balanced(text):
            value -= 1.0
        elif text.startswith('"'):
            value -= 0.3
        value -= 0.01 * max(0, _words(text) - 30)
        # among wordings that say the same, the plainest: evaluative words cost, and a
        # subject named by a role alone ("The president") is vaguer than one named by name
        value -= 0.15 * loadedness(text)
        # mangled wording (broken encoding, a doubled word, glued sentences) never stands
        # for the others when a plain version exists
        value -= 2.0 * garbledness(text)
        if re.match(r"^The [a-z]+ (?:was|is|has|had|were|are|will|would)\b", text):
            value -= 0.3
        return value

    return sorted(spans, key=score, reverse=True)


def _details_backed(span: Span, spans: list[Span], groups: Mapping[str, str]) -> bool:
    """Every number, date word, month and negation of ``span`` is stated by another independent source.

    Alignment groups sentences about one event; when their details differ (212 vs 240
    passengers) the wording of one of them is not corroborated, whatever the group says.
    """
    text, _ = _compress(span)
    terms = checkable_terms(text)
    months = {n for n in terms["names"] if n in _MONTHS}
    own = groups.get(span.doc, span.doc)
    other = [s.text for s in spans if groups.get(s.doc, s.doc) != own]
    if not other:
        return False
    joined = " \n ".join(other)
    words = set(re.findall(r"[a-z]+", _normalise(joined)))
    return terms["numbers"] <= _numbers(joined) and (terms["dates"] | terms["negations"] | months) <= words


def _closest_per_doc(stated: str, spans: list[Span]) -> list[Span]:
    """For each document, the one supporting sentence that shares most words with the stated
    one: a citation points the reader at the sentence that says the same, not at the
    document's headline or a looser member of the claim. Document order is kept."""
    words = set(re.findall(r"[a-z0-9]+", _normalise(stated)))
    best: dict[str, tuple[float, int]] = {}
    for i, s in enumerate(spans):
        other = set(re.findall(r"[a-z0-9]+", _normalise(s.text)))
        overlap = len(words & other) / (len(words) or 1)  # how much of the stated sentence it says
        if s.doc not in best or overlap > best[s.doc][0]:
            best[s.doc] = (overlap, i)
    return [spans[i] for _, i in sorted(best.values(), key=lambda x: x[1])]


_Voice = Literal["reports", "details", "opinion"]


def _single_candidate(
    ctx: _Context, claim: Claim, spans: list[Span], bonus: float = 0.0,
    shared: Set[tuple[str, int]] = frozenset(), voice: _Voice = "reports", others: Sequence[Span] = (),
) -> _Candidate | None:
    """"Only <outlet> reports: …" for spans of one independent source. ``shared`` holds the
    sentences (``_Context.sentence_key``) that other independent sources also state: a lead-in
    among them is stated as the fact it is, not as the outlet's alone ("<fact> Only <outlet> adds: …").

    ``voice`` "details": other outlets report the event too (``others``, cited after it) but
    none gives this wording's details: "Only <outlet> gives these details: …" (a reader must
    not take it that only that outlet reports the event). "opinion": an opinion piece's
    words, as its own: "In an opinion piece, <outlet> writes: …"."""
    # the original rather than a syndicated copy, else the earliest
    stateable = [s for s in spans if ctx.stateable(s)]
    lead_in: Span | None = None
    if stateable:
        spans = stateable
    else:
        # every wording leans on its previous sentence: stated with that sentence
        paired = {(s.doc, s.start): p for s in spans if (p := ctx.antecedent(s)) is not None}
        spans = [s for s in spans if (s.doc, s.start) in paired]
        if not spans:
            return None
    rep = min(spans, key=lambda s: (garbledness(_compress(s)[0]) > 0, ctx.is_copy(s.doc),
                                    ctx.rank.get(s.doc, 10**9), s.start))
    body, cited = _compress(rep)
    if not stateable:
        lead_in = paired[(rep.doc, rep.start)]
    if (
        not _quote_balanced(body) or ((_mostly_quote(body) or body.startswith('"')) and not ctx.says_who(rep))
        or (lead_in is None and _PRONOUN_START.match(body)) or _words(body) < 6 or unfinished(body)
    ):
        return None
    lead_citations: list[Span] = []
    frame = {"reports": f"Only {ctx.label(rep.doc)} reports: ",
             "details": f"Only {ctx.label(rep.doc)} gives these details: ",
             "opinion": f"In an opinion piece, {ctx.label(rep.doc)} writes: "}[voice]
    if lead_in is not None:
        lead_text, lead_cited = _compress(lead_in)
        lead_citations = [lead_cited]
        if ctx.sentence_key(lead_in) in shared and voice == "reports":
            frame = f"{lead_text} Only {ctx.label(rep.doc)} adds: "
        else:
            body = f"{lead_text} {body}"
    terms = checkable_terms(body)
    relevance = (
        1.0 + bonus - 0.5 * garbledness(body) + LEAD_BONUS * ctx.lead_weight(spans)
        + 0.1 * bool(terms["numbers"]) + 0.1 * bool(terms["dates"] or claim.slots.when)
        + 0.05 * min(len(terms["names"]), 3) + 0.05 * bool(claim.slots.subject)
    )
    rest = [s for s in spans if s.doc != rep.doc] + _closest_per_doc(body, [s for s in others if s.doc != rep.doc])
    return _Candidate(
        kind="opinion" if voice == "opinion" else "single_source", text=f"{frame}{body}",
        citations=[*lead_citations, cited, *rest], relevance=relevance - OPINION_PENALTY * (voice == "opinion"),
        family="fact", claims={claim.id}, group=ctx.groups.get(rep.doc, rep.doc),
        lead_in=(lead_in.doc, lead_in.start) if lead_in is not None else None,
        stated=tuple(ctx.sentence_key(x) for x in (lead_in, rep) if x is not None),
    )


def _raw_start(c: _Candidate, ctx: _Context) -> int:
    """Where the sentence of a candidate's first citation starts (before a dateline or heading cut)."""
    first = c.citations[0]
    doc = ctx.docs.get(first.doc)
    if doc is None:
        return first.start
    return next((a for a, b in doc.sentences if a <= first.start < b), first.start)


def _claim_candidates(ctx: _Context, claims: list[Claim]) -> list[_Candidate]:
    out: list[_Candidate] = []
    support = {c.id: ctx.fact_support(c) for c in claims if c.status != "contested"}
    # sentences of claims that two or more independent sources state
    shared = {ctx.sentence_key(s) for spans in support.values()
              if len({ctx.groups.get(s.doc, s.doc) for s in spans}) >= 2 for s in spans}
    for claim in claims:
        if claim.status == "contested":
            continue  # stated through its contradictions, never as a fact
        spans = support[claim.id]
        if not spans:
            # what only opinion pieces say, as theirs (one piece's wording)
            opinions = ctx.fact_support(claim, opinion=True)
            own = ctx.groups.get(opinions[0].doc, opinions[0].doc) if opinions else ""
            opinion = _single_candidate(ctx, claim, [s for s in opinions if ctx.groups.get(s.doc, s.doc) == own],
                                        voice="opinion") if opinions else None
            if opinion is not None:
                out.append(opinion)
            continue
        sources = {ctx.groups.get(s.doc, s.doc) for s in spans}
        single: _Candidate | None = None
        if len(sources) >= 2:
            ranked = _ranked(spans, ctx.groups)
            rep = next(
                (r for r in ranked if _quote_balanced(_compress(r)[0]) and ctx.stateable(r)
                 and _details_backed(r, spans, ctx.groups)),
                None,
            )
            if rep is not None:
                text, cited = _compress(rep)
                if _words(text) < 4:
                    continue
                rest = _closest_per_doc(text, [s for s in spans if s.doc != rep.doc])
                relevance = (
                    2.0 + 0.2 * min(len(sources), 5) + 0.02 * min(len(spans), 10)
                    + LEAD_BONUS * ctx.lead_weight(spans) - 0.3 * text.startswith('"')
                )
                out.append(_Candidate(
                    kind="corroborated", text=text, citations=[cited, *rest], relevance=relevance,
                    family="fact", claims={claim.id},
                    group=ctx.groups.get(rep.doc, rep.doc), stated=(ctx.sentence_key(rep),),
                    backed=tuple(ctx.sentence_key(x) for x in spans),
                ))
                continue
            # no wording whose details the other sources share: the best one, as its source's alone;
            # when every wording leans on its previous sentence, the best one that can be stated
            # with that sentence (one outlet's lead-in and wording: "Only X gives these details: …")
            base = next((r for r in ranked if ctx.stateable(r)), None) or next(
                (r for r in ranked if ctx.antecedent(r) is not None), None)
            if base is None:
                continue  # every wording is someone's quotation, or leans on what cannot be stated
            own = ctx.groups.get(base.doc, base.doc)
            single = _single_candidate(
                ctx, claim, [s for s in spans if ctx.groups.get(s.doc, s.doc) == own], bonus=0.3, shared=shared,
                voice="details", others=[s for s in spans if ctx.groups.get(s.doc, s.doc) != own],
            )
        else:
            single = _single_candidate(ctx, claim, spans, shared=shared)
        if single is not None:
            out.append(single)
    return _merge_lead_ins(ctx, out)


def _merge_lead_ins(ctx: _Context, candidates: list[_Candidate]) -> list[_Candidate]:
    """A sentence stated as the lead-in of one that leans on it is not stated again on its
    own: the pair takes its place, and its relevance when higher."""
    lead_ins = {c.lead_in for c in candidates if c.lead_in}
    if not lead_ins:
        return candidates
    kept: list[_Candidate] = []
    absorbed: dict[tuple[str, int], float] = {}
    for c in candidates:
        key = (c.citations[0].doc, _raw_start(c, ctx))
        if c.lead_in is None and c.kind in ("single_source", "opinion") and key in lead_ins:
            absorbed[key] = max(absorbed.get(key, 0.0), c.relevance)
        else:
            kept.append(c)
    for c in kept:
        if c.lead_in in absorbed:
            c.relevance = max(c.relevance, absorbed[c.lead_in])
    return kept


def _containing_sentence(doc: Document, span: Span) -> Span:
    for start, end in doc.sentences:
        if start <= span.start < end:
            while end > start and doc.text[end - 1].isspace():
                end -= 1
            if end >= span.end:
                return Span(doc=doc.id, start=start, end=end, text=doc.text[start:end])
    return span


_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[-–—]\s+")


def _quote_side(doc: Document, span: Span, values: Sequence[str]) -> tuple[str, Span]:
    """A verbatim quotation of one side: the sentence, or the clauses around the differing value."""
    focus_span = span
    if _words(span.text) < 12:
        span = _containing_sentence(doc, span)
    cut = _strip_dateline(span.text)
    if cut:
        span = Span(doc=span.doc, start=span.start + cut, end=span.end, text=span.text[cut:])
    text = span.text
    if _words(text) <= QUOTE_WORDS:
        return _unstop(text), span
    focus = next((text.find(v) for v in values if v and v in text), -1)
    if focus < 0 and focus_span is not span and focus_span.start >= span.start:
        focus = focus_span.start - span.start
    focus = max(focus, 0)
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    pieces = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i] < bounds[i + 1]]
    k = next((i for i, (s, e) in enumerate(pieces) if s <= focus < e), 0)
    lo = hi = k
    while True:
        length = _words(text[pieces[lo][0] : pieces[hi][1]])
        if length >= 12:
            break
        grow_left = lo > 0 and _words(text[pieces[lo - 1][0] : pieces[hi][1]]) <= QUOTE_WORDS
        grow_right = hi < len(pieces) - 1 and _words(text[pieces[lo][0] : pieces[hi + 1][1]]) <= QUOTE_WORDS
        if grow_left:
            lo -= 1
        elif grow_right:
            hi += 1
        else:
            break
    s, e = pieces[lo][0], pieces[hi][1]
    frag = text[s:e]
    # no dangling separator at the end of the fragment
    trimmed = re.sub(r"(?:[,;:]|\s+[-–—])\s*$", "", frag)
    e = s + len(trimmed.rstrip())
    frag = text[s:e]
    quoted = ("…" if s > 0 else "") + frag + ("…" if e < len(text) and not frag.endswith(".") else "")
    return _unstop(quoted), Span(doc=span.doc, start=span.start + s, end=span.start + e, text=frag)


def _unstop(quote: str) -> str:
    """A quotation without its final full stop (the frame ends the sentence)."""
    last = quote.rsplit(None, 1)[-1] if quote.strip() else ""
    if quote.endswith(".") and "." not in last[:-1] and not quote.endswith(".."):
        return quote[:-1]
    return quote


def _values(explanation: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"(['\"])(.+?)\1", explanation)]


def _kinds_text(kinds: Sequence[str]) -> str:
    if len(kinds) == 1:
        return kinds[0]
    return ", ".join(kinds[:-1]) + " and " + kinds[-1]


def _told_elsewhere(explained: list[set[str]]) -> set[int]:
    """Pairs whose disagreement another pair tells too: the same explanations as an earlier
    pair, or fewer than a pair that also shows more of it.

    Found through an index from explanation to the pairs giving it, so each pair is
    compared with the pairs sharing its rarest explanation, not with every pair of the
    story (a story of thousands of documents has tens of thousands of pairs).
    """
    first: dict[frozenset[str], int] = {}
    for i, reasons in enumerate(explained):
        first.setdefault(frozenset(reasons), i)
    distinct = list(first)
    having: dict[str, list[int]] = defaultdict(list)
    for k, e in enumerate(distinct):
        for reason in e:
            having[reason].append(k)
    shown_more = set()
    for told in distinct:
        rarest = min((having[reason] for reason in told), key=len, default=[])
        if any(len(distinct[k]) > len(told) and told < distinct[k] for k in rarest):
            shown_more.add(told)
    return {i for i, reasons in enumerate(explained)
            if first[frozenset(reasons)] != i or frozenset(reasons) in shown_more}


def _contradiction_candidates(ctx: _Context, contradictions: list[Contradiction]) -> list[_Candidate]:
    by_pair: dict[tuple[tuple[str, int, int], tuple[str, int, int]], list[Contradiction]] = defaultdict(list)
    for x in contradictions:
        if x.a.doc not in ctx.facts or x.b.doc not in ctx.facts:
            continue  # an opinion piece is no witness of a fact
        if ctx.groups.get(x.a.doc, x.a.doc) == ctx.groups.get(x.b.doc, x.b.doc):
            continue
        ka, kb = (x.a.doc, x.a.start, x.a.end), (x.b.doc, x.b.start, x.b.end)
        by_pair[(ka, kb) if ka <= kb else (kb, ka)].append(x)
    pairs = list(by_pair.values())
    explained = [{" ".join(x.explanation.lower().split()) for x in xs} for xs in pairs]
    out: list[_Candidate] = []
    told = _told_elsewhere(explained)
    for i, xs in enumerate(pairs):
        if i in told:
            continue
        first = max(xs, key=lambda x: x.confidence)
        a, b = first.a, first.b
        if ctx.rank.get(b.doc, 0) < ctx.rank.get(a.doc, 0):
            a, b = b, a
        kinds = sorted({x.kind for x in xs}, key=lambda k: ["number", "date", "actor", "negation", "attribute",
                                                            "other"].index(k))
        values = [v for x in xs for v in _values(x.explanation)]
        qa, sa = _quote_side(ctx.docs[a.doc], a, values)
        qb, sb = _quote_side(ctx.docs[b.doc], b, values)
        text = (
            f"Outlets differ on {_kinds_text(kinds)}: {ctx.label(a.doc)} says \"{qa}\", "
            f"{ctx.label(b.doc)} says \"{qb}\"."
        )
        out.append(_Candidate(
            kind="contradiction", text=text, citations=[sa, sb],
            relevance=1.5 + max(x.confidence for x in xs) + 0.1 * (len(kinds) - 1),
            family="x:" + ",".join(kinds),
            claims={x.claim for x in xs if x.claim},
        ))
    return out


# ---------------------------------------------------------------------------
# redundancy removal


def mmr_order(
    relevance: Sequence[float],
    vectors: np.ndarray,
    families: Sequence[str] | None = None,
    lam: float = MMR_LAMBDA,
    redundant: float = REDUNDANT_SIM,
) -> Iterator[int]:
    """Maximal marginal relevance, lazily: indices in the order chosen, near-duplicates dropped.

    ``vectors`` are L2-normalised rows. Only items of the same family are compared
    (two contradictions about different slots are never redundant). Similarities are
    computed one chosen item at a time (n values each, never an n x n matrix), and a
    caller that has enough stops asking.
    """
    n = len(relevance)
    if n == 0:
        return
    fam = np.array(list(families) if families is not None else [""] * n, dtype=object)
    top = max(relevance) or 1.0
    rel = np.array([r / top for r in relevance], dtype=np.float64)
    max_sim = np.zeros(n)
    left = np.ones(n, dtype=bool)
    for _ in range(n):
        score = np.where(left, lam * rel - (1 - lam) * max_sim, -np.inf)
        best = int(np.argmax(score))
        left[best] = False
        if max_sim[best] >= redundant:
            continue
        yield best
        same = fam == fam[best]
        sims = np.asarray(vectors @ vectors[best], dtype=np.float64)
        max_sim = np.where(same, np.maximum(max_sim, sims), max_sim)


def mmr_select(
    relevance: Sequence[float],
    vectors: np.ndarray,
    families: Sequence[str] | None = None,
    limit: int | None = None,
    lam: float = MMR_LAMBDA,
    redundant: float = REDUNDANT_SIM,
) -> list[int]:
    """Maximal marginal relevance: indices chosen in order, near-duplicates dropped (at most ``limit``)."""
    return list(itertools.islice(mmr_order(relevance, vectors, families, lam, redundant), limit))

# ---------------------------------------------------------------------------
# the briefing


def cross_source_echo(vectors: np.ndarray, groups: Sequence[str], block: int = 512) -> np.ndarray:
    """Per row, the highest cosine similarity to a row of another source group (0 when
    there is none, never below 0); computed ``block`` rows at a time (no n x n matrix)."""
    n = len(groups)
    out = np.zeros(n)
    if n == 0:
        return out
    codes = np.unique(np.array(groups, dtype=object), return_inverse=True)[1]
    for lo in range(0, n, block):
        sims = np.asarray(vectors[lo : lo + block] @ vectors.T, dtype=np.float64)
        sims[codes[lo : lo + block, None] == codes[None, :]] = -np.inf
        out[lo : lo + block] = np.maximum(sims.max(axis=1), 0.0)
    return out


def _unit_mean(vectors: np.ndarray) -> np.ndarray:
    centre = vectors.mean(axis=0)
    return np.asarray(centre / max(float(np.linalg.norm(centre)), 1e-9))


def _lead_texts(ctx: _Context, doc_ids: Sequence[str]) -> list[str]:
    """Each document's first ``LEAD_SENTENCES`` sentences (headline and short lines skipped;
    copies of another document left out)."""
    out: list[str] = []
    for d in doc_ids:
        doc = ctx.docs.get(d)
        if doc is None or ctx.is_copy(d):
            continue
        ends = dict(doc.sentences)
        out += [doc.text[a : ends[a]] for a in ctx.sentence_starts(d)[:LEAD_SENTENCES]]
    return out


Encode = Callable[[list[str]], np.ndarray]


def _embedded(texts: list[str]) -> np.ndarray:
    return get_embedder().encode(texts)


_WORD = re.compile(r"[a-z0-9]+")


def lexical_vectors(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised TF-IDF rows of ``texts`` over their own words (stop words left out, the
    document frequency counted within ``texts``): the briefing's vectors for a story of one
    document. Its sentences are not embedded by any earlier step (nothing to align across
    documents), and within one document which sentences share words tells what it is about
    and which repeat each other; MiniLM for them cost as much as the rest of the briefing
    (benchmarks/RESULTS.md, "End-to-end speed")."""
    bags = [Counter(w for w in _WORD.findall(t.lower()) if w not in STOP_WORDS) for t in texts]
    vocab: dict[str, int] = {}
    for bag in bags:
        for w in bag:
            vocab.setdefault(w, len(vocab))
    df = Counter(w for bag in bags for w in bag)
    out = np.zeros((len(texts), max(len(vocab), 1)), dtype=np.float32)
    for row, bag in enumerate(bags):
        for w, tf in bag.items():
            out[row, vocab[w]] = (1.0 + math.log(tf)) * (math.log((1 + len(texts)) / (1 + df[w])) + 1.0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.clip(norms, 1e-12, None), dtype=np.float32)


def _select(candidates: list[_Candidate], limits: Mapping[str, int], encode: Encode = _embedded) -> list[_Candidate]:
    if not candidates:
        return []
    vectors = encode([_embed_text(c) for c in candidates])
    # what the story is about: a sentence near the centre of all candidates matters more
    centroid = _unit_mean(vectors)
    relevance = [c.relevance + CENTRALITY * float(vectors[i] @ centroid) for i, c in enumerate(candidates)]
    # what other outlets say too: a single source's sentence that another outlet echoes
    # (without saying the same closely enough to align) is more central to the story
    echo = cross_source_echo(vectors, [c.group for c in candidates])
    relevance = [r + ECHO * float(e) for r, e in zip(relevance, echo, strict=True)]
    order = sorted(range(len(candidates)), key=lambda i: -relevance[i])
    taken: dict[str, int] = defaultdict(int)
    wanted = {c.kind for c in candidates if limits.get(c.kind, 0) > 0}
    out: list[_Candidate] = []
    # a sentence of the articles is stated once: a pair that states a lead-in another chosen
    # sentence already states would say it twice
    said: dict[tuple[str, int], int] = {}
    #: the words already stated (a syndicated copy's sentence has another document and start,
    #: but stating it again says nothing new)
    said_words: list[str] = []
    #: the sentences that a chosen corroborated sentence's citations are in (other wordings of its fact)
    backs: dict[tuple[str, int], int] = {}
    for k in mmr_order([relevance[i] for i in order], vectors[order], [candidates[i].family for i in order]):
        c = candidates[order[k]]
        lead_at = said.get(c.stated[0], backs.get(c.stated[0], -1)) if c.lead_in is not None else -1
        if said.keys() & set(c.stated) or lead_at >= 0:
            first = lead_at
            if first >= 0 and out[first].kind == "corroborated" and len(out[first].stated) == 1 \
                    and not said.keys() & set(c.stated[1:]):
                # "<fact> Only <outlet> adds: …" where the fact is already stated: one sentence
                # that states the fact, cited by every source, and then the one outlet's addition
                fact = out[first]
                extra = [x for x in c.citations if (x.doc, x.start, x.end) not in
                         {(y.doc, y.start, y.end) for y in fact.citations}]
                out[first] = _Candidate(kind="corroborated", text=c.text, citations=[*fact.citations, *extra],
                                        relevance=fact.relevance, family=fact.family, claims=fact.claims | c.claims,
                                        group=fact.group, lead_in=c.lead_in, stated=c.stated, backed=fact.backed)
                said.update({key: first for key in c.stated})
            continue
        words = " ".join(_embed_text(c).lower().split())
        if c.family == "fact" and any(words in earlier for earlier in said_words):
            continue
        if taken[c.kind] < limits.get(c.kind, 0):
            said_words.append(" ".join(c.text.lower().split()))
            said.update({key: len(out) for key in c.stated})
            if c.kind == "corroborated":
                backs.update({ctx_key: len(out) for ctx_key in c.backed})
            taken[c.kind] += 1
            out.append(c)
            if taken[c.kind] == limits[c.kind]:
                wanted.discard(c.kind)
                if not wanted:
                    break  # every kind has its sentences: the rest of the order is not read
    return out


def _pool(candidates: list[_Candidate], limits: Mapping[str, int]) -> list[_Candidate]:
    """At most ``POOL_PER_PLACE`` candidates per place of each kind, the most relevant (in
    their first order): a story of thousands of documents is weighed like one of a few
    hundred, instead of embedding and comparing every claim and contradiction it has."""
    keep: set[int] = set()
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        by_kind[c.kind].append(i)
    for kind, members in by_kind.items():
        room = POOL_PER_PLACE * limits.get(kind, 0)
        keep.update(sorted(members, key=lambda i: -candidates[i].relevance)[:room])
    return [c for i, c in enumerate(candidates) if i in keep]


def _embed_text(c: _Candidate) -> str:
    if c.kind in ("single_source", "opinion"):
        m = SINGLE_SOURCE_FRAME.match(c.text) or SINGLE_SOURCE_AFTER_FRAME.match(c.text) or OPINION_FRAME.match(c.text)
        return m.group("body") if m else c.text
    if c.kind == "contradiction":
        return " ".join(s.text for s in c.citations)
    return c.text


_KIND_ORDER = {"corroborated": 0, "contradiction": 1, "single_source": 2, "opinion": 3, "context": 4}


def _reading_order(chosen: list[_Candidate], leads: Sequence[str] = (), encode: Encode = _embedded,
                   places: Mapping[int, int] | None = None) -> list[_Candidate]:
    """Kinds in their order (``_KIND_ORDER``); within a kind, what the outlets tell earliest
    first (``places``: by ``id`` of a candidate, the place in its article of the earliest
    sentence it cites, as ``_Context.place`` counts; each outlet's first sentence, then each
    one's second, …: news states what happened first, and a reader scanning the outlets reads
    their leads first), then nearest the centre of the story's lead sentences
    (``LEAD_ORDER_RANK``), else in the order the selection chose them.
    ``encode``: the vectors of a list of texts (MiniLM's, or ``lexical_vectors`` of one list)."""
    out: list[_Candidate] = []
    kinds = sorted({c.kind for c in chosen}, key=lambda k: _KIND_ORDER[k])
    place = places or {}
    if not leads or all(sum(c.kind == k for c in chosen) < 2 for k in kinds):
        return [c for k in kinds for c in sorted((c for c in chosen if c.kind == k), key=lambda c: place.get(id(c), 0))]
    if encode is _embedded:
        centre: np.ndarray = _unit_mean(encode(list(leads)))
        vectors_of: dict[str, np.ndarray] = {}
    else:
        # lexical vectors are of one vocabulary: the leads and the chosen sentences together
        both = encode([*leads, *(_embed_text(c) for c in chosen)])
        centre = _unit_mean(both[: len(leads)])
        vectors_of = {k: both[len(leads):][[i for i, c in enumerate(chosen) if c.kind == k]] for k in kinds}
    for kind in kinds:
        members = [c for c in chosen if c.kind == kind]
        if len(members) > 1:
            vectors = vectors_of[kind] if kind in vectors_of else encode([_embed_text(c) for c in members])
            key = [(place.get(id(c), 0), -float(vectors[i] @ centre) + LEAD_ORDER_RANK * i)
                   for i, c in enumerate(members)]
            members = [members[i] for i in sorted(range(len(members)), key=key.__getitem__)]
        out += members
    return out


def build_briefing(
    analysis: Analysis,
    options: Options,
    *,
    max_corroborated: int = MAX_CORROBORATED,
    max_contradictions: int = MAX_CONTRADICTIONS,
    max_single_source: int = MAX_SINGLE_SOURCE,
    transport: httpx.BaseTransport | None = None,
) -> Briefing:
    """One briefing whose sentences cover the stories in order (main story first)."""
    if not analysis.claims and not analysis.contradictions:
        return Briefing(story=analysis.stories[0].id if len(analysis.stories) == 1 else None)
    ctx = _Context(analysis)
    limits = {
        "corroborated": max_corroborated,
        "contradiction": max_contradictions,
        "single_source": max_single_source,
    }
    story_ids = [s.id for s in analysis.stories]
    claims_by_story: dict[str | None, list[Claim]] = defaultdict(list)
    for c in analysis.claims:
        sid = c.story if c.story in story_ids else (ctx.story_of.get(c.support[0].doc) if c.support else None)
        claims_by_story[sid].append(c)
    x_by_story: dict[str | None, list[Contradiction]] = defaultdict(list)
    for x in analysis.contradictions:
        x_by_story[ctx.story_of.get(x.a.doc)].append(x)
    rest = sorted({*claims_by_story, *x_by_story} - set(story_ids), key=lambda k: (k is None, k or ""))
    order: list[str | None] = [*story_ids, *rest]
    sentences: list[BriefingSentence] = []
    per_story: list[tuple[list[_Candidate], dict[str, int], list[str], Encode]] = []
    docs_of = {s.id: s.docs for s in analysis.stories}
    for sid in order:
        candidates = _claim_candidates(ctx, claims_by_story.get(sid, []))
        candidates += _contradiction_candidates(ctx, x_by_story.get(sid, []))
        # a sentence the verifier would drop takes no place in the selection
        candidates = [c for c in candidates if ctx.check(c.text, c.citations)]
        # a story that few outlets agree on is told by what each reports alone, framed as
        # such: the places corroborated sentences leave free go to single-source ones
        agreed = sum(1 for c in candidates if c.kind == "corroborated")
        alone = sum(1 for c in candidates if c.kind == "single_source")
        story_limits = {**limits, "single_source": max(limits["single_source"], limits["corroborated"] - agreed),
                        "opinion": max(MAX_OPINION, limits["corroborated"] - agreed - alone)}
        leads = _lead_texts(ctx, docs_of.get(sid, []) if sid is not None else [])
        # a story of one document is weighed by its own words (``lexical_vectors``): no
        # earlier step embedded its sentences
        encode: Encode = lexical_vectors if len(docs_of.get(sid or "", ())) == 1 else _embedded
        per_story.append((_pool(candidates, story_limits), story_limits, leads, encode))
    # every other story's candidates and leads embedded in one call (all inference threads
    # busy); each story's selection then reads the embedder's cache
    embedded = [_embed_text(c) for candidates, _, _, encode in per_story if encode is _embedded for c in candidates]
    embedded += [t for _, _, leads, encode in per_story if encode is _embedded for t in leads]
    if embedded:
        get_embedder().encode(embedded)
    for candidates, story_limits, leads, encode in per_story:
        chosen = _select(candidates, story_limits, encode)
        # what matters first within each kind: what the outlets tell earliest, then what lies
        # nearest the story's leads, then the order MMR chose them in (the timeline orders by date)
        chosen = _reading_order(chosen, leads, encode, {id(c): ctx.place(c.citations) for c in chosen})
        sentences += [
            BriefingSentence(text=c.text, citations=c.citations, kind=c.kind) for c in chosen
        ]
    if options.llm_url:
        sentences = rewrite_with_llm(sentences, ctx.docs, options, transport=transport)
    kept = [s for s in sentences if ctx.check(s.text, s.citations)]
    if len(kept) < len(sentences):
        log.info("briefing: %d sentence(s) dropped by the citation check", len(sentences) - len(kept))
    return Briefing(story=story_ids[0] if len(story_ids) == 1 else None, sentences=kept)
