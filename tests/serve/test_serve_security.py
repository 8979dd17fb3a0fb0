"""Security of the web app: loopback unless a token, token checks, CSRF, same-origin
writes, headers, rate limits, escaping."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_helpers import ROOT, LiveServer

from storylens.errors import StorylensError
from storylens.serve.settings import ServeSettings

TOKEN = "a-test-token-0123456789"


def _csrf(client: httpx.Client) -> str:
    home = client.get("/")
    found = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert found, "the home page has a CSRF field"
    return found.group(1)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_beyond_loopback_without_a_token_is_refused(host: str) -> None:
    with pytest.raises(StorylensError) as err:
        ServeSettings(host=host).check()
    assert err.value.code == "SL060"
    ServeSettings(host=host, token=TOKEN).check()
    for loop in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        ServeSettings(host=loop).check()
    with pytest.raises(StorylensError):
        ServeSettings(host=host, token="short").check()


def test_the_cli_refuses_to_listen_beyond_loopback_without_a_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_TOKEN"}
    env["PYTHONPATH"] = str(ROOT / "src")
    proc = subprocess.run([sys.executable, "-m", "storylens.cli", "serve", "--host", "0.0.0.0",
                           "--db", f"sqlite:///{tmp_path / 'x.db'}"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 2
    assert "SL060" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.db").exists()


def test_security_headers_on_every_kind_of_response(corpus_server: LiveServer) -> None:
    with corpus_server.client() as client:
        sid = client.get("/api/stories").json()["stories"][0]["id"]
        for path in ("/", "/stories", f"/stories/{sid}", "/api/stories", "/api/stories/none", "/static/app.css",
                     "/docs", "/nowhere"):
            resp = client.get(path)
            h = resp.headers
            assert h["x-content-type-options"] == "nosniff", path
            assert h["referrer-policy"] == "no-referrer", path
            assert h["x-frame-options"] == "DENY", path
            csp = h["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, path
            assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0], path
            assert "http" not in csp, path  # nothing from another host
        story_csp = client.get(f"/stories/{sid}").headers["content-security-policy"]
        assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", story_csp)
        assert "&#" not in story_csp


def test_form_posts_need_the_csrf_token_and_the_same_origin(live_server: Any) -> None:
    server: LiveServer = live_server()
    with server.client() as client:
        no_csrf = client.post("/add", data={"text": "Headline\n\nsome words of an article here ok"})
        assert no_csrf.status_code == 403
        token = _csrf(client)
        altered = token[:-1] + ("0" if token[-1] != "0" else "1")
        forged = client.post("/add", data={"csrf": altered, "text": "Headline\n\nwords words words"})
        assert forged.status_code == 403
        other_site = client.post("/add", data={"csrf": token, "text": "Headline\n\nwords words words words"},
                                 headers={"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"})
        assert other_site.status_code == 403
        ok = client.post("/add", data={"csrf": token, "text": "Headline\n\nwords words words words words"},
                         headers={"Origin": server.url, "Sec-Fetch-Site": "same-origin"})
        assert ok.status_code == 303 and re.fullmatch(r"/jobs/\d+", ok.headers["location"])
        # another browser (no cookie) cannot use a token taken from this one
        with server.client() as stranger:
            assert stranger.post("/add", data={"csrf": token, "text": "Headline\n\nwords words"}).status_code == 403
        api_cross = client.post("/api/documents", data={"text": "Headline\n\nwords words words words"},
                                headers={"Origin": "https://attacker.example"})
        assert api_cross.status_code == 403


def test_with_a_token_every_write_needs_it(live_server: Any) -> None:
    server: LiveServer = live_server(token=TOKEN)
    text = {"text": "Headline\n\nwords words words words words words"}
    with server.client() as client:
        assert client.post("/api/documents", data=text).status_code == 401
        wrong = client.post("/api/documents", data=text, headers={"Authorization": "Bearer " + "x" * len(TOKEN)})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Bearer")
        ok = client.post("/api/documents", data=text, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 202
        job = ok.json()["id"]
        assert client.post(f"/api/jobs/{job}/cancel").status_code == 401
        assert client.post(f"/api/jobs/{job}/cancel", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        # reads stay open
        assert client.get("/api/stories").status_code == 200 and client.get(f"/api/jobs/{job}").status_code == 200
        csrf = _csrf(client)
        assert client.post("/add", data={"csrf": csrf, **text}).status_code == 401
        assert client.post("/add", data={"csrf": csrf, "token": TOKEN, **text}).status_code == 303


def test_writes_are_rate_limited(live_server: Any) -> None:
    server: LiveServer = live_server(writes_per_minute=3)
    with server.client() as client:
        codes = [client.post("/api/documents", data={"text": f"Headline {i}\n\nwords words words words"}).status_code
                 for i in range(5)]
        assert codes == [202, 202, 202, 429, 429]
        limited = client.post("/api/documents", data={"text": "x"})
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.headers["content-type"] == "application/problem+json"
        assert client.get("/api/stories").status_code == 200  # reads are not limited


def test_article_strings_are_escaped_in_the_app_pages(live_server: Any) -> None:
    """The list and job pages (the story page is the report, tested in tests/report)."""
    server: LiveServer = live_server()
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    with server.client() as client:
        job = client.post("/api/documents", files=[("files", (f"{payload}.txt", b"words " * 10, "text/plain"))])
        assert job.status_code == 202
        page = client.get(f"/jobs/{job.json()['id']}")
        assert payload not in page.text and "&lt;script&gt;" in page.text
        search = client.get("/stories", params={"q": payload})
        assert payload not in search.text and "&lt;img" in search.text
        err = client.get("/stories/<script>", headers={"accept": "text/html"})
        assert "<script>" not in err.text.split("</header>", 1)[1]
