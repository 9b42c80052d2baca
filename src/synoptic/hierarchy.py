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
    from scipy.spatial.distance import squareform

    d = np.clip(1.0 - sim.astype(np.float64), 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    d = (d + d.T) / 2
    return np.asarray(linkage(squareform(d, checks=False), method="average"), dtype=np.float64)


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
