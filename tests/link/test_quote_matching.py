"""Quote matching across outlets: speakers as canonical entities, also_in, misattribution.

All texts are fictional and written for these tests.
"""

from __future__ import annotations

import pytest

from storylens.annotate import annotate
from storylens.link.entities import canonicalize
from storylens.link.quotes import MatchSettings, lexical_score, match_quotes, normalise_quote
from storylens.models import Document, Entity, Quote, Span

DOCS = {
    "a": ("Valley Courier",
          "Mayor Helen Marsh toured the flooded district on Tuesday.\n\n"
          '"We will rebuild every house in this valley before the first snow, and nobody will be left in a '
          'tent," Marsh said.\n\n'
          "She said the grants would be paid within a month.\n\n"
          '"Every family will get help, whatever the insurers say," she added.'),
    "b": ("Northern Ledger",
          "Helen Marsh, the mayor, visited the district.\n\n"
          '"We will rebuild every house in this valley before the first snow," she told reporters.\n\n'
          "The council has not yet approved the budget."),
    "c": ("Daily Beacon",
          "Aldo Brenner, the transport minister, spoke in the capital.\n\n"
          '"We will rebuild every house in this valley before the first snow," Brenner said.\n\n'
          "The minister did not say how the work would be paid for."),
}


@pytest.fixture(scope="module")
def matched(nlp):  # type: ignore[no-untyped-def]
    docs = [Document(id=k, source=f"{k}.txt", outlet=o, text=t) for k, (o, t) in DOCS.items()]
    annotated = annotate(docs)
    quotes = [q for ann in annotated for q in ann.quotes]
    entities, index = canonicalize(annotated)
    match_quotes(quotes, entities, index)
    return quotes, entities


def _find(quotes: list[Quote], doc: str, fragment: str) -> Quote:
    hits = [q for q in quotes if q.span.doc == doc and fragment in q.span.text]
    assert hits, [q.span.text for q in quotes if q.span.doc == doc]
    return hits[0]


def _entity(entities: list[Entity], eid: str | None) -> str | None:
    return next((e.name for e in entities if e.id == eid), None)


def test_speakers_become_canonical_entities(matched) -> None:  # type: ignore[no-untyped-def]
    quotes, entities = matched
    qa = _find(quotes, "a", "rebuild every house")
    qb = _find(quotes, "b", "rebuild every house")
    assert qa.speaker is not None and qa.speaker == qb.speaker
    assert _entity(entities, qa.speaker) == "Helen Marsh"
    # a pronoun speaker resolved inside the document gets the same entity
    she = _find(quotes, "a", "grants would be paid")
    assert she.speaker == qa.speaker


def test_truncated_quote_in_another_outlet_is_also_in(matched) -> None:  # type: ignore[no-untyped-def]
    quotes, _ = matched
    qa = _find(quotes, "a", "rebuild every house")
    qb = _find(quotes, "b", "rebuild every house")
    assert qb.id in qa.also_in and qa.id in qb.also_in
    # different utterances of the same speaker are not linked
    other = _find(quotes, "a", "Every family")
    assert qb.id not in other.also_in
    # never a quote of the same document
    assert all(q.id not in qa.also_in for q in quotes if q.span.doc == "a")


def test_same_words_from_another_speaker_is_a_misattribution(matched) -> None:  # type: ignore[no-untyped-def]
    quotes, entities = matched
    qa = _find(quotes, "a", "rebuild every house")
    qb = _find(quotes, "b", "rebuild every house")
    qc = _find(quotes, "c", "rebuild every house")
    assert _entity(entities, qc.speaker) == "Aldo Brenner"
    assert qc.id in qa.also_in
    assert qc.id in qa.misattribution and qa.id in qc.misattribution
    assert qc.id in qb.misattribution
    assert qb.id not in qa.misattribution


def _q(doc: str, text: str, speaker: str | None = None) -> tuple[Quote, dict[tuple[str, int, int], str]]:
    index: dict[tuple[str, int, int], str] = {}
    sp = None
    if speaker:
        sp = Span(doc=doc, start=0, end=len(speaker), text=speaker)
        index[(doc, 0, len(speaker))] = "e_" + speaker.lower().replace(" ", "_")
    start = 100
    q = Quote(id=f"q_{doc}", span=Span(doc=doc, start=start, end=start + len(text), text=text),
              speaker_text=speaker, speaker_span=sp)
    return q, index


