"""Contradictions a careful reader would reject, and the ones a reader would accept.

One invented story (a crane collapse at a port) told by three outlets, each
sentence pair built on a class of error found by judging reports on ECB+ by
reading them (``benchmarks/data/contradiction_judgements.jsonl``).
"""

from __future__ import annotations

import pytest
from outlet_batches import analyse_outlets, between

from storylens.link.contradictions import expand_contractions
from storylens.models import Analysis

HERALD = [
    "Harbour pilot Oren Basco was killed on Wednesday when a crane collapsed at the Dunmore container terminal.",
    "Port officials couldn't say how many containers fell into the water.",
    "Lt. Marcus Feld of the harbour police led the search for survivors.",
    "The terminal operator refused to halt loading at the other berths.",
    "The Dunmore port authority denied ignoring safety warnings about the crane.",
    '"I don\'t think the crane was overloaded," the terminal manager said.',
    "The port will not reopen the terminal unless engineers certify the remaining cranes.",
    "Rep. Lena Ostrowski called for an inquiry into the collapse.",
    "Singer Talia Brandt will not perform at the harbour festival.",
    "Police will release the name of the crane driver after they question him.",
    "The harbour master did not order the evacuation of the quay.",
    "The Dunmore port authority said it had inspected the crane in January.",
    "A Dunmore man has been charged in a fatal hit-and-run crash that killed a cyclist in Harlow on Sunday night.",
    "A dock worker suspected of damaging the crane was arrested on Thursday, police denied.",
    "Dock worker Ivo Brenner was charged on Saturday with endangering lives at the Dunmore terminal, police said.",
    "Despite his arrest at the Dunmore terminal, crane driver Ivo Brenner will testify at the harbour inquiry on Friday.",
    "The harbour inquiry heard evidence from the crane maker about the failed brake.",
]
COURIER = [
    "Police identified the victim on Thursday as harbour pilot Oren Basco.",
    "Port officials could not say how many containers fell into the water.",
    "Lieutenant Marcus Feld of the harbour police led the search for survivors.",
    "The terminal operator halted loading at the other berths.",
    "The Dunmore port authority ignored safety warnings about the crane.",
    "The crane was not overloaded.",
    "The port will reopen the terminal.",
    "Chairman Lena Ostrowski called for an inquiry into the collapse.",
    "Singer Talia Brandt performed at the harbour festival in 2019.",
    "The name of the crane driver will not be released until police have questioned him.",
    '"I don\'t think the harbour master ordered the evacuation of the quay," a dock worker said.',
    "The Dunmore port authority denied that it had inspected the crane in January.",
    "Police have a suspect in custody after a hit-and-run crash that killed a cyclist in Harlow on Friday night.",
    "A dock worker damaged the crane days before it collapsed, police said.",
    "Dock worker Ivo Brenner made a brief appearance in court on Monday on a charge of endangering lives at the "
    "Dunmore terminal.",
    "Crane driver Ivo Brenner was arrested at the Dunmore terminal on Tuesday, three days before the harbour inquiry.",
    "The harbour inquiry did not hear evidence from the crane maker about the failed brake.",
]
GAZETTE = [
    "Harbour pilot Oren Basco was killed on Friday when a crane collapsed at the Dunmore container terminal.",
    "Captain Marcus Feld of the harbour police led the search for survivors.",
]


