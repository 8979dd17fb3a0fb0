"""Briefing quality: citation validity, coverage, redundancy; report size and render time.

Corpora:

- ``examples/sample`` (the project's own five-outlet story);
- ECB+ test topics 36–45 (``../shared/data/ecbplus/docs.jsonl.gz``): each topic's
  documents written as one JSONL file (``text`` only; ECB+ gives no outlet or date)
  and fed to ``storylens.analyze``;
- a 50-article story for size and speed: the five cleaned sample articles, ten
  variants each (another outlet name, one sentence dropped, body paragraphs in
  another order), as one JSONL file.

Measures, per corpus:

- **citation validity**: share of briefing sentences whose citations are valid spans
  (``doc.text[start:end] == text``) and that pass ``check_sentence`` (every number,
  name, date/weekday and negation found in the cited text) — must be 100 %;
- **verifier sensitivity**: each briefing sentence perturbed the way an unfaithful
  rewrite would (a number changed, a weekday changed, a negation added, a name
  replaced); share of perturbed sentences the verifier rejects;
- **coverage**: share of corroborated claims (status ``corroborated``) that a briefing
  sentence cites (any cited span overlapping one of the claim's supporting spans);
  contested claims are counted separately (they appear as contradictions);
- **redundancy**: pairs of briefing sentences that cite the same claim.

    .venv/bin/python -m benchmarks.briefing_quality [--topics 36-45] [--renders 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import storylens
from storylens.embed import get_embedder
from storylens.ingest import ingest
from storylens.models import Analysis, BriefingSentence, Span
from storylens.options import Options
from storylens.report import FORMATS, render
from storylens.storify.briefing import (
    MAX_CONTRADICTIONS,
    MAX_CORROBORATED,
    MAX_SINGLE_SOURCE,
    REDUNDANT_SIM,
    check_sentence,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "examples" / "sample"
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
RESULT = HERE / "results" / "briefing.md"


def code_version() -> str:
    """The commit measured: ``git rev-parse`` here, else ``$STORYLENS_COMMIT`` (an exported tree)."""
    import subprocess

    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "src"], capture_output=True,
                               text=True, check=True).stdout.strip()
        return f"commit {head}" + (" with uncommitted changes under src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        env = os.environ.get("STORYLENS_COMMIT")
        return f"commit {env} (exported tree)" if env else "unknown (no git)"


def machine() -> str:
    return (f"{platform.machine()} (`uname -m`), {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


# ---------------------------------------------------------------------------
# metrics


def _overlaps(a: Span, b: Span) -> bool:
    return a.doc == b.doc and a.start < b.end and b.start < a.end


def sentence_claims(analysis: Analysis, sentence: BriefingSentence) -> set[str]:
    """Claims whose supporting spans a sentence cites."""
    return {
        c.id for c in analysis.claims
        if any(_overlaps(cite, s) for cite in sentence.citations for s in c.support)
    }


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_AUX = re.compile(r"\b(was|were|is|are|has|have|had|will|would|could|can)\b")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def _bump_number(text: str) -> str | None:
    m = re.search(r"\d+", text)
    return text[: m.start()] + str(int(m.group(0)) + 7) + text[m.end():] if m else None


def _other_weekday(text: str) -> str | None:
    for i, day in enumerate(_WEEKDAYS):
        if re.search(rf"\b{day}\b", text):
            return re.sub(rf"\b{day}\b", _WEEKDAYS[(i + 3) % 7], text, count=1)
    return None


def _add_negation(text: str) -> str | None:
    m = _AUX.search(text)
    if not m or re.match(r"\s+(not|never)\b", text[m.end():]):
        return None
    return text[: m.end()] + " not" + text[m.end():]


def _replace_name(text: str) -> str | None:
    m = _NAME.search(text)
    return text[: m.start()] + "Zorvath Quen" + text[m.end():] if m else None


PERTURBATIONS: dict[str, Callable[[str], str | None]] = {
    "number": _bump_number, "weekday": _other_weekday, "negation": _add_negation, "name": _replace_name,
}


def _perturb_target(s: BriefingSentence) -> tuple[str, Callable[[str], str]] | None:
    """The part of a sentence a rewrite could change (the body of a frame), and how to put it back."""
    if s.kind == "contradiction":
        return None  # verbatim quotations: covered by the verbatim check
    m = re.match(r"^(Only .+? reports: )(.+)$", s.text, re.S)
    if m:
        prefix = m.group(1)
        return m.group(2), lambda body: prefix + body
    return s.text, lambda body: body


def evaluate(analysis: Analysis) -> dict[str, Any]:
    docs = {d.id: d for d in analysis.documents}
    sentences = analysis.briefing.sentences
    valid = 0
    for s in sentences:
        spans_ok = all(c.doc in docs and docs[c.doc].text[c.start : c.end] == c.text for c in s.citations)
        valid += bool(s.citations) and spans_ok and check_sentence(s.text, s.citations, docs)
    tried: dict[str, int] = defaultdict(int)
    caught: dict[str, int] = defaultdict(int)
    for s in sentences:
        target = _perturb_target(s)
        if target is None:
            continue
        body, wrap = target
        for kind, fn in PERTURBATIONS.items():
            changed = fn(body)
            if changed is None or changed == body:
                continue
            tried[kind] += 1
            caught[kind] += not check_sentence(wrap(changed), s.citations, docs)
    mentioned = [sentence_claims(analysis, s) for s in sentences]
    cited = set().union(*mentioned) if mentioned else set()
    corroborated = [c.id for c in analysis.claims if c.status == "corroborated"]
    # a claim left out as a near-duplicate of a briefing sentence (MMR) is restated, not missing
    restated = set(cited)
    missing = [c for c in analysis.claims if c.status == "corroborated" and c.id not in cited]
    if missing and sentences:
        emb = get_embedder()
        sv = emb.encode([s.text for s in sentences])
        for c in missing:
            cv = emb.encode([s.text for s in c.support])
            if float((cv @ sv.T).max()) >= REDUNDANT_SIM:
                restated.add(c.id)
    contested = [c.id for c in analysis.claims if c.status == "contested"]
    redundant = sum(
        1 for i in range(len(mentioned)) for j in range(i + 1, len(mentioned)) if mentioned[i] & mentioned[j]
    )
    kinds: dict[str, int] = defaultdict(int)
    for s in sentences:
        kinds[s.kind] += 1
    return {
        "docs": len(analysis.documents),
        "stories": len(analysis.stories),
        "claims": len(analysis.claims),
        "sentences": len(sentences),
        "kinds": dict(kinds),
        "valid": valid,
        "tried": dict(tried),
        "caught": dict(caught),
        "corroborated": len(corroborated),
        "corroborated_cited": sum(1 for c in corroborated if c in cited),
        "corroborated_restated": sum(1 for c in corroborated if c in restated),
        "contested": len(contested),
        "contested_cited": sum(1 for c in contested if c in cited),
        "redundant_pairs": redundant,
        "pairs": len(sentences) * (len(sentences) - 1) // 2,
    }


# ---------------------------------------------------------------------------
# corpora


def ecb_topics(topics: list[str], path: Path = ECB) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if str(row["topic"]) in topics:
                out[str(row["topic"])].append(row)
    return {t: sorted(rows, key=lambda r: r["doc_id"]) for t, rows in sorted(out.items(), key=lambda x: int(x[0]))}


def cold() -> None:
    """Forget cached sentence vectors, so each corpus's analyze time is its own (models stay loaded)."""
    cache = getattr(get_embedder(), "_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def analyze_jsonl(rows: list[dict[str, Any]], tmp: Path, name: str) -> tuple[Analysis, float]:
    path = tmp / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    cold()
    t0 = time.perf_counter()
    analysis = storylens.analyze([str(path)], Options())
    return analysis, time.perf_counter() - t0


def fifty_articles() -> list[dict[str, Any]]:
    """Ten variants of each cleaned sample article: another outlet, sentences dropped, paragraphs moved.

    Variant i drops the i-th of (single sentences after the lead, then pairs of them), so
    no two variants are the same text (exact duplicates would be analysed once).
    """
    docs = ingest([str(SAMPLE)], Options()).documents
    rows = []
    for doc in docs:
        paras = [p for p in re.split(r"\n\s*\n", doc.text) if p.strip()]
        drops = [(k,) for k in range(1, 40)]
        drops += [(k, m) for k in range(1, 40) for m in range(k + 1, 40)]
        for i in range(10):
            rng = random.Random(i)
            lead, body = paras[:1], paras[1:]
            rng.shuffle(body)
            sents = re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", "\n\n".join(lead + body))
            n = len(sents)
            usable = [d for d in drops if max(d) < n]
            skip = set(usable[i % len(usable)]) if usable else set()
            rows.append({
                "text": " ".join(t for k, t in enumerate(sents) if k not in skip),
                "title": doc.title or "", "published": doc.published or "",
                "outlet": f"{doc.outlet or 'Wire service'} edition {i + 1}",
            })
    assert len({r["text"] for r in rows}) == len(rows), "variants must differ"
    return rows


def timed_render(analysis: Analysis, fmt: str, repeat: int) -> tuple[float, int]:
    times = []
    out = ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = render(analysis, fmt)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(out.encode("utf-8"))


# ---------------------------------------------------------------------------
# the table


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f} % ({n}/{d})" if d else "— (0)"


