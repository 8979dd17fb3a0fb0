"""The web app in a real browser: Debian's chromium driven by Playwright, against the
session's uvicorn server (tests/serve/conftest.py).

Set STORYLENS_UPDATE_SCREENSHOT=1 to rewrite docs/serve-phone.png from the phone test.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import ROOT, LiveServer

CHROMIUM = os.environ.get("STORYLENS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing: `make setup` installs Debian's chromium (apt-get install chromium)"),
]

SCRIPT = "<script>window.__pwned=1;fetch('http://198.51.100.7/x')</script>"
IMG = '<img src="http://198.51.100.7/i.png" onerror="window.__pwned=2;alert(2)">'
SVG = '<svg onload="window.__pwned=3;alert(3)"></svg>'


def _hostile_jsonl() -> bytes:
    """Two articles of one made-up event, with markup in every field a page shows."""
    body = ("The river authority closed the Tessel footbridge on Monday after inspectors found 14 cracked "
            "bearings, the authority said. {p} Engineers will replace the bearings over six weeks, "
            "officials said. Commuters must use the ferry in the meantime. \"We will not reopen it until "
            "it is safe,\" said Ana Brill, the authority's chief engineer.")
    rows = [
        {"title": f"Footbridge shut {SCRIPT}", "outlet": f"Daily {IMG}", "author": f"Reporter {SVG}",
         "published": "2031-05-05", "url": "https://example.org/a", "text": body.format(p=SCRIPT)},
        {"title": f"Tessel footbridge closed {IMG}", "outlet": f"Weekly {SCRIPT}", "author": f"{SCRIPT}",
         "published": "2031-05-06", "url": "javascript:alert(4)", "text": body.format(p=IMG + SVG)},
    ]
    return "\n".join(json.dumps(r) for r in rows).encode()


class Tab:
    """A browser page with everything it logged, requested and every dialog it opened."""

    def __init__(self, browser: Any, server: LiveServer, viewport: dict[str, int] | None = None) -> None:
        self.server = server
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)

    def goto(self, path: str) -> None:
        self.page.goto(self.server.url + path, wait_until="load")

    def problems(self) -> list[str]:
        out = [f"{k}: {t}" for k, t in self.console if k in ("error", "warning")] + self.errors
        out += [f"dialog: {d}" for d in self.dialogs]
        out += [f"request: {u}" for u in self.requests if not u.startswith(self.server.url)]
        if self.page.evaluate("typeof window.__pwned") != "undefined":
            out.append("payload ran")
        return out

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, corpus_server: LiveServer) -> Iterator[Tab]:
    t = Tab(browser, corpus_server)
    yield t
    t.close()


def test_upload_progress_list_story_and_a_citation_highlights(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    tab.goto("/")
    upload = tmp_path / "hostile.jsonl"
    upload.write_bytes(_hostile_jsonl())
    page.set_input_files("#files", str(upload))
    page.click("form.add button[type=submit]")
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    assert page.locator("#job-state").inner_text() in ("queued", "running", "done")
    # live progress ends by reloading the finished job's page
    page.wait_for_selector("#job[data-state=done]", timeout=300_000)
    page.wait_for_selector("#job-result a[href^='/stories/']", timeout=30_000)
    assert "2 added" in page.locator("#job-result").inner_text()
    page.click("header.site a[href='/stories']")
    page.wait_for_url(re.compile(r"/stories$"))
    rows = page.locator("table.stories tbody tr")
    assert rows.count() >= 2
    # the sample story (the largest) and its page
    page.locator("table.stories a", has_text=re.compile(".")).first.wait_for()
    links = page.locator("table.stories tbody tr")
    sizes = [int(links.nth(i).locator("td[data-label=Articles]").inner_text()) for i in range(rows.count())]
    links.nth(sizes.index(max(sizes))).locator("a").first.click()
    page.wait_for_url(re.compile(r"/stories/[A-Za-z0-9_-]+$"))
    cite = page.locator("#briefing a.cite").first
    key = cite.get_attribute("data-target")
    assert key
    cite.click()
    marked = page.locator(f'mark.cite.hl[data-key="{key}"]')
    assert marked.count() >= 1 and marked.first.is_visible()
    assert tab.problems() == []


def test_hostile_strings_stay_inert_on_every_page(tab: Tab) -> None:
    with tab.server.client() as client:
        stories = client.get("/api/stories", params={"q": "footbridge"}).json()["stories"]
        if not stories:  # when this test runs alone
            resp = client.post("/api/documents", files=[("files", ("h.jsonl", _hostile_jsonl(), "text/plain"))])
            from serve_helpers import wait_job

            assert wait_job(client, resp.json()["id"])["state"] == "done"
            stories = client.get("/api/stories", params={"q": "footbridge"}).json()["stories"]
    sid = stories[0]["id"]
    for path in ("/", "/stories", "/stories?q=footbridge", f"/stories/{sid}", f"/stories?q={SCRIPT}"):
        tab.goto(path)
        tab.page.wait_for_timeout(200)
        for cite in tab.page.locator("a.cite").all()[:5]:
            cite.click()
        assert tab.problems() == [], path
    tab.goto(f"/stories/{sid}")
    assert "<script>" in tab.page.locator("body").inner_text()  # shown as text, not run


def test_keyboard_navigation(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # past the site bar: the first field of the form
    assert page.evaluate("document.activeElement.id") == "text"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "title"
    # the site navigation is reachable and works with Enter
    tab.goto("/")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/stories":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/stories$"))
    for _ in range(30):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''") or ""
        if re.fullmatch(r"/stories/[A-Za-z0-9_-]+", href):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/stories/[A-Za-z0-9_-]+$"))
    # on the story page a citation is reached by Tab and followed with Enter
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cite')"):
            break
    key = page.evaluate("document.activeElement.getAttribute('data-target')")
    assert key
    page.keyboard.press("Enter")
    assert page.locator(f'mark.cite.hl[data-key="{key}"]').count() >= 1
    assert tab.problems() == []


def test_a_phone_reads_the_list_and_the_story_without_sideways_scrolling(browser: Any,
                                                                         corpus_server: LiveServer) -> None:
    t = Tab(browser, corpus_server, viewport=PHONE)
    try:
        t.goto("/stories")
        assert t.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        with corpus_server.client() as client:
            largest = max(client.get("/api/stories").json()["stories"], key=lambda s: s["size"])
        t.page.locator(f"table.stories a[href='/stories/{largest['id']}']").click()
        t.page.wait_for_url(re.compile(r"/stories/[A-Za-z0-9_-]+$"))
        assert t.page.locator("#briefing").is_visible()
        if os.environ.get("STORYLENS_UPDATE_SCREENSHOT"):
            t.page.screenshot(path=str(ROOT / "docs" / "serve-phone.png"), full_page=False)
        assert t.problems() == []
    finally:
        t.close()
