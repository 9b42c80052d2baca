"""Options shared across commands."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from synoptic.config import ScaleSettings
from synoptic.progress import NullProgress, Progress, StderrProgress

WORKERS_HELP = "Worker processes for parsing, cleaning and per-article work (1: this process only)."
DASK_HELP = (
    "Run on Dask: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster "
    "of --workers processes."
)


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
