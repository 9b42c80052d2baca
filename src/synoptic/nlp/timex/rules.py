"""The rules: each a regular expression plus a handler that resolves a match against an anchor.

Patterns are compiled case-blind and bounded (no word character, currency sign or hyphen just
before, no word character, hyphen or decimal just after). A handler returns None to drop a match
(a month name that is a common word with no cue, a number that counts people, ...). The order of
the rules is :data:`RULES`, written out once at the end of this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from synoptic.nlp.timex.amounts import duration_value, number_of, unit_key
from synoptic.nlp.timex.calendar import (
    ago_value,
    dated,
    day_found,
    last_quarter,
    month_day_value,
    month_year_value,
    quarter_value,
    safe_date,
    shift_value,
    week_value,
    weekday_date,
)
from synoptic.nlp.timex.prefilter import Need, rule_needs
from synoptic.nlp.timex.records import Found
from synoptic.nlp.timex.tense import Context
from synoptic.nlp.timex.vocabulary import (
    APPROX,
    CLOCK,
    COUNT_NOUNS,
    DAYPART,
    MONTH,
    MONTH_ALONE,
    MONTHS,
    NUM,
    NUMWORD,
    ORD,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    UNIT,
    WD,
    WEEKDAYS,
    YEAR,
)

Handler = Callable[[re.Match[str], Context], "Found | None"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named pattern and the handler that resolves its matches (see :func:`rule`)."""

    name: str
    pattern: re.Pattern[str]
    handle: Handler
    needs: tuple[Need, ...] = ()
    """What every match contains (:func:`rule_needs`): a text lacking one is not searched."""


def rule(name: str, pattern: str, handle: Handler) -> Rule:
    """A rule of ``pattern`` (bounded as the module notes say) with the needs read off it."""
    compiled = re.compile(r"(?<![\w$£€-])(?:" + pattern + r")(?![\w-]|\.\d)", re.I)
    return Rule(name, compiled, handle, rule_needs(compiled))


def _month_num(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _weekday_num(word: str) -> int:
    return WEEKDAYS[word.lower().rstrip(".")]


def _span(m: re.Match[str], group: str | int = 0) -> tuple[int, int]:
    return m.start(group), m.end(group)


_DATE_FULL_PATTERN = (
    r"(?:" + WD + r",?\s+)?(?:(?P<m1>" + MONTH + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})"
    r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + MONTH + r"))\.?,?\s+(?P<y>" + YEAR + r")"
    r"(?:,?\s+(?:at\s+)?(?P<c>\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b|[ap]\.m\b)))?"
)


def _date_full(m: re.Match[str], ctx: Context) -> Found | None:
    month = _month_num(m["m1"] or m["m2"])
    day = safe_date(int(m["y"]), month, int(m["d1"] or m["d2"]))
    if day is not None and m["c"]:  # "March 22, 2023, 7:35 AM": the clock is on that day, not the anchor's
        return Found(*_span(m), f"{day.isoformat()}T{_clock(m['c'])}", "TIME", "instant", (day, day))
    return day_found(*_span(m), day, "") if day else None


_DATE_ISO_PATTERN = r"(?P<y>" + YEAR + r")-(?P<mo>\d{2})-(?P<d>\d{2})"


def _date_iso(m: re.Match[str], ctx: Context) -> Found | None:
    day = safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
    return day_found(*_span(m), day, "") if day else None


_DATE_MONTH_DAY_PATTERN = (
    r"(?:(?P<wd>" + WD + r"),?\s+)?(?:(?P<m1>" + MONTH + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + MONTH + r"))"
)


def _date_month_day(m: re.Match[str], ctx: Context) -> Found | None:
    month, day = _month_num(m["m1"] or m["m2"]), int(m["d1"] or m["d2"])
    if not 1 <= day <= 31:
        return None
    value = month_day_value(ctx.anchor, month, day, "")
    return dated(*_span(m), value) if value else None


_MONTH_YEAR_PATTERN = (
    r"(?P<mod>(?:early|late|mid|the\s+(?:middle|end|beginning|start)\s+of)[\s-]+)?(?P<m>" + MONTH + r")"
    r"(?:,?\s+(?:of\s+)?(?P<y>" + YEAR + r")|\s+(?P<rel>this|last|next)\s+year)"
)


def _month_year_rule(m: re.Match[str], ctx: Context) -> Found | None:
    month = _month_num(m["m"])
    if m["y"]:
        return dated(*_span(m), f"{m['y']}-{month:02d}")
    if ctx.anchor is None:
        return dated(*_span(m), f"XXXX-{month:02d}")
    year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    return dated(*_span(m), f"{year}-{month:02d}")


