"""Quote matching across outlets: also_in and misattribution (see issue 5).

* ``speaker``: the canonical entity of the quote's ``speaker_span`` (the
  cross-document mention index), else of a mention overlapping it, else of an
  entity whose name or alias is exactly the speaker text.
* ``also_in``: quotes in *other* documents that carry the same utterance.
  Texts are normalised (case, quote marks, punctuation, ellipses) and compared
  with rapidfuzz: ``partial_ratio`` catches a quote one outlet truncated or
  embedded in a longer passage, ``token_set_ratio``/``ratio`` catch light
  rewording. A paraphrase or re-translation that shares few words is accepted
  on MiniLM cosine, and only when the speakers are not known to differ.
  Candidate pairs come from an inverted index of content words, so the
  comparison is not all-pairs.
* ``misattribution``: quotes in other documents with the *same words*
  (lexical match, not paraphrase) given to a different speaker entity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from storylens.link.polities import polity
from storylens.models import Entity, Quote
from storylens.records import MentionIndex
from storylens.wordlists import DENYING_FORMS, NAMING_FORMS, NEGATORS, NUMBER_WORDS

__all__ = [
    "MatchSettings", "is_statement", "lexical_score", "mark_statements", "match_quotes", "normalise_quote",
    "resolve_speakers",
]

_STOP = frozenset({
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that",
    "these", "those", "we", "our", "us", "i", "me", "my", "you", "your", "he", "him", "his", "she",
    "her", "they", "them", "their", "there", "here", "will", "would", "shall", "should", "can",
    "could", "may", "might", "must", "do", "does", "did", "not", "no", "nor", "so", "than", "then",
    "too", "very", "have", "has", "had", "what", "which", "who", "whom", "whose", "when", "where",
    "why", "how", "all", "any", "each", "every", "some", "such", "only", "own", "same", "just",
    "about", "into", "over", "after", "before", "again", "further", "once", "also", "up", "down",
    "out", "off", "more", "most", "other", "one", "ones",
})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ELLIPSIS = re.compile(r"\.\.\.+|…|\[\s*\.\.\.\s*\]")
_LEAD = re.compile(r"^(?:that|whether|if)\s+")
_FRAGMENT_SPLIT = re.compile(r"\.\.\.+|…|\[\s*\.\.\.\s*\]|\"\s*[,;]?\s*\"")


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds, tuned on the dev half of benchmarks/data/quote_pairs.jsonl."""

    #: partial_ratio of the shorter text inside the longer one (truncation, embedding)
    partial: float = 90.0
    #: the shorter text must have this many words (and two content words) to match at all:
    #: two outlets both writing "arms transfers" is not the same utterance
    partial_min_words: int = 4
    #: token_sort_ratio for light rewording and reordering
    token_sort: float = 85.0
    #: MiniLM cosine for paraphrase and re-translation (speakers must not differ)
    cosine: float = 0.80
    #: MiniLM cosine between the words only one side has, for a substitution to count as a synonym
    synonym: float = 0.55
    #: use embeddings at all
    embeddings: bool = True
    #: a content word in more quotes than this is not used for blocking
    max_posting: int = 500


#: number words as digits, so "two" and "2" match
_NUMBER_WORDS = {k: str(v) for k, v in NUMBER_WORDS.items() if v and not k.endswith("s")}


def normalise_quote(text: str) -> str:
    """Lower case, no quote marks, punctuation or ellipses, single spaces, small numbers as digits."""
    t = _ELLIPSIS.sub(" ", text.lower())
    t = t.replace("won't", "will not").replace("can't", "can not").replace("shan't", "shall not")
    t = t.replace("'s ", " ").replace("n't", " not").replace("no one", "nobody").replace("cannot", "can not")
    words = [_NUMBER_WORDS.get(w, w) for w in _TOKEN.findall(t.replace('"', " "))]
    return _LEAD.sub("", " ".join(words))


def _stem(w: str) -> str:
    return w[:5] if len(w) > 5 else w.rstrip("s") if len(w) > 3 else w


def _content(norm: str) -> set[str]:
    return {_stem(w) for w in norm.split() if w not in _STOP and w not in NEGATORS and len(w) > 2}


def _numbers(norm: str) -> set[str]:
    return {w for w in norm.split() if w.isdigit()}


def _negations(norm: str) -> int:
    return sum(1 for w in norm.split() if w in NEGATORS)


