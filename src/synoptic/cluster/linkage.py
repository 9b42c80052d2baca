"""Average linkage for story clustering: candidate pairs, blocks, coarse cuts, refinement.

The steps 2-4 of :mod:`synoptic.cluster` as functions of feature rows and terms, shared by the
partitioned (batch) clusterer and the streaming one, so both cut at the same bars.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster
from scipy.sparse.csgraph import connected_components

from synoptic.cluster.features import Terms, tfidf
from synoptic.config import ClusterSettings
from synoptic.hierarchy import average_clusters, average_tree


def blocking_columns(column_df: NDArray[np.int64], settings: ClusterSettings) -> NDArray[np.int64]:
    """The columns (terms) the candidate product reads: those in 2 to ``block_max_df`` of the
    articles clustered (a term of one article pairs nothing; a common one pairs too much)."""
    return np.flatnonzero((column_df <= settings.block_max_df) & (column_df >= 2))


def candidate_pairs(
    x: sp.csr_matrix, settings: ClusterSettings, min_similarity: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Pairs ``i < j`` of rows of ``x`` with cosine >= ``min_similarity``, found without comparing
    every pair (:func:`candidate_pairs_between` ``x`` and itself)."""
    blocking = x[:, blocking_columns(np.diff(x.tocsc().indptr), settings)].tocsr()
    return candidate_pairs_between((0, x, blocking), (0, x, blocking), settings, min_similarity)


Rows = tuple[int, sp.csr_matrix, sp.csr_matrix]
"""Consecutive rows of a feature matrix: the global index of the first, the rows, and the rows
restricted to the :func:`blocking_columns`."""


