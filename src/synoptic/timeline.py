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

import bisect
import datetime as dt
import heapq
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from synoptic.config import DossierSettings, Settings, TimeSettings
from synoptic.limits import compared_length
from synoptic.nlp.sentences import SentenceSplits, sentences_of
from synoptic.nlp.text import LETTER_WORD, STOP_WORDS, smooth_idf
from synoptic.nlp.timex import Prepared, anchor_of, find_in_text, intervals, prepare, tense_at
from synoptic.records import Article, Citation, Event, PublishedDate, Sentence, StoryFacts, TimeExpression

DATED = frozenset({"day", "week", "month", "quarter", "year", "range", "instant"})
"""Granularities that place an event on the calendar (durations, sets and refs do not)."""

_WORD = LETTER_WORD  # was [A-Za-z][A-Za-z'’]+: no words at all in non-Latin text
_STOP = STOP_WORDS | frozenset(
    """did does said says should while up out one two three first last next week monday tuesday wednesday
    thursday friday saturday sunday yesterday today tomorrow year month january february march april may
    june july august september october november december""".split()
)
"""The shared base and the timeline's own: calendar words (weekday and month names, "next week",
"yesterday") and small ordinals. Two reports of one happening are matched by their other words; a
shared "Monday" or "March" says nothing about whether they are the same event. :data:`SIMILAR` was
set with this list."""
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
        self._totals: dict[frozenset[str], float] = {}  # a draft's words are weighed against many

    def weight(self, word: str) -> float:
        w = self._weights.get(word)
        if w is None:
            w = self._weights[word] = smooth_idf(self.df[word], self.n)
        return w

    def overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Weighted overlap coefficient: shared weight over the lighter side's weight (a short
        sentence inside a long one counts as the same statement)."""
        if not a or not b:
            return 0.0
        lighter = min(self._total(a), self._total(b))
        return math.fsum(self.weight(w) for w in a & b) / lighter  # fsum: the same in any set order

    def _total(self, words: frozenset[str]) -> float:
        total = self._totals.get(words)
        if total is None:
            total = self._totals[words] = math.fsum(self.weight(w) for w in words)
        return total

    def similarity(self, a: frozenset[str], b: frozenset[str]) -> float:
        union = a | b
        if not union:
            return 0.0
        return math.fsum(self.weight(w) for w in a & b) / math.fsum(self.weight(w) for w in union)


@dataclass(slots=True)
class _Story:
    """The sentences of a story's articles, read once (split, rule matches, content words) and
    shared by the inference, the time expressions and the timeline of :func:`story_when`."""

    sentences: dict[str, Sequence[Sentence]]
    prepared: dict[str, dict[int, Prepared]]
    """Rule matches of each sentence, by article id and sentence index (made when first needed)."""
    words: dict[str, list[frozenset[str]]]
    """Content words of each sentence, by article id and sentence index."""
    idf: _Idf
    times: dict[tuple[str, dt.date | None], list[tuple[Sentence, TimeExpression]]]
    """The time expressions of an article's sentences against an anchor, once found."""
    stem_idf: _Idf
    """Weights of the stems (:func:`_stems`) of every sentence, for merging timeline events."""
    matches: dict[str, Prepared] = field(default_factory=dict)
    """Rule matches by sentence text: a copy's sentences repeat another article's word for word."""

    @classmethod
    def read(cls, articles: Sequence[Article], splits: SentenceSplits | None = None) -> _Story:
        sentences = {a.id: sentences_of(a, splits) for a in articles}
        # a story's copies repeat sentences: each text's words and stems are found once
        by_text: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        for ss in sentences.values():
            for s in ss:
                if s.text not in by_text:
                    by_text[s.text] = (_words(s.text), _stems(s.text))
        words = {aid: [by_text[s.text][0] for s in ss] for aid, ss in sentences.items()}
        stems = [by_text[s.text][1] for ss in sentences.values() for s in ss]
        return cls(sentences, {}, words, _Idf([w for ws in words.values() for w in ws]), {}, _Idf(stems))

    def prepared_of(self, article_id: str) -> dict[int, Prepared]:
        found = self.prepared.get(article_id)
        if found is None:
            found = self.prepared[article_id] = {
                s.index: self._prepare(s.text) for s in self.sentences[article_id]
            }
        return found

    def _prepare(self, text: str) -> Prepared:
        found = self.matches.get(text)
        if found is None:
            found = self.matches[text] = prepare(text)
        return found

    def words_of(self, sentence: Sentence) -> frozenset[str]:
        return self.words[sentence.article][sentence.index]

    def times_of(
        self, article: Article, anchor: dt.date | None, settings: TimeSettings
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
    settings: TimeSettings,
    prepared: Mapping[int, Prepared] | None = None,
) -> list[tuple[Sentence, TimeExpression]]:
    """Time expressions per sentence (found sentence by sentence, so tense cues stay local)."""
    out: list[tuple[Sentence, TimeExpression]] = []
    for sentence in sentences:
        source = prepared[sentence.index] if prepared is not None else sentence.text
        found = find_in_text(
            source, anchor, ranges=settings.ranges, article_id=article.id, offset=sentence.span[0]
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


def infer_published(articles: Sequence[Article], settings: TimeSettings) -> dict[str, PublishedDate]:
    """Inferred publication dates for the articles of one story that have none, or only an update time.

    Articles with a publication date anchor the others and are not in the result. When nothing in
    the story is dated, nothing can be inferred and the result is empty."""
    if all(_is_fixed(a) for a in articles) or not any(_is_fixed(a) for a in articles):
        return {}  # nothing to infer, or nothing to infer it from
    return _infer_published(articles, settings, _Story.read(articles))


def _infer_published(
    articles: Sequence[Article], settings: TimeSettings, story: _Story
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
    article: Article, refs: Sequence[_Dated], centre: dt.date, story: _Story, settings: TimeSettings
) -> PublishedDate | None:
    if not refs:
        return None
    lo = centre - dt.timedelta(days=settings.search_days)
    hi = centre + dt.timedelta(days=settings.search_days)
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
            for granularity, interval in intervals(prepared[s.index], day, ranges=settings.ranges):
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
        if latest_past is None or (day - latest_past).days <= settings.recency_days:
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
    if len(days) > settings.search_days:
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
    articles: Sequence[Article], settings: TimeSettings, inferred: Mapping[str, PublishedDate] | None = None
) -> tuple[TimeExpression, ...]:
    """Every time expression of a story's articles, each against its article's anchor."""
    story = _Story.read(articles)
    if inferred is None:
        inferred = _infer_published(articles, settings, story)
    return _story_times(articles, settings, inferred, story)


