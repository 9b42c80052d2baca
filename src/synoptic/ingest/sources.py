"""Expansion of paths, directories, globs and ``-`` into items, and dispatch by format."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.ingest import text as text_reader
from synoptic.records import Article, IngestFailure


def expand_paths(paths: Sequence[str]) -> Iterator[str | InputError]:
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        if any(ch in raw for ch in "*?[") and not os.path.exists(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield InputError("E001", "glob matched nothing", subject=raw)
            for match in matches:
                yield from expand_paths([match])
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield str(child)
        elif path.exists():
            yield raw
        else:
            yield InputError("E001", subject=raw)


def read_inputs(
    paths: Sequence[str], settings: IngestSettings, *, stdin: BinaryIO | None = None
) -> Iterator[Article | IngestFailure]:
    for item in expand_paths(paths):
        if isinstance(item, InputError):
            yield _failure(item)
            continue
        try:
            if item == "-":
                if stdin is None:
                    raise InputError("E012", "no standard input", subject="-")
                data = stdin.read(settings.max_bytes + 1)
            else:
                with open(item, "rb") as fh:
                    data = fh.read(settings.max_bytes + 1)
            if len(data) > settings.max_bytes:
                raise InputError("E006", f"over {settings.max_bytes} bytes", subject=item)
            if not data.strip():
                raise InputError("E002", subject=item)
            yield from text_reader.read(item, data, settings)
        except InputError as err:
            yield _failure(err)
        except OSError as err:
            yield _failure(InputError("E012", err.strerror or str(err), subject=item))


def _failure(err: InputError) -> IngestFailure:
    return IngestFailure(source=err.subject or "?", reason=err.reason, hint=err.hint, code=err.code)
