"""Briefing ROUGE against human summaries of multi-outlet clusters, beside a LEAD baseline,
and the share of briefing sentences whose content lies inside a quotation.

Data: the Multi-News sample of TheAthleticCoder/Multi-Document-Summarization (commit
442595002f2e, ``multi_news/sample_validation.csv`` = dev, ``sample_test.csv`` = test; 250
clusters each). Multi-News (Fabbri et al., ACL 2019): several outlets' articles on one
event with the summary a newser.com editor wrote of them. Licence: the LILY Lab dataset
usage agreement (non-commercial research and evaluation only), so the files are not in
this repository; pass their folder with ``--data`` (default ``../shared/data/multinews-sample``),
and the benchmark says so and stops when they are absent. The summaries are written to be
read as news, neutral in substance though sometimes playful in their first words.

Per cluster (two or more source articles; each article one ``text`` record, no outlet):

- **storylens**: the briefing's sentences in order, frames removed ("Only X reports: ", "Only X adds: ",
  "Only X gives these details: ", "In an opinion piece, X writes: ",
  "Outlets differ on …" keeps its quoted sides), cut to the reference's length in words;
- **LEAD**: the first sentence of each article in turn, then the second of each, … cut
  to the same length (the issue's "each article's first sentence");
- ROUGE-1/2 F1 over lower-cased word tokens, ROUGE-L F1 from the longest common
  subsequence of the whole token sequences (no stemming, no stop-word removal), averaged
  over clusters;
- **quoted share**: briefing sentences whose cited span lies mostly inside a quotation
  the annotator found (direct, or the content of reported speech) whose attribution is
  not in that sentence, or inside quotation marks that the sentence does not attribute
  to a speaker it names — the words of the person quoted stated as the outlets' fact;
  target 0. Sentences that state a direct quotation with its cue and named speaker
  ('"…," Ines Okafor said.') are counted apart: they say who said the words.

    .venv/bin/python -m benchmarks.briefing_rouge --split dev [--clusters 60] [--data DIR]
"""

from __future__ import annotations

import argparse
import ast
import csv
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.annotation_cache import annotate_cached
from benchmarks.common import ROOT, machine, revision, write_result
from storylens.api import analyze_documents
from storylens.ingest import ingest
from storylens.models import Analysis, BriefingSentence
from storylens.options import Options
from storylens.storify.verify import OPINION_FRAME, SINGLE_SOURCE_AFTER_FRAME, SINGLE_SOURCE_FRAME

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "multinews-sample"
FILES = {"dev": "sample_validation.csv", "test": "sample_test.csv"}
_TOKEN = re.compile(r"[a-z0-9]+")
_SENT = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“A-Z0-9])")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _f1(overlap: int, a: int, b: int) -> float:
    if not overlap or not a or not b:
        return 0.0
    p, r = overlap / a, overlap / b
    return 2 * p * r / (p + r)


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    cand = Counter(tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1))
    ref = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
    return _f1(sum((cand & ref).values()), sum(cand.values()), sum(ref.values()))


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    if not candidate or not reference:
        return 0.0
    prev = [0] * (len(reference) + 1)
    for c in candidate:
        cur = [0]
        for j, r in enumerate(reference, 1):
            cur.append(prev[j - 1] + 1 if c == r else max(prev[j], cur[j - 1]))
        prev = cur
    return _f1(prev[-1], len(candidate), len(reference))


def scores(candidate: str, reference: str) -> tuple[float, float, float]:
    cand, ref = tokens(candidate), tokens(reference)
    return rouge_n(cand, ref, 1), rouge_n(cand, ref, 2), rouge_l(cand, ref)


