"""URL fetching with an address guard, one deadline and a size limit.

The host of every hop (the first URL and each redirect) is resolved once, the
addresses are checked, and the connection goes to the checked address: the URL is
rewritten to that address, with the original ``Host`` header and, for https, the
original name for SNI and certificate checks. A DNS server that answers a public
address to the check and a loopback one to the connection (DNS rebinding) never
gets a second question.

``Options.timeout`` is a deadline for the whole fetch (every hop's DNS lookup, every
hop, the whole body), not a per-read timeout: a server that dribbles its body, or a DNS
server that never answers, is cut off when it passes.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

import httpx

from storylens.errors import StorylensError
from storylens.options import Options

#: host, port -> addresses (one lookup; tests replace it with a stub)
Resolver = Callable[[str, int], list[str]]
MAX_REDIRECTS = 5


def resolve_host(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return bool(
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
        # e.g. 100.64.0.0/10 shared address space (a cloud metadata service lives at 100.100.100.200)
        or not ip.is_global
    )


def _parse(url: str) -> tuple[SplitResult, str, int]:
    """(parts, host, port) of an http(s) URL; malformed URLs are refused with a reason."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError when out of range or not a number
        host = parts.hostname
    except ValueError as exc:  # e.g. "http://[::1/", "http://host:99999/", "http://host:x/"
        raise StorylensError("SL036", url, str(exc)) from exc
    if parts.scheme not in ("http", "https"):
        raise StorylensError("SL016", url)
    if not host:
        raise StorylensError("SL036", url, "no host")
    return parts, host, port or (443 if parts.scheme == "https" else 80)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve_within(resolve: Resolver, host: str, port: int, seconds: float) -> list[str] | None:
    """``resolve(host, port)``, or None when it has not answered within ``seconds``.

    The lookup runs in a daemon thread: ``getaddrinfo`` takes no timeout and cannot be
    interrupted, so a lookup past the deadline is left to finish on its own (the system
    resolver gives up after its own retries) and its answer is thrown away.
    """
    answer: list[list[str]] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            answer.append(resolve(host, port))
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name="storylens-dns", daemon=True).start()
    if not done.wait(max(0.0, seconds)):
        return None
    if failure:
        raise failure[0]
    return answer[0]


def pin_address(url: str, options: Options, resolver: Resolver | None = None,
                within: float | None = None) -> str:
    """Resolve the URL's host once and return the address to connect to.

    Refuses (SL009) when any address is not public, unless ``allow_private``; a lookup
    that takes longer than ``within`` seconds (default: ``options.timeout``) is SL033.
    """
    _, host, port = _parse(url)
    seconds = options.timeout if within is None else within
    try:
        # an address written as one needs no lookup (and no thread that a loaded machine may
        # start late); other spellings of an address ("0x7f.1") go to the resolver
        found = [str(ipaddress.ip_address(host))] if _is_address(host) else \
            _resolve_within(resolver or resolve_host, host, port, seconds)
        if found is None:
            raise StorylensError("SL033", url, f"{options.timeout:g} s (--timeout), looking up {host}")
        addresses = found
    except (OSError, UnicodeError, ValueError) as exc:
        raise StorylensError("SL008", url, f"cannot resolve host: {exc}") from exc
    if not addresses:
        raise StorylensError("SL008", url, "cannot resolve host")
    if not options.allow_private and any(_blocked(a) for a in addresses):
        raise StorylensError("SL009", url)
    return addresses[0]


def check_url(url: str, options: Options, resolver: Resolver | None = None) -> None:
    """Refuse schemes other than http(s), malformed URLs and (unless allowed) non-public hosts."""
    pin_address(url, options, resolver)


def _pinned_request(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(URL with the address as host, headers, request extensions)."""
    parts, host, port = _parse(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{port}"
    host_header = host if parts.port is None else f"{host}:{port}"
    if ":" in host and parts.port is None:
        host_header = f"[{host}]"
    elif ":" in host:
        host_header = f"[{host}]:{port}"
    pinned = parts._replace(netloc=netloc).geturl()
    headers = {"User-Agent": "storylens/0.1", "Host": host_header}
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return pinned, headers, extensions


def fetch_url(
    url: str, options: Options, client: httpx.Client | None = None, resolver: Resolver | None = None
) -> tuple[bytes, str, str]:
    """Return (body, content type, final URL). Redirects are re-checked and re-pinned hop by hop."""
    deadline = time.monotonic() + options.timeout
    own = client is None
    client = client or httpx.Client(follow_redirects=False, trust_env=False)

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise StorylensError("SL033", url, f"{options.timeout:g} s (--timeout)")
        return left

    try:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            # what is left of the deadline, unchecked here: an address is refused for what it
            # is even when a slow start has used the time up
            address = pin_address(current, options, resolver, within=deadline - time.monotonic())
            pinned, headers, extensions = _pinned_request(current, address)
            try:
                with client.stream("GET", pinned, headers=headers, extensions=extensions,
                                   timeout=httpx.Timeout(remaining())) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        try:
                            current = str(httpx.URL(current).join(resp.headers["location"]))
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise StorylensError("SL036", url, f"bad redirect: {exc}") from exc
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
                        remaining()
                    return b"".join(chunks), resp.headers.get("content-type", ""), current
            except httpx.TimeoutException as exc:
                raise StorylensError("SL033", url, f"{options.timeout:g} s (--timeout)") from exc
            except httpx.HTTPError as exc:
                raise StorylensError("SL008", url, type(exc).__name__) from exc
            except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
                raise StorylensError("SL036", url, str(exc)) from exc
        raise StorylensError("SL008", url, "too many redirects")
    finally:
        if own:
            client.close()
