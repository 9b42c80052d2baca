"""The stored, incremental mode: ``ingest``, ``stories``, ``show``, ``search``, ``serve``.

Every command takes ``--db FILE``; without it the store is ``$SYNOPTIC_DB`` or ``./synoptic.db``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import threading
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from synoptic.cli.options import (
    ConfigOption,
    DaskOption,
    EmbedderChoice,
    OutletsOption,
    OutputFormat,
    WorkersOption,
    check_output,
    iso_option,
    progress_for,
    settings_for,
    with_outlets,
    with_scale,
    write_output,
)
from synoptic.errors import StoreError, exit_code_for

if TYPE_CHECKING:  # the store, records and renderers are imported inside the commands
    from synoptic.config import Settings
    from synoptic.records import Article, Digest, IngestFailure
    from synoptic.store.base import Store
    from synoptic.store.ingest import RegroupReport


class ListFormat(StrEnum):
    md = "md"
    json = "json"


DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default: $SYNOPTIC_DB, else ./synoptic.db).", show_default=False),
]


def _db(db: Path | None) -> str:
    from synoptic.store import default_db_path

    return str(db) if db is not None else default_db_path()


def _existing(db: Path | None, settings: Settings) -> Store:
    from synoptic.store import open_store

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
        EmbedderChoice | None,
        typer.Option("--regroup-embedder", help="Embedder for regrouping (hashing: fast on large stores)."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="One stdout line per article once it is committed.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")] = False,
    config: ConfigOption = None,
    outlets: OutletsOption = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
) -> None:
    """Store articles (each committed as it is read; the same article twice is stored once), then
    regroup stories and rebuild the dossiers of the stories that changed (on --workers
    processes or Dask when given).

    Examples:

        synoptic ingest examples/xi-moscow-2023 --db news.db
        synoptic ingest feeds/*.xml --db news.db --regroup-embedder hashing -v
        synoptic ingest today.jsonl --db news.db --workers 2
        cat new.jsonl | synoptic ingest - --db news.db
    """
    from synoptic.executors import make_executor
    from synoptic.outlets.notes import OutletTally
    from synoptic.store import ingest_articles, open_store
    from synoptic.store.ingest import read_clean_stream

    settings = with_outlets(with_scale(settings_for(config), workers, dask), outlets)
    if embedder is not None:
        settings = settings.with_section(
            store=dataclasses.replace(settings.store, regroup_embedder=embedder.value)
        )
    failures: list[IngestFailure] = []
    progress = progress_for("ingest", quiet)
    count = 0
    tally = OutletTally()  # for the outlet notes

    def failed(failure: IngestFailure) -> None:
        failures.append(failure)
        print(f"synoptic: skipped {failure.message()}", file=sys.stderr)

    def stored(article: Article, new: bool) -> None:
        nonlocal count
        count += 1
        tally.add(article)
        progress.update(count, what="articles stored")
        if verbose:
            print(f"{'added' if new else 'exists'}\t{article.id}\t{article.source}", flush=True)

    with open_store(_db(db), settings) as store, make_executor(settings.scale) as executor:
        stream = read_clean_stream(paths, settings, on_failure=failed, stdin=sys.stdin.buffer)
        report = ingest_articles(store, stream, settings, on_stored=stored, executor=executor)
        progress.finish()
        if not quiet:
            for note in tally.notes():
                print(f"synoptic: note: {note}", file=sys.stderr)
        if not quiet:
            regroup = report.regroup
            from synoptic.render.view import counted

            grouped = f"; {_regrouped(regroup)}" if regroup is not None else "; stories unchanged"
            print(
                f"synoptic: {counted(len(report.added), 'article')} added, {len(report.existing)} already "
                f"stored, {counted(len(failures), 'input')} skipped{grouped} -> {store_path(store)}",
                file=sys.stderr,
            )
    raise typer.Exit(int(exit_code_for(len(report.added) + len(report.existing), len(failures))))


def regroup(
    db: DbOption = None,
    embedder: Annotated[
        EmbedderChoice | None,
        typer.Option("--regroup-embedder", help="Embedder for regrouping (hashing: fast on large stores)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
    config: ConfigOption = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
) -> None:
    """Regroup every stored article from scratch (ingest only regroups the stories near what it
    adds) and rebuild the dossiers of the stories that changed; story ids stay as in ingest.

    Examples:

        synoptic regroup --db news.db
        synoptic regroup --db news.db --regroup-embedder hashing --workers 2
    """
    from synoptic.executors import make_executor
    from synoptic.store import regroup_store

    settings = with_scale(settings_for(config), workers, dask)
    if embedder is not None:
        settings = settings.with_section(
            store=dataclasses.replace(settings.store, regroup_embedder=embedder.value)
        )
    with _existing(db, settings) as store, make_executor(settings.scale) as executor:
        report = regroup_store(store, settings, force=True, executor=executor)
        if not quiet and report is not None:
            print(f"synoptic: {_regrouped(report)} -> {store_path(store)}", file=sys.stderr)


def _regrouped(report: RegroupReport) -> str:
    """ "1 story (1 new, 0 changed, 0 merged)": a regroup as the store commands report it."""
    from synoptic.render.view import counted

    changes = f"{len(report.new)} new, {len(report.changed)} changed, {len(report.merged)} merged"
    return f"{counted(report.stories, 'story')} ({changes})"


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
    config: ConfigOption = None,
) -> None:
    """List stored stories, most recent first.

    Examples:

        synoptic stories --db news.db
        synoptic stories --db news.db --since 2023-03-20 --query Putin -f json
    """
    from synoptic.records import to_json
    from synoptic.render.markdown import esc
    from synoptic.store import StoryQuery

    since, until = iso_option(since, "--since"), iso_option(until, "--until")
    settings = settings_for(config)
    with _existing(db, settings) as store:
        page = store.list_stories(
            StoryQuery(
                limit=limit,
                offset=offset,
                since=since,
                until=until,
                text=query,
            )
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
    config: ConfigOption = None,
) -> None:
    """Print one story's dossier (a merged story's old id shows the story it went into).

    Examples:

        synoptic show 3f2a9c1e --db news.db
        synoptic show 3f2a9c1e --db news.db -f html -o story.html
    """
    from synoptic.render import render_html, render_json, render_markdown

    check_output(out)
    settings = settings_for(config)
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
    from synoptic.records import Digest

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
    config: ConfigOption = None,
) -> None:
    """Full-text search over stored articles.

    Examples:

        synoptic search "lethal aid" --db news.db
        synoptic search Putin Xi --db news.db -f json --limit 100
    """
    from synoptic.render.markdown import esc
    from synoptic.store.base import MARK_END, MARK_START

    settings = settings_for(config)
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
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log", help="One stderr line per request (client, request, status)."
        ),
    ] = True,
    config: ConfigOption = None,
    outlets: OutletsOption = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs), the web pages and an Atom feed of the stories
    (/stories.atom). Logs each request on stderr (--no-access-log: none).

    Examples:

        synoptic serve --db news.db                       # http://127.0.0.1:8000/
        SYNOPTIC_TOKEN=secret synoptic serve --db news.db --port 8080
        synoptic -v serve --db news.db --no-access-log
    """
    import logging

    import uvicorn

    from synoptic.cli import logs
    from synoptic.server import create_app

    settings = with_outlets(settings_for(config), outlets)
    path = _db(db)
    app = create_app(path, settings, token if token is not None else os.environ.get("SYNOPTIC_TOKEN"))
    print(f"synoptic: serving {path} on http://{host}:{port}/", file=sys.stderr)
    # our handlers on uvicorn's loggers (log_config=None: uvicorn installs none of its own, whose
    # access log would go to stdout); the error log follows -v / --log-level
    logs.configure_access_log(logging.getLogger("synoptic").getEffectiveLevel(), access_log)
    grace = settings.server.shutdown_seconds
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        log_level=None,
        access_log=access_log,
        timeout_graceful_shutdown=grace,
    )

    busy = [t for t in threading.enumerate() if t is not threading.current_thread() and not t.daemon]
    if busy:
        # a request still computing in a worker thread would keep the process alive until it is
        # done (minutes); its uncommitted transaction is rolled back by SQLite, committed work stays
        print(
            f"synoptic: stopped; work still running after {grace} s was abandoned",
            file=sys.stderr,
        )
        sys.stderr.flush()
        os._exit(0)
