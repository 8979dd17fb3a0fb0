"""Contradiction detection under controlled edits of real multi-article clusters (ECB+).

For each ECB+ sub-topic (several articles on one event), one article is
copied and one edit of a known type is injected into one sentence of the
copy: swap subject and object of an action (``actor``), change a number
(``number``), change a weekday or date (``date``), add or remove a negation
(``negation``), change a person's title (``attribute``). The cluster plus the
edited copy is analysed; a contradiction counts as found when it has the
edit's type and one of its spans covers the edited sentence of the copy.

* recall(type)    = edits of that type found / edits of that type made
* precision(type) = contradictions of that type at an edit location of that
  type / all contradictions of that type that involve an edited copy
* false contradictions on the unedited clusters, per 10 articles

Run:  .venv/bin/python -m benchmarks.perturbation --split test
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import machine, write_result
from storylens.annotate import ParsedDoc, parse, record_of
from storylens.api import analyze_documents
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.link.entities import TITLES
from storylens.models import Analysis, Contradiction, headline_end
from storylens.options import Options
from storylens.records import AnnotatedDoc

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
KINDS = ("actor", "number", "date", "negation", "attribute")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
NUMBER_WORDS = {"two": "five", "three": "seven", "four": "nine", "five": "eleven", "six": "fourteen",
                "seven": "three", "eight": "two", "nine": "four", "ten": "thirty", "twelve": "twenty"}
AUX = {"was", "were", "is", "are", "has", "have", "had", "will", "would", "could", "can", "did", "does", "do"}
NEW_TITLES = ["Senator", "Governor", "General", "Judge", "Ambassador"]
# courtesy forms are not an office: changing "Mr" to "Senator" is not the edit we test
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "professor", "lady", "lord"}


@dataclass
class Edit:
    kind: str
    start: int  # sentence span of the edit in the edited text
    end: int
    text: str
    before: str
    after: str


def _sentences(ann: ParsedDoc) -> list[Any]:
    """Statements to edit: six tokens or more, with a verb (a dateline states no event), in the
    body (as in ``benchmarks.paraphrase``: an edit of the headline line swaps words of a title,
    "Pedestrian Fatally … Sam's Club", which no reader takes for a statement)."""
    body = headline_end(ann.doc)
    return [s for s in ann.sp.sents if len(s) >= 6 and any(t.pos_ == "VERB" for t in s) and s.start_char >= body]


def _replace(text: str, start: int, end: int, new: str, sent: Any) -> tuple[str, int, int]:
    out = text[:start] + new + text[end:]
    delta = len(new) - (end - start)
    return out, sent.start_char, sent.end_char + delta


def edit_actor(ann: ParsedDoc, rng: random.Random) -> Edit | None:
    text = ann.doc.text
    spans = {(m.span.start, m.span.end): m for m in ann.mentions if m.label in ("PERSON", "ORG", "GPE", "NORP")}
    options = []
    for sent in _sentences(ann):
        for verb in (t for t in sent if t.pos_ == "VERB"):
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if subj is None or obj is None:
                continue
            ms = [m for (s, e), m in spans.items() if s <= subj.idx < e]
            mo = [m for (s, e), m in spans.items() if s <= obj.idx < e]
            if ms and mo and ms[0].span.text.lower() != mo[0].span.text.lower():
                options.append((sent, ms[0].span, mo[0].span))
    if not options:
        return None
    sent, a, b = rng.choice(options)
    new = text[: a.start] + b.text + text[a.end : b.start] + a.text + text[b.end :]
    delta = len(b.text) - len(a.text) + len(a.text) - len(b.text)
    return Edit("actor", sent.start_char, sent.end_char + delta, new, f"{a.text} … {b.text}", f"{b.text} … {a.text}")


def edit_number(ann: ParsedDoc, rng: random.Random) -> Edit | None:
    text = ann.doc.text
    options = [q for q in ann.doc.quantities if q.unit and q.unit not in ("%",)]
    if not options:
        return None
    q = rng.choice(options)
    token = text[q.span.start : q.span.end].split()[0]
    tok_start = q.span.start + text[q.span.start : q.span.end].index(token)
    if token.lower() in NUMBER_WORDS:
        new_tok = NUMBER_WORDS[token.lower()]
        if token[0].isupper():
            new_tok = new_tok.capitalize()
    elif re.fullmatch(r"\d[\d,]*(\.\d+)?", token):
        value = float(token.replace(",", ""))
        new_value = value * 2 + 3 if value < 1000 else value * 1.5
        if 1800 <= new_value <= 2100:
            new_value += 400  # not a year
        new_tok = f"{int(new_value):,}" if "," in token else str(int(new_value))
    else:
        return None
    sent = next(s for s in ann.sp.sents if s.start_char <= q.span.start < s.end_char)
    new, s, e = _replace(text, tok_start, tok_start + len(token), new_tok, sent)
    return Edit("number", s, e, new, token, new_tok)


def edit_date(ann: ParsedDoc, rng: random.Random) -> Edit | None:
    text = ann.doc.text
    options = []
    for sent in _sentences(ann):
        for m in re.finditer(r"\b(" + "|".join(WEEKDAYS) + r")\b", sent.text):
            options.append((sent, sent.start_char + m.start(), sent.start_char + m.end(), "weekday"))
        for m in re.finditer(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})\b", sent.text):
            options.append((sent, sent.start_char + m.start(2), sent.start_char + m.end(2), "day"))
    if not options:
        return None
    sent, start, end, kind = rng.choice(options)
    old = text[start:end]
    if kind == "weekday":
        new_tok = WEEKDAYS[(WEEKDAYS.index(old) + 2) % 7]
    else:
        day = int(old)
        new_tok = str(day + 3 if day <= 25 else day - 5)
    new, s, e = _replace(text, start, end, new_tok, sent)
    return Edit("date", s, e, new, old, new_tok)


def edit_negation(ann: ParsedDoc, rng: random.Random) -> Edit | None:
    text = ann.doc.text
    adds, removes = [], []
    for sent in _sentences(ann):
        root = sent.root
        if root.pos_ not in ("VERB", "AUX"):
            continue
        neg = [c for c in root.children if c.dep_ == "neg"]
        if neg:
            removes.append((sent, neg[0]))
            continue
        aux = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.lower_ in AUX and c.i < root.i]
        if aux:
            adds.append((sent, aux[0], None))
        elif root.lemma_ == "be" and root.tag_ in ("VBD", "VBZ", "VBP"):
            adds.append((sent, root, None))  # "was" → "was not"
        elif root.tag_ == "VBD" and root.lemma_.isalpha():
            adds.append((sent, root, root.lemma_))
    if adds and (not removes or rng.random() < 0.7):
        sent, tok, lemma = rng.choice(adds)
        if lemma is None:
            start = tok.idx + len(tok.text)
            new, s, e = _replace(text, start, start, " not", sent)
            return Edit("negation", s, e, new, tok.text, tok.text + " not")
        new, s, e = _replace(text, tok.idx, tok.idx + len(tok.text), f"did not {lemma}", sent)
        return Edit("negation", s, e, new, tok.text, f"did not {lemma}")
    if removes:
        sent, tok = rng.choice(removes)
        start, end = tok.idx, tok.idx + len(tok.text)
        if text[start - 1 : start] == " " and not tok.text.startswith("n'"):
            start -= 1
        new, s, e = _replace(text, start, end, "", sent)
        return Edit("negation", s, e, new, tok.text, "")
    return None


def edit_attribute(ann: ParsedDoc, rng: random.Random) -> Edit | None:
    text = ann.doc.text
    options = []
    for m in ann.mentions:
        if m.label != "PERSON":
            continue
        before = text[max(0, m.span.start - 30) : m.span.start]
        w = re.search(r"([A-Z][a-z]+)\s+$", before)
        if w and w.group(1).lower() in TITLES and w.group(1).lower() not in HONORIFICS:
            start = m.span.start - len(before) + w.start(1)
            options.append((start, start + len(w.group(1)), w.group(1), m))
    if not options:
        return None
    start, end, old, m = rng.choice(options)
    new_title = next(t for t in NEW_TITLES if t.lower() != old.lower())
    sent = next(s for s in ann.sp.sents if s.start_char <= start < s.end_char)
    new, s, e = _replace(text, start, end, new_title, sent)
    return Edit("attribute", s, e, new, old, new_title)


EDITORS = {"actor": edit_actor, "number": edit_number, "date": edit_date, "negation": edit_negation,
           "attribute": edit_attribute}


def _docs(split: str) -> dict[str, list[dict[str, Any]]]:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["split"] == split:
            clusters[r["subtopic_id"]].append(r)
    return {k: v for k, v in sorted(clusters.items()) if len(v) >= 2}


def _analyse(annotated: list[AnnotatedDoc]) -> Analysis:
    fresh = [a.model_copy(update={"doc": a.doc.model_copy(deep=True)}) for a in annotated]
    analysis = Analysis(documents=[a.doc for a in fresh])
    analyze_documents(fresh, Options(), analysis, {})
    return analysis


def _covers(c: Contradiction, doc_id: str, edit: Edit) -> bool:
    return any(s.doc == doc_id and s.start < edit.end and edit.start < s.end for s in (c.a, c.b))


def run(split: str, seed: int, limit: int | None) -> str:
    rng = random.Random(seed)
    clusters = _docs(split)
    if limit:
        clusters = dict(list(clusters.items())[:limit])
    made: Counter[str] = Counter()
    found: Counter[str] = Counter()
    reported: Counter[str] = Counter()
    at_edit: Counter[str] = Counter()
    background_false = 0
    background_docs = 0
    examples: dict[str, str] = {}
    false_examples: dict[str, str] = {}
    started = time.perf_counter()
    for cid, rows in clusters.items():
        docs = []
        for i, r in enumerate(rows):
            meta = {"outlet": f"{cid}-outlet-{i}"}
            docs.append(build_document(RawItem(source=r["doc_id"], kind="text", content=r["text"], meta=meta)))
        parsed = list(parse(docs))
        annotated = [record_of(p) for p in parsed]
        base = _analyse(annotated)
        background_false += len(base.contradictions)
        background_docs += len(docs)
        for kind in KINDS:
            edit = None
            for target in rng.sample(parsed, len(parsed)):
                edit = EDITORS[kind](target, rng)
                if edit:
                    break
            if edit is None:
                continue
            meta = {"outlet": f"{cid}-edited", "published": target.doc.published}
            copy = build_document(RawItem(source=f"{target.doc.source}#edited", kind="text", content=edit.text,
                                          meta=meta))
            # the edit must land in the document text as written
            copy_parsed = next(parse([copy]))
            copy_ann = record_of(copy_parsed)
            edited_sentence = next(
                (s for s in copy_parsed.sp.sents if s.start_char <= edit.start < s.end_char), None
            )
            if edited_sentence is not None:
                edit.start, edit.end = edited_sentence.start_char, edited_sentence.end_char
            made[kind] += 1
            analysis = _analyse([*annotated, copy_ann])
            # a disagreement the original already had with another outlet, repeated by its
            # copy, is background (counted above), not a report caused by the edit
            # (the copy may state the two values in the other order, so kind and outlet identify it)
            mirrored = {
                (c.kind, c.b.doc if c.a.doc == target.doc.id else c.a.doc)
                for c in base.contradictions if target.doc.id in (c.a.doc, c.b.doc)
            }
            involving = [
                c for c in analysis.contradictions
                if copy.id in (c.a.doc, c.b.doc)
                and (c.kind, c.b.doc if c.a.doc == copy.id else c.a.doc) not in mirrored
            ]
            for c in involving:
                reported[c.kind] += 1
                if c.kind == kind and _covers(c, copy.id, edit):
                    at_edit[c.kind] += 1
                elif c.kind not in false_examples:
                    false_examples[c.kind] = (f"edit {kind} {edit.before!r}→{edit.after!r}; reported {c.explanation!r} "
                                              f"between {c.a.text[:90]!r} and {c.b.text[:90]!r}")
            if any(c.kind == kind and _covers(c, copy.id, edit) for c in involving):
                found[kind] += 1
            elif kind not in examples:
                examples[kind] = f"{edit.before!r} → {edit.after!r} in: {copy.text[edit.start:edit.end][:160]!r}"
    elapsed = time.perf_counter() - started
    lines = [
        f"## Contradictions under controlled edits (ECB+ {split} sub-topics)",
        "",
        f"Command: `.venv/bin/python -m benchmarks.perturbation --split {split} --seed {seed}`  ",
        f"Machine: {machine()}  ",
        f"Clusters: {len(clusters)}, articles: {background_docs}, run time {elapsed:.0f} s.",
        "",
        "| edit type | edits made | found | recall | reported (involving the copy) | precision | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        recall = found[kind] / made[kind] if made[kind] else float("nan")
        precision = at_edit[kind] / reported[kind] if reported[kind] else float("nan")
        lines.append(f"| {kind} | {made[kind]} | {found[kind]} | {recall:.2f} | {reported[kind]} | "
                     f"{precision:.2f} | R ≥ 0.9, P ≥ 0.8 |")
    per10 = 10 * background_false / max(1, background_docs)
    lines += [
        "",
        f"False contradictions on the unedited clusters: {background_false} in {background_docs} articles "
        f"= **{per10:.2f} per 10 articles** (target ≤ 1).",
        "",
        "Precision counts every contradiction involving the edited copy (one of another type at the edit, or "
        "one elsewhere in the copy, is a false report), except those of a kind the unedited original already had with "
        "the same outlet (the copy repeats them; they are counted in the line above). "
        "No published number exists for this benchmark (we built it).",
    ]
    if examples:
        lines += ["", "One missed edit per type (for inspection):", ""]
        lines += [f"- {k}: {v}" for k, v in sorted(examples.items())]
    if false_examples:
        lines += ["", "One false report per type (for inspection):", ""]
        lines += [f"- {k}: {v}" for k, v in sorted(false_examples.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    args = parser.parse_args()
    report = run(args.split, args.seed, args.limit)
    print(report)
    if args.limit is None:
        write_result(f"perturbation_{args.split}", report)


if __name__ == "__main__":
    main()
