"""Briefing sentence selection: quoted words, sentences that lean on the previous one, plain wording."""

from __future__ import annotations

from storylens.models import Document, Span
from storylens.storify.briefing import inside_quotation, leans_on_previous, loadedness


def _span(doc: Document, sentence: str) -> Span:
    start = doc.text.index(sentence)
    return Span(doc=doc.id, start=start, end=start + len(sentence), text=sentence)


def test_sentences_that_need_the_previous_one_are_recognised() -> None:
    for text in ("Both have rejected such allegations.", "They denied the report on Monday.",
                 "The two sides signed nothing.", "The harbour is also closed.",
                 "The mayor will then travel to the coast.", "Such claims were dismissed by the ministry.",
                 "By contrast, the mayor's aides had more autonomy.", "Now it is seeking to change four words.",
                 "For example, the council posted a picture of the bridge.",
                 "In this regard, the mayor outlined plans to rebuild the pier.", "To that end, the council met."):
        assert leans_on_previous(text), text
    for text in ("The harbour authority closed the port on Monday.", "Mayor Lena Ortiz signed the budget.",
                 "This Week in Science, a radio show, was cancelled."):
        assert not leans_on_previous(text), text


def test_words_inside_a_quotation_are_not_an_outlets_fact() -> None:
    text = ('The mayor spoke on Monday. "The bridge is unsafe. It will close in May," she said.\n\n'
            "The bridge carries 4,000 cars a day.")
    doc = Document(id="d", source="d.txt", text=text)
    inner = _span(doc, "It will close in May,\" she said.")
    assert inside_quotation(doc, inner)  # the quotation opened in the sentence before
    assert inside_quotation(doc, _span(doc, '"The bridge is unsafe.'))
    assert not inside_quotation(doc, _span(doc, "The bridge carries 4,000 cars a day."))
    assert not inside_quotation(doc, _span(doc, "The mayor spoke on Monday."))
    # a quotation the annotator found counts even without marks in the text
    plain = _span(doc, "The mayor spoke on Monday.")
    assert inside_quotation(doc, plain, [plain])


def test_the_plainer_wording_scores_lower() -> None:
    assert loadedness("The leaders signed a trade pact in the capital.") < loadedness(
        "The brave leaders signed a truly historic and wonderful pact!")


def test_garbled_wording_is_recognised_and_plain_wording_is_not() -> None:
    from storylens.storify.briefing import garbledness

    for text in ("The council approvedâ€™s the budget.", "The the council approved the budget.",
                 "The council approved the budget.The mayor signed it.", "council approved the budget on Tuesday.",
                 "Smith &amp; Jones merged on Friday.", "The plan the plan was approved.",
                 "The council approved the budget ( after a vote.", "The council approved ,, the budget."):
        assert garbledness(text) > 0, text
    for text in ("The council approved the budget on Tuesday.", "The mayor had had enough, aides said.",
                 "Prices rose 3.5% in the U.S. last year (the most since 2021).",
                 "Fans queued movie after movie after movie.", "The iPhone maker's shares rose . . . then fell."):
        assert garbledness(text) == 0, text


def test_echo_is_the_closest_sentence_of_another_source() -> None:
    import numpy as np

    from storylens.storify.briefing import cross_source_echo

    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-1.0, 0.0]])
    # rows 0 and 1 are one outlet: row 0's echo comes from row 2 or 3 only (never its own outlet's row 1)
    echo = cross_source_echo(vectors, ["a", "a", "b", "c"], block=2)
    assert np.allclose(echo, [0.0, 0.6, 0.6, 0.0])
    assert np.allclose(cross_source_echo(vectors[:2], ["a", "a"]), [0.0, 0.0])  # nobody else


def test_a_quotation_attributed_in_its_sentence_to_a_named_speaker_may_be_stated() -> None:
    from storylens.models import Analysis, Quote
    from storylens.storify.briefing import _Context

    text = ('"The pier will reopen in March," Ines Okafor said on Monday. '
            '"The ferries will run again in April," she said.\n\n'
            'Workers said "the pier is unsafe" on Tuesday.')
    doc = Document(id="d", source="d.txt", text=text)
    named = _span(doc, '"The pier will reopen in March," Ines Okafor said on Monday.')
    pronoun = _span(doc, '"The ferries will run again in April," she said.')

    def quote(words: str, cue: str, speaker: str) -> Quote:
        q, c, s = _span(doc, words), _span(doc, cue), _span(doc, speaker)
        return Quote(id=f"q{q.start}", span=q, cue=c, speaker_span=s, speaker_text=s.text, direct=True)

    quotes = [quote('"The pier will reopen in March,"', "said on Monday", "Ines Okafor"),
              quote('"The ferries will run again in April,"', "said.", "she")]
    ctx = _Context(Analysis(documents=[doc], quotes=quotes))
    # the outlet states who said what: the speaker is named in the sentence, with the cue
    assert ctx.stateable(named) and ctx.says_who(named)
    # "she said": who spoke is in another sentence; still someone else's words
    assert not ctx.stateable(pronoun)
    # marks the annotator did not attribute are still someone's words
    unattributed = _span(doc, 'Workers said "the pier is unsafe" on Tuesday.')
    assert not ctx.says_who(unattributed)
    # without the annotator's attribution the marks alone keep it out, as before
    assert not _Context(Analysis(documents=[doc])).stateable(named)


