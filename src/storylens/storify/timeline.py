"""Per-story timeline: dated claims in the order of the days they happened on.

An entry is a claim whose sentence dates what it states (the time attached to its
predicate, not the day it was said) to a year, month or day, with the claim's
supporting spans, so every line of a timeline can be checked against the articles.
ISO values sort in calendar order, a month before its days.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from storylens.models import Claim, Contradiction, Span, Story, TimelineEntry

__all__ = ["build_timelines"]

#: a calendar point or the start of a range: a year, a month, a day, a day with its time
_DATED = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:T[\d:]+)?(?:/|$)")


def _key(span: Span) -> tuple[str, int, int]:
    return span.doc, span.start, span.end


def _conflicting(claim: Claim, contradictions: Sequence[Contradiction]) -> set[tuple[str, int, int]]:
    """The claim's sentences that a contradiction sets against the wording the entry shows
    (its first supporting sentence): the other side of each contradiction about it."""
    if not claim.support:
        return set()
    lead = _key(claim.support[0])
    against: set[tuple[str, int, int]] = set()
    for x in contradictions:
        if x.claim != claim.id:
            continue
        a, b = _key(x.a), _key(x.b)
        if a == lead:
            against.add(b)
        elif b == lead:
            against.add(a)
        else:  # neither side is the shown wording: both are in dispute
            against |= {a, b}
    against.discard(lead)
    return against


def build_timelines(
    stories: list[Story], claims: list[Claim], contradictions: Sequence[Contradiction] = ()
) -> None:
    """Fill ``Story.timeline`` in place from the claims of each story. An entry's support
    leaves out the sentences that a contradiction sets against it (they are listed as
    ``conflicting``), and the entry carries its claim's status."""
    by_story: dict[str | None, list[Claim]] = defaultdict(list)
    for c in claims:
        by_story[c.story].append(c)
    only = stories[0].id if len(stories) == 1 else None
    for story in stories:
        mine = by_story.get(story.id, []) + (by_story.get(None, []) if story.id == only else [])
        entries: dict[tuple[str, str], TimelineEntry] = {}
        for c in sorted(mine, key=lambda c: (-c.independent_sources, -len(c.support), c.id)):
            when = c.slots.when
            if not when or not _DATED.match(when):
                continue  # a clock time alone, a duration or a repeat is no point in a timeline
            key = (when, c.text)
            if key in entries:
                continue
            against = _conflicting(c, contradictions)
            spans = [Span(doc=s.doc, start=s.start, end=s.end, text=s.text) for s in c.support]
            entries[key] = TimelineEntry(
                when=when, what=c.text, status=c.status, claim=c.id,
                support=[s for s in spans if _key(s) not in against],
                conflicting=[s for s in spans if _key(s) in against],
            )
        story.timeline = sorted(entries.values(), key=lambda e: (e.when or "", -len(e.support), e.what))
