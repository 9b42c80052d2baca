"""Distributed grouping: union-find, SimHash LSH blocking, block routing, and the partitioned
run equal to a brute-force all-pairs grouping (in process and in a process pool)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synoptic.cluster.partitioned import (
    NO_KEY,
    PartitionFeatures,
    UnionFind,
    blocks_for,
    components,
    cosine_decision,
    cosine_features,
    group_articles,
    lsh_pairs,
    simhash_keys,
)
from synoptic.config import NlpSettings, ScaleSettings, Settings
from synoptic.executors import ProcessPoolExecutor
from synoptic.records import Article, article_id

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
    got = components(n, np.array(edges, dtype=np.int64).reshape(-1, 2))
    assert got == _naive_components(n, edges)


def test_union_find_root_is_the_smallest_member() -> None:
    uf = UnionFind(6)
    uf.union(5, 3)
    uf.union(3, 4)
    uf.union(4, 1)
    assert uf.find(5) == 1
    assert uf.groups() == [[0], [1, 3, 4, 5], [2]]


def test_simhash_keys_are_stable_and_separate_near_from_far() -> None:
    rng = np.random.default_rng(0)
    base = rng.standard_normal((200, 64)).astype(np.float32)
    near = base + 0.15 * rng.standard_normal((200, 64)).astype(np.float32)
    far = rng.standard_normal((200, 64)).astype(np.float32)
    kb, kn, kf = (simhash_keys(v, bands=16, rows=8) for v in (base, near, far))
    assert np.array_equal(kb, simhash_keys(base.copy(), bands=16, rows=8))  # same input, same keys
    share_near = np.mean(np.any(kb == kn, axis=1))
    share_far = np.mean(np.any(kb == kf, axis=1))
    assert share_near > 0.9
    assert share_far < 0.2
    zero = simhash_keys(np.zeros((2, 64), dtype=np.float32), bands=4, rows=8)
    assert (zero == NO_KEY).all()
    assert len(set((kb >> np.uint64(32)).ravel().tolist())) == 16  # bands never collide


def test_lsh_pairs_buckets_windows_and_skips_empty() -> None:
    keys = np.array([[1], [1], [2], [1], [NO_KEY], [NO_KEY]], dtype=np.uint64)
    pairs = lsh_pairs([(0, keys[:3]), (3, keys[3:])], max_bucket=10, window=1)
    assert pairs.tolist() == [[0, 1], [0, 3], [1, 3]]
    windowed = lsh_pairs([(0, keys)], max_bucket=2, window=1)  # the bucket of 3 is too big
    assert windowed.tolist() == [[0, 1], [1, 3]]


def test_blocks_route_pairs_to_the_partitions_holding_them() -> None:
    bounds = np.array([0, 10, 20], dtype=np.int64)
    pairs = np.array([[1, 2], [3, 15], [12, 25], [9, 10], [21, 22]], dtype=np.int64)
    blocks = blocks_for(pairs, bounds)
    assert {k: v.tolist() for k, v in blocks.items()} == {
        (0, 0): [[1, 2]],
        (0, 1): [[3, 15], [9, 10]],
        (1, 2): [[12, 25]],
        (2, 2): [[21, 22]],
    }


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
    return Settings().with_section(
        nlp=NlpSettings(embedder="hashing"),
        scale=ScaleSettings(cluster_partition_size=16, lsh_bands=48, lsh_rows=8),
    )


def _brute_force(articles: list[Article], settings: Settings, threshold: float) -> list[list[int]]:
    vectors = cosine_features(settings, 0, articles).vectors
    sims = vectors @ vectors.T
    n = len(articles)
    edges = [(i, j) for i in range(n) for j in range(i + 1, n) if sims[i, j] >= threshold]
    return _naive_components(n, edges)


@pytest.mark.slow
def test_partitioned_exact_grouping_equals_all_pairs(
    articles: list[Article], scale_settings: Settings
) -> None:
    expected = _brute_force(articles, scale_settings, 0.5)
    got = group_articles(articles, scale_settings, blocking="exact")
    assert got.groups == expected
    assert any(len(g) > 1 for g in got.groups)  # the halves join their full articles at least
    # a stricter decision on the same candidates: fewer, finer groups, still exact
    strict = group_articles(
        articles, scale_settings, blocking="exact", decide=functools.partial(cosine_decision, 0.8)
    )
    assert strict.groups == _brute_force(articles, scale_settings, 0.8)


@pytest.mark.slow
def test_lsh_grouping_finds_the_strong_pairs(articles: list[Article], scale_settings: Settings) -> None:
    exact = group_articles(articles, scale_settings, blocking="exact")
    lsh = group_articles(articles, scale_settings, blocking="lsh")
    n = len(articles)
    assert lsh.candidates < n * (n - 1) // 4  # blocking compares far fewer pairs
    # every LSH edge is a real edge; LSH finds most of the strong (near-copy) edges
    exact_edges = {tuple(e) for e in exact.edges.tolist()}
    lsh_edges = {tuple(e) for e in lsh.edges.tolist()}
    assert lsh_edges <= exact_edges
    vectors = cosine_features(scale_settings, 0, articles).vectors
    strong = {e for e in exact_edges if float(vectors[e[0]] @ vectors[e[1]]) >= 0.8}
    assert strong
    assert len(strong & lsh_edges) >= 0.9 * len(strong)


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2) as executor:
        yield executor


@pytest.mark.slow
def test_process_pool_grouping_equals_in_process(
    articles: list[Article], scale_settings: Settings, pool: ProcessPoolExecutor
) -> None:
    local = group_articles(articles, scale_settings)
    remote = group_articles(articles, scale_settings, executor=pool)
    lsh = group_articles(articles, scale_settings, executor=pool, blocking="lsh")
    assert pool._scratch is not None
    assert not list(Path(pool._scratch).iterdir())  # spilled partitions released
    assert remote.groups == local.groups
    assert np.array_equal(remote.edges, local.edges)
    assert lsh.groups == group_articles(articles, scale_settings, blocking="lsh").groups


def test_partition_features_length() -> None:
    f = PartitionFeatures(offset=3, vectors=np.zeros((4, 2), dtype=np.float32))
    assert len(f) == 4


@pytest.mark.slow
def test_distributed_story_clustering_equals_cluster_articles(
    articles: list[Article], scale_settings: Settings, pool: ProcessPoolExecutor
) -> None:
    from synoptic.cluster import cluster_articles
    from synoptic.cluster.partitioned import cluster_articles_distributed
    from synoptic.executors import InProcessExecutor

    expected = cluster_articles(articles, scale_settings.cluster)
    assert any(len(s.articles) > 1 for s in expected)
    assert cluster_articles_distributed(articles, scale_settings, InProcessExecutor()) == expected
    assert cluster_articles_distributed(articles, scale_settings, pool) == expected
    assert cluster_articles_distributed([], scale_settings, pool) == []
