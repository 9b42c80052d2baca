"""The stage order, in one place.

``digest`` is the main job: read every input, clean it, find copies, group articles into
stories and build one dossier per story. Each stage is a plain function of typed records
and settings; this module only wires them (and decides nothing about the content).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import BinaryIO

from synoptic.clean import clean_article
from synoptic.config import Settings
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

    Until story clustering lands every article is its own story: nothing is grouped that the
    evidence has not grouped.
    """
    stories = [Story(id=f"s-{a.id}", articles=(a.id,), label=a.title or "") for a in articles]
    return [], stories


def build_dossiers(
    stories: Sequence[Story], articles: Sequence[Article], copies: Sequence[CopyLink], settings: Settings
) -> list[Dossier]:
    """One dossier per story, from that story's articles and the copy links among them."""
    from synoptic.timeline import story_when

    by_id = {a.id: a for a in articles}
    dossiers = []
    for story in stories:
        when = story_when([by_id[i] for i in story.articles if i in by_id], settings)
        dossiers.append(Dossier(story=story, timeline=when.timeline, times=when.times))
    return dossiers


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
) -> Digest:
    articles, failures = read_and_clean(paths, settings, stdin=stdin, progress=progress)
    result = digest_articles(articles, settings)
    return Digest(
        articles=result.articles, copies=result.copies, dossiers=result.dossiers, failures=tuple(failures)
    )
