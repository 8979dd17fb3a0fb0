from __future__ import annotations

from storylens.ingest.normalize import normalize
from storylens.ingest.plaintext import clean_plain_text

ARTICLE = """World | Politics | Sport | Culture
Share on Facebook  Share on Twitter
Harbour Bridge Reopens After Three-Year Repair

By Maria Okonkwo - March 3, 2031, 9:15 am

The harbour bridge reopened on Monday after three years of repairs, the city council said.
Officials said 40,000 vehicles are expected to cross each day once traffic returns to normal.
Residents gathered on both banks to watch the first buses cross.
Maria Okonkwo is a city reporter covering transport and infrastructure.
Read more
Council approves new ferry timetable
Why the tunnel project stalled again
Five things to know about the bridge
"""


def test_boilerplate_lines_removed_and_metadata_found() -> None:
    cleaned = clean_plain_text(normalize(ARTICLE).text)
    assert cleaned.title == "Harbour Bridge Reopens After Three-Year Repair"
    assert cleaned.author == "Maria Okonkwo"
    assert cleaned.published == "2031-03-03T09:15"
    reasons = {ln.text: ln.reason for ln in cleaned.removed}
    assert reasons["World | Politics | Sport | Culture"] == "navigation"
    assert reasons["Share on Facebook  Share on Twitter"] == "share-or-promo"
    assert reasons["Maria Okonkwo is a city reporter covering transport and infrastructure."] == "author-bio"
    assert reasons["Why the tunnel project stalled again"] == "related-links"
    assert cleaned.text.splitlines()[0].startswith("The harbour bridge reopened")
    assert "Residents gathered" in cleaned.text
    assert "Read more" not in cleaned.text


def test_repeated_teaser_removed_but_full_paragraph_kept() -> None:
    text = (
        "Dam Breach Floods Valley\n\n"
        "Heavy rain caused the northern dam to fail early on Sunday, flooding [...]\n\n"
        "Heavy rain caused the northern dam to fail early on Sunday, flooding three villages.\n"
        "Rescue teams evacuated 1,200 people.\n"
    )
    cleaned = clean_plain_text(text)
    assert [ln.reason for ln in cleaned.removed] == ["headline", "truncated-repeat"]
    assert "flooding three villages." in cleaned.text


def test_content_heading_and_short_paragraphs_survive() -> None:
    text = (
        "Budget Talks Collapse\n\nThe talks ended without a deal on Friday.\n\n"
        "What Happens Next\n\nBoth parties will meet again in May. Share prices fell after the news.\n"
        "The minister declined to comment.\n"
    )
    cleaned = clean_plain_text(text)
    assert "What Happens Next" in cleaned.text
    assert "Share prices fell" in cleaned.text
    assert "The minister declined to comment." in cleaned.text


def test_normalize_keeps_offset_map_and_fixes_apostrophes() -> None:
    raw = "Smith\u2018s \u201cplan\u201d \u2014 a\u00a0test\u2026"
    norm = normalize(raw)
    assert norm.text == "Smith's \"plan\" - a test..."
    assert len(norm.offsets) == len(norm.text) + 1
    i = norm.text.index("plan")
    assert raw[norm.offsets[i] : norm.offsets[i] + 4] == "plan"


def test_timestamp_line_above_the_headline_is_the_date_not_the_title() -> None:
    text = ("4 March 2031 Last updated at 09:41 GMT\n"
            "Ferry strike ends after pay deal\n"
            "Ferry crews returned to work on Tuesday after unions accepted a new pay offer.\n"
            "The strike had halted crossings for nine days.\n")
    cleaned = clean_plain_text(normalize(text).text)
    assert cleaned.title == "Ferry strike ends after pay deal"
    assert cleaned.published == "2031-03-04"
    assert "09:41" not in cleaned.text


