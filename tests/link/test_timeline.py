"""Story timelines: dated claims, oldest first, each with the spans that state it."""

from __future__ import annotations

import json
from pathlib import Path

from storylens import analyze
from storylens.models import Claim, ClaimSlots, ScoredSpan, Story
from storylens.storify.timeline import build_timelines


def _claim(cid: str, text: str, when: str | None, story: str = "s1", n_support: int = 1) -> Claim:
    support = [ScoredSpan(doc=f"d{k}", start=0, end=len(text), text=text, score=1.0) for k in range(n_support)]
    return Claim(id=cid, text=text, slots=ClaimSlots(when=when), support=support,
                 independent_sources=n_support, status="single_source", story=story)


def test_timeline_orders_dated_claims_and_skips_undated() -> None:
    stories = [Story(id="s1", label="a", docs=["d0", "d1"]), Story(id="s2", label="b", docs=["d2"])]
    claims = [
        _claim("c1", "The bridge reopened.", "2025-04-03"),
        _claim("c2", "The bridge closed after the storm.", "2025-04-01T18:00", n_support=2),
        _claim("c3", "Engineers inspected the piers.", None),
        _claim("c4", "The inspection began at 9.", "T09:00"),
        _claim("c5", "Voting started.", "2025-05-01", story="s2"),
        _claim("c6", "The bridge was built in 1931.", "1931"),
        _claim("c7", "Repairs lasted a week.", "P1W"),
        _claim("c8", "Inspections were held in April.", "2025-04"),
    ]
    build_timelines(stories, claims)
    assert [e.what for e in stories[0].timeline] == [
        "The bridge was built in 1931.", "Inspections were held in April.",
        "The bridge closed after the storm.", "The bridge reopened."]
    assert [e.when for e in stories[0].timeline] == ["1931", "2025-04", "2025-04-01T18:00", "2025-04-03"]
    assert len(stories[0].timeline[2].support) == 2
    assert [e.what for e in stories[1].timeline] == ["Voting started."]


def test_timeline_end_to_end_dates_the_event_not_the_report(tmp_path: Path) -> None:
    texts = [
        "The dam at Orvel failed on Monday, flooding the valley. Officials said on Wednesday that 40 homes were lost.",
        "Orvel's dam failed on Monday and water flooded the valley, the regional office said on Wednesday.",
    ]
    rows = [{"text": t, "outlet": f"Outlet {i}", "published": "2025-09-10"} for i, t in enumerate(texts)]
    path = tmp_path / "dam.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analysis = analyze([str(path)])
    timeline = [e for s in analysis.stories for e in s.timeline]
    assert timeline, "the dated claims give a timeline"
    by_doc = {d.id: d.text for d in analysis.documents}
    for entry in timeline:
        for span in entry.support:
            assert by_doc[span.doc][span.start : span.end] == span.text
    failed = [e for e in timeline if "failed" in e.what]
    # the failure is dated by "on Monday" (2025-09-08), not by the Wednesday of the statement
    assert failed and all(e.when and e.when.startswith("2025-09-08") for e in failed)


def test_a_sentence_that_contradicts_the_entry_is_not_its_support() -> None:
    from storylens.models import Contradiction, Span

    text_a, text_b, text_c = "212 passengers were rescued.", "240 passengers were rescued.", "All were rescued."
    support = [ScoredSpan(doc=d, start=0, end=len(t), text=t) for d, t in (("d0", text_a), ("d1", text_b),
                                                                             ("d2", text_c))]
    claim = Claim(id="c1", text=text_a, slots=ClaimSlots(when="2025-04-01"), support=support,
                  independent_sources=3, status="contested", story="s1")
    x = Contradiction(id="x1", kind="number", a=Span(doc="d0", start=0, end=len(text_a), text=text_a),
                      b=Span(doc="d1", start=0, end=len(text_b), text=text_b), explanation="212 vs 240", claim="c1")
    stories = [Story(id="s1", label="a", docs=["d0", "d1", "d2"])]
    build_timelines(stories, [claim], [x])
    entry = stories[0].timeline[0]
    assert [s.doc for s in entry.support] == ["d0", "d2"]
    assert [s.doc for s in entry.conflicting] == ["d1"]
    assert entry.status == "contested" and entry.claim == "c1"


def test_a_time_after_since_is_a_reference_point_not_the_date_of_the_event(tmp_path: Path) -> None:
    # "since 2017" starts a span reaching the present; the meeting the sentence reports is in
    # March (of the publication year), so the timeline files it there, not under 2017
    texts = [
        "Trade between Velmora and Ostrin has grown since the two premiers met in Tarsk in March, "
        "their first meeting since 2017.",
        "Trade between Velmora and Ostrin grew after their premiers met in Tarsk in March, "
        "the first such meeting since 2017.",
    ]
    rows = [{"text": t, "outlet": f"Outlet {i}", "published": "2025-09-10"} for i, t in enumerate(texts)]
    path = tmp_path / "trade.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analysis = analyze([str(path)])
    whens = [e.when for s in analysis.stories for e in s.timeline]
    assert whens and "2017" not in whens
    assert all(w and w.startswith("2025-03") for w in whens)
