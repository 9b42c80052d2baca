"""Options shared across commands."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from synoptic.config import OutletSettings, Settings
from synoptic.errors import OutputError, UsageError
from synoptic.outlets import outlet_notes
from synoptic.progress import Progress, progress_on_stderr
from synoptic.records import Article

WORKERS_HELP = "Worker processes for parsing, cleaning and per-article work (1: this process only)."
DASK_HELP = (
    "Run on Dask: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster "
    "of --workers processes."
)
WorkersOption = Annotated[
    int | None, typer.Option("--workers", "-w", help=WORKERS_HELP + " Default: 1.", min=1)
]
DaskOption = Annotated[str | None, typer.Option("--dask", help=DASK_HELP, metavar="ADDRESS|local")]


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
    """``settings`` with the user's outlets CSV read in (a bad file stops the command: E027)."""
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


class EmbedderChoice(StrEnum):
    """The sentence embedder of a run (``[nlp] embedder``)."""

    minilm = "minilm"
    hashing = "hashing"


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


def check_output(out: Path | None, option: str = "-o") -> None:
    """Refuse an output path that cannot be written *before* the work starts (E026, exit 2): a
    missing folder, a folder, a file or folder without write permission."""
    if out is None or str(out) == "-":
        return
    folder = out.parent if str(out.parent) else Path(".")
    problem = None
    if out.is_dir():
        problem = "it is a folder"
    elif not folder.is_dir():
        problem = f"folder {str(folder)!r} does not exist"
    elif out.exists() and not os.access(out, os.W_OK):
        problem = "the file is not writable"
    elif not out.exists() and not os.access(folder, os.W_OK | os.X_OK):
        problem = f"folder {str(folder)!r} is not writable"
    if problem:
        raise UsageError("E026", f"{option} {str(out)!r}: {problem}")


def write_output(text: str | Iterable[str], out: Path | None) -> None:
    """``text`` (or its pieces, written as they come) to ``out``, or to stdout when None.

    A failed write (disk full, ``> /dev/full``, a closed pipe) is an :class:`OutputError`
    (E026, exit 4), not a crash."""
    pieces = [text] if isinstance(text, str) else text
    try:
        if out is None:
            for piece in pieces:
                sys.stdout.write(piece)
            sys.stdout.flush()
        else:
            # pieces may come over a long run (a streamed digest): the file appears whole, or
            # not at all, and a run that fails midway leaves an earlier file as it was
            partial = out.with_name(out.name + ".partial")
            try:
                with partial.open("w", encoding="utf-8") as fh:
                    for piece in pieces:
                        fh.write(piece)
                os.replace(partial, out)
            finally:
                partial.unlink(missing_ok=True)
    except OSError as exc:
        if out is None:
            _discard_stdout()
        where = "standard output" if out is None else repr(str(out))
        raise OutputError("E026", f"{where}: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush of what could not be written
    does not fail a second time on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


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


def iso_option(value: str | None, option: str) -> str | None:
    """``value`` when it is an ISO date (2023-03-20) or datetime; a UsageError (exit 2) otherwise,
    as the API answers 422 (a mistyped date must not list nothing without a word)."""
    import datetime as dt

    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            "E020", f"{option} must be an ISO date (2023-03-20) or datetime, got {value!r}"
        ) from None
    return value
