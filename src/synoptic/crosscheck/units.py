"""Units of comparison (sentences and their clauses) and the normalised values they state.

A *unit* is a sentence of an article (headings skipped) or, when the sentence has several
clauses, one of those clauses: a sentence often states more than one fact ("Putin welcomed Xi on
Monday, starting a three-day visit"), and each clause can then corroborate a different claim.

*Slots* are the values a unit states in a normalised form, so that other words for the same
value meet: quantities with their unit ("three-day", "three days", "3 days", and a weekday range
"from Monday to Wednesday" are all ``3 day``), months and calendar dates, years, and short quoted
terms (scare quotes such as "no limits"). Shared slots make two units more alike; the same unit
with different values is what a conflict is made of.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from synoptic.nlp.casefold import CASE_TRAPS
from synoptic.nlp.sentences import SentenceSplits, sentences_of
from synoptic.nlp.text import word_key
from synoptic.records import Article, Span, TimeExpression


@dataclass(frozen=True, slots=True)
class Slot:
    kind: str
    """``quantity`` | ``date`` | ``month`` | ``year`` | ``term``."""
    key: str
    """What is measured (the unit for a quantity: ``day``, ``death``) or the kind again."""
    value: str
    """The normalised value (``3``, ``2023-03-20``, ``february``, ``no limits``)."""
    span: Span
    """Where it is stated (absolute offsets into the article text)."""


@dataclass(frozen=True, slots=True)
class Unit:
    article: str
    sentence: int
    """Index of the sentence in the article (shared by a sentence and its clauses)."""
    span: Span
    text: str
    clause: bool
    slots: tuple[Slot, ...]


NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
MONTHS = "january february march april may june july august september october november december".split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

# Words that follow a number without being what it counts ("one-on-one", "two of them", "3 and").
NOT_UNITS = frozenset(
    """a an the and or of on in at to for from by with as is are was were be been that this these those
    than then who which what when where while about over under more less most least per each other
    another such same so too very it its their his her our your my them they we he she i you one""".split()
)

_NUM = r"(?:\d[\d,]*(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_QUANTITY = re.compile(
    rf"\b(?P<num>{_NUM}(?:[- ](?:{'|'.join(NUMBER_WORDS)}))?)"
    r"(?P<half>\s+and\s+a\s+half)?"
    rf"(?:\s+(?P<mult>{'|'.join(MULTIPLIERS)}))?"
    r"(?:\s*(?P<pct>%|per\s?cent\b|percent\b)|\s?(?P<abbr>km|m|ft|mi|kg|lbs?|mph)\b|[- ](?P<unit>[a-z]+))?",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b(?P<a>\d{1,3})\s*-\s*years?\s*-\s*old\b|\b(?P<b>\d{1,3})\s+years?\s+old\b"
    r"|(?<=[A-Za-z]),\s(?P<c>\d{1,2}),\s",
    re.IGNORECASE,
)
_SPLIT_THOUSANDS = re.compile(r"(?<![\d,])(\d{1,3}),\s$")
_CLOCK = re.compile(r"\b(?P<h>\d{1,2})(?::(?P<mm>\d\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?", re.IGNORECASE)
_TIMES = re.compile(
    r"\b(?P<verb>\w+(?:ed|t|ck|ot))\s+(?P<n>once|twice|three times|four times)\b", re.IGNORECASE
)
UNIT_ALIASES = {
    "m": "metre", "meter": "metre", "metre": "metre", "km": "kilometre", "kilometer": "kilometre",
    "kilometre": "kilometre", "ft": "foot", "feet": "foot", "foot": "foot", "mi": "mile", "mile": "mile",
    "kg": "kilogram", "kilo": "kilogram", "kilogram": "kilogram", "lb": "pound", "lbs": "pound",
    "mph": "mph", "hr": "hour", "hrs": "hour", "min": "minute", "yr": "year",
}  # fmt: skip
"""Spellings of one unit to one name (``60m``, ``60 metres``, ``60 meters`` are all ``metre``)."""
TO_BASE = {"foot": ("metre", 0.3048), "mile": ("kilometre", 1.609344), "pound": ("kilogram", 0.45359)}
"""Units converted before comparing: 200 ft and about 60 m are the same height."""
SAME_VALUE_TOLERANCE = 0.1
"""Two measured values within this relative difference are one value (news rounds conversions:
200 ft is 61 m, reported as "about 60 m")."""
_WEEKDAY_RANGE = re.compile(
    rf"\bfrom\s+(?P<a>{'|'.join(WEEKDAYS)})\s+(?:to|until|till|through)\s+(?P<b>{'|'.join(WEEKDAYS)})\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{'|'.join(MONTHS)})"
    rf"|(?P<m2>{'|'.join(MONTHS)})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)",
    re.IGNORECASE,
)
_MONTH = re.compile(rf"\b(?P<m>{'|'.join(m.capitalize() for m in MONTHS)})\b")
_YEAR = re.compile(r"\b(?P<y>(?:19|20)\d\d)\b")
_QUOTED = re.compile(r"[“\"‘](?P<inner>[^“”\"‘’\n]{1,80}?)[”\"’](?!\w)")
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|tells|added|adds|reported|reports|stated|claimed|according|informed|wrote|writes)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s+[—–]\s*|—|:\s+")
_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile("|".join(NUMBER_WORDS))  # anywhere in lower-cased text, no boundaries


def _number(text: str) -> float | None:
    words = re.split(r"[- ]", text.lower())
    total = 0.0
    for w in words:
        if w in NUMBER_WORDS:
            total += NUMBER_WORDS[w]
        else:
            try:
                total += float(w.replace(",", ""))
            except ValueError:
                return None
    return total


def _unit_word(word: str) -> str:
    """Crude singular of a unit word: ``days`` -> ``day``, ``deaths`` -> ``death``."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def normalise_term(text: str) -> str:
    """Lower-cased words of a term, hyphens as spaces: ``No-Limits`` -> ``no limits``."""
    return word_key(text)


