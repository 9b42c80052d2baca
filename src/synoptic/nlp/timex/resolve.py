"""The public entry points: match the rules over a text once, resolve the matches against an
anchor, keep the longest non-overlapping ones (ties to the earlier rule of :data:`RULES`)."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from synoptic.config import TimeSettings
from synoptic.nlp.casefold import CASE_TRAPS
from synoptic.nlp.sentences import split_text
from synoptic.nlp.timex.prefilter import DIGIT
from synoptic.nlp.timex.records import Found, Interval, Tense
from synoptic.nlp.timex.rules import NEEDED, RULES
from synoptic.nlp.timex.tense import Context
from synoptic.records import Article, Granularity, TimeExpression

_ANY_DIGIT = re.compile(r"\d")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text (paragraph breaks end one too): tense cues are read within them."""
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
    """Every match of every rule in the text, each with its sentence; a rule whose needs the text
    lacks is not searched (:mod:`.prefilter`), unless the text holds a character that folds to
    ASCII only under the regex engine's case rules (``CASE_TRAPS``)."""
    filtered = CASE_TRAPS.isdisjoint(text)  # else every rule is searched
    folded = text.lower()
    present = {s for s in NEEDED if s in folded}  # one pass over all needs: cheaper than each
    if _ANY_DIGIT.search(text):
        present.add(DIGIT)
    found: list[tuple[int, re.Match[str]]] = []
    for order, rule in enumerate(RULES):
        for need in rule.needs if filtered else ():
            if present.isdisjoint(need):
                break
        else:
            found.extend((order, m) for m in rule.pattern.finditer(text) if m.end() > m.start())
    if not found:
        return Prepared(text, ())
    sentences = sentence_spans(text)
    starts = [s for s, _e in sentences]
    matches: list[tuple[int, re.Match[str], tuple[int, int]]] = []
    for order, m in found:  # spans are in text order and disjoint: the last one starting before
        k = bisect.bisect_right(starts, m.start()) - 1
        sentence = sentences[k] if k >= 0 and m.start() < sentences[k][1] else (0, len(text))
        matches.append((order, m, sentence))
    return Prepared(text, tuple(matches))


def _candidates(prepared: Prepared, anchor: dt.date | None) -> list[tuple[Found, int]]:
    found: list[tuple[Found, int]] = []
    for order, m, sentence in prepared.matches:
        hit = RULES[order].handle(m, Context(prepared.text, anchor, sentence, prepared.tenses))
        if hit is not None and hit.end > hit.start:
            found.append((hit, order))
    return found


def _select(found: list[tuple[Found, int]]) -> list[Found]:
    """Longest non-overlapping matches, ties to the earlier rule, in text order."""
    chosen: list[Found] = []
    taken: list[tuple[int, int]] = []
    for hit, _order in sorted(found, key=lambda x: (-(x[0].end - x[0].start), x[1], x[0].start)):
        if any(hit.start < e and s < hit.end for s, e in taken):
            continue
        chosen.append(hit)
        taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: (h.start, h.end))


def _resolved(prepared: Prepared, anchor: dt.date | None, ranges: bool) -> list[Found]:
    out: list[Found] = []
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
    return Context(text, None, (0, len(text))).tense(start, end)


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
    article: Article | str, anchor: dt.date | None, settings: TimeSettings | None = None
) -> tuple[TimeExpression, ...]:
    """Time expressions of an article (or a plain text) resolved against ``anchor``.

    Spans index ``article.text``. Pass :func:`anchor_of` (or an inferred date) as the anchor;
    None leaves relative expressions underspecified. ``settings``: the ``time`` section."""
    ranges = (settings or TimeSettings()).ranges
    if isinstance(article, str):
        return find_in_text(article, anchor, ranges=ranges)
    return find_in_text(article.text, anchor, ranges=ranges, article_id=article.id)
