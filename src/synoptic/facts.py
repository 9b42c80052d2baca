"""Who, who said what, and when, for the articles of one story.

Stage order: one spaCy parse per article (shared by entities and quotes), canonical entities,
quote attribution against those entities, then the "when" (inferred publication dates, time
expressions against each article's anchor, the timeline). Each part lives in its own module;
this one only composes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from synoptic.config import Settings
from synoptic.nlp.embeddings import Embedder, run_embedder
from synoptic.nlp.entities import parse_articles, resolve_entities
from synoptic.nlp.sentences import SentenceSplits
from synoptic.quotes import find_quotes
from synoptic.records import Article, StoryFacts
from synoptic.timeline import story_when


def analyse_story(
    articles: Sequence[Article],
    settings: Settings,
    embedder: Embedder | None = None,
    *,
    splits: SentenceSplits | None = None,
) -> StoryFacts:
    """Entities, quotes, time expressions, timeline and inferred dates of one story's articles
    (``embedder``: the run's, which links one statement across articles, built when not given;
    sentences from ``splits`` when the dossier shares them)."""
    when = story_when(articles, settings, splits=splits)
    if not settings.dossier.entities_and_quotes:
        return when
    parsed = parse_articles(articles, settings.entities)
    entities = resolve_entities(articles, parsed, settings.entities)
    embedder = embedder or run_embedder(settings.nlp)
    quotes = find_quotes(articles, entities, settings.quotes, parsed, embedder=embedder)
    return dataclasses.replace(when, entities=entities, quotes=quotes)
