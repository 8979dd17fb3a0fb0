"""The HTML report without a browser: escaping, self-containment, sections, citations."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import IMG_PAYLOAD, SCRIPT_PAYLOAD, build_hostile_analysis, with_briefing

from storylens.models import Analysis, Claim, Document, Framing, ScoredSpan, invalid_spans
from storylens.report import FORMATS, render
from storylens.report.html import (
    SECTION_IDS,
    doc_label,
    parse_when,
    render_html,
    safe_url,
    span_key,
    tokenize,
)


class Page(HTMLParser):
    """Collects, per element id, the visible text inside it, plus every tag seen."""

    VOID = {"meta", "br", "input", "img", "link", "hr", "wbr", "source", "area", "base", "col", "embed", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw_text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))
            self.text.setdefault(str(a["id"]), [])
        if tag == "script":
            self.in_script = True
        if tag not in self.VOID:
            self.stack.append((tag, a.get("id")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False
        while self.stack:
            top, _ = self.stack.pop()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_script:
            return
        self.raw_text.append(data)
        for _, ident in self.stack:
            if ident:
                self.text[ident].append(data)

    def text_of(self, ident: str) -> str:
        return " ".join("".join(self.text.get(ident, [])).split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture
def hostile_html(hostile_analysis: Analysis) -> str:
    assert invalid_spans(hostile_analysis) == []
    return render_html(hostile_analysis)


# ------------------------------------------------------------------ registration

def test_html_is_a_format() -> None:
    assert "html" in FORMATS
    html = render(build_hostile_analysis(), "html")
    assert html.startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------ escaping

def test_hostile_article_text_is_escaped(hostile_html: str) -> None:
    # our own script is the only <script> element; no article markup survives as markup
    assert hostile_html.count("<script") == 1
    assert "window.__pwned" not in hostile_html.split("<script>")[-1]  # not in our script
    assert "<img" not in hostile_html
    assert "<b>" not in hostile_html and "<i>" not in hostile_html
    assert 'onerror="' not in hostile_html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in hostile_html
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in hostile_html


def test_hostile_text_is_shown_as_text(hostile_html: str) -> None:
    page = parse(hostile_html)
    visible = "".join(page.raw_text)
    assert SCRIPT_PAYLOAD in visible
    assert IMG_PAYLOAD in visible
    # every element is one we put there
    allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "ul", "ol", "li",
               "strong", "span", "nav", "a", "main", "h4", "section", "div", "table", "thead", "tbody", "tr", "th", "td",
               "details", "summary", "em", "label", "input", "blockquote", "svg", "line", "text", "circle",
               "rect", "article", "mark", "code", "br", "i", "button", "footer", "script", "g"}
    assert {tag for tag, _ in page.tags} <= allowed
    # <i> is only our legend swatch / confidence bar, never article text
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in page.tags)


def test_javascript_urls_are_never_links(hostile_html: str) -> None:
    page = parse(hostile_html)
    hrefs = [str(attrs.get("href")) for tag, attrs in page.tags if "href" in attrs]
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert "https://example.org/story?a=1&b=2" in [a.get("href") for _, a in page.tags]
    assert safe_url("javascript:alert(1)") is None
    assert safe_url(" JavaScript:alert(1)") is None
    assert safe_url("https://example.org/a b") is None
    assert safe_url("https://example.org/ok") == "https://example.org/ok"


# ------------------------------------------------------------------ self-containment

AUTO_LOAD = [
    re.compile(r"<script[^>]*\bsrc\s*=", re.I),
    re.compile(r"<link\b", re.I),
    re.compile(r"<(img|iframe|object|embed|video|audio|source|frame)\b", re.I),
    re.compile(r"@import", re.I),
    re.compile(r"url\(", re.I),
    re.compile(r"\bsrcset\s*=", re.I),
    re.compile(r"<base\b", re.I),
]


@pytest.mark.parametrize("which", ["hostile", "empty"])
def test_nothing_is_loaded_from_anywhere(which: str) -> None:
    analysis = build_hostile_analysis() if which == "hostile" else Analysis()
    html = render_html(analysis)
    for pattern in AUTO_LOAD:
        assert not pattern.search(html), pattern.pattern
    page = parse(html)
    doc_urls = {d.url for d in analysis.documents if d.url and safe_url(d.url)}
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href", "action", "data", "poster", "background"):
            value = attrs.get(name)
            if value is None:
                continue
            if name == "href" and tag == "a" and (value.startswith("#") or value in doc_urls):
                continue
            pytest.fail(f"<{tag} {name}={value!r}> would reach outside the file")
    # links to the original articles open only when clicked, and tell the site nothing
    for tag, attrs in page.tags:
        if tag == "a" and str(attrs.get("href", "")).startswith("http"):
            assert "noreferrer" in str(attrs.get("rel"))


def test_content_security_policy_allows_only_our_script(hostile_html: str) -> None:
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', hostile_html)
    assert csp
    policy = csp.group(1).replace("&#39;", "'")
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy and "img-src 'none'" in policy
    script = re.search(r"<script>(.*?)</script>", hostile_html, re.S)
    assert script
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]


# ------------------------------------------------------------------ sections

@pytest.mark.parametrize("which", ["hostile", "empty", "docs-only"])
def test_every_section_is_present_and_says_something(which: str) -> None:
    if which == "hostile":
        analysis = build_hostile_analysis()
    elif which == "empty":
        analysis = Analysis()
    else:
        analysis = Analysis(documents=[Document(id="d1", source="notes/x.txt", text="Nothing happened.", words=2)])
    page = parse(render_html(analysis))
    for ident in SECTION_IDS:
        assert ident in page.ids, ident
        heading_only = len(page.text_of(ident).split()) <= 3
        assert not heading_only, f"section {ident} is empty: {page.text_of(ident)!r}"
    if which != "hostile":
        # an informative sentence, not a silent gap
        assert "No briefing was written" in page.text_of("briefing")
        assert "No quotations were found" in page.text_of("quotes")
        assert "No contradictions were found" in page.text_of("contradictions")


def test_sections_carry_the_analysis(hostile_analysis: Analysis) -> None:
    page = parse(render_html(hostile_analysis))
    briefing = page.text_of("briefing")
    assert "Both outlets report that 212 passengers were rescued." in briefing
    matrix = page.text_of("matrix")
    for claim in hostile_analysis.claims:
        assert " ".join(claim.text.split()) in matrix
    assert "corroborated" in matrix and "contested" in matrix
    contra = page.text_of("contradictions")
    assert "number: '212' vs '240'" in contra and "Rescuers said 240 passengers" in contra
    quotes = page.text_of("quotes")
    # one utterance carried by both outlets, under the canonical speaker name
    assert "Maria <i>Lind</i>" in quotes and quotes.count("Everyone is safe & sound") == 1
    assert "Gazette <script>x()</script>" in quotes and ", b " in quotes
    assert "Framing" in page.text_of("framing")
    docs = page.text_of("documents")
    assert "Removed boilerplate: 1 line" in docs
    assert '<a href="http://evil.example/">Share</a>' in docs  # listed as text
    assert "b.txt" not in docs and "b" in docs  # no outlet: the file name without extension


def test_every_citation_points_at_a_marked_span(hostile_analysis: Analysis) -> None:
    html = render_html(hostile_analysis)
    page = parse(html)
    ids = set(page.ids)
    targets = [str(a["data-target"]) for _, a in page.tags if a.get("data-target")]
    assert targets
    assert all(t in ids for t in targets)
    for sent in hostile_analysis.briefing.sentences:
        for c in sent.citations:
            key = span_key(c.doc, c.start, c.end)
            assert key in targets
            # the marked element's text is exactly the cited span
            assert page.text_of(key) == " ".join(c.text.split())


def test_matrix_columns_merge_documents_of_one_outlet() -> None:
    docs = [Document(id=f"d{i}", source=f"s{i}.txt", outlet="Same Outlet" if i < 2 else "Other",
                     text="A fire broke out.", words=4) for i in range(3)]
    support = [ScoredSpan(doc=f"d{i}", start=0, end=17, text="A fire broke out.") for i in range(3)]
    analysis = Analysis(documents=docs, claims=[Claim(id="c", text="A fire broke out.", support=support,
                                                       independent_sources=2, status="corroborated")])
    html = render_html(analysis)
    header = re.search(r"<table class=\"matrix\">.*?</thead>", html, re.S)
    assert header
    assert header.group(0).count(">Same Outlet<") == 1
    assert html.count("aria-label=\"Same Outlet states it\"") == 1


# ------------------------------------------------------------------ framing fallback

def test_framing_computed_from_claims_when_missing_and_labelled(hostile_analysis: Analysis) -> None:
    hostile_analysis.framing = [Framing(doc="doca"), Framing(doc="docb")]
    hostile_analysis.quotes = []
    page = parse(render_html(hostile_analysis))
    framing = page.text_of("framing")
    assert "computed from the corroboration matrix" in framing
    assert "No quoted speakers were found" in framing


def test_framing_uses_framing_when_present(hostile_analysis: Analysis) -> None:
    page = parse(render_html(hostile_analysis))
    framing = page.text_of("framing")
    assert "computed from" not in framing
    assert "Maria <i>Lind</i> (1)" in framing
    assert IMG_PAYLOAD in framing  # loaded term, as text


# ------------------------------------------------------------------ building blocks

def test_tokenize_nests_and_splits_overlaps() -> None:
    text = "abcdefghij"
    spans = [(0, 10), (2, 5), (4, 8), (2, 5), (8, 10)]
    tokens = tokenize("d", text, spans)
    assert "".join(t.text for t in tokens if t.kind == "text") == text
    depth = 0
    opened: dict[str, str] = {}
    firsts = []
    current: list[str] = []
    for t in tokens:
        if t.kind == "open":
            depth += 1
            current.append(t.key)
            if t.first:
                firsts.append(t.key)
        elif t.kind == "close":
            depth -= 1
            current.pop()
            assert depth >= 0
        else:
            for k in current:
                opened[k] = opened.get(k, "") + t.text
    assert depth == 0
    # one first fragment (the element with the id) per distinct span
    assert sorted(firsts) == sorted({span_key("d", s, e) for s, e in spans})
    # all fragments of a span together hold exactly its text
    for s, e in set(spans):
        assert opened[span_key("d", s, e)] == text[s:e]


def _check_tokens(text: str, spans: list[tuple[int, int]]) -> dict[str, list[str]]:
    """Well formed, text intact, one first fragment per span, fragments join to the span."""
    tokens = tokenize("d", text, spans)
    assert "".join(t.text for t in tokens if t.kind == "text") == text
    current: list[str] = []
    firsts: list[str] = []
    pieces: dict[str, list[str]] = {}
    for t in tokens:
        if t.kind == "open":
            current.append(t.key)
            pieces.setdefault(t.key, []).append("")
            if t.first:
                firsts.append(t.key)
        elif t.kind == "close":
            assert current
            current.pop()
        else:
            for k in set(current):
                pieces[k][-1] += t.text
    assert not current
    assert sorted(firsts) == sorted({span_key("d", s, e) for s, e in spans})
    for s, e in set(spans):
        assert "".join(pieces[span_key("d", s, e)]) == text[s:e]
    return pieces


def test_tokenize_keeps_earlier_spans_whole() -> None:
    text = "abcdefghijklmnop"
    pieces = _check_tokens(text, [(4, 8), (2, 6), (6, 12), (0, 16)])
    assert pieces[span_key("d", 4, 8)] == ["efgh"]  # the first span is never cut
    assert pieces[span_key("d", 2, 6)] == ["cd", "ef"]
    assert pieces[span_key("d", 6, 12)] == ["gh", "ijkl"]
    # a fragment that coincides with another span's range
    _check_tokens(text, [(0, 4), (4, 8), (2, 8), (2, 4)])


def test_tokenize_random_spans() -> None:
    import random

    rng = random.Random(7)
    text = "The quick brown fox jumps over the lazy dog, twice."
    for _ in range(300):
        spans = []
        for _ in range(rng.randint(1, 8)):
            a = rng.randrange(len(text))
            spans.append((a, rng.randint(a + 1, len(text))))
        _check_tokens(text, spans)


def test_tokenize_without_spans_is_the_text() -> None:
    tokens = tokenize("d", "plain <b>text</b>", [])
    assert [(t.kind, t.text) for t in tokens] == [("text", "plain <b>text</b>")]


def test_span_key_is_safe_in_ids() -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", span_key('x"><script>', 1, 2))


@pytest.mark.parametrize(("value", "label"), [
    ("2026-03-11", "2026-03-11"), ("2026-03-11T14:30", "2026-03-11 14:30"), ("2025-10", "2025-10"),
    ("1998", "1998"), ("2026-03-04/2026-03-05", "2026-03-04"),
    ("T02:45", None), ("P3Y", None), (None, None), ("", None), ("2026-02-30", None),
])
def test_parse_when(value: str | None, label: str | None) -> None:
    tp = parse_when(value)
    assert (tp.label if tp else None) == label


def test_doc_label_is_outlet_then_title_then_file_name() -> None:
    d = Document(id="x", source="a/b/file.txt", text="t")
    assert doc_label(d) == "file"
    assert doc_label(d.model_copy(update={"title": "Title"})) == "“Title”"
    assert doc_label(d.model_copy(update={"title": "Title", "outlet": "Outlet"})) == "Outlet"
    long_title = "A headline that runs on for far longer than any column could hold"
    label = doc_label(d.model_copy(update={"title": long_title}))
    assert label.startswith("“A headline") and label.endswith("…”") and len(label) <= 42


@pytest.mark.parametrize("source", [
    "in/007_3f9a0c1d2b4e5f60.txt", "in/0042.txt", "x/5d0c9a7e-1b2f-4c3d-9e8f-0a1b2c3d4e5f.html",
])
def test_a_generated_file_name_gives_way_to_the_opening_words(source: str) -> None:
    d = Document(id="x", source=source, text="Flood waters rose overnight in the valley town of Ostrel.\nMore.")
    assert doc_label(d) == "“Flood waters rose overnight in the…”"


def test_a_file_name_a_person_chose_is_kept() -> None:
    d = Document(id="x", source="in/ostrel-flood-2031.txt", text="Flood waters rose overnight.")
    assert doc_label(d) == "ostrel-flood-2031"


def test_documents_without_an_outlet_are_not_counted_as_outlets() -> None:
    from storylens.models import outlet_counts, outlets_phrase

    docs = [Document(id=str(i), source=f"{i}.txt", text="t") for i in range(4)]
    docs[0].outlet = "Daily Example"
    docs[1].outlet = "daily  example"
    assert outlet_counts(docs) == (1, 2)
    assert outlets_phrase(docs) == "4 documents from 1 outlet (2 of unknown outlet)"
    assert outlets_phrase(docs[2:]) == "2 documents, outlets unknown"


# ------------------------------------------------------------------ the example story

@pytest.mark.slow
def test_sample_report(sample_analysis: Analysis) -> None:
    analysis = with_briefing(sample_analysis)
    html = render_html(analysis)
    page = parse(html)
    for ident in SECTION_IDS:
        assert len(page.text_of(ident).split()) > 3, ident
    matrix = page.text_of("matrix")
    assert all(" ".join(c.text.split()) in matrix for c in analysis.claims)
    ids = set(page.ids)
    assert all(str(a["data-target"]) in ids for _, a in page.tags if a.get("data-target"))
    for x in analysis.contradictions:
        assert x.explanation in page.text_of("contradictions")
    # the documents section holds every document's text, unchanged
    docs = page.text_of("documents")
    for d in analysis.documents:
        assert " ".join(d.text.split()) in docs


# ------------------------------------------------------------------ the command line

@pytest.mark.slow
def test_cli_writes_an_html_report(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import storylens.cli as cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Ferry fire on Lake Varden\n\nAll 212 passengers were rescued on Tuesday, the fire service said. "
        f"A reader posted {SCRIPT_PAYLOAD} below the story.\n", encoding="utf-8")
    # another event: two stories (two reports of the one rescue are one story)
    (tmp_path / "in" / "b.txt").write_text(
        "Bridge shut\n\nThe Selby Bridge in Tarnmoor was closed on Monday after inspectors found cracks, "
        "the council said.\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli.app, ["analyze", str(tmp_path / "in"), "-f", "html", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    pages = sorted(tmp_path.glob("report*.html"))
    htmls = [p.read_text(encoding="utf-8") for p in pages]
    assert all(html.startswith("<!DOCTYPE html>") for html in htmls)
    assert all(SCRIPT_PAYLOAD not in html for html in htmls)
    assert any("&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html for html in htmls)
    # two stories: an index at -o that links to one page per story, each a full report
    story_pages = [p for p in pages if p != out]
    assert len(story_pages) == len(pages) - 1 >= 1
    index = parse(out.read_text(encoding="utf-8"))
    hrefs = {str(a.get("href")) for _, a in index.tags if a.get("href")}
    assert {p.name for p in story_pages} <= hrefs
    page = parse(story_pages[0].read_text(encoding="utf-8"))
    assert all(ident in page.ids for ident in SECTION_IDS)
    bad = CliRunner().invoke(cli.app, ["analyze", str(tmp_path / "in"), "-f", "pdf"])
    assert bad.exit_code == 2 and "html" in bad.output


def test_quote_board_leaves_out_fragments_in_html_and_markdown() -> None:
    from storylens.link.quotes import mark_statements
    from storylens.models import Analysis, Quote, Span
    from storylens.report.markdown import render_markdown

    text = 'Officials denied arms transfers. "We will rebuild the bridge before winter," the mayor said.'
    doc = Document(id="d", source="d.txt", outlet="Harbour Herald", text=text)
    frag = text.index("arms transfers")
    full = text.index('"We')
    quotes = [
        Quote(id="q1", span=Span(doc="d", start=frag, end=frag + 14, text="arms transfers"),
              speaker_text="Officials", direct=False),
        Quote(id="q2", span=Span(doc="d", start=full, end=full + 47, text=text[full:full + 47]),
              speaker_text="the mayor", direct=True),
    ]
    mark_statements(quotes)  # what link decides; the reports render it
    analysis = Analysis(documents=[doc], quotes=quotes)
    html, md = render_html(analysis), render_markdown(analysis)
    for out in (html, md):
        assert "rebuild the bridge" in out
    assert "Officials" not in parse(html).text_of("quotes")
    assert "arms transfers" not in md.split("## Quote board", 1)[1]


def test_quote_board_keeps_short_complete_statements_and_drops_empty_fragments(tmp_path: Path) -> None:
    from storylens.link.quotes import mark_statements
    from storylens.models import Analysis, Quote, Span
    from storylens.report.markdown import render_markdown

    text = ("The ministry denied the report on Monday. The harbour office declined to comment. "
            "Police said it was not involved. Ines Okafor described the summit on Tuesday. "
            'Brevik called it "a total farce," and left. "It is false," Lena Marsh said.')
    doc = Document(id="d", source="d.txt", outlet="Harbour Herald", text=text)

    def span(words: str) -> Span:
        start = text.index(words)
        return Span(doc="d", start=start, end=start + len(words), text=words)

    said = [  # (words, cue, speaker, direct)
        ("denied the report", "denied", "The ministry", False),
        ("declined to comment", "declined", "The harbour office", False),
        ("it was not involved", "said", "Police", False),
        ('"It is false,"', "said", "Lena Marsh", True),
        ("described the summit", "described", "Ines Okafor", False),  # what she said is not here
        ('"a total farce,"', "called", "Brevik", True),  # a phrase inside the outlet's sentence
    ]
    quotes = [Quote(id=f"q{k}", span=span(w), cue=span(c) if c != "said" or not d else
                    Span(doc="d", start=text.rindex("said"), end=text.rindex("said") + 4, text="said"),
                    speaker_text=who, direct=d) for k, (w, c, who, d) in enumerate(said)]
    mark_statements(quotes)  # what link decides; the reports render it
    analysis = Analysis(documents=[doc], quotes=quotes)
    board_html = parse(render_html(analysis)).text_of("quotes")
    board_md = render_markdown(analysis).split("## Quote board", 1)[1]
    for board in (board_html, board_md):
        for kept in ("denied the report", "declined to comment", "it was not involved", "It is false"):
            assert kept in board, (kept, board)
        for dropped in ("described the summit", "a total farce"):
            assert dropped not in board, (dropped, board)
    # a saved analysis from before quotes were judged is judged when it is loaded to render
    from storylens.saved import load_analysis

    for q in quotes:
        q.statement = None
    saved = tmp_path / "old.json"
    saved.write_text(analysis.model_dump_json(), encoding="utf-8")
    again = load_analysis(str(saved))
    assert [q.statement for q in again.quotes] == [True, True, True, True, False, False]


def test_a_joint_speaker_is_one_speaker_whatever_the_order_in_both_boards() -> None:
    from storylens.models import Analysis, Quote, Span
    from storylens.report.markdown import render_markdown

    texts = {"a": "Valdoria and Ostmark denied the arms shipments on Monday.",
             "b": "Ostmark and Valdoria rejected the allegations of arms shipments."}
    docs = [Document(id=k, source=f"{k}.txt", outlet=f"Outlet {k}", text=t) for k, t in texts.items()]

    def quote(doc: str, words: str, cue: str, speaker: str) -> Quote:
        t = texts[doc]

        def span(w: str) -> Span:
            return Span(doc=doc, start=t.index(w), end=t.index(w) + len(w), text=w)

        return Quote(id=f"q{doc}", span=span(words), cue=span(cue), speaker_span=span(speaker),
                     speaker_text=speaker, direct=False)

    analysis = Analysis(documents=docs, quotes=[
        quote("a", "denied the arms shipments", "denied", "Valdoria and Ostmark"),
        quote("b", "rejected the allegations of arms shipments", "rejected", "Ostmark and Valdoria")])
    md = render_markdown(analysis).split("## Quote board", 1)[1]
    # one speaker, named as one of the outlets wrote it
    assert md.count("**Valdoria and Ostmark**") + md.count("**Ostmark and Valdoria**") == 1, md
    assert "2 utterances in 2 outlets" in md
    board = parse(render_html(analysis)).text_of("quotes")
    assert board.count("Valdoria and Ostmark") + board.count("Ostmark and Valdoria") == 1, board


def test_briefing_has_a_heading_per_story_when_there_are_several() -> None:
    from storylens.models import Analysis, Briefing, BriefingSentence, Span, Story

    docs = [Document(id=f"d{i}", source=f"{i}.txt", outlet=f"Outlet {i}", text=f"Sentence number {i} is here.")
            for i in range(2)]
    sentences = [BriefingSentence(text=d.text, citations=[Span(doc=d.id, start=0, end=len(d.text), text=d.text)],
                                  kind="single_source") for d in docs]
    analysis = Analysis(documents=docs, stories=[Story(id="s1", label="First story", docs=["d0"]),
                                                 Story(id="s2", label="Second story", docs=["d1"])],
                        briefing=Briefing(sentences=sentences))
    page = parse(render_html(analysis))
    text = page.text_of("briefing")
    assert text.index("First story") < text.index("Sentence number 0") < text.index("Second story") \
        < text.index("Sentence number 1")


def _two_story_analysis() -> Analysis:
    from storylens.models import Briefing, BriefingSentence, Span, Story

    docs = [Document(id=f"d{i}", source=f"{i}.txt", outlet=f"Outlet {i}", text=f"Sentence number {i} is here.")
            for i in range(3)]
    sentences = [BriefingSentence(text=d.text, citations=[Span(doc=d.id, start=0, end=len(d.text), text=d.text)],
                                  kind="single_source") for d in docs[:2]]
    return Analysis(documents=docs, stories=[Story(id="s1", label="First story", docs=["d0"]),
                                             Story(id="s2", label="Second story", docs=["d1"]),
                                             Story(id="s3", label="Third story", docs=["d2"])],
                    briefing=Briefing(sentences=sentences))


def test_one_page_of_several_stories_links_each_story_to_its_part() -> None:
    page = parse(render_html(_two_story_analysis()))
    links = {str(a["href"]): a for t, a in page.tags if t == "a" and str(a.get("href", "")).startswith("#briefing-")}
    assert sorted(links) == ["#briefing-story-1", "#briefing-story-2"]  # the third story has nothing to show
    assert page.text_of("briefing-story-1") == "First story" and page.text_of("briefing-story-2") == "Second story"
    # one story: no story links (the page is that story)
    one = _two_story_analysis()
    one.stories = one.stories[:1]
    assert not any(str(a.get("href", "")).startswith("#briefing-story") for _, a in parse(render_html(one)).tags)


def test_html_on_stdout_is_one_page_and_says_where_story_pages_can_go(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import storylens.cli as cli

    saved = tmp_path / "analysis.json"
    saved.write_text(_two_story_analysis().to_json(), encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["render", str(saved), "-f", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.count("<html") == 1
    assert 'href="#briefing-story-2"' in result.stdout
    assert result.stderr.count("\n") == 1 and "3 stories on one page" in result.stderr and "-o FILE.html" in result.stderr
    # Markdown on stdout, or HTML to a file (a story index and a page per story): no note
    assert CliRunner().invoke(cli.app, ["render", str(saved), "-f", "md"]).stderr == ""
    site = CliRunner().invoke(cli.app, ["render", str(saved), "-f", "html", "-o", str(tmp_path / "r.html")])
    assert site.exit_code == 0 and "stories on one page" not in site.stderr
    assert len(list(tmp_path.glob("r*.html"))) == 4


def test_an_empty_briefing_of_opinion_pieces_says_why() -> None:
    from storylens.report.markdown import render_markdown

    docs = [Document(id=f"d{i}", source=f"{i}.txt", outlet=f"Outlet {i}", genre="opinion",
                     text=f"The brave new plan number {i} is simply wonderful.") for i in range(2)]
    analysis = Analysis(documents=docs)
    reason = "every document here reads as an opinion piece"
    assert reason in parse(render_html(analysis)).text_of("briefing")
    assert reason in render_markdown(analysis)
    docs[0].genre = "report"  # one report: the usual note, no claim about opinion pieces
    assert reason not in render_html(analysis) and reason not in render_markdown(analysis)
