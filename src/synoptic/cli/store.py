"""The stored, incremental mode: ``ingest``, ``stories``, ``show``, ``search``, ``serve``.

Every command takes ``--db FILE``; without it the store is ``$SYNOPTIC_DB`` or ``./synoptic.db``.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from synoptic.cli.options import OutputFormat, progress_for, write_output
from synoptic.config import Settings, StoreSettings
from synoptic.errors import StoreError, exit_code_for
from synoptic.records import Article, Digest, IngestFailure, to_json
from synoptic.render import render_html, render_json, render_markdown
from synoptic.render.markdown import esc
from synoptic.store import StoryQuery, default_db_path, ingest_articles, open_store, regroup_store
from synoptic.store.base import MARK_END, MARK_START, Store
from synoptic.store.ingest import read_clean_stream


class ListFormat(StrEnum):
    md = "md"
    json = "json"


class Regrouper(StrEnum):
    minilm = "minilm"
    hashing = "hashing"


DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default: $SYNOPTIC_DB, else ./synoptic.db).", show_default=False),
]


def _db(db: Path | None) -> str:
    return str(db) if db is not None else default_db_path()


def _existing(db: Path | None, settings: Settings) -> Store:
    path = _db(db)
    if not os.path.exists(path):
        raise StoreError(
            "E030", "no such store; create it with `synoptic ingest PATH --db FILE`", subject=path
        )
    return open_store(path, settings)


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, feeds, globs, or - for stdin.")],
    db: DbOption = None,
    embedder: Annotated[
        Regrouper | None,
        typer.Option("--regroup-embedder", help="Embedder for regrouping (hashing: fast on large stores)."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="One stdout line per article once it is committed.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")] = False,
) -> None:
    """Store articles (each committed as it is read; the same article twice is stored once), then
    regroup stories and rebuild the dossiers of the stories that changed."""
    settings = Settings()
    if embedder is not None:
        settings = settings.with_section(store=StoreSettings(regroup_embedder=embedder.value))
    failures: list[IngestFailure] = []
    progress = progress_for("ingest", quiet)
    count = 0

    def failed(failure: IngestFailure) -> None:
        failures.append(failure)
        print(f"synoptic: skipped {failure.message()}", file=sys.stderr)

    def stored(article: Article, new: bool) -> None:
        nonlocal count
        count += 1
        progress.update(count, what="articles stored")
        if verbose:
            print(f"{'added' if new else 'exists'}\t{article.id}\t{article.source}", flush=True)

    with open_store(_db(db), settings) as store:
        stream = read_clean_stream(paths, settings, on_failure=failed, stdin=sys.stdin.buffer)
        report = ingest_articles(store, stream, settings, on_stored=stored)
        progress.finish()
        if not quiet:
            regroup = report.regroup
            grouped = (
                f"; {regroup.stories} stories ({len(regroup.new)} new, {len(regroup.changed)} changed, "
                f"{len(regroup.merged)} merged)"
                if regroup is not None
                else "; stories unchanged"
            )
            print(
                f"synoptic: {len(report.added)} articles added, {len(report.existing)} already stored, "
                f"{len(failures)} inputs skipped{grouped} -> {store_path(store)}",
                file=sys.stderr,
            )
    raise typer.Exit(int(exit_code_for(len(report.added) + len(report.existing), len(failures))))


def regroup(
    db: DbOption = None,
    embedder: Annotated[
        Regrouper | None,
        typer.Option("--regroup-embedder", help="Embedder for regrouping (hashing: fast on large stores)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
) -> None:
    """Regroup every stored article from scratch (ingest only regroups the stories near what it
    adds) and rebuild the dossiers of the stories that changed; story ids stay as in ingest."""
    settings = Settings()
    if embedder is not None:
        settings = settings.with_section(store=StoreSettings(regroup_embedder=embedder.value))
    with _existing(db, settings) as store:
        report = regroup_store(store, settings, force=True)
        if not quiet and report is not None:
            print(
                f"synoptic: {report.stories} stories ({len(report.new)} new, {len(report.changed)} changed, "
                f"{len(report.merged)} merged) -> {store_path(store)}",
                file=sys.stderr,
            )


def store_path(store: Store) -> str:
    return str(getattr(store, "path", "store"))


def stories(
    db: DbOption = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.md,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    since: Annotated[str | None, typer.Option("--since", help="Seen on or after (ISO date).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Seen before (ISO date).")] = None,
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="Only stories matching these words.")
    ] = None,
) -> None:
    """List stored stories, most recent first."""
    settings = Settings()
    with _existing(db, settings) as store:
        page = store.list_stories(
            StoryQuery(limit=limit, offset=offset, since=since, until=until, text=query)
        )
    if fmt == ListFormat.json:
        payload = {
            "total": page.total,
            "limit": page.limit,
            "offset": page.offset,
            "stories": [to_json(r) for r in page.stories],
        }
        write_output(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", None)
        return
    out = [f"{page.total} stories", "", "| id | story | articles | outlets | seen |", "|---|---|---|---|---|"]
    for r in page.stories:
        seen = (r.first_seen or "")[:10] + (
            "" if r.first_seen == r.last_seen else f" to {(r.last_seen or '')[:10]}"
        )
        out.append(
            f"| `{r.id}` | {esc(r.label or '(no label)')} | {r.articles} | "
            f"{esc(', '.join(r.outlets))} | {seen.strip() or 'unknown'} |"
        )
    write_output("\n".join(out) + "\n", None)


def show(
    story: Annotated[str, typer.Argument(help="Story id (see `synoptic stories`).")],
    db: DbOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.md,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Print one story's dossier (a merged story's old id shows the story it went into)."""
    settings = Settings()
    with _existing(db, settings) as store:
        digest = story_digest(store, story)
    renderers = {
        OutputFormat.md: render_markdown,
        OutputFormat.json: render_json,
        OutputFormat.html: render_html,
    }
    write_output(renderers[fmt](digest), out)


