"""URL fetching with an address guard, a time limit and a size limit."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

from storylens.errors import StorylensError
from storylens.options import Options


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return bool(
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
        # e.g. 100.64.0.0/10 shared address space (a cloud metadata service lives at 100.100.100.200)
        or not ip.is_global
    )


def check_url(url: str, options: Options) -> None:
    """Refuse schemes other than http(s) and (unless allowed) non-public hosts."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StorylensError("SL016", url)
    if options.allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise StorylensError("SL008", url, f"cannot resolve host: {exc}") from exc
    for info in infos:
        if _blocked(str(info[4][0])):
            raise StorylensError("SL009", url)


def fetch_url(url: str, options: Options, client: httpx.Client | None = None) -> tuple[bytes, str, str]:
    """Return (body, content type, final URL). Redirects are re-checked hop by hop."""
    own = client is None
    client = client or httpx.Client(timeout=options.timeout, follow_redirects=False)
    try:
        current = url
        for _ in range(6):
            check_url(current, options)
            try:
                with client.stream("GET", current, headers={"User-Agent": "storylens/0.1"}) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        current = str(resp.url.join(resp.headers["location"]))
                        continue
                    if resp.status_code >= 400:
                        raise StorylensError("SL008", url, f"HTTP {resp.status_code}")
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > options.max_bytes:
                        raise StorylensError("SL015", url)
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > options.max_bytes:
                            raise StorylensError("SL015", url)
                        chunks.append(chunk)
                    return b"".join(chunks), resp.headers.get("content-type", ""), current
            except httpx.HTTPError as exc:
                raise StorylensError("SL008", url, type(exc).__name__) from exc
        raise StorylensError("SL008", url, "too many redirects")
    finally:
        if own:
            client.close()
