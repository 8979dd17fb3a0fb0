"""Entity canonicalisation on hand-made mentions (no model needed)."""

from __future__ import annotations

from outlet_batches import mentioned_doc

from storylens.annotate import AnnotatedDoc
from storylens.link.entities import canonicalize, fold_token, names_compatible

_doc = mentioned_doc


def _groups(docs: list[AnnotatedDoc]) -> list[set[str]]:
    entities, _ = canonicalize(docs)
    return [{m.text for m in e.mentions} for e in entities]


def test_transliteration_and_typos_merge() -> None:
    a = _doc("a", "Andrei Vasquez-Ortov met Dmitri Halloran. Halloran spoke.",
             [("Andrei Vasquez-Ortov", "PERSON"), ("Dmitri Halloran", "PERSON"), ("Halloran", "PERSON")])
    b = _doc("b", "Andrey Vasquez-Ortov and Dimitri Haloran arrived.",
             [("Andrey Vasquez-Ortov", "PERSON"), ("Dimitri Haloran", "PERSON")])
    groups = _groups([a, b])
    assert {"Andrei Vasquez-Ortov", "Andrey Vasquez-Ortov"} in groups
    assert {"Dmitri Halloran", "Halloran", "Dimitri Haloran"} in groups


def test_family_members_and_shared_surnames_stay_apart() -> None:
    a = _doc("a", "Mara Quellen and her brother Tobias Quellen voted. Quellen left.",
             [("Mara Quellen", "PERSON"), ("Tobias Quellen", "PERSON"), ("Quellen", "PERSON")])
    b = _doc("b", "Kim Jae-won met Kim Soo-ah.", [("Kim Jae-won", "PERSON"), ("Kim Soo-ah", "PERSON")])
    groups = _groups([a, b])
    assert not any({"Mara Quellen", "Tobias Quellen"} <= g for g in groups)
    assert not any({"Kim Jae-won", "Kim Soo-ah"} <= g for g in groups)


def test_lone_surname_attaches_only_when_unambiguous() -> None:
    a = _doc("a", "Lena Marsh and Paul Orrin spoke.", [("Lena Marsh", "PERSON"), ("Paul Orrin", "PERSON")])
    b = _doc("b", "Later Orrin resigned.", [("Orrin", "PERSON")])
    c = _doc("c", "Anna Lee and Brian Lee argued.", [("Anna Lee", "PERSON"), ("Brian Lee", "PERSON")])
    d = _doc("d", "Lee declined to comment.", [("Lee", "PERSON")])
    groups = _groups([a, b, c, d])
    assert {"Paul Orrin", "Orrin"} in groups
    assert {"Lee"} in groups  # two people called Lee: the lone surname is not guessed


def test_titles_and_possessive_free_variants() -> None:
    a = _doc("a", "President Ilsa Brandt arrived.", [("President Ilsa Brandt", "PERSON")])
    b = _doc("b", "Dr. Ilsa Brandt said no.", [("Dr. Ilsa Brandt", "PERSON")])
    groups = _groups([a, b])
    assert {"President Ilsa Brandt", "Dr. Ilsa Brandt"} in groups


def test_organisation_and_place_of_same_name_stay_apart() -> None:
    a = _doc("a", "Georgetown said the Georgetown council met.", [("Georgetown", "GPE"), ("Georgetown", "ORG")])
    entities, _ = canonicalize([a])
    types = sorted(e.type for e in entities if e.name == "Georgetown")
    assert types == ["GPE", "ORG"]


def test_acronym_joins_full_name_but_not_a_person() -> None:
    a = _doc("a", "The Northern Transit Authority (NTA) and Park Min-seo.",
             [("Northern Transit Authority", "ORG"), ("NTA", "ORG"), ("Park Min-seo", "PERSON")])
    b = _doc("b", "The UN said so.", [("UN", "ORG")])
    groups = _groups([a, b])
    assert {"Northern Transit Authority", "NTA"} in groups
    assert {"UN"} in groups


def test_title_fragment_is_not_an_organisation() -> None:
    a = _doc("a", "Defence Minister Ola Brenn spoke.", [("Defence", "ORG"), ("Ola Brenn", "PERSON")])
    entities, index = canonicalize([a])
    assert [e.name for e in entities] == ["Ola Brenn"]
    assert all(eid == entities[0].id for eid in index.values())


