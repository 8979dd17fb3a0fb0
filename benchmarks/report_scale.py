"""HTML report size and time to first render at 200 and 1,000 articles.

Corpus: the first N ECB+ articles (``../shared/data/ecbplus/docs.jsonl.gz``, all splits,
file order), each a JSONL record with its text and source URL (so outlets come from the
URLs), analysed by ``storylens.analyze``. The analysis is rendered as the per-story site
(``storylens analyze -f html -o report.html`` with several stories) and, for comparison,
as the one-page report of the whole batch.

Measured: bytes of the index page, of the largest story page and of the one-page
report; time to first render in Debian's chromium (Playwright, headless, a new page per
load, ``first-contentful-paint`` from the Performance API; the median of 3 loads) of the
index and of the largest story page. Targets: index < 500 KB, any story page < 1 MB,
first render < 1 s.

    .venv/bin/python -m benchmarks.report_scale [--sizes 200 1000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, machine, revision, write_result
from storylens import analyze
from storylens.models import Analysis
from storylens.options import Options
from storylens.report.html import render_html
from storylens.report.site import render_site

ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
CHROMIUM = "/usr/bin/chromium"
CACHE = Path(tempfile.gettempdir()) / "storylens-report-scale"


def analysis_of(n: int, reuse: bool = False) -> tuple[Analysis, float]:
    with gzip.open(ECB, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh][:n]
    CACHE.mkdir(exist_ok=True)
    src = CACHE / f"ecb{n}.jsonl"
    src.write_text("".join(json.dumps({"text": d["text"], "url": d.get("source_url") or None}) + "\n"
                           for d in docs), encoding="utf-8")
    saved = CACHE / f"analysis{n}.json"
    if reuse and saved.exists():  # render-only rerun (--reuse): the analysis of this corpus, saved before
        return Analysis.model_validate_json(saved.read_text(encoding="utf-8")), float("nan")
    t0 = time.perf_counter()
    analysis = analyze([str(src)], Options())
    seconds = time.perf_counter() - t0
    saved.write_text(analysis.to_json(indent=None), encoding="utf-8")
    return analysis, seconds


def first_paint(browser: object, path: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(path.resolve().as_uri(), wait_until="load")
        fcp = page.evaluate("() => { const e = performance.getEntriesByName('first-contentful-paint')[0];"
                            " return e ? e.startTime : performance.timing.loadEventEnd - performance.timing.navigationStart; }")
        times.append(float(fcp) / 1000)
        context.close()
    return statistics.median(times)


def run(sizes: list[int], reuse: bool = False) -> str:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for n in sizes:
            analysis, seconds = analysis_of(n, reuse)
            print(f"analysed {n} in {seconds:.0f} s", flush=True)
            out = CACHE / f"site{n}"
            out.mkdir(exist_ok=True)
            for old in out.glob("*.html"):
                old.unlink()
            t0 = time.perf_counter()
            pages = render_site(analysis, "report")
            render_seconds = time.perf_counter() - t0
            for name, page in pages.items():
                (out / name).write_text(page, encoding="utf-8")
            one_page = render_html(analysis)
            index = out / "report.html"
            stories = [out / name for name in pages if name != "report.html"]
            largest = max(stories, key=lambda p: p.stat().st_size)
            rows.append({
                "n": n, "docs": len(analysis.documents), "stories": len(analysis.stories), "analyse": seconds,
                "render": render_seconds, "index_kb": index.stat().st_size / 1024,
                "story_kb": largest.stat().st_size / 1024, "one_page_kb": len(one_page.encode()) / 1024,
                "index_fcp": first_paint(browser, index), "story_fcp": first_paint(browser, largest),
            })
        browser.close()
    lines = [
        "## HTML report size and first render", "",
        f"Command: `.venv/bin/python -m benchmarks.report_scale --sizes {' '.join(map(str, sizes))}`; "
        f"{revision()}; {machine()}; Debian chromium headless via Playwright.", "",
        "| articles | stories | index page | largest story page | one-page report (old layout) | "
        "first render: index | first render: largest story | analyse | render all pages |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['docs']} | {r['stories']} | {r['index_kb']:.0f} KB | {r['story_kb']:.0f} KB | "
            f"{r['one_page_kb']:.0f} KB | {r['index_fcp']:.2f} s | {r['story_fcp']:.2f} s | "
            f"{r['analyse']:.0f} s | {r['render']:.1f} s |")
    lines += ["", "Targets: index < 500 KB, any story page < 1 MB, first render < 1 s.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="render the analyses saved by an earlier run")
    args = parser.parse_args()
    report = run(args.sizes, args.reuse)
    print(report)
    if not args.no_write:
        write_result("report_scale", report)


if __name__ == "__main__":
    main()
