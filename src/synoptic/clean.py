"""Boilerplate removal; each removal is recorded with its reason."""

from __future__ import annotations

from synoptic.config import CleanSettings
from synoptic.records import Article


def clean_article(article: Article, settings: CleanSettings) -> Article:
    return article
