"""What every request passes through: body limit, write rate limit, security headers,
and the checks for writes (token, same origin, CSRF).

Plain ASGI middleware (no per-request task switching), so reads under load pay little.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request

from storylens.serve.problems import Problem, problem_response
from storylens.serve.settings import ServeSettings

__all__ = ["SecurityMiddleware", "check_write", "csrf_pair", "APP_CSP", "CSRF_COOKIE", "token_ok"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: the app's own pages: our stylesheet and script only, from this origin; forms post here only
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
BASE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_COOKIE = "storylens_csrf"
CSRF_MAX_AGE_S = 12 * 3600


class _RateLimiter:
    """Writes per client address in a sliding minute."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.seen: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def allow(self, client: str) -> float | None:
        """None when allowed, else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            q = self.seen.setdefault(client, deque())
            while q and now - q[0] > 60:
                q.popleft()
            if len(q) >= self.per_minute:
                return 60 - (now - q[0])
            q.append(now)
            if len(self.seen) > 10000:  # forget idle clients
                for key in [k for k, v in self.seen.items() if not v]:
                    del self.seen[key]
            return None


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: ServeSettings) -> None:
        self.app = app
        self.settings = settings
        self.limiter = _RateLimiter(settings.writes_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        method = scope.get("method", "GET")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}

        async def reply(resp: Any) -> None:
            async def add_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = list(message.get("headers", [])) + BASE_HEADERS
                await send(message)
            await resp(scope, receive, add_headers)

        limit = self.settings.max_body_bytes
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await reply(problem_response(400, "Bad request", "Content-Length is not a number", path))
                return
            if int(length) > limit:
                await reply(problem_response(413, "Request too large",
                                             f"the request body is over {limit} bytes", path, "SL061"))
                return
        if method in WRITE_METHODS:
            client = (scope.get("client") or ("?", 0))[0]
            wait = self.limiter.allow(str(client))
            if wait is not None:
                await reply(problem_response(429, "Too many requests",
                                             f"at most {self.settings.writes_per_minute} writes a minute",
                                             path, headers={"Retry-After": str(int(wait) + 1)}))
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise Problem(413, f"the request body is over {limit} bytes", code="SL061")
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in BASE_HEADERS if h[0] not in existing]
                if b"content-security-policy" not in existing:
                    extra.append((b"content-security-policy", APP_CSP.encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


def token_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison (of digests, so the length does not leak either)."""
    if not given:
        return False
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def _same_origin(request: Request) -> bool:
    """A browser says where a request comes from; refuse other sites (tools send neither header).

    ``Sec-Fetch-Site`` is decisive when present: our pages send no referrer, so a form post
    from them carries ``Origin: null``.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    return urlsplit(origin).netloc == request.headers.get("host", "")


def check_write(request: Request, settings: ServeSettings, form_token: str | None = None) -> None:
    """Every write: from this site (or a tool), and with the token when the server has one."""
    if not _same_origin(request):
        raise Problem(403, "cross-site write refused (Origin / Sec-Fetch-Site is another site)")
    if settings.token:
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else form_token
        if not token_ok(given, settings.token):
            raise Problem(401, "this server needs its token for writes: 'Authorization: Bearer TOKEN'",
                          headers={"WWW-Authenticate": 'Bearer realm="storylens"'})


def _sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), f"csrf|{value}".encode(), hashlib.sha256).hexdigest()


def csrf_pair(settings: ServeSettings, cookie: str | None) -> tuple[str, str]:
    """(cookie value, form value): the form carries a signature of the cookie's random value
    and issue time, so a page from another site can neither read nor forge it."""
    if cookie and cookie.count(".") == 1:
        value = cookie
    else:
        value = f"{secrets.token_urlsafe(24)}.{int(time.time())}"
    return value, _sign(settings.secret, value)


def check_csrf(settings: ServeSettings, cookie: str | None, form_value: str | None) -> None:
    if not cookie or not form_value or cookie.count(".") != 1:
        raise Problem(403, "the form has expired or was not sent from this site: reload the page and try again")
    issued = cookie.split(".")[1]
    if not issued.isdigit() or time.time() - int(issued) > CSRF_MAX_AGE_S:
        raise Problem(403, "the form has expired: reload the page and try again")
    if not hmac.compare_digest(_sign(settings.secret, cookie), form_value):
        raise Problem(403, "the form was not sent from this site: reload the page and try again")
