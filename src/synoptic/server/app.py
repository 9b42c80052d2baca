"""The FastAPI application: JSON API, web pages, limits and errors.

``create_app(store_path, settings, token)`` builds one application around one store; nothing is
kept at module level (two apps on two stores in one process do not meet). Reads need no token;
``POST /articles`` needs ``Authorization: Bearer TOKEN`` (or ``X-Synoptic-Token``) and is refused
when the app was given no token.

Errors are JSON ``{"error": {"status", "code", "message"}}`` on API routes; pages answer with
an HTML error page. Bodies over ``ServerSettings.max_body_bytes`` are refused with 413 before
they are read (Content-Length) or as soon as the stream passes the limit (chunked).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hmac
import json
import re
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from synoptic.config import Settings
from synoptic.errors import InputError, SynopticError
from synoptic.ingest import read_inputs
from synoptic.ingest.jsonl import record_to_article
from synoptic.pipeline import prepare_article
from synoptic.records import SCHEMA, Article, IngestFailure, to_json
from synoptic.render.json import article_json, digest_to_json
from synoptic.server.common import (
    ApiError,
    Context,
    context,
    error_body,
    story_digest,
    story_query,
)
from synoptic.server.common import parse_when as parse_when  # where pages.py found it before
from synoptic.server.feeds import json_alternate, stories_feed
from synoptic.store import ingest_articles, open_store, regroup_store
from synoptic.store.base import Store
from synoptic.store.ingest import IngestReport

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""Pages load only their own script and stylesheet: even text that escaped escaping could not run."""


# --------------------------------------------------------------------------- limits


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: refuse bodies over ``limit`` bytes with a JSON 413."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    await self._refuse(send, 400, "bad_request", "Content-Length is not a number")
                    return
                if size > self.limit:
                    await self._refuse(send, 413, "too_large", self._message())
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, 413, "too_large", self._message())

    def _message(self) -> str:
        return f"request body over {self.limit} bytes; send fewer articles per request"

    async def _refuse(self, send: Send, status: int, code: str, message: str) -> None:
        body = json.dumps(error_body(status, code, message)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# --------------------------------------------------------------------------- app


def create_app(store_path: str | Path, settings: Settings | None = None, token: str | None = None) -> FastAPI:
    """An application serving the store at ``store_path`` (created if missing)."""
    from synoptic.server.pages import router as pages_router
    from synoptic.server.pages import template_environment

    settings = (settings or Settings()).validate()
    store = open_store(store_path, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Synoptic",
        version="1",
        summary="Stories from many outlets, cross-checked and cited.",
        lifespan=lifespan,
        docs_url=None,  # served below from the package's own copy of Swagger UI, not a CDN
        redoc_url=None,
    )
    app.state.synoptic = Context(
        store=store, settings=settings, token=token or None, templates=template_environment()
    )
    app.add_middleware(BodyLimit, limit=settings.server.max_body_bytes)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.url.path != "/docs":  # Swagger UI's page starts itself with an inline script
            response.headers.setdefault("Content-Security-Policy", CSP)
        if response.headers.get("content-type", "").startswith("text/html"):
            # each page names its JSON twin (and the story list its feed), as datasette does
            alternate = json_alternate(request.url.path)
            if alternate is not None:
                response.headers.append("Link", f'<{alternate}>; rel="alternate"; type="application/json"')
            if request.url.path == "/":
                response.headers.append(
                    "Link", '</stories.atom>; rel="alternate"; type="application/atom+xml"'
                )
        return response

    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(SynopticError, _synoptic_error)  # type: ignore[arg-type]
    app.include_router(api)
    app.include_router(pages_router)
    app.include_router(docs_router)
    app.mount("/static", StaticFiles(packages=[("synoptic.server", "static")]), name="static")
    return app


async def _http_error(request: Request, exc: HTTPException) -> Response:
    from synoptic.server.pages import is_page, render_error

    code = getattr(exc, "code", None) or _CODES.get(exc.status_code, "error")
    message = str(exc.detail) if exc.detail else code.replace("_", " ")
    if is_page(request) and not request.url.path.endswith(MACHINE_SUFFIXES):
        return render_error(request, exc.status_code, message)
    return JSONResponse(
        error_body(exc.status_code, code, message), status_code=exc.status_code, headers=exc.headers
    )


_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported",
}


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    message = "invalid request: " + "; ".join(parts)
    from synoptic.server.pages import is_page, render_error

    if is_page(request) and not request.url.path.endswith(MACHINE_SUFFIXES):
        return render_error(request, 422, message)
    return JSONResponse(error_body(422, "invalid", message), status_code=422)


