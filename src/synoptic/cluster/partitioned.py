"""Story clustering partition by partition on an :class:`~synoptic.executors.Executor`, so that
no process gathers every article's vectors (a Dask worker or a process-pool worker holds its
partitions' rows; only integers and counts travel).

Per language: exact copies collapse (hashes, here); each partition computes its articles' terms
and document frequencies, which are summed here (counts only), then its feature rows in the
global vocabulary (kept where they were computed: :meth:`Executor.keep`); every pair of
partitions is a block whose candidate pairs (and their exact cosines) come back as integers;
connected components (cut at higher bars when too large) make the blocks of the coarse graph,
exactly as in :mod:`synoptic.cluster.batch`; each multi-article block is clustered and refined on
a worker from the rows shuffled to it. The stories are the batch clusterer's.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from synoptic.cluster.features import (
    Frequencies,
    Terms,
    article_terms,
    collapse_copies,
    feature_matrix,
    language_of,
)
from synoptic.cluster.linkage import (
    average_link,
    blocking_columns,
    candidate_pairs_between,
    refine,
    similarity_blocks,
)
from synoptic.cluster.stories import make_story
from synoptic.config import CLUSTER_PARTITION_SIZE, CLUSTER_TASK_SIZE, ClusterSettings
from synoptic.executors import Executor, partitions
from synoptic.records import Article, Story

Pairs = NDArray[np.int64]
"""``(m, 2)`` global article indices ``i < j``."""


@dataclass(frozen=True, slots=True)
class _TermsPart:
    offset: int
    terms: list[Terms]


@dataclass(frozen=True, slots=True)
class _RowsPart:
    """A partition's feature rows, without its terms (its :class:`_TermsPart` has them): a pair
    block reads the rows of two partitions, and a pool worker unpickles all it is handed."""

    offset: int
    x: sp.csr_matrix
    """Feature rows of the partition, in the vocabulary of all the articles clustered."""
    blocking: sp.csr_matrix
    """The rows restricted to the :func:`~synoptic.cluster.linkage.blocking_columns`."""


def _terms_part(lead_sentences: int, offset: int, articles: Sequence[Article]) -> _TermsPart:
    return _TermsPart(offset, [article_terms(a, lead_sentences) for a in articles])


def _given_terms(offset: int, terms: list[Terms]) -> _TermsPart:
    return _TermsPart(offset, terms)


def _df_of(part: _TermsPart) -> tuple[Counter[str], Counter[str]]:
    words: Counter[str] = Counter(t for d in part.terms for t in set(d.words))
    ents: Counter[str] = Counter(t for d in part.terms for t in set(d.distinctive))
    return words, ents


def _rows_part(
    settings: ClusterSettings,
    df: tuple[Counter[str], Counter[str]],
    n: int,
    blocking: NDArray[np.int64],
    part: _TermsPart,
) -> _RowsPart:
    """The partition's rows of the feature matrix :func:`~synoptic.cluster.features.feature_matrix`
    builds for all the articles (same vocabulary, same IDF: ``df`` over ``n`` are the global
    document frequencies), and their ``blocking`` columns."""
    x = feature_matrix(part.terms, settings, df=df, n=n)
    return _RowsPart(part.offset, x, x[:, blocking].tocsr())


def _pair_block(
    settings: ClusterSettings, bar: float, a: _RowsPart, b: _RowsPart
) -> tuple[Pairs, NDArray[np.float64]]:
    """Pairs between (or within) two partitions whose cosine reaches ``bar``, with it."""
    i, j, sims = candidate_pairs_between(
        (a.offset, a.x, a.blocking), (b.offset, b.x, b.blocking), settings, bar
    )
    return np.stack([i, j], axis=1), sims


def _pieces(
    terms: _TermsPart, part: _RowsPart, wanted: NDArray[np.int64]
) -> tuple[NDArray[np.int64], Any, list[Terms]]:
    """The rows and terms of the given global indices (all in this partition)."""
    local = wanted - part.offset
    return wanted, part.x[local], [terms.terms[int(k)] for k in local]


def _cluster_blocks(
    settings: ClusterSettings, blocks: list[NDArray[np.int64]], *pieces: tuple[Any, Any, list[Terms]]
) -> list[NDArray[np.int64]]:
    """Coarse average linkage (cut at ``coarse_distance``) and refinement of whole blocks, on
    rows gathered from the partitions that hold them."""
    index = np.concatenate([p[0] for p in pieces])
    x = sp.vstack([p[1] for p in pieces]).tocsr()
    terms = [t for p in pieces for t in p[2]]
    order = np.argsort(index, kind="stable")
    index, x, terms = index[order], x[order], [terms[int(k)] for k in order]
    position = {int(g): k for k, g in enumerate(index.tolist())}
    out: list[NDArray[np.int64]] = []
    for block in blocks:
        local = np.array([position[int(g)] for g in block], dtype=np.int64)
        for members in average_link(x, local, settings.coarse_distance):
            for part in refine(members, terms, settings):
                out.append(index[part])
    return out


def _tasks(blocks: list[NDArray[np.int64]], size: int) -> list[list[NDArray[np.int64]]]:
    """Blocks in their order, packed into tasks of about ``size`` articles (a larger block is a
    task of its own)."""
    tasks: list[list[NDArray[np.int64]]] = []
    filled = size
    for block in blocks:
        if filled + len(block) > size:
            tasks.append([])
            filled = 0
        tasks[-1].append(block)
        filled += len(block)
    return tasks


def cluster_partitioned(
    articles: Sequence[Article],
    settings: ClusterSettings,
    executor: Executor,
    *,
    partition_size: int = CLUSTER_PARTITION_SIZE,
    task_size: int = CLUSTER_TASK_SIZE,
    frequencies: Frequencies | None = None,
    terms: Mapping[str, Terms] | None = None,
) -> list[Story]:
    """Every article in exactly one story, stories sorted by id, computed partition by partition
    (``partition_size`` articles) on ``executor`` (see the module docstring), the blocks refined
    in tasks of about ``task_size`` articles.

    ``frequencies``: document frequencies of a larger collection these articles are part of (a
    store's), used for the IDF instead of their own so that a part is weighted as the whole would
    be; candidate pairs still come from the terms rare *among these articles*. ``terms``: the
    articles' :func:`~synoptic.cluster.features.article_terms` where the caller has them (a
    store's regroup weighed them already), not computed again."""
    arts = sorted({a.id: a for a in articles}.values(), key=lambda a: a.id)
    by_language: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        by_language[language_of(art)].append(art)
    groups: list[list[Article]] = []
    known: dict[str, Terms] = {}  # in process: the clustering's terms, reused by the story labels
    for language in sorted(by_language):
        reps, copies = collapse_copies(by_language[language])
        sizes = (partition_size, task_size)
        for labels in _group_reps(reps, settings, executor, sizes, frequencies, known, terms or {}):
            group: list[Article] = []
            for k in labels:
                group.append(reps[k])
                group.extend(copies.get(reps[k].id, ()))
            groups.append(group)
    work = functools.partial(_stories_of, settings, known)
    stories = [s for done in executor.map(work, partitions(groups, 64)) for s in done]
    return sorted(stories, key=lambda s: s.id)


def _stories_of(
    settings: ClusterSettings, known: Mapping[str, Terms], groups: Sequence[Sequence[Article]]
) -> list[Story]:
    return [make_story(g, settings, terms=known) for g in groups]


def _vocabulary(
    local: tuple[Counter[str], Counter[str]],
    n_local: int,
    frequencies: Frequencies | None,
    settings: ClusterSettings,
) -> tuple[tuple[Counter[str], Counter[str]], int, NDArray[np.int64]]:
    """The document frequencies the rows are weighted with (only the terms kept: fewer to ship to
    the workers), their number of documents, and the blocking columns of those rows (by the
    terms' frequencies among the ``n_local`` articles clustered, whatever weights them)."""
    words, ents = local
    if frequencies is None:
        df = (
            Counter({t: c for t, c in words.items() if c >= settings.min_df}),
            Counter({t: c for t, c in ents.items() if c >= settings.min_df}),
        )
        n = n_local
    else:  # words and distinctive tokens never share a spelling: one table serves both blocks
        table, n = frequencies
        kept = Counter({t: c for t, c in table.items() if c >= settings.min_df})
        df = (kept, kept)
    column_df = np.array([words[t] for t in sorted(df[0])] + [ents[t] for t in sorted(df[1])], dtype=np.int64)
    return df, n, blocking_columns(column_df, settings)


def _group_reps(
    reps: Sequence[Article],
    settings: ClusterSettings,
    executor: Executor,
    sizes: tuple[int, int],
    frequencies: Frequencies | None,
    known: dict[str, Terms],
    given: Mapping[str, Terms],
) -> list[NDArray[np.int64]]:
    """Groups of ``reps`` (indices); in process, their terms are added to ``known`` (elsewhere
    they stay on the workers, and the story labels compute theirs again). ``sizes``: articles
    per partition and per refining task; ``given``: terms of articles known already."""
    size, task_size = sizes
    n = len(reps)
    if n == 0:
        return []
    parts = [(k * size, chunk) for k, chunk in enumerate(partitions(reps, size))]
    bounds = np.array([off for off, _ in parts], dtype=np.int64)
    handles: list[Any] = []
    try:
        # the chunk is its own argument: an executor sends a list as data, outside the task graph
        if all(a.id in given for a in reps):
            terms_kept = executor.keep_calls(
                _given_terms, [(off, [given[a.id] for a in chunk]) for off, chunk in parts]
            )
        else:
            terms_kept = executor.keep_calls(functools.partial(_terms_part, settings.lead_sentences), parts)
        handles += terms_kept
        if executor.in_process:
            known.update((reps[p.offset + k].id, t) for p in terms_kept for k, t in enumerate(p.terms))
        df_words: Counter[str] = Counter()
        df_ents: Counter[str] = Counter()
        for words, ents in executor.map_kept(_df_of, ((t,) for t in terms_kept)):
            df_words.update(words)
            df_ents.update(ents)
        df, n_docs, blocking = _vocabulary((df_words, df_ents), n, frequencies, settings)
        rows = executor.keep_calls(
            functools.partial(_rows_part, settings, df, n_docs, blocking), ((t,) for t in terms_kept)
        )
        handles += rows
        bar = 1.0 - settings.coarse_distance
        calls = ((rows[p], rows[q]) for p in range(len(rows)) for q in range(p, len(rows)))
        found = list(executor.map_kept(functools.partial(_pair_block, settings, bar), calls))
        pairs = np.concatenate([f[0] for f in found]) if found else np.zeros((0, 2), dtype=np.int64)
        sims = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.float64)
        blocks = list(similarity_blocks(n, pairs[:, 0], pairs[:, 1], sims, bar, settings.exact_max))
        out = [b for b in blocks if len(b) == 1]  # one article: its own coarse cluster and story
        big = [b for b in blocks if len(b) > 1]
        # shuffle: each partition hands over the rows of the blocks it has members of, one call
        # per task and partition (a pool worker loads the whole partition for each call)
        tasks = _tasks(big, task_size)
        piece_calls: list[tuple[Any, ...]] = []
        holders: list[NDArray[np.int64]] = []
        for members in tasks:
            wanted = np.sort(np.concatenate(members))
            owner = np.searchsorted(bounds, wanted, side="right") - 1
            holders.append(np.unique(owner))
            piece_calls.extend((terms_kept[p], rows[p], wanted[owner == p]) for p in holders[-1].tolist())
        pieces = executor.keep_calls(_pieces, piece_calls)
        handles += pieces
        cluster_calls: list[tuple[Any, ...]] = []
        start = 0
        for members, held in zip(tasks, holders, strict=True):
            cluster_calls.append((members, *pieces[start : start + len(held)]))
            start += len(held)
        for parts_of_blocks in executor.map_kept(functools.partial(_cluster_blocks, settings), cluster_calls):
            out.extend(parts_of_blocks)
    finally:
        executor.release(handles)
    return out