def test_timestamp_line_under_the_headline_leaves_the_body_alone() -> None:
    text = ("Ferry strike ends after pay deal\n"
            "Tue Mar 4, 2031 3: 00pm EST\n"
            "On Tuesday, March 4th at about 2 pm, ferry crews returned to work after the pay deal.\n"
            "The strike had halted crossings for nine days.\n")
    cleaned = clean_plain_text(normalize(text).text)
    assert cleaned.published == "2031-03-04"
    assert "3: 00pm" not in cleaned.text
    # a dated first sentence is body text, not a byline
    assert cleaned.text.startswith("On Tuesday, March 4th at about 2 pm, ferry crews returned")
    assert cleaned.author is None


def test_labelled_date_line_with_a_clock_time_is_the_date_not_a_tag_list() -> None:
    # "Updated: <date>, <time>" has the shape of "Tags: a, b, c"; at the top it is the date line
    text = ("Ferry strike ends after pay deal\n"
            "Updated: March 4, 2031, 3:23 PM ET\n"
            "Ferry crews returned to work on Tuesday after unions accepted a new pay offer.\n"
            "The strike had halted crossings for nine days.\n")
    cleaned = clean_plain_text(normalize(text).text)
    assert cleaned.published == "2031-03-04T15:23"
    assert cleaned.title == "Ferry strike ends after pay deal"
    assert "3:23" not in cleaned.text
    assert cleaned.text.startswith("Ferry crews returned")


def test_tag_list_near_the_top_is_still_tags() -> None:
    text = ("Ferry strike ends after pay deal\n"
            "Topics: Transport, Labour, Harbour\n"
            "Ferry crews returned to work on Tuesday after unions accepted a new pay offer.\n"
            "The strike had halted crossings for nine days.\n")
    cleaned = clean_plain_text(normalize(text).text)
    assert cleaned.published is None
    assert "Topics" not in cleaned.text


