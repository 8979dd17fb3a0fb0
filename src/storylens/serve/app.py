"""The web app: pages and the REST API over one store.

Reads run in FastAPI's thread pool against the store; writes only enqueue a job (its
input persisted first) for the worker process. Story pages are the HTML report
(``storylens.report.render_html``) of the story's stored analysis, cached until the
story changes.
"""

from __future__ import annotations

import asyncio
import html as html_lib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio
from fastapi import FastAPI, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, Field

from storylens.errors import StorylensError
from storylens.ingest.sources import is_url
from storylens.report.html import render_html
from storylens.serve import jobs, queries
from storylens.serve.problems import Problem, install_problem_handlers
from storylens.serve.security import (
    CSRF_COOKIE,
    SecurityMiddleware,
    check_csrf,
    check_write,
    csrf_pair,
)
from storylens.serve.settings import ServeSettings
from storylens.store import Store, StoryRow, open_store

__all__ = ["create_app"]

HERE = FilePath(__file__).resolve().parent
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_REPORT_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: requests served at once in worker threads (each may hold one database connection)
DB_THREADS = 15
#: a job id as the database can hold it (64-bit signed)
JobId = Annotated[int, Path(ge=1, le=2**62, description="the job's number")]


# ---------------------------------------------------------------- API models (OpenAPI)

class JobOut(BaseModel):
    id: int
    kind: str
    state: str = Field(description="queued | running | cancelling | done | failed | cancelled")
    phase: str | None = None
    done: int
    total: int
    created_at: str | None = None
    updated_at: str | None = None
    inputs: list[dict[str, Any]] = Field(default_factory=list)
    result: dict[str, Any] | None = None


class StoryOut(BaseModel):
    id: str
    label: str
    size: int
    outlets: list[str]
    first_seen: str | None
    last_seen: str | None
    claims: int
    open_contradictions: int
    analysed: bool = Field(description="false while documents added since the last analysis wait for it")
    url: str


class StoryList(BaseModel):
    total: int
    limit: int
    offset: int
    stories: list[StoryOut]


class DocumentOut(BaseModel):
    story: str | None
    document: dict[str, Any]


PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}


def _story_out(row: StoryRow) -> StoryOut:
    return StoryOut(id=row.id, label=row.label, size=row.size, outlets=row.outlets, first_seen=row.first_seen,
                    last_seen=row.last_seen, claims=row.claims, open_contradictions=row.open_contradictions,
                    analysed=not row.needs_link, url=f"/stories/{row.id}")