def cut(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def clean_article(text: str) -> str:
    # the sample separates paragraphs with " \n \n "
    return "\n\n".join(p.strip() for p in re.split(r"\s*\n\s*\n\s*", text) if p.strip())


def lead(articles: list[str]) -> str:
    firsts = [[s for s in _SENT.split(" ".join(a.split())) if len(s.split()) >= 4] for a in articles]
    out: list[str] = []
    for k in range(max((len(f) for f in firsts), default=0)):
        out += [f[k] for f in firsts if k < len(f)]
    return " ".join(out)


def briefing_body(s: BriefingSentence) -> str:
    m = SINGLE_SOURCE_FRAME.match(s.text) or OPINION_FRAME.match(s.text)
    if m:
        return m.group("body")
    m = SINGLE_SOURCE_AFTER_FRAME.match(s.text)
    if m:
        return f"{m.group('lead')} {m.group('body')}"
    if s.kind == "contradiction":
        return " ".join(re.findall(r'"([^"]+)"', s.text)) or s.text
    return s.text


_PRONOUN = re.compile(r"^\W*(?:he|she|they|it|we|i|you|this|that)\W*$", re.IGNORECASE)


def quoted_sentences(analysis: Analysis) -> tuple[int, int]:
    """Briefing sentences (not contradiction frames) whose first citation lies mostly inside
    a quotation found by the annotator (direct or reported) whose cue is not in the
    sentence, or inside quotation marks that the sentence does not attribute to a speaker
    it names; and, apart, the sentences that state a quotation with its named speaker."""
    docs = {d.id: d for d in analysis.documents}
    quotes = analysis.quotes
    found = n_said = 0
    for s in analysis.briefing.sentences:
        if s.kind == "contradiction":
            continue  # quotes both sides on purpose, framed as theirs
        c = s.citations[0]
        # quoted words whose attribution (the cue) is in the cited sentence are stated as someone's
        unattributed = [q.span for q in quotes
                        if q.span.doc == c.doc and not (q.cue and c.start <= q.cue.start < c.end)]
        covered = sum(max(0, min(q.end, c.end) - max(q.start, c.start)) for q in unattributed)
        text = docs[c.doc].text
        para = text.rfind("\n\n", 0, c.start)
        before = text[para + 2 if para >= 0 else 0 : c.start]
        open_quote = before.count('"') % 2 == 1 or before.count("“") > before.count("”")
        # a direct quotation whose cue and named speaker are in the sentence is stated as theirs
        said = [(q.span.start - c.start, q.span.end - c.start) for q in quotes
                if q.direct and q.span.doc == c.doc and q.cue and q.speaker_span
                and c.start <= q.cue.start < c.end and c.start <= q.speaker_span.start
                and q.speaker_span.end <= c.end and not _PRONOUN.match(q.speaker_span.text)]
        marked = sum(len(m.group(0)) for m in re.finditer(r'"[^"]*"|“[^”]*”', c.text)
                     if not any(a < m.end() and m.start() < b for a, b in said))
        n_said += bool(said)
        if covered > 0.5 * (c.end - c.start) or open_quote or marked > 0.5 * len(c.text):
            found += 1
    return found, n_said


def load(data: Path, split: str, limit: int) -> list[tuple[list[str], str]]:
    csv.field_size_limit(10**9)
    with (data / FILES[split]).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        articles = [clean_article(a) for a in ast.literal_eval(row["documents"]) if len(a.split()) >= 50]
        if len(articles) >= 2:
            out.append((articles, row["summary"].lstrip("– ").strip()))
    return out[:limit]


def analyse(path: Path) -> Analysis:
    """``storylens.analyze`` of one cluster file, its annotation records read from the cache
    when this code annotated these documents before (the records are what annotate returns)."""
    options = Options()
    ingested = ingest([str(path)], options)
    annotated = annotate_cached(ingested.documents, options)
    analysis = Analysis(documents=[a.doc for a in annotated], errors=ingested.errors)
    analyze_documents(annotated, options, analysis, {})
    return analysis


def run(split: str, data: Path, limit: int, details: Path | None = None) -> str:
    import json

    clusters = load(data, split, limit)
    load_before = os.getloadavg()[0]
    ours, base = [], []
    rows: list[dict[str, object]] = []
    n_sentences = n_quoted = n_said = 0
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i, (articles, summary) in enumerate(clusters):
            path = Path(tmp) / f"cluster{i}.jsonl"
            path.write_text("".join(json.dumps({"text": a}) + "\n" for a in articles), encoding="utf-8")
            analysis = analyse(path)
            words = len(summary.split())
            text = " ".join(briefing_body(s) for s in analysis.briefing.sentences)
            ours.append(scores(cut(text, words), summary))
            base.append(scores(cut(lead(articles), words), summary))
            n_sentences += len(analysis.briefing.sentences)
            quoted, said = quoted_sentences(analysis)
            n_quoted += quoted
            n_said += said
            if details is not None:
                rows.append({"cluster": i, "stories": [len(s.docs) for s in analysis.stories],
                             "rouge": ours[-1], "lead_rouge": base[-1], "summary": summary,
                             "briefing": [(s.kind, s.text) for s in analysis.briefing.sentences],
                             "lead": cut(lead(articles), words)})
            print(f"\r{i + 1}/{len(clusters)}", end="", file=sys.stderr)
    seconds = time.perf_counter() - t0
    print(file=sys.stderr)
    if details is not None:
        details.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def mean(rows: list[tuple[float, float, float]], k: int) -> float:
        return 100 * sum(r[k] for r in rows) / max(1, len(rows))

    n_docs = sum(len(a) for a, _ in clusters)
    lines = [
        f"## Briefing ROUGE against human summaries ({split})", "",
        f"Command: `.venv/bin/python -m benchmarks.briefing_rouge --split {split} --clusters {limit} --data DIR`; "
        f"{revision()}; {machine()}; load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (shared machine).", "",
        f"{len(clusters)} Multi-News clusters ({n_docs} articles, 2+ per cluster) from the sample of "
        "TheAthleticCoder/Multi-Document-Summarization at 442595002f2e (licence: LILY Lab agreement, "
        f"non-commercial research and evaluation only; not in this repository); {seconds:.0f} s in all.", "",
        "| system | ROUGE-1 | ROUGE-2 | ROUGE-L |", "|---|---|---|---|",
        f"| storylens briefing | {mean(ours, 0):.2f} | {mean(ours, 1):.2f} | {mean(ours, 2):.2f} |",
        f"| LEAD (first sentences of each article in turn) | {mean(base, 0):.2f} | {mean(base, 1):.2f} | "
        f"{mean(base, 2):.2f} |", "",
        f"Briefing sentences whose content lies inside a quotation: {n_quoted} of {n_sentences} "
        f"({100 * n_quoted / max(1, n_sentences):.1f} %; target 0). Sentences stating a direct quotation with "
        f"its cue and named speaker ('\"…,\" Ines Okafor said.'), which the outlet attributes: {n_said}.", "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--clusters", type=int, default=60)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--details", type=Path, help="write each cluster's briefing, LEAD and scores here (JSONL)")
    args = parser.parse_args()
    if not (args.data / FILES[args.split]).exists():
        print(f"{args.data / FILES[args.split]} is missing: see this module's docstring for where it comes from")
        return
    report = run(args.split, args.data, args.clusters, args.details)
    print(report)
    if not args.no_write:
        write_result(f"briefing_rouge_{args.split}", report)


if __name__ == "__main__":
    main()