_OTHER_YEAR = re.compile(
    r"\s+of\s+(?:an?|some|one|that|the\s+same|the\s+following|the\s+previous)\s+(?:[a-z]+\s+)?year\b", re.I
)
"""A month "of an unspecified year", "of that year", "of the following year": its year is told by
the context or not at all, so the anchor must not supply it."""


_MONTH_PATTERN = (
    r"(?P<mod>(?:this\s+past|this\s+coming|last|next|this|early|late|mid|the\s+(?:middle|end|beginning|start)"
    r"\s+of)[\s-]+)?(?P<m>" + MONTH + r")(?!\s+\d)"
)


def _month_rule(m: re.Match[str], ctx: Context) -> Found | None:
    word = m["m"]
    mod = " ".join((m["mod"] or "").lower().replace("-", " ").split())
    if not mod:
        if not re.fullmatch(MONTH_ALONE, word) and not re.fullmatch(r"(?-i:March|May)", word):
            return None
        if re.fullmatch(r"(?-i:March|May)", word):
            before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
            if not re.search(
                r"\b(in|since|until|till|by|of|early|late|from|through|before|after)\s+$", before
            ):
                return None
    month = _month_num(word)
    if _OTHER_YEAR.match(ctx.text, m.end()):
        return dated(*_span(m), f"XXXX-{month:02d}")  # not the anchor's year, nor one near it
    rel = mod if mod in ("last", "next", "this", "this past", "this coming") else ""
    return dated(*_span(m), month_year_value(ctx.anchor, month, ctx.tense(*_span(m)), rel))


_SEASON_PATTERN = (
    r"(?P<mod>this\s+past|this\s+coming|last|next|this|early|late|the)\s+(?P<s>spring|summer|autumn|fall|winter)"
    r"(?:\s+of\s+(?P<y>" + YEAR + r"))?"
)


def _season(m: re.Match[str], ctx: Context) -> Found | None:
    code = SEASONS[m["s"].lower()]
    if m["y"]:
        return dated(*_span(m), f"{m['y']}-{code}")
    mod = " ".join(m["mod"].lower().split())
    if mod == "the":
        return None
    if ctx.anchor is None:
        return dated(*_span(m), f"XXXX-{code}")
    start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    year = ctx.anchor.year
    if mod in ("last", "this past"):
        year = year if start_month + 2 < ctx.anchor.month else year - 1
    elif mod in ("next", "this coming"):
        year = year if start_month > ctx.anchor.month else year + 1
    return dated(*_span(m), f"{year}-{code}")


_YEAR_PATTERN = (
    r"(?P<mod>(?:(?:the\s+)?(?:fiscal|calendar|model|school)\s+(?:year\s+)?|(?:early|late|mid|the\s+(?:middle|end|"
    r"beginning|start|first\s+half|second\s+half)\s+of|(?:the\s+)?year)[\s-]+))?(?P<y>" + YEAR + r")"
    r"(?P<post>\s+(?:period|quarter))?(?!\s*(?:%|percent|per\s+cent|(?:[a-z]+\s+)?(?:"
    + COUNT_NOUNS
    + r")\b))"
)


def _year_rule(m: re.Match[str], ctx: Context) -> Found | None:
    year = int(m["y"])
    if not 1000 <= year <= 2099:
        return None
    before = ctx.text[max(0, m.start() - 2) : m.start()]
    if re.search(r"[\d,.]\s?$", before) or ctx.text[m.end() : m.end() + 2].startswith((",0", ",1", ".5")):
        return None
    if m["post"] and not ctx.text[max(0, m.start() - 4) : m.start()].lower().endswith("the "):
        return dated(m.start(), m.end("y"), str(year))
    if m["post"] and "quarter" in m["post"].lower():
        return None  # "the 1988 quarter" is a quarter: the quarter rule handles it
    mod = (m["mod"] or "").lower()
    if "half" in mod:
        return dated(*_span(m), f"{year}-H{1 if 'first' in mod else 2}")
    return dated(*_span(m), str(year))


_DECADE_PATTERN = r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<y>1[0-9]{2}|20[0-9])0['’]?s"


def _decade(m: re.Match[str], ctx: Context) -> Found | None:
    return dated(*_span(m), m["y"])


_DECADE_WORD_PATTERN = (
    r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<d>twenties|thirties|forties|fifties|sixties|seventies|"
    r"eighties|nineties)"
)


def _decade_word(m: re.Match[str], ctx: Context) -> Found | None:
    if not m.group(0).lower().startswith(("the", "early", "late", "mid")):
        return None
    tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
            "eighties": 8, "nineties": 9}[m["d"].lower()]  # fmt: skip
    return dated(*_span(m), f"19{tens}")


