"""SQLite store: idempotent and incremental ingest, stable story ids, migrations, FTS, hostile input."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from fast_stages import patch
from synoptic.config import Settings, StoreSettings
from synoptic.dossier import StoryReading
from synoptic.errors import StoreError
from synoptic.pipeline import read_and_clean
from synoptic.records import (
    Article,
    CopyLink,
    Dossier,
    Outlet,
    PublishedDate,
    Removal,
    Story,
    article_id,
    to_json,
)
from synoptic.store import SQLiteStore, StoryQuery, ingest_articles, open_store, regroup_store
from synoptic.store import ingest as store_ingest
from synoptic.store.ingest import assign_ids
from synoptic.store.sqlite import (
    INFERRED_KEY,
    MIGRATIONS,
    dossier_from_record,
    dossier_record,
    fts_query,
    utc_iso,
)

SETTINGS = Settings()
FULL = SETTINGS.with_section(store=StoreSettings(assign_new=False))
"""Every ingest regroups the whole store (what the tests of the full regroup's ids need)."""

HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE articles; --",
    'Robert"); DELETE FROM stories; --',
    "\x00nul and \u202e rtl",
    'AND OR NOT NEAR( * ^ "unbalanced',
    "{{ 7*7 }} {% raw %}",
]


def make_article(
    text: str, *, title: str | None = None, outlet: str | None = "Outlet", day: int = 1
) -> Article:
    return Article(
        id=article_id(text),
        source=f"mem://{outlet}/{abs(hash(text)) % 10_000}",
        text=text,
        title=title,
        outlet=Outlet(outlet),
        published=PublishedDate(dt.datetime(2023, 3, day, 12, tzinfo=dt.UTC)),
        removed=(Removal("Share this", "share"),),
    )


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests about the store, not the stages: one story per article, empty dossiers (the real
    stages run in test_real_stages_on_the_example)."""
    patch(monkeypatch)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "t.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def example_articles(example_dir: Path) -> list[Article]:
    articles, failures = read_and_clean([str(example_dir)], SETTINGS)
    assert not failures
    return articles


def test_dossier_record_keeps_inferred_dates(example_articles: list[Article]) -> None:
    inferred = PublishedDate(
        value=dt.datetime(2023, 3, 17),
        kind="inferred",
        origin="inferred",
        range=(dt.date(2023, 3, 17), dt.date(2023, 3, 18)),
    )
    dossier = Dossier(story=Story(id="s-x", articles=(example_articles[0].id,)), published={"a1": inferred})
    assert dossier_from_record(json.loads(json.dumps(dossier_record(dossier)))) == dossier
    # a record written before the dates were kept reads as a dossier without them
    old = dossier_record(dossier)
    del old[INFERRED_KEY]
    assert dossier_from_record(old).published == {}


def test_wal_and_migrations_recorded(store: SQLiteStore) -> None:
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = db.execute("SELECT number, name FROM migrations ORDER BY number").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))
    db.close()


def test_ingest_is_idempotent(store: SQLiteStore, example_articles: list[Article]) -> None:
    first = ingest_articles(store, example_articles, SETTINGS)
    assert len(first.added) == 5
    assert first.regroup is not None
    version = store.story_version()
    second = ingest_articles(store, example_articles + example_articles[:2], SETTINGS)
    assert second.added == ()
    assert len(second.existing) == 7
    assert second.regroup is None  # nothing new: no regroup, no rebuilt dossier
    assert store.story_version() == version
    assert store.article_count() == 5
    assert sum(len(m) for m in store.memberships().values()) == 5


def test_round_trip_article_and_dossier(store: SQLiteStore, example_articles: list[Article]) -> None:
    ingest_articles(store, example_articles, SETTINGS)
    for article in example_articles:
        assert store.get_article(article.id) == article
        sid = store.story_of(article.id)
        assert sid is not None
        dossier = store.get_dossier(sid)
        assert dossier is not None
        assert article.id in dossier.story.articles
    assert store.get_article("nope") is None
    assert store.get_dossier("nope") is None


def _group_by_outlet(
    articles: Sequence[Article], settings: Settings, **_: object
) -> tuple[list[CopyLink], list[Story]]:
    groups: dict[str, list[str]] = {}
    for a in articles:
        groups.setdefault(a.outlet_name.split("-")[0], []).append(a.id)
    stories = [Story(id=f"c-{key}", articles=tuple(ids), label=key) for key, ids in groups.items()]
    copies = [
        CopyLink(a=ids[0], b=ids[1], kind="duplicate", evidence="test")
        for ids in groups.values()
        if len(ids) > 1
    ]
    return copies, stories


def test_full_regroup_keeps_ids_and_rebuilds_only_changed(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[list[str]] = []

    def counting_build(
        readings: Iterable[StoryReading], count: int, settings: object, **_: object
    ) -> list[Dossier]:
        stories = [r.story for r in readings]
        built.append([s.id for s in stories])
        return [Dossier(story=s) for s in stories]

    monkeypatch.setattr(store_ingest, "find_stories", _group_by_outlet)
    monkeypatch.setattr(store_ingest, "iter_read_dossiers", counting_build)
    a1, a2 = make_article("alpha one", outlet="a"), make_article("alpha two", outlet="a")
    b1 = make_article("beta one", outlet="b")
    ingest_articles(store, [a1, a2, b1], FULL)
    assert sorted(built[-1]) == ["c-a", "c-b"]
    ids_before = dict(store.memberships())
    # a new article joins story b: only b is rebuilt, a keeps its id and its dossier
    b2 = make_article("beta two", outlet="b")
    report = ingest_articles(store, [b2], FULL)
    assert report.regroup is not None
    assert built[-1] == ["c-b"]
    assert report.regroup.changed == ("c-b",)
    assert store.memberships()["c-a"] == ids_before["c-a"]
    assert store.memberships()["c-b"] == frozenset({b1.id, b2.id})
    # the stage renames its clusters: stored ids stay (largest overlap)
    monkeypatch.setattr(
        store_ingest,
        "find_stories",
        lambda arts, s, **_: (
            [],
            [Story(id=f"renamed-{st.id}", articles=st.articles) for st in _group_by_outlet(arts, s)[1]],
        ),
    )
    c1 = make_article("gamma one", outlet="c")
    report = ingest_articles(store, [c1], FULL)
    assert report.regroup is not None
    assert set(store.memberships()) == {"c-a", "c-b", "renamed-c-c"}
    assert built[-1] == ["renamed-c-c"]
    assert store.copies_among([b1.id, b2.id]) == []  # copies replaced by the latest regroup


def test_copy_pairs_are_the_stored_links_among_the_ids_joining_ones_without_credited(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    arts = [make_article(f"delta {k}", outlet="d") for k in range(4)]
    a, b, c, d = sorted(x.id for x in arts)
    links = [
        CopyLink(a=a, b=b, kind="syndicated", evidence="test"),
        CopyLink(a=b, b=c, kind="credited", evidence="test"),
        CopyLink(a=c, b=d, kind="reworded", evidence="test"),
    ]
    one = Story(id="d", articles=tuple(sorted(x.id for x in arts)))
    monkeypatch.setattr(store_ingest, "find_stories", lambda arts, s, **_: (links, [one]))
    ingest_articles(store, arts, FULL)
    assert store.copy_pairs([a, b, c, d], joining=True) == [(a, b), (c, d)]
    assert store.copy_pairs([d, c, b], joining=True) == [(c, d)]  # both ends among the ids
    assert store.copy_pairs([d, c, b]) == [(b, c), (c, d)]
    assert len(store.copies_among([a, b, c, d])) == 3


def test_merge_is_recorded_and_old_id_resolves(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_ingest, "find_stories", _group_by_outlet)
    a1, a2 = make_article("x one", outlet="x-1"), make_article("x two", outlet="x-2")
    a3 = make_article("x three", outlet="x-2")
    # first: group by full outlet name (two stories), then by prefix (one story: a merge)
    monkeypatch.setattr(
        store_ingest,
        "find_stories",
        lambda arts, s, **_: (
            [],
            [
                Story(
                    id=f"o-{a.outlet_name}",
                    articles=tuple(b.id for b in arts if b.outlet_name == a.outlet_name),
                )
                for a in {x.outlet_name: x for x in arts}.values()
            ],
        ),
    )
    ingest_articles(store, [a1, a2, a3], FULL)
    assert set(store.memberships()) == {"o-x-1", "o-x-2"}
    monkeypatch.setattr(store_ingest, "find_stories", _group_by_outlet)
    report = regroup_store(store, FULL, force=True)
    assert report is not None
    assert report.merged == {"o-x-1": "o-x-2"}  # x-2 held 2 of the 3 articles: it keeps its id
    assert set(store.memberships()) == {"o-x-2"}
    assert store.resolve_story("o-x-1") == "o-x-2"
    story = store.get_story("o-x-2")
    assert story is not None
    assert story.merged_from == ("o-x-1",)
    assert store.resolve_story("never") is None


def test_assign_ids_split_gives_fresh_id_never_reused() -> None:
    old = {"s1": frozenset({"a", "b", "c"})}
    clusters = [Story(id="k", articles=("a", "b")), Story(id="s1", articles=("c",))]
    stories, retired = assign_ids(clusters, old, {"s1", "k"})
    assert stories[0].id == "s1"  # largest overlap keeps the id
    assert stories[1].id not in {"s1", "k"}  # the stage's id collides with a known one
    assert retired == {}


def test_unassigned_articles_are_regrouped_on_next_open(tmp_path: Path) -> None:
    """An ingest killed after storing articles but before regrouping is repaired by the next one."""
    path = tmp_path / "r.db"
    with open_store(path) as s:
        ingest_articles(s, [make_article("lonely text")], SETTINGS, regroup=False)
        assert s.unassigned_count() == 1
    with open_store(path) as s:
        report = ingest_articles(s, [], SETTINGS)
        assert report.regroup is not None
        assert len(report.regroup.new) == 1
        assert s.unassigned_count() == 0


def test_hostile_strings_in_every_field_round_trip(store: SQLiteStore) -> None:
    for n, bad in enumerate(HOSTILE):
        article = Article(
            id=article_id(f"{bad} body {n}"),
            source=bad,
            text=f"{bad} body {n}",
            title=bad,
            outlet=Outlet(bad),
            url=bad,
            authors=(bad,),
            language=bad,
            removed=(Removal(bad, bad),),
            credits=(bad,),
            warnings=(bad,),
        )
        assert store.add_article(article)
        assert store.get_article(article.id) == article
    regroup_store(store, SETTINGS)
    assert store.article_count() == len(HOSTILE)
    for bad in HOSTILE:
        store.search(bad)  # never a syntax error
        store.list_stories(StoryQuery(text=bad, since=bad, until=bad))
        assert store.get_article(bad) is None
        assert store.resolve_story(bad) is None
    assert {r.label for r in store.list_stories(StoryQuery(limit=50)).stories} == set(HOSTILE)


def test_fts_search_and_story_text_filter(store: SQLiteStore, example_articles: list[Article]) -> None:
    ingest_articles(store, example_articles, SETTINGS)
    hits = store.search("Stoltenberg lethal")
    assert hits
    assert all(h.story is not None for h in hits)
    assert any("Stoltenberg" in h.snippet for h in hits)
    assert store.search("zzzunmatched") == []
    assert store.search("   ") == []
    page = store.list_stories(StoryQuery(text="Stoltenberg"))
    assert 0 < page.total < 5
    assert fts_query('a" OR b') == '"a" "OR" "b"'
    assert fts_query("!!!") is None


def test_story_list_paging_and_dates(store: SQLiteStore) -> None:
    arts = [make_article(f"story number {i}", outlet=f"o{i}", day=i + 1) for i in range(7)]
    ingest_articles(store, arts, SETTINGS)
    page = store.list_stories(StoryQuery(limit=3, offset=0))
    assert page.total == 7
    assert len(page.stories) == 3
    assert page.stories[0].last_seen is not None
    assert page.stories[0].last_seen.startswith("2023-03-07")
    rest = store.list_stories(StoryQuery(limit=10, offset=3))
    assert len(rest.stories) == 4
    assert not {s.id for s in page.stories} & {s.id for s in rest.stories}
    dated = store.list_stories(StoryQuery(since="2023-03-03", until="2023-03-05"))
    assert dated.total == 2  # days 3 and 4


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO migrations VALUES (?, 'future', 'now')", (len(MIGRATIONS) + 1,))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)


def test_migration_from_first_version_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    old = SQLiteStore(path, migrate_upto=1)
    assert old.schema_version() == 1
    db = sqlite3.connect(path)
    article = make_article("stored before the search index existed", title="Old title")
    db.execute(
        "INSERT INTO articles(id, source, outlet, title, published, language, added, record) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (
            article.id,
            article.source,
            "o",
            article.title,
            None,
            None,
            "2023",
            json.dumps(to_json(article)),
        ),
    )
    db.commit()
    db.close()
    old.close()
    new = SQLiteStore(path)
    assert new.schema_version() == len(MIGRATIONS)
    assert [h.article for h in new.search("index existed")] == [article.id]
    new.close()


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="E030"):
        SQLiteStore(path)
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(tmp_path / "no" / "such" / "x.db")


def test_threads_read_while_one_writes(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "c.db")
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                page = store.list_stories(StoryQuery(limit=5))
                for row in page.stories:
                    assert store.get_dossier(row.id) is not None
                store.search("text")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(15):
        ingest_articles(store, [make_article(f"concurrent text {i}", outlet=f"o{i}")], SETTINGS)
    done.set()
    for t in threads:
        t.join()
    assert not errors
    assert store.article_count() == 15
    store.close()


def test_regroup_settings_switch_every_embedder() -> None:
    from synoptic.config import StoreSettings
    from synoptic.store.ingest import regroup_settings

    assert regroup_settings(SETTINGS) is SETTINGS
    fast = regroup_settings(Settings(store=StoreSettings(regroup_embedder="hashing")))
    assert fast.nlp.embedder == "hashing"
    # the embedder is chosen in one place; the thresholds that depend on it follow
    assert fast.crosscheck.for_embedder(fast.nlp.embedder).link_threshold == 0.3


@pytest.mark.slow
def test_real_stages_on_the_example(
    tmp_path: Path, example_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline's own grouping and dossiers through the store: every article in one story,
    every stored citation resolves to a span of a stored article, a second ingest changes nothing."""
    monkeypatch.undo()  # the real find_stories / iter_read_dossiers
    from synoptic.config import StoreSettings

    settings = Settings(store=StoreSettings(regroup_embedder="hashing"))
    with SQLiteStore(tmp_path / "real.db") as store:
        first = ingest_articles(store, example_articles, settings)
        assert first.regroup is not None
        members = store.memberships()
        assert sorted(a for ids in members.values() for a in ids) == sorted(a.id for a in example_articles)
        texts = {a.id: a.text for a in example_articles}
        for sid in members:
            dossier = store.get_dossier(sid)
            assert dossier is not None
            assert set(dossier.story.articles) == members[sid]
            spans = [(c.article, c.span) for s in dossier.summary for c in s.citations]
            spans += [(q.article, q.content_span) for q in dossier.quotes]
            spans += [(c.article, c.span) for k in dossier.claims for c in k.citations]
            spans += [(c.article, c.span) for e in dossier.timeline for c in e.citations]
            for article, (start, end) in spans:
                assert 0 <= start < end <= len(texts[article])
        # the dates the dossier inferred for undated articles are kept, and the story's span counts them
        undated = {a.id for a in example_articles if a.published is None or a.published.value is None}
        (sid,) = members
        dossier = store.get_dossier(sid)
        assert dossier is not None
        assert undated
        assert set(dossier.published) >= undated  # (and an article known only by an update time)
        first_inferred = min(p.value for p in dossier.published.values() if p.value is not None)
        assert dossier.story.first_seen is not None
        assert utc_iso(dossier.story.first_seen) <= utc_iso(first_inferred.replace(tzinfo=dt.UTC))
        version = store.story_version()
        assert ingest_articles(store, example_articles, settings).regroup is None
        assert store.story_version() == version
    # whatever the stages put in the dossiers renders as a page and as the Dossier JSON
    from fastapi.testclient import TestClient

    from synoptic.server import create_app

    with TestClient(create_app(tmp_path / "real.db", settings)) as client:
        for sid in members:
            page = client.get(f"/story/{sid}")
            assert page.status_code == 200
            assert "date unknown" not in page.text
            published = {a["id"]: a["published"] for a in client.get(f"/stories/{sid}").json()["articles"]}
            assert {aid for aid, p in published.items() if p["kind"] == "inferred"} == undated
            assert "<script>" not in page.text
            assert client.get(f"/stories/{sid}").json()["stories"][0]["id"] == sid
