"""Time expressions: find them in text and normalise them against an anchor date.

A rule-based extractor in the manner of HeidelTime, written for news: each rule is a regular
expression plus a normaliser; all rules run over the text, the longest match wins where matches
overlap (ties go to the earlier rule). Values follow TIMEX3 (TimeML):

- dates ``2023-03-20``, weeks ``2023-W12`` (weekends ``2023-W11-WE``), months ``2023-03``,
  quarters ``2023-Q1``, halves ``2023-H1``, seasons ``2023-SU``, years ``2023``, decades ``199``,
  centuries ``19``;
- times ``2023-03-18TNI`` (parts of the day) and ``2023-03-18T19:15``;
- durations ``P3D``, ``P2Y6M``, ``PT4H``, ``PXY`` (an unspecified number of years);
- sets ``XXXX-WXX-1`` (every Monday), ``P1Y`` (a year, as in "$5 a year"), ``XXXX-XX-XX`` (daily);
- ``PAST_REF`` / ``PRESENT_REF`` / ``FUTURE_REF`` ("recently", "now", "the future").

Relative expressions resolve against the anchor (the article's publication date), using the
tense of the words nearest to them: "on Monday" next to "will" is the next Monday, next to a
past-tense verb the latest Monday on or before the anchor (news style: a story published on a
Monday says "on Monday" for that day). Without an anchor, weekday and relative values stay
underspecified (``XXXX-WXX-1``) and carry no interval.

Extents follow the TimeBank conventions, studied on the TempEval-3 TimeBank dev file: the
determiner and modifiers are part of the expression ("the third quarter", "the past three
months", "nearly four years ago", "early next year", "late yesterday"), leading prepositions
are not ("Friday", not "on Friday"). A range "from Monday to Wednesday next week" is one
expression with an ISO interval value ``2023-03-20/2023-03-22``; with ``ranges=False`` in the
settings its parts are returned instead (TimeBank annotates the parts).

``dateparser`` is not needed: every pattern here is anchored and normalised by the rules, which
is faster and keeps the tense logic in one place. A rule is only searched in a text that contains
what its pattern needs (a month name, a digit, "quarter", ...: read off the compiled pattern), which
finds the same matches as searching every text with every rule, several times faster.
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from synoptic.config import Settings
from synoptic.nlp.casefold import CASE_TRAPS
from synoptic.nlp.sentences import split_text
from synoptic.records import Article, Granularity, TimeExpression

Interval = tuple[dt.date, dt.date]
Tense = str  # "past" | "future" | ""

# --------------------------------------------------------------------------- vocabulary

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thu": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
    "sunday": 7, "sun": 7,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
    "overnight": "NI", "after dark": "NI", "midday": "MI", "noon": "MI",
}  # fmt: skip
UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "weekend": "WE",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE",
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "thousand": 1000, "a dozen": 12, "dozen": 12,
    "a couple of": 2, "couple of": 2, "a couple": 2, "half a": 0.5,
}  # fmt: skip
VAGUE_NUMBERS = ("several", "a few", "few", "many", "some", "numerous", "dozens of", "a number of")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

_MONTH = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)"
)
_MONTH_ALONE = (  # month names that are also common words need a cue ("in May", "last March")
    r"(?-i:January|February|April|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)"
)
_WD = (
    r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon\.|Tues\.|Tue\.|Wed\.|Thurs\.|Thu\.|Fri\.|Sat\.|Sun\.)"
)
_NUMWORD = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
    r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:a\s+)?hundred|thousand"
)
_NUM = (
    r"(?:\d+(?:\.\d+)?(?:\s+1/2)?|(?:" + _NUMWORD + r")(?:\s+and\s+a\s+half)?|a\s+couple\s+of|a\s+dozen|"
    r"dozens\s+of|several|a\s+few|few|many|numerous|an?|half\s+an?)"
)
_UNIT = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ie))s?"
_APPROX = (
    r"(?:(?:nearly|almost|about|around|roughly|approximately|some|more\s+than|less\s+than|fewer\s+than|"
    r"at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|well\s+over|under|"
    r"close\s+to|the\s+better\s+part\s+of)\s+)"
)
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_COUNT_NOUNS = (  # what a number before it counts: "1,998 people", "2000 points" are not years
    r"people|persons|troops|soldiers|shares|points|workers|employees|jobs|cars|vehicles|units|votes|members|"
    r"residents|tons|tonnes|barrels|feet|metres|meters|miles|kilometres|kilometers|acres|dollars|euros|pounds|"
    r"yen|rupees|children|students|cases|deaths|homes|houses|lives|copies|pages|words|passengers|seats|flights"
)
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_DAYPART = r"(?:morning|afternoon|evening|night)"
_CLOCK = r"(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b|[ap]\.m\b)|noon|midnight)"

_FUTURE = re.compile(
    r"\b(?:will|won't|wo\s+n't|shall|going\s+to|is\s+to|are\s+to|due\s+to|expected\s+to|scheduled|slated|"
    r"set\s+to|plans?\s+to|planned|planning|intends?\s+to|would|upcoming|next|to\s+be\s+held|heads?\s+to)\b"
    r"|'ll\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|met|spoke|went|came|took|made|gave|held|began|left|saw|"
    r"sent|got|won|lost|fell|rose|hit|put|cut|paid|sold|bought|ago|last|earlier|previously|recently|since|"
    r"(?!(?:scheduled|expected|planned|slated|need|indeed|proceed|exceed|speed|feed|seed)\b)[a-z]{2,}ed)\b",
    re.I,
)


_SCHEDULED_PRESENT = re.compile(
    r"\b(?:(?:is|are|am)\s+(?!being\b|going\b)[a-z]{2,}ing|meets|opens|begins|starts|resumes|convenes|"
    r"hosts|travels|arrives|takes\s+place|kicks\s+off|gets\s+under\s+way)\b",
    re.I,
)
"""Present tenses that, with a weekday, tell a scheduled happening ("the summit opens on
Wednesday", "ministers are meeting on Wednesday"): news uses them for what is coming. Read for
weekdays only (a month or a quarter in the present tense is as often a habit or a report). Only
third-person verb forms that are rarely nouns: "reports", "votes", "close", "holds" misread
TimeBank dev ("a news agency report Friday", "at the close of business Thursday")."""
_ATTRIBUTION = re.compile(r"(?:said|told|added|stated|reported)$", re.I)
"""Reporting verbs: after the expression and a comma they tell when it was said, not the tense of
what was said."""
_HARD_BOUNDARY = re.compile(r"[.!?;]\s+|``|''|\n")
_PAST_FUTURE = re.compile(r"\b(?:had|had\s+been|was|were|previously)\s+$", re.I)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    value: str
    type: str
    granularity: Granularity
    interval: Interval | None = None
    parts: tuple[_Found, ...] = ()


@dataclass(frozen=True, slots=True)
class _Context:
    text: str
    anchor: dt.date | None
    sentence: tuple[int, int]
    tenses: dict[tuple[int, int], Tense] = field(default_factory=dict)
    """Tenses already read in this text (they do not depend on the anchor)."""

    def tense(self, start: int, end: int) -> Tense:
        """``future`` or ``past`` from the tense cue nearest to ``[start, end)`` in its sentence."""
        known = self.tenses.get((start, end))
        if known is None:
            known = self.tenses[(start, end)] = self._tense(start, end)
        return known

    def day_tense(self, start: int, end: int) -> Tense:
        """:meth:`tense` with the scheduled present tenses read as future too (for weekdays;
        not cached: weekdays are few)."""
        return self._tense(start, end, scheduled=True)

    def _tense(self, start: int, end: int, *, scheduled: bool = False) -> Tense:
        s0, s1 = self.sentence
        for b in _HARD_BOUNDARY.finditer(self.text, s0, s1):
            if b.end() <= start:
                s0 = b.end()
            elif b.start() >= end:
                s1 = b.start() + 1
                break
        best: tuple[int, Tense] | None = None
        cues: list[tuple[re.Pattern[str], Tense]] = [(_FUTURE, "future"), (_PAST, "past")]
        if scheduled:
            cues.append((_SCHEDULED_PRESENT, "future"))
        for pattern, tense in cues:
            for m in pattern.finditer(self.text, s0, s1):
                if m.start() < end and m.end() > start:
                    continue
                if m.start() >= end and _ATTRIBUTION.match(m[0]) and "," in self.text[end : m.start()]:
                    continue  # "will meet on Monday, officials said": the report, not the event
                dist = start - m.end() if m.end() <= start else 2 * (m.start() - end) + 1
                found: Tense = tense
                if tense == "future" and _PAST_FUTURE.search(self.text[max(s0, m.start() - 20) : m.start()]):
                    found = "past"  # "had been due to", "was scheduled to", "previously planned"
                if best is None or dist < best[0]:
                    best = (dist, found)
        return best[1] if best else ""


# --------------------------------------------------------------------------- calendar helpers


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


def _month_end(year: int, month: int) -> dt.date:
    y, m = _add_months(year, month, 1)
    return dt.date(y, m, 1) - dt.timedelta(days=1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _week_value(day: dt.date) -> str:
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
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
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
        return dt.date(int(m[1]), int(m[2]), 1), _month_end(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        q = int(m[2])
        return dt.date(int(m[1]), 3 * q - 2, 1), _month_end(int(m[1]), 3 * q)
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        h = int(m[2])
        return dt.date(int(m[1]), 6 * h - 5, 1), _month_end(int(m[1]), 6 * h)
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        y = int(m[1])
        first = {"SP": (y, 3), "SU": (y, 6), "FA": (y, 9), "WI": (y, 12)}[m[2]]
        last = _add_months(*first, 2)
        return dt.date(first[0], first[1], 1), _month_end(*last)
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


def _number(text: str) -> float | None:
    """The number a phrase such as "twenty four", "2 1/2", "a couple of" denotes (None: vague)."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in VAGUE_NUMBERS or not t:
        return None
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t in SMALL_NUMBERS:
        return SMALL_NUMBERS[t] + half
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)(?: 1/2)?", t):
        return float(m[1]) + (0.5 if "1/2" in t else 0.0) + half
    total = 0.0
    for word in t.split():
        if word not in SMALL_NUMBERS:
            return None
        n = SMALL_NUMBERS[word]
        total = total * n if n >= 100 and total else total + n
    return total + half


