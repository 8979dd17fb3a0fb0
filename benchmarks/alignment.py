"""Claim alignment (corroboration) against ECB+ cross-document event coreference.

storylens groups sentences of different articles that state the same thing
into one ``Claim``. ECB+ says, for its selected (fully annotated) sentences,
which event and entity mentions corefer across documents. Each gold
sub-topic (articles about one seminal event) is analysed as ONE story (a
clusterer that returns one label), so story splitting is not what is measured.

Unit: a pair of selected sentences from two different documents of one
sub-topic.

* predicted pair: both sentences are support spans of the same claim;
* gold *same event*: they share a cross-document event chain whose tag is not
  a reporting verb ("said" is not the claim; ACTION_REPORTING and
  NEG_ACTION_REPORTING are left out);
* gold *same event and participant*: they also share a cross-document entity
  chain (HUMAN_PART*, NON_HUMAN_PART*, LOC*, TIME*).

Precision is taken against *same event* (a group that joins sentences about
different events is an error), recall against *same event and participant*
(what a corroboration table should join), F1 of the two; both gold sets are
also scored on their own. Pairs are counted per sub-topic and summed (micro).

Comparison rows group the same claim drafts (stating sentences) with the
greedy merge `align` used before event frames (best pair first, one sentence per document, mean
similarity of a merged group ≥ threshold + 0.04, 30 nearest neighbours) but
accept a pair on a similarity threshold alone: MiniLM cosine (the pipeline's
vectors) or TF-IDF cosine; a last row joins every pair whose main verbs share
a lemma. Storylens's sentences are mapped back to the raw ECB+ text (the
cleaned text keeps the headline as its first paragraph and doubles line breaks).

Run:  .venv/bin/python -m benchmarks.alignment --split dev
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import json
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.annotation_cache import annotate_cached
from benchmarks.common import machine, revision, write_result
from storylens.embed import get_embedder
from storylens.errors import StorylensError
from storylens.ingest import build_document
from storylens.ingest.normalize import normalize
from storylens.ingest.sources import RawItem
from storylens.link.align import FRAME_SIM, NEIGHBOURS, align, nearest_pairs
from storylens.link.claims import build_claims
from storylens.link.clauses import ClaimDraft, resolve_drafts
from storylens.link.entities import canonicalize
from storylens.link.quotes import match_quotes
from storylens.link.syndication import detect_syndication
from storylens.models import Document
from storylens.options import Options
from storylens.records import AnnotatedDoc, MentionIndex
from storylens.storify import split_stories

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus"
ENTITY_TAGS = ("HUMAN_PART", "NON_HUMAN_PART", "LOC", "TIME")
TFIDF_THRESHOLD = 0.5
#: extra MiniLM-only operating points, to compare at equal precision
EXTRA_THRESHOLDS = (0.70, 0.78)
#: the merge rule of ``storylens.link.align.align``: a merged group keeps this much mean similarity
COHERENCE_MARGIN = 0.04

SentKey = tuple[str, int]  # (ECB+ doc id, index into docs.jsonl "sentences")
Pair = tuple[SentKey, SentKey]


class OneStory:
    """Every document in one story (the gold sub-topic is given)."""

    def cluster(self, annotated: list[AnnotatedDoc], entity_of: MentionIndex) -> list[int]:
        return [0] * len(annotated)


@dataclass
class Gold:
    rows: dict[str, dict[str, Any]]
    selected: set[SentKey]
    events: dict[SentKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    event_tags: dict[SentKey, list[str]] = field(default_factory=lambda: defaultdict(list))
    entities: dict[SentKey, set[str]] = field(default_factory=lambda: defaultdict(set))


def load(split: str) -> tuple[dict[str, list[str]], Gold]:
    """Documents of the split by sub-topic, and the gold chains per selected sentence."""
    with gzip.open(DATA / "docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = {r["doc_id"]: r for r in map(json.loads, fh) if r["split"] == split}
    # the official list numbers XML sentences; *ecbplus documents lost XML sentence 0 (the URL)
    shift = {d: (1 if r["subtopic"] == "ecbplus" else 0) for d, r in rows.items()}
    selected: set[SentKey] = set()
    with open(DATA / "ECBplus_coreference_sentences.csv", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            doc = f"{rec['Topic']}_{rec['File']}"
            if doc in rows:
                selected.add((doc, int(rec["Sentence Number"]) - shift[doc]))
    gold = Gold(rows=rows, selected=selected)
    with gzip.open(DATA / "mentions.jsonl.gz", "rt", encoding="utf-8") as fh:
        for rec in map(json.loads, fh):
            doc = rec["doc_id"]
            if doc not in rows:
                continue
            for m in rec["mentions"]:
                key = (doc, m["sentence"] - shift[doc])
                if key not in selected or m["chain_scope"] != "cross_doc":
                    continue
                if m["kind"] == "event" and "ACTION_REPORTING" not in m["tag"]:
                    gold.events[key].add(m["chain"])
                    gold.event_tags[key].append(f"{m['text']}/{m['tag']}")
                elif m["kind"] == "entity" and m["tag"].startswith(ENTITY_TAGS):
                    gold.entities[key].add(m["chain"])
    by_subtopic: dict[str, list[str]] = defaultdict(list)
    for d, r in sorted(rows.items(), key=lambda kv: (kv[1]["topic"], kv[1]["subtopic"], kv[0])):
        by_subtopic[r["subtopic_id"]].append(d)
    return dict(by_subtopic), gold


def _pair(a: SentKey, b: SentKey) -> Pair:
    return (a, b) if a <= b else (b, a)


def gold_pairs(docs: list[str], gold: Gold) -> tuple[set[Pair], set[Pair]]:
    """(same event, same event and participant) pairs of selected sentences across documents."""
    keys = sorted(k for k in gold.selected if k[0] in set(docs) and gold.events.get(k))
    event: set[Pair] = set()
    strict: set[Pair] = set()
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a[0] == b[0] or not gold.events[a] & gold.events[b]:
                continue
            event.add((a, b))
            if gold.entities.get(a, set()) & gold.entities.get(b, set()):
                strict.add((a, b))
    return event, strict


class SentenceMap:
    """A span of the cleaned document → the ECB+ sentence it comes from."""

    def __init__(self, row: dict[str, Any]) -> None:
        # the raw text as ingest normalises it (quotes, dashes, ellipses), whitespace runs
        # collapsed to one space, with the raw offset of every kept character
        norm = normalize(row["text"])
        chars: list[str] = []
        self.offsets: list[int] = []
        prev_space = True
        for i, ch in enumerate(norm.text):
            if ch.isspace():
                if prev_space:
                    continue
                ch, prev_space = " ", True
            else:
                prev_space = False
            chars.append(ch)
            self.offsets.append(norm.offsets[i])
        self.flat = "".join(chars)
        self.sentences: list[tuple[int, int]] = [tuple(s) for s in row["sentences"]]
        self.starts = [s for s, _ in self.sentences]
        self.doc = row["doc_id"]

    def locate(self, text: str, approx: int) -> int | None:
        """Index of the ECB+ sentence that holds most of ``text`` (None when it is not found)."""
        needle = " ".join(text.split())
        if not needle:
            return None
        hits = [m.start() for m in re.finditer(re.escape(needle), self.flat)]
        if not hits:
            return None
        pos = min(hits, key=lambda h: abs(self.offsets[h] - approx))
        start, end = self.offsets[pos], self.offsets[pos + len(needle) - 1] + 1
        best, best_overlap = None, 0
        k = max(0, bisect.bisect_right(self.starts, start) - 1)
        while k < len(self.sentences) and self.sentences[k][0] < end:
            s, e = self.sentences[k]
            overlap = min(e, end) - max(s, start)
            if overlap > best_overlap:
                best, best_overlap = k, overlap
            k += 1
        return best


@dataclass
class Method:
    name: str
    pred: set[Pair] = field(default_factory=set)
    groups: int = 0  # groups with sentences from two documents or more
    covered: set[SentKey] = field(default_factory=set)  # selected sentences in such groups


@dataclass
class Mapper:
    maps: dict[str, SentenceMap]
    doc_of: dict[str, str]  # storylens document id → ECB+ doc id
    unmapped: int = 0
    mapped: int = 0

    def key(self, doc: str, start: int, text: str) -> SentKey | None:
        ecb = self.doc_of[doc]
        k = self.maps[ecb].locate(text, start)
        if k is None:
            self.unmapped += 1
            return None
        self.mapped += 1
        return (ecb, k)


def add_groups(method: Method, groups: Iterable[list[SentKey | None]], gold: Gold) -> None:
    for group in groups:
        keys = sorted({k for k in group if k is not None and k in gold.selected})
        if len({k[0] for k in group if k is not None}) >= 2:
            method.groups += 1
            method.covered.update(keys)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if a[0] != b[0]:
                    method.pred.add(_pair(a, b))


def threshold_groups(vectors: np.ndarray, docs: list[str], threshold: float) -> list[list[int]]:
    """The greedy merge of ``align`` with a similarity threshold as the only test."""
    n = len(docs)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    docs_in: dict[int, set[str]] = {i: {docs[i]} for i in range(n)}
    for i, j, _sim in sorted(nearest_pairs(vectors, docs, threshold), key=lambda p: -p[2]):
        ga, gb = group_of[i], group_of[j]
        if ga == gb or docs_in[ga] & docs_in[gb]:
            continue
        if float((vectors[members[ga]] @ vectors[members[gb]].T).mean()) < threshold + COHERENCE_MARGIN:
            continue
        for k in members[gb]:
            group_of[k] = ga
        members[ga].extend(members.pop(gb))
        docs_in[ga] |= docs_in.pop(gb)
    return list(members.values())


def tfidf_vectors(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    m = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return np.asarray(m.toarray(), dtype=np.float32)  # rows are L2-normalised


def lemma_pairs(drafts: list[ClaimDraft]) -> list[list[int]]:
    """Every cross-document pair whose main verbs share a lemma (pairs, not groups)."""
    by_lemma: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(drafts):
        if d.main is not None:
            by_lemma[d.main.predicate].append(k)
    return [[a, b] for ks in by_lemma.values() for i, a in enumerate(ks) for b in ks[i + 1 :]
            if drafts[a].doc != drafts[b].doc]


@dataclass
class Totals:
    claims: int = 0
    corroborated: int = 0
    supported_sentences: int = 0
    stating: int = 0
    reachable: set[Pair] = field(default_factory=set)
    titles: set[SentKey] = field(default_factory=set)  # ECB+ sentences ingest took as the headline
    docs: int = 0
    failed: int = 0
    #: where each S pair is lost (the furthest stage its best pair of drafts reaches)
    where: Counter[str] = field(default_factory=Counter)


def run_subtopic(
    doc_ids: list[str], gold: Gold, methods: dict[str, Method], totals: Totals, options: Options
) -> None:
    docs: list[Document] = []
    doc_of: dict[str, str] = {}
    for d in doc_ids:
        try:
            doc = build_document(RawItem(source=d, kind="text", content=gold.rows[d]["text"], meta={}))
        except StorylensError:
            totals.failed += 1
            continue
        docs.append(doc)
        doc_of[doc.id] = d
    totals.docs += len(docs)
    for doc in docs:
        if doc.title:
            k = SentenceMap(gold.rows[doc_of[doc.id]]).locate(doc.title, 0)
            if k is not None:
                totals.titles.add((doc_of[doc.id], k))
    annotated = annotate_cached(docs, options)
    mapper = Mapper({d: SentenceMap(gold.rows[d]) for d in doc_ids}, doc_of)
    # the link stages of api.analyze_documents, with the story given
    quotes = [q.model_copy(deep=True) for ann in annotated for q in ann.quotes]
    detect_syndication([a.doc for a in annotated])
    entities, index = canonicalize(annotated)
    match_quotes(quotes, entities, index)
    stories = split_stories(annotated, entities, index, clusterer=OneStory())
    claims, _ = build_claims(annotated, entities, index, stories, quotes, options)
    totals.claims += len(claims)
    groups = []
    for c in claims:
        if c.independent_sources >= 2:
            totals.corroborated += 1
        if len({s.doc for s in c.support}) >= 2:
            totals.supported_sentences += len(c.support)
        groups.append([mapper.key(s.doc, s.start, s.text) for s in c.support])
    add_groups(methods["storylens"], groups, gold)

    # the same stating drafts build_claims aligned, for the threshold-only rows
    drafts = [d for a in annotated for d in resolve_drafts(a, index) if not d.fragment and not d.opinion]
    totals.stating += len(drafts)
    keys = [mapper.key(d.doc, d.start, d.text) for d in drafts]
    with_draft = {k for k in keys if k is not None and k in gold.selected}
    _event, strict = gold_pairs(doc_ids, gold)
    totals.reachable |= {p for p in strict if p[0] in with_draft and p[1] in with_draft}
    if len({d.doc for d in drafts}) < 2:
        return
    doc_list = [d.doc for d in drafts]
    vectors = get_embedder().encode([d.text for d in drafts])
    totals.where.update(where_lost(drafts, keys, vectors, strict, options))

    def as_keys(index_groups: list[list[int]]) -> list[list[SentKey | None]]:
        return [[keys[k] for k in g] for g in index_groups]

    t = options.align_threshold
    add_groups(methods[f"minilm@{t:.2f}"], as_keys(threshold_groups(vectors, doc_list, t)), gold)
    for extra in EXTRA_THRESHOLDS:
        add_groups(methods[f"minilm@{extra:.2f}"], as_keys(threshold_groups(vectors, doc_list, extra)), gold)
    tf = tfidf_vectors([d.text for d in drafts])
    add_groups(methods["tfidf"], as_keys(threshold_groups(tf, doc_list, TFIDF_THRESHOLD)), gold)
    add_groups(methods["lemma"], as_keys(lemma_pairs(drafts)), gold)


#: stages of ``where_lost``, first to last
WHERE_STAGES = ("no stating draft", f"not among the {NEIGHBOURS} nearest", f"similarity < {FRAME_SIM}",
                "no frame below the threshold", "named participants disjoint", "slots disagree",
                "pair kept, merge refused (group coherence, member floor)", "aligned")


def where_lost(drafts: list[ClaimDraft], keys: list[SentKey | None], vectors: np.ndarray, strict: set[Pair],
               options: Options) -> Counter[str]:
    """For each S pair, the furthest stage of ``align`` its best pair of drafts reaches."""
    from storylens.link.align import _entity_overlap, _entity_weights, same_frame

    groups, pairs = align(drafts, vectors, options.align_threshold)
    group_of = {k: g for g, members in enumerate(groups) for k in members}
    kept = {(p.a, p.b) for p in pairs}
    near = {(i, j) for i, j, _ in nearest_pairs(vectors, [d.doc for d in drafts], 0.0, other_docs=True)}
    weights = _entity_weights(drafts)
    index: dict[SentKey, list[int]] = defaultdict(list)
    for k, key in enumerate(keys):
        if key is not None:
            index[key].append(k)
    out: Counter[str] = Counter()
    for a, b in strict:
        best = 0
        for i in index.get(a, []):
            for j in index.get(b, []):
                x, y = min(i, j), max(i, j)
                sim = float(vectors[x] @ vectors[y])
                if group_of[x] == group_of[y]:
                    stage = 7
                elif (x, y) in kept:
                    stage = 6
                elif (x, y) not in near:
                    stage = 1
                elif sim < FRAME_SIM:
                    stage = 2
                elif sim < options.align_threshold:
                    stage = 3 if not same_frame(drafts[x], drafts[y]) else 5
                elif drafts[x].entities and drafts[y].entities and not _entity_overlap(drafts[x], drafts[y], weights):
                    stage = 4
                else:
                    stage = 5
                best = max(best, stage)
        out[WHERE_STAGES[best]] += 1
    return out


def _prf(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def run(split: str, show: int, seed: int, limit: int | None) -> tuple[str, list[str]]:
    started = time.perf_counter()
    subtopics, gold = load(split)
    if limit:
        subtopics = dict(list(subtopics.items())[:limit])
    options = Options()
    t = options.align_threshold
    labels = {
        "storylens": "storylens claims (MiniLM + slot agreement, `align`)",
        f"minilm@{t:.2f}": f"MiniLM threshold only, sim ≥ {t:.2f} (`Options().align_threshold`)",
        **{f"minilm@{x:.2f}": f"MiniLM threshold only, sim ≥ {x:.2f}" for x in EXTRA_THRESHOLDS},
        "tfidf": f"TF-IDF threshold only, cosine ≥ {TFIDF_THRESHOLD}",
        "lemma": "same main-verb lemma, all pairs (no grouping)",
    }
    methods = {k: Method(k) for k in labels}
    totals = Totals()
    all_event: set[Pair] = set()
    all_strict: set[Pair] = set()
    get_embedder().encode(["warm up"])
    for n, (sub, doc_ids) in enumerate(subtopics.items(), 1):
        t0 = time.perf_counter()
        run_subtopic(doc_ids, gold, methods, totals, options)
        event, strict = gold_pairs(doc_ids, gold)
        all_event |= event
        all_strict |= strict
        print(f"[{n}/{len(subtopics)}] {sub}: {len(doc_ids)} docs, {len(event)} same-event / {len(strict)} "
              f"strict gold pairs, {time.perf_counter() - t0:.1f} s", flush=True)
    elapsed = time.perf_counter() - started
    title_pairs = {p for p in all_strict if p[0] in totals.titles or p[1] in totals.titles}

    args = f"--split {split}" + (f" --limit {limit}" if limit else "")
    lines = [
        f"## Claim alignment vs ECB+ cross-document event coreference ({split} topics)",
        "",
        f"Command: `.venv/bin/python -m benchmarks.alignment {args}`  ",
        f"Machine: {machine()}  ",
        f"Code: {revision()}  ",
        f"Sub-topics: {len(subtopics)} (each analysed as one story), documents: {totals.docs} "
        f"({totals.failed} rejected by ingest), run time {elapsed:.0f} s.",
        "",
        f"Gold pairs of selected sentences from different documents of one sub-topic: **{len(all_event)}** "
        f"share a non-reporting cross-document event chain (*same event*, E); **{len(all_strict)}** also share "
        f"a cross-document entity chain (*same event and participant*, S). Of the S pairs, "
        f"{len(totals.reachable)} ({_ratio(len(totals.reachable), len(all_strict)):.0%}) have a stating "
        f"claim draft on both sides: the recall ceiling of every row. Ingest takes the first line as the "
        f"headline in {len(totals.titles)} of {totals.docs} documents (it is the first paragraph of the text, "
        f"so it can state a claim), and {len(title_pairs)} S pairs ({_ratio(len(title_pairs), len(all_strict)):.0%}) "
        f"have a headline on one side or both; sentences without a verb, quotation fragments and opinion "
        f"sentences are no claims.",
        "",
        "| grouping | predicted pairs | P (vs E) | R (vs S) | F1 (P vs E, R vs S) | P vs S | R vs E "
        "| groups over ≥ 2 docs | selected sentences in them |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, label in labels.items():
        m = methods[key]
        tp_e, tp_s = len(m.pred & all_event), len(m.pred & all_strict)
        p_e, p_s = _ratio(tp_e, len(m.pred)), _ratio(tp_s, len(m.pred))
        r_e, r_s = _ratio(tp_e, len(all_event)), _ratio(tp_s, len(all_strict))
        groups = "—" if key == "lemma" else str(m.groups)
        lines.append(f"| {label} | {len(m.pred)} | {p_e:.3f} | {r_s:.3f} | {_prf(p_e, r_s):.3f} | {p_s:.3f} | "
                     f"{r_e:.3f} | {groups} | {len(m.covered)} |")
    mapped = totals.stating
    pred = methods["storylens"].pred
    with_title = {p for p in pred if p[0] in totals.titles or p[1] in totals.titles}
    body_strict = all_strict - title_pairs
    lines += [
        "",
        f"storylens pairs with a headline on one side or both: {len(with_title)}, P (vs E) "
        f"{_ratio(len(with_title & all_event), len(with_title)):.3f}, R (vs the S pairs with a headline) "
        f"{_ratio(len(with_title & title_pairs), len(title_pairs)):.3f}; pairs of body sentences: "
        f"{len(pred - with_title)}, P {_ratio(len((pred - with_title) & all_event), len(pred - with_title)):.3f}, "
        f"R {_ratio(len((pred - with_title) & body_strict), len(body_strict)):.3f}.",
        "",
        f"storylens output: {totals.claims} claims, {totals.corroborated} corroborated (≥ 2 independent "
        f"sources), {totals.supported_sentences} sentences support a claim found in two documents or more; "
        f"{mapped} stating claim drafts in all.",
        "",
        "Rows 2–6 group the very drafts `build_claims` aligned, with the greedy merge `storylens.link.align.align` "
        "used before event frames (best pair first, one sentence per document, merged group mean "
        f"similarity ≥ threshold + {COHERENCE_MARGIN}, {30} nearest neighbours per sentence) but a threshold "
        "as the only test; the last row joins every cross-document pair whose first content clause has the "
        "same verb lemma. Reporting events (ACTION_REPORTING, NEG_ACTION_REPORTING) never make a gold pair. "
        "A gold pair needs a shared chain anywhere in the two sentences, so two sentences that each carry "
        "several events count as one event here; the metric is lenient in that way.",
        "",
        "Context only, not a peer on this metric: published cross-document event coreference on ECB+ test "
        "topics scores gold event *mentions* with the CoNLL F1 of MUC, B³ and CEAF-e, e.g. Barhom et al. "
        "2019 (ACL, \"Revisiting Joint Modeling of Cross-document Entity and Event Coreference Resolution\"), "
        "event CoNLL F1 79.5 (unverified: the paper's table was not read here). Our unit is a pair of "
        "sentences, predicted from raw text with no gold mentions, and a sentence pair is right when the two "
        "sentences share any coreferent event; the two numbers are not comparable.",
        "",
    ]
    total_where = sum(totals.where.values())
    if total_where:
        lines += ["Where the S pairs are lost (the furthest stage of `align` the best pair of their drafts "
                  "reaches; the greedy merge of the pipeline's own `align` on the stating drafts):", "",
                  "| stage | S pairs | share |", "|---|---|---|"]
        lines += [f"| {st} | {totals.where[st]} | {totals.where[st] / total_where:.2f} |" for st in WHERE_STAGES]
        lines.append("")
    # false positives of the pipeline, for reading
    fps = sorted(methods["storylens"].pred - all_event)
    rng = random.Random(seed)
    sample = rng.sample(fps, min(show, len(fps)))
    notes = []
    for a, b in sample:
        ta = _sentence_text(gold, a)
        tb = _sentence_text(gold, b)
        notes.append(f"FP {a} ~ {b}\n  A: {ta}\n     events: {gold.event_tags.get(a, [])}\n"
                     f"  B: {tb}\n     events: {gold.event_tags.get(b, [])}")
    return "\n".join(lines), notes


def _sentence_text(gold: Gold, key: SentKey) -> str:
    row = gold.rows[key[0]]
    s, e = row["sentences"][key[1]]
    return str(row["text"][s:e])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "train", "test"), default="dev")
    parser.add_argument("--show", type=int, default=10, help="false-positive pairs to print (not written)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None, help="first N sub-topics only (a quick check)")
    args = parser.parse_args(argv)
    report, notes = run(args.split, args.show, args.seed, args.limit)
    print(report)
    for note in notes:
        print(note)
    if not args.limit:
        write_result(f"alignment_{args.split}", report)


if __name__ == "__main__":
    main()
