"""Story clustering partition by partition (:mod:`synoptic.cluster.partitioned`) gives the batch
clusterer's stories, in process and in a process pool; the union-find its grouping rests on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synoptic.config import ScaleSettings, Settings
from synoptic.executors import InProcessExecutor, ProcessPoolExecutor
from synoptic.records import Article, article_id
from synoptic.unionfind import UnionFind

MULTINEWS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "mds" / "multinews_dev.jsonl"


def _naive_components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    adj: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    seen: set[int] = set()
    out = []
    for start in range(n):
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            x = stack.pop()
            group.append(x)
            for y in adj[x] - seen:
                seen.add(y)
                stack.append(y)
        out.append(sorted(group))
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=40).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60),
        )
    )
)
def test_union_find_equals_graph_search(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    uf = UnionFind(n)
    for a, b in np.array(edges, dtype=np.int64).reshape(-1, 2).tolist():
        uf.union(a, b)
    assert uf.groups() == _naive_components(n, edges)


def test_union_find_root_is_the_smallest_member() -> None:
    uf = UnionFind(6)
    uf.union(5, 3)
    uf.union(3, 4)
    uf.union(4, 1)
    assert uf.find(5) == 1
    assert uf.groups() == [[0], [1, 3, 4, 5], [2]]


@pytest.fixture(scope="module")
def articles(example_dir: Path) -> list[Article]:
    """Real texts with real near-duplicates: Multi-News source articles (several per story)
    and their first halves, else the example articles and their halves."""
    texts: list[str] = []
    if MULTINEWS.is_file():
        with MULTINEWS.open(encoding="utf-8") as fh:
            for line in fh:
                texts.extend(d.replace(" \n \n ", "\n\n") for d in json.loads(line)["documents"])
                if len(texts) >= 90:
                    break
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted(example_dir.glob("*.txt"))]
    texts += [t[: len(t) // 2] for t in texts[::3]]
    texts.append("")  # an empty text: a zero vector, in no pair
    return [Article(id=article_id(t) + str(i), source=f"t{i}", text=t) for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def scale_settings() -> Settings:
    return Settings().with_section(scale=ScaleSettings(cluster_partition_size=16))


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2) as executor:
        yield executor


@pytest.mark.slow
def test_distributed_story_clustering_equals_cluster_articles(
    articles: list[Article],
    scale_settings: Settings,
    pool: ProcessPoolExecutor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from synoptic.cluster import article_terms, cluster_articles, cluster_partitioned

    expected = cluster_articles(articles, scale_settings.cluster)  # one partition, in process
    assert any(len(s.articles) > 1 for s in expected)
    cs, size = scale_settings.cluster, scale_settings.scale.cluster_partition_size
    assert cluster_partitioned(articles, cs, InProcessExecutor(), partition_size=size) == expected
    assert cluster_partitioned(articles, cs, pool, partition_size=size) == expected
    # blocks refined in many small tasks, each gathering rows from several partitions
    assert cluster_partitioned(articles, cs, pool, partition_size=size, task_size=3) == expected
    assert cluster_partitioned([], cs, pool, partition_size=size) == []
    # the terms a store's regroup has already (computed once, by the same function)
    terms = {a.id: article_terms(a, cs.lead_sentences) for a in articles}
    monkeypatch.setattr("synoptic.cluster.partitioned._terms_part", None)  # not computed again
    assert (
        cluster_partitioned(articles, cs, InProcessExecutor(), partition_size=size, terms=terms) == expected
    )
    assert cluster_partitioned(articles, cs, pool, partition_size=size, terms=terms) == expected
    folder = pool._scratch.folder
    assert folder is not None
    assert not list(Path(folder).iterdir())  # spilled partitions released


def test_blocks_are_packed_into_tasks_in_order() -> None:
    from synoptic.cluster.partitioned import _tasks

    blocks = [np.arange(k) for k in (2, 3, 9, 1, 1, 4)]
    tasks = _tasks(blocks, 5)
    assert [[len(b) for b in t] for t in tasks] == [[2, 3], [9], [1, 1], [4]]
    assert _tasks([], 5) == []