def test_every_mention_indexed_and_valid() -> None:
    a = _doc("a", "Ilsa Brandt met Ilsa Brandt's rival.", [("Ilsa Brandt", "PERSON"), ("Ilsa Brandt", "PERSON")])
    entities, index = canonicalize([a])
    assert len(index) == 2
    for e in entities:
        for m in e.mentions:
            assert a.doc.text[m.start : m.end] == m.text


def test_no_entities_and_helpers() -> None:
    assert canonicalize([_doc("a", "Nothing named here.", [])]) == ([], {})
    assert fold_token("Andrey") == fold_token("Andrei")
    assert names_compatible(["Aleksandr", "Volk"], ["Alexander", "Volk"])
    assert not names_compatible(["Anna", "Volk"], ["Maria", "Volk"])


def test_acronym_defined_in_text_maps_across_the_batch() -> None:
    a = _doc("a", "Grain came from the Marsh Valley Grain Office (MVGO) on Monday.",
             [("Marsh Valley Grain Office", "ORG"), ("MVGO", "ORG")])
    b = _doc("b", "MVGO inspectors left.", [("MVGO", "GPE")])
    groups = _groups([a, b])
    assert {"Marsh Valley Grain Office", "MVGO"} in groups  # the GPE-tagged acronym too
    assert len([g for g in groups if "MVGO" in g]) == 1


def test_one_acronym_defined_two_ways_stays_two_entities() -> None:
    a = _doc("a", "The Tolva Rail Board (TRB) cut trains. TRB staff struck.",
             [("Tolva Rail Board", "ORG"), ("TRB", "ORG"), ("TRB", "ORG")])
    b = _doc("b", "The Tidal Research Bureau (TRB) measured the surge. TRB said so.",
             [("Tidal Research Bureau", "ORG"), ("TRB", "ORG"), ("TRB", "ORG")])
    entities, index = canonicalize([a, b])
    last_a, last_b = a.mentions[-1].span, b.mentions[-1].span
    assert index[("a", last_a.start, last_a.end)] != index[("b", last_b.start, last_b.end)]
    assert len(entities) == 2
    assert {m.text for m in entities[0].mentions} in ({"Tolva Rail Board", "TRB"}, {"Tidal Research Bureau", "TRB"})


def test_country_names_and_spellings_join_but_capitals_and_neighbours_do_not() -> None:
    a = _doc("a", "Czechia and Sudan met in Prague.", [("Czechia", "GPE"), ("Sudan", "GPE"), ("Prague", "GPE")])
    b = _doc("b", "The Czech Republic and South Sudan signed.", [("Czech Republic", "GPE"), ("South Sudan", "GPE")])
    c = _doc("c", "Chad closed its border.", [("Chad", "PERSON")])
    d = _doc("d", "Trade with Chad fell.", [("Chad", "GPE")])
    groups = _groups([a, b, c, d])
    assert {"Czechia", "Czech Republic"} in groups
    assert {"Sudan"} in groups and {"South Sudan"} in groups and {"Prague"} in groups
    assert {"Chad"} in groups  # the lone "person" Chad is the country


def test_short_organisation_name_joins_the_longer_one_it_ends() -> None:
    a = _doc("a", "The Orlan Port Authority met. The Port Authority voted.",
             [("Orlan Port Authority", "ORG"), ("Port Authority", "ORG")])
    b = _doc("b", "The Port Authority said no.", [("Port Authority", "ORG")])
    c = _doc("c", "The Brisk Safety Board and the Vell Safety Board met. The Safety Board left.",
             [("Brisk Safety Board", "ORG"), ("Vell Safety Board", "ORG"), ("Safety Board", "ORG")])
    groups = _groups([a, b, c])
    assert {"Orlan Port Authority", "Port Authority"} in groups
    assert {"Safety Board"} in groups  # two longer boards in its document: not guessed


def test_possessive_and_hyphenated_short_forms_of_a_person() -> None:
    a = _doc("a", "Ilka Sorensen-Abe won. Sorensen-Abe’s rivals conceded. Sorensen-Abe's aides cheered.",
             [("Ilka Sorensen-Abe", "PERSON"), ("Sorensen-Abe’s", "PERSON"), ("Sorensen-Abe", "GPE")])
    groups = _groups([a])
    assert {"Ilka Sorensen-Abe", "Sorensen-Abe’s", "Sorensen-Abe"} in groups


