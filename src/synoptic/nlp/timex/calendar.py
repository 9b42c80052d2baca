"""Calendar arithmetic on TIMEX3 values: the interval and granularity a value covers, and the
dates, weeks, months, quarters and years relative to an anchor that the rules resolve to."""

from __future__ import annotations

import datetime as dt
import re

from synoptic.nlp.timex.records import Found, Interval, Tense
from synoptic.records import Granularity


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


def month_end(year: int, month: int) -> dt.date:
    y, m = add_months(year, month, 1)
    return dt.date(y, m, 1) - dt.timedelta(days=1)


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def week_value(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def interval_of(value: str) -> Interval | None:
    """The inclusive calendar interval a TIMEX3 date value covers (None for refs, durations, sets)."""
    if "/" in value:
        a, b = value.split("/", 1)
        ia, ib = interval_of(a), interval_of(b)
        return (ia[0], ib[1]) if ia and ib else None
    value = value.split("T", 1)[0]
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        d = safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (d, d) if d else None
    if m := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value):
        try:
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        if m[3]:
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        if not 1 <= int(m[2]) <= 12:
            return None
        return dt.date(int(m[1]), int(m[2]), 1), month_end(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        q = int(m[2])
        return dt.date(int(m[1]), 3 * q - 2, 1), month_end(int(m[1]), 3 * q)
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        h = int(m[2])
        return dt.date(int(m[1]), 6 * h - 5, 1), month_end(int(m[1]), 6 * h)
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        y = int(m[1])
        first = {"SP": (y, 3), "SU": (y, 6), "FA": (y, 9), "WI": (y, 12)}[m[2]]
        last = add_months(*first, 2)
        return dt.date(first[0], first[1], 1), month_end(*last)
    if m := re.fullmatch(r"(\d{4})", value):
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{3})", value):
        return dt.date(int(m[1]) * 10, 1, 1), dt.date(int(m[1]) * 10 + 9, 12, 31)
    return None


def granularity_of(value: str, type_: str) -> Granularity:
    if type_ == "DURATION":
        return "duration"
    if type_ == "SET":
        return "set"
    if value.endswith("_REF"):
        return "ref"
    if "/" in value:
        return "range"
    if "T" in value:
        return "instant"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if "-W" in value:
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if "-Q" in value or "-H" in value or re.fullmatch(r"\d{4}-(SP|SU|FA|WI)", value):
        return "quarter"
    return "year"


def weekday_date(anchor: dt.date, weekday: int, direction: str) -> dt.date:
    """The weekday (1 = Monday) relative to anchor: ``past`` on or before it, ``future`` after it,
    ``last`` strictly before, ``next`` strictly after, ``near`` the closest (ties: the past one)."""
    back = (anchor.isoweekday() - weekday) % 7
    fwd = (weekday - anchor.isoweekday()) % 7
    if direction == "past":
        return anchor - dt.timedelta(days=back)
    if direction == "last":
        return anchor - dt.timedelta(days=back or 7)
    if direction in ("future", "next"):
        return anchor + dt.timedelta(days=fwd or 7)
    return anchor - dt.timedelta(days=back) if back <= fwd else anchor + dt.timedelta(days=fwd)


def day_found(start: int, end: int, day: dt.date | None, placeholder: str, part: str = "") -> Found:
    if day is None:
        value = placeholder + (f"T{part}" if part else "")
        return Found(start, end, value, "TIME" if part else "DATE", "instant" if part else "day")
    value = day.isoformat() + (f"T{part}" if part else "")
    return Found(start, end, value, "TIME" if part else "DATE", "instant" if part else "day", (day, day))


def dated(start: int, end: int, value: str, type_: str = "DATE") -> Found:
    return Found(start, end, value, type_, granularity_of(value, type_), interval_of(value))


