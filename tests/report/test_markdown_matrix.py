"""The Markdown matrix of a batch of several stories: one table per story, whose columns are
that story's outlets, and never a contested claim whose disputing outlets are cut away."""

from __future__ import annotations

from storylens.models import Analysis, Claim, Contradiction, Document, ScoredSpan, Span, Story
from storylens.report.markdown import MATRIX_COLUMNS, render_markdown


def _span(doc: Document) -> ScoredSpan:
    return ScoredSpan(doc=doc.id, start=0, end=len(doc.text), text=doc.text, score=0.9)


def _analysis() -> Analysis:
    # story 1: many outlets stating one widely carried claim; story 2: two outlets in conflict
    ferry = [Document(id=f"f{i}", source=f"f{i}.txt", outlet=f"Harbour Wire {i}", genre="report",
                      text="The Vell ferry left Dunmarra on Monday with 300 passengers.")
             for i in range(MATRIX_COLUMNS + 3)]
    quake = [Document(id=f"q{i}", source=f"q{i}.txt", outlet=f"Upland Courier {i}", genre="report",
                      text=f"The tremor struck the valley on {day}.")
             for i, day in enumerate(("Tuesday", "Thursday"))]
    claims = [Claim(id="c1", text=ferry[0].text, support=[_span(d) for d in ferry],
                    independent_sources=len(ferry), status="corroborated", story="s1"),
              Claim(id="c2", text=quake[0].text, support=[_span(d) for d in quake],
                    independent_sources=2, status="contested", story="s2")]
    clash = Contradiction(id="x1", kind="date", explanation="'Tuesday' vs 'Thursday'", confidence=0.9, claim="c2",
                          a=Span(doc="q0", start=0, end=len(quake[0].text), text=quake[0].text),
                          b=Span(doc="q1", start=0, end=len(quake[1].text), text=quake[1].text))
    return Analysis(documents=[*ferry, *quake], claims=claims, contradictions=[clash],
                    stories=[Story(id="s1", label="Vell ferry sails", docs=[d.id for d in ferry]),
                             Story(id="s2", label="Tremor in the valley", docs=[d.id for d in quake])])


def test_each_story_has_its_own_matrix_with_its_own_outlets() -> None:
    md = render_markdown(_analysis())
    matrix = md.split("## Corroboration matrix", 1)[1].split("\n## ", 1)[0]
    ferry, quake = matrix.split("### Vell ferry sails", 1)[1].split("### Tremor in the valley", 1)
    ferry_head = next(ln for ln in ferry.splitlines() if ln.startswith("| claim"))
    quake_head = next(ln for ln in quake.splitlines() if ln.startswith("| claim"))
    assert "Upland Courier" not in ferry_head and "Harbour Wire" not in quake_head
    assert ferry_head.count("Harbour Wire") == MATRIX_COLUMNS
    assert "3 more documents beyond the first" in ferry
    # the contested claim's row marks both disputing outlets
    row = next(ln for ln in quake.splitlines() if ln.startswith("| The tremor"))
    assert row.count("≠") == 2 and "contested" in row


def test_one_story_keeps_one_table_without_a_heading() -> None:
    analysis = _analysis()
    analysis.stories = analysis.stories[:1]
    analysis.claims = analysis.claims[:1]
    analysis.contradictions = []
    matrix = render_markdown(analysis).split("## Corroboration matrix", 1)[1].split("\n## ", 1)[0]
    assert "###" not in matrix and matrix.count("| claim") == 1
    assert "2 documents state none of these claims" in matrix