@dataclass
class _Judge:
    """Pairwise decisions, with one shared embedding cache."""

    settings: MatchSettings
    cache: dict[str, object]

    def vec(self, texts: list[str]) -> list[object]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            from storylens.embed import get_embedder

            for t, v in zip(todo, get_embedder().encode(todo), strict=True):
                self.cache[t] = v
        return [self.cache[t] for t in texts]

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vec([a, b])
        return float(va @ vb)  # type: ignore[operator]

    def lexical(self, a: str, b: str, fragments_a: list[str] | None = None,
                fragments_b: list[str] | None = None, fragment: bool = False) -> bool:
        """The same words, allowing truncation, reordering and synonym swaps.

        A quote printed as fragments ("...not for trucks ... until the
        inspectors finish") matches when every fragment is found in the other.
        """
        for frags, other in ((fragments_a, b), (fragments_b, a)):
            if (frags and len(frags) > 1 and len(other) > max(len(f) for f in frags)
                    and sum(len(f.split()) for f in frags) >= self.settings.partial_min_words
                    and all(self.lexical(f, other, fragment=True) for f in frags)):
                return True
        s = self.settings
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        n_short = len(short.split())
        if fragment:
            if n_short < 2:
                return False
        elif n_short < s.partial_min_words or len(_content(short)) < 2:
            return False
        window = tight = long_
        ok = False
        if n_short >= s.partial_min_words or fragment:
            al = fuzz.partial_ratio_alignment(short, long_)
            if al is not None and al.score >= s.partial:
                ok = True
                # the aligned stretch, widened by what the alignment left out, to whole words
                if len(short) < 0.7 * len(long_):
                    window = _words_around(long_, al.dest_start, al.dest_end,
                                           max(0, len(short) - (al.dest_end - al.dest_start)) + 8)
                    tight = _words_around(long_, al.dest_start, al.dest_end, 0)
        if not ok and fuzz.token_sort_ratio(a, b) >= s.token_sort:
            ok = True
        if not ok:
            return False
        return self.same_details(short, window, tight)

    def same_details(self, short: str, window: str, tight: str) -> bool:
        """Polarity and numbers of ``short`` agree with the aligned words ``tight``;
        its content words are found in ``window`` (or swapped for synonyms)."""
        if _negations(short) != _negations(tight):
            return False
        if _numbers(short) - _numbers(window):
            return False
        missing = _content(short) - _content(window)
        if not missing:
            return True
        if not self.settings.embeddings:
            return False
        extra = _content(window) - _content(short)
        if not extra or len(missing) > 2:
            return False
        words_a = " ".join(w for w in short.split() if _stem(w) in missing)
        words_b = " ".join(w for w in window.split() if _stem(w) in extra)
        return self.cosine(words_a, words_b) >= self.settings.synonym

    def may_paraphrase(self, a: str, b: str) -> bool:
        """The cheap tests a paraphrase must pass before the embeddings are asked."""
        if not self.settings.embeddings or _numbers(a) != _numbers(b):
            return False
        # near-identical wording with a changed detail is another utterance
        return fuzz.token_sort_ratio(a, b) < self.settings.token_sort


def lexical_score(a: str, b: str, settings: MatchSettings | None = None) -> bool:
    """Do two normalised quote texts carry the same words (truncated, reordered)?"""
    return _Judge(settings or MatchSettings(), {}).lexical(a, b)


def resolve_speakers(quotes: list[Quote], entities: list[Entity], index: MentionIndex) -> None:
    """Fill ``Quote.speaker`` with canonical entity ids."""
    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for (doc, start, end), ent in index.items():
        by_doc[doc].append((start, end, ent))
    by_name: dict[str, set[str]] = defaultdict(set)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        if e.type not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        for name in [e.name, *e.aliases]:
            by_name[name.lower()].add(e.id)
        if e.type == "PERSON" and len(e.name.split()) >= 2:
            by_surname[e.name.split()[-1].lower()].add(e.id)
    for q in quotes:
        sp = q.speaker_span
        if sp is None:
            continue
        eid: str | None = index.get((sp.doc, sp.start, sp.end))
        inside = {ent for start, end, ent in by_doc.get(sp.doc, ()) if sp.start <= start and end <= sp.end}
        if eid is None and len(inside) > 1:
            q.speaker = None  # "Valdoria and Ostmark": several speakers, no one entity
            continue
        if eid is None:
            # a mention that is most of the speaker's words ("The Harbour Authority"), not a
            # modifier of another speaker ("San Diego" in "10News in San Diego")
            best = int(0.6 * (sp.end - sp.start)) - 1
            for start, end, cand in by_doc.get(sp.doc, ()):
                overlap = min(end, sp.end) - max(start, sp.start)
                if overlap > best:
                    best, eid = overlap, cand
        if eid is None and q.speaker_text:
            # a name the recogniser missed in this document but found elsewhere
            key = q.speaker_text.lower()
            ids = by_name.get(key, set())
            if not ids and " " not in key and q.speaker_text[:1].isupper():
                ids = by_surname.get(key, set())
            if len(ids) == 1:
                eid = next(iter(ids))
        q.speaker = eid


