"""What the API routes (:mod:`synoptic.server.app`) and the pages (:mod:`synoptic.server.pages`)
share: the per-app context, the API error, and reading a story list query or a story. Kept apart
so that the app, which includes the pages' router, and the pages import it, not each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import jinja2
from fastapi import Request
from starlette.exceptions import HTTPException

from synoptic.config import Settings
from synoptic.records import Digest, with_inferred
from synoptic.store import StoryQuery
from synoptic.store.base import Store


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a request handler needs, kept on ``app.state`` (one per app)."""

    store: Store
    settings: Settings
    token: str | None
    templates: jinja2.Environment


def context(request: Request) -> Context:
    ctx: Context = request.app.state.synoptic
    return ctx


class ApiError(HTTPException):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


def parse_when(value: str | None, name: str, *, end: bool = False) -> str | None:
    """An ISO date or datetime from a query to a UTC ISO bound; a date as ``until`` means the
    end of that day (the bound is exclusive)."""
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            if end:
                day += dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).isoformat()
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid", f"{name} must be an ISO date (2023-03-20) or datetime") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat()


def story_query(
    ctx: Context, limit: int | None, offset: int, since: str | None, until: str | None, q: str | None
) -> StoryQuery:
    size = limit if limit is not None else ctx.settings.server.page_size
    if not 1 <= size <= ctx.settings.server.max_page_size:
        raise ApiError(422, "invalid", f"limit must be between 1 and {ctx.settings.server.max_page_size}")
    return StoryQuery(
        limit=size,
        offset=offset,
        since=parse_when(since, "since"),
        until=parse_when(until, "until", end=True),
        text=q or None,
    )


def story_digest(store: Store, story_id: str, *, copies: int | None = None) -> tuple[Digest, str]:
    """The stored story as a digest of one dossier, and its current id; ``copies``: at most
    that many copy links (the first), where all are not needed."""
    current = store.resolve_story(story_id)
    dossier = store.get_dossier(current) if current is not None else None
    if current is None or dossier is None:
        raise ApiError(404, "not_found", f"no story {story_id!r}; list stories with GET /stories")
    # an undated article carries the date its story inferred, as in `synoptic digest`'s JSON
    articles = with_inferred(store.get_articles(dossier.story.articles), dossier.published)
    links = store.copies_among(dossier.story.articles, limit=copies)
    return Digest(articles=tuple(articles), copies=tuple(links), dossiers=(dossier,)), current
