"""When: publication dates inferred from the text, and the dated timeline of a story.

Stage order (each a plain function of records and settings):

1. :func:`infer_published` gives every article whose publication date is unknown (or only an
   *update* time, which may be days after the text was written) an inferred date: a range of
   days that agrees with the rest of the story, and a best guess (its first day).
2. :func:`story_times` finds the time expressions of every article against its anchor: the
   published date, else the inferred one.
3. :func:`build_timeline` turns dated sentences into :class:`~synoptic.records.Event` records,
   merging the same dated event reported by several outlets, in calendar order.

How the inference works: every candidate day ``d`` in a window around the story's dated evidence
is tried as the article's anchor. Its relative expressions ("next week", "on Friday",
"yesterday") are resolved against ``d`` and compared with what the *other* articles say about the
same happening: a sentence of the article that resembles a dated sentence elsewhere (weighted word
overlap) votes for ``d`` when the two dates overlap and against it when they do not. Then news
practice bounds the result: an article is published within ``recency_days`` of the latest event
it reports in the past tense. The range is the set of best-scoring days that meet this bound.
Nothing is read from file names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from synoptic.config import Settings
from synoptic.nlp.sentences import split_sentences
from synoptic.nlp.timex import Prepared, anchor_of, find_in_text, intervals, prepare, tense_at
from synoptic.records import Article, Citation, Event, PublishedDate, Sentence, StoryFacts, TimeExpression

DATED = frozenset({"day", "week", "month", "quarter", "year", "range", "instant"})
"""Granularities that place an event on the calendar (durations, sets and refs do not)."""

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
_STOP = frozenset(
    """the a an and or of to in on at for from by with as is are was were be been has have had will would
    that this these those it its his her their they he she we i you not but said says also after before
    which who whom what when where while than then there into over about up out more most such can could
    may might should do does did one two three first last next week monday tuesday wednesday thursday
    friday saturday sunday yesterday today tomorrow year month january february march april may june july
    august september october november december""".split()
)
MAX_ROUNDS = 4
SIMILAR = 0.2
"""Least IDF-weighted word overlap for a sentence of an undated article to count as a report of the
same happening as a dated sentence of another article. Set on the seed story (dev): 0.15 lets
sentences that only share the leaders' names vote, 0.3 leaves the 'next week' visit unmatched."""


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower().rstrip("'’s") for w in _WORD.findall(text) if w.lower() not in _STOP)


@dataclass(frozen=True, slots=True)
class _Dated:
    article: str
    interval: tuple[dt.date, dt.date]
    words: frozenset[str]


class _Idf:
    def __init__(self, docs: Sequence[frozenset[str]]) -> None:
        self.n = max(1, len(docs))
        self.df = Counter(w for d in docs for w in d)
        self._weights: dict[str, float] = {}

    def weight(self, word: str) -> float:
        w = self._weights.get(word)
        if w is None:
            w = self._weights[word] = math.log((1 + self.n) / (1 + self.df[word])) + 1.0
        return w

    def overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Weighted overlap coefficient: shared weight over the lighter side's weight (a short
        sentence inside a long one counts as the same statement)."""
        if not a or not b:
            return 0.0
        lighter = min(sum(self.weight(w) for w in a), sum(self.weight(w) for w in b))
        return sum(self.weight(w) for w in a & b) / lighter

    def similarity(self, a: frozenset[str], b: frozenset[str]) -> float:
        union = a | b
        if not union:
            return 0.0
        return sum(self.weight(w) for w in a & b) / sum(self.weight(w) for w in union)


@dataclass(slots=True)
class _Story:
    """The sentences of a story's articles, read once (split, rule matches, content words) and
    shared by the inference, the time expressions and the timeline of :func:`story_when`."""

    sentences: dict[str, list[Sentence]]
    prepared: dict[str, dict[int, Prepared]]
    """Rule matches of each sentence, by article id and sentence index (made when first needed)."""
    words: dict[str, list[frozenset[str]]]
    """Content words of each sentence, by article id and sentence index."""
    idf: _Idf
    times: dict[tuple[str, dt.date | None], list[tuple[Sentence, TimeExpression]]]
    """The time expressions of an article's sentences against an anchor, once found."""

    @classmethod
    def read(cls, articles: Sequence[Article]) -> _Story:
        sentences = {a.id: split_sentences(a) for a in articles}
        words = {aid: [_words(s.text) for s in ss] for aid, ss in sentences.items()}
        return cls(sentences, {}, words, _Idf([w for ws in words.values() for w in ws]), {})

    def prepared_of(self, article_id: str) -> dict[int, Prepared]:
        found = self.prepared.get(article_id)
        if found is None:
            found = self.prepared[article_id] = {s.index: prepare(s.text) for s in self.sentences[article_id]}
        return found

    def words_of(self, sentence: Sentence) -> frozenset[str]:
        return self.words[sentence.article][sentence.index]

    def times_of(
        self, article: Article, anchor: dt.date | None, settings: Settings
    ) -> list[tuple[Sentence, TimeExpression]]:
        """Time expressions of every sentence of the article against ``anchor``."""
        key = (article.id, anchor)
        found = self.times.get(key)
        if found is None:
            found = self.times[key] = _sentence_times(
                article, self.sentences[article.id], anchor, settings, self.prepared_of(article.id)
            )
        return found


