"""The briefing's verifier: a sentence may state only what its citations state.

``check_sentence``: every number, capitalised name, date or weekday word and
negation in a sentence must occur in the text of its cited spans (and quotations
must be verbatim); a negation word may occur no more often than in the cited
sentence closest to it. Every briefing sentence, extractive or rewritten by the
optional LLM, goes through it; a sentence that fails is dropped.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from storylens.models import Document, Span, doc_label
from storylens.wordlists import MONTH_NAMES, NEGATORS, NUMBER_WORDS, STOP_WORDS, TITLES, WEEKDAYS

__all__ = [
    "check_sentence", "checkable_terms", "CONTRADICTION_FRAME", "OPINION_FRAME", "SINGLE_SOURCE_AFTER_FRAME",
    "SINGLE_SOURCE_FRAME",
]

#: "Only <outlet> reports: …" for what one source alone says; "Only <outlet> gives these
#: details: …" for an event other outlets report too, in a wording whose details (a number,
#: a day) no other outlet gives
SINGLE_SOURCE_FRAME = re.compile(r"^Only (?P<outlet>.+?) (?P<verb>reports|gives these details): (?P<body>.+)$", re.S)
#: the words of an opinion piece, as that piece's (an opinion piece is no witness of a fact)
OPINION_FRAME = re.compile(r"^In an opinion piece, (?P<outlet>.+?) writes: (?P<body>.+)$", re.S)
#: a single-source sentence that leans on a sentence other sources also state: that
#: sentence first, as the fact it is, then what one outlet alone goes on to say
SINGLE_SOURCE_AFTER_FRAME = re.compile(
    r"^(?P<lead>.+?[.!?][\"”’)]?) Only (?P<outlet>.+?) adds: (?P<body>.+)$", re.S
)
CONTRADICTION_FRAME = re.compile(
    r'^Outlets differ on (?P<kinds>[a-z]+(?:(?:, | and )[a-z]+)*): (?P<a>.+?) says "(?P<qa>.+?)", '
    r'(?P<b>.+?) says "(?P<qb>.+)"\.$',
    re.S,
)
_KINDS = {"number", "date", "actor", "negation", "attribute", "other"}

_NUMBER_WORDS = NUMBER_WORDS
_WEEKDAYS = set(WEEKDAYS)
_MONTHS = set(MONTH_NAMES)
_DATE_WORDS = _WEEKDAYS | {
    "today", "yesterday", "tomorrow", "tonight", "overnight", "morning", "afternoon", "evening",
    "night", "midnight", "noon", "midday", "dawn", "dusk", "weekend", "am", "pm",
}
#: a rewrite must keep these: the negators, and "without"
_NEGATIONS = (NEGATORS - {"n't"}) | {"without"}
_DETERMINERS = {"the", "a", "an"}
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")
_DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")
_PRONOUN_START = re.compile(
    r"^(?:He|She|It|They|This|That|These|Those|His|Her|Its|Their|We|I|There)\b(?!\s+[A-Z])"
)
#: "PORT KESSEL (Agency) - ", also run into the sentence with a double hyphen or a dash ("VELL--The
#: ferry", "VELL—The ferry")
_DATELINE = re.compile(
    r"^[A-Z][A-Z0-9 .,'’&/-]{1,40}?(?:\s*\([^()\n]{1,40}\))?(?:\s*[-–—:]\s+(?=\S)|\s*(?:--|—|–)\s*(?=[A-Z]))")
#: the agency's form with the place in ordinary case, or no place ("Tokyo (CNN) Seven sailors …",
#: "Hong Kong (Reuters) - …", "(CNN) -- The storm …"): the tag in parentheses marks it
_PLACE_AGENCY = re.compile(
    r"^(?:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3}(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?\s*)?"
    r"\((?:[A-Z]{2,8}|CNN(?:\s+[A-Z][a-z]+)?|Reuters|Xinhua|Bloomberg)\)\s*(?:(?:--|[-–—:])\s*)?(?=[\"“A-Z])")
_PAREN_TAG = re.compile(r"\s*\([A-Z0-9][\w.&'’-]*(?:\s+[A-Z0-9][\w.&'’-]*){0,3}\)")


_STOP = STOP_WORDS


_CANNOT = re.compile(r"\bcannot\b")
_NOT = re.compile(r"n't\b")
_POSSESSIVE = re.compile(r"(?<=\w)'s?\b")
_AM_PM = re.compile(r"\b([ap])\.\s?m\b\.?")
_WORD_TAIL = re.compile(r"(?:['’]s?|['’.\-])+$")


# a briefing normalises the same sentences and names many times over (each candidate,
# each check): the result depends on the text alone
@functools.lru_cache(maxsize=16384)
def _normalise(text: str) -> str:
    """Lower case, straight apostrophes, "n't"/"cannot" as "not", possessives off, one space."""
    t = text.replace("’", "'").replace("‘", "'").lower()
    t = _CANNOT.sub("can not", t)
    t = _NOT.sub(" not", t)
    t = _POSSESSIVE.sub("", t)
    t = _AM_PM.sub(r"\1m", t)
    return " ".join(t.split())


def _number_list(text: str) -> list[str]:
    """Canonical forms of the numbers in a text (digits and number words), with repeats."""
    return list(_numbers_of(text))


# the briefing reads the numbers of the same cited sentences for every candidate that cites them
@functools.lru_cache(maxsize=16384)
def _numbers_of(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for m in _DIGITS.finditer(text):
        raw = m.group(0)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
            raw = raw.replace(",", "")  # 1,200 or 6,390.5
        for part in raw.split(","):  # a list such as 3,4
            pieces = [p for p in part.replace(":", ".").split(".") if p]
            if pieces:
                out.append(".".join([str(int(pieces[0])), *pieces[1:]]))
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in _NUMBER_WORDS:
            out.append(str(_NUMBER_WORDS[w]))
    return tuple(out)


def _numbers(text: str) -> set[str]:
    return set(_number_list(text))


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in "\"“‘'([:;—–-.!?…"


def _name_runs(text: str) -> list[str]:
    """Runs of capitalised words as written (a name, possibly with its title).

    A sentence-initial stop word ("The", "She") and a leading article are not part of a run.
    """
    runs: list[str] = []
    start = end = -1  # the current run, as offsets into ``text``
    prev_end = -1  # end of the previous word when a name may continue after it
    for m in _WORD.finditer(text):
        raw = m.group(0)
        word = _WORD_TAIL.sub("", raw)
        capital = bool(word) and word[0].isupper()
        if capital and start >= 0 and prev_end >= 0 and not text[prev_end : m.start()].strip():
            end = m.start() + len(word)
        else:
            if start >= 0:
                runs.append(text[start:end])
            start = end = -1
            lower = word.lower()
            skip = lower in _DETERMINERS or (
                _sentence_initial(text, m.start()) and (lower in _STOP or lower in _NUMBER_WORDS)
            )
            if capital and not skip:
                start, end = m.start(), m.start() + len(word)
        # a full stop ends a name unless it closes an abbreviation or an initial ("Dr.", "U.S.", "J.")
        stop = raw.endswith(".") and not (word.lower() in TITLES or "." in word or len(word) == 1)
        if start >= 0 and raw.endswith(".") and not stop:
            end = m.end()
        prev_end = m.end() if start >= 0 and not stop else -1
    if start >= 0:
        runs.append(text[start:end])
    return runs


def checkable_terms(text: str) -> dict[str, set[str]]:
    """What a sentence commits to: numbers, names, date words and negations (normalised)."""
    return {kind: set(values) for kind, values in _terms(text)}


@functools.lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    # cached (a briefing asks again for the sentences it compares), handed out as new sets
    norm = _normalise(text)
    words = set(re.findall(r"[a-z]+", norm))
    return (
        ("numbers", frozenset(_numbers(text))),
        ("names", frozenset(_normalise(r) for r in _name_runs(text))),
        ("dates", frozenset(words & _DATE_WORDS)),
        ("negations", frozenset(words & _NEGATIONS)),
    )


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")


def _word_char(c: str) -> bool:
    """What ``\\w`` matches in a ``str`` pattern: a character ``str.isalnum`` accepts, or "_"."""
    return c.isalnum() or c == "_"


def _contains_phrase(haystack: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``haystack`` with no word character just before or after
    it (what ``_phrase_pattern(phrase).search`` tells), found with ``str.find``: a pattern
    compiled for each of the thousands of names a briefing checks cost more than the checks
    (re's own cache of 512 patterns kept missing)."""
    if not phrase:
        return _phrase_pattern(phrase).search(haystack) is not None
    at, n, end = haystack.find(phrase), len(phrase), len(haystack)
    while at >= 0:
        if (at == 0 or not _word_char(haystack[at - 1])) and (at + n == end or not _word_char(haystack[at + n])):
            return True
        at = haystack.find(phrase, at + 1)
    return False


