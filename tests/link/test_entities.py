"""Entity canonicalisation on hand-made mentions (no model needed)."""

from __future__ import annotations

from storylens.annotate import AnnotatedDoc, Mention
from storylens.link.entities import canonicalize, fold_token, names_compatible
from storylens.models import Document, Span


def _doc(doc_id: str, text: str, names: list[tuple[str, str]]) -> AnnotatedDoc:
    """A document whose entity mentions are the given (surface, label) pairs, found in order."""
    mentions = []
    pos = 0
    for surface, label in names:
        start = text.index(surface, pos)
        mentions.append(Mention(span=Span(doc=doc_id, start=start, end=start + len(surface), text=surface), label=label))
        pos = start + len(surface)
    return AnnotatedDoc(doc=Document(id=doc_id, source=doc_id, text=text), mentions=mentions)


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
