"""Log lines on stderr with the standard :mod:`logging` module (``-v``, ``-vv``, ``--log-level``).

Only the ``synoptic`` loggers (and uvicorn's, for ``serve``) are configured: a library that
imports Synoptic keeps its own logging, and other packages' info lines stay out of the way.
Warnings show by default; ``-v`` adds each phase with its counts and time, ``-vv`` debug.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from typing import TextIO


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


def chosen_level(verbose: int, level: LogLevel | None) -> int:
    """``--log-level`` when given, else from the count of ``-v`` (0: warnings, 1: info, 2+: debug)."""
    if level is not None:
        return int(logging.getLevelName(level.value.upper()))
    return logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1 else logging.WARNING


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time of each record, so a live progress bar
    (which wraps stderr while it is drawn) prints log lines above itself instead of through it."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        return None


def configure(level: int) -> None:
    """Send the ``synoptic`` loggers' records at ``level`` and above to stderr (replacing the
    handler an earlier call installed: ``main`` may run several times in one process)."""
    install(logging.getLogger("synoptic"), level, "synoptic: %(levelname)s: %(message)s")


def configure_access_log(level: int, enabled: bool) -> None:
    """uvicorn's access log (one line per request: client, request line, status) and its error
    log on stderr; the error log follows ``level``."""
    install(logging.getLogger("uvicorn.error"), level, "synoptic: %(levelname)s: %(message)s")
    access = logging.getLogger("uvicorn.access")
    install(access, logging.INFO if enabled else logging.CRITICAL + 1, "%(asctime)s %(message)s")


def install(logger: logging.Logger, level: int, fmt: str) -> None:
    for old in [h for h in logger.handlers if isinstance(h, StderrHandler)]:
        logger.removeHandler(old)
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter(fmt))
    logger.addHandler(handler)
    logger.setLevel(level)
