"""Hand-built dossiers with every field filled (real spans of real articles), for store, API and
browser tests, while the stages that fill them (summary, claims, quotes, timeline) are built.

Every span points at a real sentence of the article it cites (from ``split_sentences``), so a
citation on a page must show exactly that sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from synoptic.nlp.sentences import split_sentences
from synoptic.records import (
    Article,
    Citation,
    Claim,
    Conflict,
    ConflictSide,
    CopyLink,
    Dossier,
    Entity,
    Event,
    Outlet,
    OutletReport,
    PublishedDate,
    Quote,
    Removal,
    Story,
    SummarySentence,
    Wording,
    article_id,
)
from synoptic.store.base import Regroup, Store

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE = '<img src=x onerror=alert(2)> & "quotes" \'; DROP TABLE stories; --'


def cite_first(article: Article, n: int = 0) -> tuple[Citation, str]:
    """A citation of the article's ``n``-th long sentence, and that sentence's text."""
    sentences = [s for s in split_sentences(article) if len(s.text) > 40]
    s = sentences[min(n, len(sentences) - 1)]
    return Citation(article.id, s.span), s.text


def rich_dossier(story_id: str, articles: Sequence[Article], *, hostile: bool = False) -> Dossier:
    """A dossier of ``articles`` with every section filled; ``hostile`` puts markup and SQL in
    every free-text field."""
    a = list(articles)
    bad = HOSTILE if hostile else ""
    c0, t0 = cite_first(a[0])
    c1, t1 = cite_first(a[1 % len(a)], 1)
    c2, t2 = cite_first(a[2 % len(a)], 2)
    summary = (
        SummarySentence(bad + t0, (c0, c1)),
        SummarySentence(bad + t2, (c2,)),
    )
    timeline = (
        Event(dt.date(2023, 3, 20), dt.date(2023, 3, 20), "day", bad + "Xi arrives in Moscow", (c0,)),
        Event(dt.date(2023, 3, 20), dt.date(2023, 3, 22), "range", bad + "State visit", (c1, c2)),
        Event(
            dt.date(2023, 3, 24), dt.date(2023, 3, 24), "day", bad + "Planned follow-up", (c2,), planned=True
        ),
    )
    quotes = (
        Quote(a[0].id, bad + "Speaker One", bad + t0, c0.span, True, cue="said"),
        Quote(a[1 % len(a)].id, bad + "Speaker One", bad + t1, c1.span, False, cue="told"),
        Quote(a[2 % len(a)].id, bad + "Speaker Two", bad + t2, c2.span, True),
    )
    outlets = sorted({x.outlet_name for x in a})
    claims = (
        Claim("k1", bad + "Corroborated claim", (c0, c1), tuple(outlets[:2]), single_source=False),
        Claim("k2", bad + "Single-source claim", (c2,), (a[2 % len(a)].outlet_name,), single_source=True),
        Claim(
            "k4",
            bad + "Unconfirmed claim",
            (c1,),
            (a[1 % len(a)].outlet_name,),
            single_source=False,
            related=(Citation(c0.article, c0.span, 0.6),),
        ),
        Claim(
            "k3",
            bad + "Conflicting claim",
            (c0, c2),
            (a[0].outlet_name, a[2 % len(a)].outlet_name),
            single_source=False,
            conflicts=(
                Conflict(
                    bad + "number of days",
                    (ConflictSide(bad + "three", (c0,)), ConflictSide(bad + "two", (c2,))),
                ),
            ),
            wordings=(Wording(a[0].outlet_name, bad + t0, c0),),
        ),
    )
    reports = tuple(
        OutletReport(
            outlet=o,
            articles=tuple(x.id for x in a if x.outlet_name == o),
            unique_claims=("k2",) if o == a[2 % len(a)].outlet_name else (),
            missing_claims=("k1",) if o not in outlets[:2] else (),
            wording=(Wording(o, bad + t0, c0),) if o == a[0].outlet_name else (),
        )
        for o in outlets
    )
    entities = (
        Entity("e1", bad + "Xi Jinping", "person", aliases=(bad + "Xi",)),
        Entity("e2", bad + "Moscow", "place"),
    )
    story = Story(
        id=story_id,
        articles=tuple(x.id for x in a),
        label=(HOSTILE_TITLE if hostile else "Xi visits Moscow"),
        first_seen=dt.datetime(2023, 3, 20, 8, tzinfo=dt.UTC),
        last_seen=dt.datetime(2023, 3, 22, 18, tzinfo=dt.UTC),
    )
    return Dossier(
        story=story,
        entities=entities,
        quotes=quotes,
        timeline=timeline,
        claims=claims,
        outlets=reports,
        summary=summary,
        warnings=((bad + "a warning"),) if hostile else (),
    )


def hostile_articles() -> list[Article]:
    texts = [
        f"{HOSTILE_TITLE} First hostile body sentence, long enough to cite here. More text follows {n}."
        f"\n\nSecond paragraph with {HOSTILE} inside it, long enough to be cited as well."
        for n in range(3)
    ]
    return [
        Article(
            id=article_id(t),
            source=f"{HOSTILE}#{n}",
            text=t,
            title=HOSTILE_TITLE,
            outlet=Outlet(f"{HOSTILE} {n}"),
            url="javascript:alert(3)",
            authors=(HOSTILE,),
            published=PublishedDate(dt.datetime(2023, 3, 20 + n, 9, tzinfo=dt.UTC)),
            removed=(Removal(HOSTILE, HOSTILE),),
            credits=(HOSTILE,),
            warnings=(HOSTILE,),
        )
        for n, t in enumerate(texts)
    ]


def install(store: Store, dossier: Dossier, copies: Sequence[CopyLink] = ()) -> None:
    """Make ``dossier`` a stored story (its articles must be stored); stories that held those
    articles are retired into it."""
    members = set(dossier.story.articles)
    old = {sid for sid, ids in store.memberships().items() if ids & members and sid != dossier.story.id}
    store.apply_regroup(
        Regroup(
            base_version=store.story_version(),
            stories=(dossier.story,),
            dossiers=(dossier,),
            retired=dict.fromkeys(old, dossier.story.id),
            copies=tuple(copies),
        )
    )
