"""Cross-checking one story across outlets: claims, agreement, conflicts, per-outlet comparison.

``cross_check(articles, copies, settings, facts=...)`` is the entry point the dossier builder
calls with the articles of ONE story and the copy links among them. See
:mod:`synoptic.crosscheck.claims` for the stage order.
"""

from __future__ import annotations

from collections.abc import Sequence

from synoptic.config import Settings
from synoptic.crosscheck.agreement import Sources
from synoptic.crosscheck.claims import find_claims
from synoptic.crosscheck.compare import compare_outlets
from synoptic.crosscheck.support import SupportContext
from synoptic.crosscheck.units import Unit
from synoptic.nlp.embeddings import Embedder
from synoptic.nlp.sentences import SentenceSplits
from synoptic.records import Article, Claim, CopyLink, OutletReport, StoryFacts

__all__ = ["Sources", "compare_outlets", "cross_check", "find_claims"]


def cross_check(
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    settings: Settings,
    *,
    facts: StoryFacts | None = None,
    embedder: Embedder | None = None,
    context: SupportContext | None = None,
    splits: SentenceSplits | None = None,
    units: Sequence[Unit] | None = None,
) -> tuple[tuple[Claim, ...], tuple[OutletReport, ...]]:
    """Claims of one story (with agreement, conflicts and wordings) and one report per outlet.

    ``embedder`` and ``context`` (the support check's knowledge of the story) are built here when
    not given; the dossier builder passes the ones its summary uses too, and ``splits``, the
    sentences of its articles split once for all its stages, and ``units``, the claims' units it
    encoded beforehand (:func:`~synoptic.crosscheck.claims.story_units`)."""
    ids = {a.id for a in articles}
    links = [c for c in copies if c.a in ids and c.b in ids]
    claims = find_claims(
        articles, links, settings, facts=facts, embedder=embedder, context=context, splits=splits, units=units
    )
    return claims, compare_outlets(articles, claims, links, settings.crosscheck)
