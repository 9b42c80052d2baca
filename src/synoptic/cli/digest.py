"""``synoptic digest``: the main job."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from synoptic.cli.options import (
    ConfigOption,
    DaskOption,
    EmbedderChoice,
    OutletsOption,
    WorkersOption,
    check_output,
    print_outlet_notes,
    progress_for,
    settings_for,
    with_outlets,
    with_scale,
)
from synoptic.errors import UsageError, exit_code_for

if TYPE_CHECKING:
    from synoptic.records import Digest, DigestStream


class DigestFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


TABLE_FOLDERS = (DigestFormat.csv, DigestFormat.parquet)
"""Formats written as one file per table into the folder given with ``-o``."""


def digest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for standard input.")],
    fmt: Annotated[
        DigestFormat,
        typer.Option(
            "--format",
            "-f",
            help="md, json, html: the report; csv, jsonl, parquet: stories, articles, claims, quotes "
            "and timeline as tables (csv and parquet: one file per table in the folder given with -o).",
        ),
    ] = DigestFormat.md,
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE instead of stdout (csv, parquet: a folder)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")] = False,
    config: ConfigOption = None,
    max_bytes: Annotated[
        int | None,
        typer.Option("--max-bytes", help="Largest single document read (JSONL/WARC: per record).", min=1),
    ] = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            help="Large runs: model-free hashing embeddings and no spaCy stage (dossiers without "
            "entities and quotes).",
        ),
    ] = False,
    embedder: Annotated[
        EmbedderChoice | None,
        typer.Option(
            "--embedder",
            help="Sentence embeddings: minilm (the default, best cross-check) or hashing (model-free, "
            "about 4x faster; entities and quotes kept, unlike --fast).",
        ),
    ] = None,
    outlets: OutletsOption = None,
) -> None:
    """Read articles, clean them, group them into stories and print one dossier per story.

    Progress (a bar per phase with an ETA) goes to stderr when it is a terminal, the result to
    stdout or -o. Exit codes: 0 all read, 3 some inputs skipped, 4 none read, 2 bad usage.

    Examples:

        synoptic digest examples/xi-moscow-2023 > report.md
        synoptic digest feeds/ pages/*.html crawl.warc.gz -f html -o report.html
        cat articles.jsonl | synoptic digest - -f json -o digest.json
        synoptic digest crawl/ --fast --workers 2 -f parquet -o tables/
        synoptic digest crawl/ --embedder hashing --workers 2 -f json -o digest.json
        synoptic digest examples/ --config synoptic.toml -f csv -o tables/
    """
    from synoptic.executors import make_executor
    from synoptic.pipeline import collect, digest_stream
    from synoptic.records import DigestStream

    if fmt in TABLE_FOLDERS and out is None:
        raise UsageError("E025", fmt.value)
    if fmt not in TABLE_FOLDERS:
        check_output(out)  # a bad -o is refused before the work, not after it
    if fmt == DigestFormat.parquet:  # before a long run, not after it
        from synoptic.render.tables import require_pyarrow

        require_pyarrow()
    settings = with_outlets(with_scale(settings_for(config), workers, dask), outlets)
    if max_bytes is not None:
        settings = settings.with_section(ingest=dataclasses.replace(settings.ingest, max_bytes=max_bytes))
    if embedder is not None:
        settings = settings.with_embedder(embedder.value)
    if fast:
        settings = settings.fast()
    settings = settings.validate()
    with make_executor(settings.scale) as executor:
        progress = progress_for("reading", quiet)
        stream = digest_stream(paths, settings, stdin=sys.stdin.buffer, progress=progress, executor=executor)
        # the JSON is written as the dossiers are built, each dropped once written (memory does
        # not grow with the number of stories); the other formats need every dossier at once
        result: Digest | DigestStream = stream
        if fmt != DigestFormat.json:
            result = collect(stream)
            progress.finish()
        report_inputs(result, quiet)
        write_digest(result, fmt, out)
        progress.finish()
    code = exit_code_for(len(result.articles), len(result.failures))
    if not quiet:
        stories = result.stories if isinstance(result, DigestStream) else len(result.dossiers)
        from synoptic.render.view import counted

        print(
            f"synoptic: {counted(len(result.articles), 'article')}, {counted(stories, 'story')}, "
            f"{counted(len(result.failures), 'input')} skipped"
            + (f", {result.repeats} identical to an earlier input (kept once)" if result.repeats else ""),
            file=sys.stderr,
        )
    raise typer.Exit(int(code))


def report_inputs(result: Digest | DigestStream, quiet: bool) -> None:
    """The skipped inputs and the outlet notes, on stderr (before the output is written)."""
    for failure in result.failures:
        print(f"synoptic: skipped {failure.message()}", file=sys.stderr)
    print_outlet_notes(result.articles, quiet)


def write_digest(result: Digest | DigestStream, fmt: DigestFormat, out: Path | None) -> None:
    """``result`` in format ``fmt`` to ``out`` (stdout when None; a folder for csv/parquet); a
    :class:`DigestStream` only as JSON."""
    from synoptic.cli.options import write_output
    from synoptic.records import DigestStream
    from synoptic.render import iter_json, render_html, render_markdown, tables

    if isinstance(result, DigestStream):
        assert fmt == DigestFormat.json, "only the JSON is written as the dossiers come"
        write_output(iter_json(result), out)
        return

    if fmt in TABLE_FOLDERS:
        assert out is not None  # checked before the run
        writer = tables.write_csv if fmt == DigestFormat.csv else tables.write_parquet
        writer(result, out)
        return
    renderers: dict[DigestFormat, Callable[[Digest], str | Iterable[str]]] = {
        DigestFormat.md: render_markdown,
        DigestFormat.json: iter_json,  # written record by record: a large digest's peak memory
        DigestFormat.html: render_html,
        DigestFormat.jsonl: tables.iter_jsonl,
    }
    write_output(renderers[fmt](result), out)
