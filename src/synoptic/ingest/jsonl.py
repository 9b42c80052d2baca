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
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.ingest import html as html_reader
from synoptic.ingest.pending import PendingRecord
from synoptic.ingest.text import paragraphs
from synoptic.records import Article, IngestFailure

FIELDS = ("text", "title", "url", "outlet", "published", "id", "author", "authors", "language")
OUTLET_FIELDS = ("outlet", "source", "site_name", "publisher")
"""Where a record may name its outlet, first found wins."""


def _failure(source: str, line: int, detail: str, *, unit: str = "line") -> IngestFailure:
    err = InputError("E009", f"{unit} {line}: {detail}", subject=f"{source}#{line}")
    return IngestFailure(source=f"{source}#{line}", reason=err.reason, hint=err.hint, code=err.code)


failure = _failure


def record_to_article(source: str, line: int, obj: object) -> Article:
    """One decoded JSON value to an article; raises ``ValueError`` with the reason when unusable."""
    if not isinstance(obj, Mapping):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(
            '"text" is not a string'
            if text is not None and not isinstance(text, str)
            else 'no non-empty "text" field'
        )
    for key in ("title", "url", "outlet", "id", "language"):
        if obj.get(key) is not None and not isinstance(obj[key], str | int):
            raise ValueError(f'"{key}" must be a string')
    title = str(obj["title"]).strip() or None if obj.get("title") is not None else None
    record_id = str(obj["id"]).strip() if obj.get("id") not in (None, "") else None
    authors = _authors(obj.get("authors", obj.get("author")))
    language = obj.get("language")
    return html_reader.build_article(
        f"{source}#{record_id}" if record_id else f"{source}#{line}",
        paragraphs(text),
        title=title,
        origin="input",
        authors=authors,
        url=str(obj["url"]) if obj.get("url") else None,
        date=obj.get("published"),
        outlet=_outlet(obj),
        language=str(language) if language else None,
        input_format="jsonl",
    )


def _outlet(obj: Mapping[str, object]) -> str | None:
    """The outlet a record names, from the first of :data:`OUTLET_FIELDS` that holds a name
    (``publisher`` may be schema.org's ``{"name": ...}``)."""
    for key in OUTLET_FIELDS:
        value = obj.get(key)
        if isinstance(value, Mapping):
            value = value.get("name")
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(a.strip() for a in value.split(";") if a.strip())
    if isinstance(value, list):
        return tuple(str(a).strip() for a in value if str(a).strip())
    return ()


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
            yield _failure(source, line_no, f"longer than {settings.max_bytes} bytes, skipped")
            continue
        if not raw.strip():
            continue
        count += 1
        if count > settings.max_records:
            yield _failure(
                source, line_no, f"more than {settings.max_records} records; the rest was not read"
            )
            return
        try:
            obj = json.loads(raw.decode("utf-8-sig") if line_no == 1 else raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield _failure(source, line_no, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        except json.JSONDecodeError as exc:
            yield _failure(source, line_no, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if deferred:
            yield PendingRecord(source, line_no, obj)
            continue
        try:
            yield record_to_article(source, line_no, obj)
        except ValueError as exc:
            yield _failure(source, line_no, str(exc))


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
    if not isinstance(items, list):
        items = [items]
    for n, obj in enumerate(items[: settings.max_records], start=1):
        if deferred:
            yield PendingRecord(source, n, obj, unit="item")
            continue
        try:
            yield record_to_article(source, n, obj)
        except ValueError as exc:
            yield _failure(source, n, str(exc), unit="item")