def test_media_furniture_age_stamps_and_section_links_are_not_the_headline_or_body() -> None:
    # pasted pages open with a player's notice, a photo's credit and caption, an age stamp or a
    # section link; none of them is the story's headline, and the label built from the
    # headline or the opening words must not be one of them
    for furniture, reason in [
        ("Media playback is unsupported on your device Media caption Vell Harbour's new ferry at dawn", "caption"),
        ("Image copyright Orla Finch Image caption The ferry was built in Dunmarra in 2029", "caption"),
        ("Please turn on JavaScript. Media requires JavaScript to play.", "caption"),
        ("Click to email this to a friend (Opens in new window)", "caption"),
        ("Photo: Orla Finch archives", "caption"),
        ("3 years ago", "timestamp"),
        ("Updated 5 hours ago", "timestamp"),
        ("Harbour News More>>", "navigation"),
        ("FILE - In this March 3, 2030, file photo, the old ferry leaves Vell Harbour. (Harbour Wire)", "caption"),
        ("This photo released by the port authority shows the new ferry at its berth.", "caption"),
        ("Crowds wave from the pier in Vell Harbour, Monday, June 2, 2031. (HW Photo/Orla Finch)", "caption"),
        ("Crowds wave from the pier in Vell Harbour on Monday. (HW... (Harbour Wire)", "caption"),
        ("Photo Advertisement Continue reading the main story", "share-or-promo"),
        ("The old ferry is seen at its berth in Vell Harbour, Norland, June 2, 2031.", "caption"),
        ("Watch the report | Raw video from the harbour", "caption"),
        ("Watch the full interview", "caption"),
        ("Hide Caption 2 of 6 Photos: The old ferry at its berth in Vell Harbour in 1990.", "caption"),
        (" ".join(f"Photos: The ferry in {1950 + k}, seen from the pier where crowds waved to the crew as it "
                  f"left for Dunmarra on its first crossing of the season. Hide Caption {k} of 9" for k in range(1, 8)),
         "caption"),
        ("Ferry Days CREDIT: HW Photo/Orla Finch Crowds wave from the pier in Vell Harbour on June 2, 2031.",
         "caption"),
        ("Mayor Orla Finch, D-Vell, speaks at the pier, Tuesday, June 2, 2031, in Vell Harbour.", "caption"),
        ("Crowds cheered the new ferry. Orla Finch reports for the evening news on June 2, 2031. "
         "(Published Tuesday, June 2, 2031)", "caption"),
        ("Two pilots steer the coast guard's patrol plane over Vell Harbour in this June 2, 2031 handout photo.",
         "caption"),
        ("JUNE 2: Mayor Orla Finch waves from the pier as the new ferry leaves Vell Harbour on June 2, 2031.",
         "caption"),
        ("VELL HARBOUR, NORLAND - JUNE 2: Crowds wave from the pier on June 2, 2031.", "caption"),

        ("Crowds wave from the pier after the ferry left, Monday, June 2, 2031. The Vell... (Harbour Wire)",
         "caption"),
        ("A boy runs along the pier in Vell on Monday. (Photo: Orla Finch HW) Story Highlights Ferry sails at dawn",
         "caption"),
        ("HW/Getty Images Mayor Orla Finch holds the ferry's bell after the naming in Vell.", "caption"),
        ("Early morning drivers head west along the coast road near Vell, Norland, Thursday, June 4, 2031.",
         "caption"),
        ("Two ministers address the media after the talks in Vell, Norland, Wednesday, June 3,...", "caption"),
        ("CORRECTS NUMBER OF FERRIES TO TWO - This photo provided by the port authority shows the pier.", "caption"),
        ("[RELATED: Ferry operator says crossings will resume]", "related-links"),
        ("This story is updated at the bottom with a response from the ferry operator", "editor-note"),
        ("The must-read newsletter on the harbour. Email Sign Up By signing up you agree to receive email "
         "newsletters or alerts from the Harbour Wire. You can unsubscribe at any time.", "share-or-promo"),
        ("(ofinch@harbourwire.example; @ofinch)", "byline"),
        ("Tweet with a location", "caption"),
        ("Two pilots leave the pier on Monday. | Orla Finch/Harbour Wire Harbour leaders reach a ferry deal "
         "The agreement ends the strike.", "caption"),
        ("Soldiers patrol outside the harbour office as part of the security plan in Vell, June 2, 2031.", "caption"),
        ("This article has been updated to note that the ferry sailed a day late.", "editor-note"),
        ("Orla Finch / AP Mayor Ana Reyes listens as the council debates the ferry budget in Vell.", "caption"),
        ("June 2, 2031 Crowds wave from the pier as the new ferry leaves Vell Harbour.", "caption"),
        ("Ana Reyes of Vell holds a sign outside the hall hosting a rally Thursday, June 4, 2031, in Vell.", "caption"),
        ("The harbour stories that matter, delivered weekday mornings.", "share-or-promo"),
        ("Premium content for only $0.99 For the most complete harbour coverage, subscribe today.", "share-or-promo"),
        ("Harbour News Emails Get harbour news alerts and special reports. The harbour stories that matter, "
         "delivered weekday mornings.", "share-or-promo"),
    ]:
        text = (f"{furniture}\n\nVell Harbour Ferry Makes First Crossing\n\n"
                "The new ferry crossed to Dunmarra on Monday with 300 passengers, the operator said.\n\n"
                "Tickets sold out within an hour.\n")
        cleaned = clean_plain_text(text)
        assert cleaned.title == "Vell Harbour Ferry Makes First Crossing", furniture
        assert {ln.text: ln.reason for ln in cleaned.removed}[furniture] == reason
        assert cleaned.text.startswith("The new ferry crossed"), furniture


