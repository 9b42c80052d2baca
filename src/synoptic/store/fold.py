"""A near regroup's clusters completed with the stories it saw only in part.

A near regroup clusters the arriving articles with what each stored story near them *lends*
(:meth:`synoptic.store.assign.Neighbourhoods.lend`): a small story lends all its articles, a
large one a bounded sample, those closest to the arriving articles. The clusters are taken as
they are for the stories seen whole (their articles may be split, moved or merged, as a full
regroup would). A story seen in part goes whole to the cluster holding most of its lent
articles (ties: the earlier cluster): its lent articles clustered elsewhere are put back with
it, and its articles not lent join it there. The regroup did not see the rest of such a story,
so it does not split it; it can still grow or merge with another.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence

from synoptic.records import Story


def fold_clusters(
    clusters: Sequence[Story], lender: Mapping[str, str], unlent: Mapping[str, Sequence[str]]
) -> list[Story]:
    """``clusters`` (of arriving and lent articles) completed as the module docstring says.
    ``lender``: lent article id -> its stored story; ``unlent``: each story seen in part -> its
    articles that were not lent. A cluster that changes keeps its id and ``merged_from``, its
    articles sorted; clusters left empty are dropped."""
    majority: dict[str, tuple[int, int]] = {}  # story -> (-its lent articles there, cluster)
    for i, cluster in enumerate(clusters):
        counts = Counter(lender[a] for a in cluster.articles if lender.get(a) in unlent)
        for sid, n in counts.items():
            majority[sid] = min(majority.get(sid, (0, len(clusters))), (-n, i))
    groups = [list(c.articles) for c in clusters]
    moved: set[int] = set()
    for i, cluster in enumerate(clusters):
        pinned = [a for a in cluster.articles if lender.get(a) in unlent and majority[lender[a]][1] != i]
        if pinned:
            gone = set(pinned)
            groups[i] = [a for a in groups[i] if a not in gone]
            for a in pinned:
                groups[majority[lender[a]][1]].append(a)
                moved.add(majority[lender[a]][1])
            moved.add(i)
    for sid, (_, i) in majority.items():
        groups[i].extend(unlent[sid])
        moved.add(i)
    out = []
    for i, cluster in enumerate(clusters):
        if i not in moved:
            out.append(cluster)
        elif groups[i]:
            out.append(dataclasses.replace(cluster, articles=tuple(sorted(groups[i]))))
    return out
