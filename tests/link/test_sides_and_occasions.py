"""Two sentences conflict only when one account of one thing says both: not a party's own denial
against the other side's account (its spokesman named in an appositive, its first person in a
quotation written with spaced quotes as some archives print them), not the other members of a
kind against one member, not a part's count against the whole's, not one night told by two days,
not a day that glosses "today", not a forecast, not a deed on another occasion, not two incidents
of one kind told apart by the numbers naming them.

One invented story (a border conflict, a quake, a clinic, a power cut) told by two outlets. Each
pair is built on a class of false report found by reading storylens's contradictions on ECB+
(``benchmarks/data/contradiction_judgements.jsonl``), written on other events; the last pairs are
conflicts a reader accepts, which must still be reported.
"""

from __future__ import annotations

import pytest
from outlet_batches import analyse_outlets, between

from storylens.models import Analysis

BORDER_POST = [
    "Marek Dolan , a spokesman for Norland 's army , said Norland had not shelled the village of Ostrava .",
    "A spokesman for the Norland air force said the force would respond .",
    "\" We did n't bomb any camps or any areas inside the borders of Vessia , \" he told the agency .",
    "Three other bombs exploded outside the Arlo camp , near the airfield , officials said .",
    "In neighbouring Kesh district , the quake injured 140 people and damaged 300 houses , officials said .",
    "No shots were fired when Tomas Orr was taken into custody , police said .",
    "Fans were disappointed that Jonas Whitfield would not return for the sequel .",
    "Carlo Mendez checked into the Hollow Pines clinic late Thursday , his agent said .",
    "The grid operator announced today ( 14 October 2026 ) that it has restored power to all hospitals .",
    "The Tarn warehouse burned down on Monday , firefighters said .",
    "The storm damaged 120 boats and two piers in Oakmere district , officials said .",
    "A magnitude 3.2 earthquake shook the Harlow valley on Tuesday , the Norland Geological Survey said .",
    "The earthquake struck at about 7:30 a.m. and had a depth of 1.4 miles , according to the Norland Geological Survey .",
    "A magnitude 5.1 aftershock hit the Harlow valley at 9:40 a.m. , the survey said .",
    "Rescuers evacuated 90 passengers from the Kell ferry early on Wednesday , the coast guard said .",
    "Tidewater Lines suspended all crossings on the Kell lake pending an inspection .",
    "Mara Quill was walking beside parked cars on Orchard Street when she was struck by a grey van , police said .",
    "Ivo Brenn was walking towards the Halden chapel for an evening service when a truck driver mowed into him , police said .",
    "Lena Marsh , 66 , of Corbin was killed Wednesday night when a van struck her outside a store in Halden .",
]
BORDER_NEWS = [
    "Vessian officials said Norland shelled the village of Ostrava .",
    "A refugee camp in Vessia 's Arden state was bombed on Thursday , Vessian officials and witnesses said .",
    "One of the bombs landed in a school yard in the Arlo camp , but the bomb did not explode , officials said .",
    "The quake injured more than 200 people and damaged 300 houses in Kesh , officials said .",
    "Tomas Orr fired one shot at a deputy on Monday .",
    "Studio sources are betting that Jonas Whitfield will return for the sequel .",
    "Early Friday , around 1:30 a.m. , Carlo Mendez checked into the Hollow Pines clinic .",
    "The grid operator announced today ( 20 October 2026 ) that it has restored power to all homes .",
    "The Tarn warehouse burned down on Tuesday after a fire in the loading bay .",
    "Officials said the storm had damaged 160 boats and two piers in Oakmere district by Sunday .",
    "A magnitude 4.6 earthquake rattled Dunmore on Tuesday .",
    "The temblor struck at 2:09 a.m. and was centered in Dunmore , about 20 miles north of Kestrel , according to the "
    "Norland Geological Survey .",
    "The survey said a magnitude 5.1 aftershock struck the Harlow valley at 11:15 a.m. .",
    "Some 90 passengers escaped the Kell ferry in the early hours of Tuesday , the health authority said .",
    "A spokesman said Tidewater Lines did not suspend its other crossings on the Kell lake .",
    "When Mara Quill stepped out of her car on Orchard Street , she was not struck by a van .",
    "Ivo Brenn was not walking beside parked cars when he was struck by a grey truck , according to police .",
    "Police said Dale Ruskin , 36 , of Ashby , killed Lena Marsh in a store parking lot Friday night .",
]