def story_digest(store: Store, story_id: str) -> Digest:
    """The stored dossier of one story with its articles and copies, as a one-story digest."""
    current = store.resolve_story(story_id)
    dossier = store.get_dossier(current) if current is not None else None
    if dossier is None:
        raise StoreError("E031", f"story {story_id!r}")
    articles = store.get_articles(dossier.story.articles)
    return Digest(
        articles=tuple(articles),
        copies=tuple(store.copies_among(dossier.story.articles)),
        dossiers=(dossier,),
    )


def search(
    query: Annotated[str, typer.Argument(help="Words that must all occur (title or text).")],
    db: DbOption = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.md,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
) -> None:
    """Full-text search over stored articles."""
    settings = Settings()
    with _existing(db, settings) as store:
        hits = store.search(query, limit=limit)
    if fmt == ListFormat.json:
        rows = [h.to_json() for h in hits]
        write_output(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", None)
        return
    out = [f"{len(hits)} matches", ""]
    for h in hits:
        snippet = esc(h.snippet).replace(MARK_START, "**").replace(MARK_END, "**")
        out.append(
            f"- {esc(h.title or '(untitled)')} ({esc(h.outlet)}; story `{h.story}`, article `{h.article}`)"
        )
        out.append(f"  {snippet}")
    write_output("\n".join(out) + "\n", None)


def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (loopback unless you say otherwise).")
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token", help="Token for POST /articles (default: $SYNOPTIC_TOKEN; none: writes off)."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web pages."""
    import uvicorn

    from synoptic.server import create_app

    settings = Settings()
    path = _db(db)
    app = create_app(path, settings, token if token is not None else os.environ.get("SYNOPTIC_TOKEN"))
    print(f"synoptic: serving {path} on http://{host}:{port}/", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
