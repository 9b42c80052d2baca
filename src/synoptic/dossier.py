"""One story's dossier: facts (who, quotes, when), the cross-check and the summary, together.

Every stage reads only the story's own articles and the copy links among them, so dossiers of
different stories can be built independently (in any order, on any worker).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Collection, Sequence

from synoptic.config import Settings
from synoptic.crosscheck import cross_check
from synoptic.crosscheck.claims import story_units
from synoptic.crosscheck.support import SupportCiter, SupportContext
from synoptic.crosscheck.units import Unit
from synoptic.facts import analyse_story
from synoptic.limits import compared_length
from synoptic.nlp.embeddings import (
    CachedEmbedder,
    Embedder,
    KnownVectors,
    Matrix,
    make_embedder,
    run_embedder,
)
from synoptic.nlp.sentences import SentenceSplits
from synoptic.records import Article, CopyLink, Dossier, Story, StoryFacts, SummarySentence
from synoptic.summarize import summarize


def build_dossier(
    story: Story,
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    settings: Settings,
    embedder: Embedder | None = None,
) -> Dossier:
    """The dossier of ``story``; ``articles`` and ``copies`` may include other stories' (ignored).
    ``embedder``: the run's (``settings.nlp.embedder``, built here when not given)."""
    return build_read_dossiers([read_story(story, articles, copies, settings)], settings, embedder)[0]


@dataclasses.dataclass(frozen=True, slots=True)
class StoryReading:
    """What a story's dossier is built from: the articles its analysis reads (at most
    ``DossierSettings.max_articles``), the copy links among them, and the warnings saying what
    was left out. Small whatever the story's size: what goes to a worker."""

    story: Story
    articles: list[Article]
    links: list[CopyLink]
    warnings: list[str]
    known: tuple[tuple[list[str], Matrix], ...] = ()
    """Sentences of the read articles with the vectors an earlier stage of the run encoded with
    the run's embedder (:func:`with_known_vectors`): not encoded again."""


def with_known_vectors(reading: StoryReading, known: KnownVectors) -> StoryReading:
    """``reading`` with its read articles' vectors from ``known``; every member's are taken out
    of ``known`` (a story's dossier is built once: its memory comes back). A story read from one
    article gets none: its sentences are compared by the hashing embedder (:func:`_lone_comparison`)."""
    found = {aid: known.take(aid) for aid in reading.story.articles}
    if len(reading.articles) == 1:
        return reading
    vectors = tuple(v for v in (found.get(a.id) for a in reading.articles) if v is not None)
    return dataclasses.replace(reading, known=vectors) if vectors else reading


def read_story(
    story: Story,
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    settings: Settings,
    *,
    copied: Collection[str] | None = None,
) -> StoryReading:
    """The reading of ``story`` (``articles`` and ``copies`` may include other stories').
    ``copied``: the members that copy another member, when ``copies`` does not hold every link
    among them (a store chooses a large story's reading from its copy pairs, then fetches the
    link records of the articles read)."""
    members = set(story.articles)
    arts = [a for a in articles if a.id in members]
    warnings: list[str] = []
    if len(arts) != len(members):
        warnings.append(f"{len(members) - len(arts)} member articles were not available")
    cap = settings.dossier.max_articles
    if len(arts) > cap:
        warnings.append(_read_warning(cap, len(arts)))
        if copied is None:
            copied = {c.b for c in copies if c.a in members and c.b in members}
        arts = read_articles(arts, copied, cap)
        members = {a.id for a in arts}
    links = [c for c in copies if c.a in members and c.b in members]
    return StoryReading(story, arts, links, warnings)


def build_read_dossiers(
    readings: Sequence[StoryReading], settings: Settings, embedder: Embedder | None = None
) -> list[Dossier]:
    """The dossiers of several read stories, in order.

    Built together so that the sentence encoder sees many texts at once: MiniLM encodes one
    call of a thousand sentences about twice as fast as the same sentences in one call per
    story (batches sorted by length, less padding: ``bench/full_speed.py``). The cross-check's
    units of every story are encoded in one call before any dossier compares them."""
    # each text encoded once: the quotes' links, the cross-check and the summary's citations
    # read many of the same sentences
    cache = CachedEmbedder(embedder or run_embedder(settings.nlp))
    for reading in readings:
        for texts, vectors in reading.known:
            cache.remember(texts, vectors)
    lone = _lone_comparison(settings, cache)
    drafts = [
        _draft(reading, settings, cache, lone if len(reading.articles) == 1 else (settings, cache))
        for reading in readings
    ]
    for comparer in {cache, lone[1]}:  # one embedder when the run's is the hashing one
        comparer.encode([u.text for d in drafts if d.comparer is comparer for u in d.units])
    return [_finish(draft) for draft in drafts]