def match_quotes(
    quotes: list[Quote],
    entities: list[Entity],
    mention_index: MentionIndex,
    settings: MatchSettings | None = None,
    blocks: dict[str, str] | None = None,
) -> None:
    """Fill ``speaker`` (entity id), ``also_in`` and ``misattribution`` in place.

    ``blocks``: document id → its story; quotes are matched only within one block (a
    document outside every block is a block of its own). Without it, across the batch.
    """
    s = settings or MatchSettings()
    resolve_speakers(quotes, entities, mention_index)
    parties = _parties(entities)
    norms = [normalise_quote(_said(q)) for q in quotes]
    #: reported speech under a denying or negated cue: a paraphrase must be one too
    turned = [not q.direct and q.cue is not None and bool(_TURNING_CUE.search(q.cue.text)) for q in quotes]
    contents = [_content(n) for n in norms]
    fragments = [_fragments(q.span.text) for q in quotes]

    # blocking: quotes sharing content words, from different documents
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, words in enumerate(contents):
        doc = quotes[i].span.doc
        block = blocks.get(doc, doc) if blocks is not None else ""
        for w in words:
            postings[(block, w)].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for ids in postings.values():
        if len(ids) > s.max_posting:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                i, j = ids[x], ids[y]
                if quotes[i].span.doc != quotes[j].span.doc:
                    shared[(i, j)] += 1

    judge = _Judge(s, {})
    lexical: list[tuple[int, int]] = []
    maybe_paraphrase: list[tuple[int, int]] = []
    def may_be_lexical(i: int, j: int) -> bool:
        # a necessary condition of ``_Judge.lexical``, cheap to test: without fragments, the
        # shorter text misses at most two content words of the longer one (``same_details``)
        if len(fragments[i]) > 1 or len(fragments[j]) > 1:
            return True
        short, long_ = (i, j) if len(norms[i]) <= len(norms[j]) else (j, i)
        return len(contents[short] - contents[long_]) <= 2

    for (i, j), n_shared in sorted(shared.items()):
        if may_be_lexical(i, j) and judge.lexical(norms[i], norms[j], fragments[i], fragments[j]):
            lexical.append((i, j))
        elif (
            _speakers_compatible(quotes[i], quotes[j], parties)
            and turned[i] == turned[j]
            and min(len(contents[i]), len(contents[j])) >= 2
            and min(len(norms[i].split()), len(norms[j].split())) >= s.partial_min_words
            # one shared word is enough only when the same speaker is known on both sides
            and (n_shared >= 2 or (quotes[i].speaker is not None and quotes[i].speaker == quotes[j].speaker))
            and judge.may_paraphrase(norms[i], norms[j])
        ):
            maybe_paraphrase.append((i, j))
    judge.vec([norms[k] for pair in maybe_paraphrase for k in pair])  # one batch for all candidates
    paraphrase = [(i, j) for i, j in maybe_paraphrase if judge.cosine(norms[i], norms[j]) >= s.cosine]

    also: dict[int, set[str]] = defaultdict(set)
    wrong: dict[int, set[str]] = defaultdict(set)
    for i, j in lexical + paraphrase:
        also[i].add(quotes[j].id)
        also[j].add(quotes[i].id)
    for i, j in lexical:
        a, b = quotes[i].speaker, quotes[j].speaker
        if a and b and parties.get(a, a) != parties.get(b, b):
            wrong[i].add(quotes[j].id)
            wrong[j].add(quotes[i].id)
    for k, q in enumerate(quotes):
        q.also_in = sorted(also.get(k, set()))
        q.misattribution = sorted(wrong.get(k, set()))


def _words_around(text: str, start: int, end: int, slack: int) -> str:
    """``text[start:end]`` widened by ``slack`` characters, then to whole words."""
    lo = text.rfind(" ", 0, max(0, start - slack)) + 1 if start - slack > 0 else 0
    hi = text.find(" ", min(len(text), max(start, end + slack - 1)))
    return text[lo : len(text) if hi < 0 else hi]


def _fragments(text: str) -> list[str]:
    """Pieces of a quote printed with ellipses or as several quoted fragments."""
    parts = [normalise_quote(p) for p in _FRAGMENT_SPLIT.split(text)]
    return [p for p in parts if len(p.split()) >= 2]


