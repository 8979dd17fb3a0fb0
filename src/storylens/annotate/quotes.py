"""Direct and reported quotes with speaker and cue (see issue 5).

Two passes over one annotated document:

1. **Direct quotes** are found on the characters: double marks paired within a
   paragraph, a paragraph that ends inside a quotation continued by the next
   paragraph when that one opens with a mark (the newspaper convention for
   multi-paragraph quotes), single marks (U+2018/U+2019 pairs become ASCII
   ``'`` in ``Document.text``) paired only where the shape says "quotation",
   never "apostrophe". Nested quotations stay inside their outer quote. An
   unclosed mark ends at its paragraph, so it never swallows the document.
   A quotation of one to three words with no speech verb right beside it is a
   scare quote and is dropped.
2. **Reported speech** comes from the dependency parse: a speech verb ("say",
   "tell", "warn", "accuse", ...) outside quotation marks with a clausal
   complement ("X said (that) ..."), "accused Y of ...", "warned of ...",
   "according to X, ...". ``direct`` is false and the span is the content.

Speakers are the subject of the cue verb (or the object of "according to";
the possessor of "statement"), reduced to a named PERSON/ORG mention when the
phrase holds one. A pronoun goes to the nearest preceding compatible named
mention (he/she: a person; it/they: an organisation); a role noun ("the
spokesman", "state media") goes to the nearest preceding named mention whose
own words or context carry that role, else it stays as text with no entity.
When a quote's speaker is resolved, ``speaker_span`` is the named mention it
resolves to (so the cross-document index can give its canonical entity) and
``speaker_text`` is that mention's text; the surface words ("he", "the
spokesman") are kept on the internal :class:`Attribution` records that the
PolNeAR benchmark scores.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from storylens import wordlists
from storylens.annotate import Mention, ParsedDoc
from storylens.models import Quote, Span

__all__ = [
    "Attribution",
    "QuoteRegion",
    "SPEECH_CUES",
    "extract_attributions",
    "extract_quotes",
    "find_quote_regions",
    "quote_id",
]

#: verbs that introduce speech or writing (lemmas); verbs of belief, knowledge and
#: inference count in broad mode only, and only with a clause ("believes that ...", "the
#: poll shows (that) ..."), never with a plain object ("saw the ice", "found a job")
SPEECH_CUES = wordlists.SPEECH_CUES
BELIEF_CUES = wordlists.BELIEF_VERBS
#: verbs of intention and will (broad mode only): an attribution only with an infinitive
#: ("wants to ...", "refused to ...", "plans to ...")
INTENT_CUES = frozenset({
    "want", "plan", "intend", "hope", "expect", "refuse", "decide", "vow", "promise", "pledge",
    "threaten", "agree", "decline", "aim", "mean", "wish", "prefer", "resolve", "offer",
})
#: verbs that evaluate or take up what someone said or did (broad mode only), with an object
#: ("criticized the plan", "cited the report")
EVAL_CUES = frozenset({
    "cite", "quote", "reference", "mention", "discuss", "question", "dispute", "reject", "oppose",
    "attack", "criticize", "criticise", "condemn", "praise", "endorse", "welcome",
    "dismiss", "slam", "blast", "decry", "applaud", "tout", "echo", "express", "describe",
    "acknowledge", "admit", "deny", "predict", "propose", "demand", "denounce", "mock",
    "ridicule", "lambaste", "chastise", "fault", "hail", "laud", "champion", "back",
})
#: cues whose object names what was said ("denied the allegations")
_DOBJ_CUES = frozenset({
    "announce", "deny", "confirm", "claim", "report", "reveal", "cite", "mention", "criticize",
    "criticise", "condemn", "praise", "defend", "endorse", "reject", "demand", "propose", "discuss",
    "express", "question", "echo", "blast", "tout", "describe", "promise", "pledge", "vow", "predict",
    "acknowledge", "admit", "dispute", "repeat", "reiterate", "welcome", "dismiss", "slam", "decry",
    "applaud", "recommend", "allege", "forecast", "estimate", "disclose", "tweet", "post", "write",
})
#: cues whose infinitive complement is the content ("vowed to fight")
_XCOMP_CUES = frozenset({
    "promise", "vow", "pledge", "threaten", "urge", "warn", "ask", "tell", "call", "demand", "order",
    "advise", "agree", "refuse", "decline", "offer", "propose", "encourage", "claim", "appeal",
    "beg", "implore", "invite", "challenge", "swear", "insist", "recommend",
})
#: cues that take their content through a preposition ("warned of", "called for")
_PREP_CUES = frozenset({
    "warn", "caution", "complain", "speak", "talk", "call", "comment", "ask", "write", "testify",
    "tweet", "post", "argue", "joke", "boast", "brag", "lament", "rail", "inquire", "enquire",
    "remark", "reflect", "point", "refer", "allude", "hint", "respond", "reply", "plead", "appeal",
    "push", "press", "campaign", "lobby", "advocate", "worry", "fret", "care", "think", "know",
})
#: speech-like verbs of the lists above that are not in SPEECH_CUES
_SPEECH_EXTRA = (_XCOMP_CUES | _PREP_CUES) - BELIEF_CUES - {"care", "offer", "push", "press"}
#: the objects of these verbs are what was said, even without a clause ("denied the report");
#: the rest of _DOBJ_CUES ("discussed the summit") only counts in broad mode
_DOBJ_SPEECH = frozenset({
    "announce", "deny", "confirm", "claim", "report", "reveal", "predict", "promise", "pledge",
    "vow", "demand", "propose", "allege", "acknowledge", "admit", "repeat", "reiterate",
})
#: "spoke to reporters": after these verbs "to" names the addressee, not what was said
_ADDRESS_CUES = frozenset({"speak", "talk", "write", "tweet", "post", "say", "explain", "complain", "boast",
                           "brag", "lament", "joke", "remark", "testify", "reply", "respond", "plead"})
#: verbs of speaking about something, whose object is what was spoken about ("condemned the
#: attack", "cited the report"): cues in every mode
_SPEECH_EVAL = frozenset({
    "cite", "mention", "reference", "criticize", "criticise", "condemn", "praise", "denounce", "slam",
    "blast", "decry", "applaud", "hail", "laud", "welcome", "endorse", "express", "describe", "reject",
    "dispute", "echo", "tout", "question", "deplore", "lambaste",
})
_CUE_PREPS = frozenset({"of", "about", "on", "against", "for", "to", "over", "at"})
_ACCUSE = frozenset({
    "accuse", "blame", "charge", "criticize", "criticise", "praise", "thank", "condemn", "fault",
    "attack", "slam", "blast", "commend", "credit",
})
#: cues next to which a one- to three-word quotation is a real reply, not a scare quote
_SAY_LIKE = frozenset({
    "say", "add", "reply", "respond", "answer", "tell", "ask", "shout", "yell", "write", "tweet",
    "insist", "repeat", "whisper", "exclaim", "retort", "counter", "snap", "quip", "joke",
    "continue", "declare", "state", "post", "mutter",
})
_SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
_STATEMENT_NOUNS = {
    "statement", "release", "communique", "communiqué", "report", "letter", "post", "tweet",
    "message", "note", "notice", "announcement", "memo", "filing", "editorial", "commentary",
    "broadcast", "bulletin", "spokesman", "spokeswoman", "spokesperson", "representative",
    "spokespeople", "office", "website", "account", "newspaper",
}
#: plural and collective nouns for people who speak ("critics said", "residents told")
_SPEAKER_NOUNS = {
    "critic", "supporter", "opponent", "expert", "analyst", "source", "resident", "voter", "people",
    "member", "worker", "protester", "protestor", "observer", "economist", "scientist", "lawmaker",
    "politician", "leader", "citizen", "parent", "student", "teacher", "doctor", "nurse", "farmer",
    "investor", "trader", "banker", "employee", "staff", "neighbor", "neighbour", "friend", "family",
    "relative", "victim", "survivor", "witness", "activist", "advocate", "conservative", "liberal",
    "democrat", "republican", "candidate", "aide", "adviser", "advisor", "insider", "participant",
    "organizer", "organiser", "fan", "customer", "user", "reader", "viewer", "poll", "survey",
    "study", "report", "document", "memo", "ad", "advertisement", "campaign", "court", "judge",
    "jury", "panel", "committee", "commission", "spokesperson", "official", "officer", "coastguard",
    "data", "figure", "record", "estimate", "statistic", "census", "filing", "transcript", "footage",
    "rescuer", "firefighter", "paramedic", "crew", "passenger", "authority", "prosecutor",
}
_SHARE_WORDS = {
    "percent", "%", "half", "third", "quarter", "majority", "minority", "most", "many", "some",
    "few", "other", "all", "plurality", "share", "proportion", "fraction", "number",
}
_PERSON_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
_ORG_PRONOUNS = {"it", "they"}
_PRONOUNS = set(_PERSON_PRONOUNS) | _ORG_PRONOUNS | {"i", "we", "you", "who", "that", "which"}
#: role nouns a speaker may be described by, with the entity type they can resolve to
_PERSON_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "official", "minister", "president", "premier",
    "chancellor", "secretary", "aide", "adviser", "advisor", "mayor", "governor", "senator",
    "ambassador", "envoy", "leader", "chief", "director", "chairman", "chairwoman", "chair",
    "executive", "ceo", "prosecutor", "judge", "lawyer", "attorney", "commander", "general",
    "captain", "officer", "king", "queen", "prince", "princess", "pope", "candidate", "nominee",
    "diplomat", "negotiator", "coach", "manager", "founder", "owner", "head", "representative",
    "lawmaker", "legislator", "congressman", "congresswoman", "mp", "deputy", "inspector",
    "investigator", "analyst", "economist", "scientist", "researcher", "professor", "doctor",
    "witness", "survivor", "resident", "father", "mother", "son", "daughter", "wife", "husband",
    "man", "woman", "boy", "girl", "author", "writer", "journalist", "reporter", "correspondent",
    "editor", "activist", "campaigner", "organiser", "organizer", "superintendent", "sheriff",
    "administrator", "commissioner", "auditor", "regulator", "pilot", "driver", "teacher",
}
_ORG_ROLES = {
    "ministry", "agency", "media", "government", "company", "firm", "group", "army", "military",
    "police", "court", "office", "department", "party", "campaign", "organisation",
    "organization", "union", "council", "committee", "administration", "authority",
    "authorities", "regime", "embassy", "newspaper", "broadcaster", "television", "network",
    "channel", "outlet", "station", "radio", "board", "commission", "bank", "parliament",
    "assembly", "coalition", "alliance", "federation", "association", "institute", "service",
    "team", "club", "school", "university", "hospital", "charity", "cabinet",
    "spokesman's office", "guard", "navy", "force", "forces", "operator", "airline", "carrier",
}
#: role words that stand for each other when a role noun is matched against a mention's context
_ROLE_SYNONYMS = {
    "media": {"media", "agency", "news", "television", "tv", "broadcaster", "newspaper", "radio",
              "outlet", "press", "channel", "network", "daily"},
    "agency": {"agency", "news", "media"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"},
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"},
    "ministry": {"ministry", "ministries"},
    "government": {"government", "cabinet", "administration"},
    "company": {"company", "firm", "corp", "corporation", "inc", "ltd", "plc", "group", "maker",
                "operator"},
    "firm": {"company", "firm", "corp", "corporation", "inc", "ltd", "plc"},
    "official": {"official", "officer", "spokesman", "spokeswoman", "spokesperson"},
}
_GENDER_TITLES = wordlists.GENDER_TITLES
_WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*")
_DOUBLE_MARK = re.compile("\"|''")
_OPEN_BEFORE = set(" \n([{-/:;,\u2014") | {""}
_ELISION = re.compile(r"'(?:\d0s|\d\d\b|em\b|til\b|tis\b|twas\b|cause\b|n\b|round\b|bout\b)", re.I)
#: a quotation of at most this many words needs a speech verb beside it (else: scare quote)
SCARE_WORDS = 3
#: tokens between a cue and the quotation it introduces or follows
_NEAR = 8


@dataclass
class QuoteRegion:
    """A quotation in the text: ``start``/``end`` include the marks."""

    start: int
    end: int
    closed: bool = True
    mark: str = '"'
    paragraphs: int = 1
    mark_width: int = 1

    @property
    def inner(self) -> tuple[int, int]:
        w = self.mark_width
        end = self.end - w if self.closed else self.end
        return self.start + w, max(self.start + w, end)


@dataclass
class Attribution:
    """One quote as the extractor sees it (character offsets into the text).

    ``source`` is the speaker as written (a pronoun, a role noun, a name with
    its apposition); ``speaker`` is what it resolves to: a named mention when
    ``named`` is true, else the role words themselves.
    """

    start: int
    end: int
    direct: bool
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    named: bool = False
    #: content spans, several for a quote split by its attribution (benchmark view)
    parts: list[tuple[int, int]] = field(default_factory=list)
    cue_token: int | None = None
    #: the attribution this quote continues (same cue, or the next sentence/paragraph of it)
    owner: Attribution | None = None


def quote_id(doc_id: str, start: int, end: int) -> str:
    """Stable id of a quote: a hash of the document id and its offsets."""
    return "q_" + hashlib.sha1(f"{doc_id}|{start}|{end}".encode()).hexdigest()[:12]


# ---------------------------------------------------------------------------
# 1. quotation marks on the characters


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            s = pos + (len(line) - len(line.lstrip()))
            e = pos + len(line.rstrip())
            out.append((s, e))
        pos = end + 1
    return out


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


def _opener_shaped(text: str, i: int, width: int = 1) -> bool:
    p, n = _prev(text, i), _next(text, i + width - 1)
    return (p in _OPEN_BEFORE or p in "\"'") and n not in ("", " ", "\n")


def _closer_shaped(text: str, i: int, width: int = 1) -> bool:
    p, n = _prev(text, i), _next(text, i + width - 1)
    return p not in ("", " ", "\n") and (n in ("", " ", "\n") or not n.isalnum())


def _double_regions(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteRegion]:
    regions: list[QuoteRegion] = []
    open_at: int | None = None
    open_w = 1
    n_par = 1
    prev_end = 0
    for p_start, p_end in paragraphs:
        # a double mark, or two apostrophes standing for one ('' as some newspapers print it)
        marks = [(m.start(), len(m.group())) for m in _DOUBLE_MARK.finditer(text, p_start, p_end)]
        if open_at is not None:
            if marks and marks[0][0] == p_start and _opener_shaped(text, p_start, marks[0][1]):
                marks = marks[1:]  # the continuation mark of a multi-paragraph quote
                n_par += 1
            else:
                regions.append(QuoteRegion(open_at, prev_end, closed=False, paragraphs=n_par))
                open_at = None
        for m, w in marks:
            if open_at is None:
                if _closer_shaped(text, m, w) and not _opener_shaped(text, m, w):
                    continue  # a stray closing mark
                open_at, open_w, n_par = m, w, 1
            else:
                regions.append(QuoteRegion(open_at, m + w, paragraphs=n_par, mark_width=open_w))
                open_at = None
        prev_end = p_end
    if open_at is not None:
        regions.append(QuoteRegion(open_at, prev_end, closed=False, paragraphs=n_par))
    return regions


def _single_regions(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteRegion]:
    regions: list[QuoteRegion] = []
    for p_start, p_end in paragraphs:
        marks = [p_start + m.start() for m in re.finditer("(?<!')'(?!')", text[p_start:p_end])]
        if len(marks) < 2:
            continue
        k = 0
        while k < len(marks):
            o = marks[k]
            if not _opener_shaped(text, o) or _ELISION.match(text, o):
                k += 1
                continue
            strong = weak = None
            for j in range(k + 1, len(marks)):
                c = marks[j]
                if c <= o + 1 or not _closer_shaped(text, c):
                    continue
                nxt = text[c + 1 : c + 3]
                possessive = _prev(text, c) in "sS" and re.match(r" [a-z0-9]", nxt) is not None
                if possessive:
                    weak = weak if weak is not None else j
                    continue
                strong = j
                break
            j_close = strong if strong is not None else weak
            if j_close is None:
                k += 1
                continue
            regions.append(QuoteRegion(o, marks[j_close] + 1, mark="'"))
            k = j_close + 1
    return regions


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Outermost quotations in ``text`` (nested ones stay inside their outer quote)."""
    paragraphs = _paragraphs(text)
    doubles = _double_regions(text, paragraphs)
    singles = _single_regions(text, paragraphs)
    starts = [r.start for r in doubles]
    kept: list[QuoteRegion] = list(doubles)
    for s in singles:
        i = bisect.bisect_right(starts, s.start)
        clash = False
        for r in doubles[max(0, i - 1) : i + 1]:
            if r.start < s.end and s.start < r.end:
                clash = True
                break
        if not clash:
            kept.append(s)
    kept.sort(key=lambda r: r.start)
    # drop double regions nested in a single-quoted region (British outer marks)
    out: list[QuoteRegion] = []
    for r in kept:
        if out and r.start >= out[-1].start and r.end <= out[-1].end:
            continue
        out.append(r)
    return out


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


