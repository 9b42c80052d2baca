"""The records the rules hand to the resolver: a found expression with its value and interval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from synoptic.records import Granularity

Interval = tuple[dt.date, dt.date]
Tense = str  # "past" | "future" | ""


@dataclass(frozen=True, slots=True)
class Found:
    """An expression a rule found and resolved: its span in the text, TIMEX3 value and type, and
    the calendar interval it covers; a range keeps its parts (returned instead of it when the
    settings ask for parts, as TimeBank annotates them)."""

    start: int
    end: int
    value: str
    type: str
    granularity: Granularity
    interval: Interval | None = None
    parts: tuple[Found, ...] = ()