_YEAR_WORDS_PATTERN = (
    r"(?:the\s+(?:year\s+)?|(?:early|late|mid)[\s-]+)?(?:(?P<m>"
    + MONTH
    + r")\s+)?(?:(?P<a>nineteen)\s+(?P<b>"
    + NUMWORD
    + r")|(?P<c>two\s+thousand(?:\s+and)?(?:\s+(?:"
    + NUMWORD
    + r"))?))"
)


def _year_words(m: re.Match[str], ctx: Context) -> Found | None:
    text = m.group(0).lower()
    if m["a"]:
        rest = number_of(m["b"])
        if rest is None or rest >= 100:
            return None
        year = 1900 + int(rest)
    else:
        tail = re.sub(r"^two\s+thousand(?:\s+and)?\s*", "", m["c"].lower())
        rest = number_of(tail) if tail else 0
        if rest is None:
            return None
        year = 2000 + int(rest)
        if not text.startswith("the") and not m["m"] and ctx.anchor and abs(year - ctx.anchor.year) > 30:
            return None
    value = f"{year}-{_month_num(m['m']):02d}" if m["m"] else str(year)
    return dated(*_span(m), value)


_CENTURY_PATTERN = r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century"


def _century(m: re.Match[str], ctx: Context) -> Found | None:
    n = int(m["n"])
    return Found(*_span(m), f"{n - 1:02d}", "DATE", "year", (dt.date(max(1, (n - 1) * 100), 1, 1),
                  dt.date((n - 1) * 100 + 99, 12, 31)))  # fmt: skip


_QUARTER_PATTERN = (
    r"(?:(?P<det>the|this|that|a|last|next)\s+)?(?:(?P<lead>this\s+year['’]s|last\s+year['’]s|next\s+"
    r"year['’]s|(?P<ly>" + YEAR + r")(?:['’]s)?|year[\s-](?:ago|earlier)|flat|same|latest|current|previous|"
    r"prior|comparable|corresponding)\s+)?(?:(?:fiscal|calendar)\s+)?(?P<o>"
    + ORD
    + r")[\s-](?P<u>quarter|half|"
    r"period)(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<y>" + YEAR + r")|(?P<rel>this|last|next|the)\s+year))?"
)


def _quarter_rule(m: re.Match[str], ctx: Context) -> Found | None:
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
                return dated(*_span(m), f"XXXX-H{n}")
            current = (ctx.anchor.month - 1) // 6 + 1
            if ctx.tense(*_span(m)) == "future":  # the coming half: this year's, or next year's first
                year = ctx.anchor.year if n >= current else ctx.anchor.year + 1
            else:  # the latest half begun by the anchor
                year = ctx.anchor.year if n <= current else ctx.anchor.year - 1
        return dated(*_span(m), f"{year}-H{n}")
    value = quarter_value(ctx.anchor, n, ctx.tense(*_span(m)), year)
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
    return dated(start, m.end(), value)


_QUARTER_RELATIVE_PATTERN = (
    r"(?:the\s+|this\s+|last\s+|next\s+|a\s+)?(?P<mod>latest|current|previous|prior|same|past|last|this|next|"
    r"year[\s-]ago|year[\s-]earlier|(?:" + YEAR + r"))?\s*(?:fiscal\s+)?quarter(?!s)"
)


def _quarter_relative(m: re.Match[str], ctx: Context) -> Found | None:
    text = " ".join(m.group(0).lower().split())
    if ctx.anchor is None or text in ("quarter", "a quarter"):
        return None
    if not text.startswith(("the", "this", "last", "next")) and not m["mod"]:
        return None
    year, q = last_quarter(ctx.anchor)
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
    return dated(*_span(m), f"{year}-Q{q}")


_LATEST_PERIOD_PATTERN = (
    r"the\s+(?:latest|year[\s-]ago|year[\s-]earlier|(?P<y>"
    + YEAR
    + r"))\s+period|the\s+corresponding\s+period"
    r"(?:\s+(?:of\s+)?last\s+year)?"
)


def _latest_period(m: re.Match[str], ctx: Context) -> Found | None:
    if m["y"]:
        return dated(*_span(m), m["y"])
    if ctx.anchor is None:
        return None
    year, q = last_quarter(ctx.anchor)
    text = m.group(0).lower()
    if "ago" in text or "earlier" in text or "corresponding" in text:
        year -= 1
    return dated(*_span(m), f"{year}-Q{q}")