@pytest.fixture(scope="module")
def border(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyse_outlets(tmp_path_factory.mktemp("border"), "2026-10-21", "border and quake",
                           {"Border Post": BORDER_POST, "Border News": BORDER_NEWS})


def test_a_spokesman_named_in_an_appositive_speaks_for_the_party(border: Analysis) -> None:
    assert not between(border, "negation", "had not shelled", "Norland shelled"), border.contradictions


def test_a_partys_quoted_first_person_denial_is_no_conflict_with_the_other_side(border: Analysis) -> None:
    # the quotation is written with spaced quotes and a spaced contraction ('" We did n't … , "')
    assert not between(border, "negation", "did n't bomb", "was bombed"), border.contradictions


def test_other_members_of_a_kind_are_not_the_one_that_did_not(border: Analysis) -> None:
    assert not between(border, "negation", "Three other bombs", "did not explode"), border.contradictions


def test_a_parts_count_is_not_compared_with_the_whole_events(border: Analysis) -> None:
    assert not between(border, "number", "140 people", "more than 200"), border.contradictions


def test_a_deed_not_done_on_one_occasion_may_be_done_on_another(border: Analysis) -> None:
    assert not between(border, "negation", "No shots were fired", "fired one shot"), border.contradictions


def test_a_forecast_is_no_statement_of_what_will_be(border: Analysis) -> None:
    assert not between(border, "negation", "would not return", "betting"), border.contradictions


def test_late_on_one_day_and_early_on_the_next_is_one_night(border: Analysis) -> None:
    assert not between(border, "date", "late Thursday", "Early Friday"), border.contradictions


def test_a_date_written_for_today_is_the_reports_own_day(border: Analysis) -> None:
    assert not between(border, "date", "14 October", "20 October"), border.contradictions


def test_two_incidents_told_apart_by_a_number_naming_them_are_not_one_misdated(border: Analysis) -> None:
    # one source per time: the two-camps rule cannot tell; the documents' quakes are a 3.2 and a 4.6
    assert not between(border, "date", "about 7:30", "2:09"), border.contradictions
    # one aftershock (a 5.1 in both documents) timed two ways is a conflict
    assert between(border, "date", "9:40", "11:15"), border.contradictions


def test_conflicts_about_one_thing_are_still_reported(border: Analysis) -> None:
    # adjacent days with nothing putting the event near midnight; counts of one part on both sides
    assert between(border, "date", "on Monday , firefighters", "on Tuesday after"), border.contradictions
    assert between(border, "number", "120 boats", "160 boats"), border.contradictions
    # both early: the same hour a day apart, not one night
    assert between(border, "date", "early on Wednesday", "early hours of Tuesday"), border.contradictions
    # a clause of time set before the denied deed does not limit it to that occasion
    assert between(border, "negation", "when she was struck", "she was not struck"), border.contradictions
    # both sentences tie the deed to an occasion ("… when a truck hit him"): the same occasion
    assert between(border, "negation", "Ivo Brenn was walking", "was not walking"), border.contradictions
    # a place one names only as a person's home ("of Ashby") does not make two incidents
    assert between(border, "date", "killed Wednesday night", "Friday night"), border.contradictions
    # "all crossings" includes the others
    assert between(border, "negation", "suspended all crossings", "its other crossings"), border.contradictions


@pytest.mark.parametrize(("text", "number", "key", "names"), [
    ("the quarterback threw a pick six to the cornerback", "six", "@throw", True),
    ("the quake killed an estimated 200 in the valley", "200", "@kill", False),
    ("the rebels freed a further 20 on Monday", "20", "@free", False),
    ("the quarterback threw six touchdown passes", "six", "pass", False),
])
def test_a_number_closing_a_name_is_no_count(text: str, number: str, key: str, names: bool) -> None:
    from storylens.link.contradictions import _names_a_thing
    from storylens.models import Quantity, Span

    start = text.index(number)
    q = Quantity(value=1.0, span=Span(doc="d", start=start, end=start + len(number), text=number))
    assert _names_a_thing(text, q, key) is names