def _lone_comparison(settings: Settings, cache: CachedEmbedder) -> tuple[Settings, CachedEmbedder]:
    """The settings and embedder that compare the sentences of a story read from one article.

    With one article there is no outlet to check it against: its cross-check only merges the
    article's own repeats (two sentences at ``same_article_threshold``), and the word-hashing
    embedder tells a repeat at a small part of MiniLM's cost. Better, for a reader: of 60 such
    stories of the 1k scale corpus, 2 read differently, both because MiniLM's 0.8 merged
    different facts of one article (an easy and a hard trial of one experiment; a finding and
    a scientist's quote about it). Such stories hold 266 of those 1,000 articles and 8.7k of
    the 32.5k texts their dossiers compare."""
    if cache.name == "hashing":
        return settings, cache
    hashing = dataclasses.replace(settings, nlp=dataclasses.replace(settings.nlp, embedder="hashing"))
    return hashing, CachedEmbedder(make_embedder("hashing"))


@dataclasses.dataclass(frozen=True, slots=True)
class _Draft:
    """A story's facts and the articles its comparing stages read, before the cross-check."""

    story: Story
    links: list[CopyLink]
    facts: StoryFacts
    compared: list[Article]
    splits: SentenceSplits
    units: list[Unit]
    """The cross-check's units (none when it is off), encoded for the whole batch at once."""
    warnings: list[str]
    settings: Settings
    """The settings the cross-check and the summary read (:func:`_lone_comparison`)."""
    comparer: CachedEmbedder
    """The embedder that compares the story's sentences."""


def _draft(
    reading: StoryReading, settings: Settings, cache: Embedder, comparison: tuple[Settings, CachedEmbedder]
) -> _Draft:
    """``cache`` for the facts (the quotes' links); ``comparison``, the settings and embedder of
    the cross-check and the summary."""
    arts, links, warnings = reading.articles, reading.links, list(reading.warnings)
    # each article is split into sentences once, for the timeline, the cross-check and the summary
    # (the bounded copies below take the sentences of the whole that lie in them)
    splits = SentenceSplits()
    facts = analyse_story(arts, settings, cache, splits=splits) if settings.dossier.facts else StoryFacts()
    # the stages that compare sentences pairwise read a bounded prefix of each article
    limit = settings.dossier.max_article_chars
    compared = [bounded(a, limit) for a in arts]
    for whole, part in zip(arts, compared, strict=True):
        if part is not whole:
            warnings.append(
                f"{whole.source}: the timeline, cross-check and summary compare the first "
                f"{len(part.text):,} of its {len(whole.text):,} characters (limit {limit:,} per article)"
            )
    comparing, comparer = comparison
    units = (
        story_units(compared, comparing.crosscheck.for_embedder(comparing.nlp.embedder), facts, splits)
        if settings.dossier.crosscheck
        else []
    )
    budget = settings.dossier.max_units
    if len(units) > budget:
        kept = leading_units(units, budget)
        per_article = max(Counter(u.article for u in kept).values(), default=0)
        warnings.append(
            f"the cross-check compares the first {per_article:,} sentences and clauses of each "
            f"article ({len(kept):,} of {len(units):,}; limit {budget:,} per story)"
        )
        units = kept
    return _Draft(reading.story, links, facts, compared, splits, units, warnings, comparing, comparer)


def leading_units(units: Sequence[Unit], budget: int) -> list[Unit]:
    """The first *k* units of each article (in the given order), *k* the largest for which all
    of them number at most ``budget``."""
    counts = sorted(Counter(u.article for u in units).values())
    # with k between the counts of the (i-1)-th and i-th smallest articles, the total is the
    # smaller ones' sum plus k for each other: the first i where k = count overflows fixes k
    below = 0
    for i, count in enumerate(counts):
        larger = len(counts) - i
        if below + count * larger > budget:
            k = (budget - below) // larger
            break
        below += count
    else:
        return list(units)
    taken: Counter[str] = Counter()
    kept = []
    for unit in units:
        if taken[unit.article] < k:
            taken[unit.article] += 1
            kept.append(unit)
    return kept