_RELATIVE_DAY_PATTERN = (
    r"(?P<mod>(?:late|early|earlier|later)\s+)?(?P<w>today|yesterday|tomorrow|tonight)(?:\s+(?P<p>"
    + DAYPART
    + r"))?"
    r"|(?P<pre>(?:(?:late|early)\s+)?(?:mid[\s-]?)?(?P<p2>"
    + DAYPART
    + r")\s+)(?P<w2>yesterday|today|tomorrow)"
)


def _relative_day(m: re.Match[str], ctx: Context) -> Found | None:
    word = (m["w"] or m["w2"]).lower()
    delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    part = m["p"] or m["p2"]
    code = PARTS_OF_DAY[part.lower()] if part else ("NI" if word == "tonight" else "")
    if ctx.text[m.end() : m.end() + 2] in ("'s", "’s") and not part:
        return None  # "today's world"
    day = ctx.anchor + dt.timedelta(days=delta) if ctx.anchor else None
    if day is None:
        ref = "PRESENT_REF" if delta == 0 else ("PAST_REF" if delta < 0 else "FUTURE_REF")
        return Found(*_span(m), ref, "DATE", "ref")
    return day_found(*_span(m), day, "", code)


_THIS_DAYPART_PATTERN = (
    r"(?:(?:later|earlier|late|early)\s+)?(?:this|last|the)\s+(?P<p>morning|afternoon|evening|night)"
    r"|(?:mid[\s-])(?P<p2>morning|afternoon)|overnight"
)


def _this_daypart(m: re.Match[str], ctx: Context) -> Found | None:
    text = m.group(0).lower()
    part = m["p"] or m["p2"] or "overnight"
    if text.startswith("the ") and part != "morning":
        return None
    day = ctx.anchor
    if day is not None and "last" in text.split():
        day -= dt.timedelta(days=1)
    if m["p2"] and day is not None:
        return Found(
            *_span(m), f"{day.isoformat()}T{PARTS_OF_DAY[part.lower()]}", "TIME", "instant", (day, day)
        )
    return day_found(*_span(m), day, "XXXX-XX-XX", PARTS_OF_DAY[part.lower()])


_WEEKDAY_RANGE_PATTERN = (
    r"(?:from\s+)?(?P<a>" + WD + r")\s+(?:to|through|till|until|-|–|and)\s+(?P<b>" + WD + r")"
    r"(?:\s+(?P<rel>next|last|this)\s+week)?"
)


def _weekday_range(m: re.Match[str], ctx: Context) -> Found | None:
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
        first = weekday_date(ctx.anchor, wa, ctx.tense(*_span(m)) or "past")
    last = first + dt.timedelta(days=wb - wa)
    parts = [day_found(*sa, first, ""), day_found(*sb, last, "")]
    if rel:
        rs, re_ = _span(m, "rel")
        parts.append(
            dated(
                rs,
                re_ + len(" week"),
                shift_value(ctx.anchor, "week", {"next": 1, "last": -1, "this": 0}[rel]),
            )
        )
    return Found(
        *_span(m), f"{first.isoformat()}/{last.isoformat()}", "DATE", "range", (first, last), tuple(parts)
    )


_DAY_RANGE_PATTERN = (
    r"(?:from\s+|between\s+)?(?:(?P<m1>"
    + MONTH
    + r")\s+(?P<a1>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|and|through)\s*"
    r"(?P<b1>\d{1,2})(?:st|nd|rd|th)?|(?P<a2>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|and|through)\s*(?P<b2>\d{1,2})"
    r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + MONTH + r"))(?:,?\s+(?P<y>" + YEAR + r"))?"
)


def _day_range(m: re.Match[str], ctx: Context) -> Found | None:
    text = m.group(0).lower()
    if (" and " in text and not text.startswith("between")) or ("between" in text and " and " not in text):
        return None
    month = _month_num(m["m1"] or m["m2"])
    a, b = int(m["a1"] or m["a2"]), int(m["b1"] or m["b2"])
    if not 1 <= a < b <= 31:
        return None
    if m["y"]:
        first, last = safe_date(int(m["y"]), month, a), safe_date(int(m["y"]), month, b)
    elif ctx.anchor is not None:
        value = month_day_value(ctx.anchor, month, a, ctx.tense(*_span(m)))
        first = dt.date.fromisoformat(value) if value else None
        last = safe_date(first.year, month, b) if first else None
    else:
        return None
    if first is None or last is None:
        return None
    start_part = (m.start("m1"), m.end("a1")) if m["m1"] else (m.start("a2"), m.end("a2"))
    end_part = (m.start("b1") if m["m1"] else m.start("b2"), m.end())
    parts = (day_found(*start_part, first, ""), day_found(*end_part, last, ""))
    return Found(*_span(m), f"{first.isoformat()}/{last.isoformat()}", "DATE", "range", (first, last), parts)


