"""Rules shared by the Markdown and HTML reports, so the two never disagree: the
corroboration-matrix cell, which quotes the quote board shows, and who their speaker is."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from storylens.models import Analysis, Quote, Span
from storylens.wordlists import DENYING_FORMS, NAMING_FORMS, NEGATORS

#: the outlet states the claim / states it with a detail another outlet contradicts / both
STATES = "✓"
DISPUTES = "≠"


def disputed_spans(analysis: Analysis) -> dict[str, dict[str, list[Span]]]:
    """claim id -> document -> its sentences that a contradiction about the claim names."""
    out: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for x in analysis.contradictions:
        if x.claim:
            out[x.claim][x.a.doc].append(x.a)
            out[x.claim][x.b.doc].append(x.b)
    return out


def cell_mark(states: bool, disputed: bool) -> str:
    """"✓", "≠", "✓≠" or "" (not stated)."""
    return (STATES if states else "") + (DISPUTES if disputed else "")


#: a quotation shorter than this says nothing on its own ("the summit", "such allegations")
#: unless it is a complete statement (``says_something``)
BOARD_MIN_WORDS = 4
#: reported speech shorter than this is a topic, not what was said ("arms transfers"),
#: unless it is a complete statement
BOARD_MIN_REPORTED_WORDS = 6
#: a short clause of reported speech with at least this many words is a statement ("it was not involved")
BOARD_MIN_CLAUSE_WORDS = 3

#: the end of a whole utterance quoted directly: sentence punctuation inside the closing mark
_UTTERANCE_END = re.compile(r"[.!?,]\s*[\"”’']\s*$")


def says_something(q: Quote) -> bool:
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


def board_quotes(quotes: list[Quote]) -> list[Quote]:
    """The quotes a quote board shows: what someone said, not a scare-quoted phrase or the
    topic of a denial, whose speaker and meaning a reader could not check from the board."""
    return [q for q in quotes if says_something(q)]


def speaker_of(q: Quote, names: Mapping[str, str]) -> tuple[str, str]:
    """(key, name) of a quote's speaker on the quote board: its canonical entity; else its
    words as the outlet wrote them, compared without case, a joint speaker without the order
    of its parts ("Moscow and Pyongyang" is "Pyongyang and Moscow"); ("", "") for nobody."""
    if q.speaker and q.speaker in names:
        return q.speaker, names[q.speaker]
    text = " ".join((q.speaker_text or "").split())
    if not text:
        return "", ""
    parts = sorted(p for p in re.split(r"\s*(?:,|&|\band\b)\s*", text.lower()) if p)
    return "t:" + " & ".join(parts), text
