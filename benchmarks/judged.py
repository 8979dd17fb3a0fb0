"""Contradiction precision judged by reading both spans.

The judged set holds every contradiction storylens reports on

* ``ecb-dev``: all ECB+ dev articles analysed together, as a user would
  (one batch, stories split by storylens); ``ecb-train`` likewise for the 575
  train articles (development material: more real reporting to read than dev
  gives; one batch), and
* ``paraphrase-dev``: the in-place edits of ``benchmarks.paraphrase`` (every
  report touching an edited sentence),

each judged ``true`` / ``false`` / ``unclear`` by a person who read both
sentences, with a one-line reason and the commit the report was judged on
(``benchmarks/data/contradiction_judgements.jsonl``). A report is identified by
its set, kind and the two sentence texts (not offsets or wording of the
explanation), so a judgement survives code changes that keep the report.

Commands:

* ``python -m benchmarks.judged report``: rerun (or read the cache for this
  source tree), print precision on the judged reports, list new unjudged ones.
* ``python -m benchmarks.judged pending --out FILE``: the unjudged reports,
  numbered, for reading.
* ``python -m benchmarks.judged record FILE --out PENDING``: add verdicts written
  as ``N<TAB>true|false|unclear<TAB>reason`` lines for the numbers of ``pending``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.alignment import SentenceMap
from benchmarks.annotation_cache import annotate_cached
from benchmarks.common import ROOT, machine, revision, write_result
from benchmarks.paraphrase import CACHE, DATA, code_key, run_analyses
from storylens.api import analyze_documents
from storylens.errors import StorylensError
from storylens.ingest import build_document
from storylens.ingest.sources import RawItem
from storylens.models import Analysis
from storylens.options import Options

JUDGEMENTS = Path(__file__).resolve().parent / "data" / "contradiction_judgements.jsonl"
VERDICTS = ("true", "false", "unclear")
#: the default display threshold: reports below it are analysed and judged but not shown
SHOWN = Options().min_confidence


def item_key(set_name: str, kind: str, text_a: str, text_b: str) -> str:
    a, b = sorted((" ".join(text_a.split()), " ".join(text_b.split())))
    return hashlib.sha1("\x1f".join((set_name, kind, a, b)).encode()).hexdigest()[:16]


def ecb_split_reports(split: str) -> list[dict[str, Any]]:
    """Every contradiction on the split's articles analysed in one batch, also those below the
    display threshold (``shown`` says whether ``--min-confidence`` at its default shows it), so
    the calibration table can say what the threshold hides."""
    path = CACHE / f"judged_{split}_{code_key()}.json"
    if path.exists():
        return list(json.loads(path.read_text()))
    with gzip.open(DATA / "docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if r["split"] == split]
    docs, ecb_of = [], {}
    for r in rows:
        try:
            doc = build_document(RawItem(source=r["doc_id"], kind="text", content=r["text"],
                                         meta={"outlet": r["doc_id"]}))
        except StorylensError:
            continue
        docs.append(doc)
        ecb_of[doc.id] = r["doc_id"]
    started = time.perf_counter()
    annotated = annotate_cached(docs)
    analysis = Analysis(documents=[a.doc for a in annotated])
    analyze_documents(annotated, Options(min_confidence=0.0), analysis, {})
    maps = {r["doc_id"]: SentenceMap(r) for r in rows}
    out = []
    story_of = {d: s.id for s in analysis.stories for d in s.docs}
    for c in analysis.contradictions:
        out.append({
            "set": f"ecb-{split}", "kind": c.kind, "confidence": c.confidence, "explanation": c.explanation,
            "doc_a": ecb_of[c.a.doc], "doc_b": ecb_of[c.b.doc], "text_a": c.a.text, "text_b": c.b.text,
            "sentence_a": maps[ecb_of[c.a.doc]].locate(c.a.text, c.a.start),
            "sentence_b": maps[ecb_of[c.b.doc]].locate(c.b.text, c.b.start),
            "same_story": story_of.get(c.a.doc) == story_of.get(c.b.doc),
            "shown": c.confidence >= SHOWN, "context": "",
        })
    print(f"analysed {len(docs)} {split} articles in {time.perf_counter() - started:.0f} s: {len(out)} contradictions")
    CACHE.mkdir(exist_ok=True)
    path.write_text(json.dumps(out))
    return out


def paraphrase_reports(split: str, seed: int, run_file: Path | None = None) -> list[dict[str, Any]]:
    """The reports of the paraphrase benchmark that touch an edited sentence (new since the unedited run);
    ``run_file``: a cached run of other code (to judge what an earlier commit reported)."""
    from benchmarks.paraphrase import score

    result = json.loads(run_file.read_text()) if run_file else run_analyses(split, seed, None)
    out = []
    for x in score(result)["scored"]:
        out.append({
            "set": f"paraphrase-{split}", "kind": x["kind"], "confidence": x["confidence"],
            "explanation": x["explanation"], "doc_a": x["doc_a"], "doc_b": x["doc_b"],
            "text_a": x["text_a"], "text_b": x["text_b"], "sentence_a": x["a"], "sentence_b": x["b"],
            "context": f"edit {x['edit_kind']}: {x['edit']}", "benchmark_correct": x["correct"],
            "about_edit": x["about_edit"],
        })
    return out


def current(split: str, seed: int, run_file: Path | None = None, ecb_file: Path | None = None) -> list[dict[str, Any]]:
    ecb = json.loads(ecb_file.read_text()) if ecb_file else ecb_split_reports(split)
    # train is read for development only; the paraphrase edits exist for dev and test
    items = ecb + ([] if split == "train" else paraphrase_reports(split, seed, run_file))
    for it in items:
        it["key"] = item_key(it["set"], it["kind"], it["text_a"], it["text_b"])
    unique = {it["key"]: it for it in items}
    return list(unique.values())


def load_judgements() -> dict[str, dict[str, Any]]:
    if not JUDGEMENTS.exists():
        return {}
    with JUDGEMENTS.open(encoding="utf-8") as fh:
        return {j["key"]: j for j in map(json.loads, fh) if j.get("key")}


def _commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def pending(split: str, seed: int, out: Path, run_file: Path | None, ecb_file: Path | None) -> None:
    judged = load_judgements()
    todo = [it for it in current(split, seed, run_file, ecb_file) if it["key"] not in judged]
    todo.sort(key=lambda it: (it["set"], it["kind"], -it["confidence"]))
    lines = []
    for n, it in enumerate(todo):
        lines.append(f"#{n} [{it['set']}] {it['kind']} conf {it['confidence']} {it['context']}\n"
                     f"  explanation: {it['explanation']}\n"
                     f"  A ({it['doc_a']}): {' '.join(it['text_a'].split())}\n"
                     f"  B ({it['doc_b']}): {' '.join(it['text_b'].split())}\n")
    out.write_text("\n".join(lines), encoding="utf-8")
    (out.with_suffix(".json")).write_text(json.dumps(todo))
    print(f"{len(todo)} unjudged reports written to {out}")


def record(verdict_file: Path, pending_file: Path, commit: str | None = None) -> None:
    todo = json.loads(pending_file.with_suffix(".json").read_text())
    commit = commit or _commit()
    judged = load_judgements()
    added = 0
    for line in verdict_file.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") and not line[1:2].isdigit():
            continue
        n, verdict, reason = line.lstrip("#").split("\t", 2)
        if verdict not in VERDICTS:
            raise SystemExit(f"{verdict_file}: verdict must be one of {VERDICTS}: {line!r}")
        it = todo[int(n)]
        judged[it["key"]] = {
            "key": it["key"], "set": it["set"], "kind": it["kind"], "verdict": verdict, "reason": reason.strip(),
            "judged_on": commit, "confidence": it["confidence"], "explanation": it["explanation"],
            "doc_a": it["doc_a"], "doc_b": it["doc_b"], "text_a": it["text_a"], "text_b": it["text_b"],
            "context": it["context"],
        }
        added += 1
    JUDGEMENTS.parent.mkdir(exist_ok=True)
    with JUDGEMENTS.open("w", encoding="utf-8") as fh:
        for j in sorted(judged.values(), key=lambda j: (j["set"], j["kind"], j["key"])):
            fh.write(json.dumps(j, ensure_ascii=False) + "\n")
    print(f"{added} verdicts recorded ({len(judged)} in {JUDGEMENTS})")


def report(split: str, seed: int, run_file: Path | None = None) -> str:
    judged = load_judgements()
    items = current(split, seed, run_file)
    lines = [
        f"## Contradiction precision judged by reading ({split} topics)",
        "",
        f"Command: `.venv/bin/python -m benchmarks.judged report --split {split}"
        + (f" --run-file {run_file}" if run_file else "") + "`  ",
        f"Machine: {machine()}  ",
        f"Code: {revision()}  ",
        "Judgements: `benchmarks/data/contradiction_judgements.jsonl` (each with the commit it was judged on).",
        "",
        "| set | reported | judged | true | false | unclear | precision (true / true+false) | unjudged |",
        "|---|---|---|---|---|---|---|---|",
    ]
    unjudged = []
    for set_name in sorted({it["set"] for it in items}):
        for shown, label in ((True, set_name), (False, f"{set_name}, below {SHOWN} (hidden)")):
            these = [it for it in items if it["set"] == set_name and it.get("shown", True) == shown]
            if not shown and not these:
                continue
            verdicts = Counter(judged[it["key"]]["verdict"] for it in these if it["key"] in judged)
            unjudged += [it for it in these if it["key"] not in judged]
            t, f, u = verdicts["true"], verdicts["false"], verdicts["unclear"]
            prec = f"{t / (t + f):.2f}" if t + f else "—"
            lines.append(f"| {label} | {len(these)} | {t + f + u} | {t} | {f} | {u} | {prec} | "
                         f"{len(these) - t - f - u} |")
    kinds = sorted({it["kind"] for it in items})
    lines += ["", "Rows without \"hidden\" count the reports shown at the default `--min-confidence`.",
              "", "By kind (both sets, shown and hidden):", "", "| kind | judged | true | false | unclear | precision |",
              "|---|---|---|---|---|---|"]
    for k in kinds:
        verdicts = Counter(judged[it["key"]]["verdict"] for it in items if it["kind"] == k and it["key"] in judged)
        t, f, u = verdicts["true"], verdicts["false"], verdicts["unclear"]
        lines.append(f"| {k} | {t + f + u} | {t} | {f} | {u} | {f'{t / (t + f):.2f}' if t + f else '—'} |")
    bins = [(0.0, 0.3), (0.3, 0.45), (0.45, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    lines += ["", "Calibration on the judged reports (confidence this code gives → share judged true; unclear "
              "left out):", "", "| confidence | ecb true/judged | paraphrase true/judged | both: precision |",
              "|---|---|---|---|"]
    for lo, hi in bins:
        cells = []
        total_t = total_f = 0
        for prefix in ("ecb-", "paraphrase-"):
            v = Counter(judged[it["key"]]["verdict"] for it in items if it["key"] in judged
                        and it["set"].startswith(prefix) and lo <= it["confidence"] < hi)
            cells.append(f"{v['true']}/{v['true'] + v['false']}")
            total_t += v["true"]
            total_f += v["false"]
        prec = f"{total_t / (total_t + total_f):.2f}" if total_t + total_f else "—"
        lines.append(f"| {lo:.2f}–{min(hi, 1.0):.2f} | {cells[0]} | {cells[1]} | {prec} |")
    gone = [j for key, j in judged.items() if key not in {it["key"] for it in items}
            and j["set"].endswith(split)]
    g = Counter(j["verdict"] for j in gone)
    lines += ["", f"Judged reports no longer given by this code: {len(gone)} ({g['true']} true, {g['false']} "
              f"false, {g['unclear']} unclear)."]
    text = "\n".join(lines) + "\n"
    if unjudged:
        text += "\nUnjudged (judge them: `python -m benchmarks.judged pending --out FILE`):\n\n"
        text += "\n".join(f"- [{it['set']}] {it['kind']}: {it['explanation']}" for it in unjudged) + "\n"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("report", "pending", "record"))
    parser.add_argument("file", nargs="?", type=Path, help="verdicts to record")
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=Path("judge_pending.txt"))
    parser.add_argument("--commit", help="record: the commit whose output was judged (default: HEAD)")
    parser.add_argument("--run-file", type=Path,
                        help="a cached paraphrase run (of earlier code: its reports are judged as that code gave them)")
    parser.add_argument("--ecb-file", type=Path, help="pending: cached ECB+ reports of earlier code")
    args = parser.parse_args()
    if args.command == "pending":
        pending(args.split, args.seed, args.out, args.run_file, args.ecb_file)
    elif args.command == "record":
        if args.file is None:
            raise SystemExit("record needs the verdict file")
        record(args.file, args.out, args.commit)
    else:
        text = report(args.split, args.seed, args.run_file)
        print(text)
        write_result(f"judged_{args.split}", text.split("\nUnjudged")[0])


if __name__ == "__main__":
    main()
