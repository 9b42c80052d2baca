"""The stage order, in one place.

``digest`` is the main job: read every input, clean it, decide its outlet, find copies, group articles into
stories and build one dossier per story. Each stage is a plain function of typed records
and settings; this module only wires them (and decides nothing about the content).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO, TypeVar

from synoptic.clean import clean_article
from synoptic.cluster import Frequencies, Terms, cluster_partitioned
from synoptic.config import Settings
from synoptic.dedup import find_copies
from synoptic.dossier import StoryReading, build_read_dossiers, read_story, with_known_vectors
from synoptic.executors import Executor, InProcessExecutor, one_blas_thread, partitions
from synoptic.ingest import read_inputs
from synoptic.ingest.pending import Pending, PendingPage, PendingRecord, resolve
from synoptic.memory import release_freed_memory
from synoptic.nlp.embeddings import Embedder, KnownVectors, run_embedder
from synoptic.outlets import identify_outlet
from synoptic.progress import NullProgress, Progress
from synoptic.records import (
    Article,
    CopyLink,
    Digest,
    DigestStream,
    Dossier,
    IngestFailure,
    SettledCopies,
    Story,
    with_inferred,
)

log = logging.getLogger(__name__)
P = TypeVar("P")


def prepare_article(article: Article, settings: Settings) -> Article:
    """An article as read, made ready for the rest: cleaned (boilerplate out, dates and credits
    from the text), then its outlet decided (which reads those credits)."""
    if settings.clean.enabled:
        article = clean_article(article, settings.clean)
    return identify_outlet(article, settings.outlets)


def ingest_partition(
    items: Sequence[Article | IngestFailure | Pending], settings: Settings
) -> list[Article | IngestFailure]:
    """Parse (HTML pages, JSON records) and prepare one partition of input items, in order."""
    out: list[Article | IngestFailure] = []
    for item in items:
        got = resolve(item) if isinstance(item, PendingPage | PendingRecord) else item
        out.append(prepare_article(got, settings) if isinstance(got, Article) else got)
    return out


def read_and_clean(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> tuple[list[Article], list[IngestFailure]]:
    """Ingest every input and clean each article; failures are collected, never raised
    (:func:`read_and_clean_counted`, without the count of repeated inputs)."""
    progress = progress or NullProgress()
    articles, failures, _repeats = read_and_clean_counted(
        paths, settings, stdin=stdin, progress=progress, executor=executor
    )
    progress.finish()
    return articles, failures


def read_and_clean_counted(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> tuple[list[Article], list[IngestFailure], int]:
    """Ingest every input and clean each article; failures are collected, never raised. Also
    returns how many inputs were the very same text as an earlier one (kept once).

    Inputs are read as a stream here (files, WARC records, JSONL lines); parsing and cleaning
    run on ``executor`` in partitions of ``settings.scale.partition_size`` items, and come
    back in input order, so any executor gives the in-process result."""
    items = read_inputs(paths, settings.ingest, stdin=stdin, deferred=True)
    return clean_items(items, settings, progress=progress, executor=executor)


def clean_items(
    items: Iterable[Article | IngestFailure | Pending],
    settings: Settings,
    *,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> tuple[list[Article], list[IngestFailure], int]:
    """Resolve (parse) and clean input items, as :func:`read_and_clean_counted` does for the
    items read from paths: articles (the same text twice kept once), failures, repeats."""
    progress = progress or NullProgress()
    progress.phase("reading")
    executor = executor or InProcessExecutor()
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    seen: set[str] = set()
    repeats = 0
    work = functools.partial(ingest_partition, settings=settings)
    for done in executor.map(work, partitions(items, settings.scale.partition_size)):
        for item in done:
            if isinstance(item, IngestFailure):
                failures.append(item)
            elif item.id not in seen:  # the very same text read twice is one article
                seen.add(item.id)
                articles.append(item)
            else:
                repeats += 1
        progress.update(len(articles), what="articles")
    log.info("read %d articles, %d inputs skipped", len(articles), len(failures))
    return articles, failures, repeats


def find_stories(
    articles: Sequence[Article],
    settings: Settings,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    frequencies: Frequencies | None = None,
    embedder: Embedder | None = None,
    settled: SettledCopies | None = None,
    terms: Mapping[str, Terms] | None = None,
    known: KnownVectors | None = None,
) -> tuple[list[CopyLink], list[Story]]:
    """Copy links between articles and the stories they form (each article in exactly one story).

    Copies (:mod:`synoptic.dedup`) and story clustering (:mod:`synoptic.cluster`, partition by
    partition on ``executor``: the same stories on any executor); stories that a copy link crosses
    are joined. When the executor runs elsewhere (:attr:`Executor.in_process` false), this process
    finds the copies while the workers group the articles. ``frequencies``: see
    :func:`~synoptic.cluster.cluster_partitioned`.
    ``embedder``: the run's (built from ``settings.nlp.embedder`` when not given).
    ``settled``: copies a store knows among some of the articles: not looked for again nor
    returned (:func:`synoptic.dedup.find_copies`), but they join stories as found links do.
    ``terms``: the clustering's terms of articles, where the caller has them.
    ``known``: where the copy search keeps the sentence vectors it encodes, for the dossiers.
    """
    from synoptic.cluster import join_copies

    progress = progress or NullProgress()
    executor = executor or InProcessExecutor()
    embedder = embedder or run_embedder(settings.nlp)
    settled = settled or SettledCopies()
    search = functools.partial(
        find_copies,
        articles,
        settings.dedup,
        embedder=embedder,
        settled=settled.articles,
        executor=executor,
        known=known,
    )
    cluster = functools.partial(
        cluster_partitioned,
        articles,
        settings.cluster,
        executor,
        partition_size=settings.scale.cluster_partition_size,
        frequencies=frequencies,
        terms=terms,
    )
    with one_blas_thread():
        if executor.in_process:
            progress.phase("copies")
            copies = search()
            release_freed_memory()
            progress.update(len(articles), what=f"articles, {len(copies)} copy links")
            progress.phase("stories")
            stories = cluster()
        else:
            progress.phase("copies and stories")
            # this process finds the copies while the workers group the articles: it would
            # otherwise only wait for them
            with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="copies") as side:
                pending = side.submit(search)
                stories = cluster()
                copies = pending.result()
        joined = join_copies(stories, copies, articles, settings.cluster, settled.joined)
        release_freed_memory()  # the dossiers start from what is alive, not from this stage's peak
        progress.update(len(articles), what=f"articles in {len(joined)} stories")
        log.info("%d copy links, %d stories", len(copies), len(joined))
        return copies, joined


def build_dossiers(
    stories: Sequence[Story],
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    settings: Settings,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> list[Dossier]:
    """One dossier per story, from that story's articles and the copy links among them.

    Stories are independent: each goes to ``executor`` with only its own articles and links
    (in the order of ``articles``/``copies``, as :func:`build_dossier` would select them), in
    partitions of ``settings.scale.partition_size`` articles; dossiers come back in order."""
    return list(
        iter_dossiers(
            stories, articles, copies, settings, executor=executor, progress=progress, embedder=embedder
        )
    )


def iter_dossiers(
    stories: Sequence[Story],
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    settings: Settings,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    known: KnownVectors | None = None,
) -> Iterator[Dossier]:
    """:func:`build_dossiers` one dossier at a time, in order, each built shortly before it is
    asked for (the executor works a few partitions ahead): what a caller has written it can drop.
    ``known``: sentence vectors an earlier stage encoded with ``embedder``, by article; each
    story gets its read articles' (see :func:`synoptic.dossier.with_known_vectors`)."""
    arts, links = by_story(stories, articles, copies)
    # each story read here (a large one's articles chosen), so a worker gets only the articles
    # its analysis reads, not the thousands of a large story and the links among them
    readings = (read_story(story, a, c, settings) for story, a, c in zip(stories, arts, links, strict=True))
    yield from iter_read_dossiers(
        readings, len(stories), settings, executor=executor, progress=progress, embedder=embedder, known=known
    )