def _story_times(
    articles: Sequence[Article], settings: TimeSettings, inferred: Mapping[str, PublishedDate], story: _Story
) -> tuple[TimeExpression, ...]:
    anchor = anchors(articles, inferred)
    out: list[TimeExpression] = []
    for a in articles:
        out.extend(t for _s, t in story.times_of(a, anchor[a.id], settings))
    return tuple(out)


# --------------------------------------------------------------------------- timeline

_IRREGULAR = {
    "met": "meet", "held": "hold", "began": "begin", "begun": "begin", "spoke": "speak", "spoken": "speak",
    "told": "tell", "went": "go", "gone": "go", "came": "come", "took": "take", "taken": "take",
    "made": "make", "gave": "give", "given": "give", "sent": "send", "won": "win",
    "lost": "lose", "fell": "fall", "rose": "rise", "paid": "pay", "sold": "sell", "bought": "buy",
    "negotiation": "talk", "trip": "visit",
}  # fmt: skip
"""Irregular verb forms and two news synonyms ("negotiations" are "talks", a "trip" is a "visit"):
general English, so that two reports of one happening in different words still share a stem."""


def _stem(word: str) -> str:
    """A crude stem: irregular forms mapped, then "-ing" and "-ed" cut ("meeting" and "met" are
    "meet"; "issued" and "issuing" are "issu"). Plural "s" is already gone (:func:`_words`)."""
    word = _IRREGULAR.get(word, word)
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            word = word[: -len(suffix)]
            break
    return _IRREGULAR.get(word, word)


