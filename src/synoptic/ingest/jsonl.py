"""JSONL: one article per line, ``{"text": ..., "title"?, "url"?, "outlet"?, "published"?, "id"?}``.

Fields (README lists them for users): ``text`` (required), ``title``, ``url``, ``outlet`` (also
read from ``source``, ``site_name`` or ``publisher``, the names other tools write; a name, or a
domain that the outlet tables name), ``published``, ``id``, ``author``/``authors``, ``language``.

Read as a stream, line by line, so a file of any size is fine (each line is bounded by the
ingest ``max_bytes``). A broken line is its own failure (with its line number); the other lines
are read. A ``.json`` file holding one JSON array of such objects is read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.ingest.pending import PendingRecord
from synoptic.ingest.record import FIELDS, OUTLET_FIELDS, failure, record_to_article
from synoptic.records import Article, IngestFailure

__all__ = ["FIELDS", "OUTLET_FIELDS", "failure", "read", "record_to_article"]


def read(
    source: str, stream: BinaryIO, settings: IngestSettings, *, whole: bool = False, deferred: bool = False
) -> Iterator[Article | IngestFailure | PendingRecord]:
    """Articles and per-line failures from a JSONL stream; ``whole``: one JSON document
    (an array of objects, or one object) instead of one object per line; ``deferred``: decoded
    records come as :class:`PendingRecord` (see :mod:`synoptic.ingest.pending`)."""
    if whole:
        yield from _read_whole(source, stream, settings, deferred=deferred)
        return
    count = 0
    for line_no, raw in enumerate(_lines(stream, settings.max_bytes), start=1):
        if raw is None:
            yield failure(source, line_no, f"longer than {settings.max_bytes} bytes, skipped")
            continue
        if not raw.strip():
            continue
        count += 1
        if count > settings.max_records:
            yield failure(source, line_no, f"more than {settings.max_records} records; the rest was not read")
            return
        try:
            obj = json.loads(raw.decode("utf-8-sig") if line_no == 1 else raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield failure(source, line_no, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        except json.JSONDecodeError as exc:
            yield failure(source, line_no, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield failure(source, line_no, "JSON nested too deeply (an article is one flat object)")
            continue
        if deferred:
            yield PendingRecord(source, line_no, obj)
            continue
        try:
            yield record_to_article(source, line_no, obj)
        except ValueError as exc:
            yield failure(source, line_no, str(exc))


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Lines of at most ``limit`` bytes; a longer line is skipped (``None``) without holding it."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the overlong line
                more = stream.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def _read_whole(
    source: str, stream: BinaryIO, settings: IngestSettings, *, deferred: bool = False
) -> Iterator[Article | IngestFailure | PendingRecord]:
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise InputError("E006", f"a JSON array over {settings.max_bytes} bytes; use JSONL", subject=source)
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("E009", f"not valid JSON ({exc})", subject=source) from exc
    except RecursionError as exc:
        raise InputError("E009", "JSON nested too deeply", subject=source) from exc
    if not isinstance(items, list):
        items = [items]
    for n, obj in enumerate(items[: settings.max_records], start=1):
        if deferred:
            yield PendingRecord(source, n, obj, unit="item")
            continue
        try:
            yield record_to_article(source, n, obj)
        except ValueError as exc:
            yield failure(source, n, str(exc), unit="item")
