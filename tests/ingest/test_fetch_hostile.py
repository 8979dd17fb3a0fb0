"""URL fetching against hostile servers and resolvers, all on loopback (issue 13).

DNS rebinding is played by a resolver stub that answers differently on its second
lookup: the fetch must connect to the address it checked, on every hop, and ask
once per hop.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from storylens.errors import CATALOGUE, StorylensError
from storylens.ingest import fetch as fetch_module
from storylens.ingest import ingest
from storylens.ingest.fetch import fetch_url
from storylens.options import Options

ARTICLE = (
    b"<html><body><article><p>The regional rail operator announced that night trains to the coast "
    b"will return in the summer.</p><p>The service was cut five years ago because of low demand and "
    b"rising maintenance costs.</p></article></body></html>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    dribble: bool = False

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.hits.append(f"{self.headers.get('Host')}{self.path}")
        if self.path == "/dribble":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(400):  # 40 s if nobody stops it
                    self.wfile.write(b"<p>more words</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        status, headers, body = self.routes.get(self.path, (404, {}, b"missing"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    _Handler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


class FlippingResolver:
    """Answers ``first`` to the first lookup of a host and ``then`` to every later one (TTL 0)."""

    def __init__(self, first: str, then: str) -> None:
        self.first, self.then = first, then
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        seen = host in self.lookups
        self.lookups.append(host)
        return [self.then if seen else self.first]


def test_connection_goes_to_the_checked_address(server: int) -> None:
    # 127.0.0.1 is checked and used; a second lookup would give 127.0.0.2, where nothing listens
    _Handler.routes = {"/story": (200, {"Content-Type": "text/html"}, ARTICLE)}
    resolver = FlippingResolver("127.0.0.1", "127.0.0.2")
    body, _, final = fetch_url(f"http://rebind.test:{server}/story", Options(allow_private=True, timeout=5),
                               resolver=resolver)
    assert body == ARTICLE
    assert final == f"http://rebind.test:{server}/story"
    assert resolver.lookups == ["rebind.test"]
    assert _Handler.hits == [f"rebind.test:{server}/story"]  # the Host header names the host, not the address


def test_every_redirect_hop_is_resolved_once_and_pinned(server: int) -> None:
    _Handler.routes = {
        "/start": (302, {"Location": f"http://second.test:{server}/story"}, b""),
        "/story": (200, {"Content-Type": "text/html"}, ARTICLE),
    }
    resolver = FlippingResolver("127.0.0.1", "127.0.0.2")
    body, _, final = fetch_url(f"http://first.test:{server}/start", Options(allow_private=True, timeout=5),
                               resolver=resolver)
    assert body == ARTICLE and final == f"http://second.test:{server}/story"
    assert resolver.lookups == ["first.test", "second.test"]


def test_rebinding_to_loopback_never_reaches_the_local_server(server: int) -> None:
    """Public address to the check, loopback to anyone who asks again: the loopback service is never read."""
    _Handler.routes = {"/secret": (200, {"Content-Type": "text/html"}, ARTICLE)}
    resolver = FlippingResolver("93.184.216.34", "127.0.0.1")
    url = f"http://rebind.test:{server}/secret"
    with pytest.raises(StorylensError) as caught:
        fetch_url(url, Options(timeout=1.5), resolver=resolver)
    assert caught.value.code in ("SL008", "SL033")  # the public address is unreachable from this sandbox
    assert resolver.lookups == ["rebind.test"]
    assert _Handler.hits == []


def test_redirect_to_a_host_that_resolves_to_a_private_address_is_refused(
    server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the test server's 127.0.0.1 plays a public host; every other address is private
    monkeypatch.setattr(fetch_module, "_blocked", lambda address: address != "127.0.0.1")
    _Handler.routes = {"/start": (302, {"Location": f"http://inside.test:{server}/secret"}, b""),
                       "/secret": (200, {"Content-Type": "text/html"}, ARTICLE)}
    answers = {"outside.test": "127.0.0.1", "inside.test": "127.0.0.3"}
    with pytest.raises(StorylensError) as caught:
        fetch_url(f"http://outside.test:{server}/start", Options(timeout=5),
                  resolver=lambda host, port: [answers[host]])
    assert caught.value.code == "SL009"
    assert _Handler.hits == [f"outside.test:{server}/start"]


def test_dribbling_server_is_cut_at_the_deadline(server: int) -> None:
    url = f"http://127.0.0.1:{server}/dribble"
    started = time.monotonic()
    with pytest.raises(StorylensError) as caught:
        fetch_url(url, Options(allow_private=True, timeout=1.0))
    elapsed = time.monotonic() - started
    assert caught.value.code == "SL033"
    assert elapsed < 3.0, elapsed


def test_silent_server_is_cut_at_the_deadline() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        started = time.monotonic()
        with pytest.raises(StorylensError) as caught:
            fetch_url(url, Options(allow_private=True, timeout=1.0))
        assert caught.value.code == "SL033"
        assert time.monotonic() - started < 3.0
    finally:
        listener.close()


class SilentResolver:
    """A DNS server that answers ``address`` for the hosts in ``quick`` and never answers for
    the rest (each lookup blocks until the test ends, as getaddrinfo would for its retries)."""

    def __init__(self, address: str, quick: set[str]) -> None:
        self.address, self.quick = address, quick
        self.released = threading.Event()
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host not in self.quick:
            self.released.wait(30)
        return [self.address]


def test_a_lookup_that_never_answers_is_cut_at_the_deadline() -> None:
    resolver = SilentResolver("127.0.0.1", quick=set())
    started = time.monotonic()
    try:
        with pytest.raises(StorylensError) as caught:
            fetch_url("http://silent-dns.test/story", Options(allow_private=True, timeout=0.5), resolver=resolver)
    finally:
        resolver.released.set()
    assert caught.value.code == "SL033"
    assert "silent-dns.test" in str(caught.value)
    assert time.monotonic() - started < 2.0
    assert resolver.lookups == ["silent-dns.test"]


def test_the_deadline_covers_the_lookup_of_a_redirect_hop(server: int) -> None:
    _Handler.routes = {"/start": (302, {"Location": f"http://silent-dns.test:{server}/story"}, b""),
                       "/story": (200, {"Content-Type": "text/html"}, ARTICLE)}
    resolver = SilentResolver("127.0.0.1", quick={"first.test"})
    started = time.monotonic()
    try:
        with pytest.raises(StorylensError) as caught:
            fetch_url(f"http://first.test:{server}/start", Options(allow_private=True, timeout=1.0),
                      resolver=resolver)
    finally:
        resolver.released.set()
    assert caught.value.code == "SL033"
    assert time.monotonic() - started < 2.5  # one deadline for the whole fetch, not one per hop
    assert resolver.lookups == ["first.test", "silent-dns.test"]
    assert _Handler.hits == [f"first.test:{server}/start"]


def test_a_failed_lookup_is_still_named_as_such() -> None:
    def unresolvable(host: str, port: int) -> list[str]:
        raise socket.gaierror(-2, "Name or service not known")

    with pytest.raises(StorylensError) as caught:
        fetch_url("http://no-such-host.test/story", Options(timeout=2), resolver=unresolvable)
    assert caught.value.code == "SL008"
    assert "cannot resolve host" in str(caught.value)


@pytest.mark.parametrize("url", [
    "http://example.com:99999/a",
    "http://example.com:port/a",
    "http://[::1/a",
    "http://[not-an-address]/a",
    "http://:80/a",
])
def test_malformed_urls_are_named_without_a_traceback(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lookup(host: str, port: int) -> list[str]:
        raise AssertionError("a malformed URL must not be looked up")

    monkeypatch.setattr(fetch_module, "resolve_host", no_lookup)
    result = ingest([url], Options(fetch=True, timeout=1))
    assert [e.source for e in result.errors] == [url]
    error = result.errors[0]
    assert error.code in ("SL036", "SL016"), error
    assert error.message.startswith(CATALOGUE[error.code])