def test_body_sentences_that_mention_media_or_ages_stay() -> None:
    text = ("Ferry Service Expands\n\n"
            "The operator bought its first ferry 3 years ago.\n\n"
            "Photographs taken by passengers show the crossing: the vessel left on time.\n\n"
            "In this city, photos of the ferry hang in every cafe.\n\n"
            "Advertisement revenue of the operator fell by a third.\n\n"
            "The ferry is seen as a lifeline by islanders, the mayor said on June 2, 2031.\n\n"
            "Watch the report on the crossing, the operator urged viewers, because the ferry sails at dawn.\n\n"
            "The report was published Tuesday, June 2, 2031, by the harbour board.\n\n"
            "The ferry sank on Tuesday, June 2, 2031, in Vell Harbour, the coast guard said.\n\n"
            "The parcels were delivered every morning by the ferry until the strike began in May.\n\n"
            "In this city, the ferry is pictured on every postcard.\n\n"
            "Fewer islanders now subscribe to the ferry pass, the operator said on Monday.\n\n"
            "Getty Images, the photo agency, bought the harbour archive, the operator said.\n\n"
            "The ferry will sail again from Vell, Norland, Thursday, June 4, 2031, the operator said.\n\n"
            "June 2, 2031 was the day the ferry first sailed from Vell.\n\n"
            "The report was updated by the harbour board after the ferry sank.\n\n"
            "The old captain died in Vell on June 2, 2031, his family said.\n\n"
            "The ferry sank on Tuesday, June 2, 2031, at the mouth of Vell Harbour.\n\n"
            "By signing up for the ferry pass, islanders agree to sail at least once a week.\n")
    cleaned = clean_plain_text(text)
    assert "first ferry 3 years ago." in cleaned.text
    assert "Photographs taken by passengers" in cleaned.text
    assert "photos of the ferry hang" in cleaned.text
    assert "Advertisement revenue" in cleaned.text
    assert "seen as a lifeline" in cleaned.text
    assert "Watch the report on the crossing" in cleaned.text  # long: a sentence, not a player's label
    assert "The report was published Tuesday" in cleaned.text
    assert "delivered every morning by the ferry" in cleaned.text
    assert "pictured on every postcard" in cleaned.text
    assert "Getty Images, the photo agency" in cleaned.text
    assert "will sail again from Vell" in cleaned.text
    assert "June 2, 2031 was the day" in cleaned.text
    assert "The report was updated by the harbour board" in cleaned.text
    assert "The old captain died in Vell" in cleaned.text
    assert "at the mouth of Vell Harbour" in cleaned.text
    assert "By signing up for the ferry pass" in cleaned.text
    assert "The ferry sank on Tuesday" in cleaned.text  # attributed: a report's sentence


def test_an_authors_note_naming_a_commentator_marks_the_piece_as_opinion() -> None:
    reporter = clean_plain_text(normalize(ARTICLE).text)
    columnist = clean_plain_text(normalize(ARTICLE.replace(
        "is a city reporter covering transport and infrastructure.",
        "is a columnist and political commentator for the Harbour Gazette.")).text)
    assert reporter.extra.get("genre") is None
    assert columnist.extra.get("genre") == "opinion"
    assert "political commentator" not in columnist.text  # the note itself is still boilerplate


def test_a_short_date_line_above_the_headline_is_the_date_not_a_section_label() -> None:
    # "MARCH 4, 2031" has as few words as a section label ("World", "Opinion")
    for line, published in (("MARCH 4, 2031", "2031-03-04"), ("Tuesday, March 4, 2031", "2031-03-04")):
        text = (f"{line}\n"
                "Ferry strike ends after pay deal\n"
                "Ferry crews returned to work on Tuesday after unions accepted a new pay offer.\n"
                "The strike had halted crossings for nine days.\n")
        cleaned = clean_plain_text(normalize(text).text)
        assert cleaned.published == published
        assert cleaned.title == "Ferry strike ends after pay deal"
    labelled = clean_plain_text(normalize("Opinion\nWhy the ferry strike had to end\n"
                                          "Nobody wins a strike that lasts nine days.\n"
                                          "Both sides should have settled sooner.\n").text)
    assert labelled.published is None and labelled.extra.get("genre") == "opinion"


