"""Command line: a thin layer over the Python API.

Exit codes: 0 all inputs analysed; 1 some inputs failed (the rest were
analysed); 2 usage error; 3 no document could be analysed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storylens.api import analyze as analyze_api
from storylens.errors import EXIT_NO_DOCUMENTS, EXIT_OK, EXIT_SOME_INPUTS_FAILED, EXIT_USAGE
from storylens.models import json_schema
from storylens.options import Options
from storylens.report import render

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read many articles; check claims across outlets.")
# emoji=False: a file named "a:fire:.txt" must be printed as it is, not as an emoji
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _one_line(text: str) -> str:
    """Keep an error on one line even when a file name contains line breaks."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


@app.command()
def analyze(
    sources: Annotated[list[str], typer.Argument(help="Files, directories, URL lists or URLs.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, md or html")] = "json",
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="Download URLs given as sources.")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow private/loopback URLs.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest input file or download, MB.")] = 50.0,
    timeout: Annotated[float, typer.Option("--timeout", help="HTTP timeout, seconds.")] = 10.0,
    processes: Annotated[int, typer.Option("--processes", "-j", help="spaCy worker processes.")] = 1,
    llm_url: Annotated[str | None, typer.Option("--llm-url", help="OpenAI-compatible endpoint for briefing rewrite.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or status messages on stderr (errors are still shown).")] = False,
) -> None:
    """Analyse SOURCES and write a report (JSON by default)."""
    from storylens.report import FORMATS

    if fmt not in FORMATS and fmt != "markdown":
        err.print(f"error: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(EXIT_USAGE)
    if processes < 1 or max_mb <= 0 or timeout <= 0:
        err.print("error: --processes, --max-mb and --timeout must be positive")
        raise typer.Exit(EXIT_USAGE)
    options = Options(fetch=fetch, allow_private=allow_private, max_bytes=int(max_mb * 1024 * 1024),
                      timeout=timeout, n_process=processes, llm_url=llm_url, progress=not quiet)
    show_progress = not quiet and err.is_terminal
    if show_progress:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task("annotating", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, description=stage, completed=done, total=total)

            analysis = analyze_api(sources, options, progress)
    else:
        analysis = analyze_api(sources, options)
    # input errors are shown even with --quiet: they explain a non-zero exit code
    for e in analysis.errors:
        err.print(_one_line(f"{e.source}: error {e.code}: {e.message}"), markup=False)
    if not analysis.documents:
        err.print("error: no document could be analysed")
        raise typer.Exit(EXIT_NO_DOCUMENTS)
    text = render(analysis, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            err.print(_one_line(f"{out}: error: cannot write output ({exc.strerror})"), markup=False)
            raise typer.Exit(EXIT_USAGE) from exc
        if not quiet:
            err.print(f"wrote {out} ({len(analysis.documents)} documents)", markup=False)
    raise typer.Exit(EXIT_SOME_INPUTS_FAILED if analysis.errors else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the analysis output."""
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
