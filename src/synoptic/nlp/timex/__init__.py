"""Time expressions: find them in text and normalise them against an anchor date.

A rule-based extractor in the manner of HeidelTime, written for news: each rule is a regular
expression plus a normaliser; all rules run over the text, the longest match wins where matches
overlap (ties go to the earlier rule of :data:`RULES`). Values follow TIMEX3 (TimeML):

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
what its pattern needs (a month name, a digit, "quarter", ...: read off the pattern by
:mod:`.prefilter`), which finds the same matches as searching every text with every rule,
several times faster.

The modules: :mod:`.records` (what a rule finds), :mod:`.vocabulary` (word tables and pattern
fragments), :mod:`.tense` (the tense around an expression), :mod:`.calendar` (date arithmetic on
values), :mod:`.amounts` (numbers and durations), :mod:`.prefilter` (what a pattern needs),
:mod:`.rules` (the rules and their order) and :mod:`.resolve` (the entry points, re-exported here).
"""

from __future__ import annotations

from synoptic.nlp.timex.calendar import granularity_of, interval_of
from synoptic.nlp.timex.prefilter import DIGIT, Need, rule_needs
from synoptic.nlp.timex.records import Interval, Tense
from synoptic.nlp.timex.resolve import (
    Prepared,
    anchor_of,
    find_in_text,
    find_times,
    intervals,
    prepare,
    sentence_spans,
    tense_at,
)
from synoptic.nlp.timex.rules import RULES, Rule
from synoptic.nlp.timex.vocabulary import MONTHS, ORDINALS, PARTS_OF_DAY, SEASONS, UNITS, WEEKDAYS

_DIGIT = DIGIT
"""The name the prefilter's digit need had when this was one module (kept for importers)."""
_sentence_spans = sentence_spans
"""The name :func:`sentence_spans` had when this was one module (kept for importers)."""

__all__ = [
    "DIGIT",
    "MONTHS",
    "ORDINALS",
    "PARTS_OF_DAY",
    "RULES",
    "SEASONS",
    "UNITS",
    "WEEKDAYS",
    "_DIGIT",
    "Interval",
    "Need",
    "Prepared",
    "Rule",
    "Tense",
    "_sentence_spans",
    "anchor_of",
    "find_in_text",
    "find_times",
    "granularity_of",
    "interval_of",
    "intervals",
    "prepare",
    "rule_needs",
    "tense_at",
]
