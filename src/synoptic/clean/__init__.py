"""Cleaning: boilerplate removal and metadata read from the text.

``clean_article(article, settings) -> Article`` works on the lines of the extracted body (one
paragraph per line) in four passes, repeated until nothing changes (a removal can expose a
new first or last line), then reads metadata (5). Each pass records what it takes out as a
:class:`~synoptic.records.Removal` (text, category-named reason, 0-based line index).

1. **Whole lines** (:mod:`.rules`, :mod:`.credits`, :mod:`.dates`): ad markers, comment boxes,
   newsletter/podcast/social promos, related and gallery links, photo captions and credits,
   copyright and translation notices, navigation, bylines, origin-credit lines
   (``(With inputs from ANI)``), timestamp lines (``Updated: March 22, 2023, 7:35 AM``),
   a copy of the title, and a caption glued to its own copy (with its other copies); furniture
   glued after a sentence (``...the end.Click To Tweet``) is cut and the sentence kept.
2. **Head prefixes**: in the lines up to the first body paragraph, a dateline glued to the
   text (``1 min read 21 Mar 2023, 04:39 PM IST...``) or a ``Hong Kong (CNN)`` credit is cut
   and the rest of the paragraph kept; an agency tag ending the last paragraph (``— AP``) too.
3. **Repetition**: copies that rendering produces are removed, structure is kept. Adjacent
   copies of a headline-shaped line (a caption or teaser shown twice) all go; adjacent copies
   of a paragraph keep the first; a long paragraph seen exactly twice (a standfirst repeated
   as the lead) keeps the first, unless the page repeats several lines by design (meal plans,
   the same interview questions to many people), where distant repeats are content.
4. **Tail**: short label-like lines of the trailing block that sit next to a promo
   (``View from London`` beside a newsletter sign-up) are navigation.
5. **Metadata**: publication date from the text when the article has none (kind
   ``published`` or ``updated``; naive values get a warning), origin credits, language with
   a confidence (non-English articles are kept and flagged), heading spans.

Design choices:

- The article ``id`` is the one ingestion gave: it identifies the input as read, so ids stay
  stable when cleaning rules change, and a reader can always find the raw article again.
- Cleaning only ever deletes lines or cuts a prefix/suffix of one: every kept paragraph is a
  substring of the input, and cleaning a cleaned article changes nothing (both are tested
  as properties).
- Short lines that are not matched by any rule and not repeated (subheadings such as
  ``'Dearest friends'``) are story text: they stay, and their spans are listed in
  ``Article.headings`` so later stages can treat them as headings rather than sentences.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
from collections.abc import Iterable

from synoptic.clean import credits as credit_rules
from synoptic.clean.dates import TextDate, as_published, read_prefix, read_stamp
from synoptic.clean.language import detect
from synoptic.clean.rules import classify_line, glued_suffix, inline_furniture
from synoptic.clean.shape import is_headline_like, is_label_like, is_sentence_like, norm, self_glued, words
from synoptic.config import CleanSettings
from synoptic.limits import compared_length
from synoptic.records import Article, Provenance, Removal, Span

__all__ = ["clean_article", "clean_articles"]

TITLE_SIMILARITY = 0.95
"""A line this similar to the title (difflib ratio of normalised text) repeats the headline.
Set on the extract benchmark pages: a one-word variant of the title that is a heading of the
story ('Calendário da Stock Car 2018' under 'Calendário Stock Car 2018') scores 0.94."""

MIN_REPEAT_WORDS = 2
"""Repeated lines shorter than this (``Q``, a speaker's name) are never treated as copies."""

MIN_COPY_WORDS = 12
"""A paragraph seen twice far apart is a copy (a repeated standfirst) from this many words on;
shorter repeats far apart are list items or refrains. Tuned on the extract benchmark pages."""

TEMPLATED_REPEATS = 2
"""A page with this many different lines repeated far apart repeats by design (templated)."""

NON_ENGLISH_CONFIDENCE = 0.5
"""Flag an article as non-English when the detector is at least this sure."""


class _Lines:
    """The body's lines with their current text (None once removed) and the removals so far."""

    def __init__(self, text: str) -> None:
        self.original = [line for line in text.split("\n") if line.strip()]
        self.current: list[str | None] = [line.strip() for line in self.original]
        self.removals: list[Removal] = []

    def alive(self) -> list[int]:
        return [i for i, line in enumerate(self.current) if line is not None]

    def text(self, i: int) -> str:
        line = self.current[i]
        assert line is not None
        return line

    def remove(self, i: int, reason: str) -> None:
        self.removals.append(Removal(text=self.text(i), reason=reason, line=i))
        self.current[i] = None

    def cut(self, i: int, start: int, end: int, reason: str) -> None:
        """Remove ``[start:end)`` of line ``i`` (a prefix or a suffix), keeping the rest."""
        line = self.text(i)
        self.removals.append(Removal(text=line[start:end].strip(), reason=reason, line=i))
        rest = (line[:start] + line[end:]).strip()
        self.current[i] = rest or None


def _is_title_copy(line: str, title_key: str | None) -> bool:
    """Whether ``line`` repeats the headline; ``title_key`` is ``norm(title)``."""
    if not title_key:
        return False
    a, b = norm(line), title_key
    if a == b:
        return True
    if not 0.8 <= len(a) / max(len(b), 1) <= 1.25 or len(words(a)) < 4:
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio is an upper bound of ratio and far cheaper: most lines fail it
    return matcher.quick_ratio() >= TITLE_SIMILARITY and matcher.ratio() >= TITLE_SIMILARITY


def _whole_lines(lines: _Lines, title: str | None, credits: list[str], dates: list[TextDate]) -> None:
    glued: dict[str, str] = {}
    title_key = norm(title) if title else None
    for i in lines.alive():
        line = lines.text(i)
        named = credit_rules.credit_line(line)
        if named is not None:
            credits.extend(named)
            lines.remove(i, "origin credit")
            continue
        stamp = read_stamp(line)
        if stamp is not None:
            dates.append(stamp)
            lines.remove(i, "update timestamp" if stamp.kind == "updated" else "dateline")
            continue
        reason = classify_line(line)
        if reason is None:
            half = self_glued(line)
            if half is not None:
                reason = "photo caption" if classify_line(half) else "repeated caption"
                glued[norm(half)] = reason
        if reason is None and _is_title_copy(line, title_key):
            reason = "repeated headline"
        if reason is not None:
            lines.remove(i, reason)
            continue
        suffix = glued_suffix(line)
        if suffix is not None:
            lines.cut(i, suffix[1], len(line), suffix[0])
        for reason, start, end in inline_furniture(lines.text(i)) if lines.current[i] is not None else ():
            lines.cut(i, start, end, reason)
    for i in lines.alive():  # the single copies of a caption that also appears glued to itself
        key = norm(lines.text(i))
        if key in glued:
            lines.remove(i, glued[key])


def _head_prefixes(lines: _Lines, credits: list[str], dates: list[TextDate], cut_datelines: bool) -> None:
    for i in lines.alive():
        while lines.current[i] is not None:
            line = lines.text(i)
            found = credit_rules.dateline(line)
            if found is not None:
                credits.append(found[0])
                if cut_datelines:
                    lines.cut(i, 0, found[1], "origin credit")
                    continue
            date, end = read_prefix(line)
            if end:
                if date is not None:
                    dates.append(date)
                lines.cut(i, 0, end, "dateline")
                continue
            break
        if lines.current[i] is not None and is_sentence_like(lines.text(i)):
            break
    alive = lines.alive()
    if alive:
        last = alive[-1]
        previous = lines.text(alive[-2]) if len(alive) > 1 else None
        outlet = credit_rules.last_line(lines.text(last), previous)
        if outlet is not None:
            credits.append(outlet)
            lines.remove(last, "origin credit")
            return
        tag = credit_rules.trailing(lines.text(last))
        if tag is not None:
            credits.append(tag[0])
            lines.cut(last, tag[1], len(lines.text(last)), "origin credit")


def _repetition(lines: _Lines) -> None:
    """Copies, not structure: remove a line's repeats when they look like a rendering accident.

    A caption or teaser headline rendered twice sits on adjacent lines; a standfirst repeated
    as the first paragraph is one long paragraph seen exactly twice. Pages whose lines repeat
    by design (meal plans, interview questions asked of many people, tweet embeds) repeat
    several different lines at a distance: on such templated pages only adjacent copies go.
    """
    alive = lines.alive()
    where: dict[str, list[int]] = {}  # positions among the lines still kept
    for rank, i in enumerate(alive):
        line = lines.text(i)
        if len(words(line)) >= MIN_REPEAT_WORDS:
            where.setdefault(norm(line), []).append(rank)
    groups = {key: pos for key, pos in where.items() if len(pos) > 1}
    adjacent = {key for key, pos in groups.items() if all(b - a == 1 for a, b in itertools.pairwise(pos))}
    templated = len(groups) - len(adjacent) >= TEMPLATED_REPEATS
    for key, pos in groups.items():
        first = lines.text(alive[pos[0]])
        if key in adjacent and is_headline_like(first):
            for rank in pos:
                lines.remove(alive[rank], "repeated headline")
        elif key in adjacent or (not templated and len(pos) == 2 and len(words(first)) >= MIN_COPY_WORDS):
            for rank in pos[1:]:
                lines.remove(alive[rank], "repeated paragraph")


PROMO_REASONS = frozenset(
    {"newsletter promo", "subscription promo", "podcast promo", "social promo", "related link", "navigation"}
)


def _tail(lines: _Lines, reasons: dict[int, str]) -> None:
    """Section labels next to a promo in the trailing block of page furniture are navigation."""
    block: list[int] = []
    for i in range(len(lines.current) - 1, -1, -1):
        line = lines.current[i]
        if line is not None and not is_label_like(line):
            break
        block.append(i)
    for i in block:
        if lines.current[i] is not None and (
            reasons.get(i - 1) in PROMO_REASONS or reasons.get(i + 1) in PROMO_REASONS
        ):
            lines.remove(i, "navigation")


def _merge(old: Iterable[str], new: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in (*old, *new):
        if item and item not in out:
            out.append(item)
    return tuple(out)


def _headings(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    start = 0
    for part in text.split("\n\n"):
        if is_label_like(part):
            spans.append((start, start + len(part)))
        start += len(part) + 2
    return tuple(spans)


def clean_article(article: Article, settings: CleanSettings) -> Article:
    """The article with boilerplate removed and date, credits and language read from the text.

    Text beyond ``settings.max_article_chars`` is left out first (said in the warnings)."""
    capped: list[str] = []
    keep = compared_length(article.text, settings.max_article_chars)
    if keep < len(article.text):
        capped.append(
            f"only the first {keep:,} of {len(article.text):,} characters were read "
            f"(limit {settings.max_article_chars:,} per article)"
        )
        article = dataclasses.replace(article, text=article.text[:keep])
    lines = _Lines(article.text)
    credits: list[str] = []
    dates: list[TextDate] = []
    while True:  # to a fixed point: a removal can expose a new first/last line or make copies adjacent
        before = list(lines.current)
        _whole_lines(lines, article.title, credits, dates)
        _head_prefixes(lines, credits, dates, settings.cut_datelines)
        _repetition(lines)
        _tail(
            lines,
            {r.line: r.reason for r in lines.removals if r.line is not None and not lines.current[r.line]},
        )
        if lines.current == before:
            break

    text = "\n\n".join(lines.text(i) for i in lines.alive())
    warnings: list[str] = capped
    provenance: dict[str, Provenance] = dict(article.provenance)
    published = article.published
    if published is None and dates and settings.dates_from_text:
        best = next((d for d in dates if d.kind == "published"), dates[0])
        published, warning = as_published(best)
        provenance["published"] = "text"
        if warning:
            warnings.append(warning)
    credits.extend(credit_rules.sign_offs(text))
    if credits:
        provenance["credits"] = "text"
    language, confidence = article.language, article.language_confidence
    if language is None and settings.detect_language:
        found = detect(f"{article.title or ''}\n{text}")
        if found is not None:
            language, confidence = found
            provenance["language"] = "inferred"
    if language is not None and language != "en" and (confidence or 1.0) >= NON_ENGLISH_CONFIDENCE:
        warnings.append(
            f"language is {language!r} (confidence {confidence}): kept; "
            "the boilerplate rules are written for English pages"
        )
    if lines.original and not text:
        warnings.append("cleaning removed every line of the body: check the removals")
    return dataclasses.replace(
        article,
        text=text,
        published=published,
        language=language,
        language_confidence=confidence,
        removed=(*article.removed, *sorted(lines.removals, key=lambda r: r.line or 0)),
        credits=_merge(article.credits, credits),
        provenance=provenance,
        warnings=_merge(article.warnings, warnings),
        headings=_headings(text),
    )


def clean_articles(articles: Iterable[Article], settings: CleanSettings) -> list[Article]:
    """The stage over many articles (the per-article function is :func:`clean_article`)."""
    return [clean_article(a, settings) for a in articles]