MACHINE_SUFFIXES = (".json", ".atom")
"""Paths under the page prefixes that answer JSON or XML, errors included (``/story/X.json``)."""


async def _synoptic_error(request: Request, exc: SynopticError) -> Response:
    status = 404 if exc.code == "E031" else 503
    return JSONResponse(error_body(status, exc.code, str(exc)), status_code=status)


# --------------------------------------------------------------------------- API docs

docs_router = APIRouter(include_in_schema=False)

SWAGGER = "/static/vendor/swagger-ui"
"""Swagger UI's files as vendored from its npm package (static/vendor/VENDOR.md): /docs works
offline and asks no other host for anything."""


@docs_router.get("/docs")
def api_docs() -> Response:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Synoptic API",
        swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER}/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


# --------------------------------------------------------------------------- API

api = APIRouter(tags=["api"])


@api.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Liveness and store size."""
    store = context(request).store
    return {"status": "ok", "schema": SCHEMA, "articles": store.article_count()}


@api.get("/stories")
def list_stories(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, description="Stories per page.")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    since: Annotated[str | None, Query(description="Seen on or after (ISO date or datetime).")] = None,
    until: Annotated[
        str | None, Query(description="Seen before the end of (ISO date) / before (datetime).")
    ] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words its articles must contain.")] = None,
) -> dict[str, Any]:
    """Stored stories, most recent first, paged."""
    ctx = context(request)
    page = ctx.store.list_stories(story_query(ctx, limit, offset, since, until, q))
    nxt = page.offset + len(page.stories)
    return {
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": nxt if nxt < page.total else None,
        "stories": [to_json(r) for r in page.stories],
    }


@api.get("/stories/{story_id}", response_model=None)
def get_story(request: Request, story_id: str) -> dict[str, Any] | Response:
    """The story's dossier in the Dossier JSON shape (``schema``, ``articles``, ``copies``,
    ``stories`` with one story). A merged story's old id redirects to the story it went into."""
    ctx = context(request)
    digest, current = story_digest(ctx.store, story_id)
    if current != story_id:
        return RedirectResponse(request.url_for("get_story", story_id=current).path, status_code=308)
    return digest_to_json(digest)


@api.get("/story/{story_id}.json", response_model=None)
def get_story_json(request: Request, story_id: str) -> dict[str, Any] | Response:
    """The JSON twin of the story page ``/story/{story_id}``: the same as ``GET /stories/{story_id}``."""
    ctx = context(request)
    digest, current = story_digest(ctx.store, story_id)
    if current != story_id:
        return RedirectResponse(request.url_for("get_story_json", story_id=current).path, status_code=308)
    return digest_to_json(digest)


@api.get("/stories.atom", response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def stories_atom(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, description="Entries (default: the page size).")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words its articles must contain.")] = None,
) -> Response:
    """The most recent stories as an Atom feed: one entry per story with its outlets, the first
    sentences of its cited summary and links to its page and its JSON."""
    ctx = context(request)
    page = ctx.store.list_stories(story_query(ctx, limit, 0, None, None, q))
    rows = [(row, ctx.store.get_dossier(row.id)) for row in page.stories]
    body = stories_feed(rows, str(request.base_url), show_threshold=ctx.settings.dossier.show_threshold)
    return Response(body, media_type="application/atom+xml")


@api.get("/article/{article_id}.json")
def get_article_json(request: Request, article_id: str) -> dict[str, Any]:
    """The JSON twin of the article page ``/article/{article_id}``: as ``GET /articles/{article_id}``."""
    return get_article(request, article_id)


@api.get("/articles/{article_id}")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """One stored article (cleaned text, what was removed and why) and its story."""
    store = context(request).store
    article = store.get_article(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}; find articles with GET /search?q=...")
    return {"schema": SCHEMA, "article": article_json(article), "story": store.story_of(article_id)}


@api.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words that must all occur.")],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """Full-text search over stored articles' titles and texts."""
    hits = context(request).store.search(q, limit=limit, offset=offset)
    return {
        "query": q,
        "hits": [h.to_json() for h in hits],
    }


def check_token(request: Request, ctx: Context) -> None:
    if ctx.token is None:
        raise ApiError(
            403, "writes_disabled", "writes are off: start the server with --token or SYNOPTIC_TOKEN"
        )
    given = request.headers.get("x-synoptic-token")
    auth = request.headers.get("authorization", "")
    if given is None and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if given is None:
        raise ApiError(401, "token_required", "send the token as 'Authorization: Bearer TOKEN'")
    if not hmac.compare_digest(given.encode(), ctx.token.encode()):
        raise ApiError(401, "bad_token", "the token does not match the server's")