def month_year_value(anchor: dt.date | None, month: int, tense: Tense, mod: str = "") -> str:
    if anchor is None:
        return f"XXXX-{month:02d}"
    year = anchor.year
    if mod in ("last", "this past", "past"):
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif mod in ("next", "this coming", "coming"):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif mod == "this":
        year = anchor.year
    elif tense == "future":
        year = anchor.year if month >= anchor.month else anchor.year + 1
    else:
        options = [(abs((y * 12 + month) - (anchor.year * 12 + anchor.month)), -y, y) for y in
                   (anchor.year - 1, anchor.year, anchor.year + 1)]  # fmt: skip
        year = min(options, key=lambda o: (o[0], -o[1]))[2]
    if mod in ("last", "this past", "past") and anchor.year * 12 + anchor.month - (year * 12 + month) <= 1:
        year -= 1
    return f"{year}-{month:02d}"


def month_day_value(anchor: dt.date | None, month: int, day: int, tense: Tense) -> str | None:
    if anchor is None:
        return f"XXXX-{month:02d}-{day:02d}"
    options = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := safe_date(y, month, day))]
    if not options:
        return None
    if tense == "future":
        later = [d for d in options if d >= anchor]
        if later:
            return min(later).isoformat()
    if tense == "past":
        earlier = [d for d in options if d <= anchor]
        if earlier:
            return max(earlier).isoformat()
    return min(options, key=lambda d: abs((d - anchor).days)).isoformat()


def quarter_value(anchor: dt.date | None, q: int, tense: Tense, year: int | None = None) -> str:
    if year is not None:
        return f"{year}-Q{q}"
    if anchor is None:
        return f"XXXX-Q{q}"
    current = (anchor.month - 1) // 3 + 1
    if tense == "future":
        return f"{anchor.year if q >= current else anchor.year + 1}-Q{q}"
    return f"{anchor.year if q <= current else anchor.year - 1}-Q{q}"


def last_quarter(anchor: dt.date) -> tuple[int, int]:
    """The latest completed quarter before the anchor (news reports results of that one)."""
    current = (anchor.month - 1) // 3 + 1
    return (anchor.year, current - 1) if current > 1 else (anchor.year - 1, 4)


def shift_value(anchor: dt.date, unit: str, delta: int) -> str:
    """The unit (week, month, year, ...) ``delta`` steps from the anchor, as a TIMEX3 value."""
    if unit == "day":
        return (anchor + dt.timedelta(days=delta)).isoformat()
    if unit == "week":
        return week_value(anchor + dt.timedelta(weeks=delta))
    if unit == "weekend":
        # "the weekend": the latest weekend on or before the anchor (a Monday story's weekend)
        base = anchor + dt.timedelta(weeks=delta)
        if delta == 0 and base.isoweekday() < 6:
            base -= dt.timedelta(days=7)
        return week_value(base) + "-WE"
    if unit == "month":
        y, m = add_months(anchor.year, anchor.month, delta)
        return f"{y}-{m:02d}"
    if unit == "quarter":
        n = anchor.year * 4 + (anchor.month - 1) // 3 + delta
        return f"{n // 4}-Q{n % 4 + 1}"
    if unit == "year":
        return str(anchor.year + delta)
    if unit == "decade":
        return str(anchor.year // 10 + delta)
    if unit == "century":
        return str(anchor.year // 100 + delta)
    return "PRESENT_REF"


def ago_value(anchor: dt.date | None, amount: float | None, unit: str, sign: int) -> str:
    if amount is None:
        return "PAST_REF" if sign < 0 else "FUTURE_REF"
    if anchor is None:
        return "PAST_REF" if sign < 0 else "FUTURE_REF"
    n = amount * sign
    if unit in ("day", "hour", "minute", "second"):
        return (anchor + dt.timedelta(days=round(n) if unit == "day" else 0)).isoformat()
    if unit == "week":
        return (anchor + dt.timedelta(weeks=n)).isoformat()
    if unit == "month":
        y, m = add_months(anchor.year, anchor.month, round(n))
        return f"{y}-{m:02d}"
    if unit == "quarter":
        return shift_value(anchor, "quarter", round(n))
    if unit == "year":
        return str(anchor.year + round(n))
    if unit == "decade":
        return str(anchor.year + round(n * 10))
    return str(anchor.year // 100 + round(n))