def quoted_terms(text: str, offset: int, max_words: int) -> list[tuple[Span, str, str]]:
    """Short quoted terms with the noun they qualify: ``(span, phrase, inner term)``.

    ``“no limits” partnership`` gives the phrase ``“no limits” partnership`` and the term ``no
    limits``; a quote that ends with punctuation inside (``“informal lunch,”``) is its own phrase.
    Quotes longer than ``max_words`` words are speech, not a term, and are skipped."""
    out: list[tuple[Span, str, str]] = []
    for m in _QUOTED.finditer(text):
        inner = m.group("inner").strip()
        words = inner.split()
        if not words or len(words) > max_words or not re.search(r"[^\W\d_]", inner):
            continue
        end = m.end()
        if inner[-1].isalnum():
            nxt = re.match(r"\s+([a-z][a-z-]{2,})\b", text[end:])
            if nxt and nxt.group(1) not in NOT_UNITS and not nxt.group(1).endswith(("ed", "ly")):
                end += nxt.end()
        phrase = text[m.start() : end]
        out.append(((offset + m.start(), offset + end), phrase, normalise_term(inner)))
    return out


def find_slots(text: str, offset: int, max_term_words: int) -> tuple[Slot, ...]:
    """The normalised values stated in ``text`` (spans shifted by ``offset``)."""
    slots: list[Slot] = []
    taken: list[Span] = []
    # cheap tests that rule patterns out: dates and counts in figures need a digit, years "19"
    # or "20", counts in words a number word, a weekday range the word "from"
    digit = _DIGIT.search(text) is not None
    lower = text.lower()
    trap = not CASE_TRAPS.isdisjoint(text)
    words = trap or digit or _NUMBER_WORD.search(lower) is not None
    for m in _WEEKDAY_RANGE.finditer(text) if trap or "from" in lower else ():
        # a weekday range is a duration in days, inclusive: Monday to Wednesday is 3 days
        first, last = m.group("a").lower(), m.group("b").lower()
        if first not in WEEKDAYS or last not in WEEKDAYS:
            continue  # matched through a non-ASCII case variant ("wedneſday"): not a plain name
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
        days = (b - a) % 7 + 1
        slots.append(Slot("quantity", "day", str(days), (offset + m.start(), offset + m.end())))
        taken.append((m.start(), m.end()))
    for m in _MONTH_DAY.finditer(text) if digit else ():
        month = (m.group("m1") or m.group("m2")).lower()
        if month not in MONTHS:
            continue  # "20 ſeptember": a case variant the pattern lets through
        if month == "may" and m.group("m2") and not text[m.start()].isupper():
            continue  # "may 3 ..." the verb
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            value = f"{MONTHS.index(month) + 1:02d}-{day:02d}"
            slots.append(Slot("date", "date", value, (offset + m.start(), offset + m.end())))
            taken.append((m.start(), m.end()))
    for m in _MONTH.finditer(text):
        if m.group("m") == "May" and m.start() > 0 and text[m.start() - 2 : m.start()] not in ("n ", "y "):
            # "May" other than "in May"/"by May" is too often the modal verb or a name
            continue
        if not any(s <= m.start() < e for s, e in taken):
            slots.append(Slot("month", "month", m.group("m").lower(), (offset + m.start(), offset + m.end())))
    for m in _YEAR.finditer(text) if "19" in text or "20" in text else ():
        slots.append(Slot("year", "year", m.group("y"), (offset + m.start(), offset + m.end())))
        taken.append((m.start(), m.end()))
    if digit:
        _ages_and_clocks(text, offset, slots, taken)
    for m in _TIMES.finditer(text) if "twice" in lower or "once" in lower or "times" in lower else ():
        n = {"once": 1, "twice": 2, "three times": 3, "four times": 4}[m.group("n").lower()]
        slots.append(Slot("quantity", "time", str(n), (offset + m.start("n"), offset + m.end("n"))))
    for m in _QUANTITY.finditer(text) if words else ():
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.group("abbr") and m.start() > 0 and text[m.start() - 1] in "$£€¥":
            continue  # "$3m" is money in millions, not metres
        number = _number(m.group("num"))
        if number is None:
            continue
        qty: float = number
        split = _SPLIT_THOUSANDS.search(text[: m.start()])
        if split and re.fullmatch(r"\d{3}", m.group("num")):
            qty += int(split.group(1)) * 1000  # "2, 000 feet": a tokenised "2,000"
        if m.group("half"):
            qty += 0.5
        if m.group("mult"):
            qty *= MULTIPLIERS[m.group("mult").lower()]
        if m.group("pct"):
            unit = "percent"
        elif m.group("abbr"):
            unit = UNIT_ALIASES.get(m.group("abbr").lower(), m.group("abbr").lower())
        elif m.group("unit") and m.group("unit").lower() not in NOT_UNITS:
            unit = _unit_word(m.group("unit"))
            unit = UNIT_ALIASES.get(unit, unit)
            if unit in MULTIPLIERS:
                continue
        else:
            continue
        if unit in TO_BASE:
            unit, factor = TO_BASE[unit]
            qty = round(qty * factor, 1)
        if m.group("num")[0].isalpha() and qty == 1 and m.group("unit") and not m.group("half"):
            continue  # "one" + noun is an article more often than a count ("one sentence")
        slots.append(Slot("quantity", unit, _fmt(qty), (offset + m.start(), offset + m.end())))
    for span, _phrase, term in quoted_terms(text, offset, max_term_words):
        slots.append(Slot("term", "term", term, span))
    return tuple(sorted(slots, key=lambda s: (s.span, s.kind, s.key, s.value)))