# ---------------------------------------------------------------------------
# 2. the parse


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
        ms = [m for m in ann.mentions if m.label in ("PERSON", "ORG", "GPE", "NORP")]
        ms.sort(key=lambda m: m.span.start)
        self.mentions: list[Mention] = ms
        self.mention_starts = [m.span.start for m in ms]
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
    cur = tok
    for _ in range(4):
        subjects = [c for c in cur.children if c.dep_ in _SUBJ_DEPS]
        if subjects:
            # two subjects for one verb (a mis-parsed apposition): the named one, else the nearest
            named = [c for c in subjects if c.ent_type_ in ("PERSON", "ORG")]
            return (named or subjects)[-1] if len(subjects) > 1 else subjects[0]
        if cur.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep") and cur.head is not cur:
            # "X said A and said B", mis-parsed as a conjunct of A: X is the subject
            if (cur.dep_ == "conj" and cur.head.dep_ == "ccomp"
                    and cur.head.head.lemma_.lower() in SPEECH_CUES):
                cur = cur.head.head
                continue
            cur = cur.head
            continue
        break
    # passive with an agent: "it was announced by the ministry"
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
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


# ---------------------------------------------------------------------------
# 3. speakers


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
            target = self._pronoun(low, subj.idx)
            if target is not None:
                return _Speaker(surface, (target.span.start, target.span.end), True)
            return _Speaker(surface, None, False)  # an unresolved pronoun names nobody
        inside = v.mentions_in(source[0], source[1])
        head_low = _role_word(subj)
        person_role = head_low in _PERSON_ROLES
        role = person_role or head_low in _ORG_ROLES
        person = [m for m in inside if m.label == "PERSON"]
        # a name in apposition or compound to a person role ("the mayor, Ines Okafor")
        named_like = [m for m in inside if m.label != "PERSON" and _person_like(m, v)
                      and _attached_to(v, m, subj, ("appos", "compound"))]
        org = [m for m in inside if m.label == "ORG"]
        place = [m for m in inside if m.label in ("GPE", "NORP")]
        found: Mention | None = None
        if person and (not role or person_role or len(person) == 1):
            found = _closest(person, subj.idx)
        elif named_like and (person_role or subj.pos_ == "PROPN"):
            found = _closest(named_like, subj.idx)
        elif org:
            found = _closest(org, subj.idx)
        elif role:
            found = self._role(subj, source)
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
        return best if best is not None else (fits[0][0] if fits else None)


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
    if not 2 <= len(words) <= 3:
        return False
    if any(not w[:1].isupper() or w.lower().strip(".") in _ORG_WORDS for w in words):
        return False
    return not m.span.text.isupper()


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
    """Words of a mention and of its title / apposition context."""
    a, b = v.token_range(m.span.start, m.span.end)
    lo = max(0, a - 4)
    hi = min(len(v.sp), b + 9)
    out = set()
    for t in v.sp[lo:hi]:
        if t.i >= b and t.text in (".", ";", '"') or "\n" in t.text:
            if t.i >= b:
                break
            continue
        out.add(t.lemma_.lower())
        out.add(t.lower_)
    return out


