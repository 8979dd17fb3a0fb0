"""Two sentences conflict only when they speak of one incident: not of two incidents of one kind
(the sixth tremor against the main quake, three shells that exploded against one that did not),
not of a party's own denial against the other side's account, not of a bound read as a value.

One invented story (tremors and a border shelling in a valley) told by two outlets. Each pair is
built on a class of false report found by reading storylens's contradictions on ECB+ train and
test (``benchmarks/data/contradiction_judgements.jsonl``), written on other events; the last
pairs are conflicts a reader accepts, which must still be reported.
"""

from __future__ import annotations

import json

import pytest
from outlet_batches import analyse_outlets, between

from storylens import analyze
from storylens.link.clauses import quantity_bounds
from storylens.models import Analysis, Contradiction, Quantity, Span

VALLEY_POST = [
    "A strong tremor shook the Velka valley on Sunday, injuring four people.",
    "A Norland army spokesman said Norland had not shelled the village of Ostrava.",
    "Three shells exploded near the Ostrava market.",
    "A 5-plus magnitude tremor rattled the town of Brisk.",
    "The flood destroyed 450 houses in three villages along the Velka river on Saturday.",
    "The storm damaged 45 boats in two harbours along the Velka coast on Friday.",
    "The dam at Lorne burst on Tuesday, flooding the lower valley.",
    "The tremor killed 12 people in the town of Brisk.",
    "Water flooded the Brisk mine on Saturday, trapping six miners.",
    "Rescuers said that water had flooded the Orlen shaft.",
    "The Brisk council closed the market road after the tremor on Monday.",
]
RIVER_NEWS = [
    "The third tremor shook the Velka valley on Monday as the death toll rose.",
    "Vessian officials said Norland shelled the village of Ostrava.",
    "One shell did not explode near the Ostrava market.",
    "A magnitude 5.4 tremor rattled the town of Brisk.",
    "Officials said 40 houses in three villages were destroyed by the flood.",
    "Officials said 40 boats in two harbours were damaged by the storm.",
    "The dam at Lorne burst on Thursday, flooding the lower valley.",
    "The tremor killed 15 people in the town of Brisk.",
    "The mine's owner claimed that water had not flooded the Brisk mine.",
    "The shaft's owner said that water had not flooded the Orlen shaft.",
    "Traders were angry that the Brisk council did not also close the Orlen Street market.",
]