def _ages_and_clocks(text: str, offset: int, slots: list[Slot], taken: list[Span]) -> None:
    """Ages ("36-year-old", "Buckley, 32,") and clock times ("1:30 a.m.") as slots of their own."""
    for m in _AGE.finditer(text):
        value = m.group("a") or m.group("b") or m.group("c")
        slots.append(Slot("age", "age", str(int(value)), (offset + m.start(), offset + m.end())))
        taken.append((m.start(), m.end()))
    for m in _CLOCK.finditer(text):
        hour = int(m.group("h"))
        if not 1 <= hour <= 12:
            continue
        hour = hour % 12 + (12 if m.group("ap").lower() == "p" else 0)
        value = f"{hour:02d}:{m.group('mm') or '00'}"
        slots.append(Slot("clock", "clock", value, (offset + m.start(), offset + m.end())))
        taken.append((m.start(), m.end()))


CONFLICT_KINDS = ("quantity", "date", "year", "age", "clock")
"""Slot kinds whose different values are a disagreement (months and quoted terms are not: one
text may name the month of one event and the other of another; terms are wordings)."""


MEASURES = frozenset({"metre", "kilometre", "kilogram", "mph", "hour", "minute", "mile"})
"""Units of measurement, whose reported values are rounded (counts, ages and dates are exact)."""


def same_value(a: str, b: str, *, measured: bool = True) -> bool:
    """One value: equal, or (``measured``) numbers within :data:`SAME_VALUE_TOLERANCE` of each other."""
    if a == b:
        return True
    if not measured:
        return False
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= SAME_VALUE_TOLERANCE * max(abs(x), abs(y))


def slot_differences(a: Sequence[Slot], b: Sequence[Slot]) -> list[tuple[str, list[Slot], list[Slot]]]:
    """The slots both state (same kind, same unit) with no value in common: ``(what, a's, b's)``,
    ``what`` the unit of a quantity or the kind."""
    out = []
    for kind in CONFLICT_KINDS:
        keys = {s.key for s in a if s.kind == kind} & {s.key for s in b if s.kind == kind}
        for key in sorted(keys):
            sa = [s for s in a if s.kind == kind and s.key == key]
            sb = [s for s in b if s.kind == kind and s.key == key]
            measured = kind == "quantity" and key in MEASURES
            if not any(same_value(x.value, y.value, measured=measured) for x in sa for y in sb):
                out.append((key if kind == "quantity" else kind, sa, sb))
    return out