def _closest(mentions: list[Mention], char: int) -> Mention:
    return min(mentions, key=lambda m: (abs(m.span.start - char), -len(m.span.text)))


# ---------------------------------------------------------------------------
# 4. attributions


_CUE_LEFT = {"aux", "auxpass", "neg", "advmod"}
_TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tonight", "week", "month", "year", "morning", "evening", "night", "afternoon",
}


def _cue_span(tok: Any, broad: bool = False) -> tuple[int, int]:
    """The cue as written: the verb with its auxiliaries, negation and adverbs right
    before it ("has also said"), a day right after it ("said Friday"), and a colon."""
    start = _cue_core(tok, broad)
    begin, end = start
    if tok.lemma_ == "accord" or _is_per(tok):
        return begin, end
    sp = tok.doc
    i = tok.i - 1
    while i >= 0 and sp[i].head.i == tok.i and sp[i].dep_ in _CUE_LEFT and not sp[i].is_punct:
        begin = sp[i].idx
        i -= 1
    j = tok.i + 1
    while j < len(sp) and sp[j].idx < end:
        j += 1
    if j < len(sp) and sp[j].head.i == tok.i and sp[j].dep_ in ("npadvmod", "nmod") and (
            sp[j].lower_ in _TIME_WORDS or sp[j].ent_type_ in ("DATE", "TIME")):
        k = j
        while k + 1 < len(sp) and sp[k + 1].head.i == j and sp[k + 1].i == k + 1:
            k += 1
        end = sp[k].idx + len(sp[k].text)
        j = k + 1
    if j < len(sp) and sp[j].text == ":":
        end = sp[j].idx + 1
    return begin, end