@pytest.fixture(scope="module")
def valley(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyse_outlets(tmp_path_factory.mktemp("valley"), "2026-05-12", "valley tremors",
                           {"Valley Post": VALLEY_POST, "River News": RIVER_NEWS})


def test_one_of_several_incidents_is_not_compared_with_another(valley: Analysis) -> None:
    # "the third tremor" is one of several: its day is not the day of "a strong tremor"
    assert not between(valley, "date", "on Sunday, injuring", "third tremor"), valley.contradictions


def test_a_partys_own_denial_against_the_other_sides_account_is_no_conflict(valley: Analysis) -> None:
    assert not between(valley, "negation", "had not shelled", "Norland shelled"), valley.contradictions


def test_a_claimed_denial_is_the_speakers_not_a_conflict(valley: Analysis) -> None:
    # "claimed": the outlet reports what the owner maintains without vouching for it; "said" is
    # the owner's account set against another, which is a conflict
    assert not between(valley, "negation", "flooded the Brisk mine on Saturday", "claimed"), valley.contradictions
    assert between(valley, "negation", "had flooded the Orlen", "had not flooded the Orlen"), valley.contradictions


def test_a_further_deed_not_done_is_no_negation_of_the_deed(valley: Analysis) -> None:
    # "did not also close" another place: the closing the other outlet reports is not denied
    assert not between(valley, "negation", "closed the market road", "did not also close"), valley.contradictions


@pytest.mark.parametrize(("text", "further"), [
    ("the council didn't also close the road", True), ("it did not also ban imports", True),
    ("she never also said so", True), ("the council did not close the road", False),
    ("it was not. Also, the road", False),
])
def test_a_further_deed_is_read_in_contracted_and_full_forms(text: str, further: bool) -> None:
    from storylens.link.contradictions import _NOT_ALSO

    assert bool(_NOT_ALSO.search(text)) is further


def test_weekdays_of_documents_published_months_apart_are_two_occasions(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("months") / "batch.jsonl"

    def run(second_published: str) -> list[Contradiction]:
        rows = [
            {"outlet": "Tech Ledger", "published": "2026-03-04", "title": "Vantor patches its browser",
             "text": "Vantor released an emergency patch for its Corvid browser on Wednesday after attacks on users."},
            {"outlet": "Byte Daily", "published": second_published, "title": "Vantor fixes browser flaw",
             "text": "Vantor released an emergency patch for its Corvid browser on Tuesday after hackers attacked users."},
        ]
        path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
        return [c for c in analyze([str(path)]).contradictions if c.kind == "date"]

    assert not run("2026-09-16")  # half a year later: another patch of the same kind
    assert run("2026-03-05")  # the next day: one patch dated two ways


def test_different_members_of_one_kind_are_no_negation_conflict(valley: Analysis) -> None:
    assert not between(valley, "negation", "Three shells exploded", "One shell did not"), valley.contradictions


def test_a_lower_bound_written_after_the_number_is_no_value(valley: Analysis) -> None:
    assert not between(valley, "number", "5-plus", "5.4"), valley.contradictions


def test_counts_an_order_of_magnitude_apart_are_not_shown(valley: Analysis) -> None:
    # in differently worded reports (a near copy with one figure changed is still a conflict)
    assert not between(valley, "number", "450 houses", "40 houses"), valley.contradictions
    assert between(valley, "number", "45 boats", "40 boats"), valley.contradictions


def test_conflicts_about_one_incident_are_still_reported(valley: Analysis) -> None:
    assert between(valley, "date", "burst on Tuesday", "burst on Thursday"), valley.contradictions
    assert between(valley, "number", "killed 12", "killed 15"), valley.contradictions


def test_a_leading_phrase_scopes_the_counts_of_its_sentence() -> None:
    from storylens.link.clauses import ClaimDraft
    from storylens.link.contradictions import _scope

    def scope(text: str, number: str) -> frozenset[str]:
        d = ClaimDraft(doc="d", sent=0, start=0, end=len(text), text=text)
        start = text.index(number)
        q = Quantity(value=2, span=Span(doc="d", start=start, end=start + len(number), text=number))
        return _scope(d, text, q)

    assert "half" in scope("During the second half of the final, Kerr scored two goals and saved a penalty.", "two")
    assert scope("Kerr scored two goals against Dunmore.", "two") == frozenset()


def test_two_camps_of_sources_are_two_incidents_not_one_misreported_day(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    # two outlets date the collapse Monday and two Wednesday: two collapses of one kind, not shown;
    # one outlet alone against two: a misreported day, shown
    path = tmp_path_factory.mktemp("camps") / "batch.jsonl"
    bodies = {
        "Harlan Post": ["The Harlan footbridge collapsed on Monday, police said.",
                        "The Orlen ferry sank on Friday near the harbour."],
        "Harlan Echo": ["Heavy rain was blamed after the Harlan footbridge collapsed on Monday.",
                        "The Orlen ferry sank off the coast on Friday."],
        "Valley Wire": ["The Harlan footbridge collapsed on Wednesday after a storm.",
                        "The Orlen ferry sank on Saturday, officials said."],
        "Brisk Times": ["Officials said the Harlan footbridge collapsed on Wednesday.",
                        "Two crew members were rescued after the Orlen ferry sank on Friday."],
    }
    rows = [{"outlet": o, "published": "2026-05-16", "title": f"{o}: bridge and ferry", "text": " ".join(b)}
            for o, b in bodies.items()]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analysis = analyze([str(path)])
    dates = [c for c in analysis.contradictions if c.kind == "date"]
    assert not [c for c in dates if "footbridge" in c.a.text], dates
    assert [c for c in dates if "ferry" in c.a.text], dates


@pytest.mark.parametrize(("text", "bounded"), [
    ("a 4-plus quake", True), ("20+ years", True), ("30 or more boats", True),
    ("4 boats", False), ("4.6 magnitude", False),
])
def test_quantity_bounds_after_the_number(text: str, bounded: bool) -> None:
    digits = text.split()[1] if text.startswith("a ") else text.split()[0]
    number = digits.split("-")[0].rstrip("+")
    start = text.index(number)
    q = Quantity(value=float(number), span=Span(doc="d", start=start, end=start + len(number), text=number))
    low, high, _ = quantity_bounds(text, q)
    assert low == float(number)
    assert (high == float("inf")) is bounded


@pytest.mark.parametrize(("other", "conflict"), [
    ("Rana Vell said she had lost an eight-year-old son and two daughters.", False),  # one value, two spellings
    ("Rana Vell said she had lost an eleven-year-old son and two daughters.", True),
])
def test_a_number_in_digits_and_in_words_is_one_value(other: str, conflict: bool) -> None:
    from storylens.link.clauses import ClaimDraft
    from storylens.link.contradictions import _diff_conflicts

    first = "Rana Vell said she had lost an 8-year-old son and two daughters."
    a = ClaimDraft(doc="a", sent=0, start=0, end=len(first), text=first)
    b = ClaimDraft(doc="b", sent=0, start=0, end=len(other), text=other)
    assert bool([k for k, _, _ in _diff_conflicts(a, b) if k == "number"]) is conflict
