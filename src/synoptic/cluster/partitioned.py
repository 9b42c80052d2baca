"""Grouping many articles without gathering their vectors in one process.

The work is split the way a distributed engine wants it:

1. **Per partition** (``ScaleSettings.cluster_partition_size`` articles): a ``features``
   function computes what the similarity decision needs (embeddings, signatures) and the
   blocking keys. The result is *kept where it was computed* (:meth:`Executor.keep`: a Dask
   future on a worker, a spilled file for a process pool); only the keys travel.
2. **Blocking** (here, on small integers only): candidate pairs, as pairs of global article
   indices. ``exact`` blocking makes every pair of partitions a block: a worker multiplies
   the two partitions' vectors and every pair whose cosine reaches ``candidate_cosine`` is a
   candidate (exhaustive: the same as an all-pairs run for any decision that never accepts
   a pair below that cosine; O(n²) products, fine to about 10⁵ articles);
   ``lsh`` blocking buckets articles by SimHash bands of their vectors (random hyperplanes,
   seeded, identical in every process), so only articles sharing a band are compared.
3. **Per block** (on the workers that hold the two partitions): the ``decide`` function says
   which candidate pairs are edges.
4. **Global grouping**: union-find over the accepted edges (integers) gives the groups.

The decision and the features are parameters, so the story clusterer's own similarity
decision is what runs here; :func:`cosine_features`/:func:`cosine_decision` are the plain
embedding-cosine pair used when nothing else is given.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from synoptic.cluster.features import Terms, article_terms, collapse_copies, feature_matrix, language_of
from synoptic.cluster.linkage import average_link, refine, similarity_blocks
from synoptic.cluster.stories import make_story
from synoptic.config import ClusterSettings, Settings
from synoptic.executors import Executor, InProcessExecutor, partitions
from synoptic.records import Article, Story
from synoptic.unionfind import UnionFind

NO_KEY = np.uint64(2**64 - 1)
"""Blocking key of an article that must not be bucketed (an empty text's zero vector)."""

Pairs = NDArray[np.int64]
"""``(m, 2)`` global article indices ``i < j``."""


@dataclass(frozen=True, slots=True)
class PartitionFeatures:
    """What one partition's articles bring to the similarity decision."""

    offset: int
    """Global index of the partition's first article."""
    vectors: NDArray[np.float32]
    keys: NDArray[np.uint64] = field(default_factory=lambda: np.zeros((0, 0), dtype=np.uint64))
    """``(n, bands)`` LSH keys (empty unless LSH blocking asked for them)."""
    extra: Any = None
    """Anything else the decision needs, by local index (dates, entities, signatures)."""

    def __len__(self) -> int:
        return int(self.vectors.shape[0])


FeaturesFn = Callable[[int, Sequence[Article]], PartitionFeatures]
DecideFn = Callable[[PartitionFeatures, PartitionFeatures, Pairs], NDArray[np.bool_]]
"""``decide(a, b, pairs)``: for global pairs ``(i, j)`` with ``i`` in ``a`` and ``j`` in ``b``,
whether they are the same story."""


# --------------------------------------------------------------------------- union-find


def components(n: int, edges: Pairs) -> list[list[int]]:
    uf = UnionFind(n)
    for a, b in edges.tolist():
        uf.union(a, b)
    return uf.groups()


# --------------------------------------------------------------------------- blocking


@functools.cache
def _hyperplanes(dim: int, bits: int, seed: int) -> NDArray[np.float32]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((dim, bits)).astype(np.float32)


def simhash_keys(vectors: NDArray[np.float32], bands: int, rows: int, seed: int = 7) -> NDArray[np.uint64]:
    """``(n, bands)`` keys: band ``b`` of an article is the signs of ``rows`` random projections
    of its vector (packed, with ``b`` in the high bits so bands never collide). Two vectors at
    angle θ share one band with probability ``(1 - θ/π) ** rows``."""
    if rows > 32:
        raise ValueError("at most 32 rows per band")
    n = vectors.shape[0]
    if n == 0:
        return np.zeros((0, bands), dtype=np.uint64)
    bits = (vectors @ _hyperplanes(vectors.shape[1], bands * rows, seed)) > 0
    weights = (np.uint64(1) << np.arange(rows, dtype=np.uint64)).astype(np.uint64)
    packed = (bits.reshape(n, bands, rows).astype(np.uint64) * weights).sum(axis=2, dtype=np.uint64)
    keys: NDArray[np.uint64] = packed | (np.arange(bands, dtype=np.uint64) << np.uint64(32))
    keys[~np.any(vectors != 0, axis=1)] = NO_KEY
    return keys


def lsh_pairs(keys: Sequence[tuple[int, NDArray[np.uint64]]], max_bucket: int, window: int) -> Pairs:
    """Candidate pairs of articles sharing a band key. ``keys``: ``(offset, (n, bands))`` per
    partition. A bucket of up to ``max_bucket`` articles gives all its pairs; a bigger one (a
    band most texts share) pairs each article with its ``window`` next members only."""
    if not keys:
        return np.zeros((0, 2), dtype=np.int64)
    index = np.concatenate([np.arange(off, off + len(k), dtype=np.int64) for off, k in keys])
    table = np.concatenate([k for _, k in keys])
    found: list[Pairs] = []
    for band in range(table.shape[1] if table.ndim == 2 else 0):
        col = table[:, band]
        order = np.argsort(col, kind="stable")
        col, members = col[order], index[order]
        starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
        ends = np.r_[starts[1:], len(col)]
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            if e - s < 2 or col[s] == NO_KEY:
                continue
            bucket = np.sort(members[s:e])
            if len(bucket) <= max_bucket:
                a, b = np.triu_indices(len(bucket), k=1)
            else:
                a = np.concatenate([np.arange(len(bucket) - w) for w in range(1, window + 1)])
                b = np.concatenate([np.arange(w, len(bucket)) for w in range(1, window + 1)])
            found.append(np.stack([bucket[a], bucket[b]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


def _block_of(index: int, bounds: NDArray[np.int64]) -> int:
    return int(np.searchsorted(bounds, index, side="right") - 1)


def blocks_for(pairs: Pairs, bounds: NDArray[np.int64]) -> dict[tuple[int, int], Pairs]:
    """Candidate pairs grouped by the (partition of i, partition of j) that hold them."""
    if len(pairs) == 0:
        return {}
    pa = np.searchsorted(bounds, pairs[:, 0], side="right") - 1
    pb = np.searchsorted(bounds, pairs[:, 1], side="right") - 1
    out: dict[tuple[int, int], Pairs] = {}
    code = pa * len(bounds) + pb
    order = np.argsort(code, kind="stable")
    code, pairs = code[order], pairs[order]
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    ends = np.r_[starts[1:], len(code)]
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        key = (int(code[s] // len(bounds)), int(code[s] % len(bounds)))
        out[key] = pairs[s:e]
    return out


# --------------------------------------------------------------------------- the default decision


SIMILARITY = 0.5
"""Cosine of the default decision (:func:`cosine_decision`); the story clusterer passes its own."""


def cosine_features(settings: Settings, offset: int, articles: Sequence[Article]) -> PartitionFeatures:
    """Embeddings of title + text with the configured embedder (loaded once per worker)."""
    from synoptic.nlp.embeddings import make_embedder

    texts = [f"{a.title or ''}\n\n{a.text}" for a in articles]
    vectors = make_embedder(settings.nlp.embedder).encode(texts)
    return PartitionFeatures(offset=offset, vectors=vectors)


def cosine_decision(
    threshold: float, a: PartitionFeatures, b: PartitionFeatures, pairs: Pairs
) -> NDArray[np.bool_]:
    va = a.vectors[pairs[:, 0] - a.offset]
    vb = b.vectors[pairs[:, 1] - b.offset]
    sims: NDArray[np.bool_] = np.einsum("ij,ij->i", va, vb) >= threshold
    return sims


# --------------------------------------------------------------------------- the distributed run


def _features_with_keys(
    features: FeaturesFn, lsh: tuple[int, int] | None, part: tuple[int, Sequence[Article]]
) -> PartitionFeatures:
    offset, articles = part
    got = features(offset, articles)
    if lsh is not None:
        bands, rows = lsh
        got = PartitionFeatures(got.offset, got.vectors, simhash_keys(got.vectors, bands, rows), got.extra)
    return got


def _keys_of(features: PartitionFeatures) -> tuple[int, NDArray[np.uint64]]:
    return features.offset, features.keys


def _dense_block(
    decide: DecideFn, min_cosine: float, a: PartitionFeatures, b: PartitionFeatures
) -> tuple[Pairs, int]:
    """Pairs ``i < j`` between (or within) two partitions whose vectors' cosine reaches
    ``min_cosine`` (one matrix product: exhaustive), filtered by the decision; and how many
    candidates the decision saw."""
    sims = a.vectors @ b.vectors.T
    if a.offset == b.offset:
        sims = np.triu(sims, k=1) if len(a) else sims
        mask = sims >= min_cosine
        mask &= np.triu(np.ones_like(mask), k=1)
    else:
        mask = sims >= min_cosine
    x, y = np.nonzero(mask)
    pairs = np.stack([x + a.offset, y + b.offset], axis=1).astype(np.int64)
    if len(pairs) == 0:
        return pairs, 0
    return pairs[decide(a, b, pairs)], len(pairs)


def _candidate_block(decide: DecideFn, a: PartitionFeatures, b: PartitionFeatures, pairs: Pairs) -> Pairs:
    return pairs[decide(a, b, pairs)]


@dataclass(frozen=True, slots=True)
class Grouping:
    groups: list[list[int]]
    """Article indices per group, each sorted, groups ordered by their first article."""
    edges: Pairs
    """The accepted pairs (global indices)."""
    candidates: int
    """Pairs the decision looked at."""


def group_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    executor: Executor | None = None,
    features: FeaturesFn | None = None,
    decide: DecideFn | None = None,
    blocking: str | None = None,
) -> Grouping:
    """Groups of ``articles`` connected by accepted pairs, computed partition by partition."""
    executor = executor or InProcessExecutor()
    scale = settings.scale
    features = features or functools.partial(cosine_features, settings)
    decide = decide or functools.partial(cosine_decision, SIMILARITY)
    n = len(articles)
    blocking = blocking or ("exact" if n <= scale.exact_limit else "lsh")
    if blocking not in ("exact", "lsh"):
        raise ValueError(f"blocking must be 'exact' or 'lsh', got {blocking!r}")
    size = scale.cluster_partition_size
    parts = [(k * size, chunk) for k, chunk in enumerate(partitions(articles, size))]
    bounds = np.array([off for off, _ in parts], dtype=np.int64)
    lsh = (scale.lsh_bands, scale.lsh_rows) if blocking == "lsh" else None
    kept = executor.keep(functools.partial(_features_with_keys, features, lsh), parts)
    try:
        edges: list[Pairs] = []
        if blocking == "exact":
            calls: Iterator[tuple[Any, ...]] = (
                (kept[p], kept[q]) for p in range(len(kept)) for q in range(p, len(kept))
            )
            candidates = 0
            block = functools.partial(_dense_block, decide, scale.candidate_cosine)
            for got, seen in executor.map_kept(block, calls):
                edges.append(got)
                candidates += seen
        else:
            keys = list(executor.map_kept(_keys_of, ((k,) for k in kept)))
            pairs = lsh_pairs(keys, scale.lsh_max_bucket, scale.lsh_window)
            candidates = len(pairs)
            blocks = blocks_for(pairs, bounds)
            block_calls = ((kept[p], kept[q], blocks[(p, q)]) for p, q in sorted(blocks))
            edges.extend(executor.map_kept(functools.partial(_candidate_block, decide), block_calls))
    finally:
        executor.release(kept)
    accepted = np.concatenate(edges) if edges else np.zeros((0, 2), dtype=np.int64)
    accepted = np.unique(accepted, axis=0) if len(accepted) else accepted.reshape(0, 2)
    return Grouping(groups=components(n, accepted), edges=accepted, candidates=candidates)


# --------------------------------------------------------------------------- story clustering


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
