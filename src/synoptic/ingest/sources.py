"""Expansion of paths, directories, globs and ``-`` into items, and dispatch by sniffed format.

For each item: open it, look at its first bytes, decompress gzip on the fly (streaming), refuse
binary content, sniff the format, then

- WARC and JSONL are *streamed* to their readers (any size; one record in memory at a time);
- text, HTML and feeds are read whole, up to ``IngestSettings.max_bytes`` (bigger is refused
  before reading when the size is known, so a huge file costs nothing), decoded and parsed.

A ``metadata.csv`` beside the files gives what a file cannot say (outlet, URL, date; see
:mod:`~synoptic.ingest.manifest`); it is applied to the articles of the files it names.

A truncated gzip keeps what could be decompressed and adds an ``E005`` failure. Any problem
with one item becomes an :class:`IngestFailure` (one line: which item, what is wrong, what to
do); the other items go on.
"""

from __future__ import annotations

import dataclasses
import glob
import gzip
import io
import os
import typing
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.ingest import feed as feed_reader
from synoptic.ingest import html as html_reader
from synoptic.ingest import jsonl as jsonl_reader
from synoptic.ingest import text as text_reader
from synoptic.ingest import warc as warc_reader
from synoptic.ingest.manifest import Manifest, ManifestRow, apply_row, is_manifest, read_manifest
from synoptic.ingest.pending import Pending, PendingPage
from synoptic.ingest.sniff import HEAD_BYTES, binary_reason, decode, is_gzip, is_warc, sniff_format
from synoptic.records import Article, IngestFailure

_CORRUPT = (EOFError, gzip.BadGzipFile, zlib.error)
"""What a truncated or damaged gzip stream raises while being read."""