def _duration(amount: float | None, unit: str) -> str:
    """TIMEX3 duration for ``amount`` of ``unit`` (a key of UNITS): P3D, PT4H, P2Y6M, PXY."""
    code = UNITS[unit]
    time = unit in ("second", "minute", "hour")
    prefix = "PT" if time else "P"
    if amount is None:
        return f"{prefix}X{'C' if code == 'CE' else code}"
    if code == "H" and amount == 24:
        return "P1D"
    if code == "DE":
        return f"P{round(amount * 10)}Y"
    if code == "CE":
        return f"P{round(amount * 100)}Y"
    if code == "Q":
        return f"P{round(amount * 3)}M"
    if amount != int(amount):
        whole = int(amount)
        if code == "Y":
            return f"P{whole}Y{round((amount - whole) * 12)}M" if whole else f"P{round(amount * 12)}M"
        if code == "H":
            return f"PT{whole}H{round((amount - whole) * 60)}M" if whole else f"PT{round(amount * 60)}M"
        if code == "D":
            return f"P{whole}DT{round((amount - whole) * 24)}H" if whole else f"PT{round(amount * 24)}H"
        if code == "M" and not time:
            return f"P{whole}M{round((amount - whole) * 30)}D" if whole else f"P{round(amount * 30)}D"
    return f"{prefix}{int(amount)}{code}"


def _unit_key(word: str) -> str:
    w = word.lower().rstrip("s")
    return "century" if w in ("centurie", "centuri") else w


# --------------------------------------------------------------------------- resolution


def _weekday(anchor: dt.date, weekday: int, direction: str) -> dt.date:
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


def _day_found(start: int, end: int, day: dt.date | None, placeholder: str, part: str = "") -> _Found:
    if day is None:
        value = placeholder + (f"T{part}" if part else "")
        return _Found(start, end, value, "TIME" if part else "DATE", "instant" if part else "day")
    value = day.isoformat() + (f"T{part}" if part else "")
    return _Found(start, end, value, "TIME" if part else "DATE", "instant" if part else "day", (day, day))


def _dated(start: int, end: int, value: str, type_: str = "DATE") -> _Found:
    return _Found(start, end, value, type_, granularity_of(value, type_), interval_of(value))


def _month_year(anchor: dt.date | None, month: int, tense: Tense, mod: str = "") -> str:
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


def _month_day(anchor: dt.date | None, month: int, day: int, tense: Tense) -> str | None:
    if anchor is None:
        return f"XXXX-{month:02d}-{day:02d}"
    options = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _safe_date(y, month, day))]
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


def _quarter(anchor: dt.date | None, q: int, tense: Tense, year: int | None = None) -> str:
    if year is not None:
        return f"{year}-Q{q}"
    if anchor is None:
        return f"XXXX-Q{q}"
    current = (anchor.month - 1) // 3 + 1
    if tense == "future":
        return f"{anchor.year if q >= current else anchor.year + 1}-Q{q}"
    return f"{anchor.year if q <= current else anchor.year - 1}-Q{q}"


def _last_quarter(anchor: dt.date) -> tuple[int, int]:
    """The latest completed quarter before the anchor (news reports results of that one)."""
    current = (anchor.month - 1) // 3 + 1
    return (anchor.year, current - 1) if current > 1 else (anchor.year - 1, 4)


def _shift(anchor: dt.date, unit: str, delta: int) -> str:
    """The unit (week, month, year, ...) ``delta`` steps from the anchor, as a TIMEX3 value."""
    if unit == "day":
        return (anchor + dt.timedelta(days=delta)).isoformat()
    if unit == "week":
        return _week_value(anchor + dt.timedelta(weeks=delta))
    if unit == "weekend":
        # "the weekend": the latest weekend on or before the anchor (a Monday story's weekend)
        base = anchor + dt.timedelta(weeks=delta)
        if delta == 0 and base.isoweekday() < 6:
            base -= dt.timedelta(days=7)
        return _week_value(base) + "-WE"
    if unit == "month":
        y, m = _add_months(anchor.year, anchor.month, delta)
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


