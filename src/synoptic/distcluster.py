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
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from synoptic.config import Settings
from synoptic.executors import Executor, InProcessExecutor, partitions
from synoptic.records import Article

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


class UnionFind:
    """Disjoint sets over ``0..n-1``; the root of a set is its smallest member (deterministic)."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:  # path compression
            parent[x], x = root, int(parent[x])
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo

    def groups(self) -> list[list[int]]:
        """Every set as a sorted list, sets ordered by their smallest member."""
        out: dict[int, list[int]] = defaultdict(list)
        for x in range(len(self.parent)):
            out[self.find(x)].append(x)
        return [out[root] for root in sorted(out)]


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