def _cue_core(tok: Any, broad: bool = False) -> tuple[int, int]:
    if _is_per(tok):
        before = tok.doc[tok.i - 1] if tok.i > 0 else None
        start = before.idx if before is not None and before.lower_ == "as" else tok.idx
        return start, tok.idx + len(tok.text)
    if tok.lemma_ == "accord":
        for c in tok.children:
            if c.lower_ == "to":
                return tok.idx, c.idx + len(c.text)
    end = tok.idx + len(tok.text)
    for c in tok.rights:
        if c.dep_ == "prt" and c.i == tok.i + 1:
            end = c.idx + len(c.text)
    lemma = tok.lemma_.lower()
    if lemma in _PREP_CUES or broad:
        children = list(tok.children)
        if not any(c.dep_ in ("ccomp", "dobj") for c in children):
            prep = next((c for c in children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in _CUE_PREPS), None)
            if prep is not None and _between_ok(tok.doc, tok.i, prep.i) and any(
                g.dep_ in ("pobj", "pcomp") for g in prep.children
            ):
                end = prep.idx + len(prep.text)
    return tok.idx, end


def _find_cue_for_region(view: _DocView, a: int, b: int, broad: bool) -> Any | None:
    """The speech verb that governs the quotation at tokens ``a..b-1`` (or stands beside it)."""
    sp = view.sp
    if b <= a:
        return None
    s_first = view.sents[view.sent_of[a]]
    s_last = view.sents[view.sent_of[b - 1]]
    cands: list[tuple[int, Any]] = []
    # tokens outside the quotation in the first and last sentences, within the paragraph
    lo, hi = s_first[0], s_last[1]
    for i in range(a - 1, lo - 1, -1):
        if "\n" in sp[i].text_with_ws:
            lo = i + 1
            break
    for i in range(max(b - 1, 0), hi):
        if "\n" in sp[i].text_with_ws:
            hi = i + 1
            break
    before = range(lo, a)
    after = range(b, hi)
    region_set_lo, region_set_hi = a, b
    for i in list(before) + list(after):
        tok = sp[i]
        if view.in_quote[i] or not _is_cue(tok, broad):
            continue
        dist = a - i if i < a else i - b + 1
        # syntactic link: the quote's words hang under the cue, or the cue under them
        linked = False
        for j in (list(range(a, min(b, a + 60))) + list(range(max(a, b - 60), b))):
            h = sp[j]
            if h.head.i < region_set_lo or h.head.i >= region_set_hi:
                # h is a root of the quotation's words
                anc = h.head
                steps = 0
                while steps < 6:
                    if anc.i == tok.i:
                        linked = True
                        break
                    if anc.head is anc:
                        break
                    anc = anc.head
                    steps += 1
                if linked:
                    break
        if not linked:
            anc = tok
            for _ in range(4):
                if region_set_lo <= anc.i < region_set_hi:
                    linked = True
                    break
                if anc.head is anc:
                    break
                anc = anc.head
        if not linked and dist > _NEAR:
            continue
        cands.append(((0 if linked else 1) * 100 + dist, tok))
    if not cands:
        return None
    cands.sort(key=lambda x: x[0])
    return cands[0][1]


