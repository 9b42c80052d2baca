"""The stored mode that grows: ingest regroups only the stored stories near what it adds
(through the store's index), and agrees with a full regroup (``synoptic regroup``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fast_stages import empty_dossiers
from synoptic.cluster import article_terms
from synoptic.config import DossierSettings, Settings, StoreSettings
from synoptic.eval.cluster import read_items
from synoptic.records import Article, Outlet, PublishedDate, article_id
from synoptic.store import SQLiteStore, assign, ingest_articles, regroup_store
from synoptic.store import ingest as store_ingest

FAST = Settings().fast()
FULL = FAST.with_section(store=StoreSettings(assign_new=False))

FIRE = [
    "A fire destroyed the Wasilla Bible Church in Alaska on Friday night. Pastor Larry Kroon said "
    "nobody was injured. Investigators from the Alaska State Fire Marshal suspect arson at the "
    "Wasilla church.",
    "Fire crews in Wasilla fought a blaze at the Wasilla Bible Church, the church attended by Sarah Palin. "
    "Pastor Larry Kroon said damage reached one million dollars. Arson is suspected.",
    "Alaska fire marshal investigators say the Wasilla Bible Church fire was set deliberately. "
    "Larry Kroon, the pastor, thanked firefighters. The Wasilla church will rebuild.",
    "The Wasilla Bible Church fire: the Alaska State Fire Marshal said arson caused the blaze "
    "that did one million dollars of damage. Pastor Larry Kroon asked for prayers for Wasilla.",
]
QUAKE = [
    "An earthquake of magnitude 7.1 struck central Chile near Talca on Sunday. Chilean officials in "
    "Santiago said buildings in Talca collapsed and power failed across the Maule region.",
    "A magnitude 7.1 earthquake hit the Maule region of Chile, shaking Santiago. Talca suffered the worst "
    "damage, Chilean emergency office ONEMI said. Tsunami warnings were lifted.",
    "Chile's ONEMI said the 7.1 earthquake near Talca left thousands without power in Maule. "
    "President Sebastian Pinera flew from Santiago to Talca to inspect the damage.",
]


def article(text: str, day: int) -> Article:
    return Article(
        id=article_id(text),
        source=f"mem://{article_id(text)}",
        text=text,
        title=text.split(".")[0],
        outlet=f"Outlet {day}",
        language="en",
        published=PublishedDate(dt.datetime(2023, 3, day, 12, tzinfo=dt.UTC)),
    )


def story_of(store: SQLiteStore) -> dict[str, str]:
    return {aid: sid for sid, ids in store.memberships().items() for aid in ids}


def test_ingest_joins_the_near_story_and_rebuilds_only_it(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    fire = [article(t, 10 + k) for k, t in enumerate(FIRE)]
    quake = [article(t, 20 + k) for k, t in enumerate(QUAKE)]
    first = ingest_articles(store, [*fire[:3], *quake], FAST)  # an empty store: a full regroup
    assert first.regroup is not None
    assert len(first.regroup.new) == 2
    assert store.index_ready()
    assert store.index_documents() == 6
    before = story_of(store)
    fire_id, quake_id = before[fire[0].id], before[quake[0].id]
    assert fire_id != quake_id
    quake_dossier = store.get_dossier(quake_id)
    report = ingest_articles(store, [fire[3]], FAST)
    assert report.regroup is not None
    assert report.regroup.changed == (fire_id,)
    assert report.regroup.new == ()
    after = story_of(store)
    assert after[fire[3].id] == fire_id  # joined, and the story kept its id
    assert {a: s for a, s in after.items() if a != fire[3].id} == before
    assert store.get_dossier(quake_id) == quake_dossier  # untouched
    dossier = store.get_dossier(fire_id)
    assert dossier is not None
    assert fire[3].id in dossier.story.articles
    assert store.index_ready()
    assert store.index_documents() == 7
    # the index is what a full regroup would store for these stories
    vectors = store.story_vectors([fire_id, quake_id], ())
    assert (vectors[fire_id].size, vectors[quake_id].size) == (4, 3)
    # an unrelated article starts its own story; the others are not touched
    other = article("Stock markets in Tokyo rose as the yen weakened against the dollar on Monday.", 28)
    report = ingest_articles(store, [other], FAST)
    assert report.regroup is not None
    assert report.regroup.changed == ()
    assert len(report.regroup.new) == 1
    # a full regroup agrees and changes nothing
    full = regroup_store(store, FAST, force=True)
    assert full is not None
    assert full.changed == ()
    assert full.new == ()
    assert full.merged == {}
    assert story_of(store) == {**after, other.id: story_of(store)[other.id]}
    store.close()


def test_a_full_regroup_leaves_the_index_up_to_date(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    ingest_articles(store, [article(t, 10 + k) for k, t in enumerate(FIRE)], FULL)
    assert store.index_ready()
    df = store.term_df(["e:wasilla", "e:talca"])
    assert df == {"e:wasilla": 4}
    store.close()


def test_a_large_near_story_lends_a_bounded_part_and_stays_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``near_lend`` 2, the three-article fire story lends the two articles closest to the
    arriving one: the regroup clusters three articles, not four, and the story grows whole."""
    store = SQLiteStore(tmp_path / "g.db")
    fire = [article(t, 10 + k) for k, t in enumerate(FIRE)]
    quake = [article(t, 20 + k) for k, t in enumerate(QUAKE)]
    ingest_articles(store, [*fire[:3], *quake], FAST)
    fire_id = story_of(store)[fire[0].id]
    wasilla = store.story_vectors([fire_id], ["wasilla"])[fire_id].weights["wasilla"]
    seen: list[list[str]] = []
    grouping = store_ingest.find_stories

    def watched(articles, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append([a.id for a in articles])
        return grouping(articles, *args, **kwargs)

    monkeypatch.setattr(store_ingest, "find_stories", watched)
    bounded = FAST.with_section(store=StoreSettings(near_lend=2))
    report = ingest_articles(store, [fire[3]], bounded)
    assert report.regroup is not None
    assert report.regroup.changed == (fire_id,)
    assert len(seen) == 1
    assert fire[3].id in seen[0]
    assert len([a for a in seen[0] if a != fire[3].id]) == 2
    assert store.memberships()[fire_id] == frozenset(a.id for a in fire)
    assert store.index_documents() == 7
    # the story only grew: the new article's weights are added to its stored vector
    vector = store.story_vectors([fire_id], ["wasilla"])[fire_id]
    assert vector.size == 4
    assert vector.weights["wasilla"] > wasilla
    store.close()


def test_a_large_story_that_reads_the_same_articles_keeps_its_stored_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A story too large to analyse whole (here over 2 articles) that gains an article it does not
    read keeps its stored dossier: the store writes the new story and warnings over the record,
    which is what a rebuild would give, without the dossier stage or decoding the record."""
    from synoptic.dossier import build_dossier, regrown

    capped = FAST.with_section(dossier=DossierSettings(max_articles=2))
    store = SQLiteStore(tmp_path / "g.db")
    fire = [article(t, 10 + k) for k, t in enumerate(FIRE)]
    ingest_articles(store, fire[:3], capped)
    fire_id = story_of(store)[fire[0].id]
    stored = store.get_dossier(fire_id)
    assert stored is not None
    built: list[str] = []
    reading = store_ingest.iter_read_dossiers

    def watched(readings, *args, **kwargs):  # type: ignore[no-untyped-def]
        readings = list(readings)
        built.extend(r.story.id for r in readings)
        return reading(readings, *args, **kwargs)

    monkeypatch.setattr(store_ingest, "iter_read_dossiers", watched)
    monkeypatch.setattr(SQLiteStore, "get_dossier", None)  # the record is not decoded
    report = ingest_articles(store, [fire[3]], capped)  # a fourth outlet, last: not read
    monkeypatch.undo()
    assert report.regroup is not None
    assert report.regroup.changed == (fire_id,)
    assert built == []
    story = store.get_story(fire_id)
    assert story is not None
    assert fire[3].id in story.articles
    kept = store.get_dossier(fire_id)
    assert kept == regrown(stored, 3, story, capped)
    assert any("analysed from 2 of its 4 articles" in w for w in kept.warnings)
    rebuilt = build_dossier(story, fire, (), capped)
    assert (kept.claims, kept.summary, kept.timeline) == (rebuilt.claims, rebuilt.summary, rebuilt.timeline)
    store.close()


def test_closest_members_ranks_by_the_words_and_keeps_the_bound(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    fire = [article(t, 10 + k) for k, t in enumerate(FIRE)]
    quake = [article(t, 20 + k) for k, t in enumerate(QUAKE)]
    ingest_articles(store, [*fire, *quake], FAST)
    fire_id, quake_id = story_of(store)[fire[0].id], story_of(store)[quake[0].id]
    # only the second fire article names Sarah Palin; only the third quake article Pinera
    got = store.closest_members(["palin", "pinera", "prayers"], [fire_id, quake_id], 1)
    assert got == {fire_id: [fire[1].id], quake_id: [quake[2].id]}
    assert len(store.closest_members(["wasilla"], [fire_id], 2)[fire_id]) == 2
    assert store.closest_members(['"); DROP TABLE articles; --', "nowhere"], [fire_id], 3) == {}
    assert store.closest_members([], [fire_id], 3) == {}
    store.close()


@pytest.mark.eval
@pytest.mark.slow
def test_near_regroup_matches_full_regroup_on_ecb_dev(
    eval_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ECB+ dev stored in batches of 100 (file order) groups as one full regroup does: B-cubed F1
    within 0.02 (measured: equal, bench/results/ingest.md). Dossiers are not built here."""
    monkeypatch.setattr(store_ingest, "iter_read_dossiers", empty_dossiers)
    ecb_dev = eval_dir / "cluster" / "ecbplus_dev.jsonl"
    gold = {json.loads(line)["id"]: json.loads(line)["gold"] for line in ecb_dev.open(encoding="utf-8")}
    articles = read_items(ecb_dev)
    scores = {}
    for name, settings, step in (("full", FULL, len(articles)), ("near", FAST, 100)):
        store = SQLiteStore(tmp_path / f"{name}.db")
        for k in range(0, len(articles), step):
            ingest_articles(store, articles[k : k + step], settings)
        scores[name] = b_cubed(gold, story_of(store))
        store.close()
    assert scores["full"] > 0.9
    assert abs(scores["near"] - scores["full"]) <= 0.02, scores


def b_cubed(gold: dict[str, str], pred: dict[str, str]) -> float:
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[str, set[str]] = {}
    for item, label in pred.items():
        by_gold.setdefault(gold[item], set()).add(item)
        by_pred.setdefault(label, set()).add(item)
    p = sum(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_pred[pred[i]]) for i in pred) / len(pred)
    r = sum(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_gold[gold[i]]) for i in pred) / len(pred)
    return 2 * p * r / (p + r)