@pytest.fixture(scope="module")
def crane(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyse_outlets(tmp_path_factory.mktemp("crane"), "2026-03-05", "crane collapse",
                           {"Coastal Herald": HERALD, "Bay Courier": COURIER, "Dunmore Gazette": GAZETTE})


def test_contracted_and_full_negation_are_one_statement(crane: Analysis) -> None:
    assert expand_contractions("couldn't, won't, can't, doesn’t") == "could not, will not, can not, does not"
    assert not [c for c in crane.contradictions if "containers fell" in c.a.text]


def test_different_actions_on_different_days_are_no_date_conflict(crane: Analysis) -> None:
    assert not between(crane, "date", "identified the victim", "was killed")
    # a court appearance is not the charge; a plan (testify on Friday) is not the arrest (Tuesday)
    assert not between(crane, "date", "was charged on Saturday", "brief appearance in court")
    assert not between(crane, "date", "will testify", "was arrested at the Dunmore terminal")
    assert not between(crane, "date", "was charged on Saturday", "was arrested at the Dunmore terminal")
    # the same action on two days is one
    killed = between(crane, "date", "killed on Wednesday", "killed on Friday")
    assert killed and "Wednesday" in killed[0].explanation and "Friday" in killed[0].explanation


def test_one_action_dated_in_sentences_worded_apart(crane: Analysis) -> None:
    # far apart as sentences (different main verbs), but both date the killing
    found = between(crane, "date", "charged in a fatal hit-and-run", "suspect in custody")
    assert found and "Sunday" in found[0].explanation and "Friday" in found[0].explanation


def test_title_and_its_abbreviation_agree_but_another_rank_conflicts(crane: Analysis) -> None:
    feld = [c for c in crane.contradictions if c.kind == "attribute" and "Marcus Feld" in c.explanation]
    assert feld, crane.contradictions
    for c in feld:
        assert "Captain" in c.explanation  # Lt. and Lieutenant are the same rank
    assert not any("Lt." in c.explanation and "Lieutenant" in c.explanation for c in feld)


def test_titles_held_together_are_no_conflict(crane: Analysis) -> None:
    assert not [c for c in crane.contradictions if c.kind == "attribute" and "Ostrowski" in c.explanation]


def test_refusal_is_a_negation(crane: Analysis) -> None:
    found = between(crane, "negation", "refused to halt", "halted loading")
    assert found, crane.contradictions


def test_a_verb_of_knowing_negates_like_any_verb(crane: Analysis) -> None:
    # only "think", "feel" and the like move their negation onto their clause
    assert between(crane, "negation", "inquiry heard evidence", "inquiry did not hear evidence")


def test_a_denial_conflicts_with_the_same_speaker_affirming(crane: Analysis) -> None:
    assert between(crane, "negation", "said it had inspected", "denied that it had inspected")


def test_hedges_conditions_plans_and_denials_assert_nothing_against_a_report(crane: Analysis) -> None:
    for a, b in (("don't think the crane", "was not overloaded"),
                 ("unless engineers certify", "will reopen the terminal"),
                 ("will not perform", "performed at the harbour festival"),
                 ("denied ignoring", "ignored safety warnings"),
                 ("after they question him", "until police have questioned"),
                 ("did not order the evacuation", "think the harbour master ordered"),
                 # the denial is of the arrest, not of the damage the worker is suspected of
                 ("suspected of damaging", "damaged the crane")):
        assert not between(crane, "negation", a, b), (a, b, crane.contradictions)


def test_a_qualified_title_written_short_is_the_same_title() -> None:
    from storylens.link.contradictions import _same_title

    assert _same_title("State Sen.", "Senator") and _same_title("Senator", "State Sen.")
    assert _same_title("Lt.", "Lieutenant")
    assert not _same_title("State Rep.", "Senator")
    assert not _same_title("Captain", "Lieutenant")


def test_nothing_ruled_out_and_not_ruling_out_agree(tmp_path_factory: pytest.TempPathFactory) -> None:
    intro = "A crane collapsed at the Dunmore container terminal on Wednesday."
    analysis = analyse_outlets(tmp_path_factory.mktemp("ruled"), "2026-03-05", "crane collapse", {
        "Coastal Herald": [intro, "Investigators have not ruled out a fault in the crane's brake."],
        "Bay Courier": [intro, "Investigators have ruled nothing out, including a fault in the crane's brake."],
        "Dunmore Gazette": [intro, "Investigators have ruled out a fault in the crane's brake."],
    })
    assert not between(analysis, "negation", "have not ruled out", "ruled nothing out")
    # a plain "have ruled out" still conflicts with both
    assert between(analysis, "negation", "have not ruled out", "have ruled out a fault")


def test_a_title_held_before_beside_the_current_one_is_no_conflict(tmp_path_factory: pytest.TempPathFactory) -> None:
    # one outlet quotes the person from before taking office ("Senator … answered") and calls
    # them "President" too; the other says "President" only: the outlets do not disagree. A third
    # that says "Senator" only does disagree with the first.
    common = "The inquiry into the Tarnmoor port contract opened on Monday in Dunmore."
    analysis = analyse_outlets(tmp_path_factory.mktemp("titles"), "2031-04-02", "port inquiry", {
        "Coastal Herald": [common, "President Vera Lindqvist was asked to testify before the inquiry."],
        "Bay Courier": [common, "President Vera Lindqvist was asked to testify before the inquiry.",
                        "In a questionnaire years ago, Senator Vera Lindqvist answered that she had never met the bidders."],
    })
    assert not [c for c in analysis.contradictions if c.kind == "attribute"], analysis.contradictions
    clash = analyse_outlets(tmp_path_factory.mktemp("titles2"), "2031-04-02", "port inquiry", {
        "Coastal Herald": [common, "President Vera Lindqvist was asked to testify before the inquiry."],
        "Dunmore Gazette": [common, "Senator Vera Lindqvist was asked to testify before the inquiry."],
    })
    assert [c for c in clash.contradictions if c.kind == "attribute" and "Lindqvist" in c.explanation]