def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _words(text))


_SUBORDINATE = re.compile(r"\b(?:since|after)\s+", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:–—][\"”’']?\s")


def _subordinate(text: str, rel: int) -> tuple[int, int] | None:
    """The "since/after ..." clause that holds the expression at ``rel``, if any: in "the visit is
    his first since the invasion began a year ago" the date belongs to the invasion, not the visit.
    None when a comma or dash lies between the conjunction and the expression (then the date
    belongs to the main clause: "since becoming leader, most recently in September")."""
    found = None
    for m in _SUBORDINATE.finditer(text, 0, rel):
        if m.end() <= rel:
            found = m
    if found is None or _CLAUSE_BREAK.search(text, found.end(), rel):
        return None
    stop = _CLAUSE_BREAK.search(text, rel)
    end = stop.start() if stop else len(text)
    if len(text[found.end() : end].split()) < 4:
        return None
    return found.end(), end


def _clause(sentence: Sentence, expr: TimeExpression, limit: int = 240, *, narrow: bool = False) -> str:
    """The part of the sentence that the expression dates: a "since/after" clause that holds it,
    else the clause around it when the sentence is long or (``narrow``) dates several things."""
    text = sentence.text.strip()
    rel = expr.span[0] - sentence.span[0] - (len(sentence.text) - len(sentence.text.lstrip()))
    sub = _subordinate(text, rel)
    if sub is not None:
        return text[sub[0] : sub[1]].strip(" ,;:–—").rstrip(".")
    if len(text) <= limit and not narrow:
        return text
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    left = max((c for c in cuts if c <= rel), default=0)
    right = min((c for c in cuts if c > rel + len(expr.text)), default=len(text))
    clause = re.sub(r"^(?:and|but|while|whereas)\s+", "", text[left:right].strip(" ,;:–—"), flags=re.I)
    if len(clause) >= 20:
        return clause
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


GRANULARITY_CONFIDENCE: Mapping[str, float] = {
    "instant": 0.9, "day": 0.9, "range": 0.85, "week": 0.8, "month": 0.85, "quarter": 0.75, "year": 0.75,
}  # fmt: skip
"""How exactly a date at each granularity places an event (docs/confidence.md, Timeline): a week or
a year says less about when the event happened, and a week is often a resolved "next week"."""
RELATIVE_FACTOR = 0.95
"""A relative expression ("on Monday", "last year") depends on its anchor being right."""
INFERRED_STABLE = 0.9
"""Relative to an inferred publication date, and the same value at both ends of its range."""
INFERRED_UNSTABLE = 0.55
"""Relative to an inferred publication date whose range gives it different values."""
SINGLE_SOURCE = 0.9
"""One article only: no other outlet agrees with the date."""
STILL_PLANNED = 0.9
"""Announced as future and not reported done by a later article: plans change."""

_ABSOLUTE = re.compile(r"\b(?:1[89]|20)\d\d\b")


@dataclass(slots=True)
class _Draft:
    start: dt.date
    end: dt.date
    granularity: str
    text: str
    words: frozenset[str]
    citations: list[Citation]
    planned: bool
    anchor: dt.date | None
    """The anchor of the article (the latest one, once drafts are merged)."""
    sure: float
    """Confidence of the date before agreement (granularity x anchor provenance), best member."""
    sentences: set[tuple[str, int]]
    """(article, sentence index) of every member: one sentence never merges with itself."""
    clause: bool = False
    """The text is a part of its sentence (shown only when no member has a whole sentence)."""

    def inside(self, other: _Draft) -> bool:
        return _within((self.start, self.end), (other.start, other.end))