def _time_slots(times: Sequence[TimeExpression], starts: Sequence[int], span: Span) -> list[Slot]:
    """Slots from the who/when stage's resolved time expressions inside ``span``; ``times`` sorted
    by start, ``starts`` their starts (so each unit looks only at its own stretch of the text)."""
    out: list[Slot] = []
    for k in range(bisect.bisect_left(starts, span[0]), bisect.bisect_right(starts, span[1])):
        t = times[k]
        if not (span[0] <= t.span[0] and t.span[1] <= span[1]):
            continue
        if t.type == "DURATION":
            m = re.fullmatch(r"P(\d+(?:\.\d+)?)([DWMY])", t.value)
            if m:
                unit = {"D": "day", "W": "week", "M": "month", "Y": "year"}[m.group(2)]
                out.append(Slot("quantity", unit, _fmt(float(m.group(1))), t.span))
        elif t.granularity == "day" and re.fullmatch(r"\d{4}-\d\d-\d\d", t.value):
            out.append(Slot("date", "date", t.value[5:], t.span))
        elif t.granularity == "range" and t.start and t.end:
            out.append(Slot("quantity", "day", str((t.end - t.start).days + 1), t.span))
    return out


def clause_spans(text: str, offset: int, min_words: int) -> list[Span]:
    """The clauses of a sentence (split at commas, semicolons, colons and dashes), short pieces
    glued to a neighbour; empty when the sentence is one clause."""
    parts: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE_BREAK.finditer(text):
        parts.append((start, m.start()))
        start = m.end()
    parts.append((start, len(text)))
    merged: list[tuple[int, int]] = []
    for a, b in parts:
        if merged and (
            len(text[a:b].split()) < min_words or len(text[merged[-1][0] : merged[-1][1]].split()) < min_words
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if len(merged) > 1 and len(text[merged[-1][0] : merged[-1][1]].split()) < min_words:
        merged[-2] = (merged[-2][0], merged[-1][1])
        merged.pop()
    if len(merged) < 2:
        return []
    out: list[Span] = []
    for a, b in merged:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((offset + a + lead, offset + a + trail))
    return out


def article_units(
    article: Article,
    *,
    min_clause_words: int,
    max_term_words: int,
    times: Sequence[TimeExpression] = (),
    splits: SentenceSplits | None = None,
    pieces: dict[str, list[Piece]] | None = None,
) -> list[Unit]:
    """Sentences (not headings) of one article and, for multi-clause sentences, their clauses
    (the sentences from ``splits`` when the dossier shares them). ``pieces``: the
    :func:`sentence_pieces` of sentence texts already read (a story's copies repeat sentences),
    filled in here."""
    units: list[Unit] = []
    times = sorted(times, key=lambda t: t.span)  # in text order: a unit looks up only its own
    starts = [t.span[0] for t in times]
    pieces = {} if pieces is None else pieces
    for sent in sentences_of(article, splits):
        s, e = sent.span
        if any(hs <= s and e <= he for hs, he in article.headings):
            continue
        found_pieces = pieces.get(sent.text)
        if found_pieces is None:
            found_pieces = pieces[sent.text] = sentence_pieces(sent.text, min_clause_words, max_term_words)
        for i, (start, end, text, values) in enumerate(found_pieces):
            a, b = s + start, s + end
            found = [_shifted(x, a) for x in values]
            ages = [x.span for x in found if x.kind == "age"]
            # "31-year-old" is an age, not a 31-year duration
            timed = [
                t
                for t in _time_slots(times, starts, (a, b))
                if not any(t.span[0] < e and s < t.span[1] for s, e in ages)
            ]
            slots = found + timed
            units.append(
                Unit(article.id, sent.index, (a, b), text, clause=i > 0, slots=tuple(dict.fromkeys(slots)))
            )
    return units


Piece = tuple[int, int, str, tuple[Slot, ...]]
"""A unit of a sentence, where the sentence is read alone: start, end, text, the values it states."""


def sentence_pieces(text: str, min_clause_words: int, max_term_words: int) -> list[Piece]:
    """The units of one sentence, at offsets into ``text``: the sentence, then its clauses when
    it has several (an attribution clause left out), each with its values (:func:`find_slots`,
    at offsets into that unit's own text)."""
    out: list[Piece] = []
    for i, (a, b) in enumerate([(0, len(text)), *clause_spans(text, 0, min_clause_words)]):
        piece = text[a:b]
        if i > 0 and len(piece.split()) <= 8 and _ATTRIBUTION.search(piece):
            continue  # "the regional government said.", "Correspondent X reports": who, not what
        out.append((a, b, piece, find_slots(piece, 0, max_term_words)))
    return out


def _shifted(slot: Slot, offset: int) -> Slot:
    return Slot(slot.kind, slot.key, slot.value, (slot.span[0] + offset, slot.span[1] + offset))
