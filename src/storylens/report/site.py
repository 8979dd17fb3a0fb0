"""Per-story HTML pages: a story index with links, search and filters, and one page per story.

A batch with many stories as one page grows to megabytes and tens of thousands of DOM
nodes; here each story page carries only its own documents, claims and quotes, and the
index carries one card per story. Every page is self-contained (inline CSS/JS, no host).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from markupsafe import Markup

from storylens.models import Analysis, Briefing, Story, doc_label, outlet_counts, outlets_phrase
from storylens.report.html import _csp, _environment, _static, render_html
from storylens.report.marks import day_range

__all__ = ["render_site", "story_analysis", "story_page_name"]


def story_page_name(stem: str, number: int, width: int) -> str:
    return f"{stem}-story-{number:0{width}d}.html"


def story_analysis(analysis: Analysis, story: Story) -> Analysis:
    """The part of ``analysis`` that belongs to ``story`` (a complete Analysis of its own)."""
    docs = set(story.docs)
    claims = [c for c in analysis.claims if c.story == story.id or (c.story is None and c.support
                                                                     and c.support[0].doc in docs)]
    claim_ids = {c.id for c in claims}
    entities = []
    for e in analysis.entities:
        mentions = [m for m in e.mentions if m.doc in docs]
        if mentions:
            entities.append(e.model_copy(update={"mentions": mentions}))
    briefing = Briefing(story=story.id, sentences=[
        s for s in analysis.briefing.sentences if s.citations and s.citations[0].doc in docs
    ])
    return Analysis(
        documents=[d for d in analysis.documents if d.id in docs],
        stories=[story],
        entities=entities,
        quotes=[q for q in analysis.quotes if q.span.doc in docs],
        claims=claims,
        contradictions=[x for x in analysis.contradictions
                        if x.a.doc in docs and (x.claim is None or x.claim in claim_ids)],
        framing=[f for f in analysis.framing if f.doc in docs],
        briefing=briefing,
        stats={},
    )


def _card(analysis: Analysis, story: Story, href: str, number: int) -> dict[str, Any]:
    docs = [d for d in analysis.documents if d.id in set(story.docs)]
    statuses = Counter(c.status for c in analysis.claims)
    outlets = sorted({doc_label(d) for d in docs}, key=str.lower)
    named, unknown = outlet_counts(docs)
    lead = analysis.briefing.sentences[0].text if analysis.briefing.sentences else ""
    names = [e.name for e in sorted(analysis.entities, key=lambda e: -len(e.mentions))[:8]]
    search = " ".join([story.label, lead, *outlets, *names]).lower()
    return {
        "number": number, "href": href, "label": story.label, "dates": day_range(story.first_seen, story.last_seen),
        "docs": len(docs), "phrase": outlets_phrase(docs), "outlets": outlets, "named_outlets": named,
        "unknown": unknown, "claims": len(analysis.claims), "corroborated": statuses.get("corroborated", 0),
        "single_source": statuses.get("single_source", 0), "contested": statuses.get("contested", 0),
        "contradictions": len(analysis.contradictions), "lead": lead, "search": re.sub(r"\s+", " ", search),
        "sort_date": story.last_seen or story.first_seen or "",
    }


def render_site(analysis: Analysis, stem: str, title: str = "storylens report",
                index_name: str | None = None) -> dict[str, str]:
    """``{file name: page}``: the story index (``<stem>.html`` unless named) and one page per story."""
    width = max(2, len(str(len(analysis.stories))))
    index_name = index_name or f"{stem}.html"
    pages: dict[str, str] = {}
    cards = []
    for n, story in enumerate(analysis.stories, 1):
        name = story_page_name(stem, n, width)
        part = story_analysis(analysis, story)
        pages[name] = render_html(part, title=story.label, index_href=index_name,
                                  story_number=(n, len(analysis.stories)))
        cards.append(_card(part, story, name, n))
    script = _static("index.js")
    statuses = Counter(c.status for c in analysis.claims)
    summary = {"phrase": outlets_phrase(analysis.documents), "stories": len(analysis.stories),
               "claims": len(analysis.claims), "contradictions": len(analysis.contradictions),
               "statuses": statuses, "errors": [e.model_dump() for e in analysis.errors]}
    outlet_options = sorted({o for c in cards for o in c["outlets"]}, key=str.lower)
    pages[index_name] = _environment().get_template("index.html.j2").render(
        title=title, cards=cards, summary=summary, outlets=outlet_options,
        css=Markup(_static("report.css")), script=Markup(script), csp=_csp(script), generator="storylens",
    )
    return pages
