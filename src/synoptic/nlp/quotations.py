"""Quotation marks: where the quotations of a paragraph are (no model, character level).

Used by quote attribution (the content of a direct quote), the cross-check and the summary (a
sentence inside a quotation opened by an earlier sentence is a speaker's words, not the outlet's
claim, and cannot stand in a neutral summary without its speaker).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from synoptic.records import Article, Span

__all__ = ["OpenQuotations", "in_open_quotation", "inside_quotation", "quotation_spans"]

_QUOTE_OPEN = '“"'
_QUOTE_CLOSE = '”"'


_MARK = re.compile('[“”"]')
"""Every character :func:`quotation_spans` reads; the others do not change its state."""


def quotation_spans(text: str) -> list[Span]:
    """Spans of the quotations in one paragraph, marks included (end exclusive)."""
    spans: list[Span] = []
    open_at: int | None = None
    for mark in _MARK.finditer(text):  # a long paragraph has few marks: visit only those
        i, ch = mark.start(), mark.group()
        if open_at is None:
            if ch in _QUOTE_OPEN:
                open_at = i
        elif ch in _QUOTE_CLOSE:
            spans.append((open_at, i + 1))
            open_at = None
        elif ch == "“":
            spans.append((open_at, i))
            open_at = i
    if open_at is not None and len(text) - open_at > 1:
        spans.append((open_at, len(text)))
    return [s for s in spans if s[1] - s[0] > 2]


def inside_quotation(paragraph: str, start: int) -> bool:
    """Whether offset ``start`` of ``paragraph`` lies inside a quotation that opened before it
    (a quotation left open runs to the end of its paragraph)."""
    return _opened_before(quotation_spans(paragraph), start)


def _opened_before(quotations: Sequence[Span], at: int) -> bool:
    return any(s < at < e for s, e in quotations)


def in_open_quotation(article: Article, span: Span, paragraphs: Sequence[Span] | None = None) -> bool:
    """The span sits inside a quotation that an earlier sentence of its paragraph opened and did
    not close (a speaker's words without the speaker: 'He added: "... Russia did not get what it
    wants. So it's very complex."'). ``paragraphs``: the article's paragraph spans, when the
    caller has them (:class:`OpenQuotations` for many spans of one article)."""
    return OpenQuotations(article, paragraphs).holds(span)


class OpenQuotations:
    """:func:`in_open_quotation` for many spans of one article: its paragraphs found by
    bisection, each paragraph's quotations found once."""

    def __init__(self, article: Article, paragraphs: Sequence[Span] | None = None) -> None:
        self.article = article
        self.paragraphs = article.paragraph_spans() if paragraphs is None else paragraphs
        self._quotations: dict[int, list[Span]] = {}

    def holds(self, span: Span) -> bool:
        """Whether ``span`` sits inside a quotation an earlier sentence opened."""
        spans = self.paragraphs
        k = bisect.bisect_right(spans, (span[0], float("inf"))) - 1
        if k < 0 or not spans[k][0] <= span[0] < spans[k][1]:
            return False
        start, end = spans[k]
        found = self._quotations.get(k)
        if found is None:
            found = self._quotations[k] = quotation_spans(self.article.text[start:end])
        return _opened_before(found, span[0] - start)