def _pair(a: str, b: str, sa: str | None = "Ruth Abara", sb: str | None = "Ruth Abara",
          settings: MatchSettings | None = None) -> tuple[Quote, Quote]:
    qa, ia = _q("d1", a, sa)
    qb, ib = _q("d2", b, sb)
    match_quotes([qa, qb], [], {**ia, **ib}, settings)
    return qa, qb


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # truncated and embedded
        ("fuel prices would rise by at least a fifth over the winter unless the refinery reopened",
         "fuel prices would rise by at least a fifth over the winter", True),
        ('"The dam will hold. It was built for a storm twice this size,"', '"It was built for a storm twice this size."',
         True),
        # printed as fragments with an ellipsis
        ('"The bridge is safe for cars but not for trucks, and it will stay that way until the inspectors finish,"',
         '"not for trucks" ... "until the inspectors finish"', True),
        # light rewording
        ('"The talks have failed, and the responsibility lies entirely with the other side,"',
         '"The talks failed and responsibility lies entirely with the other side."', True),
        # a changed detail is another utterance
        ("the port would reopen to cargo ships on Friday", "the port would not reopen to cargo ships on Friday", False),
        ('"Three boats are still missing,"', '"Four boats are still missing,"', False),
        ('"We will rebuild every house before the first snow,"', '"We will rebuild every school before the first snow,"',
         False),
        # different utterances of the same speaker
        ('"The pumps failed at midnight,"', '"The pumps had been serviced only last month,"', False),
        # too short to say: two outlets both writing "fuel subsidies" is not one utterance
        ('"No,"', '"No."', False),
        ("fuel subsidies", "fuel subsidies", False),
    ],
)
def test_pairs_lexical_only(a: str, b: str, same: bool) -> None:
    qa, qb = _pair(a, b, settings=MatchSettings(embeddings=False))
    assert (qb.id in qa.also_in) is same


def test_paraphrase_needs_embeddings_and_a_compatible_speaker(embedder) -> None:  # type: ignore[no-untyped-def]
    a = '"We will not accept any agreement that divides our fishing grounds,"'
    b = '"We shall accept no agreement which splits our fishing grounds."'
    qa, qb = _pair(a, b, settings=MatchSettings(embeddings=False))
    assert qb.id not in qa.also_in
    qa, qb = _pair(a, b)
    assert qb.id in qa.also_in and not qa.misattribution
    # a paraphrase by someone else is not the same utterance
    qa, qb = _pair(a, b, sa="Lumi Aaltonen", sb="Ivo Sandberg")
    assert qb.id not in qa.also_in


def test_short_reported_content_is_never_a_misattribution(embedder) -> None:  # type: ignore[no-untyped-def]
    qa, qb = _pair("weapons deliveries", "weapons deliveries", sa="Ines Okafor", sb="Aldo Brenner")
    assert not qa.also_in and not qa.misattribution


def test_misattribution_needs_two_known_speakers() -> None:
    text = '"Nobody in this valley will be left without heat this winter,"'
    qa, qb = _pair(text, text, sa="Helen Marsh", sb="Aldo Brenner", settings=MatchSettings(embeddings=False))
    assert qb.id in qa.misattribution and qa.id in qb.misattribution
    qa, qb = _pair(text, text, sa="Helen Marsh", sb=None, settings=MatchSettings(embeddings=False))
    assert qb.id in qa.also_in and not qa.misattribution


def test_normalise_and_lexical_score() -> None:
    assert normalise_quote('"We won\'t go," ... "not ever."') == "we will not go not ever"
    assert normalise_quote("that the two ferries sank") == "the 2 ferries sank"
    assert normalise_quote("No one can't say") == "nobody can not say"
    assert lexical_score("the port would reopen on friday", "the port would reopen on friday once divers finish",
                         MatchSettings(embeddings=False))
    assert not lexical_score("the port would reopen on friday", "the port would not reopen on friday",
                             MatchSettings(embeddings=False))