def _within(inner: tuple[dt.date, dt.date], outer: tuple[dt.date, dt.date]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _date_confidence(t: TimeExpression, provenance: str, stable: bool) -> float:
    """Granularity x anchor provenance of one expression (see the constants above)."""
    sure = GRANULARITY_CONFIDENCE.get(t.granularity, 0.6)
    if _ABSOLUTE.search(t.text):
        return sure  # the year is written: the anchor does not matter
    if provenance == "inferred":
        return sure * RELATIVE_FACTOR * (INFERRED_STABLE if stable else INFERRED_UNSTABLE)
    return sure * RELATIVE_FACTOR


def _is_planned(t: TimeExpression, sentence: Sentence, anchor: dt.date | None) -> bool:
    """After the anchor, or including it and told in the future tense or as "later this year"."""
    if anchor is None:
        return False
    if t.start is None or t.end is None:
        return False
    if t.start > anchor:
        return True
    if t.end < anchor:
        return False
    if re.match(r"(?:later|the\s+rest\s+of)\b", t.text, re.I):
        return True
    rel = (t.span[0] - sentence.span[0], t.span[1] - sentence.span[0])
    return tense_at(sentence.text, *rel) == "future"


def _merge_kind(a: _Draft, b: _Draft, settings: TimeSettings) -> float | None:
    """The least similarity at which two drafts are one event, or None when they cannot be.

    Same interval: ``merge_similarity``. One interval inside the other (a "next week" and an
    "on Monday"; "this month" and "last week"): ``nested_similarity``, and never inside a year
    (a year holds too many happenings). A planned event and a done one inside its interval, told
    by a later article: ``done_similarity`` (a later report of the plan carried out)."""
    if not a.sentences.isdisjoint(b.sentences):
        return None
    if not (a.inside(b) or b.inside(a)):
        return None
    least: float | None = None
    if (a.start, a.end) == (b.start, b.end):
        least = settings.merge_similarity
    elif {a.granularity, b.granularity} & {"week", "month", "quarter"} and not (
        {a.granularity, b.granularity} & {"year", "range"}
    ):
        # a calendar week or month is how a text dates a day loosely ("last week"); a year holds
        # too many happenings, and a stated range (a three-day visit) holds its own parts
        least = settings.nested_similarity
    plan, done = (a, b) if a.planned else (b, a)
    if (
        plan.planned
        and not done.planned
        and done.inside(plan)
        and plan.anchor is not None
        and done.anchor is not None
        and done.anchor > plan.anchor
    ):
        t = settings.done_similarity
        least = t if least is None else min(least, t)
    if least is not None and least < settings.merge_similarity and len(a.words & b.words) < 2:
        return None  # a low bar needs two shared stems: one common word ("meet") is chance
    return least


def _union(a: _Draft, b: _Draft) -> _Draft:
    """One event of two: the finer interval; the text of the done, then the finer, member."""
    fine, coarse = (a, b) if a.inside(b) else (b, a)
    # the text of the done member, then of the finer, then of the one that is a whole sentence
    lead = min((fine, coarse), key=lambda d: (d.planned, d.end - d.start, d.clause))
    anchors = [x for x in (a.anchor, b.anchor) if x is not None]
    return _Draft(
        fine.start,
        fine.end,
        fine.granularity,
        lead.text,
        a.words | b.words,
        list(dict.fromkeys(lead.citations + (coarse if lead is fine else fine).citations)),
        a.planned and b.planned,
        max(anchors) if anchors else None,
        max(a.sure, b.sure),
        a.sentences | b.sentences,
        lead.clause,
    )


def _merge(drafts: list[_Draft], idf: _Idf, settings: TimeSettings) -> list[_Draft]:
    """Greedy merging, most similar pair first; a merged draft is compared again with its combined
    words (so two partial reports of one event can each join it). Pair scores sit in a heap and
    only the new draft's pairs are scored after a merge: O(n^2 log n), not O(n^3). Only drafts
    whose intervals nest can merge (:func:`_merge_kind`): pairs are sought among the drafts of
    the intervals that hold or lie inside a draft's (a story has far fewer intervals than drafts)."""
    live: dict[int, _Draft] = dict(enumerate(drafts))
    dated: dict[tuple[dt.date, dt.date], set[int]] = {}  # the live drafts of each interval
    for i, d in live.items():
        dated.setdefault((d.start, d.end), set()).add(i)
    heap: list[tuple[float, int, int]] = []

    def nesting(d: _Draft) -> list[int]:
        own = (d.start, d.end)
        return [
            k
            for interval, ids in dated.items()
            if _within(own, interval) or _within(interval, own)
            for k in ids
        ]

    def push(i: int, j: int) -> None:
        a, b = live[i], live[j]
        least = _merge_kind(a, b, settings)
        if least is not None and (score := idf.overlap(a.words, b.words)) >= least:
            heapq.heappush(heap, (-score, i, j))  # (score, i, j) orders the heap whatever the push order

    for i, d in live.items():
        for j in nesting(d):
            if j > i:
                push(i, j)
    fresh = len(drafts)
    while heap:
        _, i, j = heapq.heappop(heap)
        if i not in live or j not in live:
            continue  # one side was merged already: its new draft has its own pairs
        a, b = live.pop(i), live.pop(j)
        for k, d in ((i, a), (j, b)):
            ids = dated[(d.start, d.end)]
            ids.discard(k)
            if not ids:
                del dated[(d.start, d.end)]
        merged = _union(a, b)
        others = nesting(merged)
        live[fresh] = merged
        dated.setdefault((merged.start, merged.end), set()).add(fresh)
        for k in others:
            push(k, fresh)
        fresh += 1
    return list(live.values())


def build_timeline(
    articles: Sequence[Article],
    times: Sequence[TimeExpression],
    settings: TimeSettings,
    *,
    max_article_chars: int | None = None,
) -> tuple[Event, ...]:
    """Dated events of a story in calendar order, one per happening, citing every supporting sentence.

    An event is a sentence (or, where a sentence dates several things, the clause) with a time
    expression that places it on the calendar (a day, week, month, quarter, year or range;
    durations and vague references do not). Reports of one happening are merged across articles
    and sentences: the same interval with similar words, a coarser and a finer date of the same
    thing (the finer one is kept), and a plan with the later report of it done (shown as done).
    ``planned`` marks events that lie after the anchor of every article that reports them, or
    that include it and are told in the future tense ("will visit China this year").
    ``settings``: the ``time`` section; ``max_article_chars``: as ``DossierSettings``'s."""
    story = _Story.read(articles)
    inferred = _infer_published(articles, settings, story)  # for the anchors' provenance
    stable = _values_at_range_end(articles, settings, inferred, story)
    limit = max_article_chars or DossierSettings().max_article_chars
    return _build_timeline(articles, times, settings, story, inferred, stable, limit)


def _provenance(article: Article, inferred: Mapping[str, PublishedDate]) -> str:
    return "inferred" if article.id in inferred else "published"


def _drafts(
    articles: Sequence[Article],
    times: Sequence[TimeExpression],
    story: _Story,
    inferred: Mapping[str, PublishedDate],
    stable: Mapping[tuple[str, tuple[int, int]], str],
    limit: int,
) -> list[_Draft]:
    by_article = {a.id: a for a in articles}
    # events are merged pairwise: only the part of a long article the other pairwise stages read
    compared = {a.id: compared_length(a.text, limit) for a in articles}
    dated = [
        t
        for t in sorted(times, key=lambda x: (x.article, x.span))
        if t.start is not None
        and t.end is not None
        and t.granularity in DATED
        and t.article in by_article
        and t.span[1] <= compared[t.article]
    ]
    starts = {aid: [s.span[0] for s in sentences] for aid, sentences in story.sentences.items()}
    per_sentence: Counter[tuple[str, int]] = Counter()
    located: list[tuple[TimeExpression, Sentence, dt.date, dt.date]] = []
    for t in dated:
        sentence = _sentence_at(story.sentences[t.article], starts[t.article], t.span[0])
        if sentence is not None and t.start is not None and t.end is not None:
            located.append((t, sentence, t.start, t.end))
            per_sentence[(t.article, sentence.index)] += 1
    drafts: list[_Draft] = []
    for t, sentence, start, end in located:
        anchor = dt.date.fromisoformat(t.anchor) if t.anchor else None
        narrow = per_sentence[(t.article, sentence.index)] > 1
        text = _clause(sentence, t, narrow=narrow)
        provenance = _provenance(by_article[t.article], inferred)
        steady = stable.get((t.article, t.span), t.value) == t.value
        drafts.append(
            _Draft(
                start,
                end,
                t.granularity,
                text,
                _stems(text),
                [Citation(t.article, sentence.span)],
                _is_planned(t, sentence, anchor),
                anchor,
                _date_confidence(t, provenance, steady),
                {(t.article, sentence.index)},
                text != sentence.text.strip(),
            )
        )
    return drafts


def _sentence_at(sentences: Sequence[Sentence], starts: Sequence[int], offset: int) -> Sentence | None:
    """The sentence (of disjoint ones in text order, ``starts`` their starts) holding ``offset``."""
    k = bisect.bisect_right(starts, offset) - 1
    if k >= 0 and sentences[k].span[0] <= offset < sentences[k].span[1]:
        return sentences[k]
    return None


def _confidence(d: _Draft) -> float:
    """Date confidence of the best member, lowered for a single source and for a plan still open."""
    sure = d.sure
    if len({c.article for c in d.citations}) < 2:
        sure *= SINGLE_SOURCE
    if d.planned:
        sure *= STILL_PLANNED
    return round(min(1.0, max(0.0, sure)), 3)


def _build_timeline(
    articles: Sequence[Article],
    times: Sequence[TimeExpression],
    settings: TimeSettings,
    story: _Story,
    inferred: Mapping[str, PublishedDate],
    stable: Mapping[tuple[str, tuple[int, int]], str],
    max_article_chars: int,
) -> tuple[Event, ...]:
    drafts = _drafts(articles, times, story, inferred, stable, max_article_chars)
    merged = _merge(drafts, story.stem_idf, settings)
    events = [
        Event(
            start=d.start,
            end=d.end,
            granularity=d.granularity,  # type: ignore[arg-type]
            text=d.text,
            citations=tuple(d.citations),
            planned=d.planned,
            confidence=_confidence(d),
        )
        for d in merged
    ]
    return tuple(
        sorted(events, key=lambda e: (e.start, e.end, e.text, [(c.article, c.span) for c in e.citations]))
    )


def _values_at_range_end(
    articles: Sequence[Article], settings: TimeSettings, inferred: Mapping[str, PublishedDate], story: _Story
) -> dict[tuple[str, tuple[int, int]], str]:
    """The value of each expression of an article with an inferred range, resolved against the last
    day of that range: where it differs from the value at the first day, the date is unstable."""
    out: dict[tuple[str, tuple[int, int]], str] = {}
    for a in articles:
        p = inferred.get(a.id)
        if p is None or p.range is None or p.range[0] == p.range[1]:
            continue
        for _s, t in story.times_of(a, p.range[1], settings):
            out[(a.id, t.span)] = t.value
    return out


def story_when(
    articles: Sequence[Article], settings: Settings, *, splits: SentenceSplits | None = None
) -> StoryFacts:
    """The "when" of one story: inferred publication dates, time expressions and the timeline
    (the ``time`` section; the timeline's event merging reads ``dossier.max_article_chars`` of
    each article).

    Each sentence is split (or taken from ``splits``, the dossier's), matched and read for its
    words once, for all three steps."""
    story = _Story.read(articles, splits)
    time = settings.time
    inferred = _infer_published(articles, time, story)
    times = _story_times(articles, time, inferred, story)
    stable = _values_at_range_end(articles, time, inferred, story)
    timeline = _build_timeline(
        articles, times, time, story, inferred, stable, settings.dossier.max_article_chars
    )
    return StoryFacts(times=times, timeline=timeline, published=inferred)