_WEEKDAY_PATTERN = (
    r"(?P<time>(?:(?:about|around)\s+)?" + CLOCK + r"\s+(?:(?:EST|EDT|GMT|UTC|local\s+time)"
    r",?\s+)?(?:on\s+)?)?(?P<dark>after\s+dark\s+on\s+|late\s+on\s+|early\s+on\s+)?(?P<mod>(?:this\s+past|this\s+coming|"
    r"last|next|this|the\s+previous|the\s+following|earlier|early|late|later)\s+)?(?P<wd>"
    + WD
    + r")(?P<pl>s)?"
    r"(?:\s+(?P<p>" + DAYPART + r")s?)?"
)


def _weekday_rule(m: re.Match[str], ctx: Context) -> Found | None:
    weekday = _weekday_num(m["wd"])
    start, end = _span(m)
    if m["pl"] or re.search(r"\b(each|every)\s+$", ctx.text[max(0, start - 7) : start].lower()):
        part = f"T{PARTS_OF_DAY[m['p'].lower()]}" if m["p"] else ""
        if re.search(r"\b(each|every)\s+$", ctx.text[max(0, start - 7) : start].lower()):
            start = ctx.text.lower().rfind("e", 0, start - 4)
            start = ctx.text.lower().rfind(" ", 0, start) + 1
        return Found(start, end, f"XXXX-WXX-{weekday}{part}", "SET", "set")
    mod = " ".join((m["mod"] or "").lower().split())
    direction = {
        "last": "last", "next": "next", "this coming": "next", "this past": "last", "the previous": "last",
        "the following": "next", "this": "near",
    }.get(mod) or ctx.day_tense(start, end) or "past"  # fmt: skip
    day = weekday_date(ctx.anchor, weekday, direction) if ctx.anchor else None
    placeholder = f"XXXX-WXX-{weekday}"
    if m["time"]:
        clock = _clock(m["time"])
        if day is None:
            return Found(start, end, f"{placeholder}T{clock}", "TIME", "instant")
        return Found(start, end, f"{day.isoformat()}T{clock}", "TIME", "instant", (day, day))
    part = "NI" if m["dark"] and "dark" in m["dark"] else ""
    if m["p"]:
        part = PARTS_OF_DAY[m["p"].lower()]
    if m["dark"] and "dark" not in m["dark"]:
        start = m.start("mod") if m["mod"] else m.start("wd")
    return day_found(start, end, day, placeholder, part)


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


_CLOCK_PATTERN = (
    r"(?:(?:about|around|at\s+about|approximately|shortly\s+(?:before|after)|just\s+(?:before|after))\s+)?"
    r"(?P<c>\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b|[ap]\.m\b))(?:\s+(?:EST|EDT|GMT|UTC|local\s+time))?"
    r"(?:,?\s+(?P<m>" + MONTH + r")\s+(?P<d>\d{1,2}))?"
)


def _clock_rule(m: re.Match[str], ctx: Context) -> Found | None:
    clock = _clock(m["c"])
    day = ctx.anchor
    if m["m"]:
        value = month_day_value(ctx.anchor, _month_num(m["m"]), int(m["d"]), ctx.tense(*_span(m)))
        day = dt.date.fromisoformat(value) if value and value[0].isdigit() else None
    if day is None:
        return Found(*_span(m), f"XXXX-XX-XXT{clock}", "TIME", "instant")
    return Found(*_span(m), f"{day.isoformat()}T{clock}", "TIME", "instant", (day, day))


_RELATIVE_UNIT_PATTERN = (
    r"(?P<pre>(?:(?:earlier|later|early|late|mid)[\s-]+|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of\s+)?)"
    r"(?P<mod>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+previous|the\s+current|the\s+coming|"
    r"the\s+following|the\s+prior)\s+(?P<u>week|weekend|month|year|decade|century)(?!s)"
)


def _relative_unit(m: re.Match[str], ctx: Context) -> Found | None:
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
        return Found(*_span(m), duration_value(1, unit), "DURATION", "duration")
    if mod in ("the following", "the previous", "the prior") and not m["pre"]:
        return None  # relative to a date in the text, not to the anchor
    if ctx.anchor is None:
        ref = "PRESENT_REF" if delta == 0 else ("PAST_REF" if delta < 0 else "FUTURE_REF")
        return Found(*_span(m), ref, "DATE", "ref")
    if unit == "weekend":
        base = ctx.anchor + dt.timedelta(weeks=delta)
        return dated(*_span(m), week_value(base) + "-WE")
    return dated(*_span(m), shift_value(ctx.anchor, unit, delta))


