"""Average-linkage trees over a similarity matrix and their flat cuts, shared by the story
clusterer (articles) and the cross-check (sentences into claims)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from synoptic.unionfind import UnionFind


def average_tree(sim: NDArray[np.floating]) -> NDArray[np.float64]:
    """The average-linkage tree (scipy's linkage matrix) of items with cosine similarities ``sim``
    (distance ``1 - sim``, clipped to [0, 2], symmetric, zero on the diagonal)."""
    from scipy.cluster.hierarchy import linkage

    return np.asarray(linkage(condensed_distances(sim), method="average"), dtype=np.float64)


def condensed_distances(sim: NDArray[np.floating]) -> NDArray[np.float64]:
    """The condensed form (scipy's ``squareform``) of the distances ``1 - sim`` clipped to [0, 2]
    and averaged with their transpose, built row by row (the same values): whole-matrix float64
    arithmetic held five n x n copies (0.3 GB each at 6,000 sentences), this only the result."""
    n = sim.shape[0]
    out = np.empty(n * (n - 1) // 2, dtype=np.float64)
    at = 0
    for i in range(n - 1):
        upper = np.clip(1.0 - sim[i, i + 1 :].astype(np.float64), 0.0, 2.0)
        lower = np.clip(1.0 - sim[i + 1 :, i].astype(np.float64), 0.0, 2.0)
        out[at : at + n - 1 - i] = (upper + lower) / 2
        at += n - 1 - i
    return out


def cut(tree: NDArray[np.float64], n: int, distance: float) -> list[list[int]]:
    """The flat clusters of ``tree`` (over ``n`` items) cut at ``distance``, as scipy's
    ``fcluster(tree, distance, criterion="distance")`` forms them (without its checks of the
    tree): a merge joins its two sides when no merge below it, itself included, is higher than
    the cut. Each cluster sorted, clusters ordered by their smallest member."""
    sets = UnionFind(n)
    leaf = list(range(n))  # a leaf of each node of the tree
    highest: list[float] = []
    for a, b, height, _size in tree.tolist():
        left, right = int(a), int(b)
        top = max(
            height, highest[left - n] if left >= n else height, highest[right - n] if right >= n else height
        )
        highest.append(top)
        leaf.append(leaf[left])
        if top <= distance:
            sets.union(leaf[left], leaf[right])
    return sets.groups()


def average_clusters(sim: NDArray[np.floating], distance: float) -> list[list[int]]:
    """Average-linkage clusters of items with similarities ``sim``, cut at cosine ``distance``."""
    n = sim.shape[0]
    if n <= 1:
        return [[0]] if n else []
    return cut(average_tree(sim), n, distance)
