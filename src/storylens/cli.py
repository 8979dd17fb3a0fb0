"""Command line: a thin layer over the Python API.

Exit codes: 0 all inputs analysed; 1 some inputs failed (the rest were
analysed); 2 usage error (or the report could not be written); 3 no document
could be analysed; 4 internal error; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import json
import logging
import math
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from storylens import interrupt
from storylens.api import analyze as analyze_api
from storylens.cli_serve import register as register_serve_command
from storylens.cli_store import optional_option_values
from storylens.cli_store import register as register_store_commands
from storylens.errors import (
    EXIT_INTERNAL,
    EXIT_NO_DOCUMENTS,
    EXIT_OK,
    EXIT_SOME_INPUTS_FAILED,
    EXIT_USAGE,
)
from storylens.models import Analysis, json_schema
from storylens.options import Options
from storylens.output import OutputError, check_output_path, write_atomic, write_stdout
from storylens.progress import progress_reporter
from storylens.report import render
from storylens.terminal import quote_for_terminal

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="Read many articles; check claims across outlets.")
# emoji=False: a file named "a:fire:.txt" must be printed as it is, not as an emoji
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _one_line(text: str) -> str:
    """Keep an error on one line, and the terminal safe, whatever a file name holds."""
    return quote_for_terminal(text)


class UsageProblem(Exception):
    """An option value the CLI refuses; the message is one line naming the option."""


#: (lowest, highest) accepted for each numeric option; stated in the README
LIMITS: dict[str, tuple[float, float]] = {
    "--max-mb": (0.001, 1_000_000.0),
    "--timeout": (0.001, 86_400.0),
    "--max-chars": (1, 1_000_000),
    "--max-records": (1, 100_000_000),
    "--processes": (1, 256),
    "--min-confidence": (0, 1),
}


def _in_range(name: str, value: float) -> None:
    low, high = LIMITS[name]
    if not math.isfinite(value) or not low <= value <= high:
        raise UsageProblem(f"{name} must be a number from {low:g} to {high:g}, not {value!r}")


def options_from_cli(*, fetch: bool, allow_private: bool, max_mb: float, timeout: float, processes: int,
                     max_chars: int, max_records: int, llm_url: str | None, quiet: bool) -> Options:
    """Validate option values at the boundary (nan, inf, out of range) and build Options."""
    _in_range("--max-mb", max_mb)
    _in_range("--timeout", timeout)
    _in_range("--max-chars", max_chars)
    _in_range("--max-records", max_records)
    _in_range("--processes", processes)
    if llm_url is not None and not llm_url.lower().startswith(("http://", "https://")):
        raise UsageProblem("--llm-url must be an http:// or https:// URL")
    return Options(fetch=fetch, allow_private=allow_private, max_bytes=max(1, int(max_mb * 1024 * 1024)),
                   max_chars=max_chars, max_records=max_records, timeout=timeout, n_process=processes,
                   llm_url=llm_url, progress=not quiet)


def _usage_error(message: str) -> typer.Exit:
    err.print(_one_line(f"error: {message}"), markup=False)
    return typer.Exit(EXIT_USAGE)


@app.command()
def analyze(
    sources: Annotated[list[str], typer.Argument(help="Files, directories, URL lists or URLs; - reads standard input.",
                                                 metavar="SOURCE")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, md or html")] = "json",
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="Download URLs given as sources.")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow private/loopback URLs.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest input file, archive record or download, MB, counted after decompression.")] = 50.0,
    timeout: Annotated[float, typer.Option("--timeout", help="Deadline for each URL (all redirects and the whole body), seconds.")] = 10.0,
    processes: Annotated[int, typer.Option("--processes", "-j", help="spaCy worker processes for annotate (sentence embeddings in link use every core).")] = 1,
    max_chars: Annotated[int, typer.Option("--max-chars", help="Longest document text, characters (at most 1000000); longer ones are refused (SL030).")] = 1_000_000,
    max_records: Annotated[int, typer.Option("--max-records", help="Most records read from one JSONL, feed or WARC file (SL031).")] = 100_000,
    llm_url: Annotated[str | None, typer.Option("--llm-url", help="OpenAI-compatible endpoint for briefing rewrite.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or status messages on stderr (errors are still shown).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Print the traceback of unexpected errors (SL099, internal errors).")] = False,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet of inputs that name none (plain text); "
                                               "per file: NAME.meta.json beside NAME.txt.")] = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Show contradictions at least this sure "
                                                  "(0-1; 0 shows all; the default is set from the calibration "
                                                  "in benchmarks/RESULTS.md).")] = Options().min_confidence,
) -> None:
    """Analyse SOURCES and write a report (JSON by default)."""
    from storylens.report import FORMATS

    if fmt not in FORMATS and fmt != "markdown":
        raise _usage_error(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    try:
        options = options_from_cli(fetch=fetch, allow_private=allow_private, max_mb=max_mb, timeout=timeout,
                                   processes=processes, max_chars=max_chars, max_records=max_records,
                                   llm_url=llm_url, quiet=quiet)
        _in_range("--min-confidence", min_confidence)
    except UsageProblem as exc:
        raise _usage_error(str(exc)) from None
    options = options.model_copy(update={"min_confidence": min_confidence})
    if outlet is not None:
        options = options.model_copy(update={"outlet": " ".join(outlet.split()) or None})
    if out is not None:
        try:  # before the analysis: a bad -o must not cost the whole run
            check_output_path(out)
        except OutputError as exc:
            err.print(_one_line(f"{exc.path}: error: cannot write output ({exc.reason})"), markup=False)
            raise typer.Exit(EXIT_USAGE) from None
    _debug_logging(debug)
    if options.n_process > 1:
        interrupt.quiet_resource_tracker()
    try:
        _run(sources, options, fmt, out, quiet)
    except typer.Exit:
        raise
    except Exception as exc:  # a bug must still end in one line (and the traceback only when asked)
        interrupt.wait_if_stopping()  # Ctrl-C broke the worker pool: not a bug, the handler ends the run
        if debug:
            traceback.print_exc(file=sys.stderr)
        err.print(_one_line(f"error SL099: unexpected internal error ({type(exc).__name__}); "
                            "run again with --debug for the traceback"), markup=False)
        raise typer.Exit(EXIT_INTERNAL) from None


def _debug_logging(debug: bool) -> None:
    """With --debug, unexpected per-input errors (SL099) log their traceback on stderr."""
    logger = logging.getLogger("storylens")
    if debug and not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("debug: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.WARNING)


def _run(sources: list[str], options: Options, fmt: str, out: Path | None, quiet: bool) -> None:
    with progress_reporter(err, not quiet) as progress:
        analysis = analyze_api(sources, options, progress)
    interrupt.wait_if_stopping()
    # input errors are shown even with --quiet: they explain a non-zero exit code
    for e in analysis.errors:
        err.print(_one_line(f"{e.source}: error {e.code}: {e.message}"), markup=False)
    if not analysis.documents:
        err.print("error: no document could be analysed")
        raise typer.Exit(EXIT_NO_DOCUMENTS)
    if out is not None and fmt == "html" and len(analysis.stories) > 1:
        _write_site(analysis, out, quiet)  # an index page and one page per story
        raise typer.Exit(EXIT_SOME_INPUTS_FAILED if analysis.errors else EXIT_OK)
    from storylens.saved import one_page_note

    note = one_page_note(analysis, fmt, out)
    if note and not quiet:
        err.print(_one_line(note), markup=False)
    text = render(analysis, fmt)
    try:
        if out is None:
            write_stdout(text)
        else:
            write_atomic(out, text)
    except OutputError as exc:
        err.print(_one_line(f"{exc.path}: error: cannot write output ({exc.reason})"), markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    if out is not None and not quiet:
        err.print(_one_line(f"wrote {out} ({len(analysis.documents)} documents)"), markup=False)
    raise typer.Exit(EXIT_SOME_INPUTS_FAILED if analysis.errors else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the analysis output."""
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