ARTICLE_IN: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "description": "The article body (paragraphs separated by blank lines)."},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "outlet": {"type": "string"},
        "published": {"type": "string", "description": "ISO 8601 date or datetime."},
        "authors": {"type": "array", "items": {"type": "string"}},
        "language": {"type": "string"},
        "id": {"type": "string", "description": "The caller's id (kept in the article's source)."},
    },
}


@api.post(
    "/articles",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"oneOf": [ARTICLE_IN, {"type": "array", "items": ARTICLE_IN}]}
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "array", "items": {"type": "string", "format": "binary"}}
                        },
                    }
                },
            },
            "required": True,
        }
    },
)
async def post_articles(
    request: Request,
    background: BackgroundTasks,
    regroup: Annotated[
        Literal["now", "later"],
        Query(description="now: regroup before answering; later: answer once stored, regroup after."),
    ] = "now",
) -> JSONResponse:
    """Add one article or a batch: a JSON object or array of objects (``text`` required; ``title``,
    ``url``, ``outlet``, ``published``, ``authors``, ``language``, ``id`` optional), or files
    uploaded as ``multipart/form-data`` field ``file`` (any input format ``synoptic ingest`` reads).
    Articles are cleaned, stored (an article already stored is not stored again), and the stories
    they touch are regrouped and rebuilt (``regroup=later``: after the answer, so a large store
    takes new articles without waiting for the regroup)."""
    ctx = context(request)
    check_token(request, ctx)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        articles, failures = _json_articles(await request.body(), ctx)
    elif ctype == "multipart/form-data":
        articles, failures = await _uploaded_articles(request, ctx)
    else:
        raise ApiError(
            415,
            "unsupported",
            f"content type {ctype or '(none)'!r} not accepted: send application/json or multipart/form-data",
        )
    if len(articles) > ctx.settings.server.max_batch:
        raise ApiError(
            413, "too_many", f"{len(articles)} articles; at most {ctx.settings.server.max_batch} per request"
        )
    cleaned = [prepare_article(a, ctx.settings) for a in articles]
    now = regroup == "now"
    report = await run_in_threadpool(_ingest, ctx, cleaned, now)
    if not now and report.added:
        background.add_task(regroup_store, ctx.store, ctx.settings)
    body = _report_json(report, failures, ctx.store)
    if not now:
        body["regroup"] = "scheduled" if report.added else None
    status = 422 if not cleaned and failures else 200
    if status == 422:
        body = error_body(422, "no_articles", "no usable article in the request") | body
    return JSONResponse(body, status_code=status)


def _ingest(ctx: Context, articles: list[Article], regroup: bool) -> IngestReport:
    return ingest_articles(ctx.store, articles, ctx.settings, regroup=regroup)


