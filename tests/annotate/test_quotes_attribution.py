"""Attribution constructions beyond plain "X said": small hand-made, fictional texts."""

from __future__ import annotations

import pytest

from storylens.annotate import ParsedDoc, parse
from storylens.annotate.quotes import Attribution, extract_attributions
from storylens.models import Document


def _ann(text: str) -> ParsedDoc:
    [ann] = parse([Document(id="d1", source="d1.txt", text=text)])
    return ann


def _attrs(text: str, broad: bool = False) -> list[tuple[str | None, str | None, str]]:
    """(source, cue, content) as written, one per attribution."""
    ann = _ann(text)

    def cut(se: tuple[int, int] | None) -> str | None:
        return text[se[0] : se[1]] if se else None

    def content(a: Attribution) -> str:
        return " || ".join(text[s:e] for s, e in (a.parts or [(a.start, a.end)]))

    return [(cut(a.source), cut(a.cue), content(a)) for a in extract_attributions(ann, broad=broad) if a.owner is None]


@pytest.mark.usefixtures("nlp")
class TestAccordingTo:
    def test_trailing_according_to_before_the_paragraph_end(self) -> None:
        text = ("The ferry left the harbour at noon, according to the port authority of Velmar.\n\n"
                "Nobody was hurt.")
        [(source, cue, content)] = _attrs(text)
        assert cue == "according to"
        assert source is not None and "port authority" in source
        assert content == "The ferry left the harbour at noon"


@pytest.mark.usefixtures("nlp")
class TestNested:
    def test_belief_reported_inside_speech_is_not_a_second_attribution(self) -> None:
        text = "Mayor Ines Okafor said she believes the bridge will reopen in May."
        attrs = _attrs(text, broad=True)
        assert [c for _s, c, _x in attrs] == ["said"]
        assert attrs[0][2] == "she believes the bridge will reopen in May"

    def test_speech_reported_inside_speech_belongs_to_the_outer_cue(self) -> None:
        text = "The engineer Tobias Renn said the inspectors told him the pumps had failed."
        attrs = _attrs(text)
        assert [c for _s, c, _x in attrs] == ["said"]


@pytest.mark.usefixtures("nlp")
class TestBroadClasses:
    def test_belief_verb_with_a_clause_is_an_attribution(self) -> None:
        text = "Farmers in the valley believe that the dam caused the flooding."
        [(source, cue, content)] = _attrs(text, broad=True)
        assert (source, cue) == ("Farmers in the valley", "believe")
        assert content == "that the dam caused the flooding"

    def test_belief_verb_with_a_plain_object_is_not(self) -> None:
        assert _attrs("The climbers saw the summit from the camp.", broad=True) == []

    def test_intention_with_an_infinitive(self) -> None:
        [(source, cue, content)] = _attrs("The council plans to close the old school.", broad=True)
        assert (source, cue, content) == ("The council", "plans", "to close the old school")

    def test_aspectual_verbs_are_not_attribution(self) -> None:
        assert _attrs("The workers tried to repair the pump before dawn.", broad=True) == []
        assert _attrs("The company raised prices again.", broad=True) == []

    def test_speech_mode_keeps_beliefs_out(self) -> None:
        assert _attrs("Farmers in the valley believe that the dam caused the flooding.") == []

    def test_spoke_to_names_the_addressee_not_the_content(self) -> None:
        text = "The minister spoke to reporters outside the court."
        assert all(c != "spoke to" for _s, c, _x in _attrs(text, broad=True))


@pytest.mark.usefixtures("nlp")
class TestSpeakingAbout:
    def test_condemn_takes_its_object(self) -> None:
        [(source, cue, content)] = _attrs("Senator Lena Varga condemned the attack on the clinic.")
        assert cue == "condemned"
        assert source == "Senator Lena Varga"
        assert content == "the attack on the clinic"

    def test_cite_takes_its_object(self) -> None:
        [(_source, cue, content)] = _attrs("The mayor cited a survey of local shop owners.")
        assert cue == "cited"
        assert content == "a survey of local shop owners"


