"""Neutral story titles, built from what the outlets agree on.

One outlet's headline is its framing ("Is It A Threat To Global Security?"), and a list
of entity names says nothing. A story with a corroborated claim is titled by the
plainest wording of its best-corroborated claim (most independent sources, then the
one stated earliest in the articles), shortened to a headline; attribution tails and
datelines go. Otherwise the title is the earliest headline (one document, or no
agreement to build on), else the first self-contained claim of the earliest report.
"""

from __future__ import annotations

import re

from storylens.models import Analysis, Claim, Document, Span, headline_end
from storylens.storify.briefing import (
    _compress,
    direct_quotes_by_doc,
    inside_quotation,
    leans_on_previous,
    loadedness,
)

__all__ = ["HEADLINE_WORDS", "headline", "neutral_titles"]

HEADLINE_WORDS = 14
_ATTRIBUTION_TAIL = re.compile(
    r",?\s+(?:according to|as reported by)\s+[^,;]{1,60}[.!]?$"
    r"|,\s+[^,;]{1,60}?\b(?:said|says|reported|reports|announced|told|confirmed|added|stated)\b[^,;]{0,40}[.!]?$",
    re.IGNORECASE)
#: an attribution that opens the sentence ("According to a police report, …", "Citing two
#: officials, …"): a title states what happened, the sources are in the briefing
_ATTRIBUTION_LEAD = re.compile(r"^(?:according to|as reported by|citing)\s+[^,;]{1,60},\s+", re.IGNORECASE)
#: where a long sentence may be cut to a headline; not before "who" or "which", whose clause
#: often sits inside the subject ("A pilot who … was honoured" would become "A pilot")
_BREAK = re.compile(r"[,;:]\s+|\s+[-–—]\s+|\s+(?:after|while|as|because|amid|following)\s+")


#: a sentence that opens with one of these words opens with an adverbial clause or phrase ("If
#: the talks fail, …", "Even so, …"): the comma that closes it is no place to end a headline
_OPENER = re.compile(
    r"^(?:if|when|whenever|even|although|though|while|as|after|before|because|since|unless|until|once|"
    r"despite|with|without|in|on|at|for|during|following|amid|given|having|by|from|under|over|like|"
    r"unlike|whether|to|instead|rather)\b", re.IGNORECASE)
#: what follows a comma when it opened an apposition whose verb comes after it ("The mayor, a
#: former judge, has resigned")
_APPOSITION_END = re.compile(
    r"^[^,;]{1,80},\s+(?:has|have|had|is|are|was|were|will|would|can|could|may|might|should|must|did|does|do"
    r"|said|says)\b", re.IGNORECASE)
#: a comma before these continues the clause (a relative or an example inside the subject:
#: "Several members of the committee, which …, said")
_CONTINUES = re.compile(r"^(?:which|who|whom|whose|including|such as|and|or|nor)\b", re.IGNORECASE)


def _clause_cut(text: str, brk: re.Match[str]) -> bool:
    """Whether ending a headline at ``brk`` keeps a whole clause: not the adverbial that opens the
    sentence ("If the talks fail"), not a subject with its apposition ("The mayor, a former
    judge") or the middle of a list ("the sale, supply and import"), not before a relative."""
    kept, rest = text[: brk.start()], text[brk.end() :]
    aside = rest.split(",", 1)[0]
    if brk.group().strip() == "," and (_CONTINUES.match(rest) or _APPOSITION_END.match(rest) or (
            len(aside.split()) <= 2 < len(rest.split()) and aside[:1].islower())):
        # a relative or a list goes on, a parenthesis opens (", initially, that …"), or an
        # apposition whose verb comes after it (", the port's director, has resigned")
        return False
    opener = _OPENER.match(kept)
    if opener and len(kept.partition(",")[2].split()) < 3:
        # the break closes the opening adverbial, or a "however" right after it: no main clause
        return False
    commas = kept.count(",") - (1 if opener else 0)
    # a comma inside what is kept (beyond the one closing an opener) means the break may close
    # an apposition or a parenthesis, or fall in a list: the kept words need not be a clause
    return commas == 0


def headline(sentence: str, limit: int = HEADLINE_WORDS) -> str:
    """A sentence cut to a headline: no attribution at its end or start, no final stop, at most ``limit``
    words (cut at a clause boundary when one falls after the sixth word)."""
    text = " ".join(sentence.split())
    untailed = _ATTRIBUTION_TAIL.sub("", text).rstrip(" .;:,")
    # what is left must still say something: "Last week, Ana told Tom that he lied" has no tail
    text = untailed if len(untailed.split()) >= 4 else text.rstrip(" .;:,")
    lead = _ATTRIBUTION_LEAD.match(text)
    if lead and len(text) - lead.end() > 20:
        text = text[lead.end()].upper() + text[lead.end() + 1 :]
    words = text.split()
    if len(words) <= limit:
        return text
    for m in _BREAK.finditer(text):
        if 6 <= len(text[: m.start()].split()) <= limit and _clause_cut(text, m):
            return text[: m.start()].rstrip(" ,;:")
    return " ".join(words[:limit]).rstrip(" ,;:") + "…"


