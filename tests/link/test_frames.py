"""Event frames across wording: predicate classes, events named by nouns, "shot dead", frame
alignment of differently worded sentences, and a plan against another party's deed.

All on invented events and names."""

from __future__ import annotations

import numpy as np

from storylens.annotate import annotate
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.align import align, predicate_classes, same_class, same_frame
from storylens.link.clauses import ClaimDraft, Clause
from storylens.link.contradictions import _actor_conflicts
from storylens.records import ClauseDraft


def _clauses(nlp: object, text: str) -> list[ClauseDraft]:
    doc = build_document(RawItem(source="t.txt", kind="text", content=text, meta={}))
    return [c for d in annotate([doc])[0].drafts for c in d.clauses]


def test_predicate_classes_join_wordings_of_one_action() -> None:
    assert same_class("detain", "arrest") and same_class("deliver", "ship") and same_class("rebuff", "deny")
    assert same_class("shoot dead", "kill") and not same_class("shoot", "kill")
    # a verb of two senses is in both classes; its two partners are not one action
    assert {"fire", "deny"} <= predicate_classes("dismiss") and not same_class("sack", "reject")
    # an event noun stands for its verb ("the arrival" of a visit)
    assert same_class("arrival", "visit") and same_class("shipment", "supply")


def test_events_named_by_nouns_are_clauses_with_roles(nlp: object) -> None:
    found = {(c.predicate, c.nominal): c for c in _clauses(nlp, (
        "The shipment of rifles from Arvania to Belmark angered the council. "
        "Police confirmed the arrest of Tomas Vell by border guards on Friday. "
        "Belmark's loans to Arvania reached 40 million crowns."))}
    ship = found[("ship", True)]
    assert (ship.actor.text, ship.patient.text, ship.recipient.text) == ("Arvania", "rifles", "Belmark")
    arrest = found[("arrest", True)]
    assert arrest.patient.text == "Tomas Vell" and arrest.actor.text == "border guards"
    lend = found[("lend", True)]
    assert lend.actor.text == "Belmark" and lend.recipient.text == "Arvania"
    # an event noun states no polarity of its own
    assert not any(c.negated for c in found.values() if c.nominal)


def test_shot_dead_is_a_killing(nlp: object) -> None:
    preds = {c.predicate for c in _clauses(nlp, "Two guards were shot dead at the Karsk depot on Monday night.")}
    assert "shoot dead" in preds


def _draft(doc: str, predicate: str, actor: str | None, patient: str | None, entities: set[str],
           nominal: bool = False, verb_text: str = "") -> ClaimDraft:
    clause = Clause(predicate=predicate, negated=False, actor=actor, patient=patient, nominal=nominal,
                    verb_text=verb_text or predicate, actor_text=actor, patient_text=patient,
                    actor_party=actor, patient_party=patient)
    return ClaimDraft(doc=doc, sent=0, start=0, end=1, text=predicate, clauses=[clause], entities=entities)


def _vectors(sim: float, n: int = 2) -> np.ndarray:
    """n unit vectors whose pairwise cosine is ``sim``."""
    base = np.zeros((n, n + 1), dtype=np.float32)
    base[:, 0] = np.sqrt(sim)
    for i in range(n):
        base[i, i + 1] = np.sqrt(1 - sim)
    return base


def test_same_frame_aligns_below_the_plain_threshold() -> None:
    # "Border guards detained Tomas Vell" / "the arrest of Tomas Vell": one kind of action, the
    # same person in the same role, at a similarity the plain rules reject (0.63 < 0.68)
    detained = _draft("d1", "detain", "guards", "e_vell", {"e_vell"})
    arrest = _draft("d2", "arrest", None, "e_vell", {"e_vell"}, nominal=True)
    assert same_frame(detained, arrest)
    groups, _ = align([detained, arrest], _vectors(0.63), threshold=0.62)
    assert sorted(map(sorted, groups)) == [[0, 1]]
    # another person in that role: two arrests, not one claim
    other = _draft("d2", "arrest", None, "e_kade", {"e_kade", "e_vell"}, nominal=True)
    assert not same_frame(detained, other)
    groups, _ = align([detained, other], _vectors(0.63), threshold=0.62)
    assert len(groups) == 2


def test_a_claim_may_hold_a_headline_and_the_lead_of_one_document() -> None:
    headline = _draft("d1", "halt", "e_ferry", "crossings", {"e_ferry"})
    lead = _draft("d1", "suspend", "e_ferry", "crossings", {"e_ferry"})
    other = _draft("d2", "suspend", "e_ferry", "crossings", {"e_ferry"})
    groups, _ = align([headline, lead, other], _vectors(0.85, 3), threshold=0.62)
    assert sorted(map(sorted, groups)) == [[0, 1, 2]]


