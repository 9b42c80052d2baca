"""The story timeline: the seed story's gold events, merging across outlets, planned events,
ordering and citation invariants."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from synoptic.config import Settings
from synoptic.nlp.timex import interval_of
from synoptic.pipeline import read_and_clean
from synoptic.records import Article, Event, PublishedDate, article_id
from synoptic.timeline import build_timeline, infer_published, story_times

SETTINGS = Settings()
MON, TUE = dt.date(2023, 3, 20), dt.date(2023, 3, 21)


def article(text: str, published: dt.date | None, source: str) -> Article:
    value = dt.datetime(published.year, published.month, published.day) if published else None
    return Article(
        id=article_id(text),
        source=source,
        text=text,
        published=PublishedDate(value=value) if value else None,
    )


def timeline(articles: list[Article]) -> tuple[Event, ...]:
    return build_timeline(articles, story_times(articles, SETTINGS), SETTINGS)


@pytest.fixture(scope="module")
def seed_timeline(example_dir: Path) -> tuple[dict[str, Article], tuple[Event, ...]]:
    articles, failures = read_and_clean([str(example_dir)], SETTINGS)
    assert not failures
    inferred = infer_published(articles, SETTINGS)
    events = build_timeline(articles, story_times(articles, SETTINGS, inferred), SETTINGS)
    return {Path(a.source).name: a for a in articles}, events


def test_seed_timeline_has_the_gold_events_with_their_dates(
    seed_timeline: tuple[dict[str, Article], tuple[Event, ...]], seed_gold: dict[str, Any]
) -> None:
    by_name, events = seed_timeline
    found = []
    for gold in seed_gold["timeline"]:
        interval = interval_of(gold["date"])
        sources = {by_name[name].id for name in gold["sources"]}
        hits = [e for e in events if (e.start, e.end) == interval and sources & set(e.sources)]
        found.append(bool(hits))
    assert sum(found) >= 8, [g["date"] for g, ok in zip(seed_gold["timeline"], found, strict=True) if not ok]


def test_seed_timeline_merges_outlets_and_marks_planned_events(
    seed_timeline: tuple[dict[str, Article], tuple[Event, ...]],
) -> None:
    by_name, events = seed_timeline
    monday = [e for e in events if e.start == e.end == dt.date(2023, 3, 20) and not e.planned]
    assert max(len(e.sources) for e in monday) >= 2  # Xi's arrival, told by several outlets
    planned = [e for e in events if e.planned]
    assert planned  # the formal talks on Tuesday, announced by 002 and 004, not yet reported held
    assert all(e.start >= dt.date(2023, 3, 17) for e in planned)
    # the visit announced in advance (003, 004) is reported held by the later articles: one done
    # entry on its first day that cites the announcements and the reports
    announced = {by_name["003_4bd38a09334b47d0.txt"].id, by_name["004_c8e33d5bc939e68e.txt"].id}
    held = {by_name["000_239dd344fad90823.txt"].id, by_name["002_b180209efdb6406c.txt"].id}
    assert [e for e in monday if announced | held <= set(e.sources)]
    assert not [e for e in planned if e.start == dt.date(2023, 3, 20)]


def test_citations_resolve_to_sentences_that_hold_the_event(
    seed_timeline: tuple[dict[str, Article], tuple[Event, ...]],
) -> None:
    by_name, events = seed_timeline
    by_id = {a.id: a for a in by_name.values()}
    for e in events:
        assert e.citations
        for c in e.citations:
            text = by_id[c.article].text
            assert 0 <= c.span[0] < c.span[1] <= len(text)
        first = e.citations[0]
        cited = by_id[first.article].text[first.span[0] : first.span[1]]
        assert e.text.rstrip("…") in cited or e.text.endswith("…")


def test_same_dated_event_from_two_outlets_is_one_event() -> None:
    a = article("Xi Jinping arrived in Moscow on Monday for talks with Vladimir Putin.", MON, "a")
    b = article("Chinese leader Xi Jinping arrived in Moscow on Monday to meet Putin.", TUE, "b")
    c = article("Japan's prime minister visited Kyiv on Monday.", TUE, "c")
    events = timeline([a, b, c])
    monday = [e for e in events if e.start == dt.date(2023, 3, 20)]
    assert sorted(len(e.sources) for e in monday) == [1, 2]


def test_planned_and_past_events_are_told_apart() -> None:
    a = article("The two leaders met on Monday. They will sign a treaty on Wednesday.", TUE, "a")
    events = timeline([a])
    assert [(e.start.isoformat(), e.planned) for e in events] == [("2023-03-20", False), ("2023-03-22", True)]
    b = article("Putin will visit China later this year. Sales fell this year.", TUE, "b")
    assert [(e.text, e.planned) for e in timeline([b])] == [
        ("Putin will visit China later this year.", True),
        ("Sales fell this year.", False),
    ]


def test_durations_and_vague_references_are_not_events() -> None:
    a = article("Talks lasted four hours. Prices are now falling, and recently rose.", TUE, "a")
    assert timeline([a]) == ()
    assert build_timeline([], (), SETTINGS) == ()


SENTENCES = st.sampled_from(
    [
        "Leaders met on Monday in Moscow.",
        "The deal will be signed next week.",
        "Talks began yesterday in Beijing.",
        "Sales fell in the third quarter.",
        "The ruling came in February last year.",
        "He said on March 3, 2021 that it was over.",
        "Nothing happened here.",
        "From Monday to Wednesday the summit will run.",
    ]
)


@hsettings(max_examples=40, deadline=None)
@given(
    docs=st.lists(
        st.tuples(
            st.lists(SENTENCES, min_size=1, max_size=4), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))
        ),
        min_size=1,
        max_size=3,
    )
)
def test_timeline_is_ordered_and_cites_real_spans(docs: list[tuple[list[str], dt.date]]) -> None:
    articles = [article(" ".join(s), d, f"doc{i}") for i, (s, d) in enumerate(docs)]
    articles = list({a.id: a for a in articles}.values())
    events = timeline(articles)
    keys = [(e.start, e.end) for e in events]
    assert keys == sorted(keys)
    by_id = {a.id: a for a in articles}
    for e in events:
        assert e.start <= e.end
        for c in e.citations:
            assert c.article in by_id
            assert 0 <= c.span[0] < c.span[1] <= len(by_id[c.article].text)
    assert timeline(articles[::-1]) == events  # order of the input does not matter


def test_story_when_bundles_the_stage_outputs(
    seed_timeline: tuple[dict[str, Article], tuple[Event, ...]],
) -> None:
    from synoptic.timeline import story_when, with_inferred

    by_name, events = seed_timeline
    articles = list(by_name.values())
    facts = story_when(articles, SETTINGS)
    assert facts.timeline == events
    # one shared reading of the sentences gives what the steps give on their own
    assert facts.published == infer_published(articles, SETTINGS)
    assert facts.times == story_times(articles, SETTINGS, facts.published)
    assert facts.times == story_times(articles, SETTINGS)
    assert all(t.article in facts.published or t.anchor for t in facts.times)
    dated = with_inferred(articles, facts.published)
    undated = [a for a in articles if a.published is None]
    assert undated
    for a in undated:
        p = next(x for x in dated if x.id == a.id).published
        assert p is not None
        assert p.kind == "inferred"


def test_time_settings_are_validated() -> None:
    from synoptic.config import TimeSettings
    from synoptic.errors import UsageError

    with pytest.raises(UsageError, match="recency_days"):
        SETTINGS.with_section(time=TimeSettings(recency_days=-1))
    with pytest.raises(UsageError, match="merge_similarity"):
        SETTINGS.with_section(time=TimeSettings(merge_similarity=2.0))


def test_event_dates_render_at_their_granularity() -> None:
    from synoptic.render.view import event_date

    def ev(start: dt.date, end: dt.date, granularity: str) -> Event:
        return Event(start=start, end=end, granularity=granularity, text="x", citations=())  # type: ignore[arg-type]

    d = dt.date
    assert event_date(ev(MON, MON, "day")) == "2023-03-20"
    assert event_date(ev(MON, d(2023, 3, 26), "week")) == "2023-W12"
    assert event_date(ev(d(2022, 12, 1), d(2022, 12, 31), "month")) == "2022-12"
    assert event_date(ev(d(2019, 1, 1), d(2019, 12, 31), "year")) == "2019"
    assert event_date(ev(MON, d(2023, 3, 22), "range")) == "2023-03-20/2023-03-22"


def test_nothing_is_inferred_when_every_article_or_none_is_dated() -> None:
    dated = [
        article("The leaders met on Monday in Moscow.", MON, "a"),
        article("Talks resumed on Tuesday, officials said.", TUE, "b"),
    ]
    undated = [dataclasses.replace(a, published=None) for a in dated]
    assert infer_published(dated, SETTINGS) == {}
    assert infer_published(undated, SETTINGS) == {}
    assert {t.anchor for t in story_times(dated, SETTINGS)} == {MON.isoformat(), TUE.isoformat()}
