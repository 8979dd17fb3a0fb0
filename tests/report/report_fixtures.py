"""Builders shared by the report tests: a hand-built analysis whose article text is
hostile markup, and a briefing for analyses that have none yet."""

from __future__ import annotations

from pathlib import Path

from storylens.models import (
    Analysis,
    BoilerplateSpan,
    Briefing,
    BriefingSentence,
    Claim,
    Contradiction,
    Document,
    Entity,
    Framing,
    LoadedTerm,
    Quote,
    ScoredSpan,
    Span,
    SpeakerShare,
    Story,
)

ROOT = Path(__file__).resolve().parents[2]

SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=2">'

HOSTILE_A = (
    "Harbour officials said 212 passengers were rescued on Tuesday. "
    f"A reader wrote {SCRIPT_PAYLOAD} in the comments.\n\n"
    f"Another pasted {IMG_PAYLOAD} into the page. "
    '"Everyone is safe & sound," said Chief Maria <b>Lind</b>.'
)
HOSTILE_B = (
    "Rescuers said 240 passengers were rescued on Wednesday. "
    "The operator did not suspend crossings.\n\n"
    "Officials said 212 passengers were rescued on Tuesday, according to the wire. "
    '"Everyone is safe & sound," Lind said.'
)


def span(doc: Document, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    return Span(doc=doc.id, start=start, end=start + len(needle), text=needle)


def scored(doc: Document, needle: str) -> ScoredSpan:
    s = span(doc, needle)
    return ScoredSpan(doc=s.doc, start=s.start, end=s.end, text=s.text, score=0.9)


def build_hostile_analysis() -> Analysis:
    """Two outlets; every string field that reaches the report carries markup."""
    a = Document(id="doca", source="/tmp/<script>a</script>.txt", outlet="Gazette <script>x()</script>",
                 title='Fire <img src=x onerror="window.__pwned=3">', author="<b>Ann</b>",
                 url="javascript:window.__pwned=4", published="2026-03-11", text=HOSTILE_A, words=40,
                 genre="report",
                 boilerplate=[BoilerplateSpan(start=0, end=10, text='<a href="http://evil.example/">Share</a>',
                                              reason="share-bar")])
    b = Document(id="docb", source="/tmp/b.txt", outlet=None, title=None, url="https://example.org/story?a=1&b=2",
                 published="2026-03-12T09:15", text=HOSTILE_B, words=35, genre="report")
    claim_rescued = Claim(
        id="c1", text="212 passengers were rescued <script>window.__pwned=5</script>",
        support=[scored(a, "Harbour officials said 212 passengers were rescued on Tuesday."),
                 scored(b, "Officials said 212 passengers were rescued on Tuesday, according to the wire.")],
        independent_sources=2, status="corroborated", story="s1")
    claim_script = Claim(id="c2", text=f"A reader wrote {SCRIPT_PAYLOAD}",
                         support=[scored(a, f"A reader wrote {SCRIPT_PAYLOAD} in the comments.")],
                         independent_sources=1, status="single_source", story="s1")
    claim_number = Claim(id="c3", text="240 passengers were rescued",
                         support=[scored(b, "Rescuers said 240 passengers were rescued on Wednesday.")],
                         independent_sources=1, status="contested", story="s1")
    claim_number.slots.when = "2026-03-11"
    claim_rescued.slots.when = "2026-03-10"
    quote_a = Quote(id="qa", span=span(a, '"Everyone is safe & sound,"'), speaker="e1",
                    speaker_text="Chief Maria <b>Lind</b>", direct=True, also_in=["qb"])
    quote_b = Quote(id="qb", span=span(b, '"Everyone is safe & sound,"'), speaker="e1", speaker_text="Lind",
                    direct=True, also_in=["qa"])
    return Analysis(
        documents=[a, b],
        stories=[Story(id="s1", label="Ferry <script>fire</script>", docs=["doca", "docb"],
                       first_seen="2026-03-11", last_seen="2026-03-12")],
        entities=[Entity(id="e1", name="Maria <i>Lind</i>", type="PERSON", mentions=[])],
        quotes=[quote_a, quote_b],
        claims=[claim_rescued, claim_script, claim_number],
        contradictions=[Contradiction(
            id="x1", kind="number", a=span(a, "Harbour officials said 212 passengers were rescued on Tuesday."),
            b=span(b, "Rescuers said 240 passengers were rescued on Wednesday."),
            explanation="number: '212' vs '240' <script>window.__pwned=6</script>", confidence=0.8, claim="c1")],
        framing=[
            Framing(doc="doca", genre="report",
                    quoted_speakers=[SpeakerShare(speaker="Maria <i>Lind</i>", entity="e1", quotes=1, words=4)],
                    loaded_terms=[LoadedTerm(span=span(a, IMG_PAYLOAD), term=IMG_PAYLOAD, kind="loaded")],
                    unique_claims=["c2"], omitted_claims=[]),
            Framing(doc="docb", genre="report",
                    quoted_speakers=[SpeakerShare(speaker="Maria <i>Lind</i>", entity="e1", quotes=1, words=4)],
                    unique_claims=["c3"], omitted_claims=["c2"]),
        ],
        briefing=Briefing(story="s1", sentences=[
            BriefingSentence(text="Both outlets report that 212 passengers were rescued.",
                             citations=[claim_rescued.support[0], claim_rescued.support[1]]),
            BriefingSentence(text=f"Only one outlet reports that a reader wrote {SCRIPT_PAYLOAD}.",
                             citations=[span(a, SCRIPT_PAYLOAD)], kind="single_source"),
            BriefingSentence(text=f"It also quotes {IMG_PAYLOAD}.", citations=[span(a, IMG_PAYLOAD)],
                             kind="context"),
        ]),
    )


def with_briefing(analysis: Analysis) -> Analysis:
    """The analysis itself if it has a briefing; otherwise a copy whose briefing
    restates its best-supported claims, citing their support (valid spans), so
    that citation clicks can be tested before the briefing stage exists."""
    if analysis.briefing.sentences:
        return analysis
    out = analysis.model_copy(deep=True)
    claims = sorted(out.claims, key=lambda c: -len(c.support))[:4]
    out.briefing = Briefing(sentences=[
        BriefingSentence(text=c.text, citations=[Span(doc=s.doc, start=s.start, end=s.end, text=s.text)
                                                 for s in c.support[:3]])
        for c in claims if c.support
    ])
    return out