def _name_supported(name: str, cited: str) -> bool:
    phrase = _normalise(name)
    if _contains_phrase(cited, phrase):
        return True
    # "Minister Varga" for "Transport Minister Ilona Varga": the name without titles must be there
    # as written, and every title word too
    tokens = phrase.split()
    core = [t for t in tokens if t not in TITLES and t.rstrip(".") not in TITLES]
    if not core or len(core) == len(tokens):
        return False
    return _contains_phrase(cited, " ".join(core)) and all(_contains_phrase(cited, t) for t in tokens)


def _supported(body: str, cited_texts: Sequence[str]) -> bool:
    cited = _normalise(" \n ".join(cited_texts))
    cited_words = set(re.findall(r"[a-z]+", cited))
    terms = checkable_terms(body)
    # each number as often as the citations have it ("2.9 and 2.2" is not "9.9 and 2.2")
    available = Counter(n for t in cited_texts for n in _number_list(t))
    if Counter(_number_list(body)) - available:
        return False
    if not (terms["dates"] | terms["negations"]) <= cited_words:
        return False
    # a negation flips what it touches: each sentence of the body has no more of each negation
    # word than the citation it is closest to (another cited sentence's "not" does not license
    # this one's; a body of two sentences, a lead-in and its sequel, is read sentence by sentence)
    for part in _BODY_SENTENCE.split(body):
        closest = _negation_counts(_closest(part, cited_texts))
        for word, n in _negation_counts(part).items():
            if n > closest.get(word, 0):
                return False
    return all(_name_supported(n, cited) for n in terms["names"])