def by_story(
    stories: Sequence[Story], articles: Iterable[Article], copies: Iterable[CopyLink]
) -> tuple[list[list[Article]], list[list[CopyLink]]]:
    """Each story's articles and the links among them, in the order given."""
    where = {aid: k for k, story in enumerate(stories) for aid in story.articles}
    arts: list[list[Article]] = [[] for _ in stories]
    for article in articles:
        if article.id in where:
            arts[where[article.id]].append(article)
    return arts, pairs_by_story(stories, copies, lambda c: (c.a, c.b), where)


def pairs_by_story(
    stories: Sequence[Story],
    items: Iterable[P],
    ends: Callable[[P], tuple[str, str]],
    where: Mapping[str, int] | None = None,
) -> list[list[P]]:
    """Each story's ``items`` (links, or ``(a, b)`` pairs: ``ends`` gives the two article ids)
    whose two ends are both its members, in the order given. ``where``: article id -> story
    index, when the caller has it."""
    if where is None:
        where = {aid: k for k, story in enumerate(stories) for aid in story.articles}
    out: list[list[P]] = [[] for _ in stories]
    for item in items:
        a, b = ends(item)
        k = where.get(a)
        if k is not None and where.get(b) == k:
            out[k].append(item)
    return out


def iter_read_dossiers(
    readings: Iterable[StoryReading],
    count: int,
    settings: Settings,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    known: KnownVectors | None = None,
) -> Iterator[Dossier]:
    """The dossiers of ``count`` read stories (:func:`synoptic.dossier.read_story`), in order,
    as :func:`iter_dossiers` yields them (``known``: as there)."""
    if known is not None:
        readings = (with_known_vectors(reading, known) for reading in readings)
    executor = executor or InProcessExecutor()
    embedder = embedder or run_embedder(settings.nlp)
    work = functools.partial(dossier_partition, settings=settings, embedder=embedder)
    built = 0
    started = time.perf_counter()
    progress = progress or NullProgress()
    progress.phase("dossiers", total=count)
    with one_blas_thread():
        for done in executor.map(work, _story_batches(readings, settings.scale.partition_size)):
            built += len(done)
            progress.update(built, what="stories")
            yield from done
    log.info("%d dossiers in %.1f s", built, time.perf_counter() - started)


