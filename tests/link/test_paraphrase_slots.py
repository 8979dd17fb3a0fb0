"""Slots compared across differently worded reports: a negation across one class of verbs,
roles swapped with a participant named by a common noun, counts with no noun, the day of an
announcement, one death told from either side, and headlines in title case parsed as
sentences. All on invented events and names."""

from __future__ import annotations

from pathlib import Path

from outlet_batches import analyse_texts

from storylens.annotate import annotate
from storylens.annotate.truecase import sentence_case_headline
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.clauses import ClaimDraft, Clause
from storylens.link.contradictions import _actor_conflicts, _negation_conflicts
from storylens.models import Analysis, headline_end
from storylens.options import Options


def _analyse(tmp_path: Path, texts: dict[str, str]) -> Analysis:
    return analyse_texts(tmp_path, texts, "2031-05-06", Options(min_confidence=0.0))


def _pairs(analysis: Analysis, kind: str) -> set[frozenset[str]]:
    outlet = {d.id: d.outlet or "" for d in analysis.documents}
    return {frozenset((outlet[c.a.doc], outlet[c.b.doc])) for c in analysis.contradictions if c.kind == kind}


def _clause(predicate: str, actor: str | None, patient: str | None, negated: bool = False) -> Clause:
    return Clause(predicate=predicate, negated=negated, actor=actor, patient=patient, verb_text=predicate,
                  actor_text=actor, patient_text=patient, actor_party=actor, patient_party=patient)


def _draft(doc: str, *clauses: Clause) -> ClaimDraft:
    return ClaimDraft(doc=doc, sent=0, start=0, end=1, text="x", clauses=list(clauses),
                      entities={c.actor for c in clauses if c.actor and c.actor.startswith("e_")})


def test_a_negation_is_compared_across_one_class_of_verbs() -> None:
    # "the coast guard did not foil the raid" / "the coast guard thwarted the raid"
    a = _draft("d1", _clause("foil", "e_guard", "raid", negated=True))
    b = _draft("d2", _clause("thwart", "e_guard", "raid"))
    assert _negation_conflicts(a, b, 0.7)
    # a verb of another class is no negation of it
    assert _negation_conflicts(a, _draft("d2", _clause("board", "e_guard", "raid")), 0.7) == []
    # verbs of belief stay apart ("did not think" is no denial of "believed")
    c = _draft("d1", _clause("think", "e_guard", "raid", negated=True))
    assert _negation_conflicts(c, _draft("d2", _clause("believe", "e_guard", "raid")), 0.7) == []


def test_roles_swapped_with_a_participant_named_by_a_common_noun() -> None:
    navy = _draft("d1", _clause("capture", "e_navy", "pirate"))
    swapped = _draft("d2", _clause("capture", "pirate", "e_navy"))
    assert _actor_conflicts(navy, swapped)
    # neither side named: nothing tells who is meant
    assert _actor_conflicts(_draft("d1", _clause("capture", "sailor", "pirate")),
                            _draft("d2", _clause("capture", "pirate", "sailor"))) == []
    # a pronoun stands for nobody in particular
    assert _actor_conflicts(_draft("d1", _clause("capture", "e_navy", "pron:they")),
                            _draft("d2", _clause("capture", "pron:they", "e_navy"))) == []
    # "A met B" and "B met A" say the same
    assert _actor_conflicts(_draft("d1", _clause("meet", "e_navy", "envoy")),
                            _draft("d2", _clause("meet", "envoy", "e_navy"))) == []


def test_counts_with_no_noun_and_partitive_counts(tmp_path: Path) -> None:
    rest = " The Varel coast guard patrols the Ostmark strait."
    analysis = _analyse(tmp_path, {
        "Harbour Post": "The Varel coast guard boarded a trawler off Ostmark on Tuesday and took 14 into custody." + rest,
        "Strait Wire": "The Varel coast guard boarded a trawler off Ostmark on Tuesday and took 9 into custody." + rest,
        "Coast Daily": "The Varel coast guard boarded a trawler off Ostmark on Tuesday, detaining 14 of the smugglers."
        + rest,
    })
    numbers = [c for c in analysis.contradictions if c.kind == "number"]
    assert any("'14'" in c.explanation and "'9'" in c.explanation for c in numbers)
    # the partitive names what is counted: "14 of the smugglers" agrees with "took 14"
    outlet = {d.id: d.outlet for d in analysis.documents}
    assert not any({outlet[c.a.doc], outlet[c.b.doc]} == {"Harbour Post", "Coast Daily"} for c in numbers)


