"""``storylens serve``: the web app and REST API over the store (registered by ``cli.py``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from storylens.errors import EXIT_DATABASE, EXIT_USAGE, StorylensError

err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def serve(
    db: Annotated[str | None, typer.Option(
        "--db", help="Database URL: sqlite:///PATH (default sqlite:///storylens.db) or postgresql://...",
        envvar="STORYLENS_DB")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; beyond loopback needs STORYLENS_TOKEN.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    max_upload_mb: Annotated[float, typer.Option("--max-upload-mb", min=0.001, max=1024,
                                                 help="Largest upload (all files and text of one request).")] = 16,
    max_files: Annotated[int, typer.Option("--max-files", min=1, max=10000, help="Files per upload.")] = 50,
    writes_per_minute: Annotated[int, typer.Option("--writes-per-minute", min=1, max=1_000_000,
                                                   help="Writes per client address per minute.")] = 30,
    allow_private: Annotated[bool, typer.Option("--allow-private",
                                                help="Let URL fetching reach private/loopback addresses.")] = False,
) -> None:
    """Serve the web app and REST API over the store (OpenAPI docs at /docs)."""
    from storylens.serve import ServeSettings, run

    settings = ServeSettings.from_env(
        db=db, host=host, port=port, max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        max_body_bytes=int(max_upload_mb * 1024 * 1024) + 1024 * 1024, max_files=max_files,
        writes_per_minute=writes_per_minute, allow_private=allow_private)
    try:
        settings.check()
    except StorylensError as exc:
        err.print(exc.line(), markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    from storylens.store import open_store

    try:
        open_store(db).close()  # fail before listening: a bad URL or database is one line
    except StorylensError as exc:
        err.print(exc.line(), markup=False)
        raise typer.Exit(EXIT_DATABASE) from exc
    _signals_to_uvicorn()
    err.print(f"storylens: serving {settings.db or 'sqlite:///storylens.db'} on http://{host}:{port}/", markup=False)
    run(settings)


def _signals_to_uvicorn() -> None:
    """uvicorn shuts down gracefully on SIGTERM/SIGINT (the job worker puts its job back in
    the queue): let its handlers run in the main thread instead of the CLI's immediate stop."""
    import contextlib
    import signal

    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