def _story_batches(readings: Iterable[StoryReading], size: int) -> Iterable[list[StoryReading]]:
    """Consecutive read stories in batches of about ``size`` read articles."""
    batch: list[StoryReading] = []
    count = 0
    for reading in readings:
        if batch and count + len(reading.articles) > size:
            yield batch
            batch, count = [], 0
        batch.append(reading)
        count += len(reading.articles)
    if batch:
        yield batch


def dossier_partition(
    batch: Sequence[StoryReading], settings: Settings, embedder: Embedder | None = None
) -> list[Dossier]:
    """The dossiers of a batch of read stories (built together: the sentence encoder sees the
    whole batch's sentences at once)."""
    dossiers = build_read_dossiers(batch, settings, embedder)
    release_freed_memory()  # a large story's matrices, freed: the next batch starts low again
    return dossiers


def digest_articles(
    articles: Iterable[Article],
    settings: Settings,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Digest:
    """Copies, stories and dossiers for already-cleaned articles (:func:`synoptic.digest`
    cleans whatever it is given, then comes here)."""
    return collect(stream_articles(articles, settings, executor=executor, progress=progress))


def stream_articles(
    articles: Iterable[Article],
    settings: Settings,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> DigestStream:
    """:func:`digest_articles` with the dossiers built as they are read (the copies and stories
    are found before this returns)."""
    arts = tuple(articles)
    # one embedder for the run: every stage that compares texts by meaning uses it (a worker
    # process gets a copy; the model behind it loads once per process)
    embedder = run_embedder(settings.nlp)
    known = run_vectors(embedder)
    copies, stories = find_stories(
        arts, settings, executor=executor, progress=progress, embedder=embedder, known=known
    )
    dossiers = iter_dossiers(
        stories, arts, copies, settings, executor=executor, progress=progress, embedder=embedder, known=known
    )
    return DigestStream(articles=arts, copies=tuple(copies), dossiers=dossiers, stories=len(stories))


def run_vectors(embedder: Embedder) -> KnownVectors | None:
    """Where a run keeps the sentence vectors its copy search encodes with ``embedder``, for its
    dossiers (:func:`find_stories` then :func:`iter_dossiers`, both given it): a model's only
    (see :class:`~synoptic.nlp.embeddings.KnownVectors`)."""
    return KnownVectors() if embedder.name == "minilm" else None


def collect(stream: DigestStream) -> Digest:
    """Every dossier of ``stream`` read, and the dates they infer for undated articles given to
    those articles (marked inferred)."""
    dossiers = tuple(stream.dossiers)
    inferred = {aid: date for d in dossiers for aid, date in d.published.items()}
    return Digest(
        articles=with_inferred(stream.articles, inferred),
        copies=stream.copies,
        dossiers=dossiers,
        failures=stream.failures,
        repeats=stream.repeats,
    )


def digest(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> Digest:
    """Read, clean, find copies and stories, build the dossiers: :func:`read_and_clean_counted`
    then :func:`digest_articles`, reporting each phase to ``progress``."""
    progress = progress or NullProgress()
    result = collect(digest_stream(paths, settings, stdin=stdin, progress=progress, executor=executor))
    progress.finish()
    return result


def digest_stream(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> DigestStream:
    """:func:`digest` with the dossiers built as they are read (:class:`DigestStream`): what
    ``synoptic digest -f json`` writes, so that its memory does not grow with the number of
    stories. The executor must stay open until the dossiers are read."""
    articles, failures, repeats = read_and_clean_counted(
        paths, settings, stdin=stdin, progress=progress, executor=executor
    )
    stream = stream_articles(articles, settings, executor=executor, progress=progress)
    return dataclasses.replace(stream, failures=tuple(failures), repeats=repeats)
