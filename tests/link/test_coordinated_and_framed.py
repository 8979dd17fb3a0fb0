"""A day on the first of two coordinated verbs dates the second too, and a lone count is
compared in differently worded sentences when one named party does the counted action in
both. All on invented events and names."""

from __future__ import annotations

import json
from pathlib import Path

from storylens import analyze
from storylens.annotate import annotate
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.clauses import ClaimDraft, resolve_drafts
from storylens.link.contradictions import _number_conflicts, set_parties
from storylens.link.entities import canonicalize
from storylens.models import Analysis, invalid_spans
from storylens.options import Options


def _analyse(tmp_path: Path, texts: dict[str, str]) -> Analysis:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps({"outlet": o, "published": "2031-05-06", "text": t})
                              for o, t in texts.items()), encoding="utf-8")
    analysis = analyze([str(path)], Options(min_confidence=0.0))
    assert invalid_spans(analysis) == []
    return analysis


def _drafts(texts: dict[str, str]) -> tuple[dict[str, list[ClaimDraft]], dict[str, str]]:
    """Resolved drafts per outlet and each outlet's text."""
    docs = [build_document(RawItem(source=o, kind="text", content=t, meta={"outlet": o})) for o, t in texts.items()]
    ann = annotate(docs)
    entities, index = canonicalize(ann)
    out = {a.doc.outlet or "": resolve_drafts(a, index) for a in ann}
    set_parties([d for ds in out.values() for d in ds], entities)
    return out, {a.doc.outlet or "": a.doc.text for a in ann}


def test_the_day_of_the_first_of_two_coordinated_verbs_dates_the_second(tmp_path: Path) -> None:
    analysis = _analyse(tmp_path, {
        "Harbour Post": "The Varel coast guard on Tuesday stopped smugglers from boarding a ferry off Ostmark "
                        "and took 14 into custody.",
        "Strait Wire": "The Varel coast guard arrested 14 smugglers off Ostmark on Thursday.",
        "Coast Daily": "Dana Holt was arrested in Ostmark on Monday and charged with smuggling on Friday.",
        "Bay Times": "Dana Holt was charged with smuggling in Ostmark on Friday.",
    })
    outlet = {d.id: d.outlet for d in analysis.documents}
    dates = {frozenset((outlet[c.a.doc], outlet[c.b.doc])): c.explanation
             for c in analysis.contradictions if c.kind == "date"}
    assert frozenset({"Harbour Post", "Strait Wire"}) in dates, dates
    # each verb dated by its own day: the charge is Friday's in both, no conflict
    assert frozenset({"Coast Daily", "Bay Times"}) not in dates, dates


def test_only_coordinated_verbs_share_the_day() -> None:
    drafts, _ = _drafts({
        "a": "The Varel coast guard on Tuesday stopped a ferry and took 14 smugglers into custody. "
             "The Varel coast guard arrested smugglers who boarded a ferry on Tuesday. "
             "Dana Holt was arrested on Monday and charged on Friday.",
    })
    first, embedded, two_days = drafts["a"]
    assert any("take into custody" in ps for ps in first.time_also.values()), first.time_also
    # a relative clause is no coordinated verb: "boarded" keeps its own day, the arrest gets none
    assert not any("arrest" in ps for ps in embedded.time_also.values()), embedded.time_also
    # two days on two coordinated verbs: neither is spread
    assert two_days.time_also == {}


def test_a_lone_count_is_compared_through_its_frame() -> None:
    drafts, texts = _drafts({
        "a": "The Varel coast guard stopped smugglers from boarding a ferry off Ostmark and took 14 into custody.",
        "b": "The Varel coast guard arrested 9 smugglers who tried to board a ferry, officials in Lanport said.",
        "c": "A fishing crew from Tarn pulled 9 smugglers from the water off Ostmark on Monday.",
        "d": "The Varel coast guard arrested 9 smugglers off Ostmark on Friday.",
        "e": "The Varel coast guard took 14 into custody off Ostmark on Monday.",
        "f": "Tomas Vell's death came a day after Ana Ruiz was killed after slipping and falling 60 metres "
             "from the Kessel ridge.",
        "g": "Tomas Vell fell 600 metres from the Kessel ridge while climbing to a hut.",
    })
    a, b, c, d, e, f, g = (drafts[k][0] for k in "abcdefg")
    # below the similarity a lone count needs otherwise (0.7), one named party arrests in both
    assert _number_conflicts(a, b, texts["a"], texts["b"], 0.6)
    # not another party's count
    assert _number_conflicts(a, c, texts["a"], texts["c"], 0.6) == []
    # not when the two sentences date the arrests on different days (two operations)
    assert _number_conflicts(e, d, texts["e"], texts["d"], 0.6) == []
    # the one a subject belongs to ("Vell's death came …") does not do the counted fall
    assert _number_conflicts(g, f, texts["g"], texts["f"], 0.6) == []
    # a loosely related pair below the frame's floor is never compared
    assert _number_conflicts(a, b, texts["a"], texts["b"], 0.4) == []