def _row(name: str, r: dict[str, Any], seconds: float | None = None) -> str:
    caught = sum(r["caught"].values())
    tried = sum(r["tried"].values())
    k = r["kinds"]
    kinds = f"{k.get('corroborated', 0)} / {k.get('contradiction', 0)} / {k.get('single_source', 0)}"
    return (
        f"| {name} | {r['docs']} | {r['stories']} | {r['claims']} | {r['sentences']} ({kinds}) | "
        f"{_pct(r['valid'], r['sentences'])} | {_pct(caught, tried)} | "
        f"{_pct(r['corroborated_cited'], r['corroborated'])} | "
        f"{_pct(r['corroborated_restated'], r['corroborated'])} | {_pct(r['contested_cited'], r['contested'])} | "
        f"{r['redundant_pairs']} of {r['pairs']} |" + (f" {seconds:.1f} |" if seconds is not None else " — |")
    )


def _sum(results: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {"kinds": defaultdict(int), "tried": defaultdict(int), "caught": defaultdict(int)}
    for r in results:
        for key, value in r.items():
            if isinstance(value, dict):
                for k, v in value.items():
                    total[key][k] += v
            else:
                total[key] = total.get(key, 0) + value
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", default="36-45", help="ECB+ topics, a range like 36-45")
    parser.add_argument("--renders", type=int, default=3, help="render repeats (median)")
    parser.add_argument("--ecb", type=Path, default=ECB, help="ECB+ docs.jsonl.gz")
    args = parser.parse_args(argv)
    lo, _, hi = args.topics.partition("-")
    topics = [str(t) for t in range(int(lo), int(hi or lo) + 1)]

    rows: list[str] = []
    per_topic: list[dict[str, Any]] = []
    # load spaCy and MiniLM once, on text that is in no corpus
    storylens.analyze([str(ROOT / "README.md")], Options())
    cold()
    t0 = time.perf_counter()
    sample = storylens.analyze([str(SAMPLE)], Options())
    sample_r = evaluate(sample)
    rows.append(_row("examples/sample", sample_r, time.perf_counter() - t0))
    print(rows[-1], file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        ecb_rows: list[str] = []
        if args.ecb.exists():
            for topic, docs in ecb_topics(topics, args.ecb).items():
                analysis, seconds = analyze_jsonl([{"text": d["text"]} for d in docs], tmp, f"ecb_{topic}")
                r = evaluate(analysis)
                per_topic.append(r)
                ecb_rows.append(_row(f"ECB+ topic {topic}", r, seconds))
                print(ecb_rows[-1], file=sys.stderr)
        big_rows = fifty_articles()
        big, big_seconds = analyze_jsonl(big_rows, tmp, "fifty")
    big_r = evaluate(big)
    if per_topic:
        rows.append(_row(f"**ECB+ test topics {topics[0]}–{topics[-1]} (all)**", _sum(per_topic)))
    rows.append(_row("50-article story (sample variants)", big_r, big_seconds))

    sizes = [("json", *timed_render(big, "json", args.renders))]
    for fmt in ("md", "html"):
        if fmt in FORMATS:
            sizes.append((fmt, *timed_render(big, fmt, args.renders)))
    stage = big.stats.get("seconds", {})

    tried = _sum([sample_r, *per_topic, big_r])
    sensitivity = " ".join(
        f"{k} {_pct(tried['caught'][k], tried['tried'][k])};" for k in PERTURBATIONS
    ).rstrip(";")
    head = ("| corpus | docs | stories | claims | briefing sentences (corroborated / contradiction / single-source) "
            "| citation validity | perturbations rejected | corroborated claims cited | cited or restated "
            "| contested claims shown as contradictions | redundant pairs | analyze s |")
    lines = [
        "## Briefing quality: citation validity, coverage, redundancy; report size and render time",
        "",
        f"- Command: `.venv/bin/python -m benchmarks.briefing_quality --topics {args.topics} "
        f"--renders {args.renders}`",
        f"- Machine: {machine()}",
        f"- Code: {code_version()}",
        f"- Date: {dt.date.today().isoformat()}",
        "- Data: `examples/sample`; ECB+ test topics (`../shared/data/ecbplus/docs.jsonl.gz`, each topic's "
        "documents as one JSONL file of `{\"text\"}` lines, no outlet or date, so every document is its own "
        "source); a 50-article story made of ten variants of each cleaned sample article (outlet renamed, "
        "one sentence dropped, body paragraphs reordered; many are detected as syndicated copies).",
        "- Citation validity = the sentence has citations, every cited span satisfies `doc.text[start:end] == "
        "text`, and `check_sentence` accepts it (numbers, capitalised names, dates/weekdays and negations all in "
        "the cited text; quotations verbatim). Perturbations = each corroborated or single-source sentence "
        "(the body of the frame) changed the way an unfaithful rewrite would; the share the verifier rejects. "
        "Coverage = share of `corroborated` claims cited by a briefing sentence; contested claims are never "
        "stated as facts and count as covered when a contradiction sentence cites them. \"Cited or restated\" also counts a claim left out because a briefing sentence says the same "
        f"(MiniLM cosine ≥ {REDUNDANT_SIM} to one of its supporting sentences: the MMR redundancy cut). "
        "Redundant pair = two briefing sentences citing the same claim. Briefing limits per story: "
        f"{MAX_CORROBORATED} corroborated, {MAX_CONTRADICTIONS} contradiction, {MAX_SINGLE_SOURCE} single-source "
        "sentences, so coverage is bounded by the limit on topics with many corroborated claims. "
        "`analyze s` = wall time of `storylens.analyze` on the corpus with models loaded and the sentence-vector "
        "cache emptied first.",
        "",
        head,
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows[:1],
        *ecb_rows,
        *rows[1:],
        "",
        f"- Verifier sensitivity by perturbation (all corpora): {sensitivity}.",
        "",
        "### 50-article story: report size and render time",
        "",
        f"{big_r['docs']} documents, {len(big.claims)} claims, {len(big.contradictions)} contradictions, "
        f"{len(big.quotes)} quotes, {big_r['sentences']} briefing sentences. `analyze` took {big_seconds:.1f} s "
        f"(stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in stage.items()) + "; `report` = framing + "
        "briefing).",
        "",
        "| format | size | render time (median) |",
        "|---|---|---|",
        *[f"| {fmt} | {size / 1024:.0f} KiB | {sec * 1000:.0f} ms |" for fmt, sec, size in sizes],
    ]
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from benchmarks import collect

    collect.main()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
