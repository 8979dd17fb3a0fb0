"""The HTML report in a real browser: Debian's chromium driven by Playwright.

The browser is started once per session. Playwright's own browser download is not
used: the project's set-up (`make setup`) installs Debian's chromium; without it
these tests are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import IMG_PAYLOAD, SCRIPT_PAYLOAD, build_hostile_analysis, with_briefing

from storylens.models import Analysis
from storylens.report.html import SECTION_IDS, render_html, span_key

CHROMIUM = os.environ.get("STORYLENS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing: `make setup` installs Debian's chromium (apt-get install chromium)"),
]


class Loaded:
    """A page opened on a report file, with everything it logged and requested."""

    def __init__(self, browser: Any, path: Path, viewport: dict[str, int] | None = None) -> None:
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(self.url, wait_until="load")

    def close(self) -> None:
        self.context.close()

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind in ("error", "warning")] + self.errors


@pytest.fixture(scope="session")
def sample_report(sample_analysis: Analysis, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Analysis]:
    analysis = with_briefing(sample_analysis)
    path = tmp_path_factory.mktemp("html") / "sample.html"
    path.write_text(render_html(analysis), encoding="utf-8")
    return path, analysis


@pytest.fixture
def sample_page(browser: Any, sample_report: tuple[Path, Analysis]) -> Iterator[Loaded]:
    loaded = Loaded(browser, sample_report[0])
    yield loaded
    loaded.close()


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Analysis]:
    analysis = build_hostile_analysis()
    path = tmp_path_factory.mktemp("html") / "hostile.html"
    path.write_text(render_html(analysis), encoding="utf-8")
    return path, analysis


def highlighted(page: Any) -> list[dict[str, str]]:
    return list(page.evaluate(
        "() => Array.from(document.querySelectorAll('mark.hl')).map(m => ({key: m.dataset.key, text: m.textContent}))"))


def in_viewport(page: Any, key: str) -> bool:
    return bool(page.evaluate(
        "(k) => { const r = document.getElementById(k).getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight; }", key))


def test_sample_loads_clean_and_offline(sample_page: Loaded) -> None:
    sample_page.page.wait_for_timeout(200)
    assert sample_page.console_errors() == []
    assert sample_page.requests == [sample_page.url]
    assert sample_page.page.evaluate("document.documentElement.classList.contains('js')")


def test_every_section_is_present_and_not_empty(sample_page: Loaded) -> None:
    page = sample_page.page
    for ident in SECTION_IDS:
        section = page.locator(f"section#{ident}")
        assert section.count() == 1, ident
        assert section.is_visible(), ident
        heading = section.locator("h2").inner_text()
        body = section.inner_text().replace(heading, "", 1).strip()
        assert len(body.split()) >= 5, f"{ident}: {body!r}"
    # the charts are drawn
    assert page.locator("#timeline svg circle").count() > 0
    assert page.locator("#framing svg rect").count() > 0


def test_clicking_a_briefing_citation_highlights_its_sentence(sample_page: Loaded,
                                                              sample_report: tuple[Path, Analysis]) -> None:
    page = sample_page.page
    _, analysis = sample_report
    citations = list(dict.fromkeys((c.doc, c.start, c.end, c.text)
                                   for s in analysis.briefing.sentences for c in s.citations))
    assert citations
    checked_whole = 0
    for i, (doc, start, end, text) in enumerate(citations[:8]):
        key = span_key(doc, start, end)
        page.locator(f'#briefing a.cite[data-target="{key}"]').first.click()
        marks = highlighted(page)
        assert {m["key"] for m in marks} == {key}
        # the highlighted text is the cited span, word for word
        assert "".join(m["text"] for m in marks) == text
        assert in_viewport(page, key)
        # briefing citations are kept whole in the markup unless they cross an
        # earlier briefing citation: then the one element is the span itself
        crosses = any(d == doc and s < end and start < e and not (s <= start and end <= e)
                      and not (start <= s and e <= end) for d, s, e, _ in citations[:i])
        if not crosses:
            assert page.locator(f"#{key}").text_content() == text
            checked_whole += 1
    assert checked_whole
    assert sample_page.console_errors() == []


def test_matrix_ticks_and_hover(sample_page: Loaded, sample_report: tuple[Path, Analysis]) -> None:
    page = sample_page.page
    _, analysis = sample_report
    texts = {span_key(s.doc, s.start, s.end): s.text for c in analysis.claims for s in c.support}
    tick = page.locator("#matrix td.cell a").first
    key = tick.get_attribute("data-target")
    assert key in texts
    tick.hover()
    assert page.locator(f'mark.peek[data-key="{key}"]').count() >= 1
    tick.click()
    assert page.locator(f"#{key}").text_content() == texts[key]
    assert [m["key"] for m in highlighted(page)] == [key] * len(highlighted(page))
    # the back button returns to the citation
    page.locator("#back-to-citation").click()
    assert tick.is_visible() and page.evaluate(
        "() => { const r = document.querySelector('#matrix td.cell a').getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight; }")
    # filtering the matrix by status
    page.locator('input[data-status-filter][value="single_source"]').uncheck()
    assert page.locator('#matrix tr[data-status="single_source"]:visible').count() == 0


def test_hostile_article_text_never_runs(browser: Any, hostile_report: tuple[Path, Analysis]) -> None:
    path, analysis = hostile_report
    loaded = Loaded(browser, path)
    try:
        page = loaded.page
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("img").count() == 0
        doc = page.locator("#doc-doca .doctext")
        text = doc.inner_text()
        assert SCRIPT_PAYLOAD in text and IMG_PAYLOAD in text
        assert doc.get_by_text(SCRIPT_PAYLOAD).first.is_visible()
        # the hostile span can be cited and highlighted like any other
        cited = analysis.briefing.sentences[1].citations[0]
        key = span_key(cited.doc, cited.start, cited.end)
        page.locator(f'#briefing a.cite[data-target="{key}"]').click()
        assert page.locator(f"#{key}").text_content() == SCRIPT_PAYLOAD
        # the link to an article with a javascript: URL is not a link
        assert page.locator('a[href^="javascript:"]').count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert loaded.console_errors() == []
        assert loaded.requests == [loaded.url]
    finally:
        loaded.close()


def test_readable_on_a_phone(browser: Any, sample_report: tuple[Path, Analysis]) -> None:
    loaded = Loaded(browser, sample_report[0], viewport={"width": 390, "height": 844})
    try:
        page = loaded.page
        # nothing wider than the screen: wide tables scroll inside their own box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        sides = page.locator("#contradictions .sides").first
        if sides.count():
            columns = page.evaluate("(el) => getComputedStyle(el).gridTemplateColumns.split(' ').length",
                                    sides.element_handle())
            assert columns == 1
    finally:
        loaded.close()


def test_print_layout(sample_page: Loaded) -> None:
    page = sample_page.page
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()
    assert page.locator("#matrix .filters").is_hidden()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("document.querySelectorAll('details:not([open])').length") == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate("document.querySelectorAll('details[open]').length") == 0
