"""Opinion vs report: accuracy of ``Document.genre`` on a labelled set of real articles.

The set (``benchmarks/data/opinion_labels.tsv``, ids and labels only; the texts stay
in ../shared/data):

- 102 English pages of the article-extraction benchmark: 12 opinion pieces (5 by the
  URL's section: /opinion/, /commentisfree/, /columnists/; 7 by reading: columns,
  first-person essays, reviews — the writer's own judgement) and 90 news reports
  (a news section in the URL, and a lead that reports events with attribution, read
  by the engineer who labelled them). Pages that are neither (recipes, shopping
  lists, advice columns, fact-checks, aggregators, non-English pages) are left out.
  Partisan outlets are on both sides (a state broadcaster's columnist and its news
  desk; two opinion pages of a partisan weekly; a partisan magazine).
- 60 ECB+ articles drawn at random (seed 15) from the dev and test topics: news
  reports by construction of that corpus, each lead read.

The detector reads the cleaned text, and takes a page for opinion outright when its
metadata says so (an opinion section in the URL's path, a kicker label, an author's note
naming a columnist or commentator). Since five opinion labels come from the URL's section,
the accuracy of the text alone is reported beside it. Pages are split into dev and
test halves by the parity of a hash of their id; rules are tuned on dev only.

``--split train`` reads a separate set made for fitting (``opinion_labels_train.tsv``: 40
ECB+ articles of the train topics and 12 extraction pages the set above left out, each
read; 5 opinion, 47 report). It is never part of dev or test.

    .venv/bin/python -m benchmarks.opinion_genre --split train|dev|test|all
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from pathlib import Path

from benchmarks.common import ROOT, machine, main_for_split, revision
from storylens.annotate import annotate
from storylens.annotate.drafts import document_genre
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.models import Document

LABELS = Path(__file__).resolve().parent / "data" / "opinion_labels.tsv"
TRAIN_LABELS = Path(__file__).resolve().parent / "data" / "opinion_labels_train.tsv"
DATA = ROOT.parent / "shared" / "data"


def split_of(doc_id: str) -> str:
    return "dev" if int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def load(split: str) -> list[tuple[str, str, Document]]:
    """(corpus, label, document) for the labelled articles of ``split``."""
    path = TRAIN_LABELS if split == "train" else LABELS
    rows = [ln.rstrip("\n").split("\t") for ln in path.read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith(("#", "corpus\t"))]
    rows = [r for r in rows if split in ("all", "train") or split_of(r[1]) == split]
    bench = DATA / "article-extraction-benchmark"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    ecb = {}
    if any(r[0] == "ecbplus" for r in rows):
        with gzip.open(DATA / "ecbplus" / "docs.jsonl.gz", "rt", encoding="utf-8") as fh:
            ecb = {d["doc_id"]: d for d in map(json.loads, fh)}
    out = []
    for corpus, ident, label, _how in rows:
        if corpus == "extraction":
            html = gzip.decompress((bench / "html" / f"{ident}.html.gz").read_bytes()).decode("utf-8")
            item = RawItem(ident, "html", html, {"url": truth[ident]["url"]})
        else:
            item = RawItem(ident, "text", ecb[ident]["text"], {})
        out.append((corpus, label, build_document(item)))
    return out


def run(split: str) -> str:
    items = load(split)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    annotated = annotate([d for _, _, d in items])
    seconds = time.perf_counter() - t0
    confusion = {(g, p): 0 for g in ("opinion", "report") for p in ("opinion", "report")}
    wrong = []
    text_correct = 0
    for (corpus, label, doc), ann in zip(items, annotated, strict=True):
        predicted = "opinion" if ann.doc.genre == "opinion" else "report"
        by_text = document_genre(ann.drafts, ann.doc, [(q.span.start, q.span.end) for q in ann.quotes])
        text_correct += ("opinion" if by_text == "opinion" else "report") == label
        confusion[(label, predicted)] += 1
        if predicted != label:
            wrong.append(f"| {corpus} | `{doc.source[:12]}` | {label} | {predicted} | {(doc.outlet or '')[:30]} |")
    n = len(items)
    correct = confusion[("opinion", "opinion")] + confusion[("report", "report")]
    n_op = confusion[("opinion", "opinion")] + confusion[("opinion", "report")]
    n_rep = n - n_op
    op_recall = confusion[("opinion", "opinion")] / n_op if n_op else float("nan")
    rep_recall = confusion[("report", "report")] / n_rep if n_rep else float("nan")
    lines = [
        f"## Opinion detection ({split})", "",
        f"Command: `.venv/bin/python -m benchmarks.opinion_genre --split {split}`; {revision()}; {machine()}; "
        f"load average {load_before:.1f} at the start (shared machine).", "",
        f"{n} labelled articles ({n_op} opinion, {n_rep} report); annotate took {seconds:.1f} s.", "",
        "| measure | value |", "|---|---|",
        f"| accuracy | {correct / n:.3f} ({correct}/{n}) |",
        f"| opinion recall | {op_recall:.3f} ({confusion[('opinion', 'opinion')]}/{n_op}) |",
        f"| report recall | {rep_recall:.3f} ({confusion[('report', 'report')]}/{n_rep}) |",
        f"| balanced accuracy | {(op_recall + rep_recall) / 2:.3f} |",
        f"| accuracy of the text alone (no URL, label or author's note) | {text_correct / n:.3f} ({text_correct}/{n}) |", "",
    ]
    if wrong:
        lines += ["Errors:", "", "| corpus | id | label | predicted | outlet |", "|---|---|---|---|---|", *wrong, ""]
    return "\n".join(lines)


def main() -> None:
    main_for_split("opinion_genre", run, __doc__, ("train", "dev", "test", "all"))


if __name__ == "__main__":
    main()
