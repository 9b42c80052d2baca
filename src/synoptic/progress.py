"""Progress reporting on stderr for long runs (results go to stdout or files)."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO


class Progress(Protocol):
    def update(self, done: int, total: int | None = None, what: str = "") -> None: ...

    def finish(self) -> None: ...


class NullProgress:
    def update(self, done: int, total: int | None = None, what: str = "") -> None:
        return None

    def finish(self) -> None:
        return None


class StderrProgress:
    """Prints ``label: done/total (rate/s)`` at most every ``interval`` seconds."""

    def __init__(self, label: str, *, stream: TextIO | None = None, interval: float = 1.0) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.started = time.monotonic()
        # first draw only after one interval: short runs print no progress at all
        self.last = time.monotonic()
        self.shown = False
        self.done = 0
        self.total: int | None = None
        self.what = ""

    def update(self, done: int, total: int | None = None, what: str = "") -> None:
        self.done, self.total, self.what = done, total, what
        now = time.monotonic()
        if now - self.last < self.interval and (total is None or done < total):
            return
        self.last = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        of = f"/{self.total}" if self.total is not None else ""
        suffix = f" {self.what}" if self.what else ""
        # \r + erase-to-end-of-line redraws in place on a terminal; a log file gets one line per draw
        end = "\x1b[K" if self.stream.isatty() else "\n"
        start = "\r" if self.stream.isatty() else ""
        self.stream.write(f"{start}{self.label}: {self.done}{of} ({self.done / elapsed:.1f}/s){suffix}{end}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        """Draw the final count once (only for runs long enough to have shown progress)."""
        if not self.shown:
            return
        self._draw(time.monotonic())
        if self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()