def _finish(draft: _Draft) -> Dossier:
    facts, compared, splits = draft.facts, draft.compared, draft.splits
    settings, cache = draft.settings, draft.comparer
    # one support context for the cross-check and the summary's citations
    context = SupportContext(facts.entities, (a.text for a in compared))
    claims, outlets = (
        cross_check(
            compared,
            draft.links,
            settings,
            facts=facts,
            embedder=cache,
            context=context,
            splits=splits,
            units=draft.units,
        )
        if settings.dossier.crosscheck
        else ((), ())
    )
    summary: tuple[SummarySentence, ...] = ()
    if settings.dossier.summary:
        citer = SupportCiter(context, cache, settings.support)
        summary = summarize(
            compared,
            settings.summary,
            claims=claims,
            timeline=facts.timeline,
            copies=draft.links,
            citer=citer,
            splits=splits,
        )
    return Dossier(
        story=draft.story,
        summary=summary,
        entities=facts.entities,
        quotes=facts.quotes,
        timeline=facts.timeline,
        claims=claims,
        outlets=outlets,
        times=facts.times,
        published=dict(facts.published),
        warnings=tuple(draft.warnings),
    )


def read_articles(articles: Sequence[Article], copied: Collection[str], limit: int) -> list[Article]:
    """At most ``limit`` of a story's ``articles`` (in their given order), for a story too large
    to analyse whole: articles that copy another (``copied``: their ids) come after every
    original; among each, one article of each outlet in turn (outlets in the order of their
    earliest article), each outlet's earliest first. Deterministic: publication order, then id."""
    by_outlet: dict[tuple[bool, str], list[Article]] = {}
    for article in sorted(articles, key=lambda a: (*a.publication_key, a.id)):
        outlet = article.outlet.name if article.outlet else article.id
        by_outlet.setdefault((article.id in copied, outlet), []).append(article)
    chosen: set[str] = set()
    for is_copy in (False, True):
        queues = [q for (copy, _), q in by_outlet.items() if copy == is_copy]
        for turn in itertools.count():
            row = [q[turn] for q in queues if turn < len(q)]
            if not row or len(chosen) >= limit:
                break
            chosen.update(a.id for a in row[: limit - len(chosen)])
    return [a for a in articles if a.id in chosen]


def _read_warning(cap: int, total: int) -> str:
    return (
        f"analysed from {cap:,} of its {total:,} articles (originals before copies, one "
        f"outlet after another, each outlet's earliest first; limit {cap:,} per story)"
    )


def reads_the_same(
    before: Sequence[Article],
    after: Sequence[Article],
    copies: Sequence[tuple[str, str]],
    settings: Settings,
) -> bool:
    """Whether a story too large to analyse whole that went from the articles ``before`` to
    ``after`` is analysed from the same articles (its dossier then only needs
    :func:`regrown`): a story of a thousand articles that gains one late article from an outlet
    it has heard already. ``copies``: ``(a, b)`` of the links among ``after``; those among
    ``before`` are the links its dossier was built with (a link to an added article can still
    make a read article a copy, and so change what is read)."""
    cap = settings.dossier.max_articles
    if len(before) <= cap or len(after) <= cap:
        return False
    known = {a.id for a in before}
    earlier = {b for a, b in copies if a in known and b in known}
    return {a.id for a in read_articles(before, earlier, cap)} == {
        a.id for a in read_articles(after, {b for _, b in copies}, cap)
    }


def regrown(dossier: Dossier, before: int, story: Story, settings: Settings) -> Dossier:
    """The dossier of a story of ``before`` articles, for ``story`` grown by articles its
    analysis does not read (:func:`reads_the_same`): the story and the count of articles in
    the warnings updated, the rest as analysed."""
    warnings = regrown_warnings(dossier.warnings, before, len(story.articles), settings)
    return dataclasses.replace(dossier, story=story, warnings=warnings)


def regrown_warnings(warnings: Sequence[str], before: int, after: int, settings: Settings) -> tuple[str, ...]:
    """The warnings of :func:`regrown` (what a store writes over a kept dossier's record)."""
    cap = settings.dossier.max_articles
    was, now = _read_warning(cap, before), _read_warning(cap, after)
    return tuple(now if w == was else w for w in warnings)


def bounded(article: Article, limit: int) -> Article:
    """``article`` with its text cut to :func:`~synoptic.limits.compared_length`, or ``article``
    itself when it is no longer than ``limit``."""
    keep = compared_length(article.text, limit)
    return article if keep == len(article.text) else dataclasses.replace(article, text=article.text[:keep])
