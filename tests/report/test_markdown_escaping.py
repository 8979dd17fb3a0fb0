"""Markdown report: every field escaped, whatever the article or its metadata holds (issue 13).

The hand-built hostile analysis gets Markdown-breaking values in the metadata fields too
(a published date with a pipe and a tag, a source with ESC sequences, an outlet that
opens a link): no table may gain or lose a column, no tag may reach the output raw, and
no control character may survive.
"""

from __future__ import annotations

import re

from storylens.models import Analysis, InputError
from storylens.report import render
from storylens.report.markdown import md_escape

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
UNESCAPED_LT = re.compile(r"(?<!\\)<")


def poison(analysis: Analysis) -> Analysis:
    first, second = analysis.documents
    first.published = "2031-03-04 | <b>x</b> *bold* [l](javascript:x)"
    second.source = "/tmp/esc\x1b[2J\x1b]52;c;aGk=\x07|pipe.txt"
    second.outlet = "Outlet | with [link](javascript:alert(1)) `code`"
    second.author = "Ann_Lee *x* ~strike~ &amp;"
    for story in analysis.stories:
        story.first_seen = "2031 | <i>"
        story.last_seen = "2032 | </i>"
    analysis.errors = [InputError(source="bad|name\x1b[31m.txt", code="SL002", message="file is empty | <x>")]
    return analysis


def tables(markdown: str) -> list[list[str]]:
    found: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def test_every_table_row_keeps_its_columns(hostile_analysis: Analysis) -> None:
    markdown = render(poison(hostile_analysis), "md")
    found = tables(markdown)
    assert len(found) >= 3
    for table in found:
        widths = {len(UNESCAPED_PIPE.findall(row)) for row in table}
        assert len(widths) == 1, table


def test_no_raw_tag_or_control_character(hostile_analysis: Analysis) -> None:
    markdown = render(poison(hostile_analysis), "md")
    assert UNESCAPED_LT.findall(markdown) == []
    assert not any(ord(c) < 32 and c not in "\n" for c in markdown)
    assert "2031-03-04 \\| \\<b\\>x\\</b\\> \\*bold\\* \\[l\\](javascript:x)" in markdown
    assert "bad\\|name\\[31m.txt" in markdown


def test_md_escape_neutralises_markdown_syntax() -> None:
    assert md_escape("a|b*c_d`e[f]g<h>i#j&k~l\\m\x1b[0m\nn") == \
        "a\\|b\\*c\\_d\\`e\\[f\\]g\\<h\\>i\\#j\\&k\\~l\\\\m\\[0m n"