def _sentence_times(
    article: Article,
    sentences: Sequence[Sentence],
    anchor: dt.date | None,
    settings: Settings,
    prepared: Mapping[int, Prepared] | None = None,
) -> list[tuple[Sentence, TimeExpression]]:
    """Time expressions per sentence (found sentence by sentence, so tense cues stay local)."""
    out: list[tuple[Sentence, TimeExpression]] = []
    for sentence in sentences:
        source = prepared[sentence.index] if prepared is not None else sentence.text
        found = find_in_text(
            source, anchor, ranges=settings.time.ranges, article_id=article.id, offset=sentence.span[0]
        )
        out.extend((sentence, t) for t in found)
    return out


FINE = frozenset({"day", "instant", "range", "week"})
"""Granularities precise enough to date a publication by (a month overlaps everything nearby)."""
COINCIDE = 0.1
"""Credit for a resolved date that coincides with a date another article gives, before adding the
similarity of the two sentences: the reports of one story keep returning to the same few days.
Set on the seed story (dev): it must outweigh no evidence and stay below a similar sentence."""


def _dated_items(
    article: Article, pairs: Sequence[tuple[Sentence, TimeExpression]], story: _Story
) -> list[_Dated]:
    return [
        _Dated(article.id, (t.start, t.end), story.words_of(s))
        for s, t in pairs
        if t.start is not None and t.end is not None and t.granularity in FINE
    ]


def _is_fixed(article: Article) -> bool:
    p = article.published
    return p is not None and p.value is not None and p.kind == "published"


def infer_published(articles: Sequence[Article], settings: Settings) -> dict[str, PublishedDate]:
    """Inferred publication dates for the articles of one story that have none, or only an update time.

    Articles with a publication date anchor the others and are not in the result. When nothing in
    the story is dated, nothing can be inferred and the result is empty."""
    if all(_is_fixed(a) for a in articles) or not any(_is_fixed(a) for a in articles):
        return {}  # nothing to infer, or nothing to infer it from
    return _infer_published(articles, settings, _Story.read(articles))


