"""Per-story pages, the phone layout of the matrix and charts, and HTML/Markdown agreement,
in Debian's chromium driven by Playwright (skipped with the reason when it is missing)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import with_briefing
from test_html_browser import CHROMIUM, Loaded

from storylens.models import Analysis, Story, doc_label
from storylens.report.html import render_html
from storylens.report.markdown import render_markdown
from storylens.report.marks import claim_order
from storylens.report.site import render_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: `make setup` installs it"),
]
PHONE = {"width": 390, "height": 844}


def two_stories(analysis: Analysis) -> Analysis:
    """The sample split in two stories (first documents / the rest), claims following their first source."""
    a = with_briefing(analysis).model_copy(deep=True)
    ids = [d.id for d in a.documents]
    first, rest = ids[: len(ids) // 2 + 1], ids[len(ids) // 2 + 1 :]
    a.stories = [Story(id="s1", label="Harbour story one", docs=first),
                 Story(id="s2", label="Quay story two", docs=rest)]
    for c in a.claims:
        c.story = "s1" if c.support and c.support[0].doc in first else "s2"
    return a


@pytest.fixture(scope="module")
def site(sample_analysis: Analysis, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Analysis]:
    analysis = two_stories(sample_analysis)
    root = tmp_path_factory.mktemp("site")
    for name, page in render_site(analysis, "report").items():
        (root / name).write_text(page, encoding="utf-8")
    return root / "report.html", analysis


@pytest.fixture
def index_page(browser: Any, site: tuple[Path, Analysis]) -> Iterator[Loaded]:
    loaded = Loaded(browser, site[0])
    yield loaded
    loaded.close()


def test_story_index_links_searches_and_filters_offline(index_page: Loaded, site: tuple[Path, Analysis]) -> None:
    page = index_page.page
    cards = page.locator("li.story-card")
    assert cards.count() == 2
    page.fill("#story-search", "quay")
    assert page.locator("li.story-card:visible").count() == 1
    assert page.locator("li.story-card:visible h3").inner_text() == "Quay story two"
    assert "1 of 2" in page.locator("#story-count").inner_text()
    page.fill("#story-search", "no such words anywhere")
    assert page.locator("li.story-card:visible").count() == 0 and page.locator("#story-none").is_visible()
    page.fill("#story-search", "")
    # the outlet filter keeps the stories that outlet wrote for
    _, analysis = site
    outlet = doc_label(next(d for d in analysis.documents if d.id in analysis.stories[1].docs))
    page.select_option("#story-outlet", outlet)
    assert page.locator("li.story-card:visible h3").all_inner_texts() == ["Quay story two"]
    page.select_option("#story-outlet", "")
    # a link opens the story's own page, which links back
    page.locator("li.story-card h3 a", has_text="Harbour story one").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Harbour story one"
    assert page.locator("#briefing").count() == 1 and page.locator("#documents article.doc").count() == 3
    page.locator("p.crumbs a").click()
    page.wait_for_load_state("load")
    assert page.locator("li.story-card").count() == 2
    assert index_page.console_errors() == []
    assert all(url.startswith("file://") for url in index_page.requests)


def test_story_page_on_a_phone(browser: Any, site: tuple[Path, Analysis]) -> None:
    story_page = sorted(site[0].parent.glob("report-story-*.html"))[0]
    loaded = Loaded(browser, story_page, viewport=PHONE)
    try:
        page = loaded.page
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("p.crumbs a").is_visible()
        # chart text stays legible: at least 11 px tall on screen
        heights = page.evaluate("() => [...document.querySelectorAll('svg.chart text')].slice(0, 30)"
                                ".map(t => t.getBoundingClientRect().height).filter(h => h > 0)")
        assert heights and min(heights) >= 11, heights
        assert loaded.console_errors() == []
    finally:
        loaded.close()


def test_matrix_claim_column_stays_in_view_when_scrolled_on_a_phone(browser: Any,
                                                                     sample_analysis: Analysis,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(render_html(with_briefing(sample_analysis)), encoding="utf-8")
    loaded = Loaded(browser, path, viewport=PHONE)
    try:
        page = loaded.page
        box = page.locator("#matrix .scroll").first
        box.scroll_into_view_if_needed()
        before = page.locator("#matrix td.claim").first.bounding_box()
        width = page.evaluate("(el) => el.scrollWidth - el.clientWidth", box.element_handle())
        assert width > 0  # the outlet columns do scroll sideways on a phone
        page.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }", box.element_handle())
        after = page.locator("#matrix td.claim").first.bounding_box()
        assert before and after and abs(after["x"] - before["x"]) < 1 and after["x"] >= 0
        # the last outlet column came into view beside the claim
        last = page.locator("#matrix tbody tr").first.locator("td.cell, td.n").last.bounding_box()
        assert last and last["x"] + last["width"] <= PHONE["width"] + 1
    finally:
        loaded.close()


def test_html_and_markdown_agree_on_claim_status_and_marks(browser: Any,
                                                           sample_analysis: Analysis, tmp_path: Path) -> None:
    analysis = with_briefing(sample_analysis)
    path = tmp_path / "r.html"
    path.write_text(render_html(analysis), encoding="utf-8")
    md = render_markdown(analysis)
    table = md.split("## Corroboration matrix", 1)[1].split("\n## ", 1)[0]
    rows = [ln for ln in table.splitlines() if ln.startswith("| ") and not ln.startswith("| claim")]
    header = next(ln for ln in table.splitlines() if ln.startswith("| claim"))
    md_columns = [c.strip().replace("\\", "") for c in header.strip("|").split("|")[3:]]
    shown = sorted((c for c in analysis.claims if c.independent_sources >= 2 or c.status == "contested"),
                   key=claim_order(analysis))  # the order both matrices list claims in
    assert len(rows) == len(shown) and any(c.status == "contested" for c in shown)
    loaded = Loaded(browser, path)
    try:
        page = loaded.page
        html_columns = page.eval_on_selector_all("#matrix table.matrix thead th.outlet",
                                                 "els => els.map(e => e.getAttribute('title'))")
        html_columns = [re.sub(r" \((copy|opinion)[^)]*\)$", "", t) for t in html_columns]
        for claim, row in zip(shown, rows, strict=True):
            cells = [c.strip() for c in row.strip("|").split("|")]
            md_status, md_marks = cells[2], dict(zip(md_columns, cells[3:], strict=True))
            tr = page.locator(f'#matrix tr[id="claim-{claim.id}"]')
            assert tr.get_attribute("data-status") == md_status == claim.status
            html_marks = dict(zip(html_columns, tr.locator("td.cell, td.n").evaluate_all(
                "tds => tds.map(td => td.getAttribute('data-mark') || '')"), strict=True))
            for column, mark in md_marks.items():
                assert html_marks.get(column, "") == mark, (claim.text, column)
    finally:
        loaded.close()


def test_matrix_outlet_headers_never_break_inside_a_word_on_a_phone(browser: Any, sample_analysis: Analysis,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(render_html(with_briefing(sample_analysis)), encoding="utf-8")
    loaded = Loaded(browser, path, viewport=PHONE)
    try:
        # a word of an outlet's name laid out on two lines has two client rectangles
        split = loaded.page.evaluate("""() => {
            const out = [];
            for (const th of document.querySelectorAll('#matrix th.outlet')) {
                const node = th.firstChild;
                if (!node || node.nodeType !== Node.TEXT_NODE) continue;
                const re = /\\S+/g; let m;
                while ((m = re.exec(node.textContent)) !== null) {
                    const r = document.createRange();
                    r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
                    const lines = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
                    if (lines.size > 1) out.push(m[0]);
                }
            }
            return out;
        }""")
        assert loaded.page.locator("#matrix th.outlet").count() >= 2
        assert split == []
    finally:
        loaded.close()
