"""Entity canonicalisation: merges and look-alikes on a labelled set of name variants.

``benchmarks/data/entity_variants.json`` (built for this project) holds small
cases, each a few documents with their entity mentions and a gold referent per
mention: real transliteration pairs (Zelensky/Zelenskyy/Zelenskiy,
Gaddafi/Qaddafi/Gadhafi, Aleksandr/Alexander Lukashenko/Lukashenka …),
typos, diacritics, titles, surname-only mentions, and look-alikes that must
stay apart (George W. / George H. W. Bush, the Clintons, the Castros, several
people called Lee or Kelly, Michael Jordan vs Jordan, a club vs a district).
A lone "Lee" next to two Lees has its own gold referent: merging it with
either is a false merge.

``benchmarks/data/entity_texts.json`` (written for issue 11, on invented names and
events, none from the seed articles) holds cases as whole sentences, so that what a text
defines counts: acronyms defined in the text and used across the batch, countries written
several ways, organisation names contained in longer ones, possessive and short forms of a
person, and look-alikes that must stay apart (two definitions of one acronym, Sudan and South
Sudan, a capital and its country, a mother and son called by their surname). A mention is
written ``[[surface|LABEL|referent]]``.

Scores are over mention pairs inside each case: merge precision = share of
predicted same-entity pairs that are truly the same; recall = share of true
same-entity pairs predicted.

Run:  .venv/bin/python -m benchmarks.entities
"""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

from benchmarks.common import machine, write_result
from storylens.link.entities import canonicalize
from storylens.models import Document, Span
from storylens.records import AnnotatedDoc, Mention

DATA = Path(__file__).resolve().parent / "data" / "entity_variants.json"
TEXTS = Path(__file__).resolve().parent / "data" / "entity_texts.json"
#: held out: written after the rules were built, run once (the rows marked "test")
TEXTS_TEST = Path(__file__).resolve().parent / "data" / "entity_texts_test.json"
_MARK = re.compile(r"\[\[([^|\]]+)\|([A-Z_]+)\|([^\]]+)\]\]")


def _case_docs(case: dict) -> tuple[list[AnnotatedDoc], list[tuple[str, int, int, str]]]:
    annotated, gold = [], []
    for n, mentions in enumerate(case["docs"]):
        doc_id = f"d{n}"
        text, spans = "", []
        for surface, label, ref in mentions:
            start = len(text)
            text += surface + " spoke to reporters. "
            spans.append(Mention(span=Span(doc=doc_id, start=start, end=start + len(surface), text=surface), label=label))
            gold.append((doc_id, start, start + len(surface), ref))
        annotated.append(AnnotatedDoc(doc=Document(id=doc_id, source=doc_id, text=text), mentions=spans))
    return annotated, gold


def _text_docs(case: dict) -> tuple[list[AnnotatedDoc], list[tuple[str, int, int, str]]]:
    """Documents written with ``[[surface|LABEL|referent]]`` marks, the marks removed."""
    annotated, gold = [], []
    for n, marked in enumerate(case["docs"]):
        doc_id = f"d{n}"
        text, spans, pos = "", [], 0
        for m in _MARK.finditer(marked):
            text += marked[pos : m.start()]
            surface, label, ref = m.groups()
            start = len(text)
            text += surface
            spans.append(Mention(span=Span(doc=doc_id, start=start, end=len(text), text=surface), label=label))
            gold.append((doc_id, start, len(text), ref))
            pos = m.end()
        text += marked[pos:]
        annotated.append(AnnotatedDoc(doc=Document(id=doc_id, source=doc_id, text=text), mentions=spans))
    return annotated, gold


def _score(cases: list[dict], build) -> tuple[int, int, int, list[str], list[str]]:  # type: ignore[no-untyped-def]
    tp = fp = fn = 0
    false_merges: list[str] = []
    missed: list[str] = []
    for case in cases:
        annotated, gold = build(case)
        _, index = canonicalize(annotated)
        for (d1, s1, e1, g1), (d2, s2, e2, g2) in combinations(gold, 2):
            same_pred = index.get((d1, s1, e1)) is not None and index.get((d1, s1, e1)) == index.get((d2, s2, e2))
            same_gold = g1 == g2
            tp += same_pred and same_gold
            if same_pred and not same_gold:
                fp += 1
                false_merges.append(case["case"])
            if same_gold and not same_pred:
                fn += 1
                missed.append(case["case"])
    return tp, fp, fn, false_merges, missed


