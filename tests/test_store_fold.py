"""How a near regroup's clusters change the stories it saw only in part (synoptic.store.fold)."""

from __future__ import annotations

from synoptic.records import Story
from synoptic.store.fold import fold_clusters


def cluster(cid: str, *articles: str) -> Story:
    return Story(id=cid, articles=articles, label=cid, merged_from=(f"{cid}-joined",))


def test_a_story_seen_in_part_goes_whole_to_where_most_of_its_lent_articles_went() -> None:
    # story L lent l1, l2, l3 (and kept l4, l5); story S (seen whole) lent s1, s2
    lender = {"l1": "L", "l2": "L", "l3": "L", "s1": "S", "s2": "S"}
    unlent = {"L": ("l4", "l5")}
    clusters = [
        cluster("c1", "l1", "l2", "n1"),  # most of L, with an arriving article
        cluster("c2", "l3", "s1", "n2"),  # one of L strayed here: it goes back to c1
        cluster("c3", "s2"),  # S split: a story seen whole is taken as the clusters left it
        cluster("c4", "n3"),  # arriving alone: untouched
    ]
    out = {c.id: c for c in fold_clusters(clusters, lender, unlent)}
    assert out["c1"].articles == ("l1", "l2", "l3", "l4", "l5", "n1")
    assert out["c1"].merged_from == ("c1-joined",)
    assert out["c2"].articles == ("n2", "s1")
    assert out["c3"] is clusters[2]
    assert out["c4"] is clusters[3]


def test_two_stories_seen_in_part_merge_only_when_their_majorities_meet() -> None:
    lender = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "b3": "B"}
    unlent = {"A": ("a9",), "B": ("b9",)}
    clusters = [cluster("c1", "a1", "a2", "b1", "n1"), cluster("c2", "b2", "b3")]
    out = fold_clusters(clusters, lender, unlent)
    # A's majority (2) is in c1, B's (2 of 3) in c2: no merge, b1 goes back to B
    assert [c.articles for c in out] == [("a1", "a2", "a9", "n1"), ("b1", "b2", "b3", "b9")]
    clusters = [cluster("c1", "a1", "a2", "b1", "b2", "n1"), cluster("c2", "b3")]
    out = fold_clusters(clusters, lender, unlent)
    assert [c.articles for c in out] == [("a1", "a2", "a9", "b1", "b2", "b3", "b9", "n1")]


def test_ties_go_to_the_earlier_cluster_and_empty_clusters_are_dropped() -> None:
    lender = {"a1": "A", "a2": "A"}
    out = fold_clusters([cluster("c1", "a1"), cluster("c2", "a2", "n1")], lender, {"A": ("a3",)})
    assert [c.articles for c in out] == [("a1", "a2", "a3"), ("n1",)]
    out = fold_clusters([cluster("c1", "a1", "a2"), cluster("c2", "n1")], lender, {})
    assert out == [cluster("c1", "a1", "a2"), cluster("c2", "n1")]
