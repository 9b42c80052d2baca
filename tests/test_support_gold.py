"""The support gold (tests/data/support_gold/) is well-formed, and the support scorer gives known
values on a hand-made dossier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synoptic.eval.support import (
    Cited,
    GoldConflict,
    GoldFact,
    GoldStory,
    load_gold,
    matches,
    score_story,
)

GOLD = Path(__file__).resolve().parent / "data" / "support_gold"
STORIES = sorted(GOLD.glob("*.json"))


def articles() -> dict[str, dict[str, str]]:
    lines = (GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def test_four_stories() -> None:
    assert len(STORIES) >= 3
    assert len(STORIES) == 4


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_gold_is_well_formed(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    arts = articles()
    assert len(raw["articles"]) >= 4
    assert len(set(raw["articles"])) == len(raw["articles"])
    assert all(arts[a]["story"] == raw["story"] for a in raw["articles"])
    assert len(raw["facts"]) >= 15
    assert len({f["id"] for f in raw["facts"]}) == len(raw["facts"])
    assert sum(len(f["sources"]) >= 2 for f in raw["facts"]) >= 10
    gold = load_gold(path)
    for f, fact in zip(raw["facts"], gold.facts, strict=True):
        assert f["sources"], f["id"]
        assert f["keywords"]
        assert all(alt and all(s.strip() for s in alt) for alt in f["keywords"])
        for art, evidence in f["sources"].items():
            assert art in raw["articles"], (f["id"], art)
            assert evidence, (f["id"], art)
            assert evidence in arts[art]["text"], (f["id"], art, evidence)
            assert matches(fact, evidence), (f["id"], art, evidence)
    ids = {f["id"]: f for f in raw["facts"]}
    for c in raw["conflicts"]:
        alternatives = [set(ids[fid]["sources"]) for fid in c["facts"]]
        assert len(alternatives) >= 2
        assert all(alternatives)
        assert set(c["values"]) == set().union(*alternatives), c["what"]
        # an article gives one value of a conflict
        assert sum(len(a) for a in alternatives) == len(set().union(*alternatives)), c["what"]
    # every article of the story states something
    assert {a for f in raw["facts"] for a in f["sources"]} == set(raw["articles"])


def test_articles_match_the_kit(eval_dir: Path) -> None:
    """The stored texts are the kit's texts, byte for byte."""
    kit = {}
    for line in (eval_dir / "cluster" / "ecbplus_dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        kit[r["id"]] = r["text"]
    for line in (eval_dir / "mds" / "multinews_dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for k, doc in enumerate(r["documents"]):
            kit[f"{r['id']}#{k}"] = doc
    for art in articles().values():
        assert kit[art["dev_id"]] == art["text"], art["id"]


def test_keyword_rule() -> None:
    fact = GoldFact("f", "x", frozenset({"a"}), keywords=(("invit", "putin"), ("1:30",)))
    assert matches(fact, "Xi invited Putin to China")
    assert not matches(fact, "Xi reinvited Putin")  # a stem starts a word
    assert not matches(fact, "Xi invited the prime minister")  # every stem of one alternative
    assert matches(fact, "at about 1:30 a.m.")
    assert not matches(fact, "at 11:30 a.m.")
    assert not matches(fact, "at 1:305")


def tiny_gold() -> GoldStory:
    return GoldStory(
        "tiny",
        ("A", "B", "C", "D"),
        (
            GoldFact("f1", "X died", frozenset({"A", "B", "C"}), keywords=(("died",),)),
            GoldFact("f2", "X fell 60 m", frozenset({"A", "B"}), keywords=(("60 m",), ("200 feet",))),
            GoldFact("f3", "X fell 150 m", frozenset({"C"}), keywords=(("150 m",),)),
            GoldFact("f4", "Y was arrested", frozenset({"D"}), keywords=(("arrested",),)),
        ),
        (GoldConflict("how far X fell", ("f2", "f3")),),
    )


def test_scorer_known_values() -> None:
    gold = tiny_gold()
    claims = [
        # credits B (right), C (states "died" but gives a rival distance: wrong), D (wrong)
        Cited(
            "X died after a 60 m fall",
            (("A", "X died after a 60 m fall"), ("B", "fell 200 feet"), ("C", "fell 150 m"), ("D", "Y...")),
        ),
        # credits C: right (f1 lists C)
        Cited("X died", (("B", "X died"), ("C", "X died on Friday"))),
        # matches no fact: its credit is unverifiable
        Cited("The weather was fine", (("A", "weather fine"), ("D", "fine weather"))),
        # single-article claims are not scored for precision
        Cited("Y was arrested", (("D", "Y was arrested"),)),
    ]
    summary = [
        Cited("X died in a fall", (("A", "X died"), ("B", "he died"), ("D", "Y was arrested"))),
        Cited("Nothing to see", (("A", "a"), ("B", "b"))),
    ]
    conflicts = [
        [[("A", "fell 60 m")], [("C", "fell 150 m")]],  # real
        [[("A", "fell 60 m")], [("B", "fell 200 feet")]],  # false: A and B agree
        [[("A", "X died")], [("C", "X died")]],  # false: the spans do not give the distances
    ]
    s = score_story(gold, claims, summary, conflicts)
    f = s.figures()
    assert (f["multi_claims"], f["unmatched_multi_claims"]) == (3, 1)
    assert (f["credits"], f["credits_right"], f["credits_unverifiable"]) == (5, 2, 1)
    assert f["credit_precision_strict"] == 0.4
    assert f["credit_precision_matched"] == 0.5
    # right on every matched fact: B for claim 1 (f1, f2); C for claim 2 (f1)
    assert f["credit_precision_all_facts_strict"] == 0.4
    # pairs: f1 x {A,B,C} all grouped (claim 1 or 2); f2 x {A,B} grouped by claim 1 -> 5 of 5
    assert (f["recall_pairs"], f["credit_recall"]) == (5, 1.0)
    # citations beyond the first: B (supported), D (not), B of the unmatched sentence (unverifiable)
    assert (f["extra_citations"], f["citations_supported"], f["citations_unverifiable"]) == (3, 1, 1)
    assert f["citation_support_strict"] == 0.333
    assert f["citation_support_matched"] == 0.5
    assert (f["conflicts"], f["conflicts_real"]) == (3, 1)
    assert (f["gold_conflicts"], f["gold_conflicts_found"]) == (1, 1)


def test_single_source_claims_are_wrong_where_another_source_states_them() -> None:
    gold = tiny_gold()
    claims = [
        Cited("Y was arrested", (("D", "Y was arrested"),)),  # right: only D states f4
        Cited("X fell 150 m", (("C", "X fell 150 m"),)),  # right: only C states f3
        Cited("X died", (("A", "X died"),)),  # wrong: B and C state f1 too
        Cited("The weather was fine", (("A", "fine"),)),  # unverifiable
        # unconfirmed: its pointer to B is right (B states f1 and the span says so), to D not
        Cited("X died at once", (("C", "X died"),), related=(("B", "he died"),)),
        Cited("X died later", (("A", "X died"),), related=(("D", "Y was arrested"),)),
    ]
    f = score_story(gold, claims, [], []).figures()
    assert (f["single_source_claims"], f["single_source_unverifiable"], f["single_source_elsewhere"]) == (
        4,
        1,
        1,
    )
    assert f["single_source_precision_matched"] == 0.667
    assert (f["unconfirmed_claims"], f["unconfirmed_elsewhere"], f["related_pointers"]) == (2, 2, 2)
    assert f["related_pointer_precision_matched"] == 0.5
    # a copy is not another source: with B and C copies of A, "X died" is single-source and right
    copies = {"B": "A", "C": "A"}
    f = score_story(gold, claims[2:3], [], [], source_of=copies).figures()
    assert (f["single_source_claims"], f["single_source_elsewhere"]) == (1, 0)


def test_recall_needs_two_sources_together() -> None:
    gold = tiny_gold()
    # each article of f1 alone in its claim: nothing recalled
    claims = [Cited("X died", ((a, "X died"),)) for a in ("A", "B", "C")]
    f = score_story(gold, claims, [], []).figures()
    assert f["credit_recall"] == 0.0
    assert f["credits"] == 0
    assert f["credit_precision_strict"] is None


@pytest.mark.slow
@pytest.mark.bench
def test_bench_runs_on_one_story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner builds a dossier from a gold story's articles and scores it (full pipeline)."""
    import sys

    sys.path.insert(0, str(GOLD.parents[2]))
    from bench import support

    gold, paths = next(s for s in support.stories(tmp_path) if s[0].story == "ecbplus-4-esther-williams")
    from synoptic.config import Settings

    dossier, by_id, _, source_of = support.dossier_for(paths, Settings().validate())
    assert {support.gold_id(a) for a in by_id.values()} == set(gold.articles)
    assert set(source_of) == set(gold.articles)
    assert set(source_of.values()) <= set(gold.articles)
    claims, summary, conflicts = support.reduce(dossier, by_id)
    f = score_story(gold, claims, summary, conflicts, source_of=source_of).figures()
    assert f["recall_pairs"] > 0
    assert claims
    assert summary
