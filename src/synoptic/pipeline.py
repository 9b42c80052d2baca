"""The stage order, in one place.

``digest`` is the main job: read every input, clean it, find copies, group articles into
stories and build one dossier per story. Each stage is a plain function of typed records
and settings; this module only wires them (and decides nothing about the content).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from synoptic.clean import clean_article
from synoptic.config import Settings
from synoptic.executors import Executor, InProcessExecutor, partitions
from synoptic.ingest import read_inputs
from synoptic.ingest.pending import Pending, PendingPage, PendingRecord, resolve
from synoptic.progress import NullProgress, Progress
from synoptic.records import Article, CopyLink, Digest, Dossier, IngestFailure, Story


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
    """Ingest every input and clean each article; failures are collected, never raised.

    Inputs are read as a stream here (files, WARC records, JSONL lines); parsing and cleaning
    run on ``executor`` in partitions of ``settings.scale.partition_size`` items, and come
    back in input order, so any executor gives the in-process result."""
    progress = progress or NullProgress()
    executor = executor or InProcessExecutor()
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    seen: set[str] = set()
    items = read_inputs(paths, settings.ingest, stdin=stdin, deferred=True)
    work = functools.partial(ingest_partition, settings=settings)
    for done in executor.map(work, partitions(items, settings.scale.partition_size)):
        for item in done:
            if isinstance(item, IngestFailure):
                failures.append(item)
            elif item.id not in seen:  # the very same text read twice is one article
                seen.add(item.id)
                articles.append(item)
        progress.update(len(articles), what="articles")
    progress.finish()
    return articles, failures


def find_stories(articles: Sequence[Article], settings: Settings) -> tuple[list[CopyLink], list[Story]]:
    """Copy links between articles and the stories they form (each article in exactly one story).

    Until story clustering lands every article is its own story: nothing is grouped that the
    evidence has not grouped.
    """
    stories = [Story(id=f"s-{a.id}", articles=(a.id,), label=a.title or "") for a in articles]
    return [], stories


def build_dossiers(
    stories: Sequence[Story], articles: Sequence[Article], copies: Sequence[CopyLink], settings: Settings
) -> list[Dossier]:
    """One dossier per story, from that story's articles and the copy links among them."""
    return [Dossier(story=story) for story in stories]


def digest_articles(articles: Iterable[Article], settings: Settings) -> Digest:
    """Copies, stories and dossiers for already-cleaned articles."""
    arts = tuple(articles)
    copies, stories = find_stories(arts, settings)
    dossiers = build_dossiers(stories, arts, copies, settings)
    return Digest(articles=arts, copies=tuple(copies), dossiers=tuple(dossiers))


def digest(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> Digest:
    articles, failures = read_and_clean(paths, settings, stdin=stdin, progress=progress, executor=executor)
    result = digest_articles(articles, settings)
    return Digest(
        articles=result.articles, copies=result.copies, dossiers=result.dossiers, failures=tuple(failures)
    )