def test_numeric_and_labelled_date_lines_are_the_published_date() -> None:
    body = ("Ferry crews returned to work on Tuesday after unions accepted a new pay offer.\n"
            "The strike had halted crossings for nine days.\n")
    for line, published in (("Posted: 03 / 4 / 2031 8:33 am", "2031-03-04T08:33"),
                            ("Updated 3 / 4 / 2031 1:41 PM", "2031-03-04T13:41"),
                            ("14 / 03 / 2031", "2031-03-14"),
                            ("Posted on 04. 03. 2031", "2031-03-04"),
                            ("Published on: Tue, 4 Mar 2031 at 09:56 GMT", "2031-03-04T09:56"),
                            ("PUBLISHED: 22:07 GMT, 4 March 2031", "2031-03-04")):
        cleaned = clean_plain_text(normalize(f"Ferry strike ends after pay deal\n{line}\n{body}").text)
        assert (cleaned.published, cleaned.title) == (published, "Ferry strike ends after pay deal"), line
        assert cleaned.text.startswith("Ferry crews returned"), line
    # a score or a version number on a line of its own is no date
    for line in ("Harbour 20 - 13 Bay", "Release 1.2.3"):
        assert clean_plain_text(normalize(f"Ferry strike ends after pay deal\n{line}\n{body}").text).published is None


def test_a_contributors_credit_is_not_body_but_a_contribution_in_the_news_is() -> None:
    text = ("Ferry Service Expands\n\n"
            "The operator added two crossings a day, the port office said on Monday.\n\n"
            "Ana Reyes contributed $5,000 to the crews' hardship fund.\n\n"
            "Harbour Wire writers Ana Reyes in Vell and Tom Lind in Dunmarra contributed to this report.\n\n"
            "Reporting by Mia Hart; Editing by Tom Lind\n")
    cleaned = clean_plain_text(text)
    assert "contributed $5,000" in cleaned.text
    assert "contributed to this report" not in cleaned.text
    assert "Editing by" not in cleaned.text


def test_a_last_paragraph_about_an_organisation_is_news_not_the_authors_bio() -> None:
    body = ("Ferry Service Expands\n\n"
            "The operator added two crossings a day, the port office said on Monday.\n\n"
            "Crews will be hired in the spring.\n\n"
            "Tickets go on sale next week.\n\n")
    news = clean_plain_text(body + "The Harbour Board is facing pressure from three unions over the new rota.\n")
    assert "facing pressure from three unions" in news.text and news.author is None
    bio = clean_plain_text(body + "Ana Reyes is a reporter covering transport for the Gazette.\n")
    assert "Ana Reyes is a reporter" not in bio.text and bio.author == "Ana Reyes"


def test_an_updated_by_credit_above_the_story_is_a_byline_not_the_headline() -> None:
    text = ("/ Updated By Orla Finch, Tom Lind. and Ana Reyes\n\n"
            "The new ferry crossed to Dunmarra on Monday with 300 passengers, the operator said.\n\n"
            "Tickets sold out within an hour.\n")
    cleaned = clean_plain_text(text)
    assert cleaned.title is None and cleaned.author and cleaned.author.startswith("Orla Finch")
    assert cleaned.text.startswith("The new ferry crossed")


def test_a_question_mark_opening_a_word_is_a_lost_character() -> None:
    raw = "She did not ?mislead the council. ?Those are the facts. Why? Ask her? Yes ? no."
    norm = normalize(raw)
    assert norm.text == "She did not mislead the council. Those are the facts. Why? Ask her? Yes ? no."
    start = norm.text.index("mislead")
    assert raw[slice(*norm.to_original(start, start + 7))] == "mislead"


def test_a_byline_with_its_date_above_the_story_is_not_the_headline() -> None:
    text = ("By Staff Sgt. Orla Finch, Harbour Public Affairs / Published June 2, 2031\n\n"
            "The new ferry crossed to Dunmarra on Monday with 300 passengers, the operator said.\n\n"
            "Tickets sold out within an hour.\n")
    cleaned = clean_plain_text(text)
    assert cleaned.title is None and cleaned.published == "2031-06-02"
    assert cleaned.text.startswith("The new ferry crossed")
