"""The stage order, in one place.

``digest`` is the main job: read every input, clean it, find copies, group articles into
stories and build one dossier per story. Each stage is a plain function of typed records
and settings; this module only wires them (and decides nothing about the content).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from synoptic.clean import clean_article
from synoptic.cluster import cluster_articles
from synoptic.config import Settings
from synoptic.dedup import find_copies
from synoptic.dossier import build_dossier
from synoptic.ingest import read_inputs
from synoptic.progress import NullProgress, Progress
from synoptic.records import Article, CopyLink, Digest, Dossier, IngestFailure, Story


def read_and_clean(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> tuple[list[Article], list[IngestFailure]]:
    """Ingest every input and clean each article; failures are collected, never raised."""
    progress = progress or NullProgress()
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    seen: set[str] = set()
    for n, item in enumerate(read_inputs(paths, settings.ingest, stdin=stdin), start=1):
        if isinstance(item, IngestFailure):
            failures.append(item)
        else:
            article = clean_article(item, settings.clean) if settings.clean.enabled else item
            if article.id not in seen:  # the very same text read twice is one article
                seen.add(article.id)
                articles.append(article)
        progress.update(n, what="items read")
    progress.finish()
    return articles, failures


def find_stories(articles: Sequence[Article], settings: Settings) -> tuple[list[CopyLink], list[Story]]:
    """Copy links between articles and the stories they form (each article in exactly one story).

    Copies (:mod:`synoptic.dedup`) first, then story clustering (:mod:`synoptic.cluster`); stories
    that a copy link crosses are joined.
    """
    from synoptic.cluster import join_copies
    from synoptic.nlp.embeddings import make_embedder

    copies = find_copies(articles, settings.dedup, embedder=make_embedder(settings.nlp.embedder))
    stories = cluster_articles(articles, settings.cluster)
    return copies, join_copies(stories, copies, articles, settings.cluster)


def build_dossiers(
    stories: Sequence[Story], articles: Sequence[Article], copies: Sequence[CopyLink], settings: Settings
) -> list[Dossier]:
    """One dossier per story, from that story's articles and the copy links among them."""
    return [build_dossier(story, articles, copies, settings) for story in stories]


def digest_articles(articles: Iterable[Article], settings: Settings) -> Digest:
    """Copies, stories and dossiers for already-cleaned articles."""
    arts = tuple(articles)
    copies, stories = find_stories(arts, settings)
    dossiers = build_dossiers(stories, arts, copies, settings)
    return Digest(
        articles=with_inferred_dates(arts, dossiers), copies=tuple(copies), dossiers=tuple(dossiers)
    )


def with_inferred_dates(articles: Sequence[Article], dossiers: Sequence[Dossier]) -> tuple[Article, ...]:
    """Articles with no publication date get the one their story's evidence implies (marked inferred)."""
    inferred = {aid: date for d in dossiers for aid, date in d.published.items()}
    return tuple(
        dataclasses.replace(a, published=inferred[a.id])
        if a.id in inferred and (a.published is None or a.published.value is None)
        else a
        for a in articles
    )


def digest(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Digest:
    articles, failures = read_and_clean(paths, settings, stdin=stdin, progress=progress)
    result = digest_articles(articles, settings)
    return Digest(
        articles=result.articles, copies=result.copies, dossiers=result.dossiers, failures=tuple(failures)
    )
