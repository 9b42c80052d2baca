"""Input items read but not yet parsed, so the costly part can run elsewhere.

Reading a stream (decompressing, splitting a WARC into records, a JSONL file into lines) is
sequential and cheap; extracting an HTML page (trafilatura) or building an article from a
JSON record (dates, URL, outlet) is the costly, independent part. With ``deferred=True``
:func:`synoptic.ingest.read_inputs` yields a :class:`PendingPage` / :class:`PendingRecord`
for each such item, in order; :func:`resolve` turns one into its article or failure, in the
same process or in a worker (both records are small and picklable). Resolving every pending
item in order gives exactly what the non-deferred reader gives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from synoptic.errors import InputError
from synoptic.ingest import html as html_reader
from synoptic.ingest import record as record_reader
from synoptic.ingest.manifest import ManifestRow, apply_row
from synoptic.records import Article, IngestFailure


@dataclass(frozen=True, slots=True)
class PendingPage:
    """An HTML page (a file or a WARC record) whose text is still to be extracted."""

    source: str
    payload: bytes
    url: str | None = None
    charset: str | None = None
    fallback_date: str | None = None
    input_format: str = "html"
    partial: bool = False
    manifest: ManifestRow | None = None
    """What the directory's ``metadata.csv`` says about the file, applied once it is read."""


@dataclass(frozen=True, slots=True)
class PendingRecord:
    """One decoded JSONL/JSON record still to be turned into an article."""

    source: str
    line: int
    obj: object
    unit: str = "line"


Pending = PendingPage | PendingRecord


def _failure(err: InputError) -> IngestFailure:
    return IngestFailure(source=err.subject or "?", reason=err.reason, hint=err.hint, code=err.code)


def resolve(item: Pending) -> Article | IngestFailure:
    """The article (or failure) of one pending item; never raises for bad input."""
    try:
        if isinstance(item, PendingPage):
            page = html_reader.read(
                item.source,
                item.payload,
                url=item.url,
                charset=item.charset,
                fallback_date=item.fallback_date,
                input_format=item.input_format,
                partial=item.partial,
            )
            return apply_row(page, item.manifest) if item.manifest is not None else page
        try:
            return record_reader.record_to_article(item.source, item.line, item.obj)
        except ValueError as exc:
            return record_reader.failure(item.source, item.line, str(exc), unit=item.unit)
    except InputError as err:
        return _failure(err)
    except MemoryError:
        return _failure(InputError("E006", "not enough memory to read it", subject=item.source))
    except Exception as exc:  # a parser bug on strange input: this item fails, the others go on
        if os.environ.get("SYNOPTIC_DEBUG"):
            raise
        return _failure(InputError("E014", f"{type(exc).__name__}: {str(exc)[:100]}", subject=item.source))