def test_a_plan_against_another_partys_deed_is_no_actor_conflict() -> None:
    """Discriminating: the same two clauses as deeds conflict; only the plan differs."""
    deed = _draft("d1", "supply", "e_ostrana", "e_velmar", {"e_ostrana", "e_velmar"}, verb_text="has supplied")
    swapped_deed = _draft("d2", "provide", "e_velmar", "e_ostrana", {"e_ostrana", "e_velmar"}, verb_text="provided")
    plan = _draft("d2", "provide", "e_velmar", "e_ostrana", {"e_ostrana", "e_velmar"}, verb_text="will provide")
    assert _actor_conflicts(deed, swapped_deed)
    assert _actor_conflicts(deed, plan) == []


def test_one_party_one_action_two_different_objects_is_a_conflict(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from storylens import analyze
    from storylens.options import Options

    rest = " Farmers in Norland protested outside the trade ministry in Varsk."
    texts = {"North Post": "Norland banned imports of grain on Monday, the trade ministry said.",
             "South Wire": "Norland banned exports of fertiliser on Monday, the trade ministry said.",
             "East Daily": "Norland banned grain imports on Monday, the trade ministry said."}
    path = Path(str(tmp_path)) / "batch.jsonl"
    path.write_text("\n".join(json.dumps({"outlet": o, "published": "2031-03-04", "text": t + rest})
                              for o, t in texts.items()), encoding="utf-8")
    analysis = analyze([str(path)], Options(min_confidence=0.0))
    outlet = {d.id: d.outlet for d in analysis.documents}
    found = {frozenset((outlet[c.a.doc], outlet[c.b.doc])): c for c in analysis.contradictions if c.kind == "other"}
    assert frozenset(("North Post", "South Wire")) in found
    assert "'imports' vs 'exports'" in found[frozenset(("North Post", "South Wire"))].explanation
    # "imports of grain" and "grain imports" are one object in other words
    assert frozenset(("North Post", "East Daily")) not in found
    # calibrated low: below the default display threshold, shown on request
    assert all(c.confidence < Options().min_confidence for c in found.values())
    assert not [c for c in analyze([str(path)]).contradictions if c.kind == "other"]


def test_modality_is_kept_on_the_claim_and_shown(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from storylens import analyze
    from storylens.report import render

    path = Path(str(tmp_path)) / "one.jsonl"
    path.write_text(json.dumps({"outlet": "Harbour Times", "published": "2031-04-02", "text": (
        "Prosecutors accused the Dalmer shipyard of dumping fuel into the bay. "
        "The Dalmer shipyard will reopen its dry dock in June. "
        "The shipyard repaired four trawlers last year.")}), encoding="utf-8")
    analysis = analyze([str(path)])
    by_text = {c.text: c.slots.modality for c in analysis.claims}
    assert by_text["The Dalmer shipyard will reopen its dry dock in June."] == "planned"
    assert by_text["The shipyard repaired four trawlers last year."] == "asserted"
    assert "(planned)" in render(analysis, "md")


def _pair_kinds(tmp_path: object, one: str, two: str) -> list[str]:
    import json
    from pathlib import Path

    from storylens import analyze
    from storylens.options import Options

    rest = " The border between Arvania and Belmark has been closed since March."
    path = Path(str(tmp_path)) / "pair.jsonl"
    path.write_text("\n".join(json.dumps({"outlet": o, "published": "2031-03-04", "text": t + rest})
                              for o, t in (("North Post", one), ("South Wire", two))), encoding="utf-8")
    return [c.kind for c in analyze([str(path)], Options(min_confidence=0.0)).contradictions]


def test_mutual_accusations_of_different_acts_are_no_conflict(tmp_path: object) -> None:
    shelling = "Arvania accused Belmark of shelling a village near the border."
    assert "actor" not in _pair_kinds(tmp_path, shelling, "Belmark accused Arvania of arming rebels near the border.")
    # the same accusation with accuser and accused swapped still is one
    assert "actor" in _pair_kinds(tmp_path, shelling, "Belmark accused Arvania of shelling a village near the border.")


def test_a_speakers_own_denial_against_a_report_is_no_conflict(tmp_path: object) -> None:
    report = "Belmark shelled the village of Ostra on Tuesday."
    denial = '"We did not shell the village of Ostra on Tuesday," a Belmark army spokesman told reporters.'
    assert "negation" not in _pair_kinds(tmp_path, report, denial)
    assert "negation" in _pair_kinds(tmp_path, report, "Belmark did not shell the village of Ostra on Tuesday.")
