"""Batch story clustering: every article of a collection in exactly one story.

(Moved from ``synoptic/cluster.py``; see :mod:`synoptic.cluster` for the method.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from synoptic.cluster.features import (
    Frequencies,
    Terms,
    article_terms,
    collapse_copies,
    feature_matrix,
    language_of,
)
from synoptic.cluster.linkage import coarse_clusters, refine
from synoptic.cluster.stories import make_story
from synoptic.config import ClusterSettings
from synoptic.records import Article, Story


def cluster_articles(
    articles: Sequence[Article],
    settings: ClusterSettings,
    embedder: object | None = None,
    *,
    frequencies: Frequencies | None = None,
) -> list[Story]:
    """Every article in exactly one story (see the module docstring), stories sorted by id.

    ``embedder`` is accepted for interface symmetry with the other stages; the lexical features
    above beat sentence embeddings at telling events of one kind apart (bench/results/cluster.md).
    ``frequencies``: document frequencies of a larger collection these articles are part of (a
    store's), used instead of their own so that a part is weighted as the whole would be."""
    del embedder
    arts = sorted({a.id: a for a in articles}.values(), key=lambda a: a.id)
    groups: list[list[Article]] = []
    by_language: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        by_language[language_of(art)].append(art)
    known: dict[str, Terms] = {}  # the clustering's terms, reused by the story labels
    for language in sorted(by_language):
        groups.extend(_cluster_language(by_language[language], settings, known, frequencies))
    return sorted((make_story(g, settings, terms=known) for g in groups), key=lambda s: s.id)


def _cluster_language(
    arts: Sequence[Article],
    settings: ClusterSettings,
    known: dict[str, Terms],
    frequencies: Frequencies | None = None,
) -> list[list[Article]]:
    reps, copies = collapse_copies(arts)
    terms = [article_terms(a, settings.lead_sentences) for a in reps]
    known.update((a.id, t) for a, t in zip(reps, terms, strict=True))
    labels = cluster_terms(terms, settings, frequencies)
    out: dict[int, list[Article]] = defaultdict(list)
    for art, label in zip(reps, labels, strict=True):
        out[label].append(art)
        out[label].extend(copies.get(art.id, ()))
    return list(out.values())


def cluster_terms(
    terms: Sequence[Terms], settings: ClusterSettings, frequencies: Frequencies | None = None
) -> list[int]:
    """Cluster labels (0..k-1, in order of first member) for the items' terms."""
    if not terms:
        return []
    if frequencies is None:
        x = feature_matrix(terms, settings)
    else:  # words and distinctive tokens never share a spelling: one table serves both blocks
        df, n = frequencies
        x = feature_matrix(terms, settings, df=(df, df), n=n)
    coarse = coarse_clusters(x, settings)
    labels = np.full(len(terms), -1, dtype=np.int64)
    nxt = 0
    for members in coarse:
        for part in refine(members, terms, settings):
            labels[part] = nxt
            nxt += 1
    return _relabel(labels)


def _relabel(labels: NDArray[np.int64]) -> list[int]:
    seen: dict[int, int] = {}
    return [seen.setdefault(int(v), len(seen)) for v in labels]
