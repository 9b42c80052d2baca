"""Options shared across commands."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

from synoptic.progress import NullProgress, Progress, StderrProgress


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