_THE_WEEKEND_PATTERN = (
    r"(?:the|this|last|over\s+the)\s+weekend|(?:the\s+)?(?:end\s+of\s+the|)\s*(?P<u>month|year)[\s-]end|"
    r"(?:around\s+)?(?P<u2>year|month)[\s-]?end|the\s+end\s+of\s+the\s+(?P<u3>week|month|year)"
)


def _the_weekend(m: re.Match[str], ctx: Context) -> Found | None:
    text = " ".join(m.group(0).lower().split())
    start, end = _span(m)
    if text.startswith("over the "):
        start += len("over ")
    if ctx.anchor is None:
        return None
    if "weekend" in text:
        delta = -1 if text.startswith("last") else 0
        return dated(start, end, shift_value(ctx.anchor, "weekend", delta))
    unit = m["u"] or m["u2"] or m["u3"]
    if unit == "year" and "end of the" not in text:
        tense = ctx.tense(start, end)
        year = ctx.anchor.year if tense != "past" or ctx.anchor.month > 6 else ctx.anchor.year - 1
        return day_found(start, end, dt.date(year, 12, 31), "")
    return dated(start, end, shift_value(ctx.anchor, unit.lower(), 0))


_AGO_PATTERN = (
    r"(?P<ap>" + APPROX + r")?(?P<n>" + NUM + r")\s+(?P<u>" + UNIT + r")(?:\s+or\s+(?:so|two|more))?\s+"
    r"(?P<dir>ago|earlier|before|later|hence|from\s+now)"
)


def _ago_rule(m: re.Match[str], ctx: Context) -> Found | None:
    unit = unit_key(m["u"])
    amount = number_of(m["n"])
    direction = m["dir"].lower()
    sign = 1 if direction in ("later", "hence", "from now") else -1
    if direction in ("before", "later", "earlier") and unit != "year":
        return Found(*_span(m), duration_value(amount, unit), "DURATION", "duration")
    if unit in ("hour", "minute", "second") or ctx.anchor is None:
        return Found(*_span(m), ago_value(ctx.anchor, amount, unit, sign), "DATE", "ref")
    if amount is None:
        return Found(*_span(m), "PAST_REF" if sign < 0 else "FUTURE_REF", "DATE", "ref")
    value = ago_value(ctx.anchor, amount, unit, sign)
    if unit == "year" and direction in ("ago", "earlier"):
        value = _year_ago_in_context(ctx, value) or value
    return dated(*_span(m), value)


def _year_ago_in_context(ctx: Context, value: str) -> str | None:
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
            r"\b" + ORD + r"[\s-]quarter\b|\b(?:the|latest|this|current)\s+(?:quarter|period)\b", before
        )
    )
    if not quarters:
        return None
    last = quarters[-1].group(0)
    if (o := last.split()[0].split("-")[0]) in ORDINALS:
        base = quarter_value(ctx.anchor, ORDINALS[o], "past")
        return f"{int(base[:4]) - 1}{base[4:]}"
    year, q = last_quarter(ctx.anchor)
    return f"{year - 1}-Q{q}"


_YEAR_AGO_ADJ_PATTERN = r"year[\s-](?:earlier|ago)(?=\s+[a-z])"


def _year_ago_adj(m: re.Match[str], ctx: Context) -> Found | None:
    if ctx.anchor is None:
        return None
    value = _year_ago_in_context(ctx, str(ctx.anchor.year - 1)) or str(ctx.anchor.year - 1)
    return dated(*_span(m), value)


_DURATION_PATTERN = (
    r"(?P<det>(?:the|a|an|each\s+of\s+the|each\s+of|every|for\s+the)\s+)?(?P<mod>(?:past|last|next|first|final|"
    r"coming|previous|following|latest|recent|full|entire|whole|initial|remaining|same|more\s+than|additional|"
    r"further|other)\s+)?(?P<ap>"
    + APPROX
    + r")?(?P<n>"
    + NUM
    + r"|\d+\s+to\s+\d+|(?:"
    + NUMWORD
    + r")\s+(?:or|to)"
    r"\s+(?:"
    + NUMWORD
    + r"))(?:\s+(?P<more>more|additional|straight|consecutive|long|full|trading|business))?"
    r"[\s-]+(?P<u>" + UNIT + r")(?P<old>-old)?(?:\s+or\s+(?:so|more))?"
)


