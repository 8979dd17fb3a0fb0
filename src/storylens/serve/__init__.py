"""Stage ``serve``: the web app and REST API over the corpus store (``storylens serve``).

``create_app(settings)`` builds the FastAPI app; ``run(settings)`` checks the settings
(loopback unless a token is set) and serves it with uvicorn. See docs/DESIGN.md ("Serve").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storylens.serve.settings import ServeSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServeSettings", "create_app", "run"]


def create_app(settings: ServeSettings) -> FastAPI:
    from storylens.serve.app import create_app as _create

    return _create(settings)


def run(settings: ServeSettings) -> None:
    """Serve until SIGTERM/SIGINT (uvicorn's graceful shutdown stops the job worker too)."""
    import uvicorn

    from storylens.serve.app import create_app as _create

    settings.check()
    app = _create(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False, proxy_headers=False,
                server_header=False, timeout_graceful_shutdown=25, limit_concurrency=1000)
