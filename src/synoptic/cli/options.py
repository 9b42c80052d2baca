"""Options shared across commands."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from synoptic.config import Settings
from synoptic.progress import Progress, progress_on_stderr

WORKERS_HELP = "Worker processes for parsing, cleaning and per-article work (1: this process only)."
DASK_HELP = (
    "Run on Dask: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster "
    "of --workers processes."
)


class OutputFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="TOML settings file (default: $SYNOPTIC_CONFIG; `synoptic config` prints every setting).",
        show_default=False,
    ),
]


def settings_for(config: Path | None) -> Settings:
    """The settings of ``--config`` or ``$SYNOPTIC_CONFIG``, else the defaults (validated)."""
    from synoptic.configfile import load_settings

    return load_settings(config)


def progress_for(label: str, quiet: bool) -> Progress:
    """A live progress bar on stderr, unless ``quiet`` or stderr is not a terminal (a pipe, a
    log file, CI): then none."""
    return progress_on_stderr(label, quiet=quiet)


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


def with_scale(settings: Settings, workers: int | None, dask: str | None) -> Settings:
    """``settings`` with ``--workers``/``--dask`` where given (``--dask local`` alone means two
    workers); what is not given keeps the config file's value."""
    scale = settings.scale
    if dask is not None:
        scale = dataclasses.replace(scale, dask=dask)
    if workers is not None:
        scale = dataclasses.replace(scale, workers=workers)
    elif scale.dask == "local" and scale.workers == 1:
        scale = dataclasses.replace(scale, workers=2)
    return settings.with_section(scale=scale)