def _duration_rule(m: re.Match[str], ctx: Context) -> Found | None:
    unit = unit_key(m["u"])
    raw = m["n"].lower()
    start, end = _span(m)
    det = (m["det"] or "").lower().strip()
    if det == "for the":
        start = m.start("det") + 4
    count = number_of(raw)
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
            value = duration_value(1, unit)
            return Found(start, end, value, "SET", "set")
        if nxt.startswith((" ago", " earlier", " later")):
            return None
    if re.fullmatch(r"\d+", raw) and (
        re.search(r"[$£€]\s*$", ctx.text[max(0, start - 2) : start]) or (unit == "year" and int(raw) > 200)
    ):
        return None
    if m["mod"] and m["mod"].strip().lower() in ("recent",):
        return Found(start, end, duration_value(None, unit), "DURATION", "duration")
    if " to " in raw or " or " in raw:
        lo = number_of(re.split(r"\s+(?:to|or)\s+", raw)[0])
        amount = lo if " or " in raw else None
        if " to " in raw and lo is not None and lo < 10 and not raw[0].isdigit():
            amount = lo
    else:
        amount = number_of(raw)
    if amount == 0:
        return None
    after = ctx.text[end : end + 8].lower()
    if re.match(r"\s+old\b", after) or (unit == "quarter" and re.match(r"\s+of\b", after)):
        return None  # an age ("52 years old"), a fraction ("three-quarters of")
    if det in ("each", "every") and amount == 1:
        return Found(start, end, duration_value(1, unit), "SET", "set")
    return Found(start, end, duration_value(amount, unit), "DURATION", "duration")


_VAGUE_DURATION_PATTERN = (
    r"(?P<det>the\s+)?(?P<mod>(?:past|last|next|coming|recent|first|early|previous)\s+)?(?:(?:several|few|many|a\s+few|"
    r"couple\s+of)\s+)?(?P<u>days|weeks|months|quarters|years|decades|centuries|hours|minutes)(?![\w-])"
)


def _vague_duration(m: re.Match[str], ctx: Context) -> Found | None:
    text = " ".join(m.group(0).lower().split())
    unit = unit_key(m["u"])
    prev = ctx.text[max(0, m.start() - 12) : m.start()].lower()
    words = text.split()
    if len(words) == 1:
        if not re.search(r"\b(for|in|within|over|after|took|takes|take)\s+$", prev):
            return None
        return Found(*_span(m), duration_value(None, unit), "DURATION", "duration")
    if (
        text.startswith(("the past", "the last", "recent", "the recent"))
        and len(words) <= 4
        and "few" in text
    ):
        return Found(*_span(m), "PAST_REF", "DATE", "ref")
    if text in ("recent years", "past years", "recent decades"):
        return Found(*_span(m), "PAST_REF", "DATE", "ref")
    if text.startswith(("coming", "the coming", "future")):
        return Found(*_span(m), "FUTURE_REF", "DATE", "ref")
    if text.startswith(("the past several", "the last several")):
        return Found(*_span(m), "PAST_REF", "DATE", "ref")
    return Found(*_span(m), duration_value(None, unit), "DURATION", "duration")


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


_REF_PATTERN = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _REFS), key=len, reverse=True))


def _ref(m: re.Match[str], ctx: Context) -> Found | None:
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
        return Found(start, end, "PRESENT_REF", "DATE", "ref")
    return Found(start, end, _REFS[text], "DATE", "ref")


_SET_PATTERN = (
    r"daily|weekly|monthly|quarterly|yearly|hourly|nightly|(?:each|every|per)\s+(?:(?P<n>other|two|three|"
    r"few)\s+)?(?P<u>day|week|month|quarter|year|hour|morning|night|evening|summer|winter|spring)"
)


def _set_rule(m: re.Match[str], ctx: Context) -> Found | None:
    text = m.group(0).lower()
    simple = {"daily": "XXXX-XX-XX", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
              "yearly": "P1Y", "hourly": "PT1H", "nightly": "XXXX-XX-XXTNI"}  # fmt: skip
    if text in simple:
        if text in ("daily", "weekly", "monthly", "quarterly") and re.match(
            r"\s+[a-z]", ctx.text[m.end() : m.end() + 3]
        ):
            return None  # an adjective: "weekly meeting"
        return Found(*_span(m), simple[text], "SET", "set")
    unit = m["u"].lower()
    if unit in ("morning", "night", "evening"):
        return Found(*_span(m), f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}", "SET", "set")
    if unit in SEASONS:
        return Found(*_span(m), f"XXXX-{SEASONS[unit]}", "SET", "set")
    n = {"other": 2, "two": 2, "three": 3, "few": None}.get((m["n"] or "").lower(), 1)
    return Found(*_span(m), duration_value(n, unit), "SET", "set")


_DECADE_REF_PATTERN = r"the\s+(?:last|past|next)\s+decade"


