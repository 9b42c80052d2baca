"""``synoptic digest``: the main job."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated

import typer

from synoptic.cli.options import (
    DASK_HELP,
    WORKERS_HELP,
    OutletsOption,
    OutputFormat,
    print_outlet_notes,
    progress_for,
    scale_settings,
    with_outlets,
    write_output,
)
from synoptic.config import IngestSettings, Settings
from synoptic.errors import exit_code_for
from synoptic.executors import make_executor
from synoptic.pipeline import digest as run_digest
from synoptic.records import Digest
from synoptic.render import iter_json, render_html, render_markdown


def digest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for standard input.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.md,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    max_bytes: Annotated[
        int | None,
        typer.Option("--max-bytes", help="Largest single document read (JSONL/WARC: per record).", min=1),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", help=WORKERS_HELP, min=1)] = 1,
    dask: Annotated[str | None, typer.Option("--dask", help=DASK_HELP, metavar="ADDRESS|local")] = None,
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            help="Large runs: model-free hashing embeddings and no spaCy stage (dossiers without "
            "entities and quotes).",
        ),
    ] = False,
    outlets: OutletsOption = None,
) -> None:
    """Read articles, clean them, group them into stories and print one dossier per story."""
    settings = with_outlets(Settings().with_section(scale=scale_settings(workers, dask)), outlets)
    if max_bytes is not None:
        settings = settings.with_section(ingest=IngestSettings(max_bytes=max_bytes))
    if fast:
        settings = settings.fast()
    settings = settings.validate()
    with make_executor(settings.scale) as executor:
        progress = progress_for("reading", quiet)
        result = run_digest(paths, settings, stdin=sys.stdin.buffer, progress=progress, executor=executor)
    for failure in result.failures:
        print(f"synoptic: skipped {failure.message()}", file=sys.stderr)
    print_outlet_notes(result.articles, quiet)
    renderers: dict[OutputFormat, Callable[[Digest], str | Iterable[str]]] = {
        OutputFormat.md: render_markdown,
        OutputFormat.json: iter_json,  # written record by record: a large digest's peak memory
        OutputFormat.html: render_html,
    }
    write_output(renderers[fmt](result), out)
    code = exit_code_for(len(result.articles), len(result.failures))
    if not quiet:
        print(
            f"synoptic: {len(result.articles)} articles, {len(result.dossiers)} stories, "
            f"{len(result.failures)} inputs skipped"
            + (f", {result.repeats} identical to an earlier input (kept once)" if result.repeats else ""),
            file=sys.stderr,
        )
    raise typer.Exit(int(code))
