"""Options shared across commands."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from synoptic.config import OutletSettings, ScaleSettings, Settings
from synoptic.outlets import outlet_notes
from synoptic.progress import NullProgress, Progress, StderrProgress
from synoptic.records import Article

WORKERS_HELP = "Worker processes for parsing, cleaning and per-article work (1: this process only)."
DASK_HELP = (
    "Run on Dask: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster "
    "of --workers processes."
)


OutletsOption = Annotated[
    Path | None,
    typer.Option(
        "--outlets",
        metavar="FILE",
        help="CSV of your outlets ('domain,name' header, e.g. 'livemint.com,Mint'): extends the shipped "
        "table of news domains and wins over it and over the pages' own site names.",
    ),
]


def with_outlets(settings: Settings, outlets: Path | None) -> Settings:
    """``settings`` with the user's outlets CSV read in (a bad file stops the command: E021)."""
    if outlets is None:
        return settings
    return settings.with_section(outlets=OutletSettings.from_csv(outlets))


def print_outlet_notes(articles: Iterable[Article], quiet: bool) -> None:
    """Once per input whose articles all have one outlet or none: what that means, and the fix."""
    if quiet:
        return
    for note in outlet_notes(articles):
        print(f"synoptic: note: {note}", file=sys.stderr)


class OutputFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


def progress_for(label: str, quiet: bool) -> Progress:
    """Progress on stderr unless quiet (or stderr is not a terminal and CI asked for silence)."""
    return NullProgress() if quiet else StderrProgress(label)


def write_output(text: str | Iterable[str], out: Path | None) -> None:
    """``text`` (or its pieces, written as they come) to ``out``, or to stdout when None."""
    pieces = [text] if isinstance(text, str) else text
    if out is None:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
    else:
        with out.open("w", encoding="utf-8") as fh:
            for piece in pieces:
                fh.write(piece)


def scale_settings(workers: int, dask: str | None) -> ScaleSettings:
    """``--workers``/``--dask`` as settings (``--dask local`` alone means two workers)."""
    if dask == "local" and workers == 1:
        workers = 2
    return ScaleSettings(workers=workers, dask=dask)