def _infer_published(
    articles: Sequence[Article], settings: Settings, story: _Story
) -> dict[str, PublishedDate]:
    if all(_is_fixed(a) for a in articles):
        return {}
    refs: dict[str, list[_Dated]] = {}
    for a in articles:
        if _is_fixed(a):
            refs[a.id] = _dated_items(a, story.times_of(a, anchor_of(a), settings), story)
    if not refs:
        return {}
    fixed = sorted(d for a in articles if _is_fixed(a) and (d := anchor_of(a)) is not None)
    centre = fixed[len(fixed) // 2]
    # articles with an update time first: their range is bounded above, so they settle first
    todo = sorted((a for a in articles if not _is_fixed(a)), key=lambda a: (a.published is None, a.id))
    result: dict[str, PublishedDate] = {}
    for _round in range(MAX_ROUNDS):  # each inferred article then vouches for the others
        changed = False
        for a in todo:
            others = [d for aid, items in refs.items() if aid != a.id for d in items]
            inferred = _infer_one(a, others, centre, story, settings)
            if inferred is None or inferred == result.get(a.id):
                continue
            changed = True
            result[a.id] = inferred
            anchor = inferred.range[0] if inferred.range else None
            refs[a.id] = _dated_items(a, story.times_of(a, anchor, settings), story)
        if not changed:
            break
    return result


def _infer_one(
    article: Article, refs: Sequence[_Dated], centre: dt.date, story: _Story, settings: Settings
) -> PublishedDate | None:
    if not refs:
        return None
    lo = centre - dt.timedelta(days=settings.time.search_days)
    hi = centre + dt.timedelta(days=settings.time.search_days)
    updated = article.published.value.date() if article.published and article.published.value else None
    if updated is not None:
        hi = min(hi, updated)
    prepared = story.prepared_of(article.id)
    relevant = [s for s in story.sentences[article.id] if prepared[s.index].matches]
    similar = {
        s.index: [(story.idf.similarity(story.words_of(s), r.words), r.interval) for r in refs]
        for s in relevant
    }
    scored: list[tuple[float, dt.date]] = []
    day = lo
    while day <= hi:
        score = 0.0
        latest_past: dt.date | None = None
        for s in relevant:  # the expressions of _sentence_times, without making the records
            for granularity, interval in intervals(prepared[s.index], day, ranges=settings.time.ranges):
                if interval is None or granularity not in FINE:
                    continue
                start, end = interval
                if granularity != "week" and end <= day:
                    latest_past = end if latest_past is None else max(latest_past, end)
                agree = [sim for sim, (r0, r1) in similar[s.index] if start <= r1 and r0 <= end]
                if agree:
                    score += COINCIDE + max(agree)
                else:
                    score -= max((sim for sim, _ in similar[s.index] if sim >= SIMILAR), default=0.0)
        if latest_past is None or (day - latest_past).days <= settings.time.recency_days:
            scored.append((score, day))
        day += dt.timedelta(days=1)
    if not scored:
        return None
    top = max(s for s, _ in scored)
    days = sorted(d for s, d in scored if s >= top - 1e-9)
    blocks: list[list[dt.date]] = [[days[0]]]
    for d in days[1:]:  # contiguous blocks of best days
        if (d - blocks[-1][-1]).days > 1:
            blocks.append([d])
        else:
            blocks[-1].append(d)
    if len(days) > settings.time.search_days:
        return None  # nothing in the text constrains the date
    # ties between blocks go to the one nearest the story's dated articles (a story's reports
    # cluster in time), then to the earlier one
    run = min(blocks, key=lambda b: (min(abs((d - centre).days) for d in b), b[0]))
    first = run[0]
    value = dt.datetime(first.year, first.month, first.day)
    return PublishedDate(value=value, kind="inferred", origin="inferred", range=(run[0], run[-1]))


def anchors(articles: Sequence[Article], inferred: Mapping[str, PublishedDate]) -> dict[str, dt.date | None]:
    """The anchor of each article: its inferred date where there is one, else its own date."""
    out: dict[str, dt.date | None] = {}
    for a in articles:
        p = inferred.get(a.id)
        out[a.id] = p.range[0] if p is not None and p.range else anchor_of(a)
    return out


def story_times(
    articles: Sequence[Article], settings: Settings, inferred: Mapping[str, PublishedDate] | None = None
) -> tuple[TimeExpression, ...]:
    """Every time expression of a story's articles, each against its article's anchor."""
    story = _Story.read(articles)
    if inferred is None:
        inferred = _infer_published(articles, settings, story)
    return _story_times(articles, settings, inferred, story)


def _story_times(
    articles: Sequence[Article], settings: Settings, inferred: Mapping[str, PublishedDate], story: _Story
) -> tuple[TimeExpression, ...]:
    anchor = anchors(articles, inferred)
    out: list[TimeExpression] = []
    for a in articles:
        out.extend(t for _s, t in story.times_of(a, anchor[a.id], settings))
    return tuple(out)


# --------------------------------------------------------------------------- timeline


@dataclass(slots=True)
class _Draft:
    start: dt.date
    end: dt.date
    granularity: str
    text: str
    words: frozenset[str]
    citations: list[Citation]
    planned: bool


def _clause(sentence: Sentence, expr: TimeExpression, limit: int = 240) -> str:
    """The sentence, trimmed to the clause around the expression when it is long."""
    text = sentence.text.strip()
    if len(text) <= limit:
        return text
    rel = expr.span[0] - sentence.span[0]
    cuts = [m.end() for m in re.finditer(r"[;,:–—]\s", text)]
    left = max((c for c in cuts if c <= rel), default=0)
    right = min((c for c in cuts if c > rel + len(expr.text)), default=len(text))
    clause = text[left:right].strip(" ,;:–—")
    return clause if len(clause) >= 20 else text[:limit].rstrip() + "…"


def build_timeline(
    articles: Sequence[Article], times: Sequence[TimeExpression], settings: Settings
) -> tuple[Event, ...]:
    """Dated events of a story in calendar order, one per happening, citing every supporting sentence.

    An event is a sentence with a time expression that places it on the calendar (a day, week,
    month, quarter, year or range; durations and vague references do not). Sentences of several
    articles with the same interval and similar words are one event. ``planned`` marks events that
    lie after the anchor of the article that reports them, or that include it and are told in the
    future tense ("will visit China this year")."""
    return _build_timeline(articles, times, settings, _Story.read(articles))


def _build_timeline(
    articles: Sequence[Article], times: Sequence[TimeExpression], settings: Settings, story: _Story
) -> tuple[Event, ...]:
    by_article = {a.id: a for a in articles}
    drafts: list[_Draft] = []
    all_sentences = story.sentences
    idf = story.idf
    for t in sorted(times, key=lambda x: (x.article, x.span)):
        if t.start is None or t.end is None or t.granularity not in DATED or t.article not in by_article:
            continue
        sentence = next((s for s in all_sentences[t.article] if s.span[0] <= t.span[0] < s.span[1]), None)
        if sentence is None:
            continue
        anchor = dt.date.fromisoformat(t.anchor) if t.anchor else None
        planned = anchor is not None and (
            t.start > anchor
            or (
                t.end >= anchor
                and tense_at(sentence.text, t.span[0] - sentence.span[0], t.span[1] - sentence.span[0])
                == "future"
            )
        )
        words = story.words_of(sentence)
        citation = Citation(t.article, sentence.span)
        match, best = None, settings.time.merge_similarity
        for d in drafts:  # the most similar event of the same interval, if similar enough
            if (d.start, d.end) == (t.start, t.end) and (score := idf.overlap(words, d.words)) >= best:
                match, best = d, score
        if match is None:
            drafts.append(
                _Draft(t.start, t.end, t.granularity, _clause(sentence, t), words, [citation], planned)
            )
        elif citation not in match.citations:
            match.citations.append(citation)
            match.words = match.words | words
            match.planned = match.planned and planned
    events = [
        Event(
            start=d.start,
            end=d.end,
            granularity=d.granularity,  # type: ignore[arg-type]
            text=d.text,
            citations=tuple(d.citations),
            planned=d.planned,
        )
        for d in drafts
    ]
    return tuple(
        sorted(events, key=lambda e: (e.start, e.end, e.text, [(c.article, c.span) for c in e.citations]))
    )


def story_when(articles: Sequence[Article], settings: Settings) -> StoryFacts:
    """The "when" of one story: inferred publication dates, time expressions and the timeline.

    Each sentence is split, matched and read for its words once, for all three steps."""
    story = _Story.read(articles)
    inferred = _infer_published(articles, settings, story)
    times = _story_times(articles, settings, inferred, story)
    return StoryFacts(
        times=times, timeline=_build_timeline(articles, times, settings, story), published=inferred
    )


def with_inferred(articles: Sequence[Article], inferred: Mapping[str, PublishedDate]) -> tuple[Article, ...]:
    """The articles with an inferred date where they had none (an update time is kept as it is:
    the inferred first publication stays in ``StoryFacts.published``)."""
    return tuple(
        dataclasses.replace(a, published=inferred[a.id])
        if a.id in inferred and (a.published is None or a.published.value is None)
        else a
        for a in articles
    )
