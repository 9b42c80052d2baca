"""Publication and update dates written in an article's text.

News pages print their timestamps in a handful of shapes: ``21 Mar 2023, 04:39 PM IST``,
``Updated: March 22, 2023, 7:35 AM``, ``Mon 20 Mar 2023 12.41 GMT``, ``2023-03-20 08:41 UTC+1``,
``March 20, 2023 at 8:41 a.m. ET``. This module recognises those shapes with one grammar
(:data:`DATETIME`), parses them itself (no locale data, no network, deterministic), and
says whether a line *is* a timestamp (the cleaner removes it) or *starts* with one that is
glued to the body (the cleaner cuts the prefix).

Time zones: a zone written in the text (an abbreviation from :data:`ZONES`, ``UTC+5:30``,
``GMT-4``, ``+0530``) makes the value timezone-aware. Abbreviations are read as news
outlets use them: ``IST`` is India Standard Time (+05:30), the reading of nearly all
English-language news that prints it; ``ET``/``CT``/``MT``/``PT`` follow US daylight saving
through :mod:`zoneinfo`. Without a zone the value is *naive* (no ``tzinfo``): the wall-clock
time of the outlet, which we cannot place on the global time line; :func:`as_published`
says so in a warning the cleaner attaches to the article.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from synoptic.records import DateKind, PublishedDate

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

FIXED_ZONES: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "IST": 5.5, "CET": 1, "CEST": 2, "WAT": 1,
    "EET": 2, "EEST": 3, "CAT": 2, "SAST": 2, "EAT": 3, "MSK": 3, "AST": 3, "GST": 4, "PKT": 5,
    "NPT": 5.75, "BDT": 6, "ICT": 7, "WIB": 7, "HKT": 8, "SGT": 8, "PHT": 8, "AWST": 8, "JST": 9,
    "KST": 9, "ACST": 9.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}  # fmt: skip
"""Abbreviations with one fixed offset in hours (as news outlets use them)."""

REGIONAL_ZONES: dict[str, tuple[str, float]] = {
    "ET": ("America/New_York", -5),
    "CT": ("America/Chicago", -6),
    "MT": ("America/Denver", -7),
    "PT": ("America/Los_Angeles", -8),
}
"""Abbreviations whose offset follows daylight saving: IANA zone, standard offset fallback."""

ZONES = sorted([*FIXED_ZONES, *REGIONAL_ZONES], key=len, reverse=True)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_TIME = (
    r"(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
)
_ZONE = (
    r"(?P<zone>(?:UTC|GMT)\s?[+-−]\s?\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|" + "|".join(ZONES) + r")(?![a-z])"
)
"""Case-sensitive; a zone must not run into a lowercase letter (``IST`` of ``ISTChinese`` is one)."""

_DATE = (
    rf"(?:{_WEEKDAY}?(?:(?P<d1>{_DAY})\s+(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}),?\s+(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)))"
)
DATETIME = re.compile(
    rf"{_DATE}(?:(?:\s*[,|·•]\s*|\s+at\s+|\s*[T-]\s*|\s+){_TIME}(?:\s*(?-i:{_ZONE}))?)?",
    re.IGNORECASE,
)
"""A calendar date with an optional time of day and zone; the date always carries a year."""

READING_TIME = re.compile(r"\d{1,3}\s*-?\s*min(?:ute)?s?\s+read\b\s*[|·•-]?\s*", re.IGNORECASE)

STAMP_LABEL = re.compile(
    r"(?P<label>(?:last\s+)?(?:updated|modified|edited)|(?:first\s+)?(?:published|posted)|created|date)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_UPDATE_WORDS = re.compile(r"updated|modified|edited", re.IGNORECASE)
_SEP = re.compile(r"\s*(?:[|·•,;/]|[-–—]\s)?\s*")


@dataclass(frozen=True, slots=True)
class TextDate:
    """A date read from the text: the value, its kind, and the exact text it came from."""

    value: dt.datetime
    kind: DateKind
    source_text: str
    aware: bool


def _zone(token: str) -> dt.tzinfo | None:
    token = token.replace("−", "-").replace(" ", "")
    upper = token.upper()
    if upper in FIXED_ZONES:
        return dt.timezone(dt.timedelta(hours=FIXED_ZONES[upper]))
    if upper in REGIONAL_ZONES:
        name, standard = REGIONAL_ZONES[upper]
        try:
            return ZoneInfo(name)
        except ZoneInfoNotFoundError:  # no tz database on this machine: standard time
            return dt.timezone(dt.timedelta(hours=standard))
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", upper)
    if m is None:
        return None
    sign = -1 if m.group(1) == "-" else 1
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return dt.timezone(sign * dt.timedelta(minutes=minutes))


def parse_datetime(match: re.Match[str]) -> tuple[dt.datetime, bool] | None:
    """The value of a :data:`DATETIME` match and whether it is timezone-aware (None if invalid)."""
    g = match.groupdict()
    try:
        if g["y1"]:
            year, month, day = int(g["y1"]), MONTHS[_month_key(g["m1"])], g["d1"]
        elif g["y2"]:
            year, month, day = int(g["y2"]), MONTHS[_month_key(g["m2"])], g["d2"]
        else:
            year, month, day = int(g["y3"]), int(g["m3"]), g["d3"]
        hour = minute = second = 0
        if g["hour"] is not None:
            hour, minute, second = int(g["hour"]), int(g["minute"]), int(g["second"] or 0)
            if g["ampm"]:
                if hour == 0 or hour > 12:
                    return None
                hour = hour % 12 + (12 if g["ampm"].lower() == "p" else 0)
        value = dt.datetime(year, month, int(re.sub(r"\D", "", day)), hour, minute, second)
    except (KeyError, ValueError):
        return None
    if g["zone"]:
        tz = _zone(g["zone"])
        if tz is not None:
            return value.replace(tzinfo=tz), True
    return value, False


def _month_key(token: str) -> str:
    return token.lower().rstrip(".")[:3]


def read_stamp(line: str) -> TextDate | None:
    """The date of a line that is nothing but a timestamp (``Updated: March 22, 2023, 7:35 AM``).

    Returns None when anything other than labels, reading time, separators and dates is on
    the line (a sentence that mentions a date is not a timestamp), and for bare dates without
    a time of day, a label or a reading time (``29 November 2018 | 20 January 2019`` is an
    exhibition's run, not a timestamp). The first labelled publication date wins, then the
    first date.
    """
    text = line.strip()
    pos, first, stamped = 0, None, False
    while pos < len(text):
        sep = _SEP.match(text, pos)
        if sep and sep.end() > pos:
            pos = sep.end()
            continue
        reading = READING_TIME.match(text, pos)
        label = STAMP_LABEL.match(text, pos)
        kind: DateKind = "published"
        if reading and reading.end() > pos:
            pos, stamped = reading.end(), True
            continue
        if label and label.end() > pos and DATETIME.match(text, label.end()):
            kind = "updated" if _UPDATE_WORDS.search(label.group("label")) else "published"
            start, pos, stamped = label.start(), label.end(), True
        else:
            start = pos
        m = DATETIME.match(text, pos)
        if m is None or m.end() == pos:
            return None
        parsed = parse_datetime(m)
        if parsed is None:
            return None
        stamped = stamped or m.group("hour") is not None
        date = TextDate(parsed[0], kind, text[start : m.end()].strip(), parsed[1])
        if first is None or (first.kind == "updated" and kind == "published" and label):
            first = date
        pos = m.end()
    return first if stamped else None


def read_prefix(line: str) -> tuple[TextDate | None, int]:
    """A dateline glued to the start of a paragraph: its date and where the body starts.

    Recognised: an optional reading time (``1 min read``) followed by a timestamp that has a
    time of day, or a reading time alone. The prefix is only reported when real text follows
    it; ``(None, 0)`` means no prefix.
    """
    pos = 0
    reading = READING_TIME.match(line)
    if reading:
        pos = reading.end()
    label = STAMP_LABEL.match(line, pos)
    kind: DateKind = "published"
    if label and DATETIME.match(line, label.end()):
        kind = "updated" if _UPDATE_WORDS.search(label.group("label")) else "published"
        pos = label.end()
    m = DATETIME.match(line, pos)
    date: TextDate | None = None
    if m is not None:
        parsed = parse_datetime(m)
        has_time = m.group("hour") is not None
        glued = m.end() < len(line) and line[m.end()].isalpha() and line[m.end() - 1].isalpha()
        sep = re.match(r"\s*[|·•–—-]\s*", line[m.end() :])
        if parsed is not None and (reading or has_time or glued or sep):
            date = TextDate(parsed[0], kind, m.group(0).strip(), parsed[1])
            pos = m.end() + (sep.end() if sep else 0)
    if date is None and not reading:
        return None, 0
    while pos < len(line) and line[pos] in " \u00a0\t|·•,":
        pos += 1
    rest = line[pos:]
    starts_text = rest[:1].isupper() or rest[:1] in "\"“‘'("
    if len(rest.split()) < 3 or not starts_text:
        return None, 0
    return date, pos


def as_published(date: TextDate) -> tuple[PublishedDate, str | None]:
    """The record for a text date and, for a naive one, the warning that says it is naive."""
    record = PublishedDate(value=date.value, kind=date.kind, origin="text", source_text=date.source_text)
    if date.aware:
        return record, None
    return record, (
        f"date {date.source_text!r} names no time zone: stored without tzinfo (the outlet's local time)"
    )
