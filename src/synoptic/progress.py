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
        self.last = 0.0
        self.shown = False
        self.done = 0

    def update(self, done: int, total: int | None = None, what: str = "") -> None:
        self.done = done
        now = time.monotonic()
        if now - self.last < self.interval and (total is None or done < total):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        of = f"/{total}" if total is not None else ""
        suffix = f" {what}" if what else ""
        self.stream.write(f"\r{self.label}: {done}{of} ({done / elapsed:.1f}/s){suffix}\x1b[K")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
