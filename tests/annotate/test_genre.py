"""Opinion vs report from the writer's own voice, whatever the outlet."""

from __future__ import annotations

from storylens.annotate import annotate
from storylens.models import Document

PRAISE = (
    "Under the brave and wise leadership of our glorious governor, the province has never been stronger. "
    "Surely every honest citizen can see the magnificent progress of these years. "
    "Why do the envious critics refuse to admit the obvious truth? "
    "We must stand united behind this heroic vision, and we should reject the shameful lies of the weak opposition. "
    "Indeed, history will remember this wonderful era with gratitude. "
    "The new pact with the neighbouring province is simply the latest triumph of a brilliant strategy."
)
REPORT = (
    "The governors of two neighbouring provinces signed a trade pact on Tuesday, officials said. "
    "The agreement cuts tariffs on 40 goods from March 1, according to the trade ministry. "
    "\"This will lower prices,\" the trade minister told reporters in the capital. "
    "Opposition lawmakers said they would study the text before a vote on May 12. "
    "Exports between the provinces reached 3.2 billion dollars last year, the statistics office said. "
    "Talks on a second agreement are scheduled for June, a spokesman said."
)


def test_praise_without_attribution_is_opinion_and_an_attributed_report_is_not() -> None:
    docs = [Document(id="op", source="op.txt", text=PRAISE), Document(id="rep", source="rep.txt", text=REPORT)]
    genres = {a.doc.id: a.doc.genre for a in annotate(docs)}
    assert genres == {"op": "opinion", "rep": "report"}


def test_the_us_in_capitals_is_the_country_not_the_writer() -> None:
    from storylens.annotate.drafts import is_opinion_sentence
    from storylens.annotate.nlp import get_nlp

    nlp = get_nlp()
    assert not is_opinion_sentence(next(nlp("The senate confirmed Ana Reyes as the US trade envoy on Friday.").sents))
    assert is_opinion_sentence(next(nlp("The senate confirmed Ana Reyes, and all of us cheered.").sents))