class _PageCache:
    """Rendered story pages by story id, valid while the story's version stamp holds."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, tuple[str, str, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, story_id: str, version: str) -> tuple[str, str] | None:
        with self.lock:
            hit = self.items.get(story_id)
            if hit is None or hit[0] != version:
                return None
            self.items.move_to_end(story_id)
            return hit[1], hit[2]

    def put(self, story_id: str, version: str, html: str, csp: str) -> None:
        with self.lock:
            self.items[story_id] = (version, html, csp)
            self.items.move_to_end(story_id)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def create_app(settings: ServeSettings, store: Store | None = None) -> FastAPI:
    """The app for ``settings`` (``store``: an open store to use instead of opening ``settings.db``)."""
    settings.check()
    env = _environment()
    cache = _PageCache(2 * settings.page_cache)  # a page and a JSON body per story
    state: dict[str, Any] = {"store": store}

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if state["store"] is None:
            state["store"] = open_store(settings.db)
        # no more requests in threads than the store's connection pool holds (5 + 10 overflow):
        # past it a request would wait for a connection and fail after the pool's timeout
        anyio.to_thread.current_default_thread_limiter().total_tokens = DB_THREADS
        worker = None
        if settings.worker:
            from storylens.serve.worker import JobWorker

            worker = JobWorker(settings.db, {"allow_private": settings.allow_private,
                                             "timeout": settings.fetch_timeout})
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await anyio.to_thread.run_sync(worker.stop)
            if store is None:
                state["store"].close()

    app = FastAPI(title="storylens", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Add news articles to a shared corpus and read its stories with their evidence. "
                              "Writes need `Authorization: Bearer TOKEN` when the server has a token.")

    def db() -> Store:
        s: Store | None = state["store"]
        assert s is not None
        return s

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        cookie, form_token = csrf_pair(settings, request.cookies.get(CSRF_COOKIE))
        html = env.get_template(name).render(request_path=request.url.path, csrf=form_token,
                                             needs_token=settings.writes_need_token, **ctx)
        resp = HTMLResponse(html, status_code=status)
        if cookie != request.cookies.get(CSRF_COOKIE):
            resp.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict", path="/")
        return resp

    def html_error(request: Request, status: int, title: str, detail: str) -> Response:
        return page(request, "error.html.j2", status=status, title=title, detail=detail)

    install_problem_handlers(app, html_error)
    app.add_middleware(SecurityMiddleware, settings=settings)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ------------------------------------------------------------ shared logic

    async def _collect(files: list[UploadFile], text: str, urls: str,
                       meta: dict[str, str] | None = None) -> list[jobs.JobInput]:
        inputs: list[jobs.JobInput] = []
        total = 0
        real_files = [f for f in files if f.filename or f.size]
        if len(real_files) > settings.max_files:
            raise Problem(413, f"{len(real_files)} files; at most {settings.max_files} per upload", code="SL062")
        for f in real_files:
            name = f.filename or "upload"
            if jobs.safe_name(name) is None:
                raise Problem(415, StorylensError("SL063", name).line(), code="SL063")
            data = await f.read(settings.max_upload_bytes + 1 - total)
            total += len(data)
            if total > settings.max_upload_bytes:
                raise Problem(413, StorylensError("SL061", name, f"at most {settings.max_upload_bytes} bytes in all")
                              .line(), code="SL061")
            inputs.append(jobs.JobInput("file", name, data))
        if text.strip():
            data = text.encode("utf-8")
            total += len(data)
            if total > settings.max_upload_bytes:
                raise Problem(413, StorylensError("SL061", "pasted text").line(), code="SL061")
            name = f"pasted-{len(inputs) + 1}"
            inputs.append(jobs.JobInput("text", f"{name}.txt", data))
            given = {k: v.strip() for k, v in (meta or {}).items() if v and v.strip()}
            if given:
                inputs.append(jobs.JobInput("sidecar", f"{name}.meta.json", json.dumps(given).encode("utf-8")))
        lines = [ln.strip() for ln in urls.splitlines() if ln.strip()]
        if len(lines) > settings.max_urls:
            raise Problem(413, f"{len(lines)} URLs; at most {settings.max_urls} per request", code="SL062")
        for ln in lines:
            if not is_url(ln) or len(ln) > 2000:
                raise Problem(400, StorylensError("SL065", ln[:200]).line(), code="SL065")
            inputs.append(jobs.JobInput("url", ln))
        if not inputs:
            raise Problem(400, StorylensError("SL064", "request").line(), code="SL064")
        return inputs

    def _enqueue(inputs: list[jobs.JobInput]) -> int:
        store = db()
        if jobs.count_waiting(store) >= settings.max_queued_jobs:
            raise Problem(503, "too many jobs are waiting; try again later", headers={"Retry-After": "30"})
        # URLs given in the form and URL lists uploaded as .txt are fetched (through the SSRF guard)
        return jobs.enqueue(store, inputs, fetch=True)

    def _job(job_id: JobId) -> dict[str, Any]:
        found = jobs.get_job(db(), job_id)
        if found is None:
            raise Problem(404, f"no job {job_id}")
        return found

    def _resolve(story_id: str) -> str:
        if not _ID.match(story_id):
            raise Problem(404, "no such story", code="SL056")
        sid = db().resolve(story_id)
        if sid is None:
            raise Problem(404, StorylensError("SL056", story_id).line(), code="SL056")
        return sid

    def _story_html(sid: str) -> tuple[str, str] | None:
        store = db()
        version = queries.story_version(store, sid)
        if version is None:
            return None
        hit = cache.get(sid, version[0])
        if hit is not None:
            return hit
        analysis = store.story_analysis(sid)
        if analysis is None:
            return None
        row = queries.story_row(store, sid)
        title = row.label if row else sid
        html = render_html(analysis, title=title)
        found = _REPORT_CSP.search(html)
        csp = (html_lib.unescape(found.group(1)) if found else "default-src 'none'") + "; frame-ancestors 'none'"
        nav = env.get_template("story_nav.html.j2").render(story=row, pending=version[1])
        # the report's own <body> tag comes before any article text (which is escaped anyway)
        html = html.replace("<body>", "<body>\n" + nav, 1)
        cache.put(sid, version[0], html, csp)
        return html, csp

    def _story_json(sid: str) -> str:
        store = db()
        version = queries.story_version(store, sid)
        key = "json:" + sid
        hit = cache.get(key, version[0]) if version else None
        if hit is not None:
            return hit[0]
        analysis = store.story_analysis(sid)
        if analysis is None or version is None:
            raise Problem(409, f"story {sid} is waiting for its first analysis; try again shortly")
        body = analysis.to_json(indent=None)
        cache.put(key, version[0], body, "")
        return body

    # ------------------------------------------------------------------- API

    @app.post("/api/documents", status_code=202, response_model=JobOut, tags=["documents"],
              responses={400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 413: PROBLEM, 415: PROBLEM, 429: PROBLEM,
                         503: PROBLEM})
    async def add_documents(
        request: Request,
        files: Annotated[list[UploadFile], File(description="articles: .txt .md .html .jsonl .warc .rss .atom .xml")] = [],  # noqa: B006
        text: Annotated[str, Form(description="pasted article text")] = "",
        urls: Annotated[str, Form(description="URLs or feed URLs to fetch, one a line")] = "",
        title: Annotated[str, Form(max_length=500, description="headline of the pasted text")] = "",
        outlet: Annotated[str, Form(max_length=200, description="outlet of the pasted text")] = "",
        url: Annotated[str, Form(max_length=2000, description="where the pasted text was published")] = "",
    ) -> JSONResponse:
        """Add articles (like `storylens add`): returns the job at once; the work runs in the background."""
        check_write(request, settings)
        inputs = await _collect(files, text, urls, {"title": title, "outlet": outlet, "url": url})
        job_id = await anyio.to_thread.run_sync(_enqueue, inputs)
        body = await anyio.to_thread.run_sync(_job, job_id)
        return JSONResponse(body, status_code=202, headers={"Location": f"/api/jobs/{job_id}"})

    @app.get("/api/jobs/{job_id}", response_model=JobOut, tags=["jobs"], responses={404: PROBLEM})
    def get_job(job_id: JobId) -> dict[str, Any]:
        """A job's state and progress (done of total in its current phase)."""
        return _job(job_id)

    @app.post("/api/jobs/{job_id}/cancel", response_model=JobOut, tags=["jobs"],
              responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM})
    def cancel_job(job_id: JobId, request: Request) -> dict[str, Any]:
        """Cancel a job: a queued one at once, a running one at its next step (documents stored stay)."""
        check_write(request, settings)
        found = jobs.request_cancel(db(), job_id)
        if found is None:
            raise Problem(404, f"no job {job_id}")
        return found

    @app.get("/api/jobs/{job_id}/events", tags=["jobs"], responses={
        200: {"content": {"text/event-stream": {}}, "description": "server-sent events: `progress` until the end"},
        404: PROBLEM})
    async def job_events(job_id: JobId, request: Request) -> StreamingResponse:
        """Live progress as server-sent events (`event: progress`, JSON data), ending with the job."""
        first = await anyio.to_thread.run_sync(_job, job_id)

        async def stream() -> AsyncIterator[str]:
            last: str | None = None
            current = first
            idle = 0.0
            while True:
                data = json.dumps(current)
                if data != last:
                    last = data
                    idle = 0.0
                    yield f"event: progress\ndata: {data}\n\n"
                if current["state"] in jobs.TERMINAL:
                    yield "event: end\ndata: {}\n\n"
                    return
                if await request.is_disconnected():
                    return
                await asyncio.sleep(0.5)
                idle += 0.5
                if idle >= 15:
                    idle = 0.0
                    yield ": keep-alive\n\n"
                current = await anyio.to_thread.run_sync(_job, job_id)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @app.get("/api/stories", response_model=StoryList, tags=["stories"], responses={422: PROBLEM})
    def list_stories(
        q: Annotated[str, Query(max_length=200, description="words in the label, titles or text")] = "",
        entity: Annotated[str, Query(max_length=200, description="a person, place or organisation")] = "",
        outlet: Annotated[str, Query(max_length=200)] = "",
        since: Annotated[str, Query(pattern=_DATE, description="last seen on or after (YYYY-MM-DD)")] = "",
        until: Annotated[str, Query(pattern=_DATE, description="first seen on or before (YYYY-MM-DD)")] = "",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> StoryList:
        """Stories, newest first (like `storylens stories`)."""
        flt = queries.StoryFilter(words=q, entity=entity, outlet=outlet, since=since, until=until,
                                  limit=limit, offset=offset)
        rows, total = queries.search_stories(db(), flt)
        return StoryList(total=total, limit=limit, offset=offset, stories=[_story_out(r) for r in rows])

    @app.get("/api/stories/{story_id}", tags=["stories"], responses={
        200: {"description": "the analysis of the story: the JSON contract storylens/analysis/v1",
              "content": {"application/json": {"schema": {"type": "object"}}}},
        308: {"description": "the story was merged into another: its current id"},
        404: PROBLEM, 409: PROBLEM})
    def get_story(story_id: str) -> Response:
        """One story's analysis (like `storylens show STORY -f json`)."""
        sid = _resolve(story_id)
        if sid != story_id:
            return RedirectResponse(f"/api/stories/{sid}", status_code=308)
        return Response(_story_json(sid), media_type="application/json")

    @app.get("/api/documents/{doc_id}", response_model=DocumentOut, tags=["documents"], responses={404: PROBLEM})
    def get_document(doc_id: str) -> DocumentOut:
        """One stored document (cleaned text, removed boilerplate, metadata) and its story."""
        found = queries.document(db(), doc_id) if _ID.match(doc_id) else None
        if found is None:
            raise Problem(404, f"no document {doc_id[:80]}")
        doc, sid = found
        return DocumentOut(story=sid, document=doc.model_dump(mode="json"))

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "documents": db().count_documents()}

    # ----------------------------------------------------------------- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        recent = [_story_out(r) for r in queries.search_stories(db(), queries.StoryFilter(limit=8))[0]]
        return page(request, "home.html.j2", stories=recent, max_files=settings.max_files,
                    max_mb=round(settings.max_upload_bytes / 1048576, 1))

    @app.post("/add", include_in_schema=False)
    async def add_form(
        request: Request,
        csrf: Annotated[str, Form()] = "",
        token: Annotated[str, Form()] = "",
        files: Annotated[list[UploadFile], File()] = [],  # noqa: B006
        text: Annotated[str, Form()] = "",
        urls: Annotated[str, Form()] = "",
        title: Annotated[str, Form(max_length=500)] = "",
        outlet: Annotated[str, Form(max_length=200)] = "",
        url: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        check_csrf(settings, request.cookies.get(CSRF_COOKIE), csrf)
        check_write(request, settings, form_token=token or None)
        inputs = await _collect(files, text, urls, {"title": title, "outlet": outlet, "url": url})
        job_id = await anyio.to_thread.run_sync(_enqueue, inputs)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(job_id: JobId, request: Request) -> HTMLResponse:
        found = _job(job_id)
        return page(request, "job.html.j2", job=found, terminal=found["state"] in jobs.TERMINAL,
                    job_json=Markup(json.dumps({"id": job_id})))

    @app.post("/jobs/{job_id}/cancel", include_in_schema=False)
    async def cancel_form(job_id: JobId, request: Request, csrf: Annotated[str, Form()] = "",
                          token: Annotated[str, Form()] = "") -> Response:
        check_csrf(settings, request.cookies.get(CSRF_COOKIE), csrf)
        check_write(request, settings, form_token=token or None)
        if await anyio.to_thread.run_sync(jobs.request_cancel, db(), job_id) is None:
            raise Problem(404, f"no job {job_id}")
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        entity: Annotated[str, Query(max_length=200)] = "",
        outlet: Annotated[str, Query(max_length=200)] = "",
        since: Annotated[str, Query(pattern=_DATE + "|^$")] = "",
        until: Annotated[str, Query(pattern=_DATE + "|^$")] = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=10000)] = 1,
    ) -> HTMLResponse:
        per_page = 50
        flt = queries.StoryFilter(words=q, entity=entity, outlet=outlet, since=since, until=until,
                                  limit=per_page, offset=(page_no - 1) * per_page)
        rows, total = queries.search_stories(db(), flt)
        params = {k: v for k, v in {"q": q, "entity": entity, "outlet": outlet, "since": since,
                                    "until": until}.items() if v}
        more = urlencode({**params, "page": page_no + 1}) if page_no * per_page < total else None
        less = urlencode({**params, "page": page_no - 1}) if page_no > 1 else None
        return page(request, "stories.html.j2", stories=[_story_out(r) for r in rows], total=total,
                    f=params, outlets=queries.outlets(db()), next_qs=more, prev_qs=less)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, request: Request) -> Response:
        sid = _resolve(story_id)
        if sid != story_id:
            return RedirectResponse(f"/stories/{sid}", status_code=308)
        rendered = _story_html(sid)
        if rendered is None:
            row = queries.story_row(db(), sid)
            return page(request, "pending.html.j2", story=row)
        html, csp = rendered
        return HTMLResponse(html, headers={"Content-Security-Policy": csp, "Cache-Control": "no-cache"})

    @app.get("/documents/{doc_id}", include_in_schema=False)
    def document_page(doc_id: str) -> Response:
        found = queries.document(db(), doc_id) if _ID.match(doc_id) else None
        if found is None or found[1] is None:
            raise Problem(404, "no such document")
        from storylens.report.html import doc_anchor

        return RedirectResponse(f"/stories/{found[1]}#{doc_anchor(doc_id)}", status_code=302)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204, headers={"Cache-Control": "max-age=86400"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html.j2", ops=_operations(app.openapi()))

    return app


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI document as a list the docs page lays out (no script, no other host)."""
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {}).get("description", ""),
                       "schema": json.dumps(p.get("schema", {}))} for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {})
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params,
                        "body": list(body), "responses": sorted(op.get("responses", {}))})
    return ops
