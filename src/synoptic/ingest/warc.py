"""WARC and WARC.gz files (Common Crawl's CC-NEWS, wget/browsertrix crawls), and the older ARC format
(read by warcio as WARC): HTML responses.

The file is streamed record by record with warcio, so its size does not matter; only one
record's payload (at most ``max_bytes``) is in memory at a time. Kept: ``response`` records
with an HTTP 200 (or no status) whose Content-Type is HTML, and ``resource`` records of type
HTML. Each becomes an article through the HTML reader, with ``WARC-Target-URI`` as the URL
(unless the page names a canonical one) and ``WARC-Date`` (the crawl time) as the date of
last resort. Records are named ``path#N``, N counting every record of the file from 1.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.ingest.pending import PendingPage, resolve
from synoptic.records import Article, IngestFailure

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _content_type(record: Any) -> tuple[str, str | None]:
    """``(mime type, charset)`` of a record's payload."""
    raw = ""
    if record.http_headers is not None:
        raw = record.http_headers.get_header("Content-Type") or ""
    if not raw:
        raw = record.rec_headers.get_header("WARC-Identified-Payload-Type") or ""
    if not raw and record.rec_type == "resource":
        raw = record.rec_headers.get_header("Content-Type") or ""
    mime, _, params = raw.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    return mime.strip().lower(), charset


def _is_html_page(record: Any) -> bool:
    if record.rec_type not in ("response", "resource"):
        return False
    if record.rec_type == "response":
        if record.http_headers is None:
            return False
        status = record.http_headers.get_statuscode()
        if status and status != "200":
            return False
    mime, _ = _content_type(record)
    return mime in _HTML_TYPES


def _failure(err: InputError) -> IngestFailure:
    return IngestFailure(source=err.subject or "?", reason=err.reason, hint=err.hint, code=err.code)


def read(
    source: str, stream: BinaryIO, settings: IngestSettings, *, deferred: bool = False
) -> Iterator[Article | IngestFailure | PendingPage]:
    """Articles (``deferred``: :class:`PendingPage` items)) and failures."""
    for item in pages(source, stream, settings):
        yield item if deferred or isinstance(item, IngestFailure) else resolve(item)


def pages(source: str, stream: BinaryIO, settings: IngestSettings) -> Iterator[PendingPage | IngestFailure]:
    """The HTML pages of a WARC stream, one record's payload at a time, not yet extracted."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    n = 0
    try:
        for n, record in enumerate(ArchiveIterator(stream, arc2warc=True), start=1):
            if not _is_html_page(record):
                continue
            pages += 1
            if pages > settings.max_records:
                raise InputError(
                    "E006", f"more than {settings.max_records} pages; the rest was skipped", subject=source
                )
            record_source = f"{source}#{n}"
            payload = record.content_stream().read(settings.max_bytes + 1)
            if len(payload) > settings.max_bytes:
                yield _failure(
                    InputError("E006", f"record over {settings.max_bytes} bytes", subject=record_source)
                )
                continue
            _, charset = _content_type(record)
            yield PendingPage(
                record_source,
                payload,
                url=record.rec_headers.get_header("WARC-Target-URI"),
                charset=charset,
                fallback_date=record.rec_headers.get_header("WARC-Date"),
                input_format="warc",
            )
    except ArchiveLoadFailed as exc:
        raise InputError("E010", f"record {n + 1}: {str(exc).strip()[:100]}", subject=source) from exc
    except (AttributeError, ValueError, KeyError, IndexError, TypeError) as exc:
        # warcio trusts the headers it parses (a response record without WARC-Target-URI fails
        # with AttributeError): a record it cannot make sense of is a malformed WARC, not a bug
        detail = f"record {n + 1}: {type(exc).__name__}: {str(exc).strip()[:80]}"
        raise InputError("E010", detail, subject=source) from exc
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError("E005", f"after record {n}: {exc}", subject=source) from exc
    if pages == 0:
        raise InputError("E007", f"none of its {n} records is an HTML page", subject=source)
