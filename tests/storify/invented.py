"""Invented news events (made-up places and people) for the story-stream tests.

Each event is a few short reports from different outlets with a publication
day; two events of one kind in one place are kept months or years apart.
"""

from __future__ import annotations

from storylens.annotate import annotate
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.entities import canonicalize
from storylens.records import AnnotatedDoc
from storylens.storify.features import DocFeatures, features_of_docs

Article = tuple[str, str]  # (published ISO day, text)

MILL_FIRE_MARCH: list[Article] = [
    ("2031-03-04", "A fire destroyed the old Kessing textile mill in Orlenbury on Monday night, and 40 firefighters "
                   "fought the blaze until dawn. Fire chief Nadia Brunvold said nobody was hurt."),
    ("2031-03-04", "Flames tore through the Kessing mill in Orlenbury late on Monday. Chief Nadia Brunvold said "
                   "the roof collapsed within an hour and the cause of the fire is not yet known."),
    ("2031-03-05", "Investigators in Orlenbury are searching the ruins of the Kessing textile mill after Monday's "
                   "fire. Nadia Brunvold, the fire chief, said faulty wiring was one possible cause."),
]
MILL_FIRE_SEPTEMBER: list[Article] = [
    ("2031-09-16", "A fire gutted the Tamsworth paper mill in Orlenbury on Sunday, forcing 200 residents of nearby "
                   "streets to leave their homes. Fire chief Oskar Lindahl said two workers were treated for smoke."),
    ("2031-09-16", "Orlenbury residents were evacuated as the Tamsworth paper mill burned on Sunday. Oskar Lindahl, "
                   "who leads the fire service, said the flames spread from a storage hall."),
    ("2031-09-17", "The Tamsworth mill fire in Orlenbury is out, fire chief Oskar Lindahl said on Monday, and the "
                   "200 evacuated residents may return home."),
]
COACH_2005: list[Article] = [
    ("2005-02-11", "Dunmere Rovers fired coach Pavel Strand on Friday after nine defeats in a row. Club chairman "
                   "Edwin Marlowe said the decision was painful but necessary."),
    ("2005-02-11", "Pavel Strand is out as coach of Dunmere Rovers. The club dismissed him on Friday after a losing "
                   "streak of nine games, chairman Edwin Marlowe said."),
    ("2005-02-12", "Former Dunmere Rovers coach Pavel Strand said on Saturday he was surprised to be fired after "
                   "three seasons in charge of the club."),
]
COACH_2008: list[Article] = [
    ("2008-10-03", "Dunmere Rovers fired coach Ilse Varga on Friday after the club dropped to last place. Chairman "
                   "Edwin Marlowe thanked her for two seasons of work."),
    ("2008-10-03", "Ilse Varga was dismissed as Dunmere Rovers coach on Friday. Chairman Edwin Marlowe said the "
                   "club would name a successor within a week."),
    ("2008-10-04", "Dunmere Rovers are searching for a new coach after firing Ilse Varga on Friday, chairman Edwin "
                   "Marlowe said on Saturday."),
]
FERRY: list[Article] = [
    ("2031-03-04", "A ferry carrying 120 passengers ran aground off Veltholm island on Monday. The coast guard "
                   "said all passengers were taken ashore by lifeboats."),
    ("2031-03-04", "The Veltholm ferry that ran aground on Monday was towed free by two tugboats, the coast guard "
                   "said, after its 120 passengers were brought ashore."),
    ("2031-03-05", "Divers inspected the hull of the ferry that ran aground off Veltholm, the operator said on "
                   "Tuesday, as questions grew about the captain's route."),
]


def annotate_articles(articles: list[Article]) -> list[AnnotatedDoc]:
    docs = [build_document(RawItem(source=f"invented-{i}", kind="text", content=text,
                                   meta={"published": day, "outlet": f"Outlet {i % 3}"}))
            for i, (day, text) in enumerate(articles)]
    return annotate(docs)


def features(articles: list[Article]) -> list[DocFeatures]:
    """Each article ingested, annotated and canonicalised on its own, as ``storylens add`` sees it."""
    records = annotate_articles(articles)
    entity_of: dict[tuple[str, int, int], str] = {}
    for ann in records:
        entity_of.update(canonicalize([ann])[1])
    return features_of_docs([a.doc for a in records], [a.mentions for a in records], entity_of)

RULING_FIRST: list[Article] = [
    ("2031-05-06", "The Varnholt high court on Tuesday struck down the fee clause of the Water Access Act, ruling "
                   "that towns may not charge households for wells. Judge Mirela Doshi wrote the decision."),
    ("2031-05-06", "Judge Mirela Doshi of the Varnholt high court ruled on Tuesday that the Water Access Act's well "
                   "fee is unlawful, a win for the farmers who brought the case."),
    ("2031-05-07", "Towns across Varnholt stopped collecting well fees on Wednesday after Tuesday's high court ruling "
                   "against the Water Access Act fee clause, written by Judge Mirela Doshi."),
]
RULING_SECOND: list[Article] = [
    ("2031-05-13", "A second court, the Varnholt appeals bench, on Tuesday upheld the Water Access Act's limits on "
                   "river pumping, rejecting a challenge by the Orrin Valley growers' union. Judge Tomas Quill wrote it."),
    ("2031-05-13", "The appeals bench in Varnholt ruled on Tuesday that the pumping limits of the Water Access Act "
                   "stand. Judge Tomas Quill said the growers' union had not shown harm."),
    ("2031-05-14", "The Orrin Valley growers' union said on Wednesday it would not appeal Tuesday's ruling by Judge "
                   "Tomas Quill that upheld the Water Access Act pumping limits."),
]