@pytest.mark.usefixtures("nlp")
class TestNominal:
    def test_possessor_claim_that(self) -> None:
        text = "Reporters checked Governor Paul Adeyemi's claim that the tunnel cost nothing."
        [(source, cue, content)] = _attrs(text)
        assert cue == "claim"
        assert source is not None and "Paul Adeyemi" in source
        assert content == "that the tunnel cost nothing"

    def test_trailing_adverbial_clause_stays_outside(self) -> None:
        text = "There were warnings that the levee would fail, although engineers disagreed."
        attrs = _attrs(text)
        warning = [x for _s, c, x in attrs if c == "warnings"]
        assert warning == ["that the levee would fail"]

    def test_relative_that_is_not_a_content_clause(self) -> None:
        assert _attrs("The statement that the board published was short.") == []

    def test_belief_nouns_only_in_broad_mode(self) -> None:
        text = "Despite the residents' belief that the water was unsafe, the plant stayed open."
        assert _attrs(text) == []
        assert ("residents'", "belief", "that the water was unsafe") in [
            (src.split()[-1] if src else None, c, x) for src, c, x in _attrs(text, broad=True)]


@pytest.mark.usefixtures("nlp")
class TestColonLines:
    def test_headline_name_colon(self) -> None:
        text = "Ines Okafor: Valley Bridge Will Reopen in May\n\nThe mayor spoke on Monday."
        assert _attrs(text) == [("Ines Okafor", ":", "Valley Bridge Will Reopen in May")]

    def test_transcript_speaker_in_capitals(self) -> None:
        text = "HOST: Welcome back to the evening programme.\n\nRENN: Thank you for having me tonight."
        attrs = _attrs(text)
        assert ("HOST", ":", "Welcome back to the evening programme") in attrs
        assert ("RENN", ":", "Thank you for having me tonight") in attrs

    def test_label_that_is_not_a_speaker(self) -> None:
        assert _attrs("Update: the road is open again after the storm.") == []


@pytest.mark.usefixtures("nlp")
class TestParserSlips:
    def test_a_copulas_complement_hung_on_the_cue_is_still_reported(self) -> None:
        text = ("Union lawyers argued that ferry work is, for all practical purposes, a commercial "
                "enterprise that relies on sailors' labor.")
        [(source, cue, content)] = _attrs(text)
        assert source == "Union lawyers" and cue == "argued"
        assert content.endswith("a commercial enterprise that relies on sailors' labor")

    def test_a_participle_after_the_reported_clause_has_the_clauses_speaker(self) -> None:
        from storylens.annotate.quotes import extract_quotes

        text = ('Brel told the hearing that sailors\' safety on the water was more important to the '
                'company than their wages, saying, "You sail first and you ask questions later."')
        speakers = {q.speaker_text for q in extract_quotes(_ann(text))}
        assert speakers == {"Brel"}

    def test_an_indefinite_role_is_someone_new_and_a_dateline_credit_is_nobody(self) -> None:
        from storylens.annotate.quotes import extract_quotes

        for opening in ("DENVER (AP) - ", "OSLO (Reuters) — "):
            text = (f"{opening}In a surprising ruling, a federal agency said Wednesday that ferry workers "
                    "can form a union.\n\nThe agency said the ruling applies to all crews.")
            quotes = extract_quotes(_ann(text))
            assert quotes and all(q.speaker_span is not None for q in quotes)
            # neither "a federal agency" nor "the agency" is the wire service that filed the story
            assert all(q.speaker_span is not None and q.speaker_span.text not in ("AP", "Reuters")
                       for q in quotes), opening

    def test_a_relative_named_through_someone_is_not_that_someone(self) -> None:
        from storylens.annotate.quotes import extract_quotes

        text = ("Police arrested three men in the killing of Marco Vell, 19, outside a bakery in Dunmore.\n\n"
                "Vell's mother, who could be a key witness, said she wants to face the men in court.\n\n"
                '"Every day they are in court, I am going to be there," she said.\n\n'
                "Vell's brother, Tomas Vell, said the family would attend every hearing.")
        quotes = extract_quotes(_ann(text))
        by_words = {q.span.text.strip('"'): q for q in quotes}
        mother = by_words["she wants to face the men in court"]
        assert mother.speaker_text == "Vell's mother" and mother.speaker is None
        # the "she said" after her is her again, not the victim or the town named before
        again = next(q for q in quotes if q.span.text.startswith('"Every day'))
        assert again.speaker_text == "Vell's mother"
        # a relative with a name of their own is that name
        brother = next(q for q in quotes if "every hearing" in q.span.text)
        assert brother.speaker_text == "Tomas Vell"
