"""Default views show what reaches the confidence threshold; the JSON keeps everything."""

from __future__ import annotations

import json

from synoptic.records import (
    Article,
    Citation,
    Claim,
    Digest,
    Dossier,
    Event,
    Outlet,
    Quote,
    Story,
    SummarySentence,
)
from synoptic.render import render_json, render_markdown
from synoptic.render.shown import shown_dossier

TEXT = "Alpha said the bridge would reopen. Beta said nothing of note. The bridge reopened on Monday."


def _dossier() -> Digest:
    art = Article(id="a1", source="a.txt", text=TEXT, outlet=Outlet("Daily A"))
    sure = Quote("a1", "Alpha", "the bridge would reopen", (11, 34), False, confidence=0.9)
    unsure = Quote("a1", "Beta", "nothing of note", (45, 60), False, confidence=0.2)
    claims = (
        Claim("c-1", "The bridge reopened on Monday.", (Citation("a1", (62, 92)),), ("Daily A",), True),
        Claim("c-2", "of note", (Citation("a1", (53, 60)),), ("Daily A",), True, confidence=0.1),
    )
    import datetime as dt

    events = (
        Event(dt.date(2024, 1, 1), dt.date(2024, 1, 1), "day", "sure event", (Citation("a1", (62, 92)),)),
        Event(
            dt.date(2020, 1, 1),
            dt.date(2020, 1, 1),
            "day",
            "unsure event",
            (Citation("a1", (0, 10)),),
            confidence=0.3,
        ),
    )
    summary = (
        SummarySentence("The bridge reopened on Monday.", (Citation("a1", (62, 92)),)),
        SummarySentence("Beta said nothing of note.", (Citation("a1", (36, 61)),), confidence=0.2),
    )
    dossier = Dossier(
        Story("s1", ("a1",), "Bridge"),
        quotes=(sure, unsure),
        claims=claims,
        timeline=events,
        summary=summary,
    )
    return Digest(articles=(art,), dossiers=(dossier,))


def test_shown_dossier_drops_low_confidence_items() -> None:
    shown = shown_dossier(_dossier().dossiers[0])
    assert [q.speaker for q in shown.quotes] == ["Alpha"]
    assert [c.id for c in shown.claims] == ["c-1"]
    assert [e.text for e in shown.timeline] == ["sure event"]
    assert [s.text for s in shown.summary] == ["The bridge reopened on Monday."]


def test_markdown_shows_only_confident_items_and_json_keeps_all() -> None:
    digest = _dossier()
    md = render_markdown(digest)
    assert "Alpha" in md
    assert "nothing of note" not in md.split("## Articles")[0]
    assert "unsure event" not in md
    data = json.loads(render_json(digest))
    story = data["stories"][0]
    assert [q["speaker"] for q in story["quotes"]] == ["Alpha"]
    assert [q["speaker"] for q in story["all_quotes"]] == ["Alpha", "Beta"]
    assert all("confidence" in q for q in story["all_quotes"])
    assert {c["id"] for c in story["claims"]} == {"c-1", "c-2"}
