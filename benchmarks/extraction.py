"""HTML article extraction: storylens vs trafilatura (live) and the benchmark's bundled peers.

Data: ``../shared/data/article-extraction-benchmark`` (Zyte/Scrapinghub, 181 pages). Each page
goes through storylens' HTML path exactly as ``ingest`` does (``build_document`` on a
``RawItem`` of kind ``html``), so the scored text is the final ``Document.text``. A page
that raises ``StorylensError`` counts as an empty prediction. trafilatura is run live in
the same process with the benchmark's own call (``trafilatura.extract(html,
include_comments=False)``); newspaper4k, readability-lxml, readability.js and html-text are
not installed, so their bundled outputs are scored and labelled as published.

The ground truth has article bodies and URLs only, so the metadata section measures
agreement with signals in the page (``og:title``/``<title>``, ``article:published_time``
and a date in the URL), not accuracy against a gold standard.

Predictions (publisher text, evaluation only) go to ``benchmarks/_cache/extraction/``,
which git ignores.

    .venv/bin/python -m benchmarks.extraction [--limit N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import importlib.util
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura

from benchmarks.common import machine, revision
from storylens.errors import StorylensError
from storylens.ingest import build_document
from storylens.ingest.html import extract_html
from storylens.ingest.normalize import normalize
from storylens.ingest.plaintext import clean_plain_text, split_lines
from storylens.ingest.sources import RawItem
from storylens.models import headline_end

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: the shared data folder (``../shared/data`` from the project root), or $STORYLENS_BENCH_DATA
DATA = Path(os.environ.get("STORYLENS_BENCH_DATA") or ROOT.parent / "shared" / "data")
BENCH = DATA / "article-extraction-benchmark"
SCORER = DATA / "tools" / "score_article_extraction.py"
CACHE = HERE / "_cache" / "extraction"
RESULTS = HERE / "results"
COMMAND = ".venv/bin/python -m benchmarks.extraction"

# bundled outputs: file -> (label, version, published F1 from METRIC.md)
BUNDLED = {
    "trafilatura.json.gz": ("trafilatura (bundled output)", "2.0.0", 0.958),
    "newspaper.json.gz": ("newspaper4k (bundled output)", "0.9.3.1", 0.949),
    "readability_js.json.gz": ("readability.js (bundled output)", "0.6.0", 0.947),
    "readability.json.gz": ("readability-lxml (bundled output)", "0.8.4.1", 0.922),
    "html-text.json.gz": ("html-text, full-page baseline (bundled output)", "0.7.0", 0.665),
}
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_article_extraction", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as v

    try:
        return v(dist)
    except PackageNotFoundError:
        return "not installed"


def page_signals(html: str) -> dict[str, str | None]:
    """Title and date signals read straight from the markup (og:title, <title>, first <h1>, ...)."""
    out: dict[str, str | None] = {"og": None, "tag": None, "h1": None, "site": None, "date": None}
    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return out

    def meta(*names: str) -> str | None:
        for name in names:
            for attr in ("property", "name", "itemprop"):
                found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
                if found and str(found[0]).strip():
                    return " ".join(str(found[0]).split())
        return None

    titles = tree.xpath("//title/text()")
    h1s = tree.xpath("//h1")
    out["og"] = meta("og:title", "twitter:title")
    out["tag"] = " ".join(str(titles[0]).split()) if titles else None
    out["h1"] = " ".join(h1s[0].text_content().split()) if len(h1s) else None
    out["site"] = meta("og:site_name", "application-name")
    out["date"] = meta("article:published_time", "datePublished", "date", "pubdate", "og:published_time")
    return out


def has_site_affix(title: str, site: str | None, url: str) -> bool:
    """The title still carries a site name before or after a separator ("Headline | Site")."""
    parts = [p for p in re.split(r"\s[|\-\u2013\u2014\u00b7\u00bb/~:]+\s|\s*\|\s*", title) if p.strip()]
    if len(parts) < 2:
        return False
    host = re.sub(r"^www\.", "", urlsplit(url).hostname or "")
    host_key = re.sub(r"\W", "", host.lower())
    site_key = re.sub(r"\W", "", (site or "").lower())
    for part in (parts[0], parts[-1]):
        key = re.sub(r"\W", "", part.lower())
        if key and (key == site_key or (len(key) >= 4 and key in host_key)):
            return True
    return False


def title_key(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", normalize(text or "").text.lower()))


def score_row(scorer: ModuleType, truth: dict[str, Any], pred: dict[str, Any]) -> dict[str, float]:
    return dict(scorer.score(truth, pred))


def per_page_f1(scorer: ModuleType, gold: str, pred: str) -> float:
    tp, fp, fn = scorer.doc_counts(gold, pred)
    p, r = scorer.precision(tp, fp, fn), scorer.recall(tp, fp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="first N pages only (smoke test)")
    args = parser.parse_args(argv)
    if not BENCH.exists():
        raise SystemExit(f"benchmark data not found at {BENCH}")
    scorer = load_scorer()
    truth: dict[str, Any] = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit or None]
    truth = {k: truth[k] for k in ids}
    pages = {}
    for k in ids:
        with gzip.open(BENCH / "html" / f"{k}.html.gz") as fh:
            pages[k] = fh.read().decode("utf-8")

    ours: dict[str, dict[str, str]] = {}
    ours_raw: dict[str, dict[str, str]] = {}
    live: dict[str, dict[str, str]] = {}
    errors: Counter[str] = Counter()
    docs: dict[str, Any] = {}
    t_ours = t_live = c_ours = c_live = 0.0
    # warm up both (imports, lazy lxml/htmldate/justext state) outside the timed loop
    first = pages[ids[0]]
    trafilatura.extract(first, include_comments=False)
    with contextlib.suppress(StorylensError):
        build_document(RawItem(source="warmup.html", kind="html", content=first))
    for k in ids:
        html = pages[k]
        # saved .html files carry no URL, and the benchmark's peers were run without one
        item = RawItem(source=f"{k}.html", kind="html", content=html)
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            doc = build_document(item)
            # Document.text opens with the headline paragraph (headlines are citable); the
            # ground truth is the article body, so that paragraph is not scored
            ours[k] = {"articleBody": doc.text[headline_end(doc):].lstrip()}
            docs[k] = doc
        except StorylensError as err:
            ours[k] = {"articleBody": ""}
            errors[err.code] += 1
        t1, c1 = time.perf_counter(), time.process_time()
        live[k] = {"articleBody": trafilatura.extract(html, include_comments=False) or ""}
        t2, c2 = time.perf_counter(), time.process_time()
        t_ours += t1 - t0
        t_live += t2 - t1
        c_ours += c1 - c0
        c_live += c2 - c1
        try:
            ours_raw[k] = {"articleBody": extract_html(html, k).text}
        except StorylensError:
            ours_raw[k] = {"articleBody": ""}

    CACHE.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, pred in (("storylens", ours), ("storylens-extract-html", ours_raw), ("trafilatura-live", live)):
        paths[name] = CACHE / f"{name}.json"
        paths[name].write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")

    # score through the benchmark's loader (as `score_article_extraction.py GT PRED` would)
    rows: list[tuple[str, str, dict[str, float], str]] = []
    s_ours = score_row(scorer, truth, scorer.load(str(paths["storylens"]))[0])
    s_live = score_row(scorer, truth, scorer.load(str(paths["trafilatura-live"]))[0])
    s_raw = score_row(scorer, truth, scorer.load(str(paths["storylens-extract-html"]))[0])
    n = len(ids)
    rows.append(("**storylens** (`Document.text`, live)", version("storylens"), s_ours,
                 f"{n / t_ours:.1f} ({n / c_ours:.1f})"))
    rows.append(("trafilatura `extract(html, include_comments=False)` (live)", version("trafilatura"),
                 s_live, f"{n / t_live:.1f} ({n / c_live:.1f})"))
    rows.append(("storylens `extract_html` only, before `clean_plain_text` (diagnostic)",
                 version("storylens"), s_raw, "-"))
    for fname, (label, ver, published_f1) in BUNDLED.items():
        pred, _ = scorer.load(str(BENCH / "output" / fname))
        pred = {k: pred[k] for k in ids}
        for k in ids:  # a bundled output may hold null for a page it failed on
            if not isinstance(pred[k], dict) or pred[k].get("articleBody") is None:
                pred[k] = {"articleBody": ""}
        rows.append((f"{label}; published F1 {published_f1:.3f}", ver, score_row(scorer, truth, pred), "-"))

    # what clean_plain_text removes from the HTML body, by rule (called as build_document calls it)
    removed_in_gold: Counter[str] = Counter()
    removed_not_gold: Counter[str] = Counter()
    ablation_lines: dict[str, list[Any]] = {}
    as_plain: dict[str, dict[str, str]] = {}
    for k in ids:
        body = normalize(ours_raw[k]["articleBody"]).text
        cleaned = clean_plain_text(body, from_html=True)
        plain = clean_plain_text(body).text
        as_plain[k] = {"articleBody": plain if plain.strip() else body}
        gold_toks = " " + " ".join(scorer.tokens(normalize(truth[k]["articleBody"]).text)) + " "
        reasons = {(ln.start, ln.end): ln.reason or "" for ln in cleaned.removed}
        ablation_lines[k] = [(ln.text, reasons.get((ln.start, ln.end))) for ln in split_lines(body)]
        for ln in cleaned.removed:
            toks = " ".join(scorer.tokens(ln.text))
            if toks and f" {toks} " in gold_toks:
                removed_in_gold[ln.reason or ""] += 1
            else:
                removed_not_gold[ln.reason or ""] += 1

    def ablate(restore: set[str] | None) -> float:
        pred = {}
        for k, lines in ablation_lines.items():
            kept = [t for t, r in lines if r is None or (restore is None or r in restore)]
            pred[k] = {"articleBody": "\n".join(kept)}
        return float(scorer.score(truth, pred)["f1"])

    base_f1 = ablate(set())
    ablation = {r: ablate({r}) - base_f1 for r in sorted(set(removed_in_gold) | set(removed_not_gold))}
    # the full plain-text rule set on the same bodies (what the HTML path used before from_html)
    s_plain = score_row(scorer, truth, as_plain)

    # pages where storylens trails live trafilatura most
    diffs = sorted(
        (per_page_f1(scorer, truth[k]["articleBody"], ours[k]["articleBody"])
         - per_page_f1(scorer, truth[k]["articleBody"], live[k]["articleBody"]), k) for k in ids)

    # metadata: agreement with in-page signals (no gold title/date in the benchmark)
    meta_counts: Counter[str] = Counter()
    for k in ids:
        sig = page_signals(pages[k])
        found = docs.get(k)
        title: str | None = found.title if found else None
        published: str | None = found.published if found else None
        meta_counts["title"] += bool(title)
        if title and has_site_affix(title, sig["site"], truth[k].get("url", "")):
            meta_counts["title_affix"] += 1
        for name in ("og", "h1"):
            if sig[name]:
                meta_counts[f"has_{name}"] += 1
                meta_counts[f"{name}_match"] += bool(title) and title_key(title) == title_key(sig[name])
        meta_counts["date"] += bool(published)
        meta_date = sig["date"] or ""
        if re.match(r"\d{4}-\d\d-\d\d", meta_date):
            meta_counts["has_meta_date"] += 1
            if published and published[:10] == meta_date[:10]:
                meta_counts["meta_date_match"] += 1
            elif published and "T" in meta_date and re.match(r"\d{4}-\d\d-\d\d$", published[:10]):
                # a UTC timestamp can fall on the next calendar day
                delta = dt.date.fromisoformat(meta_date[:10]) - dt.date.fromisoformat(published[:10])
                meta_counts["meta_date_next_day"] += delta.days == 1
        m = _URL_DATE.search(truth[k].get("url", ""))
        if m:
            meta_counts["has_url_date"] += 1
            url_day = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            meta_counts["url_date_match"] += bool(published) and str(published)[:10] == url_day

    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "0/0"

    ratio = t_live / t_ours
    ratio_cpu = c_live / c_ours
    out = [
        "## HTML article extraction (article-extraction-benchmark, "
        f"{n} pages)",
        "",
        f"- Command: `{COMMAND}`" + (f" `--limit {args.limit}`" if args.limit else ""),
        f"- Machine: {machine()}",
        f"- Code: {revision()}",
        f"- Date: {dt.date.today().isoformat()}",
        "- Data: `../shared/data/article-extraction-benchmark` (Zyte/Scrapinghub, MIT); scored with "
        "`../shared/data/tools/score_article_extraction.py` (4-gram shingle P/R/F1, exact-match "
        "accuracy; no bootstrap).",
        "- storylens = `build_document(RawItem(kind=\"html\"))`, i.e. `extract_html` then the same "
        "normalisation and `clean_plain_text` as `ingest`; no URL is passed (a saved page), like the "
        "benchmark's peer runs. The scored text is `Document.text` after its headline paragraph "
        "(the text opens with the headline so that it can be cited; the ground truth is the body). "
        "A `StorylensError` counts as an empty prediction "
        f"({sum(errors.values())} pages: {dict(errors) or 'none'}).",
        "- pages/s is single-process wall time, storylens and trafilatura alternating page by page in "
        "the same loop (storylens also extracts metadata, the page's visible text for the boilerplate "
        "audit, and normalises and cleans). 1-minute load average at the end: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (the machine was shared).",
        "",
        "| system | version | F1 | precision | recall | exact-match acc. | pages/s (per CPU-s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, ver, s, speed in rows:
        out.append(f"| {label} | {ver} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | "
                   f"{s['accuracy']:.3f} | {speed} |")
    out += [
        "",
        f"storylens vs live trafilatura: F1 {s_ours['f1'] - s_live['f1']:+.3f}; speed "
        f"{ratio:.2f}× by wall time ({n / t_ours:.1f} vs {n / t_live:.1f} pages/s), {ratio_cpu:.2f}× by "
        f"CPU time ({n / c_ours:.1f} vs {n / c_live:.1f} pages per CPU-second). Bundled rows are the "
        "benchmark's published outputs (peers not installed here), rescored with the same scorer.",
        "",
        "### What `clean_plain_text(..., from_html=True)` does to the HTML body",
        "",
        f"The extracted body scores F1 {s_raw['f1']:.3f} before cleaning and {s_ours['f1']:.3f} after. "
        "With the full plain-text rule set (`from_html=False`: menu, list-tail and repeat rules too) "
        f"the same bodies would score {s_plain['f1']:.3f} (P {s_plain['precision']:.3f}, "
        f"R {s_plain['recall']:.3f}). Lines the HTML-mode cleaning removes, by rule (\"in gold\" = "
        "the line's tokens occur in the gold body), and the F1 change if that one rule kept its lines:",
        "",
        "| rule | lines removed, in gold | lines removed, not in gold | F1 change if kept |",
        "|---|---|---|---|",
    ]
    for reason in sorted(ablation, key=lambda r: -ablation[r]):
        out.append(f"| {reason} | {removed_in_gold[reason]} | {removed_not_gold[reason]} | "
                   f"{ablation[reason]:+.4f} |")
    out += [
        "",
        "### Metadata (no gold: agreement with signals in the page)",
        "",
        "The benchmark's ground truth has only the body and the URL, so these rows measure "
        "agreement with what the page itself declares, not correctness.",
        "",
        f"- Title present: {pct(meta_counts['title'], n)}.",
        f"- Title equals the page's first `<h1>` (word tokens, case-folded), pages with an `<h1>`: "
        f"{pct(meta_counts['h1_match'], meta_counts['has_h1'])}.",
        f"- Title equals `og:title`/`twitter:title`, pages that have one: "
        f"{pct(meta_counts['og_match'], meta_counts['has_og'])} (not independent: storylens uses "
        "`og:title` to strip a site name from the extracted title).",
        f"- Title still carries the site name (`Headline | Site`, matched against `og:site_name` and "
        f"the host): {pct(meta_counts['title_affix'], n)}.",
        f"- Published date present: {pct(meta_counts['date'], n)}.",
        f"- Date equals the day of the page's `article:published_time`/`datePublished` meta, pages "
        f"that have one: {pct(meta_counts['meta_date_match'], meta_counts['has_meta_date'])}; "
        f"{meta_counts['meta_date_next_day']} more are one day earlier than a UTC timestamp (local "
        "date; it matches the URL date where there is one).",
        f"- Date equals a `/yyyy/mm/dd/` date in the URL (storylens is not given the URL), pages "
        f"whose URL has one: {pct(meta_counts['url_date_match'], meta_counts['has_url_date'])}.",
        "",
        "### Pages where storylens trails live trafilatura most (per-page F1 difference)",
        "",
    ]
    for d, k in diffs[:8]:
        if d >= -0.005:
            break
        out.append(f"- `{k[:12]}` {d:+.3f} ({truth[k].get('url', '')[:90]})")
    text = "\n".join(out) + "\n"
    if not args.limit:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "extraction.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return text


if __name__ == "__main__":
    main()
