"""Read a saved JSON analysis and write a report of it (``storylens render``)."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from storylens.link.quotes import mark_statements
from storylens.models import Analysis
from storylens.output import OutputError, check_output_path, write_atomic, write_stdout

__all__ = ["RENDER_FORMATS", "SavedAnalysisError", "load_analysis", "one_page_note", "write_report"]

RENDER_FORMATS = ("md", "html", "csv", "json")
#: a saved analysis larger than this is refused rather than read into memory
MAX_BYTES = 2 * 1024**3


class SavedAnalysisError(Exception):
    """A saved analysis that cannot be read, or a report that cannot be written (one line)."""


def load_analysis(path: str) -> Analysis:
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            if Path(path).stat().st_size > MAX_BYTES:
                raise SavedAnalysisError("the analysis file is larger than 2 GiB")
            data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SavedAnalysisError("file not found") from None
    except IsADirectoryError:
        raise SavedAnalysisError("is a directory, not a JSON analysis") from None
    except OSError as exc:
        raise SavedAnalysisError(f"cannot read ({exc.strerror})") from None
    try:
        analysis = Analysis.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"msg": "invalid"}
        where = ".".join(str(x) for x in first.get("loc", ()))
        detail = f"{first.get('msg', 'invalid')}{' at ' + where if where else ''}"
        raise SavedAnalysisError(f"not a storylens JSON analysis ({detail})") from None
    # an analysis saved before quotes were judged: judge them now, so the quote board of
    # the rendered report is the one analyze would give
    mark_statements([q for q in analysis.quotes if q.statement is None])
    return analysis


def one_page_note(analysis: Analysis, fmt: str, out: Path | None) -> str | None:
    """What a reader of HTML on stdout should know when the batch has several stories: the
    page holds them all (its story list links to each), and ``-o`` writes a lighter site."""
    if fmt != "html" or out is not None or len(analysis.stories) < 2:
        return None
    return (f"note: {len(analysis.stories)} stories on one page (its story list links to each); "
            "-o FILE.html writes a story index and one page per story beside it")


def write_report(analysis: Analysis, fmt: str, out: Path | None) -> list[Path]:
    """Write ``analysis`` as ``fmt`` to ``out`` (stdout when None); the paths written.

    HTML of a batch with more than one story, written to a file, is a story index at
    ``out`` and one page per story beside it (``<stem>-story-NN.html``).
    """
    from storylens.report import render, strip_controls
    from storylens.report.site import render_site

    if fmt == "markdown":
        fmt = "md"
    if fmt not in RENDER_FORMATS:
        raise SavedAnalysisError(f"unknown format {fmt!r}; choose one of {', '.join(RENDER_FORMATS)}")
    try:
        if out is None:
            write_stdout(render(analysis, fmt))
            return []
        check_output_path(out)
        if fmt == "html" and len(analysis.stories) > 1:
            stem = out.name[: -len(out.suffix)] if out.suffix else out.name
            pages = render_site(analysis, stem, index_name=out.name)
            # story pages first, the index last: the index never links to a page not yet written
            written = [out.with_name(name) for name in pages if name != out.name]
            for target in written:
                write_atomic(target, strip_controls(pages[target.name]))
            write_atomic(out, strip_controls(pages[out.name]))
            return [out, *written]
        write_atomic(out, render(analysis, fmt))
        return [out]
    except OutputError as exc:
        raise SavedAnalysisError(f"{exc.path}: cannot write output ({exc.reason})") from None
