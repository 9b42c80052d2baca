"""Metadata shared by the readers: URLs, dates to timezone-aware datetimes.

Each value is returned with where it came from, so readers can fill ``Article.provenance``
and ``PublishedDate.origin``: ``input`` (given explicitly, e.g. a JSONL field), ``metadata``
(the page's or feed's own metadata), ``inferred`` (derived). Outlets are :mod:`synoptic.outlets`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from urllib.parse import urlsplit

from synoptic.records import DateKind, Provenance, PublishedDate

EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
"""Dates before this are parse errors (a year 0001 default, an epoch in milliseconds...)."""


def normalise_url(url: str | None) -> str | None:
    """A usable absolute http(s) URL, or ``None``."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def to_aware(value: dt.datetime) -> tuple[dt.datetime, bool]:
    """``(aware datetime, assumed_utc)``: a naive value is taken as UTC and flagged."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=dt.UTC), True
    return value, False


def parse_datetime(value: object) -> tuple[dt.datetime, bool] | None:
    """A timezone-aware datetime from what feeds, pages and JSONL give, or ``None``.

    Accepts ISO 8601 (``2023-03-21``, ``2023-03-21T16:39:00+05:30``, ``...Z``), RFC 2822
    (``Tue, 21 Mar 2023 11:09:00 GMT``), ``time.struct_time`` (feedparser, UTC), Unix epoch
    seconds, ``datetime``/``date``, and, last, free text via ``dateparser``. The flag says a
    missing time zone was taken as UTC.
    """
    parsed: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, time.struct_time):
        parsed = dt.datetime(*value[:6], tzinfo=dt.UTC)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parsed = dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        parsed = _parse_string(value.strip())
    if parsed is None:
        return None
    aware, assumed = to_aware(parsed)
    latest = dt.datetime.now(dt.UTC) + dt.timedelta(days=366)
    if not EARLIEST <= aware <= latest:
        return None
    return aware, assumed


def _parse_string(text: str) -> dt.datetime | None:
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    if len(text) > 80:
        return None
    import dateparser

    result = dateparser.parse(
        text, languages=None, settings={"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    )
    return result if isinstance(result, dt.datetime) else None


def published_date(
    value: object, *, origin: Provenance, kind: DateKind = "published"
) -> tuple[PublishedDate | None, str | None]:
    """``(PublishedDate, warning)`` for a raw date value; ``(None, None)`` when it is absent
    and ``(None, warning)`` when it is present but unreadable."""
    if value is None or value == "":
        return None, None
    parsed = parse_datetime(value)
    if parsed is None:
        return None, f"unreadable {kind} date {str(value)[:60]!r} ignored"
    aware, assumed = parsed
    # a bare day (midnight, no zone) is a date, not a time: no warning for it
    has_time = (aware.hour, aware.minute, aware.second) != (0, 0, 0)
    warning = (
        f"{kind} date {str(value)[:40]!r} has no time zone; UTC assumed" if assumed and has_time else None
    )
    return PublishedDate(value=aware, kind=kind, origin=origin), warning
