"""Progress reporting on stderr for long runs (results go to stdout or files).

A run is a sequence of *phases* (reading, copies, stories, dossiers); each has a count done and,
when known, a total. The stages report to a :class:`Progress`; the CLI picks
:class:`RichProgress` (a live bar per phase with the total and an ETA, from rich, which typer
already brings) when stderr is a terminal, and :class:`NullProgress` otherwise or with
``--quiet``: a log file or CI output gets no progress lines (``-v`` logs each phase instead).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichBars
    from rich.progress import TaskID


class Progress(Protocol):
    def phase(self, name: str, total: int | None = None) -> None:
        """Start a phase (the previous one is complete); ``total`` None: not known ahead."""
        ...

    def update(self, done: int, total: int | None = None, what: str = "") -> None:
        """``done`` items of the current phase (of ``total``, when it is now known), ``what`` they are."""
        ...

    def finish(self) -> None:
        """The run is over: complete the current phase and stop drawing."""
        ...


class NullProgress:
    def phase(self, name: str, total: int | None = None) -> None:
        return None

    def update(self, done: int, total: int | None = None, what: str = "") -> None:
        return None

    def finish(self) -> None:
        return None


class RichProgress:
    """One line per phase on ``stream`` (stderr): spinner, name, bar, done/total, what, elapsed
    time and the time remaining (once the total is known). Lines stay when the run ends, as a
    record of where the time went."""

    def __init__(self, label: str, *, stream: TextIO | None = None) -> None:
        # rich is imported only when a bar is drawn: `synoptic --help` and pipes do not pay for it
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bars

        console = Console(file=stream if stream is not None else sys.stderr)
        self._bars: RichBars = Bars(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[what]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            # results may be going to stdout while the bar is drawn (ingest -v): never capture them
            redirect_stdout=False,
        )
        self._label = label
        """The phase of a caller that reports counts without naming phases (``eval``)."""
        self._task: TaskID | None = None
        self._done = 0
        self._started = False

    def phase(self, name: str, total: int | None = None) -> None:
        if not self._started:
            self._bars.start()
            self._started = True
        self._complete()
        self._done = 0
        self._task = self._bars.add_task(name, total=total, what="")

    def update(self, done: int, total: int | None = None, what: str = "") -> None:
        if self._task is None:
            self.phase(self._label, total)
        assert self._task is not None
        self._done = done
        if total is not None:
            self._bars.update(self._task, completed=done, total=total, what=what)
        else:
            self._bars.update(self._task, completed=done, what=what)

    def _complete(self) -> None:
        """Mark the current phase done (a phase without a total gets its count as total)."""
        if self._task is None:
            return
        task = next(t for t in self._bars.tasks if t.id == self._task)
        self._bars.update(self._task, total=task.total if task.total is not None else self._done)
        self._bars.update(self._task, completed=task.total)
        self._bars.stop_task(self._task)
        self._task = None

    def finish(self) -> None:
        if not self._started:
            return
        self._complete()
        self._bars.stop()
        self._started = False


def progress_on_stderr(label: str, *, quiet: bool) -> Progress:
    """A live bar when stderr is a terminal and not ``quiet``; nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return NullProgress()
    return RichProgress(label)