def test_b_cubed_helper() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert b_cubed(gold, {"a": "1", "b": "1", "c": "2"}) == 1.0
    assert b_cubed(gold, {"a": "1", "b": "2", "c": "3"}) < 1.0


def test_regroups_keep_each_articles_terms_and_the_next_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full regroup keeps the clustering terms of every article, a near regroup those it
    computed; the next regroup reads them (the same as computing them again) and computes none
    for what it lends or relabels."""
    store = SQLiteStore(tmp_path / "g.db")
    lead = FAST.cluster.lead_sentences
    fire = [article(t, 10 + k) for k, t in enumerate(FIRE)]
    ingest_articles(store, fire[:3], FAST)  # an empty store: a full regroup
    kept = store.kept_terms([a.id for a in fire], lead)
    assert kept == {a.id: article_terms(a, lead) for a in fire[:3]}
    assert store.kept_terms([fire[0].id], lead + 1) == {}  # computed with another lead
    computed: list[str] = []
    real = assign.article_terms
    monkeypatch.setattr(assign, "article_terms", lambda a, n: computed.append(a.id) or real(a, n))
    report = ingest_articles(store, [fire[3]], FAST)  # near regroup: the story lends all three
    assert report.regroup is not None
    assert report.regroup.changed
    assert computed == [fire[3].id]
    assert store.kept_terms([fire[3].id], lead) == {fire[3].id: article_terms(fire[3], lead)}
    store.close()


@pytest.mark.slow
def test_the_stores_dossiers_do_not_encode_again_what_its_copy_search_encoded(
    tmp_path: Path, example_dir: Path, minilm_calls: list[tuple[bool, list[str]]]
) -> None:
    """As `digest` does, in both ways a store groups: a full regroup (the first ingest) and the
    assignment of arriving articles (a reworded copy of a stored article)."""
    import dataclasses

    from synoptic.pipeline import read_and_clean
    from test_dedup import reword

    articles, _ = read_and_clean([str(example_dir)], Settings())
    wire = next(a for a in articles if Path(a.source).name.startswith("004"))
    text = reword(wire.text)
    rewrite = dataclasses.replace(
        wire, id=article_id(text), text=text, source="rewrite.txt", outlet=Outlet("Rewrite Daily")
    )
    store = SQLiteStore(tmp_path / "m.db")
    for batch in (articles, [rewrite]):
        minilm_calls.clear()
        report = ingest_articles(store, batch, Settings())
        assert report.regroup is not None
        searched = {t for by_copy_search, texts in minilm_calls if by_copy_search for t in texts}
        later = [t for by_copy_search, texts in minilm_calls if not by_copy_search for t in texts]
        assert searched
        assert later
        assert searched.isdisjoint(later)
    assert any(c.kind == "reworded" for c in store.copies_among([wire.id, rewrite.id]))
    store.close()