def _json_articles(raw: bytes, ctx: Context) -> tuple[list[Article], list[IngestFailure]]:
    depth = json_depth(raw)
    if depth > ctx.settings.server.max_json_depth:
        raise ApiError(
            400,
            "bad_json",
            f"JSON nested {depth} deep; at most {ctx.settings.server.max_json_depth} "
            "(an article is one object of strings)",
        )
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ApiError(400, "bad_json", f"malformed JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    if len(items) > ctx.settings.server.max_batch:
        raise ApiError(
            413, "too_many", f"{len(items)} articles; at most {ctx.settings.server.max_batch} per request"
        )
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    for n, obj in enumerate(items, start=1):
        try:
            articles.append(record_to_article("api", n, obj))
        except ValueError as exc:
            failures.append(
                IngestFailure(
                    source=f"api#{n}", reason=str(exc), hint="see POST /articles in /docs", code="E009"
                )
            )
    return _within_article_limit(articles, failures, ctx)


def json_depth(raw: bytes) -> int:
    """The deepest nesting of brackets and braces in a JSON text, strings skipped; linear, no
    recursion (``json.loads`` recurses and fails with RecursionError on 100,000 levels)."""
    depth = deepest = 0
    for token in _JSON_STRUCTURE.finditer(raw):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif mark in (b"]", b"}"):
            depth -= 1
    return deepest


_JSON_STRUCTURE = re.compile(rb'"(?:[^"\\]|\\.|\\\Z)*+(?:"|\Z)|[\[\]{}]', re.DOTALL)
"""A string (to its closing quote, or to the end when it has none: every quote starts at most
one scan, so the cost is linear even in a body of unbalanced quotes) or a bracket."""


def _within_article_limit(
    articles: list[Article], failures: list[IngestFailure], ctx: Context
) -> tuple[list[Article], list[IngestFailure]]:
    """Articles whose text fits ``ServerSettings.max_article_chars``; the others become E006."""
    limit = ctx.settings.server.max_article_chars
    kept: list[Article] = []
    for article in articles:
        if len(article.text) <= limit:
            kept.append(article)
            continue
        err = InputError(
            "E006",
            f"an article of {len(article.text):,} characters, over the server's {limit:,}; "
            "store it with `synoptic ingest`",
            subject=article.source,
        )
        failures.append(IngestFailure(source=article.source, reason=err.reason, hint=err.hint, code=err.code))
    return kept, failures


async def _uploaded_articles(request: Request, ctx: Context) -> tuple[list[Article], list[IngestFailure]]:
    try:
        form = await request.form(max_files=100, max_fields=100)
    except BodyTooLarge:
        raise
    except Exception as exc:  # malformed multipart: the parser's message says what is wrong
        raise ApiError(400, "bad_form", f"malformed multipart body: {exc}") from None
    uploads = [v for k, v in form.multi_items() if k == "file" and not isinstance(v, str)]
    if not uploads:
        raise ApiError(422, "no_file", "multipart body has no 'file' field with a file")
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    limits = UploadLimits.of(ctx.settings)
    with tempfile.TemporaryDirectory(prefix="synoptic-upload-") as tmp:
        for n, upload in enumerate(uploads, start=1):
            name = Path(upload.filename or f"upload-{n}").name or f"upload-{n}"
            if limits.expired():
                failures.append(limits.late(f"upload:{name}"))
                continue
            safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)[:100]
            path = Path(tmp) / f"{n}-{safe}"
            path.write_bytes(await upload.read())
            items = await run_in_threadpool(_read_file, path, ctx.settings, limits)
            for item in items:
                source = item.source.replace(str(path), f"upload:{name}", 1)
                if isinstance(item, IngestFailure):
                    failures.append(
                        IngestFailure(source=source, reason=item.reason, hint=item.hint, code=item.code)
                    )
                else:
                    articles.append(_with_source(item, source))
    return _within_article_limit(articles, failures, ctx)


@dataclass(slots=True)
class UploadLimits:
    """What one upload request may still read: items (articles and failures), decompressed
    bytes, and time. A gzip JSONL of a million records stops at ``max_batch`` + 1 items."""

    items_left: int
    bytes_left: int
    deadline: float
    seconds: float

    @classmethod
    def of(cls, settings: Settings) -> UploadLimits:
        server = settings.server
        return cls(
            items_left=server.max_batch + 1,
            bytes_left=server.max_upload_bytes,
            deadline=time.monotonic() + server.max_request_seconds,
            seconds=server.max_request_seconds,
        )

    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    def late(self, source: str) -> IngestFailure:
        err = InputError("E015", f"not read: over {self.seconds:g} s", subject=source)
        return IngestFailure(source=source, reason=err.reason, hint=err.hint, code=err.code)


def _read_file(path: Path, settings: Settings, limits: UploadLimits) -> list[Article | IngestFailure]:
    """The items of one uploaded file, within ``limits`` (413 when it holds too many)."""
    ingest = dataclasses.replace(
        settings.ingest,
        max_records=min(settings.ingest.max_records, limits.items_left),
        max_stream_bytes=limits.bytes_left,
        max_bytes=min(settings.ingest.max_bytes, limits.bytes_left),
    )
    items: list[Article | IngestFailure] = []
    for item in read_inputs([str(path)], ingest):
        items.append(item)
        limits.items_left -= 1
        if isinstance(item, Article):
            limits.bytes_left -= len(item.text.encode())
        if limits.items_left <= 0:
            raise ApiError(
                413,
                "too_many",
                f"more than {settings.server.max_batch} articles or failed items in one request",
            )
        if limits.expired():
            items.append(limits.late(str(path)))
            break
    return items


def _with_source(article: Article, source: str) -> Article:
    return dataclasses.replace(article, source=source)


def _report_json(report: IngestReport, failures: list[IngestFailure], store: Store) -> dict[str, Any]:
    ids = [*report.added, *report.existing]
    regroup = report.regroup
    return {
        "added": list(report.added),
        "existing": list(report.existing),
        "stories": {aid: store.story_of(aid) for aid in ids},
        "regroup": None
        if regroup is None
        else {"new": list(regroup.new), "changed": list(regroup.changed), "merged": dict(regroup.merged)},
        "failed": [to_json(f) | {"message": f.message()} for f in failures],
    }