def _adjacent_say(view: _DocView, a: int, b: int) -> bool:
    """A short quotation right beside a 'say'-type verb: a reply, not a scare quote."""
    sp = view.sp
    n = len(sp)
    # after: '"No," she said' / '"No," said the mayor'
    j = b
    if j < n and sp[j].text == ",":
        j += 1
    for k in range(j, min(n, j + 5)):
        if view.in_quote[k] or "\n" in sp[k].text:
            break
        if sp[k].lemma_.lower() in _SAY_LIKE and sp[k].pos_ in ("VERB", "AUX"):
            inner_last = sp[b - 2] if b - 2 >= a else None
            return (inner_last is not None and inner_last.text in (",", "?", "!", ".")) or (
                b < n and sp[b].text == ","
            )
        if sp[k].text in (".", ";", "\n"):
            break
    # before: 'she said: "No."' / 'he replied, "Never."'
    k = a - 1
    if k >= 0 and sp[k].text in (":", ","):
        k -= 1
        for m in range(k, max(-1, k - 4), -1):
            if view.in_quote[m]:
                break
            if sp[m].lemma_.lower() in _SAY_LIKE and sp[m].pos_ in ("VERB", "AUX"):
                return True
    return False


def _colon_speaker(view: _DocView, region: QuoteRegion, a: int, b: int, resolver: _Resolver) -> _Speaker | None:
    """Headline-style attribution without a verb: 'Mayor: "..."' or '"...": mayor'."""
    text = view.text
    line_start = text.rfind("\n", 0, region.start) + 1
    line_end = text.find("\n", region.end)
    line_end = len(text) if line_end < 0 else line_end
    head = text[line_start : region.start].rstrip()
    if head.endswith(":") and 0 < _word_count(head) <= 6:
        return _phrase_speaker(view, line_start, line_start + len(head) - 1, resolver)
    tail = text[region.end : line_end]
    if tail.lstrip().startswith(":"):
        s = region.end + tail.index(":") + 1
        e = line_end
        if 0 < _word_count(text[s:e]) <= 6:
            return _phrase_speaker(view, s, e, resolver)
    return None


#: nouns of saying whose "that" clause is what was said ("the senator's claim that ...")
_CLAIM_NOUNS = frozenset({
    "claim", "assertion", "argument", "statement", "allegation", "charge", "suggestion", "insistence",
    "assurance", "announcement", "accusation", "admission", "warning", "promise", "pledge", "vow",
    "threat", "prediction", "contention", "complaint", "denial", "acknowledgment", "acknowledgement",
    "declaration", "report", "remark", "comment", "message", "reminder", "recommendation", "demand",
})
#: nouns of belief: the same, in broad mode ("her belief that ...")
_BELIEF_NOUNS = frozenset({
    "belief", "view", "hope", "fear", "concern", "conclusion", "finding", "expectation", "assumption",
    "conviction", "suspicion", "worry", "impression", "understanding", "opinion", "theory",
})


def _nominal(view: _DocView, resolver: _Resolver, found: list[Attribution], broad: bool) -> list[Attribution]:
    """Nominal attribution: a noun of saying (or, in broad mode, of belief) with a "that" clause:
    "the minister's claim that ...", "a warning by the agency that ..."."""
    sp = view.sp
    out: list[Attribution] = []
    for tok in sp:
        if tok.pos_ != "NOUN" or view.in_quote[tok.i] or tok.dep_ == "ROOT":
            continue  # a noun with no verb above it: "the statement that the board published was short"
        lemma = tok.lemma_.lower()
        if lemma not in _CLAIM_NOUNS and not (broad and lemma in _BELIEF_NOUNS):
            continue
        clause = next((c for c in tok.rights if c.dep_ in ("acl", "ccomp") and any(
            g.dep_ == "mark" and g.lower_ == "that" and g.i == c.left_edge.i == tok.i + 1 for g in c.children)), None)
        if clause is None:
            continue
        lo, hi = clause.left_edge.i, clause.right_edge.i + 1
        hi = _cut_trailing(clause, lo, hi, sp)
        while hi > lo and (sp[hi - 1].is_space or (sp[hi - 1].is_punct and sp[hi - 1].text not in ('"', "''"))):
            hi -= 1
        if hi <= lo:
            continue
        c_start, c_end = view.char_span(lo, hi)
        if any(x.start < c_end and c_start < x.end and x.direct for x in found):
            continue
        holder = next((c for c in tok.children if c.dep_ == "poss"), None)
        if holder is None:
            by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")), None)
            holder = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        attr = Attribution(c_start, c_end, False, cue=(tok.idx, tok.idx + len(tok.text)), parts=[(c_start, c_end)],
                           cue_token=tok.i)
        if holder is not None:
            spk = resolver.speaker(holder)
            if spk is not None:
                attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        out.append(attr)
    return out


_COLON_LINE = re.compile(r"[\"']?([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}) ?: +(?=\S)")


