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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from synoptic.cluster.features import Terms, article_terms, collapse_copies, feature_matrix, language_of
from synoptic.cluster.linkage import average_link, refine, similarity_blocks
from synoptic.cluster.stories import make_story
from synoptic.config import ClusterSettings, Settings
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
    offset: int
    terms: list[Terms]
    x: Any
    """Feature rows (scipy CSR) of the partition, in the global vocabulary."""
    blocking: Any
    """The rows restricted to the blocking columns (terms in 2..block_max_df articles)."""


def _terms_part(part: tuple[int, Sequence[Article]]) -> _TermsPart:
    offset, articles = part
    return _TermsPart(offset, [article_terms(a) for a in articles])


def _df_of(part: _TermsPart) -> tuple[Counter[str], Counter[str]]:
    words: Counter[str] = Counter(t for d in part.terms for t in set(d.words))
    ents: Counter[str] = Counter(t for d in part.terms for t in set(d.distinctive))
    return words, ents


def _rows_part(
    settings: ClusterSettings, df: tuple[Counter[str], Counter[str]], n: int, part: _TermsPart
) -> _RowsPart:
    """The partition's rows of the feature matrix :func:`cluster.feature_matrix` builds for all
    ``n`` articles (same vocabulary, same IDF: the document frequencies are the global ones)."""
    x = feature_matrix(part.terms, settings, df=df, n=n)
    col_df = np.array(
        [c for counts in df for _, c in sorted((t, c) for t, c in counts.items() if c >= settings.min_df)],
        dtype=np.int64,
    )
    keep = np.flatnonzero((col_df <= settings.block_max_df) & (col_df >= 2))
    return _RowsPart(part.offset, part.terms, x, x[:, keep].tocsr())


def _pair_block(
    settings: ClusterSettings, bar: float, a: _RowsPart, b: _RowsPart
) -> tuple[Pairs, NDArray[np.float64]]:
    """Candidate pairs between (or within) two partitions, as :func:`cluster.candidate_pairs`
    finds them (partial product on the blocking columns, then the exact cosine)."""
    ii: list[NDArray[np.int64]] = []
    jj: list[NDArray[np.int64]] = []
    bt = b.blocking.T.tocsr()
    rows = a.blocking.shape[0]
    for start in range(0, rows, settings.chunk_rows):
        block = (a.blocking[start : start + settings.chunk_rows] @ bt).tocoo()
        gi = block.row.astype(np.int64) + start + a.offset
        gj = block.col.astype(np.int64) + b.offset
        mask = (gj > gi) & (block.data >= settings.candidate_floor)
        ii.append(gi[mask])
        jj.append(gj[mask])
    i = np.concatenate(ii) if ii else np.zeros(0, dtype=np.int64)
    j = np.concatenate(jj) if jj else np.zeros(0, dtype=np.int64)
    sims = np.asarray(a.x[i - a.offset].multiply(b.x[j - b.offset]).sum(axis=1)).ravel()
    keep = sims >= bar
    return np.stack([i[keep], j[keep]], axis=1), sims[keep].astype(np.float64)


def _pieces(part: _RowsPart, wanted: NDArray[np.int64]) -> tuple[NDArray[np.int64], Any, list[Terms]]:
    """The rows and terms of the given global indices (all in this partition)."""
    local = wanted - part.offset
    return wanted, part.x[local], [part.terms[int(k)] for k in local]


def _cluster_blocks(
    settings: ClusterSettings, blocks: list[NDArray[np.int64]], *pieces: tuple[Any, Any, list[Terms]]
) -> list[NDArray[np.int64]]:
    """Coarse average linkage and refinement of whole blocks (as :func:`cluster.cluster_terms`
    does per block), on rows gathered from the partitions that hold them."""
    import scipy.sparse as sp

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


