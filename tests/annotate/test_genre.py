"""Opinion vs report from the writer's own voice, whatever the outlet."""

from __future__ import annotations

import pytest

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


FORECASTS = (
    "The port authority opened a second ferry terminal on the northern shore on Monday. "
    "The terminal has four berths and a waiting hall for 300 passengers. "
    "The new berths will transform the fortunes of the whole coast. "
    "Traders from the valley could soon reach the island markets in a single morning. "
    "The old terminal is likely to close within a year. "
    "Fares would fall as the two operators compete for the same passengers."
)


def test_the_writers_own_forecasts_count_toward_opinion_and_attributed_ones_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storylens.annotate import drafts

    sentences = FORECASTS.split(". ")
    attributed = ". ".join(s if i < 2 else s.rstrip(".") + ", the harbour master said"
                           for i, s in enumerate(sentences)) + "."
    docs = [Document(id="own", source="own.txt", text=FORECASTS), Document(id="attr", source="attr.txt", text=attributed)]
    records = {a.doc.id: a for a in annotate(docs)}
    # the forecasts feature alone
    monkeypatch.setattr(drafts, "GENRE_WEIGHTS", {k: float(k == "predictions") for k in drafts.GENRE_WEIGHTS})
    scores = {k: drafts.genre_score(a.drafts, a.doc, [(q.span.start, q.span.end) for q in a.quotes])
              for k, a in records.items()}
    assert scores["own"] >= 3 / (len(records["own"].drafts) + drafts.PRIOR_SENTENCES)
    assert scores["attr"] == 0