def _colon_lines(view: _DocView, resolver: _Resolver, found: list[Attribution]) -> list[Attribution]:
    """Headline and transcript attribution without a verb, not in quotation marks:
    'Senator: Plan Will Fail' or 'SMITH: Well, look, ...'. The speaker must be a name the
    recogniser knows, a name in capitals, or a word for a poll or report; the content is the
    rest of the paragraph."""
    text = view.text
    out: list[Attribution] = []
    for p_start, p_end in _paragraphs(text):
        m = _COLON_LINE.match(text, p_start, p_end)
        if m is None:
            continue
        h_start, h_end = m.span(1)
        head = m.group(1)
        c_start, c_end = m.end(), p_end
        while c_end > c_start and text[c_end - 1] in ".;, ":
            c_end -= 1
        if _word_count(text[c_start:c_end]) < 3:
            continue
        if any(x.direct and x.start < c_end and c_start < x.end for x in found):
            continue  # a quotation already attributed
        shouting = head.replace(" ", "").replace(".", "").isalpha() and head.isupper() and len(head) > 2
        named = any(mm.label in ("PERSON", "ORG") or _person_like(mm, view) for mm in view.mentions_in(h_start, h_end))
        last = head.split()[-1].lower()
        if not (shouting or named or last in ("poll", "survey", "study", "report", "data")):
            continue
        spk = _phrase_speaker(view, h_start, h_end, resolver)
        colon = text.index(":", h_end)
        attr = Attribution(c_start, c_end, False, cue=(colon, colon + 1), source=(h_start, h_end),
                           parts=[(c_start, c_end)])
        if spk is not None:
            attr.speaker, attr.named = spk.speaker, spk.named
        out.append(attr)
    return out


def _phrase_speaker(view: _DocView, start: int, end: int, resolver: _Resolver) -> _Speaker | None:
    seg = view.text[start:end]
    lead = len(seg) - len(seg.lstrip())
    start += lead
    end = start + len(seg.strip())
    if end <= start:
        return None
    a, b = view.token_range(start, end)
    if b <= a:
        return None
    toks = [t for t in view.sp[a:b] if not t.is_punct]
    if not toks:
        return None
    # the phrase's head: the token whose head lies outside it
    head = next((t for t in toks if not (a <= t.head.i < b) or t.head is t), toks[-1])
    found = resolver.speaker(head)
    if found is None:
        return None
    return _Speaker((start, end), found.speaker if found.named else (start, end), found.named)


def _content_of(tok: Any, view: _DocView, broad: bool = False) -> list[tuple[int, int]] | None:
    """Token ranges of what a reported-speech cue reports (two when the cue
    interrupts its content), or None. Kept inside the cue's sentence and paragraph."""
    rng = _raw_content(tok, view, broad)
    if rng is None:
        return None
    lo, hi, kind = rng
    s_lo, s_hi = view.sents[view.sent_of[tok.i]]
    lo, hi = max(lo, s_lo), min(hi, s_hi)
    sp = view.sp
    # a quotation that starts inside the content ends inside it too ('was "true."')
    k = view.region_of.get(hi - 1)
    if k is not None and hi < len(sp) and view.region_of.get(hi) == k:
        _r_lo, r_hi = view.token_range(view.regions[k].start, view.regions[k].end)
        if r_hi - hi <= 3:
            hi = r_hi
    # never across a paragraph break
    for i in range(max(lo, tok.i), hi):
        if "\n" in sp[i].text_with_ws:
            hi = i + 1
            break
    for i in range(min(tok.i, hi) - 1, lo - 1, -1):
        if "\n" in sp[i].text_with_ws:
            lo = i + 1
            break
    pieces = [(lo, hi)]
    if kind == -2:  # the cue phrase sits inside its content
        c_lo, c_hi = tok.left_edge.i, tok.right_edge.i + 1
        pieces = [(lo, c_lo), (c_hi, hi)]
    out = []
    for a, b in pieces:
        while b > a and (sp[b - 1].is_space or (sp[b - 1].is_punct and sp[b - 1].text not in ('"', "''", "'"))):
            b -= 1
        while a < b and (sp[a].is_space or sp[a].text in (",", ":", ";", "-", "--")):
            a += 1
        if b > a:
            out.append((a, b))
    return out or None


def _raw_content(tok: Any, view: _DocView, broad: bool) -> tuple[int, int, int] | None:
    """(first token, end token, preposition token or -1) of what ``tok`` reports."""
    sp = view.sp
    lemma = tok.lemma_.lower()
    if lemma == "accord" or _is_per(tok):
        # "according to X, CONTENT" / "CONTENT, according to X": the clause it modifies
        clause = tok.head
        if clause is tok:
            return None
        lo, hi = clause.left_edge.i, clause.right_edge.i + 1
        # the sentence's closing stop and line break (sometimes tagged as words) do not count
        while hi > lo and (sp[hi - 1].is_space or sp[hi - 1].is_punct or sp[hi - 1].text in (".", "?", "!")):
            hi -= 1
        ph_lo, ph_hi = tok.left_edge.i, tok.right_edge.i + 1
        if ph_lo <= lo:
            lo = ph_hi
        elif ph_hi >= hi - 1:
            hi = ph_lo
        else:
            return None
        return (lo, hi, -1) if hi > lo else None
    children = list(tok.children)
    comps = [c for c in children if c.dep_ == "ccomp"]
    if comps:
        c = comps[0]
        lo, hi = c.left_edge.i, max(x.right_edge.i for x in comps) + 1
        return lo, _cut_trailing(c, lo, hi, sp), -1
    obj = next((c for c in children if c.dep_ == "dobj" and c.i > tok.i), None)
    if tok.dep_ == "parataxis" and obj is None and not any(c.dep_ in ("xcomp", "prep") for c in children):
        # "Acts of protest, Mr. Obama said, are acts of patriotism": the clause around the cue
        clause = tok.head
        lo, hi = clause.left_edge.i, clause.right_edge.i + 1
        if lo < tok.left_edge.i or hi > tok.right_edge.i + 1:
            return lo, hi, -2
    if lemma in _ACCUSE:
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")), None)
        if obj is not None and prep is None:
            prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
        if obj is not None and prep is not None:
            return obj.left_edge.i, max(obj.right_edge.i, prep.right_edge.i) + 1, -1
    x = next((c for c in children if c.dep_ == "xcomp" and c.i > tok.i), None)
    # "said legalizing it would ...": a mis-parsed clause that starts with a gerund
    gerund = x is not None and x.tag_ == "VBG" and lemma in ("say", "tell", "add", "claim", "argue", "insist")
    if x is not None and (lemma in _XCOMP_CUES or (broad and lemma in INTENT_CUES) or gerund) and x.pos_ in (
            "VERB", "AUX"):
        lo = obj.left_edge.i if obj is not None and obj.i < x.i else x.left_edge.i
        return lo, x.right_edge.i + 1, -1
    oprd = next((c for c in children if c.dep_ == "oprd"), None)
    if lemma in ("call", "describe", "label", "brand", "dub", "deem", "consider") and obj is not None and oprd:
        return obj.left_edge.i, oprd.right_edge.i + 1, -1
    # "warned of ...", "called for ...", "spoke about ...": the preposition joins the cue
    prep = next((c for c in children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in _CUE_PREPS), None)
    if prep is not None and obj is None and (lemma in _PREP_CUES or (broad and lemma in EVAL_CUES)) and not (
            prep.lower_ == "to" and lemma in _ADDRESS_CUES):
        pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None and _between_ok(sp, tok.i, prep.i) and not (
                pobj.ent_type_ in ("DATE", "TIME") or pobj.lower_ in _TIME_WORDS):  # "spoke on Monday"
            return pobj.left_edge.i, pobj.right_edge.i + 1, prep.i
    if obj is not None and (lemma in _DOBJ_SPEECH or lemma in _SPEECH_EVAL or (
            broad and lemma in _DOBJ_CUES | EVAL_CUES)) and (
            obj.pos_ not in ("PRON",)):
        return obj.left_edge.i, obj.right_edge.i + 1, -1
    return None


