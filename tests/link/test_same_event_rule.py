"""Two sentences conflict only when they state the same slot of the same event, about the
same participants, at the same time.

One invented story (a ferry fire) told by two outlets; each pair of sentences is built on a
class of false report found by reading the contradictions storylens gave on ECB+ train
(``benchmarks/data/contradiction_judgements.jsonl``), written on other events.
"""

from __future__ import annotations

import pytest
from outlet_batches import analyse_outlets, between

from storylens.models import Analysis, Quantity, Span

PILOT = [
    "The Kelsby ferry line usually inspects its ships on the first Monday of each month.",
    "The Aurora Star will sail to the Orkney islands again on Saturday.",
    "The Kelsby Ferry Company suspended captain Ian Morrow on Tuesday.",
    "Firefighter Ana Roth rescued 14 passengers from the lower deck of the Aurora Star.",
    "The Aurora Star will miss two sailings to the Orkney islands.",
    "The Aurora Star has carried 400 passengers to the Orkney islands since March.",
    "The Aurora Star carried 1, 240 passengers and crew on the night of the fire.",
    "No body has been recovered from the water near the Aurora Star.",
    "Captain Ian Morrow was the first witness at the Kelsby inquiry.",
    '"Every passenger left the Aurora Star within twenty minutes," Captain Ian Morrow said.',
    'A deckhand of the Aurora Star claimed the fire "did not start in the engine room."',
    '"As governor, Senator Lise Carden will fight for a safer ferry," her campaign said in a statement.',
    "The harbour reopened to the Aurora Star on Wednesday.",
    "Judge Owen Pell opened the Kelsby inquiry into the fire.",
    "Sgt. Mira Holt of the harbour police led the search of the Aurora Star.",
    "Deckhand Omar Saleh was praised by the ferry's crew. He carried 6 children to the lifeboats of the Aurora Star.",
]
ISLANDER = [
    "The Kelsby ferry line inspected the Aurora Star on Thursday after the fire.",
    "The Aurora Star will sail to the Orkney islands for Friday's regatta.",
    "The Kelsby Ferry Company suspended engineer Paul Dray on Monday.",
    "Firefighter Lena Voss rescued 9 passengers from the lower deck of the Aurora Star.",
    "The Aurora Star missed five sailings to the Orkney islands.",
    "The Aurora Star carried 120 passengers to the Orkney islands.",
    "The Aurora Star carried 1,240 passengers and crew on the night of the fire.",
    "The body has not been recovered from the water near the Aurora Star.",
    "The Kelsby inquiry's first witness was Captain Ian Morrow, who fought back tears.",
    '"Every passenger left the Aurora Star within twenty minutes," said Captain Ian Morrow.',
    "The fire started in the engine room of the Aurora Star.",
    "Governor Lise Carden visited the Kelsby harbour on Friday.",
    "Traders said the harbour reopened to the Aurora Star just in time for Market Tuesday.",
    "Justice Owen Pell opened the Kelsby inquiry into the fire.",
    "Deputy Mira Holt of the harbour police led the search of the Aurora Star.",
    "Deckhand Tomas Brehm carried 11 children to the lifeboats of the Aurora Star.",
]


@pytest.fixture(scope="module")
def ferry(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyse_outlets(tmp_path_factory.mktemp("ferry"), "2026-04-09", "ferry fire",
                           {"Kelsby Pilot": PILOT, "Island Courier": ISLANDER})


@pytest.mark.parametrize(("a", "b"), [
    ("usually inspects", "inspected the Aurora Star on Thursday"),  # a habit, not a dated event
    ("again on Saturday", "Friday's regatta"),  # the day owns another noun
    ("just in time for Market Tuesday", "on Wednesday"),  # a weekday in a name
    ("suspended captain Ian Morrow", "suspended engineer Paul Dray"),  # different people
])
def test_a_date_of_another_event_is_no_conflict(ferry: Analysis, a: str, b: str) -> None:
    assert not [c for c in between(ferry, None, a, b) if c.kind == "date"], ferry.contradictions


@pytest.mark.parametrize(("a", "b"), [
    ("Ana Roth rescued 14", "Lena Voss rescued 9"),  # counts of different people
    ("will miss two sailings", "missed five sailings"),  # a plan against a deed
    ("since March", "carried 120 passengers"),  # a count over another span
    ("1, 240 passengers", "1,240 passengers"),  # one number, split by tokenised text
    ("He carried 6 children", "Brehm carried 11"),  # "he" is the deckhand named before, not Brehm
])
def test_a_count_of_another_thing_is_no_conflict(ferry: Analysis, a: str, b: str) -> None:
    assert not [c for c in between(ferry, None, a, b) if c.kind == "number"], ferry.contradictions


def test_two_negative_wordings_are_one_statement(ferry: Analysis) -> None:
    assert not between(ferry, None, "No body", "The body has not")


def test_a_copula_and_a_speech_inversion_swap_no_roles(ferry: Analysis) -> None:
    assert not [c for c in between(ferry, None, "was the first witness", "first witness was") if c.kind == "actor"]
    assert not [c for c in ferry.contradictions if c.kind == "actor" and "said" in c.explanation]


def test_a_quoted_denial_is_the_speakers_not_a_conflict_with_a_report(ferry: Analysis) -> None:
    assert not [c for c in between(ferry, None, "did not start", "The fire started") if c.kind == "negation"]


@pytest.mark.parametrize("name", ["Carden", "Pell", "Holt"])
def test_titles_that_do_not_exclude_each_other_are_no_conflict(ferry: Analysis, name: str) -> None:
    # a title in a quotation is the speaker's word at the speaker's time (Carden); one office in
    # two words (Pell); a rank and a role held together (Holt)
    assert not [c for c in ferry.contradictions if c.kind == "attribute" and name in c.explanation]


def test_two_outlets_quoting_one_speaker_are_one_source(ferry: Analysis) -> None:
    quoted = [c for c in ferry.claims if "within twenty minutes" in c.text]
    assert quoted and {s.doc for c in quoted for s in c.support} == {d.id for d in ferry.documents}
    assert all(c.independent_sources == 1 and c.status != "corroborated" for c in quoted)


def test_the_larger_count_of_a_partitive_is_not_a_reported_count() -> None:
    from storylens.link.contradictions import _denominator

    text = "The line cancelled 10 of its 16 sailings."
    sixteen = Quantity(value=16, span=Span(doc="d", start=text.index("16"), end=text.index("16") + 2, text="16"))
    ten = Quantity(value=10, span=Span(doc="d", start=text.index("10"), end=text.index("10") + 2, text="10"))
    assert _denominator(text, sixteen) and not _denominator(text, ten)
