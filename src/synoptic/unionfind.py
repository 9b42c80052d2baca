"""Disjoint sets (union-find), shared by every stage that joins things transitively: copies into
independent sources, stories a copy link crosses, quotes into statements, distributed grouping."""

from __future__ import annotations

from collections import defaultdict

import numpy as np


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