def _cut_trailing(c: Any, lo: int, hi: int, sp: Any) -> int:
    """End of a reported clause headed by ``c``: ", citing ...", ", although ...": a trailing
    adverbial clause is the writer's, not the source's; so is a conjoined clause with its own
    speaker ("..., and critics warned that")."""
    for ch in c.children:
        if ch.i <= c.i or ch.left_edge.i <= lo:
            continue
        trailing = ch.dep_ == "advcl" and sp[ch.left_edge.i - 1].text == ","
        own_cue = ch.dep_ == "conj" and ch.lemma_.lower() in SPEECH_CUES
        if trailing or own_cue:
            cut = ch.left_edge.i
            while cut > lo and (sp[cut - 1].is_punct or sp[cut - 1].dep_ == "cc"):
                cut -= 1
            hi = min(hi, cut)
    return hi


def _between_ok(sp: Any, a: int, b: int) -> bool:
    """Only adverbs (or nothing) between a verb and its preposition."""
    return all(sp[i].pos_ in ("ADV", "PART") for i in range(a + 1, b))


def extract_attributions(ann: ParsedDoc, broad: bool = False) -> list[Attribution]:
    """Direct and reported quotes of one document, with surface and resolved speakers.

    ``broad`` adds verbs of belief and intention ("believe", "want", ...) as
    cues, the way PolNeAR's guidelines count attribution; storylens itself
    runs with ``broad=False`` (speech only).
    """
    text = ann.doc.text
    if not text or ann.sp is None or len(ann.sp) == 0:
        return []
    regions = find_quote_regions(text)
    view = _DocView(ann, regions)
    resolver = _Resolver(view)
    out: list[Attribution] = []
    used_cues: dict[int, Attribution] = {}
    region_attr: dict[int, Attribution] = {}
    prev: Attribution | None = None
    prev_region: QuoteRegion | None = None
    for k, region in enumerate(regions):
        a, b = view.token_range(region.start, region.end)
        inner_s, inner_e = region.inner
        words = _word_count(text[inner_s:inner_e])
        if words == 0:
            continue
        cue = _find_cue_for_region(view, a, b, broad)
        if words <= SCARE_WORDS and not _adjacent_say(view, a, b):
            continue  # a scare quote: not speech
        attr = Attribution(region.start, region.end, True, parts=[(region.start, region.end)])
        spk: _Speaker | None = None
        if cue is not None:
            attr.cue = _cue_span(cue)
            attr.cue_token = cue.i
            subj = _subject(cue)
            if subj is not None and not view.in_quote[subj.i]:
                spk = resolver.speaker(subj)
            if (spk is None or spk.speaker is None) and cue.i in used_cues:
                first = used_cues[cue.i]
                attr.source, attr.speaker, attr.named = first.source, first.speaker, first.named
                spk = None
        if spk is None and attr.source is None:
            spk = _colon_speaker(view, region, a, b, resolver)
        if spk is not None:
            attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        if cue is None and attr.source is None and prev is not None and prev_region is not None:
            # a following paragraph or sentence of the same speaker's words
            between = text[prev_region.end : region.start]
            lines = between.split("\n")
            adjoining = _word_count(between) == 0
            same_par = len(lines) == 1 and _starts_sentence(text, region.start)
            # the next paragraph opens with a quote: the same speaker goes on
            next_par = len(lines) > 1 and not any(x.strip() for x in lines[1:])
            if adjoining or same_par or next_par:
                attr.source, attr.speaker, attr.named = prev.source, prev.speaker, prev.named
                attr.cue = prev.cue
                attr.owner = prev.owner or prev
                attr.owner.parts.append((region.start, region.end))
        if cue is None and attr.source is None:
            intro = _intro_cue(view, a, broad)
            if intro is not None:
                attr.cue = _cue_span(intro)
                attr.cue_token = intro.i
                subj = _subject(intro)
                if subj is not None:
                    spk = resolver.speaker(subj)
                    if spk is not None:
                        attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        if attr.cue is None and attr.source is None:
            subj = _intro_speaker(view, a)
            if subj is not None:
                spk = resolver.speaker(subj)
                if spk is not None:
                    attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        if cue is not None:
            if cue.i in used_cues:
                attr.owner = used_cues[cue.i]
                attr.owner.parts.append((region.start, region.end))
            else:
                used_cues[cue.i] = attr
        out.append(attr)
        region_attr[k] = attr
        prev, prev_region = attr, region

    # a quote with no attribution right before an attributed one of the same paragraph
    direct = [x for x in out if x.direct]
    for x, y in zip(direct[::-1][1:], direct[::-1][:-1], strict=True):
        if x.source is not None or x.cue is not None or x.owner is not None or y.source is None:
            continue
        between = text[x.end : y.start]
        if "\n" not in between and _word_count(between) == 0:
            owner = y.owner or y
            x.source, x.speaker, x.named, x.cue, x.owner = y.source, y.speaker, y.named, y.cue, owner
            owner.parts.insert(0, (x.start, x.end))

    # reported speech
    for tok in view.sp:
        if view.in_quote[tok.i] or not _is_cue(tok, broad):
            continue
        pieces = _content_of(tok, view, broad)
        if pieces is None:
            continue
        lo, hi = pieces[0][0], pieces[-1][1]
        c_start, c_end = view.char_span(lo, hi)
        frags = [view.char_span(x, y) for x, y in pieces]
        quoted = sum(view.in_quote[lo:hi])
        if tok.i in used_cues:
            # a partial quote inside reported speech: the benchmark view gets the whole clause
            owner = used_cues[tok.i]
            if len(owner.parts) == 1 and c_start <= owner.start and owner.end <= c_end + 1:
                owner.parts = [(c_start, max(c_end, owner.end))]
            continue
        if quoted >= (hi - lo) * 0.6:
            continue
        subj = _subject(tok)
        if not broad and (subj is None or not _can_speak(subj)):
            continue  # "the plan says ...", "the chart shows ...": not speech
        attr = Attribution(c_start, c_end, False, cue=_cue_span(tok, broad), parts=frags, cue_token=tok.i)
        if subj is not None:
            spk = resolver.speaker(subj)
            if spk is not None:
                attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        out.append(attr)
    out += _colon_lines(view, resolver, out)
    out += _nominal(view, resolver, out, broad)

    # "X said she thinks ...": an attribution reported inside another's content belongs to the
    # outer one (the writer only vouches for what X said), so it is not a separate attribution
    reported = [x for x in out if not x.direct]
    nested: set[int] = set()
    for x in reported:
        if x.cue is None:
            continue
        c = x.cue[0]
        for y in reported:
            if y is not x and id(y) not in nested and any(s <= c < e for s, e in y.parts):
                nested.add(id(x))
                break
    out = [x for x in out if id(x) not in nested]
    out.sort(key=lambda x: (x.start, x.end))
    return out


