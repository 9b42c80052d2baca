from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from synoptic.records import (
    Article,
    Citation,
    Claim,
    CopyLink,
    Digest,
    Dossier,
    Event,
    IngestFailure,
    Outlet,
    PublishedDate,
    Quote,
    Removal,
    Story,
    SummarySentence,
    article_id,
    from_json,
    to_json,
)
from synoptic.render.json import digest_from_json, digest_to_json


def make_article(text: str = "Body one.\n\nBody two.") -> Article:
    return Article(
        id=article_id(text),
        source="x.txt",
        text=text,
        title="T",
        outlet=Outlet("example.com", domain="example.com", origin="url"),
        published=PublishedDate(
            dt.datetime(2023, 3, 21, 16, 39, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
            kind="published",
            origin="text",
            source_text="21 Mar 2023, 04:39 PM IST",
        ),
        language="en",
        removed=(Removal("Hide Ad", "ad marker", 3),),
        credits=("CNN",),
        provenance={"outlet": "metadata"},
    )


def test_article_json_round_trip() -> None:
    a = make_article()
    assert from_json(Article, to_json(a)) == a


def test_article_id_ignores_case_and_whitespace() -> None:
    assert article_id("Hello  World\n") == article_id("hello world")
    assert article_id("a") != article_id("b")


def test_paragraph_spans_index_text() -> None:
    a = make_article("One.\n\nTwo two.\n\n\n\nThree.")
    assert [a.text[s:e] for s, e in a.paragraph_spans()] == ["One.", "Two two.", "Three."]


def test_digest_json_round_trip_with_every_record() -> None:
    a = make_article()
    cite = Citation(a.id, (0, 9))
    story = Story("s1", (a.id,), "label", first_seen=a.published.value if a.published else None)
    dossier = Dossier(
        story=story,
        quotes=(Quote(a.id, "Xi Jinping", "Body one.", (0, 9), True, cue="said", cue_span=(10, 14)),),
        timeline=(
            Event(dt.date(2023, 3, 20), dt.date(2023, 3, 22), "range", "visit", (cite,), planned=True),
        ),
        claims=(Claim("c1", "Body one.", (cite,), ("example.com",), True),),
        summary=(SummarySentence("Body one.", (cite,)),),
    )
    digest = Digest(
        articles=(a,),
        copies=(CopyLink(a.id, a.id, "duplicate", "same text"),),
        dossiers=(dossier,),
        failures=(IngestFailure("bad.bin", "file looks binary", "give text", "E003"),),
    )
    data = digest_to_json(digest)
    assert data["schema"] == "synoptic/2"
    assert data["articles"][0]["published"]["from"] == "text"
    assert data["stories"][0]["timeline"][0]["date"] == ["2023-03-20", "2023-03-22"]
    assert data["stories"][0]["quotes"][0]["span"] == [0, 9]
    assert digest_from_json(data) == digest


@given(st.text(min_size=1), st.text(), st.lists(st.tuples(st.text(), st.text()), max_size=3))
def test_article_round_trip_property(text: str, title: str, removed: list[tuple[str, str]]) -> None:
    a = Article(
        id=article_id(text),
        source="s",
        text=text,
        title=title,
        removed=tuple(Removal(t, r) for t, r in removed),
    )
    assert from_json(Article, to_json(a)) == a


def test_an_outlet_given_as_a_name_is_an_outlet_record() -> None:
    # records made by hand before synoptic/2 passed the outlet's name as a string
    from synoptic.records import Article, Outlet

    article = Article(id="a", source="x.txt", text="Text.", outlet="CNN")  # type: ignore[arg-type]
    assert article.outlet == Outlet("CNN")
    assert article.outlet_name == "CNN"
    assert Article(id="b", source="x.txt", text="Text.", outlet=" ").outlet is None  # type: ignore[arg-type]


def _dated(aid: str, value: dt.datetime | None) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text="x", published=PublishedDate(value) if value else None)


def test_published_at_reads_a_naive_date_as_utc_and_keeps_an_aware_offset() -> None:
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    naive = dt.datetime(2023, 3, 22, 7, 35)
    assert _dated("a", naive).published_at == naive.replace(tzinfo=dt.UTC)
    aware = dt.datetime(2023, 3, 21, 16, 39, tzinfo=ist)
    when = _dated("b", aware).published_at
    assert when is not None
    assert when == aware
    assert when.utcoffset() == ist.utcoffset(None)
    assert _dated("c", None).published_at is None
    span = (dt.date(2023, 3, 17), dt.date(2023, 3, 18))
    ranged = PublishedDate(None, kind="inferred", origin="inferred", range=span)
    assert Article(id="d", source="d", text="x", published=ranged).published_at is None


def test_publication_key_orders_instants_across_zones_with_undated_last() -> None:
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    articles = [
        _dated("undated", None),
        _dated("noon-utc", dt.datetime(2023, 3, 21, 12, 0, tzinfo=dt.UTC)),
        _dated("ist", dt.datetime(2023, 3, 21, 16, 39, tzinfo=ist)),  # 11:09 UTC: before noon UTC
        _dated("naive", dt.datetime(2023, 3, 21, 11, 30)),  # read as 11:30 UTC
    ]
    order = [a.id for a in sorted(articles, key=lambda a: (a.publication_key, a.id))]
    assert order == ["ist", "naive", "noon-utc", "undated"]