def _ago(anchor: dt.date | None, amount: float | None, unit: str, sign: int) -> str:
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
        y, m = _add_months(anchor.year, anchor.month, round(n))
        return f"{y}-{m:02d}"
    if unit == "quarter":
        return _shift(anchor, "quarter", round(n))
    if unit == "year":
        return str(anchor.year + round(n))
    if unit == "decade":
        return str(anchor.year + round(n * 10))
    return str(anchor.year // 100 + round(n))


# --------------------------------------------------------------------------- prefilter
#
# Most rules cannot match most sentences: a rule that needs a month name, a digit or the word
# "quarter" cannot match a sentence that has none. Each rule's needs are read off its compiled
# pattern (the standard library's parse tree), so they follow the pattern as it is edited; a
# rule is only run over a text that meets all of them, and the matches are exactly those of
# running every rule. Anything the reading does not understand needs nothing (the rule runs).

_DIGIT = "\x00digit"
"""A need met by any digit (``\\d``) in the text; no pattern literal contains NUL."""
_MAX_EXACT = 64
"""Most strings a part of a pattern may stand for before only what it needs is kept."""
_ANY_DIGIT = re.compile(r"\d")

Need = frozenset[str]
"""A match of the rule contains one of these strings (lower case, or ``_DIGIT``)."""

try:  # the parser behind ``re.compile``; private, so its absence only turns the prefilter off
    _sre_parser: Any = importlib.import_module("re._parser")
    _sre: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _sre_parser = _sre = None


@dataclass(frozen=True, slots=True)
class _Shape:
    exact: frozenset[str] | None
    """Every string (lower case) this part of a pattern can match, when they are few."""
    needs: tuple[Need, ...]
    """Each match of this part contains a string of every one of these."""


_UNKNOWN = _Shape(None, ())
_EMPTY = _Shape(frozenset({""}), ())


def _best(shape: _Shape) -> Need | None:
    """The most selective need of a part (longest shortest string, then fewest strings)."""
    options = [*shape.needs, *([shape.exact] if shape.exact and "" not in shape.exact else [])]
    return max(options, key=_selectivity, default=None)


def _selectivity(need: Need) -> tuple[int, int]:
    return min(2 if s == _DIGIT else len(s) for s in need), -len(need)


def _sequence(items: Any) -> _Shape:
    needs: list[Need] = []
    run: frozenset[str] = frozenset({""})  # the strings the exact items since the last break match
    whole = True
    for op, av in items:
        part = _node(op, av)
        needs.extend(part.needs)
        if part.exact is not None:
            joined = frozenset(a + b for a in run for b in part.exact)
            if len(joined) <= _MAX_EXACT:
                run = joined
                continue
            needs.append(run)
            run = part.exact
        else:
            needs.append(run)
            run = frozenset({""})
        whole = False
    needs.append(run)
    return _Shape(run if whole else None, tuple(n for n in needs if "" not in n))


def _node(op: Any, av: Any) -> _Shape:
    c = _sre
    if op is c.LITERAL:
        ch = chr(av)
        return _Shape(frozenset({ch.lower()}), ()) if ch.isascii() and ch != "\x00" else _UNKNOWN
    if op is c.IN:
        return _char_class(av)
    if op is c.BRANCH:
        shapes = [_sequence(branch) for branch in av[1]]
        exact: frozenset[str] | None = None
        if all(s.exact is not None for s in shapes):
            exact = frozenset().union(*(s.exact or () for s in shapes))
            exact = exact if len(exact) <= _MAX_EXACT else None
        bests = [b for s in shapes if (b := _best(s)) is not None]
        needs = (frozenset().union(*bests),) if len(bests) == len(shapes) else ()
        return _Shape(exact, needs)
    if op is c.SUBPATTERN:
        return _sequence(av[-1])
    if op is c.ATOMIC_GROUP:
        return _sequence(av)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, body = av
        inner = _sequence(body)
        if low == 0:
            optional = inner.exact | {""} if inner.exact is not None and high == 1 else None
            return _Shape(optional, ())
        whole = (inner.exact,) if inner.exact and "" not in inner.exact else ()
        return _Shape(inner.exact if high == 1 else None, (*inner.needs, *whole))
    if op in (c.AT, c.ASSERT_NOT):
        return _EMPTY
    if op is c.ASSERT:  # what a lookaround needs is in the text too
        best = _best(_sequence(av[1]))
        return _Shape(frozenset({""}), (best,) if best is not None else ())
    return _UNKNOWN


def _char_class(items: Any) -> _Shape:
    c = _sre
    chars: set[str] = set()
    any_digit = False
    for op, av in items:
        if op is c.LITERAL and chr(av).isascii():
            chars.add(chr(av).lower())
        elif op is c.RANGE and av[1] - av[0] < 10 and chr(av[1]).isascii():
            chars.update(chr(x).lower() for x in range(av[0], av[1] + 1))
        elif op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            any_digit = True
        else:
            return _UNKNOWN
    if all(ch.isdigit() for ch in chars):
        return _Shape(None, (frozenset({_DIGIT}),))
    return _UNKNOWN if any_digit else _Shape(frozenset(chars), ())


def _minimal(need: Need) -> Need:
    """The same need with fewer strings: a string that contains another one is implied by it."""
    return frozenset(
        s for s in need if s == _DIGIT or not any(o != s and o in s for o in need if o != _DIGIT)
    )


def rule_needs(pattern: re.Pattern[str]) -> tuple[Need, ...]:
    """What any match of ``pattern`` contains (see the prefilter notes above); () when unknown."""
    if _sre_parser is None:
        return ()  # pragma: no cover
    try:
        shape = _sequence(_sre_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # pragma: no cover - a parser of another Python version
        return ()
    needs = {_minimal(n) for n in (*shape.needs, *([shape.exact] if shape.exact else []))}
    useful = [n for n in needs if "" not in n and len(n) <= _MAX_EXACT and _selectivity(n)[0] >= 2]
    kept = [n for n in useful if not any(o < n for o in useful)]  # a subset implies its supersets
    return tuple(sorted(kept, key=lambda n: (_selectivity(n), sorted(n)), reverse=True))


# --------------------------------------------------------------------------- rules

Handler = Callable[[re.Match[str], _Context], "_Found | None"]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handle: Handler
    needs: tuple[Need, ...] = ()
    """What every match contains (:func:`rule_needs`): a text lacking one is not searched."""


RULES: list[Rule] = []
_NEEDED: dict[str, None] = {}
"""Every string some rule needs, in the order first needed (filled as the rules are registered)."""


def _rule(name: str, pattern: str) -> Callable[[Handler], Handler]:
    compiled = re.compile(r"(?<![\w$£€-])(?:" + pattern + r")(?![\w-]|\.\d)", re.I)

    def register(fn: Handler) -> Handler:
        needs = rule_needs(compiled)
        RULES.append(Rule(name, compiled, fn, needs))
        _NEEDED.update((s, None) for need in needs for s in need)
        return fn

    return register


def _month_num(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _weekday_num(word: str) -> int:
    return WEEKDAYS[word.lower().rstrip(".")]


def _span(m: re.Match[str], group: str | int = 0) -> tuple[int, int]:
    return m.start(group), m.end(group)


@_rule(
    "date-full",
    r"(?:" + _WD + r",?\s+)?(?:(?P<m1>" + _MONTH + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})"
    r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + _MONTH + r"))\.?,?\s+(?P<y>" + _YEAR + r")"
    r"(?:,?\s+(?:at\s+)?(?P<c>\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b|[ap]\.m\b)))?",
)
def _date_full(m: re.Match[str], ctx: _Context) -> _Found | None:
    month = _month_num(m["m1"] or m["m2"])
    day = _safe_date(int(m["y"]), month, int(m["d1"] or m["d2"]))
    if day is not None and m["c"]:  # "March 22, 2023, 7:35 AM": the clock is on that day, not the anchor's
        return _Found(*_span(m), f"{day.isoformat()}T{_clock(m['c'])}", "TIME", "instant", (day, day))
    return _day_found(*_span(m), day, "") if day else None


@_rule("date-iso", r"(?P<y>" + _YEAR + r")-(?P<mo>\d{2})-(?P<d>\d{2})")
def _date_iso(m: re.Match[str], ctx: _Context) -> _Found | None:
    day = _safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
    return _day_found(*_span(m), day, "") if day else None


@_rule(
    "date-month-day",
    r"(?:(?P<wd>" + _WD + r"),?\s+)?(?:(?P<m1>" + _MONTH + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + _MONTH + r"))",
)
def _date_month_day(m: re.Match[str], ctx: _Context) -> _Found | None:
    month, day = _month_num(m["m1"] or m["m2"]), int(m["d1"] or m["d2"])
    if not 1 <= day <= 31:
        return None
    value = _month_day(ctx.anchor, month, day, "")
    return _dated(*_span(m), value) if value else None


@_rule(
    "month-year",
    r"(?P<mod>(?:early|late|mid|the\s+(?:middle|end|beginning|start)\s+of)[\s-]+)?(?P<m>" + _MONTH + r")"
    r"(?:,?\s+(?:of\s+)?(?P<y>" + _YEAR + r")|\s+(?P<rel>this|last|next)\s+year)",
)
def _month_year_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    month = _month_num(m["m"])
    if m["y"]:
        return _dated(*_span(m), f"{m['y']}-{month:02d}")
    if ctx.anchor is None:
        return _dated(*_span(m), f"XXXX-{month:02d}")
    year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    return _dated(*_span(m), f"{year}-{month:02d}")


_OTHER_YEAR = re.compile(
    r"\s+of\s+(?:an?|some|one|that|the\s+same|the\s+following|the\s+previous)\s+(?:[a-z]+\s+)?year\b", re.I
)
"""A month "of an unspecified year", "of that year", "of the following year": its year is told by
the context or not at all, so the anchor must not supply it."""


@_rule(
    "month",
    r"(?P<mod>(?:this\s+past|this\s+coming|last|next|this|early|late|mid|the\s+(?:middle|end|beginning|start)"
    r"\s+of)[\s-]+)?(?P<m>" + _MONTH + r")(?!\s+\d)",
)
def _month_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    word = m["m"]
    mod = " ".join((m["mod"] or "").lower().replace("-", " ").split())
    if not mod:
        if not re.fullmatch(_MONTH_ALONE, word) and not re.fullmatch(r"(?-i:March|May)", word):
            return None
        if re.fullmatch(r"(?-i:March|May)", word):
            before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
            if not re.search(
                r"\b(in|since|until|till|by|of|early|late|from|through|before|after)\s+$", before
            ):
                return None
    month = _month_num(word)
    if _OTHER_YEAR.match(ctx.text, m.end()):
        return _dated(*_span(m), f"XXXX-{month:02d}")  # not the anchor's year, nor one near it
    rel = mod if mod in ("last", "next", "this", "this past", "this coming") else ""
    return _dated(*_span(m), _month_year(ctx.anchor, month, ctx.tense(*_span(m)), rel))


@_rule(
    "season",
    r"(?P<mod>this\s+past|this\s+coming|last|next|this|early|late|the)\s+(?P<s>spring|summer|autumn|fall|winter)"
    r"(?:\s+of\s+(?P<y>" + _YEAR + r"))?",
)
def _season(m: re.Match[str], ctx: _Context) -> _Found | None:
    code = SEASONS[m["s"].lower()]
    if m["y"]:
        return _dated(*_span(m), f"{m['y']}-{code}")
    mod = " ".join(m["mod"].lower().split())
    if mod == "the":
        return None
    if ctx.anchor is None:
        return _dated(*_span(m), f"XXXX-{code}")
    start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    year = ctx.anchor.year
    if mod in ("last", "this past"):
        year = year if start_month + 2 < ctx.anchor.month else year - 1
    elif mod in ("next", "this coming"):
        year = year if start_month > ctx.anchor.month else year + 1
    return _dated(*_span(m), f"{year}-{code}")


@_rule(
    "year",
    r"(?P<mod>(?:(?:the\s+)?(?:fiscal|calendar|model|school)\s+(?:year\s+)?|(?:early|late|mid|the\s+(?:middle|end|"
    r"beginning|start|first\s+half|second\s+half)\s+of|(?:the\s+)?year)[\s-]+))?(?P<y>" + _YEAR + r")"
    r"(?P<post>\s+(?:period|quarter))?(?!\s*(?:%|percent|per\s+cent|(?:[a-z]+\s+)?(?:"
    + _COUNT_NOUNS
    + r")\b))",
)
def _year_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    year = int(m["y"])
    if not 1000 <= year <= 2099:
        return None
    before = ctx.text[max(0, m.start() - 2) : m.start()]
    if re.search(r"[\d,.]\s?$", before) or ctx.text[m.end() : m.end() + 2].startswith((",0", ",1", ".5")):
        return None
    if m["post"] and not ctx.text[max(0, m.start() - 4) : m.start()].lower().endswith("the "):
        return _dated(m.start(), m.end("y"), str(year))
    if m["post"] and "quarter" in m["post"].lower():
        return None  # "the 1988 quarter" is a quarter: the quarter rule handles it
    mod = (m["mod"] or "").lower()
    if "half" in mod:
        return _dated(*_span(m), f"{year}-H{1 if 'first' in mod else 2}")
    return _dated(*_span(m), str(year))


@_rule("decade", r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<y>1[0-9]{2}|20[0-9])0['’]?s")
def _decade(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _dated(*_span(m), m["y"])


@_rule(
    "decade-word",
    r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<d>twenties|thirties|forties|fifties|sixties|seventies|"
    r"eighties|nineties)",
)
def _decade_word(m: re.Match[str], ctx: _Context) -> _Found | None:
    if not m.group(0).lower().startswith(("the", "early", "late", "mid")):
        return None
    tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
            "eighties": 8, "nineties": 9}[m["d"].lower()]  # fmt: skip
    return _dated(*_span(m), f"19{tens}")


@_rule(
    "year-words",
    r"(?:the\s+(?:year\s+)?|(?:early|late|mid)[\s-]+)?(?:(?P<m>"
    + _MONTH
    + r")\s+)?(?:(?P<a>nineteen)\s+(?P<b>"
    + _NUMWORD
    + r")|(?P<c>two\s+thousand(?:\s+and)?(?:\s+(?:"
    + _NUMWORD
    + r"))?))",
)
def _year_words(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = m.group(0).lower()
    if m["a"]:
        rest = _number(m["b"])
        if rest is None or rest >= 100:
            return None
        year = 1900 + int(rest)
    else:
        tail = re.sub(r"^two\s+thousand(?:\s+and)?\s*", "", m["c"].lower())
        rest = _number(tail) if tail else 0
        if rest is None:
            return None
        year = 2000 + int(rest)
        if not text.startswith("the") and not m["m"] and ctx.anchor and abs(year - ctx.anchor.year) > 30:
            return None
    value = f"{year}-{_month_num(m['m']):02d}" if m["m"] else str(year)
    return _dated(*_span(m), value)


@_rule(
    "century",
    r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century",
)
def _century(m: re.Match[str], ctx: _Context) -> _Found | None:
    n = int(m["n"])
    return _Found(*_span(m), f"{n - 1:02d}", "DATE", "year", (dt.date(max(1, (n - 1) * 100), 1, 1),
                  dt.date((n - 1) * 100 + 99, 12, 31)))  # fmt: skip


@_rule(
    "quarter",
    r"(?:(?P<det>the|this|that|a|last|next)\s+)?(?:(?P<lead>this\s+year['’]s|last\s+year['’]s|next\s+"
    r"year['’]s|(?P<ly>" + _YEAR + r")(?:['’]s)?|year[\s-](?:ago|earlier)|flat|same|latest|current|previous|"
    r"prior|comparable|corresponding)\s+)?(?:(?:fiscal|calendar)\s+)?(?P<o>"
    + _ORD
    + r")[\s-](?P<u>quarter|half|"
    r"period)(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<y>" + _YEAR + r")|(?P<rel>this|last|next|the)\s+year))?",
)
def _quarter_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    n = ORDINALS[m["o"].lower()]
    half = m["u"].lower() == "half"
    if (half and n > 2) or m["u"].lower() == "period":
        return None
    lead = (m["lead"] or "").lower()
    year: int | None = None
    if m["y"]:
        year = int(m["y"])
    elif m["ly"]:
        year = int(m["ly"])
    elif ctx.anchor is not None:
        if m["rel"] or lead.endswith(("year's", "year’s")):
            rel = m["rel"] or lead.split()[0]
            year = ctx.anchor.year + {"this": 0, "the": 0, "last": -1, "next": 1}[rel.lower()]
        elif m["det"] and m["det"].lower() in ("last", "next"):
            year = ctx.anchor.year + (-1 if m["det"].lower() == "last" else 1)
    if half:
        if year is None:
            if ctx.anchor is None:
                return _dated(*_span(m), f"XXXX-H{n}")
            current = (ctx.anchor.month - 1) // 6 + 1
            if ctx.tense(*_span(m)) == "future":  # the coming half: this year's, or next year's first
                year = ctx.anchor.year if n >= current else ctx.anchor.year + 1
            else:  # the latest half begun by the anchor
                year = ctx.anchor.year if n <= current else ctx.anchor.year - 1
        return _dated(*_span(m), f"{year}-H{n}")
    value = _quarter(ctx.anchor, n, ctx.tense(*_span(m)), year)
    if lead.startswith("year") and ctx.anchor is not None:
        value = f"{int(value[:4]) - 1}{value[4:]}" if value[:4].isdigit() else value
    start = m.start()
    if (
        m["det"]
        and m["det"].lower() in ("a", "the", "that", "this")
        and ctx.text[m.end("o")] == "-"
        and not lead
    ):
        start = m.start("o")  # "a third-quarter loss": the adjective alone is the expression
    return _dated(start, m.end(), value)


@_rule(
    "quarter-relative",
    r"(?:the\s+|this\s+|last\s+|next\s+|a\s+)?(?P<mod>latest|current|previous|prior|same|past|last|this|next|"
    r"year[\s-]ago|year[\s-]earlier|(?:" + _YEAR + r"))?\s*(?:fiscal\s+)?quarter(?!s)",
)
def _quarter_relative(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = " ".join(m.group(0).lower().split())
    if ctx.anchor is None or text in ("quarter", "a quarter"):
        return None
    if not text.startswith(("the", "this", "last", "next")) and not m["mod"]:
        return None
    year, q = _last_quarter(ctx.anchor)
    if re.search(r"\b(current|this)\b", text):
        year, q = ctx.anchor.year, (ctx.anchor.month - 1) // 3 + 1
    elif re.search(r"\bnext\b", text):
        n = ctx.anchor.year * 4 + (ctx.anchor.month - 1) // 3 + 1
        year, q = n // 4, n % 4 + 1
    elif re.search(r"\b(previous|prior|last)\b", text) and "the" not in text.split()[:1]:
        n = year * 4 + q - 2
        year, q = n // 4, n % 4 + 1
    if m["mod"] and re.fullmatch(r"\d{4}", m["mod"]):
        year = int(m["mod"])
    elif "ago" in text or "earlier" in text:
        year -= 1
    return _dated(*_span(m), f"{year}-Q{q}")


@_rule(
    "latest-period",
    r"the\s+(?:latest|year[\s-]ago|year[\s-]earlier|(?P<y>"
    + _YEAR
    + r"))\s+period|the\s+corresponding\s+period"
    r"(?:\s+(?:of\s+)?last\s+year)?",
)
def _latest_period(m: re.Match[str], ctx: _Context) -> _Found | None:
    if m["y"]:
        return _dated(*_span(m), m["y"])
    if ctx.anchor is None:
        return None
    year, q = _last_quarter(ctx.anchor)
    text = m.group(0).lower()
    if "ago" in text or "earlier" in text or "corresponding" in text:
        year -= 1
    return _dated(*_span(m), f"{year}-Q{q}")


@_rule(
    "relative-day",
    r"(?P<mod>(?:late|early|earlier|later)\s+)?(?P<w>today|yesterday|tomorrow|tonight)(?:\s+(?P<p>"
    + _DAYPART
    + r"))?"
    r"|(?P<pre>(?:(?:late|early)\s+)?(?:mid[\s-]?)?(?P<p2>"
    + _DAYPART
    + r")\s+)(?P<w2>yesterday|today|tomorrow)",
)
def _relative_day(m: re.Match[str], ctx: _Context) -> _Found | None:
    word = (m["w"] or m["w2"]).lower()
    delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    part = m["p"] or m["p2"]
    code = PARTS_OF_DAY[part.lower()] if part else ("NI" if word == "tonight" else "")
    if ctx.text[m.end() : m.end() + 2] in ("'s", "’s") and not part:
        return None  # "today's world"
    day = ctx.anchor + dt.timedelta(days=delta) if ctx.anchor else None
    if day is None:
        ref = "PRESENT_REF" if delta == 0 else ("PAST_REF" if delta < 0 else "FUTURE_REF")
        return _Found(*_span(m), ref, "DATE", "ref")
    return _day_found(*_span(m), day, "", code)


@_rule(
    "this-daypart",
    r"(?:(?:later|earlier|late|early)\s+)?(?:this|last|the)\s+(?P<p>morning|afternoon|evening|night)"
    r"|(?:mid[\s-])(?P<p2>morning|afternoon)|overnight",
)
def _this_daypart(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = m.group(0).lower()
    part = m["p"] or m["p2"] or "overnight"
    if text.startswith("the ") and part != "morning":
        return None
    day = ctx.anchor
    if day is not None and "last" in text.split():
        day -= dt.timedelta(days=1)
    if m["p2"] and day is not None:
        return _Found(
            *_span(m), f"{day.isoformat()}T{PARTS_OF_DAY[part.lower()]}", "TIME", "instant", (day, day)
        )
    return _day_found(*_span(m), day, "XXXX-XX-XX", PARTS_OF_DAY[part.lower()])


@_rule(
    "weekday-range",
    r"(?:from\s+)?(?P<a>" + _WD + r")\s+(?:to|through|till|until|-|–|and)\s+(?P<b>" + _WD + r")"
    r"(?:\s+(?P<rel>next|last|this)\s+week)?",
)
def _weekday_range(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = m.group(0)
    if " and " in text and not text.lower().startswith("from"):
        return None
    wa, wb = _weekday_num(m["a"]), _weekday_num(m["b"])
    if wb < wa:
        return None
    rel = (m["rel"] or "").lower()
    sa, sb = _span(m, "a"), _span(m, "b")
    if ctx.anchor is None:
        return None
    if rel:
        week = ctx.anchor + dt.timedelta(weeks={"next": 1, "last": -1, "this": 0}[rel])
        first = week - dt.timedelta(days=week.isoweekday() - wa)
    else:
        first = _weekday(ctx.anchor, wa, ctx.tense(*_span(m)) or "past")
    last = first + dt.timedelta(days=wb - wa)
    parts = [_day_found(*sa, first, ""), _day_found(*sb, last, "")]
    if rel:
        rs, re_ = _span(m, "rel")
        parts.append(
            _dated(
                rs, re_ + len(" week"), _shift(ctx.anchor, "week", {"next": 1, "last": -1, "this": 0}[rel])
            )
        )
    return _Found(
        *_span(m), f"{first.isoformat()}/{last.isoformat()}", "DATE", "range", (first, last), tuple(parts)
    )


@_rule(
    "day-range",
    r"(?:from\s+|between\s+)?(?:(?P<m1>"
    + _MONTH
    + r")\s+(?P<a1>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|and|through)\s*"
    r"(?P<b1>\d{1,2})(?:st|nd|rd|th)?|(?P<a2>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|and|through)\s*(?P<b2>\d{1,2})"
    r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + _MONTH + r"))(?:,?\s+(?P<y>" + _YEAR + r"))?",
)
def _day_range(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = m.group(0).lower()
    if (" and " in text and not text.startswith("between")) or ("between" in text and " and " not in text):
        return None
    month = _month_num(m["m1"] or m["m2"])
    a, b = int(m["a1"] or m["a2"]), int(m["b1"] or m["b2"])
    if not 1 <= a < b <= 31:
        return None
    if m["y"]:
        first, last = _safe_date(int(m["y"]), month, a), _safe_date(int(m["y"]), month, b)
    elif ctx.anchor is not None:
        value = _month_day(ctx.anchor, month, a, ctx.tense(*_span(m)))
        first = dt.date.fromisoformat(value) if value else None
        last = _safe_date(first.year, month, b) if first else None
    else:
        return None
    if first is None or last is None:
        return None
    start_part = (m.start("m1"), m.end("a1")) if m["m1"] else (m.start("a2"), m.end("a2"))
    end_part = (m.start("b1") if m["m1"] else m.start("b2"), m.end())
    parts = (_day_found(*start_part, first, ""), _day_found(*end_part, last, ""))
    return _Found(*_span(m), f"{first.isoformat()}/{last.isoformat()}", "DATE", "range", (first, last), parts)


@_rule(
    "weekday",
    r"(?P<time>(?:(?:about|around)\s+)?" + _CLOCK + r"\s+(?:(?:EST|EDT|GMT|UTC|local\s+time)"
    r",?\s+)?(?:on\s+)?)?(?P<dark>after\s+dark\s+on\s+|late\s+on\s+|early\s+on\s+)?(?P<mod>(?:this\s+past|this\s+coming|"
    r"last|next|this|the\s+previous|the\s+following|earlier|early|late|later)\s+)?(?P<wd>"
    + _WD
    + r")(?P<pl>s)?"
    r"(?:\s+(?P<p>" + _DAYPART + r")s?)?",
)
def _weekday_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    weekday = _weekday_num(m["wd"])
    start, end = _span(m)
    if m["pl"] or re.search(r"\b(each|every)\s+$", ctx.text[max(0, start - 7) : start].lower()):
        part = f"T{PARTS_OF_DAY[m['p'].lower()]}" if m["p"] else ""
        if re.search(r"\b(each|every)\s+$", ctx.text[max(0, start - 7) : start].lower()):
            start = ctx.text.lower().rfind("e", 0, start - 4)
            start = ctx.text.lower().rfind(" ", 0, start) + 1
        return _Found(start, end, f"XXXX-WXX-{weekday}{part}", "SET", "set")
    mod = " ".join((m["mod"] or "").lower().split())
    direction = {
        "last": "last", "next": "next", "this coming": "next", "this past": "last", "the previous": "last",
        "the following": "next", "this": "near",
    }.get(mod) or ctx.day_tense(start, end) or "past"  # fmt: skip
    day = _weekday(ctx.anchor, weekday, direction) if ctx.anchor else None
    placeholder = f"XXXX-WXX-{weekday}"
    if m["time"]:
        clock = _clock(m["time"])
        if day is None:
            return _Found(start, end, f"{placeholder}T{clock}", "TIME", "instant")
        return _Found(start, end, f"{day.isoformat()}T{clock}", "TIME", "instant", (day, day))
    part = "NI" if m["dark"] and "dark" in m["dark"] else ""
    if m["p"]:
        part = PARTS_OF_DAY[m["p"].lower()]
    if m["dark"] and "dark" not in m["dark"]:
        start = m.start("mod") if m["mod"] else m.start("wd")
    return _day_found(start, end, day, placeholder, part)


def _clock(text: str) -> str:
    t = text.lower()
    if "noon" in t:
        return "12:00"
    if "midnight" in t:
        return "24:00"
    m = re.search(r"(\d{1,2})(?::(\d{2}))?\s*([ap])", t)
    if not m:
        return "XX:XX"
    hour = int(m[1]) % 12 + (12 if m[3] == "p" else 0)
    return f"{hour:02d}:{m[2] or '00'}"


@_rule(
    "clock",
    r"(?:(?:about|around|at\s+about|approximately|shortly\s+(?:before|after)|just\s+(?:before|after))\s+)?"
    r"(?P<c>\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b|[ap]\.m\b))(?:\s+(?:EST|EDT|GMT|UTC|local\s+time))?"
    r"(?:,?\s+(?P<m>" + _MONTH + r")\s+(?P<d>\d{1,2}))?",
)
def _clock_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    clock = _clock(m["c"])
    day = ctx.anchor
    if m["m"]:
        value = _month_day(ctx.anchor, _month_num(m["m"]), int(m["d"]), ctx.tense(*_span(m)))
        day = dt.date.fromisoformat(value) if value and value[0].isdigit() else None
    if day is None:
        return _Found(*_span(m), f"XXXX-XX-XXT{clock}", "TIME", "instant")
    return _Found(*_span(m), f"{day.isoformat()}T{clock}", "TIME", "instant", (day, day))


@_rule(
    "relative-unit",
    r"(?P<pre>(?:(?:earlier|later|early|late|mid)[\s-]+|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of\s+)?)"
    r"(?P<mod>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+previous|the\s+current|the\s+coming|"
    r"the\s+following|the\s+prior)\s+(?P<u>week|weekend|month|year|decade|century)(?!s)",
)
def _relative_unit(m: re.Match[str], ctx: _Context) -> _Found | None:
    unit = m["u"].lower()
    mod = " ".join(m["mod"].lower().split())
    if (
        m.group(0)[:1].isupper()
        and m.group(0).istitle()
        and not re.search(r"(^|[.!?]\s+)$", ctx.text[: m.start()])
    ):
        return None  # a title mid-sentence: ABC's "This Week"
    delta = {
        "this": 0, "the current": 0, "last": -1, "the past": -1, "the previous": -1, "this past": -1,
        "the prior": -1, "next": 1, "the coming": 1, "the following": 1, "this coming": 1,
    }[mod]  # fmt: skip
    if mod == "the past" and unit in ("week", "month"):
        return _Found(*_span(m), _duration(1, unit), "DURATION", "duration")
    if mod in ("the following", "the previous", "the prior") and not m["pre"]:
        return None  # relative to a date in the text, not to the anchor
    if ctx.anchor is None:
        ref = "PRESENT_REF" if delta == 0 else ("PAST_REF" if delta < 0 else "FUTURE_REF")
        return _Found(*_span(m), ref, "DATE", "ref")
    if unit == "weekend":
        base = ctx.anchor + dt.timedelta(weeks=delta)
        return _dated(*_span(m), _week_value(base) + "-WE")
    return _dated(*_span(m), _shift(ctx.anchor, unit, delta))


@_rule(
    "the-weekend",
    r"(?:the|this|last|over\s+the)\s+weekend|(?:the\s+)?(?:end\s+of\s+the|)\s*(?P<u>month|year)[\s-]end|"
    r"(?:around\s+)?(?P<u2>year|month)[\s-]?end|the\s+end\s+of\s+the\s+(?P<u3>week|month|year)",
)
def _the_weekend(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = " ".join(m.group(0).lower().split())
    start, end = _span(m)
    if text.startswith("over the "):
        start += len("over ")
    if ctx.anchor is None:
        return None
    if "weekend" in text:
        delta = -1 if text.startswith("last") else 0
        return _dated(start, end, _shift(ctx.anchor, "weekend", delta))
    unit = m["u"] or m["u2"] or m["u3"]
    if unit == "year" and "end of the" not in text:
        tense = ctx.tense(start, end)
        year = ctx.anchor.year if tense != "past" or ctx.anchor.month > 6 else ctx.anchor.year - 1
        return _day_found(start, end, dt.date(year, 12, 31), "")
    return _dated(start, end, _shift(ctx.anchor, unit.lower(), 0))


@_rule(
    "ago",
    r"(?P<ap>" + _APPROX + r")?(?P<n>" + _NUM + r")\s+(?P<u>" + _UNIT + r")(?:\s+or\s+(?:so|two|more))?\s+"
    r"(?P<dir>ago|earlier|before|later|hence|from\s+now)",
)
def _ago_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    unit = _unit_key(m["u"])
    amount = _number(m["n"])
    direction = m["dir"].lower()
    sign = 1 if direction in ("later", "hence", "from now") else -1
    if direction in ("before", "later", "earlier") and unit != "year":
        return _Found(*_span(m), _duration(amount, unit), "DURATION", "duration")
    if unit in ("hour", "minute", "second") or ctx.anchor is None:
        return _Found(*_span(m), _ago(ctx.anchor, amount, unit, sign), "DATE", "ref")
    if amount is None:
        return _Found(*_span(m), "PAST_REF" if sign < 0 else "FUTURE_REF", "DATE", "ref")
    value = _ago(ctx.anchor, amount, unit, sign)
    if unit == "year" and direction in ("ago", "earlier"):
        value = _year_ago_in_context(ctx, value) or value
    return _dated(*_span(m), value)


def _year_ago_in_context(ctx: _Context, value: str) -> str | None:
    """Business news compares periods: "a year ago" next to "the third quarter" means that quarter
    a year before (TimeBank annotates it so)."""
    if ctx.anchor is None:
        return None
    before = ctx.text[max(0, ctx.sentence[0] - 600) : ctx.sentence[1]].lower()
    if re.search(
        r"\b(nine|six)\s+months\b|\bfor\s+the\s+year\b", ctx.text[ctx.sentence[0] : ctx.sentence[1]].lower()
    ):
        return None
    quarters = list(
        re.finditer(
            r"\b" + _ORD + r"[\s-]quarter\b|\b(?:the|latest|this|current)\s+(?:quarter|period)\b", before
        )
    )
    if not quarters:
        return None
    last = quarters[-1].group(0)
    if (o := last.split()[0].split("-")[0]) in ORDINALS:
        base = _quarter(ctx.anchor, ORDINALS[o], "past")
        return f"{int(base[:4]) - 1}{base[4:]}"
    year, q = _last_quarter(ctx.anchor)
    return f"{year - 1}-Q{q}"


@_rule("year-ago-adj", r"year[\s-](?:earlier|ago)(?=\s+[a-z])")
def _year_ago_adj(m: re.Match[str], ctx: _Context) -> _Found | None:
    if ctx.anchor is None:
        return None
    value = _year_ago_in_context(ctx, str(ctx.anchor.year - 1)) or str(ctx.anchor.year - 1)
    return _dated(*_span(m), value)


@_rule(
    "duration",
    r"(?P<det>(?:the|a|an|each\s+of\s+the|each\s+of|every|for\s+the)\s+)?(?P<mod>(?:past|last|next|first|final|"
    r"coming|previous|following|latest|recent|full|entire|whole|initial|remaining|same|more\s+than|additional|"
    r"further|other)\s+)?(?P<ap>"
    + _APPROX
    + r")?(?P<n>"
    + _NUM
    + r"|\d+\s+to\s+\d+|(?:"
    + _NUMWORD
    + r")\s+(?:or|to)"
    r"\s+(?:"
    + _NUMWORD
    + r"))(?:\s+(?P<more>more|additional|straight|consecutive|long|full|trading|business))?"
    r"[\s-]+(?P<u>" + _UNIT + r")(?P<old>-old)?(?:\s+or\s+(?:so|more))?",
)
def _duration_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    unit = _unit_key(m["u"])
    raw = m["n"].lower()
    start, end = _span(m)
    det = (m["det"] or "").lower().strip()
    if det == "for the":
        start = m.start("det") + 4
    count = _number(raw)
    singular = not m["u"].lower().endswith("s")
    adjective = "-" in ctx.text[m.start("n") : m.end("u")] or (singular and count is not None and count > 1)
    if det in ("a", "an", "the") and not m["mod"] and adjective and count not in (None, 1):
        start = (
            m.start("mod") if m["mod"] else (m.start("ap") if m["ap"] else m.start("n"))
        )  # "a two-year term"
    if raw == "a" and unit == "second" and re.match(r"\s+[a-z]", ctx.text[end : end + 3], re.I):
        return None  # "a second round", "A second spokesman"
    if m["mod"] and not det and m["mod"].strip().lower() in ("last", "next", "first", "past"):
        start = m.end("mod")  # "expected to last three days": "last" is the verb
    if re.fullmatch(r"an?", raw) and not (m["mod"] or det):
        nxt = ctx.text[end : end + 6].lower()
        prev = ctx.text[max(0, start - 12) : start].lower()
        if re.search(r"\d|\$|cents?\s*$|percent\s*$|%\s*$|times\s*$", prev):
            value = _duration(1, unit)
            return _Found(start, end, value, "SET", "set")
        if nxt.startswith((" ago", " earlier", " later")):
            return None
    if re.fullmatch(r"\d+", raw) and (
        re.search(r"[$£€]\s*$", ctx.text[max(0, start - 2) : start]) or (unit == "year" and int(raw) > 200)
    ):
        return None
    if m["mod"] and m["mod"].strip().lower() in ("recent",):
        return _Found(start, end, _duration(None, unit), "DURATION", "duration")
    if " to " in raw or " or " in raw:
        lo = _number(re.split(r"\s+(?:to|or)\s+", raw)[0])
        amount = lo if " or " in raw else None
        if " to " in raw and lo is not None and lo < 10 and not raw[0].isdigit():
            amount = lo
    else:
        amount = _number(raw)
    if amount == 0:
        return None
    after = ctx.text[end : end + 8].lower()
    if re.match(r"\s+old\b", after) or (unit == "quarter" and re.match(r"\s+of\b", after)):
        return None  # an age ("52 years old"), a fraction ("three-quarters of")
    if det in ("each", "every") and amount == 1:
        return _Found(start, end, _duration(1, unit), "SET", "set")
    return _Found(start, end, _duration(amount, unit), "DURATION", "duration")


@_rule(
    "vague-duration",
    r"(?P<det>the\s+)?(?P<mod>(?:past|last|next|coming|recent|first|early|previous)\s+)?(?:(?:several|few|many|a\s+few|"
    r"couple\s+of)\s+)?(?P<u>days|weeks|months|quarters|years|decades|centuries|hours|minutes)(?![\w-])",
)
def _vague_duration(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = " ".join(m.group(0).lower().split())
    unit = _unit_key(m["u"])
    prev = ctx.text[max(0, m.start() - 12) : m.start()].lower()
    words = text.split()
    if len(words) == 1:
        if not re.search(r"\b(for|in|within|over|after|took|takes|take)\s+$", prev):
            return None
        return _Found(*_span(m), _duration(None, unit), "DURATION", "duration")
    if (
        text.startswith(("the past", "the last", "recent", "the recent"))
        and len(words) <= 4
        and "few" in text
    ):
        return _Found(*_span(m), "PAST_REF", "DATE", "ref")
    if text in ("recent years", "past years", "recent decades"):
        return _Found(*_span(m), "PAST_REF", "DATE", "ref")
    if text.startswith(("coming", "the coming", "future")):
        return _Found(*_span(m), "FUTURE_REF", "DATE", "ref")
    if text.startswith(("the past several", "the last several")):
        return _Found(*_span(m), "PAST_REF", "DATE", "ref")
    return _Found(*_span(m), _duration(None, unit), "DURATION", "duration")


_REFS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "these days": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "the present": "PRESENT_REF", "this crucial moment": "PRESENT_REF", "this moment": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "recently": "PAST_REF", "recent": "PAST_REF", "more recently": "PAST_REF",
    "most recently": "PAST_REF", "the past": "PAST_REF", "in the past": "PAST_REF", "formerly": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "the distant future": "FUTURE_REF",
    "the near term": "FUTURE_REF", "the short term": "FUTURE_REF", "the long term": "FUTURE_REF",
    "the medium term": "FUTURE_REF", "soon": "FUTURE_REF", "as soon as possible": "FUTURE_REF",
    "future": "FUTURE_REF", "shortly": "FUTURE_REF",
}  # fmt: skip


@_rule("ref", "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _REFS), key=len, reverse=True)))
def _ref(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = " ".join(m.group(0).lower().split())
    start, end = _span(m)
    if text == "in the past":
        start += 3
        text = "the past"
    nxt = ctx.text[end : end + 24].lower()
    if text == "future" and not re.match(r"\s+(quarters|years|months|periods)\b", nxt):
        return None
    if text == "current" and re.match(r"\s+(account|events|affairs|state|form|law|rules|system|policy|"
                                      r"laws|issues|crisis)\b", nxt):  # fmt: skip
        return None
    if text == "recent" and re.match(r"\s+(days|weeks|months|quarters|years)\b", nxt):
        return None  # the vague-duration rule takes "recent years"
    if text == "shortly" and re.match(r"\s+(after|before)", nxt):
        return None
    if text == "soon" and (
        re.search(r"\bas\s+$", ctx.text[max(0, start - 4) : start].lower()) or nxt.startswith(" after")
    ):
        return None
    if text == "now" and re.search(
        r"\b(until|till|from|by)\s+$", ctx.text[max(0, start - 8) : start].lower()
    ):
        return _Found(start, end, "PRESENT_REF", "DATE", "ref")
    return _Found(start, end, _REFS[text], "DATE", "ref")


@_rule(
    "set",
    r"daily|weekly|monthly|quarterly|yearly|hourly|nightly|(?:each|every|per)\s+(?:(?P<n>other|two|three|"
    r"few)\s+)?(?P<u>day|week|month|quarter|year|hour|morning|night|evening|summer|winter|spring)",
)
def _set_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = m.group(0).lower()
    simple = {"daily": "XXXX-XX-XX", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
              "yearly": "P1Y", "hourly": "PT1H", "nightly": "XXXX-XX-XXTNI"}  # fmt: skip
    if text in simple:
        if text in ("daily", "weekly", "monthly", "quarterly") and re.match(
            r"\s+[a-z]", ctx.text[m.end() : m.end() + 3]
        ):
            return None  # an adjective: "weekly meeting"
        return _Found(*_span(m), simple[text], "SET", "set")
    unit = m["u"].lower()
    if unit in ("morning", "night", "evening"):
        return _Found(*_span(m), f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}", "SET", "set")
    if unit in SEASONS:
        return _Found(*_span(m), f"XXXX-{SEASONS[unit]}", "SET", "set")
    n = {"other": 2, "two": 2, "three": 3, "few": None}.get((m["n"] or "").lower(), 1)
    return _Found(*_span(m), _duration(n, unit), "SET", "set")


@_rule("decade-ref", r"the\s+(?:last|past|next)\s+decade")
def _decade_ref(m: re.Match[str], ctx: _Context) -> _Found | None:
    if ctx.anchor is None:
        return None
    return _dated(*_span(m), str(ctx.anchor.year // 10 - (0 if "next" in m.group(0).lower() else 1)))


# --------------------------------------------------------------------------- extraction


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for part in re.split(r"(\n\s*\n)", text):
        if part.strip() and not re.fullmatch(r"\n\s*\n", part):
            spans.extend(split_text(part, start))
        start += len(part)
    return spans or [(0, len(text))]


@dataclass(frozen=True, slots=True)
class Prepared:
    """The rule matches of one text; they do not depend on the anchor, so resolving the same text
    against many candidate anchors (publication date inference) matches the patterns only once."""

    text: str
    matches: tuple[tuple[int, re.Match[str], tuple[int, int]], ...]
    tenses: dict[tuple[int, int], Tense] = field(default_factory=dict, compare=False)


def prepare(text: str) -> Prepared:
    filtered = CASE_TRAPS.isdisjoint(text)  # else every rule is searched
    folded = text.lower()
    present = {s for s in _NEEDED if s in folded}  # one pass over all needs: cheaper than each
    if _ANY_DIGIT.search(text):
        present.add(_DIGIT)
    found: list[tuple[int, re.Match[str]]] = []
    for order, rule in enumerate(RULES):
        for need in rule.needs if filtered else ():
            if present.isdisjoint(need):
                break
        else:
            found.extend((order, m) for m in rule.pattern.finditer(text) if m.end() > m.start())
    if not found:
        return Prepared(text, ())
    sentences = _sentence_spans(text)
    starts = [s for s, _e in sentences]
    matches: list[tuple[int, re.Match[str], tuple[int, int]]] = []
    for order, m in found:  # spans are in text order and disjoint: the last one starting before
        k = bisect.bisect_right(starts, m.start()) - 1
        sentence = sentences[k] if k >= 0 and m.start() < sentences[k][1] else (0, len(text))
        matches.append((order, m, sentence))
    return Prepared(text, tuple(matches))


def _candidates(prepared: Prepared, anchor: dt.date | None) -> list[tuple[_Found, int]]:
    found: list[tuple[_Found, int]] = []
    for order, m, sentence in prepared.matches:
        hit = RULES[order].handle(m, _Context(prepared.text, anchor, sentence, prepared.tenses))
        if hit is not None and hit.end > hit.start:
            found.append((hit, order))
    return found


def _select(found: list[tuple[_Found, int]]) -> list[_Found]:
    """Longest non-overlapping matches, ties to the earlier rule, in text order."""
    chosen: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for hit, _order in sorted(found, key=lambda x: (-(x[0].end - x[0].start), x[1], x[0].start)):
        if any(hit.start < e and s < hit.end for s, e in taken):
            continue
        chosen.append(hit)
        taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: (h.start, h.end))


def _resolved(prepared: Prepared, anchor: dt.date | None, ranges: bool) -> list[_Found]:
    out: list[_Found] = []
    for hit in _select(_candidates(prepared, anchor)):
        out.extend(hit.parts if hit.parts and not ranges else (hit,))
    return out


def intervals(
    prepared: Prepared, anchor: dt.date | None, *, ranges: bool = True
) -> list[tuple[Granularity, Interval | None]]:
    """Granularity and calendar interval of each expression :func:`find_in_text` finds, in its
    order, without making the records (for trying many anchors on one text)."""
    return [(h.granularity, h.interval) for h in _resolved(prepared, anchor, ranges)]


def find_in_text(
    text: str | Prepared,
    anchor: dt.date | None,
    *,
    ranges: bool = True,
    article_id: str = "",
    offset: int = 0,
) -> tuple[TimeExpression, ...]:
    """Time expressions of a plain text, resolved against ``anchor`` (None: left underspecified).

    Spans index the text, shifted by ``offset`` (the text's place in a longer one)."""
    prepared = text if isinstance(text, Prepared) else prepare(text)
    text = prepared.text
    out: list[TimeExpression] = []
    for h in _resolved(prepared, anchor, ranges):
        start, end = h.interval if h.interval else (None, None)
        out.append(
            TimeExpression(
                article=article_id,
                span=(h.start + offset, h.end + offset),
                text=text[h.start : h.end],
                value=h.value,
                granularity=h.granularity,
                type=h.type,  # type: ignore[arg-type]
                anchor=anchor.isoformat() if anchor else None,
                start=start,
                end=end,
            )
        )
    return tuple(out)


def tense_at(text: str, start: int, end: int) -> str:
    """``future``, ``past`` or ``""``: the tense of the cue nearest to ``text[start:end]`` (the
    same reading the resolution of weekdays uses); ``text`` should be one sentence."""
    return _Context(text, None, (0, len(text))).tense(start, end)


def anchor_of(article: Article) -> dt.date | None:
    """The date an article's relative expressions refer to: its publication date, in its own time zone."""
    if article.published is None:
        return None
    if article.published.value is not None:
        return article.published.value.date()
    if article.published.range is not None:
        return article.published.range[0]
    return None


def find_times(
    article: Article | str, anchor: dt.date | None, settings: Settings
) -> tuple[TimeExpression, ...]:
    """Time expressions of an article (or a plain text) resolved against ``anchor``.

    Spans index ``article.text``. Pass :func:`anchor_of` (or an inferred date) as the anchor;
    None leaves relative expressions underspecified."""
    if isinstance(article, str):
        return find_in_text(article, anchor, ranges=settings.time.ranges)
    return find_in_text(article.text, anchor, ranges=settings.time.ranges, article_id=article.id)


@_rule(
    "the-year",
    r"(?P<pre>earlier\s+in\s+|later\s+in\s+|the\s+end\s+of\s+|the\s+rest\s+of\s+)?the\s+(?:full\s+|current\s+|"
    r"(?:current\s+)?fiscal\s+|calendar\s+)?year(?![\w-])(?P<post>\s+(?:ended|ending|to|through))?",
)
def _the_year(m: re.Match[str], ctx: _Context) -> _Found | None:
    if m["post"]:
        return _Found(m.start(), m.end() - len(m["post"]), "P1Y", "DURATION", "duration")
    nxt = ctx.text[m.end() : m.end() + 16].lower()
    if re.match(r"\s+(two|nineteen|ago|earlier|before|after|[0-9])", nxt):
        return None
    if ctx.anchor is None:
        return None
    start = m.start("pre") if m["pre"] and m["pre"].lower().startswith("the") else m.start()
    return _dated(start, m.end(), str(ctx.anchor.year))


@_rule("one-day", r"(?<=will\s)one\s+day|(?<=could\s)one\s+day|(?<=may\s)one\s+day|(?<=might\s)one\s+day")
def _one_day(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _Found(*_span(m), "FUTURE_REF", "DATE", "ref")
