"""Errors as RFC 9457 problem details (``application/problem+json``).

Every failure a client can cause is a ``Problem`` with a status, a short title, a
one-line detail and, where the error catalogue has one, its ``SLnnn`` code. Unexpected
failures become a 500 problem without any internal detail (it goes to the log).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from storylens.errors import CATALOGUE, StorylensError

__all__ = ["Problem", "problem_response", "install_problem_handlers", "PROBLEM_TYPE"]

log = logging.getLogger("storylens.serve")
PROBLEM_TYPE = "application/problem+json"
_TITLES = {400: "Bad request", 401: "Token required", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Request too large", 415: "Unsupported media type",
           422: "Invalid request", 429: "Too many requests", 500: "Internal server error",
           503: "Service unavailable"}


class Problem(Exception):
    def __init__(self, status: int, detail: str, *, code: str | None = None, title: str | None = None,
                 headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.title = title or (CATALOGUE[code] if code else _TITLES.get(status, "Error"))
        self.headers = headers or {}
        self.extra = extra or {}

    @classmethod
    def from_error(cls, status: int, err: StorylensError) -> Problem:
        return cls(status, err.line(), code=err.code)


def problem_response(status: int, title: str, detail: str, instance: str, code: str | None = None,
                     headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {
        "type": f"https://storylens.invalid/problems/{code}" if code else "about:blank",
        "title": title, "status": status, "detail": detail, "instance": instance,
    }
    if code:
        body["code"] = code
    body.update(extra or {})
    return Response(json.dumps(body), status_code=status, media_type=PROBLEM_TYPE, headers=headers)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install_problem_handlers(app: FastAPI, html_error: Any) -> None:
    """``html_error(request, status, title, detail)`` renders the page a browser gets instead."""

    def respond(request: Request, status: int, title: str, detail: str, code: str | None = None,
                headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> Response:
        if _wants_html(request):
            resp: Response = html_error(request, status, title, detail)
            for k, v in (headers or {}).items():
                resp.headers[k] = v
            return resp
        return problem_response(status, title, detail, request.url.path, code, headers, extra)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return respond(request, exc.status, exc.title, exc.detail, exc.code, exc.headers, exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        title = _TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) else title
        return respond(request, exc.status_code, title, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5]) or "invalid request"
        return respond(request, 422, _TITLES[422], detail, extra={"errors": errors})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(request, 500, _TITLES[500], "the server failed to answer; the error is in its log")