def _position(docs: dict[str, Document], span: Span) -> float:
    doc = docs.get(span.doc)
    return span.start / max(1, len(doc.text)) if doc else 1.0


#: a person named only by a pronoun ("When he left, he was beaming"): who it is was said before
#: (a possessive is left alone: "A man tossed his brother" names its man)
_PERSON_PRONOUN = re.compile(r"\b(?:he|she|him)\b", re.IGNORECASE)
_NAME_WORD = re.compile(r"(?:^|(?<=\s))[A-Z][\w'.-]*")
#: capitalised first words that are no name
_NON_NAME_OPENERS = frozenset({"the", "a", "an", "when", "if", "as", "after", "before", "while", "although", "though",
                      "because", "in", "on", "at", "for", "with", "once", "since", "until", "but", "and", "so",
                      "then", "now", "this", "that", "what", "why", "how", "he", "she", "him"})


#: a group named only by its number ("The pair teamed up with …", "The two were arrested"): who
#: they are was said before
_COUNTED_GROUP = re.compile(
    r"^(?:the|both)\s+(?:(?:pair|couple|duo|trio)\b(?!\s+of\b)"
    r"|(?:two|three|four)\s+(?:were|are|was|is|have|had|will|would|said|told|also|then)\b)", re.IGNORECASE)


def _unnamed_person(text: str) -> bool:
    """Whether a "he", "she" or "him" comes before any name in ``text`` (a capitalised word that
    is not the sentence's opening function word)."""
    pronoun = _PERSON_PRONOUN.search(text)
    if pronoun is None:
        return False
    names = [m for m in _NAME_WORD.finditer(text) if m.start() or m.group().lower() not in _NON_NAME_OPENERS]
    return not names or pronoun.start() < names[0].start()


def _standalone(doc: Document, span: Span, quoted: dict[str, list[Span]]) -> str | None:
    """The sentence at ``span`` shortened (``_compress``), when it stands alone as a title: it
    leans on no sentence before it, names the person or group it speaks of ("he", "the pair"), lies
    inside no quotation and opens no quotation it leaves open."""
    text, _ = _compress(span)
    if leans_on_previous(text) or _unnamed_person(text) or _COUNTED_GROUP.match(text) or inside_quotation(doc, span, quoted.get(doc.id, ())) \
            or text.count('"') % 2:
        return None
    return text


def _best_wording(claim: Claim, docs: dict[str, Document], quoted: dict[str, list[Span]]) -> str | None:
    """The plainest self-contained wording of ``claim`` in a report; an outlet's own headline
    (its framing, in title case) only when no sentence of a body states the claim."""
    options = []
    for span in claim.support:
        doc = docs.get(span.doc)
        if doc is None or doc.genre == "opinion":
            continue
        text = _standalone(doc, span, quoted)
        if text is None:
            continue
        is_headline = span.start < headline_end(doc)
        options.append((is_headline, loadedness(text) + 0.02 * len(text.split()), text))
    return min(options)[2] if options else None


def _lead_sentence(story_docs: list[Document], claims: list[Claim], quoted: dict[str, list[Span]]) -> str | None:
    """The first self-contained sentence of the story's earliest report that states a claim,
    cut to a headline (for a story whose documents have no headline to fall back on)."""
    reports = [d for d in story_docs if d.genre != "opinion"] or story_docs
    reports = sorted(reports, key=lambda d: d.published or "9999")  # stable: the story's order
    for doc in reports[:3]:
        body = headline_end(doc)
        starts = sorted({(s.start, s.end): s for c in claims for s in c.support
                         if s.doc == doc.id and s.start >= body}.values(), key=lambda s: s.start)
        for span in starts[:3]:
            text = _standalone(doc, span, quoted)
            if text is not None and len(text.split()) >= 4:
                return headline(text)
    return None


def neutral_titles(analysis: Analysis) -> None:
    """Set each story's ``label`` (in place)."""
    docs = {d.id: d for d in analysis.documents}
    quoted = direct_quotes_by_doc(analysis)
    by_story: dict[str, list[Claim]] = {}
    for c in analysis.claims:
        if c.story:
            by_story.setdefault(c.story, []).append(c)
    for story in analysis.stories:
        corroborated = [c for c in by_story.get(story.id, []) if c.status == "corroborated" and c.support]
        corroborated.sort(key=lambda c: (-c.independent_sources,
                                         min(_position(docs, s) for s in c.support), len(c.text)))
        for claim in corroborated[:8]:
            wording = _best_wording(claim, docs, quoted)
            if wording and len(wording.split()) >= 4:
                story.label = headline(wording)
                break
        else:
            members = [docs[d] for d in story.docs if d in docs]
            if not any(d.title for d in members):
                # no agreement and no headline: the story split named it by its entities
                # ("Ana Reyes, Norland, Vell"), which says nothing of what happened
                story.label = _lead_sentence(members, by_story.get(story.id, []), quoted) or story.label