def expand_paths(paths: Sequence[str]) -> Iterator[str | InputError]:
    """Each given path as files: ``-`` as is, directories recursively (hidden files skipped,
    sorted), globs expanded (``**`` recurses); a path that matches nothing is an ``E001``."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        if any(ch in raw for ch in "*?[") and not os.path.exists(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield InputError("E001", subject=raw)
            for match in matches:
                yield from expand_paths([match])
            continue
        path = Path(raw)
        if path.is_dir():
            children = (
                p
                for p in path.rglob("*")
                if not any(part.startswith(".") for part in p.parts[len(path.parts) :])
            )
            for child in sorted(p for p in children if p.is_file()):
                yield str(child)
        elif path.exists():
            yield raw
        else:
            yield InputError("E001", subject=raw)


@typing.overload
def read_inputs(
    paths: Sequence[str],
    settings: IngestSettings,
    *,
    stdin: BinaryIO | None = None,
    deferred: typing.Literal[False] = False,
) -> Iterator[Article | IngestFailure]: ...


@typing.overload
def read_inputs(
    paths: Sequence[str], settings: IngestSettings, *, stdin: BinaryIO | None = None, deferred: bool
) -> Iterator[Article | IngestFailure | Pending]: ...


def read_inputs(
    paths: Sequence[str], settings: IngestSettings, *, stdin: BinaryIO | None = None, deferred: bool = False
) -> Iterator[Article | IngestFailure | Pending]:
    """Articles and failures for every item of ``paths`` (``-`` reads ``stdin``), in order.

    ``deferred``: HTML pages (files and WARC records) and JSONL records come unparsed, as
    :mod:`~synoptic.ingest.pending` items that ``resolve`` turns into what would have come
    here, so the costly part can run in parallel (see :func:`synoptic.pipeline.read_and_clean`)."""
    manifests: dict[str, Manifest | None] = {}  # by directory, read once per call
    for item in expand_paths(paths):
        if isinstance(item, InputError):
            yield _failure(item)
            continue
        row: ManifestRow | None = None
        if item != "-":
            directory = os.path.dirname(item) or "."
            if directory not in manifests:
                manifests[directory] = found = read_manifest(directory)
                if found is not None:
                    yield from found.failures
            if is_manifest(item):
                continue  # what it says goes to the files it names; it is not an article
            manifest = manifests[directory]
            row = manifest.rows.get(os.path.basename(item)) if manifest is not None else None
        for got in read_item(item, settings, stdin=stdin, deferred=deferred):
            if row is not None and isinstance(got, Article):
                got = apply_row(got, row)
            elif row is not None and isinstance(got, PendingPage):
                got = dataclasses.replace(got, manifest=row)
            yield got


def read_item(
    name: str, settings: IngestSettings, *, stdin: BinaryIO | None = None, deferred: bool = False
) -> Iterator[Article | IngestFailure | Pending]:
    """Articles and failures of one file (or ``-``); never raises for bad input."""
    try:
        if name == "-":
            if stdin is None:
                raise InputError("E012", "no standard input", subject="-")
            yield from _read_stream(name, stdin, settings, size=None, deferred=deferred)
            return
        if not os.path.isfile(name):
            raise InputError("E012", "not a regular file", subject=name)
        with open(name, "rb") as fh:
            yield from _read_stream(name, fh, settings, size=os.fstat(fh.fileno()).st_size, deferred=deferred)
    except InputError as err:
        yield _failure(err)
    except OSError as err:
        yield _failure(InputError("E012", err.strerror or str(err), subject=name))
    except MemoryError:
        yield _failure(InputError("E006", "not enough memory to read it", subject=name))
    except Exception as exc:  # a bug in a parser on strange input: report it, go on with the rest
        if os.environ.get("SYNOPTIC_DEBUG"):
            raise
        yield _failure(InputError("E014", f"{type(exc).__name__}: {str(exc)[:100]}", subject=name))


class _Prefixed(io.RawIOBase):
    """A stream that first gives back ``head`` (already read) and then the rest of ``rest``."""

    def __init__(self, head: bytes, rest: BinaryIO, *, limit: int | None = None, name: str = "") -> None:
        self._head = memoryview(head)
        self._read = getattr(rest, "read1", rest.read)  # read1: no data lost if a later read fails
        self._left = limit
        self._limit = limit
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._read(len(buffer))
        n = len(data)
        if self._left is not None:
            self._left -= n
            if self._left < 0:
                raise InputError(
                    "E006",
                    f"over {_mb(self._limit or 0)} once decompressed; the records before were kept",
                    subject=self._name,
                )
        buffer[:n] = data
        return n


def _read_stream(
    name: str, raw: BinaryIO, settings: IngestSettings, *, size: int | None, deferred: bool = False
) -> Iterator[Article | IngestFailure | Pending]:
    head = raw.read(HEAD_BYTES)
    body: BinaryIO = raw  # the content after ``head``
    truncated: InputError | None = None
    compressed = is_gzip(head)
    if compressed:
        gz = typing.cast(BinaryIO, gzip.GzipFile(fileobj=io.BufferedReader(_Prefixed(head, raw)), mode="rb"))
        head, truncated = _read_upto(name, gz, b"", HEAD_BYTES)
        if truncated is not None and not head:
            raise truncated
        body = io.BytesIO(b"") if truncated is not None else gz
    if not head.strip():
        raise InputError("E002", subject=name)
    if not is_warc(head):
        reason = binary_reason(head)
        if reason:
            raise InputError("E003", reason, subject=name)
    fmt = sniff_format(head, name)
    if fmt in ("warc", "jsonl"):
        stream = io.BufferedReader(
            _Prefixed(head, body, limit=settings.max_stream_bytes, name=name), buffer_size=1 << 16
        )
        try:
            if fmt == "warc":
                yield from warc_reader.read(name, stream, settings, deferred=deferred)
            else:
                whole = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[") or name.lower().removesuffix(
                    ".gz"
                ).endswith(".json")
                yield from jsonl_reader.read(name, stream, settings, whole=whole, deferred=deferred)
        except _CORRUPT as exc:
            raise InputError("E005", str(exc), subject=name) from exc
        if truncated is not None:
            yield _failure(truncated)
        return
    if not compressed and size is not None and size > settings.max_bytes:
        raise InputError(
            "E006", f"{_mb(size)}, over the {_mb(settings.max_bytes)} limit for a {fmt} file", subject=name
        )
    data = head
    if truncated is None and len(head) >= HEAD_BYTES:
        data, truncated = _read_upto(name, body, head, settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise InputError("E006", f"over the {_mb(settings.max_bytes)} limit for a {fmt} file", subject=name)
    if truncated is not None:
        yield _failure(truncated)
    if not data.strip():
        return
    if fmt == "html":
        if deferred:
            yield PendingPage(name, data, partial=truncated is not None)
        else:
            yield html_reader.read(name, data, partial=truncated is not None)
    elif fmt == "feed":
        yield from feed_reader.read(name, data, settings)
    else:
        yield from text_reader.read(name, decode(data, name, partial=truncated is not None))


def _read_upto(name: str, body: BinaryIO, start: bytes, limit: int) -> tuple[bytes, InputError | None]:
    """``start`` plus what ``body`` gives, up to ``limit`` bytes in all. A corrupt or truncated
    gzip stream keeps what was decompressed before the damage (``read1`` hands it over chunk by
    chunk, so nothing decompressed is lost with the exception)."""
    chunks = [start]
    total = len(start)
    read1 = getattr(body, "read1", body.read)
    try:
        while total < limit:
            chunk = read1(min(1 << 16, limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except _CORRUPT as exc:
        return b"".join(chunks), InputError("E005", f"{exc}; {_mb(total)} read", subject=name)
    return b"".join(chunks), None


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _failure(err: InputError) -> IngestFailure:
    return IngestFailure(source=err.subject or "?", reason=err.reason, hint=err.hint, code=err.code)