def test_surname_alone_beside_two_relatives_tagged_differently_is_not_guessed() -> None:
    a = _doc("a", "Hanne Olvik and her son Jens Olvik arrived. Olvik spoke.",
             [("Hanne Olvik", "ORG"), ("Jens Olvik", "PERSON"), ("Olvik", "ORG")])
    groups = _groups([a])
    assert not any({"Jens Olvik", "Olvik"} <= g for g in groups)
    assert not any({"Hanne Olvik", "Jens Olvik"} <= g for g in groups)


def test_a_name_after_of_or_at_is_not_the_head_of_the_longer_name() -> None:
    a = _doc("a", "The Guild of Lantern Makers met at the Morrow Hall. Lantern Makers walked out. "
             "Morrow Hall closed.",
             [("Guild of Lantern Makers", "ORG"), ("Morrow Hall", "ORG"), ("Lantern Makers", "ORG"), ("Morrow Hall", "ORG")])
    b = _doc("b", "The National Institutes of Oceans (NIO) met. Oceans rose.",
             [("National Institutes of Oceans", "ORG"), ("Oceans", "ORG")])
    c = _doc("c", "NIO said so.", [("NIO", "ORG")])
    groups = _groups([a, b, c])
    assert {"Guild of Lantern Makers"} in groups and {"Lantern Makers"} in groups
    assert {"National Institutes of Oceans", "NIO"} in groups and {"Oceans"} in groups


def test_company_names_with_and_without_their_legal_form_are_one() -> None:
    a = _doc("a", "Brask Ferries GmbH cut two routes.", [("Brask Ferries GmbH", "ORG")])
    b = _doc("b", "Brask Ferries said fuel was to blame.", [("Brask Ferries", "ORG")])
    c = _doc("c", "The HALDEN DA filed charges.", [("HALDEN DA", "ORG"), ])
    d = _doc("d", "Halden won the cup.", [("Halden", "ORG")])
    groups = _groups([a, b, c, d])
    assert {"Brask Ferries GmbH", "Brask Ferries"} in groups
    assert {"HALDEN DA"} in groups  # two capitals at the end are no legal form to drop


def test_abbreviated_words_and_a_trailing_common_noun_do_not_split_an_organisation() -> None:
    a = _doc("a", "The Harbour Workers Assn. filed the case, backed by the United Dockworkers union.",
             [("Harbour Workers Assn.", "ORG"), ("United Dockworkers union", "ORG")])
    b = _doc("b", "The Harbour Workers Association said the United Dockworkers paid the fees.",
             [("Harbour Workers Association", "ORG"), ("United Dockworkers", "ORG")])
    c = _doc("c", "The Harbour Pilots Association and the union of dockers met.",
             [("Harbour Pilots Association", "ORG"), ("the union", "ORG")])
    groups = _groups([a, b, c])
    assert {"Harbour Workers Assn.", "Harbour Workers Association"} in groups
    assert {"United Dockworkers union", "United Dockworkers"} in groups
    assert not any({"Harbour Workers Association", "Harbour Pilots Association"} <= g for g in groups)


def test_a_name_without_the_kind_of_body_it_is_joins_the_one_body_so_named() -> None:
    a = _doc("a", "Harwick University said its players are students. Harwick will appeal.",
             [("Harwick University", "ORG"), ("Harwick", "ORG")])
    b = _doc("b", "Harwick plans to appeal the ruling.", [("Harwick", "ORG")])
    assert {"Harwick University", "Harwick"} in _groups([a, b])
    # two bodies of that name: the bare name is neither's
    c = _doc("c", "Marden College and Marden University both said Marden would wait.",
             [("Marden College", "ORG"), ("Marden University", "ORG"), ("Marden", "ORG")])
    groups = _groups([c])
    assert not any("Marden" in g and len(g) > 1 for g in groups)


def test_a_describing_word_that_opens_a_sentence_is_no_given_name() -> None:
    # "Top Orrin aides …" tagged as the person "Top Orrin" made the lone "Orrin" ambiguous
    a = _doc("a", "Paul Orrin signed the order. Top Orrin aides met on Monday. Orrin spoke.",
             [("Paul Orrin", "PERSON"), ("Top Orrin", "PERSON"), ("Orrin", "PERSON")])
    b = _doc("b", "Orrin said the order stands.", [("Orrin", "PERSON")])
    groups = _groups([a, b])
    assert {"Paul Orrin", "Top Orrin", "Orrin"} in groups
    # a given name that is also an English word stays a given name
    c = _doc("c", "Young Orrin and Paul Orrin argued.", [("Young Orrin", "PERSON"), ("Paul Orrin", "PERSON")])
    assert not any({"Young Orrin", "Paul Orrin"} <= g for g in _groups([c]))