def _can_speak(subj: Any) -> bool:
    """A subject that can make a statement: a name, a pronoun, a speaker role or a statement."""
    head = subj
    if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or head.pos_ == "PROPN":
        return True
    low = _role_word(head)
    if head.pos_ == "PRON":
        return low not in ("this", "that", "which", "what", "these", "those")
    # "Twenty-four percent said", "half of the voters told", "four in 10 say"
    if low in _SHARE_WORDS or head.like_num or head.pos_ == "NUM":
        return True
    if low in _PERSON_ROLES or low in _ORG_ROLES or low in _STATEMENT_NOUNS or low in _SPEAKER_NOUNS:
        return True
    return any(t.ent_type_ in ("PERSON", "ORG") for t in head.subtree if t.dep_ in ("poss", "compound"))


def _starts_sentence(text: str, i: int) -> bool:
    before = text[max(0, i - 3) : i].rstrip()
    return not before or before[-1] in ".?!\n"


def _intro_cue(view: _DocView, a: int, broad: bool) -> Any | None:
    """'The ministry said in a statement:' in the sentence before a quotation."""
    si = view.sent_of[a]
    lo = view.sents[si][0]
    # the sentence holding the quote's first mark may start with the mark itself
    tokens = range(lo, a) if lo < a else range(view.sents[si - 1][0], view.sents[si - 1][1]) if si > 0 else range(0)
    toks = [view.sp[i] for i in tokens]
    while toks and (toks[-1].is_space or toks[-1].text == "\n"):
        toks.pop()
    if not toks or toks[-1].text != ":":
        return None
    for t in reversed(toks):
        if not view.in_quote[t.i] and _is_cue(t, broad):
            return t
    return None


def _intro_speaker(view: _DocView, a: int) -> Any | None:
    """'The harbour master explains why. "We had no choice ..."': a quotation that opens a sentence
    right after a sentence of the same paragraph whose main verb is a speech verb."""
    si = view.sent_of[a]
    lo = view.sents[si][0]
    sp = view.sp
    if any(not (sp[i].is_space or sp[i].is_punct) for i in range(lo, a)) or si == 0:
        return None
    p_lo, p_hi = view.sents[si - 1]
    if any("\n" in sp[i].text_with_ws for i in range(p_lo, p_hi)):
        return None
    for t in sp[p_lo:p_hi]:
        if t.dep_ == "ROOT" and not view.in_quote[t.i] and _is_cue(t, False):
            subj = _subject(t)
            if subj is not None and not view.in_quote[subj.i] and _can_speak(subj):
                return subj
    return None


def _span(doc_id: str, text: str, se: tuple[int, int]) -> Span:
    return Span(doc=doc_id, start=se[0], end=se[1], text=text[se[0] : se[1]])


def extract_quotes(ann: ParsedDoc) -> list[Quote]:
    """Quotes in one document, speaker text resolved within the document."""
    doc = ann.doc
    text = doc.text
    quotes: list[Quote] = []
    seen: set[str] = set()
    for attr in extract_attributions(ann):
        qid = quote_id(doc.id, attr.start, attr.end)
        if qid in seen:
            continue
        seen.add(qid)
        speaker_span = _span(doc.id, text, attr.speaker) if attr.speaker else None
        quotes.append(
            Quote(
                id=qid,
                span=_span(doc.id, text, (attr.start, attr.end)),
                speaker_text=speaker_span.text if speaker_span else None,
                speaker_span=speaker_span,
                cue=_span(doc.id, text, attr.cue) if attr.cue else None,
                direct=attr.direct,
            )
        )
    return quotes