def test_the_day_of_an_announcement_and_of_one_death(tmp_path: Path) -> None:
    analysis = _analyse(tmp_path, {
        "North Post": "The Lund film academy announced on Friday that Mira Tesk will host the Corvo awards. "
                      "A climber from Osby died on Friday after a fall on the Halvard ridge.",
        "South Wire": "Mira Tesk is to host the Corvo awards next spring, the Lund film academy announced on Sunday. "
                      "Rescuers said a climber from Osby was killed on Sunday in a fall from the Halvard ridge.",
    })
    dates = [c.explanation for c in analysis.contradictions if c.kind == "date"]
    assert any("announce" in e and "'Friday'" in e and "'Sunday'" in e for e in dates)
    assert any(("die" in e or "kill" in e) and "'Friday'" in e and "'Sunday'" in e for e in dates)


def test_the_day_a_speaker_said_something_is_not_compared(tmp_path: Path) -> None:
    """Discriminating: the same wording with "announced" is a conflict (above)."""
    for verb, conflict in (("said", False), ("announced", True)):
        folder = tmp_path / verb
        folder.mkdir()
        analysis = _analyse(folder, {
            "North Post": f"Mira Tesk will host the Corvo awards, the Lund film academy {verb} on Friday.",
            "South Wire": f"The Lund film academy {verb} on Sunday that Mira Tesk is to host the Corvo awards next spring.",
        })
        assert bool([c for c in analysis.contradictions if c.kind == "date"]) is conflict


def test_a_title_case_headline_is_parsed_in_sentence_case() -> None:
    text = ("Harbour Board Dismisses Port Director Ilse Varn\n\n"
            "The Ostmark harbour board dismissed its port director, Ilse Varn, on Monday after a fuel spill. "
            "Varn had led the port since 2024.")
    doc = build_document(RawItem(source="h.txt", kind="text", content=text, meta={}))
    end = headline_end(doc)
    cased = sentence_case_headline(doc.text, end)
    assert cased is not None and cased.startswith("Harbour board dismisses port director Ilse Varn")
    assert len(cased) == len(doc.text)
    ann = annotate([doc])[0]
    head = [d for d in ann.drafts if d.start < end]
    assert head and any(c.predicate == "dismiss" for c in head[0].clauses)
    # the spans are the text as written
    assert all(doc.text[m.span.start : m.span.end] == m.span.text for m in ann.mentions)
    assert head[0].text == doc.text[head[0].start : head[0].end]
    # a headline in sentence case is left as it is
    plain = build_document(RawItem(source="p.txt", kind="text", content=(
        "Harbour board dismisses its port director\n\nThe Ostmark harbour board dismissed its director."), meta={}))
    assert sentence_case_headline(plain.text, headline_end(plain)) is None


def test_a_filing_with_an_object_is_an_event_not_a_time_stamp() -> None:
    doc = build_document(RawItem(source="f.txt", kind="text", content=(
        "Filed Monday at 10:32 AM. The Osby county attorney filed charges on Sunday against the driver."), meta={}))
    ann = annotate([doc])[0]
    anchors = {doc.text[k : k + 6]: v for d in ann.drafts for k, v in d.time_anchor.items()}
    assert anchors.get("Sunday") == "file" and "Monday" not in anchors


def test_a_length_is_compared_however_its_unit_is_written(tmp_path: Path) -> None:
    # "600m" and "600 metres" are one length; "900 metres" is another; feet are never compared with metres
    rest = " Rescuers from Tarn reached the Kessel ridge on Sunday."
    analysis = _analyse(tmp_path, {
        "Valley Post": "Climber Ana Ruiz fell about 600m from the Kessel ridge on Saturday, police said." + rest,
        "Alpine Wire": "Police said climber Ana Ruiz fell about 900 metres from the Kessel ridge on Saturday." + rest,
        "Peak Daily": "Climber Ana Ruiz fell about 600 metres from the Kessel ridge on Saturday, police said." + rest,
    })
    numbers = _pairs(analysis, "number")
    assert frozenset({"Valley Post", "Alpine Wire"}) in numbers, [c.explanation for c in analysis.contradictions]
    assert frozenset({"Valley Post", "Peak Daily"}) not in numbers