def test_sentences_that_announce_the_next_one_or_address_the_reader_are_not_stated() -> None:
    from storylens.models import Analysis
    from storylens.storify.briefing import _Context, leans_on_next, site_furniture

    for text in ("The harbour office released the following statement:", 'Fans wrote on the club\'s page: "',
                 "Here is what we know so far:"):
        assert leans_on_next(text), text
    assert not leans_on_next("The mayor said the pier would reopen: it had been closed since May.")
    for text in ("Sign up for Tallow Courier email alerts to get the day's headlines.",
                 "You can unsubscribe at any time.", "For the full list of winners, click here.",
                 "Ferry fares to rise again next year | Ana Lindqvist Read more",
                 "(Click here to see the new timetable)", "Subscribe to our channel: https://example.org/c"):
        assert site_furniture(text), text
    for text in ("About 2 million residents may sign up for the new ferry pass, the council said.",
                 "The council sent e-mails to 400 residents on Monday.",
                 "The study matches earlier results (see https://example.org/your-ferry-study)."):
        assert not site_furniture(text), text
    body = ("Ferry fares will rise by 5 percent in May, the harbour office said on Monday. "
            "The harbour office released the following statement: "
            "Sign up for Tallow Courier email alerts to get the day's headlines.")
    doc = Document(id="d", source="d.txt", text=body)
    ctx = _Context(Analysis(documents=[doc]))
    first, second, third = (_span(doc, s) for s in (
        "Ferry fares will rise by 5 percent in May, the harbour office said on Monday.",
        "The harbour office released the following statement:",
        "Sign up for Tallow Courier email alerts to get the day's headlines."))
    assert ctx.stateable(first)
    assert not ctx.stateable(second) and not ctx.stateable(third)


def test_photo_captions_left_in_the_text_are_not_stated() -> None:
    from storylens.models import Analysis
    from storylens.storify.briefing import _Context, photo_caption

    for text in ("Harbour guards stand by the main gate of the ferry terminal in Vell, Saturday, March 23, 2031.",
                 "Commuters travel west along the quay road near Tallow, Thursday, Dec. 20, 2031.",
                 "Mayor Ada Quill speaks with reporters at the harbour office in Vell, April 22, 2031.",
                 "File photo of Mayor Ada Quill at the reopening of the pier."):
        assert photo_caption(text), text
    # a report's sentence says when with a word, or in the past tense
    for text in ("The pier reopened on Saturday, March 23, 2031.",
                 "The harbour office was closed in Vell, Saturday, March 23, 2031.",
                 "Repairs will last until March 23, 2031.",
                 "Photos of the ferry showed damage to its bow."):
        assert not photo_caption(text), text
    body = ("The ferry struck the pier at Vell on Tuesday, injuring eleven passengers. "
            "Harbour guards stand by the main gate of the ferry terminal in Vell, Tuesday, June 3, 2031.")
    doc = Document(id="d", source="d.txt", text=body)
    ctx = _Context(Analysis(documents=[doc]))
    report, caption = (_span(doc, s) for s in (
        "The ferry struck the pier at Vell on Tuesday, injuring eleven passengers.",
        "Harbour guards stand by the main gate of the ferry terminal in Vell, Tuesday, June 3, 2031."))
    assert ctx.stateable(report)
    assert not ctx.stateable(caption)


def test_an_embedded_post_is_the_posters_words_not_the_outlets() -> None:
    from storylens.models import Analysis
    from storylens.storify.briefing import _Context, embedded_post

    assert embedded_post("Rest easy, captain pic.twitter.com/aB3dE - Ana Ruiz (@anaruiz) June 20, 2031")
    assert embedded_post("Fair winds. A post shared by Ana Ruiz (@anaruiz) on Jun 20, 2031 at 10:33am PDT")
    assert not embedded_post("Ana Ruiz (@anaruiz) wrote on Twitter that the ferry was late on June 20, 2031.")
    body = ("The ferry captain Ole Brandt died on Tuesday, the harbour office said.\n\n"
            "Rest easy, captain. You kept us all safe - Ana Ruiz (@anaruiz) June 20, 2031")
    doc = Document(id="d", source="d.txt", text=body)
    ctx = _Context(Analysis(documents=[doc]))
    report, post = (_span(doc, s) for s in (
        "The ferry captain Ole Brandt died on Tuesday, the harbour office said.",
        "Rest easy, captain."))
    assert ctx.stateable(report)
    assert not ctx.stateable(post)
