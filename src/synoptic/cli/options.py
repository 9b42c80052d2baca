"""Options shared across commands."""

from __future__ import annotations

import sys
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


def write_output(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.write_text(text, encoding="utf-8")


def scale_settings(workers: int, dask: str | None) -> ScaleSettings:
    """``--workers``/``--dask`` as settings (``--dask local`` alone means two workers)."""
    if dask == "local" and workers == 1:
        workers = 2
    return ScaleSettings(workers=workers, dask=dask)
