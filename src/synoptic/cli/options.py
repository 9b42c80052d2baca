"""Options shared across commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from synoptic.config import ScaleSettings
from synoptic.errors import OutputError, UsageError
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


def check_output(out: Path | None, option: str = "-o") -> None:
    """Refuse an output path that cannot be written *before* the work starts (E021, exit 2): a
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
        raise UsageError("E021", f"{option} {str(out)!r}: {problem}")


def write_output(text: str | Iterable[str], out: Path | None) -> None:
    """``text`` (or its pieces, written as they come) to ``out``, or to stdout when None.

    A failed write (disk full, ``> /dev/full``, a closed pipe) is an :class:`OutputError`
    (E021, exit 4), not a crash."""
    pieces = [text] if isinstance(text, str) else text
    try:
        if out is None:
            for piece in pieces:
                sys.stdout.write(piece)
            sys.stdout.flush()
        else:
            with out.open("w", encoding="utf-8") as fh:
                for piece in pieces:
                    fh.write(piece)
    except OSError as exc:
        if out is None:
            _discard_stdout()
        where = "standard output" if out is None else repr(str(out))
        raise OutputError("E021", f"{where}: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush of what could not be written
    does not fail a second time on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def scale_settings(workers: int, dask: str | None) -> ScaleSettings:
    """``--workers``/``--dask`` as settings (``--dask local`` alone means two workers)."""
    if dask == "local" and workers == 1:
        workers = 2
    return ScaleSettings(workers=workers, dask=dask)


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