def _speakers_compatible(a: Quote, b: Quote, parties: dict[str, str] | None = None) -> bool:
    """Not known to be different speakers (a paraphrase needs the same or an unknown speaker)."""
    if a.speaker and b.speaker:
        parties = parties or {}
        return parties.get(a.speaker, a.speaker) == parties.get(b.speaker, b.speaker)
    return True


def _parties(entities: list[Entity]) -> dict[str, str]:
    """Entity id → the state it speaks for, when it names one: a government speaks as its
    country, its capital or its seat ("Moscow said", "the Kremlin said", "Russia said")."""
    out: dict[str, str] = {}
    for e in entities:
        if e.type in ("GPE", "ORG", "FAC", "NORP", "LOC"):
            names = [e.name, *e.aliases]
            found = next((p for n in names if (p := polity(n, e.type))), None)
            if found is None and e.type == "ORG":
                # a capital or country the recogniser tagged as an organisation ("Oslo said")
                found = next((p for n in names if " " not in n.strip() and (p := polity(n, "GPE"))), None)
            if found:
                out[e.id] = found
    return out


#: a cue that turns its content around: the content without it is not what was said
_TURNING_CUE = re.compile(r"\b(?:den|reject|dismiss|refut|disput|rebut|contest|disavow|repudiat|disown|"
                         r"contradict|doubt|question)|\bnot\b|n't|\bnever\b", re.I)


def _said(q: Quote) -> str:
    """The words a quote carries, for matching: a reported quote that starts at its cue
    ("urged Brindle to withdraw") is matched on what follows the cue, negated when the cue
    denies or negates it ("denied that ..." is another utterance than "...")."""
    cue = q.cue
    if q.direct or cue is None or not (cue.start <= q.span.start < cue.end):
        return q.span.text
    rest = q.span.text[cue.end - q.span.start :]
    if not rest.strip():
        return q.span.text
    # a denial is the negation of what it denies: it matches "we never crossed", not "we crossed"
    return "not " + rest if _TURNING_CUE.search(cue.text) else rest


#: a quotation shorter than this says nothing on its own ("the summit", "such allegations")
#: unless it is a complete statement (``is_statement``)
BOARD_MIN_WORDS = 4
#: reported speech shorter than this is a topic, not what was said ("arms transfers"),
#: unless it is a complete statement
BOARD_MIN_REPORTED_WORDS = 6
#: a short clause of reported speech with at least this many words is a statement ("it was not involved")
BOARD_MIN_CLAUSE_WORDS = 3

#: the end of a whole utterance quoted directly: sentence punctuation inside the closing mark
_UTTERANCE_END = re.compile(r"[.!?,]\s*[\"”’']\s*$")


def is_statement(q: Quote) -> bool:
    """Whether a short quote is a complete statement a reader can take from the board:

    - a denial or a refusal, reported from its verb ("denied the report", "declined to
      comment", "would not comment");
    - reported speech that is a clause of its own ("it was not involved", "no one else was
      hurt"), not the topic of a cue ("the summit");
    - a whole utterance quoted directly ('"Not true."', '"We did nothing wrong,"'), not a
      phrase in quotation marks inside the outlet's sentence ('called it "a farce"').
    """
    words = re.findall(r"\w+", q.span.text)
    if len(words) >= (BOARD_MIN_WORDS if q.direct else BOARD_MIN_REPORTED_WORDS):
        return True
    if not words or q.cue is None:
        return False
    cue_words = re.findall(r"[a-z']+", q.cue.text.lower())
    refusal = any(w in DENYING_FORMS for w in cue_words) or any(w in NEGATORS or w.endswith("n't") for w in cue_words)
    if q.direct:
        # a title or a name in quotation marks ('"Revolutionary Road,"') is no utterance
        title = all(w[:1].isupper() for w in words if len(w) > 3)
        return len(words) >= BOARD_MIN_CLAUSE_WORDS and bool(_UTTERANCE_END.search(q.span.text)) and not title \
            and not any(w in NAMING_FORMS for w in cue_words)
    if q.cue.start < q.span.end and q.span.start < q.cue.end:  # told from its verb: "denied the report"
        return refusal and len(words) >= 2
    # the clause under a cue; a colon ("Obama Announces: Nominee ...") and "per" (a rate) head no clause
    return len(words) >= BOARD_MIN_CLAUSE_WORDS and cue_words not in ([], ["per"])


def mark_statements(quotes: list[Quote]) -> None:
    """Set ``statement`` on every quote (in place)."""
    for q in quotes:
        q.statement = is_statement(q)