def candidate_pairs_between(
    a: Rows, b: Rows, settings: ClusterSettings, min_similarity: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Pairs ``i < j`` (global indices), ``i`` in ``a`` and ``j`` in ``b``, with cosine >=
    ``min_similarity``, found without comparing every pair.

    Only the blocking columns take part in the candidate product (computed in row chunks, so
    memory stays bounded), and only products of at least ``candidate_floor``; every candidate's
    exact cosine is then checked."""
    a_start, ax, ab = a
    b_start, bx, bb = b
    bbt = bb.T.tocsr()
    ii: list[NDArray[np.int64]] = []
    jj: list[NDArray[np.int64]] = []
    for start in range(0, ab.shape[0], settings.chunk_rows):
        block = sp.csr_matrix(ab[start : start + settings.chunk_rows] @ bbt).tocoo()
        gi = block.row.astype(np.int64) + start + a_start
        gj = block.col.astype(np.int64) + b_start
        mask = (gj > gi) & (block.data >= settings.candidate_floor)
        ii.append(gi[mask])
        jj.append(gj[mask])
        del block
    i = np.concatenate(ii) if ii else np.zeros(0, dtype=np.int64)
    j = np.concatenate(jj) if jj else np.zeros(0, dtype=np.int64)
    sims = np.zeros(len(i), dtype=np.float64)
    step = 20_000  # rows copied per step: bounded memory
    for k in range(0, len(i), step):
        ri, rj = i[k : k + step] - a_start, j[k : k + step] - b_start
        sims[k : k + step] = np.asarray(ax[ri].multiply(bx[rj]).sum(axis=1)).ravel()
    mask = sims >= min_similarity
    return i[mask], j[mask], sims[mask]


def similarity_blocks(
    n: int,
    i: NDArray[np.int64],
    j: NDArray[np.int64],
    sims: NDArray[np.float64],
    bar: float,
    exact_max: int,
) -> Iterable[NDArray[np.int64]]:
    """Connected components of the pairs at or above ``bar``; too large ones cut at higher bars."""
    mask = sims >= bar
    graph = sp.coo_matrix((np.ones(int(mask.sum())), (i[mask], j[mask])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.diff(comp[order])) + 1
    for members in np.split(order, bounds):
        if len(members) <= exact_max or bar >= 0.999:
            yield np.sort(members)
            continue
        inside = np.isin(i, members) & np.isin(j, members)
        local = {int(m): k for k, m in enumerate(members)}
        li = np.array([local[int(v)] for v in i[inside]], dtype=np.int64)
        lj = np.array([local[int(v)] for v in j[inside]], dtype=np.int64)
        for part in similarity_blocks(len(members), li, lj, sims[inside], bar + (1.0 - bar) / 4, exact_max):
            yield np.sort(members[part])


def average_link(x: sp.csr_matrix, members: NDArray[np.int64], distance: float) -> list[NDArray[np.int64]]:
    if len(members) == 1:
        return [members]
    sub = x[members]
    sim = np.asarray((sub @ sub.T).todense(), dtype=np.float64)
    return [members[group] for group in average_clusters(sim, distance)]


def refine(
    members: NDArray[np.int64], terms: Sequence[Terms], settings: ClusterSettings
) -> list[NDArray[np.int64]]:
    """Split one topic group into events, by recursive bisection on distinctive tokens.

    IDF is computed inside the group (plus ``refine_idf_offset`` instead of smooth IDF's 1, so the
    tokens every member shares weigh little); the group's average-linkage tree is cut in two when
    its top merge is above ``refine_distance`` and both halves have ``refine_min_part`` members,
    or above the lower ``refine_marker_distance`` when the halves' leads name different things
    (:func:`lead_markers` at least ``refine_marker_share``); each half is then split again with
    its own IDF."""
    if len(members) < max(settings.refine_min_size, 2 * settings.refine_min_part):
        return [members]
    if len(members) > settings.exact_max:
        return [members]
    local = tfidf(
        [terms[int(m)].distinctive for m in members], settings.min_df, idf_offset=settings.refine_idf_offset
    )
    if local.shape[1] == 0:
        return [members]
    sim = np.asarray((local @ local.T).todense(), dtype=np.float64)
    empty = np.asarray(local.multiply(local).sum(axis=1)).ravel() == 0
    if empty.any():  # an item with no shared distinctive token stays with the group
        sim[empty, :] = 1.0
        sim[:, empty] = 1.0
    tree = average_tree(sim)
    top = tree[-1, 2]
    if top <= min(settings.refine_distance, settings.refine_marker_distance):
        return [members]
    halves = np.asarray(fcluster(tree, 2, criterion="maxclust"), dtype=np.int64)
    a, b = members[halves == 1], members[halves == 2]
    if min(len(a), len(b)) < settings.refine_min_part:
        return [members]
    if top <= settings.refine_distance and lead_markers(a, b, terms) < settings.refine_marker_share:
        return [members]
    return refine(a, terms, settings) + refine(b, terms, settings)


def lead_markers(a: NDArray[np.int64], b: NDArray[np.int64], terms: Sequence[Terms]) -> float:
    """How clearly the leads of two halves name different things: for each half, the best
    single capitalised word of the leads by (share of its leads naming it) minus (share of the
    other half's leads naming it); the smaller of the two. Near 1 when each half has its own
    name in (almost) every lead and (almost) never in the other's: two protagonists, two events
    (two players arrested, two fights), where a topic's one event told from two angles shares
    its protagonist and differs only on one side."""

    def shares(part: NDArray[np.int64]) -> Counter[str]:
        return Counter(
            t for m in part for t in set(terms[int(m)].lead) if t.startswith("e:") and "_" not in t
        )

    sa, sb = shares(a), shares(b)
    if not sa or not sb:
        return 0.0
    best_a = max(sa[t] / len(a) - sb[t] / len(b) for t in sa)
    best_b = max(sb[t] / len(b) - sa[t] / len(a) for t in sb)
    return min(best_a, best_b)


def weighted_average_link(
    avg: NDArray[np.float64], sizes: NDArray[np.float64], bar: float
) -> NDArray[np.int64]:
    """Average linkage (UPGMA) over groups that already hold ``sizes`` items each.

    ``avg[a, b]`` is the mean item similarity between groups a and b; groups are merged, best
    first, while that mean is at or above ``bar`` (Lance-Williams update, exact). Labels: the
    index of each group's surviving representative."""
    m = len(sizes)
    s = avg.astype(np.float64).copy()
    w = sizes.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    labels = np.arange(m, dtype=np.int64)
    alive = np.ones(m, dtype=bool)
    for _ in range(m - 1):
        k = int(np.argmax(s))
        a, b = divmod(k, m)
        if s[a, b] < bar:
            break
        a, b = min(a, b), max(a, b)
        row = (w[a] * s[a] + w[b] * s[b]) / (w[a] + w[b])
        s[a, :] = row
        s[:, a] = row
        s[a, a] = -np.inf
        s[b, :] = -np.inf
        s[:, b] = -np.inf
        w[a] += w[b]
        alive[b] = False
        labels[labels == b] = a
    return labels
