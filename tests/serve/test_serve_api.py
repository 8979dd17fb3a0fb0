"""The REST API over a real uvicorn server and SQLite file, with httpx."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from serve_helpers import SAMPLE, LiveServer, upload

from storylens.models import Analysis, Document


def _stories(client: httpx.Client, **params: Any) -> dict[str, Any]:
    resp = client.get("/api/stories", params=params)
    assert resp.status_code == 200, resp.text
    data: dict[str, Any] = resp.json()
    return data


def _sample_story(client: httpx.Client) -> dict[str, Any]:
    """The story of examples/sample: the largest (other tests add small ones)."""
    found: dict[str, Any] = max(_stories(client, limit=200)["stories"], key=lambda s: s["size"])
    return found


def test_the_sample_added_through_the_api_is_one_analysed_story(corpus_server: LiveServer) -> None:
    job = corpus_server.sample_job  # type: ignore[attr-defined]
    n = len(list(SAMPLE.iterdir()))
    assert job["result"]["added"] == n and job["result"]["errors"] == []
    assert [i["name"] for i in job["inputs"]] == sorted(p.name for p in SAMPLE.iterdir())
    assert "data" not in json.dumps(job["inputs"])  # the input bytes are dropped once done
    with corpus_server.client() as client:
        story = _sample_story(client)
        assert story["size"] == n and story["analysed"] and len(story["outlets"]) >= 3, (story, job)
        resp = client.get(f"/api/stories/{story['id']}")
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
        analysis = Analysis.model_validate(resp.json())
        assert resp.json()["schema"] == "storylens/analysis/v1"
        assert len(analysis.documents) == n and analysis.claims
        for claim in analysis.claims:
            for span in claim.support:
                doc = next(d for d in analysis.documents if d.id == span.doc)
                assert doc.text[span.start:span.end] == span.text
        doc_id = analysis.documents[0].id
        got = client.get(f"/api/documents/{doc_id}").json()
        assert got["story"] == story["id"]
        assert Document.model_validate(got["document"]).id == doc_id


def test_story_search_filters(corpus_server: LiveServer) -> None:
    with corpus_server.client() as client:
        story = _sample_story(client)
        analysis = client.get(f"/api/stories/{story['id']}").json()
        word = max(analysis["documents"][0]["text"].split(), key=len).strip(".,;:!?\"'()")
        assert _stories(client, q=word)["total"] >= 1
        assert _stories(client, q="zzqxjv nonexistentword")["total"] == 0
        person = next(e for e in analysis["entities"] if len(e["mentions"]) > 1)
        assert story["id"] in [s["id"] for s in _stories(client, entity=person["name"])["stories"]]
        assert _stories(client, entity="Qzxv Nobody Wyrr")["total"] == 0
        outlet = story["outlets"][0]
        assert _stories(client, outlet=outlet)["total"] >= 1
        assert _stories(client, outlet=outlet + " not")["total"] == 0
        assert _stories(client, since="2999-01-01")["total"] == 0
        assert _stories(client, until="1900-01-01")["total"] == 0
        assert _stories(client, since=story["last_seen"][:10])["total"] >= 1
        bad = client.get("/api/stories", params={"since": "yesterday"})
        assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def test_errors_are_problem_details(corpus_server: LiveServer) -> None:
    with corpus_server.client() as client:
        for path in ("/api/stories/zz_doesnotexist", "/api/documents/nope", "/api/jobs/999999"):
            resp = client.get(path)
            assert resp.status_code == 404
            assert resp.headers["content-type"] == "application/problem+json"
            body = resp.json()
            assert body["status"] == 404 and body["title"] and body["detail"] and body["instance"] == path
        assert client.get("/api/jobs/notanumber").status_code == 422


def test_a_story_prefix_redirects_to_its_stable_url(corpus_server: LiveServer) -> None:
    with corpus_server.client() as client:
        sid = _sample_story(client)["id"]
        resp = client.get(f"/api/stories/{sid[:-2]}")
        assert resp.status_code == 308 and resp.headers["location"] == f"/api/stories/{sid}"
        page = client.get(f"/stories/{sid[:-2]}")
        assert page.status_code == 308 and page.headers["location"] == f"/stories/{sid}"
        doc_id = client.get(f"/api/stories/{sid}").json()["documents"][0]["id"]
        doc_page = client.get(f"/documents/{doc_id}")
        assert doc_page.status_code == 302 and doc_page.headers["location"] == f"/stories/{sid}#doc-{doc_id}"
        assert f'id="doc-{doc_id}"' in client.get(f"/stories/{sid}").text


def test_progress_events_stream_until_the_job_ends(live_server: Any, tmp_path: Path) -> None:
    server = live_server()  # no worker: the job stays queued until cancelled
    with server.client() as client:
        job = upload(client, [], text="A headline\n\nSome words of an article about a thing that happened.").json()
        assert job["state"] == "queued"
        events: list[str] = []
        with httpx.Client(base_url=server.url, timeout=30) as stream_client, \
                stream_client.stream("GET", f"/api/jobs/{job['id']}/events") as resp:
            assert resp.headers["content-type"].startswith("text/event-stream")
            for line in resp.iter_lines():
                if line.startswith("event:"):
                    events.append(line.split(":", 1)[1].strip())
                    if events == ["progress"]:
                        cancelled = client.post(f"/api/jobs/{job['id']}/cancel")
                        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
                if line.startswith("data:") and events[-1] == "progress":
                    last = json.loads(line[5:])
                if events[-1:] == ["end"]:
                    break
        assert events[0] == "progress" and events[-1] == "end" and last["state"] == "cancelled"


def test_upload_validation(live_server: Any, tmp_path: Path) -> None:
    server = live_server(max_files=3, max_upload_bytes=2000, max_body_bytes=4000)
    with server.client() as client:
        empty = client.post("/api/documents", data={"text": "   "})
        assert empty.status_code == 400 and empty.json()["code"] == "SL064"
        exe = client.post("/api/documents", files=[("files", ("../../etc/evil.exe", b"MZ", "application/x"))])
        assert exe.status_code == 415 and exe.json()["code"] == "SL063"
        many = client.post("/api/documents", files=[("files", (f"a{i}.txt", b"words " * 5, "text/plain"))
                                                    for i in range(4)])
        assert many.status_code == 413 and many.json()["code"] == "SL062"
        big = client.post("/api/documents", files=[("files", ("big.txt", b"x" * 2500, "text/plain"))])
        assert big.status_code == 413 and big.json()["code"] == "SL061"
        huge = client.post("/api/documents", content=b"x" * 5000, headers={"content-type": "text/plain"})
        assert huge.status_code == 413
        bad_url = client.post("/api/documents", data={"urls": "file:///etc/passwd"})
        assert bad_url.status_code == 400 and bad_url.json()["code"] == "SL065"
        ok = client.post("/api/documents", files=[("files", ("..\\..\\My Article (1).html", b"<p>hi</p>",
                                                            "text/html"))])
        assert ok.status_code == 202 and ok.headers["location"] == f"/api/jobs/{ok.json()['id']}"
        # the name is shown as given, and stored only after reduction to a safe base name
        assert ok.json()["inputs"] == [{"kind": "file", "name": "..\\..\\My Article (1).html"}]


def test_safe_names() -> None:
    from storylens.serve.jobs import safe_name

    assert safe_name("../../etc/passwd") is None
    assert safe_name("../../x.txt") == "x.txt"
    assert safe_name("C:\\Users\\a\\news feed.rss") == "news_feed.rss"
    assert safe_name(".hidden.html") == "hidden.html"
    assert safe_name("dump.warc.gz") == "dump.warc.gz"
    assert safe_name("\x00\n.txt") == "file.txt"
    assert safe_name("a.txt.exe") is None


def test_the_worker_finds_a_relative_sqlite_database_after_changing_folder(tmp_path: Path,
                                                                           monkeypatch: Any) -> None:
    from storylens.serve.worker import absolute_db_url

    monkeypatch.chdir(tmp_path)
    assert absolute_db_url("sqlite:///news.db") == f"sqlite:///{tmp_path / 'news.db'}"
    assert absolute_db_url(None) == f"sqlite:///{tmp_path / 'storylens.db'}"
    assert absolute_db_url(f"sqlite:///{tmp_path}/x.db") == f"sqlite:///{tmp_path}/x.db"
    pg = "postgresql://user:secret@localhost/news"
    assert absolute_db_url(pg) == pg


def test_urls_to_fetch_go_through_the_ssrf_guard(corpus_server: LiveServer) -> None:
    """A URL on this very server (loopback) is refused by the worker, named in the result."""
    from serve_helpers import wait_job

    target = f"{corpus_server.url}/api/health"
    with corpus_server.client() as client:
        resp = client.post("/api/documents", data={"urls": f"{target}\nhttp://10.0.0.1/private"})
        assert resp.status_code == 202
        job = wait_job(client, resp.json()["id"])
    assert job["state"] == "failed" and job["result"]["added"] == 0
    errors = {e["source"]: e["code"] for e in job["result"]["errors"]}
    assert errors == {target: "SL009", "http://10.0.0.1/private": "SL009"}


def test_pasted_text_takes_its_headline_outlet_and_url(corpus_server: LiveServer) -> None:
    from serve_helpers import wait_job

    text = ("The county water board shut the Orlen reservoir on Friday after tests found algae, "
            "the board said. Residents were told to boil tap water until further notice.")
    with corpus_server.client() as client:
        resp = client.post("/api/documents", data={"text": text, "title": "Reservoir shut over algae",
                                                   "outlet": "County Ledger", "url": "https://ledger.example/a"})
        assert resp.status_code == 202
        assert [i["kind"] for i in resp.json()["inputs"]] == ["text", "sidecar"]
        job = wait_job(client, resp.json()["id"])
        assert job["state"] == "done" and job["result"]["added"] == 1, job
        story = client.get(f"/api/stories/{job['result']['stories'][0]}").json()
    doc = next(d for d in story["documents"] if d["source"].endswith("pasted-1.txt") and "Orlen" in d["text"])
    assert (doc["title"], doc["outlet"], doc["url"]) == ("Reservoir shut over algae", "County Ledger",
                                                         "https://ledger.example/a")