def _row(name: str, n_cases: int, tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"| {name} | {n_cases} | {tp + fn} | **{p:.3f}** | **{r:.3f}** | {f1:.3f} | {fp} | {fn} |"


def _recognised_docs(case: dict) -> tuple[list[AnnotatedDoc], list[tuple[str, int, int, str]]]:
    """The same texts with the mentions spaCy finds (as ``storylens analyze`` sees them); gold
    mentions the recogniser missed or cut differently are left out of the score."""
    from storylens.annotate import annotate

    marked, gold = _text_docs(case)
    annotated = annotate([Document(id=a.doc.id, source=a.doc.id, text=a.doc.text) for a in marked])
    found = {(m.span.doc, m.span.start, m.span.end) for a in annotated for m in a.mentions}
    _RECOGNISED[0] += sum(1 for g in gold if g[:3] in found)
    _RECOGNISED[1] += len(gold)
    return annotated, [g for g in gold if g[:3] in found]


#: gold mentions the recogniser found with the same span, of all gold mentions
_RECOGNISED = [0, 0]


def run() -> str:
    cases = json.loads(DATA.read_text(encoding="utf-8"))
    texts = json.loads(TEXTS.read_text(encoding="utf-8"))
    rows = []
    totals = [0, 0, 0]
    false_merges: list[str] = []
    missed: list[str] = []
    tp, fp, fn, fm, ms = _score(cases, _case_docs)
    rows.append(_row("name variants and look-alikes (mentions only)", len(cases), tp, fp, fn))
    totals = [tp, fp, fn]
    false_merges += fm
    missed += ms
    kinds = Counter(c["kind"] for c in texts)
    for kind in kinds:
        sub = [c for c in texts if c["kind"] == kind]
        tp, fp, fn, fm, ms = _score(sub, _text_docs)
        rows.append(_row(f"in text: {kind}", len(sub), tp, fp, fn))
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        false_merges += fm
        missed += ms
    held_out = json.loads(TEXTS_TEST.read_text(encoding="utf-8"))
    h_tp, h_fp, h_fn, fm, ms = _score(held_out, _text_docs)
    held_row = _row("held-out text cases (test, run once)", len(held_out), h_tp, h_fp, h_fn)
    false_merges += [f"{x} (test)" for x in fm]
    missed += [f"{x} (test)" for x in ms]
    r_tp, r_fp, r_fn, fm, ms = _score(texts + held_out, _recognised_docs)
    recognised_row = _row("all text cases, mentions found by spaCy", len(texts) + len(held_out), r_tp, r_fp, r_fn)
    false_merges += [f"{x} (spaCy)" for x in fm]
    missed += [f"{x} (spaCy)" for x in ms]
    tp, fp, fn = totals
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    lines = [
        "## Entity canonicalisation (labelled name variants and look-alikes)",
        "",
        "Command: `.venv/bin/python -m benchmarks.entities`  ",
        f"Machine: {machine()}  ",
        f"{len(cases)} name-variant cases ({sum(len(d) for c in cases for d in c['docs'])} mentions) and "
        f"{len(texts)} cases written as text ({sum(len(_MARK.findall(d)) for c in texts for d in c['docs'])} "
        "mentions, `benchmarks/data/entity_texts.json`); scored over mention pairs inside each case.",
        "",
        "| cases | n | true pairs | merge precision | recall | F1 | false merges | missed merges |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        _row("**all development cases**", len(cases) + len(texts), tp, fp, fn),
        held_row,
        recognised_row,
        "",
        f"The spaCy row runs the text cases through `annotate` and scores the {_RECOGNISED[0]} of "
        f"{_RECOGNISED[1]} gold mentions the recogniser found with the same span (its labels, not ours).",
        "",
        f"Development cases: merge precision **{p:.3f}**, recall **{r:.3f}**, F1 {f1:.3f} "
        "(targets: precision ≥ 0.98, recall ≥ 0.95). The rules were built on them; the held-out "
        f"row ({len(held_out)} cases, `benchmarks/data/entity_texts_test.json`) was written after "
        "the rules and is the number to quote.",
        "",
        "Cases with a false merge: " + (", ".join(sorted(set(false_merges))) or "none") + ".  ",
        "Cases with a missed merge: " + (", ".join(sorted(set(missed))) or "none") + ".",
        "",
        "Before these rules (main at 7df3d5f, same cases): development text cases P 0.947 / R 0.822, "
        "held-out P 1.000 / R 0.786, spaCy mentions P 0.776 / R 0.551. All text cases are ours and "
        "small (the held-out row was written by the author of the rules), so a 1.000 there says the "
        "rules do what they were written for, not that they generalise; the spaCy row is the "
        "closer view of what a user meets.",
        "",
        "No published number exists for this set (we built it). It is not held out: a first run gave "
        "P 0.987 / R 0.940 (a lone \"Lee\" beside two Lees merged; Xi, Khamenei with \"Ayatollah\" and "
        "Rouhani/Rowhani missed) and the rules were generalised after it (ambiguous surnames stay apart, "
        "religious titles, surname-first names, \"ow\" folding), so expect lower numbers on new names.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    report = run()
    print(report)
    write_result("entities", report)


if __name__ == "__main__":
    main()
