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


LETTER = (
    "I write to you because I believe the verdict was a terrible mistake. "
    "I was never the brilliant schemer the court described, and I feel no guilt for the wonderful years of my service. "
    "Surely you can see that I only obeyed. "
    "I ask you, with all my heart, to show the mercy that I was denied."
)
LETTER_LEAD = (
    "The state archive published on Tuesday a letter a convicted official sent to the governor in 1961, "
    "officials said.\n\n"
    "The archive said the letter had been kept in a sealed file for 60 years.\n\n"
)


def test_a_letter_the_report_reproduces_is_not_the_writers_voice() -> None:
    from storylens.annotate.drafts import reproduced_text

    paragraphs = LETTER.split(". ")
    letter = "\n\n".join(p if p.endswith(".") else p + "." for p in paragraphs)
    announced = LETTER_LEAD + "Below is the full text of the letter.\n\n" + letter
    own = LETTER_LEAD + letter
    docs = [Document(id="announced", source="a.txt", text=announced), Document(id="own", source="o.txt", text=own)]
    genres = {a.doc.id: a.doc.genre for a in annotate(docs)}
    # the same first-person paragraphs: reproduced after "below", the writer's own without it
    assert genres == {"announced": "report", "own": "opinion"}
    start = announced.index("I write")
    assert reproduced_text(announced) == [(start, len(announced))]
    post = "Rest in peace, old friend. You will be missed. — Ana Ruiz (@anaruiz) June 20, 2031"
    text = f"The singer died on Monday, his label said.\n\n{post}\n\nHe was 61."
    assert reproduced_text(text) == [(text.index(post), text.index(post) + len(post))]
    text = "The club released this statement:\n\nWe are heartbroken.\n\nThe match was called off."
    assert reproduced_text(text) == [(text.index("We are"), text.index("We are") + len("We are heartbroken."))]


def test_an_evaluative_word_counts_once_and_a_capitalised_one_not_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from storylens.annotate import drafts

    monkeypatch.setattr(drafts, "GENRE_WEIGHTS", {k: float(k == "evaluative") for k in drafts.GENRE_WEIGHTS})
    once = "The lab tested a bright lamp on 40 sleepers in May. The sleepers woke at dawn."
    repeated = "The lab tested a bright lamp on 40 sleepers in May. The bright sleepers woke bright."
    titled = "The lab tested a Bright lamp on 40 sleepers in May. The sleepers woke at dawn."
    neutral = "The lab tested a small lamp on 40 sleepers in May. The sleepers woke at dawn."
    records = {a.doc.id: a for a in annotate([Document(id=k, source=f"{k}.txt", text=t) for k, t in
                                              {"once": once, "repeated": repeated, "titled": titled,
                                               "neutral": neutral}.items()])}
    score = {k: drafts.genre_score(a.drafts, a.doc) for k, a in records.items()}
    assert score["repeated"] == pytest.approx(score["once"])
    assert score["titled"] == pytest.approx(score["neutral"])
    assert score["neutral"] < score["once"]
