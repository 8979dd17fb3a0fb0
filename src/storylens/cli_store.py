"""Commands over the corpus store: ``add``, ``stories``, ``show`` (registered by ``cli.py``).

Every database failure is one line ``DB: error SL05x: reason`` and exit code 5.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from storylens.errors import (
    EXIT_DATABASE,
    EXIT_NO_DOCUMENTS,
    EXIT_OK,
    EXIT_SOME_INPUTS_FAILED,
    EXIT_USAGE,
    StorylensError,
)
from storylens.progress import progress_reporter

if TYPE_CHECKING:
    from storylens.store import Store

err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Database URL: sqlite:///PATH (default sqlite:///storylens.db) or postgresql://...",
    envvar="STORYLENS_DB")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or status messages on stderr.")]


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _fail(exc: StorylensError, code: int = EXIT_DATABASE) -> typer.Exit:
    err.print(_one_line(exc.line()), markup=False)
    return typer.Exit(code)


@contextmanager
def _database_errors(url: str | None) -> Iterator[None]:
    """Any driver failure after opening (a lost server, a full disk) is one coded line too."""
    from sqlalchemy.exc import SQLAlchemyError

    from storylens.store.engine import classify, parse_target

    try:
        yield
    except StorylensError as exc:
        raise _fail(exc) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise _fail(classify(exc, parse_target(url))) from exc


def _open(url: str | None, create: bool) -> Store:
    from storylens.store import open_store

    try:
        return open_store(url, create=create)
    except StorylensError as exc:
        raise _fail(exc) from exc


#: what a bare ``--dask`` stands for
LOCAL_CLUSTER = "local"
_SCHEDULER = re.compile(r"^(?:[a-z][a-z0-9+]*://\S+|[\w.-]+:\d{2,5}|local)$")


def optional_option_values(argv: list[str]) -> list[str]:
    """``--dask`` may stand alone (a local cluster) or take a scheduler address: a bare
    ``--dask`` followed by a source, another option or nothing becomes ``--dask=local``."""
    out = list(argv)
    for i, arg in enumerate(out):
        if arg == "--dask" and (i + 1 == len(out) or not _SCHEDULER.match(out[i + 1])):
            out[i] = f"--dask={LOCAL_CLUSTER}"
    return out


def add(
    sources: Annotated[list[str], typer.Argument(help="Files, directories, JSONL/WARC dumps, feeds or URLs.")],
    db: DbOption = None,
    no_link: Annotated[bool, typer.Option(
        "--no-link", help="Only store and assign stories; link them later (next add, or show).")] = False,
    fetch: Annotated[bool, typer.Option("--fetch", help="Download URLs given as sources.")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow private/loopback URLs.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest input file or download, MB.")] = 50.0,
    timeout: Annotated[float, typer.Option("--timeout", help="HTTP timeout, seconds.")] = 10.0,
    quiet: QuietOption = False,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="[SCHEDULER]",
        help="Annotate and link on Dask: a local cluster (--dask alone) or the scheduler at this address.",
    )] = None,
    workers: Annotated[int, typer.Option("--workers", help="Workers of the local Dask cluster.", min=1)] = 2,
) -> None:
    """Add SOURCES to the corpus and update the stories they touch."""
    from storylens.options import Options
    from storylens.store.add import add_sources

    if max_mb <= 0 or timeout <= 0:
        err.print("error: --max-mb and --timeout must be positive")
        raise typer.Exit(EXIT_USAGE)
    options = Options(fetch=fetch, allow_private=allow_private, max_bytes=int(max_mb * 1024 * 1024),
                      timeout=timeout, progress=not quiet)
    store = _open(db, create=True)
    try:
        with _database_errors(db), progress_reporter(err, not quiet) as progress:
            if dask is None:
                result = add_sources(store, sources, options, link=not no_link, progress=progress)
            else:
                from storylens.scale import DaskOptions, add_with_dask

                address = None if dask == LOCAL_CLUSTER else dask
                result = add_with_dask(store, sources, options, DaskOptions(address=address, workers=workers),
                                       link=not no_link, progress=progress)
    finally:
        store.close()
    for e in result.errors:
        err.print(_one_line(f"{e.source}: error {e.code}: {e.message}"), markup=False)
    if not quiet:
        linked = f", linked {len(result.linked)} stories" if result.linked else ""
        err.print(_one_line(f"added {result.added} documents ({result.already_stored} already stored) "
                            f"to {len(result.stories)} stories{linked} in {store.display}"), markup=False)
    if result.added == 0 and result.already_stored == 0:
        raise typer.Exit(EXIT_NO_DOCUMENTS)
    raise typer.Exit(EXIT_SOME_INPUTS_FAILED if result.errors else EXIT_OK)


def stories(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only stories seen on or after this date (YYYY-MM-DD).")] = None,
    query: Annotated[str | None, typer.Option("--q", help="Only stories whose label or a title contains this.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """List the stories in the corpus, latest first."""
    import datetime as dt

    if fmt not in ("table", "json"):
        err.print(f"error: unknown format {fmt!r}; choose table or json", markup=False)
        raise typer.Exit(EXIT_USAGE)
    if since is not None:
        try:
            since = dt.date.fromisoformat(since.strip()).isoformat()
        except ValueError:
            err.print(_one_line(f"error: --since {since!r} is not a date (YYYY-MM-DD)"), markup=False)
            raise typer.Exit(EXIT_USAGE) from None
    store = _open(db, create=False)
    try:
        with _database_errors(db):
            rows = store.list_stories(since=since, query=query, with_documents=fmt == "json")
    finally:
        store.close()
    if fmt == "json":
        payload = [{"id": r.id, "label": r.label, "size": r.size, "outlets": r.outlets,
                    "first_seen": r.first_seen, "last_seen": r.last_seen, "claims": r.claims,
                    "open_contradictions": r.open_contradictions, "linked": not r.needs_link,
                    "documents": r.documents} for r in rows]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("story", no_wrap=True)
    table.add_column("label", overflow="fold", ratio=3)
    for name in ("docs", "outlets", "first seen", "last seen", "claims", "contradictions"):
        table.add_column(name, overflow="fold", no_wrap=name != "outlets")
    for r in rows:
        outlets = ", ".join(r.outlets[:3]) + (f" +{len(r.outlets) - 3}" if len(r.outlets) > 3 else "")
        table.add_row(r.id, r.label + (" (not linked yet)" if r.needs_link else ""), str(r.size), outlets,
                      r.first_seen or "", r.last_seen or "", str(r.claims), str(r.open_contradictions))
    # piped output keeps whole lines (a terminal wraps to its width)
    out = Console(highlight=False, emoji=False, width=None if sys.stdout.isatty() else 200)
    out.print(table)


def show(
    story: Annotated[str, typer.Argument(help="Story id (or a unique prefix, or an id merged into another).")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or json")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    quiet: QuietOption = False,
) -> None:
    """Render one story with the report renderers (links it first if documents were added since)."""
    from storylens.options import Options
    from storylens.report import FORMATS, render
    from storylens.store.add import link_story

    if fmt not in FORMATS and fmt != "markdown":
        err.print(f"error: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(EXIT_USAGE)
    store = _open(db, create=False)
    try:
        with _database_errors(db):
            story_id = store.resolve(story)
            if story_id is None:
                raise _fail(StorylensError("SL056", story), EXIT_USAGE)
            if story_id in store.stories_to_link():
                try:
                    store.lock_writer(wait_s=2.0)
                except StorylensError as exc:
                    if not quiet:
                        err.print(_one_line(f"warning: {exc.line()}; showing the last stored analysis"),
                                  markup=False)
                else:
                    with progress_reporter(err, not quiet) as progress:
                        if progress:
                            progress("linking story", 0, 1)
                        link_story(store, story_id, Options())
            analysis = store.story_analysis(story_id)
    finally:
        store.close()
    if analysis is None:
        raise _fail(StorylensError("SL056", story, "it has not been linked yet"), EXIT_USAGE)
    text = render(analysis, fmt)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        err.print(_one_line(f"{output}: error: cannot write output ({exc.strerror})"), markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    if not quiet:
        err.print(_one_line(f"wrote {output} (story {story_id}, {len(analysis.documents)} documents)"),
                  markup=False)


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("stories")(stories)
    app.command("show")(show)
