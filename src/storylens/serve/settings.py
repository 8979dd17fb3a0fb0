"""What the web app is allowed to do: address, token, limits.

The server listens on loopback unless told otherwise; anywhere else it needs a token
(``STORYLENS_TOKEN``) for every write and refuses to start without one (SL060).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field

from storylens.errors import StorylensError

__all__ = ["ServeSettings", "is_loopback", "TOKEN_ENV"]

TOKEN_ENV = "STORYLENS_TOKEN"
#: the shortest token accepted: a guessable token is no protection
MIN_TOKEN_LENGTH = 16


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class ServeSettings:
    db: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    #: required for writes when bound beyond loopback; optional (then also required) on loopback
    token: str | None = None
    #: per upload request: bytes of all files and text together, and how many files
    max_upload_bytes: int = 16 * 1024 * 1024
    max_files: int = 50
    max_urls: int = 200
    #: any request body (a little over the upload limit, for the multipart framing)
    max_body_bytes: int = 17 * 1024 * 1024
    #: writes per client address per minute (uploads, cancels)
    writes_per_minute: int = 30
    #: queued jobs waiting at once; past it, uploads get 503 with Retry-After
    max_queued_jobs: int = 1000
    #: fetching URLs may reach private addresses (off: the SSRF guard refuses them)
    allow_private: bool = False
    fetch_timeout: float = 10.0
    #: run accepted jobs in a worker process (off in tests that only read)
    worker: bool = True
    #: signs CSRF tokens; random per process unless given (forms then expire on restart)
    secret: str = field(default_factory=lambda: secrets.token_hex(32))
    #: story pages kept rendered (per story, until it changes)
    page_cache: int = 64

    @classmethod
    def from_env(cls, **kwargs: object) -> ServeSettings:
        settings = cls(**kwargs)  # type: ignore[arg-type]
        if settings.token is None:
            settings.token = os.environ.get(TOKEN_ENV) or None
        return settings

    def check(self) -> None:
        """Refuse an unsafe configuration before anything listens."""
        if not is_loopback(self.host) and not self.token:
            raise StorylensError("SL060", f"{self.host}:{self.port}")
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise StorylensError("SL060", f"{self.host}:{self.port}",
                                 f"{TOKEN_ENV} must be at least {MIN_TOKEN_LENGTH} characters")

    @property
    def writes_need_token(self) -> bool:
        return bool(self.token)
