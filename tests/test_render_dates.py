"""A summary's relative dates ("next week", "on Monday") are shown with the dates they resolve to."""

from __future__ import annotations

import datetime as dt

from synoptic.records import (
    Article,
    Citation,
    Digest,
    Dossier,
    Event,
    Granularity,
    Outlet,
    PublishedDate,
    Story,
    SummarySentence,
    TimeExpression,
)
from synoptic.render import render_html, render_markdown
from synoptic.render.view import date_label, told_beforehand, with_dates

TEXT = "Intro line.\n\nXi heads to Moscow next week to meet Putin, his first visit since March 2022."
SENTENCE = "Xi heads to Moscow next week to meet Putin, his first visit since March 2022."
START = TEXT.index(SENTENCE)
ARTICLE = Article(id="a1", source="a.txt", text=TEXT, outlet=Outlet("Daily A"))


def _time(
    text: str, value: str, first: dt.date, last: dt.date, granularity: Granularity = "week"
) -> TimeExpression:
    at = TEXT.index(text)
    return TimeExpression(
        "a1",
        (at, at + len(text)),
        text,
        value,
        granularity,
        start=first,
        end=last,
    )


NEXT_WEEK = _time("next week", "2023-W12", dt.date(2023, 3, 20), dt.date(2023, 3, 26))
MARCH = _time("March 2022", "2022-03", dt.date(2022, 3, 1), dt.date(2022, 3, 31), "month")
SUMMARY = SummarySentence(SENTENCE, (Citation("a1", (START, START + len(SENTENCE))),))


def test_relative_dates_get_their_resolved_date_and_written_dates_stay() -> None:
    shown = with_dates(SUMMARY, (NEXT_WEEK, MARCH), {"a1": ARTICLE})
    assert shown == (
        "Xi heads to Moscow next week [20–26 Mar 2023] to meet Putin, his first visit since March 2022."
    )
    # an expression inside another adds nothing of its own
    week = _time("week", "2023-W12", dt.date(2023, 3, 20), dt.date(2023, 3, 26))
    assert with_dates(SUMMARY, (week, NEXT_WEEK), {"a1": ARTICLE}) == shown
    # a sentence that is not the words of its citation is left as it is
    other = SummarySentence("Xi heads to Moscow next week.", SUMMARY.citations)
    assert with_dates(other, (NEXT_WEEK,), {"a1": ARTICLE}) == "Xi heads to Moscow next week."
    # so is one whose article is not known
    assert with_dates(SUMMARY, (NEXT_WEEK,), {}) == SENTENCE


def test_date_labels_read_as_a_reader_writes_them() -> None:
    assert date_label(dt.date(2023, 3, 20), dt.date(2023, 3, 20)) == "20 Mar 2023"
    assert date_label(dt.date(2023, 3, 20), dt.date(2023, 3, 26)) == "20–26 Mar 2023"
    assert date_label(dt.date(2023, 3, 1), dt.date(2023, 3, 31)) == "Mar 2023"
    assert date_label(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == "2023"
    assert date_label(dt.date(2022, 12, 30), dt.date(2023, 1, 2)) == "30 Dec 2022 – 2 Jan 2023"


def test_reports_show_the_resolved_date_in_the_summary() -> None:
    dossier = Dossier(Story("s1", ("a1",), "Visit"), summary=(SUMMARY,), times=(NEXT_WEEK, MARCH))
    digest = Digest(articles=(ARTICLE,), dossiers=(dossier,))
    assert "next week \\[20–26 Mar 2023\\] to meet" in render_markdown(digest)
    assert "next week [20–26 Mar 2023] to meet" in render_html(digest)


def _published(article_id: str, outlet: str, day: int) -> Article:
    when = PublishedDate(dt.datetime(2023, 3, day, 9, tzinfo=dt.UTC))
    return Article(id=article_id, source=f"{article_id}.txt", text="x", outlet=Outlet(outlet), published=when)


def test_outlets_that_told_an_event_before_it_happened_are_set_apart() -> None:
    arts = {
        "early": _published("early", "Early Post", 17),
        "late": _published("late", "Late Times", 21),
        "both-early": _published("both-early", "Both Daily", 17),
        "both-late": _published("both-late", "Both Daily", 22),
    }
    cites = tuple(Citation(a, (0, 1)) for a in arts)
    done = Event(dt.date(2023, 3, 20), dt.date(2023, 3, 20), "day", "Xi met Putin.", cites)
    told, ahead = told_beforehand(done, arts)
    # Both Daily told it afterwards too: it is credited there, not as having told it beforehand
    assert [c.article for c in told] == ["late", "both-late"]
    assert [c.article for c in ahead] == ["early"]
    # a planned event, or one only told beforehand, keeps its citations together
    planned = Event(dt.date(2023, 3, 20), dt.date(2023, 3, 20), "day", "Xi will meet Putin.", cites, True)
    assert told_beforehand(planned, arts) == (cites, ())
    only_early = Event(done.start, done.end, "day", "Xi met Putin.", (Citation("early", (0, 1)),))
    assert told_beforehand(only_early, arts) == (only_early.citations, ())
    digest = Digest(
        articles=tuple(arts.values()), dossiers=(Dossier(Story("s1", tuple(arts)), timeline=(done,)),)
    )
    assert "Xi met Putin. [Late Times; Both Daily] (told beforehand: [Early Post])" in render_markdown(digest)
    html = render_html(digest)
    assert "(told beforehand: <cite>[Early Post]</cite>)" in html
