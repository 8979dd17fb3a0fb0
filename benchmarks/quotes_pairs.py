"""Cross-outlet quote matching on a labelled set of quote pairs (fictional, written for storylens).

Each line of ``benchmarks/data/quote_pairs.jsonl`` holds two quotes as two
outlets printed them (``a`` and ``b``), each with its speaker (and its type: a person, an
agency, a government by its country, capital or seat), and whether
they carry the same utterance (truncated, embedded, reworded or re-translated)
or are different utterances of the same speaker; ``misattribution`` marks a
same-utterance pair given to two different speakers. Pairs p073 on (issue 11, part 6) are
written on other events: one outlet quotes, another paraphrases in reported speech (person and
tense shifted, or starting at a cue of urging, calling for, describing, promising, warning);
a government quoted as its country in one outlet and as its capital or seat in another; and
look-alikes that are different utterances (a denial against the claim it denies, a negated
cue, another government saying the same, a changed number). Every pair is matched on
its own: two one-quote documents, speakers given as canonical entities, then
``match_quotes``. Scored: pair precision/recall/F1 of ``also_in``, and of
``misattribution``. The thresholds were tuned on the ``dev`` half only.

Run: ``.venv/bin/python -m benchmarks.quotes_pairs [--no-embeddings] [--sweep]``
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from typing import Any

from benchmarks.quotes_common import DATA, command, machine, prf, today, write_result
from storylens.link.entities import entity_id
from storylens.link.quotes import MatchSettings, match_quotes
from storylens.models import Entity, Quote, Span

PAIRS = DATA / "quote_pairs.jsonl"


def load() -> list[dict[str, Any]]:
    with PAIRS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _quote(doc: str, side: dict[str, Any]) -> tuple[Quote, tuple[str, int, int], Entity]:
    name = side["speaker"]
    text = side["text"]
    kind = side.get("speaker_type", "PERSON")
    # the document: "<speaker> said <quote>"; the speaker span is a known mention of an
    # entity of the given type (a government, an agency or a person)
    sp = Span(doc=doc, start=0, end=len(name), text=name)
    start = len(name) + 6
    cue = None
    if side.get("cue"):
        # reported speech that starts at its cue ("urged residents to ..."), as storylens prints it
        cue = Span(doc=doc, start=start, end=start + len(side["cue"]), text=side["cue"])
    q = Quote(id=f"{doc}_q", span=Span(doc=doc, start=start, end=start + len(text), text=text),
              speaker_text=name, speaker_span=sp, cue=cue, direct=bool(side.get("direct", True)))
    entity = Entity(id=entity_id(name, kind), name=name, type=kind, mentions=[sp])
    return q, (doc, 0, len(name)), entity


def run(pairs: list[dict[str, Any]], settings: MatchSettings) -> dict[str, Any]:
    pred_same: dict[str, bool] = {}
    pred_wrong: dict[str, bool] = {}
    for p in pairs:
        qa, ka, ea = _quote(p["id"] + "a", p["a"])
        qb, kb, eb = _quote(p["id"] + "b", p["b"])
        match_quotes([qa, qb], [ea, eb], {ka: ea.id, kb: eb.id}, settings)
        pred_same[p["id"]] = qb.id in qa.also_in
        pred_wrong[p["id"]] = qb.id in qa.misattribution
    return {"same": pred_same, "wrong": pred_wrong}


def score(pairs: list[dict[str, Any]], pred: dict[str, Any]) -> dict[str, Any]:
    c: Counter[str] = Counter()
    m: Counter[str] = Counter()
    errors = []
    for p in pairs:
        gold, got = p["same_utterance"], pred["same"][p["id"]]
        c["tp" if gold and got else "fp" if got else "fn" if gold else "tn"] += 1
        if gold != got:
            errors.append(p)
        gw = p["same_utterance"] and p["misattribution"]
        gotw = pred["wrong"][p["id"]]
        m["tp" if gw and gotw else "fp" if gotw else "fn" if gw else "tn"] += 1
    return {"pairs": prf(c["tp"], c["fp"], c["fn"]), "counts": c,
            "mis": prf(m["tp"], m["fp"], m["fn"]), "mis_counts": m, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--sweep", action="store_true", help="threshold sweep on the dev half (prints only)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    pairs = load()
    if args.sweep:
        dev = [p for p in pairs if p["split"] == "dev"]
        for cos in (0.7, 0.75, 0.8, 0.85, 0.9):
            for part in (85.0, 90.0, 95.0):
                for tset in (80.0, 85.0, 90.0):
                    st = MatchSettings(cosine=cos, partial=part, token_set=tset)
                    r = score(dev, run(dev, st))
                    print(f"cos={cos} partial={part} tset={tset} F1={r['pairs'][2]:.3f} "
                          f"P={r['pairs'][0]:.3f} R={r['pairs'][1]:.3f}")
        return
    rows = []
    results = {}
    for label, st in [("lexical + MiniLM (default)", MatchSettings()),
                      ("lexical only (rapidfuzz)", MatchSettings(embeddings=False))]:
        if args.no_embeddings and st.embeddings:
            continue
        t0 = time.perf_counter()
        pred = run(pairs, st)
        elapsed = time.perf_counter() - t0
        for split in ("dev", "test", "all"):
            sub = [p for p in pairs if split == "all" or p["split"] == split]
            r = score(sub, {"same": pred["same"], "wrong": pred["wrong"]})
            results[(label, split)] = r
            pp, rr, ff = r["pairs"]
            mp, mr, mf = r["mis"]
            rows.append(f"| {label} | {split} | {len(sub)} | {pp:.3f} | {rr:.3f} | **{ff:.3f}** | "
                        f"{mp:.3f} | {mr:.3f} | {mf:.3f} |")
        rows.append(f"| {label} | time | | | | {elapsed * 1000 / len(pairs):.1f} ms/pair | | | |")
    kinds = Counter(p["kind"] for p in pairs)
    default = results.get(("lexical + MiniLM (default)", "all")) or results[("lexical only (rapidfuzz)", "all")]
    by_kind = []
    default_pred = results.get(("lexical + MiniLM (default)", "all"))
    if default_pred is not None:
        wrong_ids = {p["id"] for p in default_pred["errors"]}
        for kind in sorted(kinds):
            sub = [p for p in pairs if p["kind"] == kind]
            by_kind.append(f"| {kind} | {len(sub)} | {sum(p['id'] not in wrong_ids for p in sub)} |")
    err_lines = [f"- `{p['id']}` ({p['kind']}, gold {'same' if p['same_utterance'] else 'different'}): "
                 f"{p['a']['text'][:70]!r} / {p['b']['text'][:70]!r}" for p in default["errors"]]
    md = "\n".join([
        "## Quote matching across outlets (labelled quote pairs)",
        "",
        f"- Command: `{command()}`",
        f"- Machine: {machine()}",
        f"- Date: {today()}",
        f"- Data: `benchmarks/data/quote_pairs.jsonl`, {len(pairs)} pairs written for storylens (fictional): "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + ". Half `dev` (thresholds tuned there), half `test`.",
        "- A pair counts as matched when `match_quotes` puts quote b in quote a's `also_in`; "
        "misattribution when b is in a's `misattribution` (gold: same utterance, different speakers).",
        "- Target: pair F1 ≥ 0.9.",
        "- Before issue 11 part 6 (main at 682dbc8, the same 96 pairs): default matcher F1 0.942 "
        "(dev 0.984, test 0.900), misattribution precision 0.700 (the same words from the Kremlin "
        "and from Moscow were flagged as misattributed); right per new kind: quoted-vs-paraphrased "
        "12/12, government-speaker 4/6, different-across-wording 4/6 (a denial matched the claim it "
        "denies; \"did not say whether the dam was safe\" matched \"the dam is safe\").",
        "",
        "| matcher | split | pairs | P | R | F1 | misattr. P | misattr. R | misattr. F1 |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Pairs decided right by the default matcher, per kind (all splits):",
        "",
        "| kind | pairs | right |",
        "|---|---|---|",
        *by_kind,
        "",
        "Pairs the default matcher gets wrong (all splits):",
        "",
        *(err_lines or ["- none"]),
    ])
    print(md)
    if not args.no_write:
        write_result("quotes_pairs", md)


if __name__ == "__main__":
    main()
