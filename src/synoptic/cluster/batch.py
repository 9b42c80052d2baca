"""Batch story clustering: every article of a collection in exactly one story.

One algorithm: the partitioned one (:mod:`synoptic.cluster.partitioned`), here on an
:class:`~synoptic.executors.InProcessExecutor`, so the stories in one process and on workers are
the same by construction, not by a second implementation kept in step.
"""

from __future__ import annotations

from collections.abc import Sequence

from synoptic.cluster.features import Frequencies
from synoptic.cluster.partitioned import cluster_partitioned
from synoptic.config import ClusterSettings
from synoptic.executors import InProcessExecutor
from synoptic.records import Article, Story


def cluster_articles(
    articles: Sequence[Article],
    settings: ClusterSettings,
    *,
    frequencies: Frequencies | None = None,
) -> list[Story]:
    """Every article in exactly one story (see :mod:`synoptic.cluster`), stories sorted by id.

    The features are lexical: they beat sentence embeddings at telling events of one kind apart
    (bench/results/cluster.md). ``frequencies``: document frequencies of a larger collection
    these articles are part of (a store's), used instead of their own so that a part is weighted
    as the whole would be."""
    return cluster_partitioned(articles, settings, InProcessExecutor(), frequencies=frequencies)