#: where a body of several sentences ("<lead-in> <sequel>") parts
_BODY_SENTENCE = re.compile(
    r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bM[rs]\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.)[\"”’)]?\s+(?=[\"“A-Z0-9])"
)


def _closest(body: str, cited_texts: Sequence[str]) -> str:
    """The cited text sharing the most words with ``body``."""
    words = set(re.findall(r"[a-z]+", _normalise(body)))

    def overlap(text: str) -> float:
        other = set(re.findall(r"[a-z]+", _normalise(text)))
        return len(words & other) / (len(words | other) or 1)

    return max(cited_texts, key=overlap)


def _negation_counts(text: str) -> dict[str, int]:
    return dict(_negations_of(text))


@functools.lru_cache(maxsize=16384)
def _negations_of(text: str) -> tuple[tuple[str, int], ...]:
    out: dict[str, int] = defaultdict(int)
    for w in re.findall(r"[a-z]+", _normalise(text)):
        if w in _NEGATIONS:
            out[w] += 1
    return tuple(out.items())


def _verbatim(quote: str, cited_texts: Sequence[str]) -> bool:
    pieces = [p.strip() for p in re.split(r"…|\.\.\.", quote)]
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(any(p in c for c in cited_texts) for p in pieces)


def _doc_map(documents: Mapping[str, Document] | Iterable[Document]) -> Mapping[str, Document]:
    if isinstance(documents, Mapping):
        return documents
    return {d.id: d for d in documents}


def check_sentence(
    sentence: str, citations: Sequence[Span], documents: Mapping[str, Document] | Iterable[Document]
) -> bool:
    """True when ``sentence`` states nothing its ``citations`` do not support.

    The citations must be valid spans of ``documents``. Every number, capitalised
    name, date/weekday word and negation in the sentence must occur in the cited
    text. In the frames "Only <outlet> reports: …" (or "gives these details: …"), "<fact> Only <outlet> adds: …",
    "In an opinion piece, <outlet> writes: …" and "Outlets differ on <kind>:
    <A> says "…", <B> says "…"." the outlet names are not looked up in the text
    but must name a cited document, and quotations must be verbatim.
    """
    docs = _doc_map(documents)
    if not citations or not sentence.strip():
        return False
    for span in citations:
        doc = docs.get(span.doc)
        if doc is None or span.end <= span.start or doc.text[span.start : span.end] != span.text:
            return False
    cited_texts = [s.text for s in citations]
    labels = {doc_label(docs[s.doc]) for s in citations}
    m = CONTRADICTION_FRAME.match(sentence)
    if m:
        kinds = set(re.split(r", | and ", m.group("kinds")))
        if not kinds <= _KINDS or m.group("a") not in labels or m.group("b") not in labels:
            return False
        return all(
            _verbatim(q, cited_texts) and _supported(q, cited_texts) for q in (m.group("qa"), m.group("qb"))
        )
    m = SINGLE_SOURCE_FRAME.match(sentence) or OPINION_FRAME.match(sentence)
    if m:
        if m.group("outlet") not in labels:
            return False
        return _supported(m.group("body"), cited_texts)
    m = SINGLE_SOURCE_AFTER_FRAME.match(sentence)
    if m and m.group("outlet") in labels:
        return _supported(f"{m.group('lead')} {m.group('body')}", cited_texts)
    return _supported(sentence, cited_texts)


def _negation_count(text: str) -> int:
    return sum(1 for w in re.findall(r"[a-z]+", _normalise(text)) if w in _NEGATIONS)