def test_negation_told_from_the_victims_side_and_one_deed_in_two_nouns() -> None:
    # "the hiker did not die" / "a rockfall killed the hiker": the one who dies is the one killed
    survived = _draft("d1", _clause("die", "hiker", None, negated=True))
    killed = _draft("d2", _clause("kill", "rockfall", "hiker"))
    assert _negation_conflicts(survived, killed, 0.7)
    # another victim: no conflict
    assert _negation_conflicts(_draft("d1", _clause("die", "guide", None, negated=True)), killed, 0.7) == []
    # "a patrol boat did not foil the smuggling attempt off Tarvik" / "the Orsk coast guard thwarted
    # the attack off Tarvik": one deed in two nouns, a named place in common
    a = _draft("d1", _clause("foil", "boat", "attempt", negated=True))
    b = _draft("d2", _clause("thwart", "e_guard", "attack"))
    a.entities, b.entities = {"e_tarvik"}, {"e_guard", "e_tarvik"}
    assert _negation_conflicts(a, b, 0.7)
    # nothing named in common: two attacks may be two deeds
    a.entities = {"e_velm"}
    assert _negation_conflicts(a, b, 0.7) == []


def test_an_idiom_names_its_action_whole(tmp_path: Path) -> None:
    # "took 14 smugglers into custody" is an arrest, "parted ways with" a firing: compared with
    # another outlet's "arrested" and "fired"
    doc = build_document(RawItem(source="i.txt", kind="text", content=(
        "The Varel coast guard took 14 smugglers into custody on Tuesday. "
        "The Kestrels parted ways with coach Ilsa Marr on Monday. "
        "A gunman opened fire at a warehouse in Ostmark on Friday."), meta={}))
    ann = annotate([doc])[0]
    predicates = {c.predicate for d in ann.drafts for c in d.clauses}
    assert {"take into custody", "part ways", "open fire"} <= predicates
    anchors = {doc.text[k : k + 6]: v for d in ann.drafts for k, v in d.time_anchor.items()}
    assert anchors.get("Tuesda") == "take into custody" and anchors.get("Friday") == "open fire"
    rest = " The Kestrels play in the Ostmark league."
    analysis = _analyse(tmp_path, {
        "Harbour Post": "The Varel coast guard took 14 smugglers into custody off Ostmark on Tuesday." + rest,
        "Strait Wire": "The Varel coast guard arrested 9 smugglers off Ostmark on Tuesday." + rest,
        "Coast Daily": "The Kestrels did not part ways with coach Ilsa Marr on Monday, the club said." + rest,
        "Bay Times": "The Kestrels fired coach Ilsa Marr on Monday, the club said." + rest,
    })
    assert frozenset({"Harbour Post", "Strait Wire"}) in _pairs(analysis, "number"), \
        [c.explanation for c in analysis.contradictions]
    assert frozenset({"Coast Daily", "Bay Times"}) in _pairs(analysis, "negation"), \
        [c.explanation for c in analysis.contradictions]


def test_a_bill_pushed_through_a_chamber_is_one_claim_with_the_chamber_passing_it(tmp_path: Path) -> None:
    from storylens.link.align import same_class

    doc = build_document(RawItem(source="p.txt", kind="text", content=(
        "Reformists muscled the harbour budget through the Varel Assembly early Friday."), meta={}))
    predicates = {c.predicate for d in annotate([doc])[0].drafts for c in d.clauses}
    assert "push through" in predicates
    assert same_class("push through", "pass") and not same_class("pass", "approve")
    analysis = _analyse(tmp_path, {
        "Harbour Post": "Reformists muscled the harbour budget through the Varel Assembly early Friday, "
                        "setting up months of fights with the governor.",
        "Strait Wire": "The Varel Assembly passed the reformists' harbour budget early on Friday, "
                       "with cuts of 40 million crowns.",
    })
    both = [c for c in analysis.claims if len({s.doc for s in c.support}) == 2]
    assert both and both[0].status == "corroborated", [(c.text, c.status) for c in analysis.claims]
