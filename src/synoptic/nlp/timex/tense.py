"""The tense of the words around an expression, which decides where a relative one lies.

"on Monday" next to "will" is the next Monday, next to a past-tense verb the latest Monday on or
before the anchor; the nearest cue in the sentence wins (cues after the expression count double
their distance).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from synoptic.nlp.timex.records import Tense

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
class Context:
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