def test_quote_board_lists_speakers_utterances_and_outlets(matched) -> None:  # type: ignore[no-untyped-def]
    from storylens.models import Analysis, Story
    from storylens.report.markdown import SECTIONS, render_markdown, section_quote_board

    quotes, entities = matched
    docs = [Document(id=k, source=f"{k}.txt", outlet=o, text=t) for k, (o, t) in DOCS.items()]
    analysis = Analysis(documents=docs, entities=entities, quotes=quotes,
                        stories=[Story(id="s1", label="Valley flood", docs=list(DOCS))])
    assert section_quote_board in SECTIONS
    lines = section_quote_board(analysis)
    text = "\n".join(lines)
    assert lines[0] == "## Quote board"
    assert "**Helen Marsh**" in text
    # the shared utterance is listed once, carried by all three outlets, with each outlet's words
    assert "carried by 3: Daily Beacon, Northern Ledger, Valley Courier" in text
    assert "nobody will be left in a tent" in text
    assert "⚠ same words given to Aldo Brenner" in text
    assert "— as Aldo Brenner" in text
    # per outlet: whom it quotes
    assert "| Daily Beacon | 1 | 1 | Aldo Brenner (2) |" in text
    assert "## Quote board" in render_markdown(analysis)
    assert section_quote_board(Analysis()) == []


GOVERNMENTS = {
    "g1": "The talks were held in Geneva. Norway said the fishing quota would stay at 40,000 tonnes.",
    "g2": "Oslo said the fishing quota would stay at 40,000 tonnes.",
    "g3": "Chile and Peru have both denied that their boats entered the reserve.",
    "g4": 'Chile said: "Our boats entered the reserve at dawn, as the treaty allows."',
}


@pytest.fixture(scope="module")
def governments(nlp):  # type: ignore[no-untyped-def]
    docs = [Document(id=k, source=f"{k}.txt", text=t) for k, t in GOVERNMENTS.items()]
    annotated = annotate(docs)
    quotes = [q for ann in annotated for q in ann.quotes]
    entities, index = canonicalize(annotated)
    match_quotes(quotes, entities, index)
    return quotes


def test_a_government_quoted_by_its_country_and_its_capital_is_one_speaker(governments) -> None:  # type: ignore[no-untyped-def]
    q1 = _find(governments, "g1", "fishing quota")
    q2 = _find(governments, "g2", "fishing quota")
    assert q2.id in q1.also_in
    assert q1.misattribution == [] and q2.misattribution == []


def test_a_joint_denial_is_no_single_speakers_and_not_the_claim_it_denies(governments) -> None:  # type: ignore[no-untyped-def]
    denial = _find(governments, "g3", "boats entered the reserve")
    claim = _find(governments, "g4", "boats entered the reserve")
    assert denial.speaker_text == "Chile and Peru" and denial.speaker is None
    assert denial.span.text.startswith("denied")
    assert claim.id not in denial.also_in


def test_every_sentence_of_a_long_quotation_is_the_speakers_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    from storylens.link.clauses import resolve_drafts

    text = ("Harbour master Edda Lunde spoke on Tuesday.\n\n"
            '"The breakwater cracked in two places during the storm," Lunde said. "Three boats sank at their '
            'moorings. We will need a year to repair the wall."\n\n'
            "The port reopened on Wednesday.")
    [ann] = annotate([Document(id="h", source="h.txt", text=text)])
    _entities, index = canonicalize([ann])
    by_text = {d.text: d for d in resolve_drafts(ann, index)}
    sank = next(d for t, d in by_text.items() if "Three boats sank" in t)
    assert sank.attributed_text == "Lunde"  # no speech verb of its own, but inside her quotation
    reopened = next(d for t, d in by_text.items() if "port reopened" in t)
    assert reopened.attributed_to is None  # the outlet's own sentence


def test_quotes_are_matched_only_within_their_story(nlp) -> None:  # type: ignore[no-untyped-def]
    docs = [Document(id=k, source=f"{k}.txt", outlet=o, text=t) for k, (o, t) in DOCS.items()]
    annotated = annotate(docs)
    entities, index = canonicalize(annotated)

    def also_in(blocks: dict[str, str] | None) -> set[str]:
        quotes = [q.model_copy(deep=True) for ann in annotated for q in ann.quotes]
        match_quotes(quotes, entities, index, blocks=blocks)
        return set(_find(quotes, "a", "rebuild every house").also_in)

    together = also_in({"a": "s1", "b": "s1", "c": "s1"})
    assert len(together) == 2  # b's same words, and c's (a misattribution)
    # b in another story: a's quote is no longer matched with it; c, in a's story, still is
    apart = also_in({"a": "s1", "b": "s2", "c": "s1"})
    assert len(apart) == 1 and apart < together
