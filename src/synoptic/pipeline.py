"""The stage order, in one place.

``digest`` is the main job: read every input, clean it, find copies, group articles into
stories and build one dossier per story. Each stage is a plain function of typed records
and settings; this module only wires them (and decides nothing about the content).
"""

from __future__ import annotations

import concurrent.futures
import functools
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from synoptic.clean import clean_article
from synoptic.cluster import Frequencies, cluster_articles
from synoptic.config import Settings
from synoptic.dedup import find_copies
from synoptic.dossier import build_dossier
from synoptic.executors import Executor, InProcessExecutor, one_blas_thread, partitions
from synoptic.ingest import read_inputs
from synoptic.ingest.pending import Pending, PendingPage, PendingRecord, resolve
from synoptic.progress import NullProgress, Progress
from synoptic.records import Article, CopyLink, Digest, Dossier, IngestFailure, Story
from synoptic.timeline import with_inferred


def ingest_partition(
    items: Sequence[Article | IngestFailure | Pending], settings: Settings
) -> list[Article | IngestFailure]:
    """Parse (HTML pages, JSON records) and clean one partition of input items, in order."""
    out: list[Article | IngestFailure] = []
    for item in items:
        got = resolve(item) if isinstance(item, PendingPage | PendingRecord) else item
        if isinstance(got, Article) and settings.clean.enabled:
            got = clean_article(got, settings.clean)
        out.append(got)
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
    articles, failures, _repeats = read_and_clean_counted(
        paths, settings, stdin=stdin, progress=progress, executor=executor
    )
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
    progress = progress or NullProgress()
    executor = executor or InProcessExecutor()
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    seen: set[str] = set()
    repeats = 0
    items = read_inputs(paths, settings.ingest, stdin=stdin, deferred=True)
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
    progress.finish()
    return articles, failures, repeats


def find_stories(
    articles: Sequence[Article],
    settings: Settings,
    *,
    executor: Executor | None = None,
    frequencies: Frequencies | None = None,
) -> tuple[list[CopyLink], list[Story]]:
    """Copy links between articles and the stories they form (each article in exactly one story).

    Copies (:mod:`synoptic.dedup`) first, then story clustering (:mod:`synoptic.cluster`); stories
    that a copy link crosses are joined. With a parallel ``executor`` the clustering runs partition
    by partition on it (:func:`synoptic.distcluster.cluster_articles_distributed`, same stories)
    while this process finds the copies. ``frequencies``: see :func:`cluster_articles` (in-process).
    """
    from synoptic.cluster import join_copies
    from synoptic.nlp.embeddings import make_embedder

    embedder = make_embedder(settings.nlp.embedder)
    with one_blas_thread():
        if executor is None or isinstance(executor, InProcessExecutor):
            copies = find_copies(articles, settings.dedup, embedder=embedder)
            stories = cluster_articles(articles, settings.cluster, frequencies=frequencies)
        else:
            from synoptic.distcluster import cluster_articles_distributed

            # this process finds the copies while the workers group the articles: it would
            # otherwise only wait for them
            with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="copies") as side:
                pending = side.submit(find_copies, articles, settings.dedup, embedder=embedder)
                stories = cluster_articles_distributed(articles, settings, executor)
                copies = pending.result()
        return copies, join_copies(stories, copies, articles, settings.cluster)


def build_dossiers(
    stories: Sequence[Story],
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    settings: Settings,
    *,
    executor: Executor | None = None,
) -> list[Dossier]:
    """One dossier per story, from that story's articles and the copy links among them.

    Stories are independent: each goes to ``executor`` with only its own articles and links
    (in the order of ``articles``/``copies``, as :func:`build_dossier` would select them), in
    partitions of ``settings.scale.partition_size`` articles; dossiers come back in order."""
    executor = executor or InProcessExecutor()
    where = {aid: k for k, story in enumerate(stories) for aid in story.articles}
    arts: list[list[Article]] = [[] for _ in stories]
    for article in articles:
        if article.id in where:
            arts[where[article.id]].append(article)
    links: list[list[CopyLink]] = [[] for _ in stories]
    for link in copies:
        k = where.get(link.a)
        if k is not None and where.get(link.b) == k:
            links[k].append(link)
    work = functools.partial(dossier_partition, settings=settings)
    out: list[Dossier] = []
    with one_blas_thread():
        for done in executor.map(work, _story_batches(stories, arts, links, settings.scale.partition_size)):
            out.extend(done)
    return out


StoryWork = tuple[Story, list[Article], list[CopyLink]]


def _story_batches(
    stories: Sequence[Story], arts: list[list[Article]], links: list[list[CopyLink]], size: int
) -> Iterable[list[StoryWork]]:
    """Consecutive stories in batches of about ``size`` articles (a big story is a batch alone)."""
    batch: list[StoryWork] = []
    count = 0
    for story, a, c in zip(stories, arts, links, strict=True):
        if batch and count + len(a) > size:
            yield batch
            batch, count = [], 0
        batch.append((story, a, c))
        count += len(a)
    if batch:
        yield batch


def dossier_partition(batch: Sequence[StoryWork], settings: Settings) -> list[Dossier]:
    """The dossiers of a batch of stories, each with its own articles and copy links."""
    return [build_dossier(story, arts, links, settings) for story, arts, links in batch]


def digest_articles(
    articles: Iterable[Article], settings: Settings, *, executor: Executor | None = None
) -> Digest:
    """Copies, stories and dossiers for already-cleaned articles."""
    arts = tuple(articles)
    copies, stories = find_stories(arts, settings, executor=executor)
    dossiers = build_dossiers(stories, arts, copies, settings, executor=executor)
    # undated articles get the date their story's evidence implies (marked inferred)
    inferred = {aid: date for d in dossiers for aid, date in d.published.items()}
    return Digest(articles=with_inferred(arts, inferred), copies=tuple(copies), dossiers=tuple(dossiers))


def digest(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> Digest:
    articles, failures, repeats = read_and_clean_counted(
        paths, settings, stdin=stdin, progress=progress, executor=executor
    )
    result = digest_articles(articles, settings, executor=executor)
    return Digest(
        articles=result.articles,
        copies=result.copies,
        dossiers=result.dossiers,
        failures=tuple(failures),
        repeats=repeats,
    )