def _decade_ref(m: re.Match[str], ctx: Context) -> Found | None:
    if ctx.anchor is None:
        return None
    return dated(*_span(m), str(ctx.anchor.year // 10 - (0 if "next" in m.group(0).lower() else 1)))


_THE_YEAR_PATTERN = (
    r"(?P<pre>earlier\s+in\s+|later\s+in\s+|the\s+end\s+of\s+|the\s+rest\s+of\s+)?the\s+(?:full\s+|current\s+|"
    r"(?:current\s+)?fiscal\s+|calendar\s+)?year(?![\w-])(?P<post>\s+(?:ended|ending|to|through))?"
)


def _the_year(m: re.Match[str], ctx: Context) -> Found | None:
    if m["post"]:
        return Found(m.start(), m.end() - len(m["post"]), "P1Y", "DURATION", "duration")
    nxt = ctx.text[m.end() : m.end() + 16].lower()
    if re.match(r"\s+(two|nineteen|ago|earlier|before|after|[0-9])", nxt):
        return None
    if ctx.anchor is None:
        return None
    start = m.start("pre") if m["pre"] and m["pre"].lower().startswith("the") else m.start()
    return dated(start, m.end(), str(ctx.anchor.year))


_ONE_DAY_PATTERN = r"(?<=will\s)one\s+day|(?<=could\s)one\s+day|(?<=may\s)one\s+day|(?<=might\s)one\s+day"


def _one_day(m: re.Match[str], ctx: Context) -> Found | None:
    return Found(*_span(m), "FUTURE_REF", "DATE", "ref")


# The order of the rules decides ties: where two matches overlap, the longer one wins, and of two
# of the same length the one of the earlier rule (resolve._select). Ties with different values
# occur on TimeBank dev: "the past few weeks" is whole to both "duration" (PXW) and
# "vague-duration" (PAST_REF), "will one day" to both "duration" (P1D) and "one-day" (FUTURE_REF);
# "duration" comes first, so it wins both. The order is the one the rules had when each was
# registered at import (file order), with which TimeBank dev's figures and the example's output
# were measured; moving a rule can change results. tests/test_timex_prefilter.py pins the order
# (test_rules_are_one_ordered_tuple) and one of these ties (test_a_tie_goes_to_the_earlier_rule).
RULES: tuple[Rule, ...] = (
    rule("date-full", _DATE_FULL_PATTERN, _date_full),
    rule("date-iso", _DATE_ISO_PATTERN, _date_iso),
    rule("date-month-day", _DATE_MONTH_DAY_PATTERN, _date_month_day),
    rule("month-year", _MONTH_YEAR_PATTERN, _month_year_rule),
    rule("month", _MONTH_PATTERN, _month_rule),
    rule("season", _SEASON_PATTERN, _season),
    rule("year", _YEAR_PATTERN, _year_rule),
    rule("decade", _DECADE_PATTERN, _decade),
    rule("decade-word", _DECADE_WORD_PATTERN, _decade_word),
    rule("year-words", _YEAR_WORDS_PATTERN, _year_words),
    rule("century", _CENTURY_PATTERN, _century),
    rule("quarter", _QUARTER_PATTERN, _quarter_rule),
    rule("quarter-relative", _QUARTER_RELATIVE_PATTERN, _quarter_relative),
    rule("latest-period", _LATEST_PERIOD_PATTERN, _latest_period),
    rule("relative-day", _RELATIVE_DAY_PATTERN, _relative_day),
    rule("this-daypart", _THIS_DAYPART_PATTERN, _this_daypart),
    rule("weekday-range", _WEEKDAY_RANGE_PATTERN, _weekday_range),
    rule("day-range", _DAY_RANGE_PATTERN, _day_range),
    rule("weekday", _WEEKDAY_PATTERN, _weekday_rule),
    rule("clock", _CLOCK_PATTERN, _clock_rule),
    rule("relative-unit", _RELATIVE_UNIT_PATTERN, _relative_unit),
    rule("the-weekend", _THE_WEEKEND_PATTERN, _the_weekend),
    rule("ago", _AGO_PATTERN, _ago_rule),
    rule("year-ago-adj", _YEAR_AGO_ADJ_PATTERN, _year_ago_adj),
    rule("duration", _DURATION_PATTERN, _duration_rule),
    rule("vague-duration", _VAGUE_DURATION_PATTERN, _vague_duration),
    rule("ref", _REF_PATTERN, _ref),
    rule("set", _SET_PATTERN, _set_rule),
    rule("decade-ref", _DECADE_REF_PATTERN, _decade_ref),
    rule("the-year", _THE_YEAR_PATTERN, _the_year),
    rule("one-day", _ONE_DAY_PATTERN, _one_day),
)

NEEDED: tuple[str, ...] = tuple(dict.fromkeys(s for r in RULES for need in r.needs for s in need))
"""Every string some rule needs (each once): a text is scanned for these once, not once per rule."""