def cluster_articles_distributed(
    articles: Sequence[Article], settings: Settings, executor: Executor
) -> list[Story]:
    """:func:`synoptic.cluster.cluster_articles`, computed partition by partition on ``executor``.

    Per language: exact copies collapse (hashes, here); each partition computes its articles'
    terms and document frequencies, which are summed here (counts only), then its feature rows
    in the global vocabulary (kept on the workers); every pair of partitions is a block whose
    candidate pairs (and their exact cosines) come back as integers; union-find (connected
    components, cut at higher bars when too large) makes the blocks of the coarse graph, exactly
    as in process; each multi-article block is clustered and refined on a worker from the rows
    shuffled to it. The stories are the same as :func:`~synoptic.cluster.cluster_articles`'."""
    cs = settings.cluster
    arts = sorted({a.id: a for a in articles}.values(), key=lambda a: a.id)
    by_language: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        by_language[language_of(art)].append(art)
    groups: list[list[Article]] = []
    for language in sorted(by_language):
        reps, copies = collapse_copies(by_language[language])
        for labels in _group_reps(reps, settings, executor):
            group: list[Article] = []
            for k in labels:
                group.append(reps[k])
                group.extend(copies.get(reps[k].id, ()))
            groups.append(group)
    work = functools.partial(_stories_of, cs)
    stories = [s for done in executor.map(work, partitions(groups, 64)) for s in done]
    return sorted(stories, key=lambda s: s.id)


def _stories_of(settings: ClusterSettings, groups: Sequence[Sequence[Article]]) -> list[Story]:
    return [make_story(g, settings) for g in groups]


def _group_reps(reps: Sequence[Article], settings: Settings, executor: Executor) -> list[NDArray[np.int64]]:
    cs = settings.cluster
    n = len(reps)
    if n == 0:
        return []
    size = settings.scale.cluster_partition_size
    parts = [(k * size, chunk) for k, chunk in enumerate(partitions(reps, size))]
    bounds = np.array([off for off, _ in parts], dtype=np.int64)
    handles: list[Any] = []
    try:
        terms_kept = executor.keep(_terms_part, parts)
        handles += terms_kept
        df_words: Counter[str] = Counter()
        df_ents: Counter[str] = Counter()
        for words, ents in executor.map_kept(_df_of, ((t,) for t in terms_kept)):
            df_words.update(words)
            df_ents.update(ents)
        # only terms in the vocabulary matter for the rows; fewer to ship to the workers
        df = (
            Counter({t: c for t, c in df_words.items() if c >= cs.min_df}),
            Counter({t: c for t, c in df_ents.items() if c >= cs.min_df}),
        )
        rows = executor.keep_calls(functools.partial(_rows_part, cs, df, n), ((t,) for t in terms_kept))
        handles += rows
        bar = 1.0 - cs.coarse_distance
        calls = ((rows[p], rows[q]) for p in range(len(rows)) for q in range(p, len(rows)))
        found = list(executor.map_kept(functools.partial(_pair_block, cs, bar), calls))
        pairs = np.concatenate([f[0] for f in found]) if found else np.zeros((0, 2), dtype=np.int64)
        sims = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.float64)
        blocks = list(similarity_blocks(n, pairs[:, 0], pairs[:, 1], sims, bar, cs.exact_max))
        out = [b for b in blocks if len(b) == 1]  # one article: its own coarse cluster and story
        big = [b for b in blocks if len(b) > 1]
        # shuffle: each partition hands over the rows of the blocks it has members of
        where = {id(b): np.searchsorted(bounds, b, side="right") - 1 for b in big}
        tasks: dict[tuple[int, ...], list[NDArray[np.int64]]] = defaultdict(list)
        for b in big:
            tasks[tuple(sorted(set(where[id(b)].tolist())))].append(b)
        specs = sorted(tasks.items())
        piece_calls: list[tuple[Any, ...]] = []
        for holders, members in specs:
            wanted = np.sort(np.concatenate(members))
            owner = np.searchsorted(bounds, wanted, side="right") - 1
            piece_calls.extend((rows[p], wanted[owner == p]) for p in holders)
        pieces = executor.keep_calls(_pieces, piece_calls)
        handles += pieces
        cluster_calls: list[tuple[Any, ...]] = []
        start = 0
        for holders, members in specs:
            cluster_calls.append((members, *pieces[start : start + len(holders)]))
            start += len(holders)
        for parts_of_blocks in executor.map_kept(functools.partial(_cluster_blocks, cs), cluster_calls):
            out.extend(parts_of_blocks)
    finally:
        executor.release(handles)
    return out
