"""Regenerate docs/report-screenshot.png: the HTML report of examples/sample in chromium.

    .venv/bin/python tests/report/screenshot.py [OUT.png]

Not a test (pytest does not collect it); the browser tests check the same page.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import storylens
from storylens.report.html import render_html

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(out: Path) -> None:
    analysis = storylens.analyze([str(ROOT / "examples" / "sample")], storylens.Options())
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "sample.html"
        page_path.write_text(render_html(analysis, title="storylens report: examples/sample"), encoding="utf-8")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 1500})
            page.goto(page_path.as_uri())
            page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": 1200, "height": 1500})
            browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "report-screenshot.png")