def _write_site(analysis: Analysis, out: Path, quiet: bool) -> None:
    from storylens.saved import SavedAnalysisError, write_report

    try:
        written = write_report(analysis, "html", out)
    except SavedAnalysisError as exc:
        err.print(_one_line(f"error: {exc}"), markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    if not quiet:
        err.print(_one_line(f"wrote {out} and {len(written) - 1} story pages beside it "
                            f"({len(analysis.documents)} documents)"), markup=False)


@app.command("render")
def render_command(
    analysis_path: Annotated[str, typer.Argument(help="A saved JSON analysis (storylens analyze -f json); - reads stdin.",
                                                 metavar="ANALYSIS.json")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html, csv or json")] = "md",
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Render a saved analysis again, in another format, without analysing anything."""
    from storylens.saved import SavedAnalysisError, load_analysis, one_page_note, write_report

    try:
        analysis = load_analysis(analysis_path)
    except SavedAnalysisError as exc:
        err.print(_one_line(f"{analysis_path}: error: {exc}"), markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    note = one_page_note(analysis, fmt, out)
    if note:
        err.print(_one_line(note), markup=False)
    try:
        written = write_report(analysis, fmt, out)
    except SavedAnalysisError as exc:
        err.print(_one_line(f"error: {exc}"), markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    for path in written:
        err.print(_one_line(f"wrote {path}"), markup=False)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("storylens")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        sys.stdout.write(f"storylens {number}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", callback=_version,
                                          is_eager=True)] = False,
) -> None:
    """Read many articles; check claims across outlets."""


def _plain_help() -> None:
    """Typer 0.29 prints ``<bool>`` after every flag and ``{sources}...`` in the usage line;
    a flag takes no value, so it shows no type, and arguments read as their metavar."""
    from typer.core import TyperArgument, TyperOption

    flag_type = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else flag_type(self, ctx)

    def usage_name(self: TyperArgument) -> str:
        name = self.display_name_raw
        return (name if self.required else f"[{name}]") + ("..." if self.nargs != 1 else "")

    def no_type(self: Any, ctx: Any) -> str | None:
        return None

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
    TyperArgument.display_type_rich = no_type  # type: ignore[method-assign]
    TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


_plain_help()
# add, stories, show: the corpus store's commands live in cli_store.py
register_store_commands(app)
# serve: the web app lives in cli_serve.py
register_serve_command(app)


def main() -> None:
    """The console entry point: signals handled, every usage error one line, no traceback."""
    from typer import Abort
    from typer._click.exceptions import ClickException  # typer vendors click (pinned version)

    interrupt.install()
    code: int = EXIT_OK
    try:
        result = app(args=optional_option_values(sys.argv[1:]), standalone_mode=False)
        code = result if isinstance(result, int) else EXIT_OK
    except ClickException as exc:
        err.print(_one_line(f"error: {exc.format_message()}"), markup=False)
        code = exc.exit_code
    except (KeyboardInterrupt, Abort):  # Ctrl-C before the handlers were installed, or an aborted prompt
        interrupt.stop_workers()
        err.print("storylens: interrupted", markup=False)
        code = interrupt.EXIT_SIGINT
    except Exception as exc:  # a bug, not the user's mistake: one line, the traceback only on request
        if "--debug" in sys.argv:
            import traceback

            traceback.print_exc()
        err.print(_one_line(f"storylens: internal error ({type(exc).__name__}: {exc}); "
                            "run again with --debug for the traceback"), markup=False)
        code = EXIT_INTERNAL
    sys.exit(code)


if __name__ == "__main__":
    main()
