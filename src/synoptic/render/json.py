"""The Dossier JSON: a public contract (see docs/dossier-json.md and DESIGN's "Dossier JSON").

The JSON is every record field (so it round-trips losslessly through
:func:`digest_from_json`) plus the names other programs rely on: ``outlet.from``, ``published.from``,
``quotes[].span``, ``timeline[].date``/``sources``, ``claims[].sources``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from synoptic.config import SHOW_THRESHOLD
from synoptic.records import (
    READABLE_SCHEMAS,
    SCHEMA,
    Article,
    Claim,
    CopyLink,
    Digest,
    DigestStream,
    Dossier,
    Entity,
    Event,
    IngestFailure,
    OutletReport,
    PublishedDate,
    Quote,
    Story,
    SummarySentence,
    TimeExpression,
    from_json,
    to_json,
    with_inferred,
)
from synoptic.render.view import event_date


def article_json(article: Article) -> dict[str, Any]:
    data: dict[str, Any] = to_json(article)
    if article.outlet is not None:
        data["outlet"]["from"] = article.outlet.origin
    if article.published is not None:
        data["published"]["from"] = article.published.origin
    else:
        data["published"] = {"value": None, "kind": None, "from": None}
    return data


def event_json(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = to_json(event)
    value = event_date(event)
    data["date"] = value.split("/") if "/" in value else value
    data["sources"] = list(event.sources)
    return data


def quote_json(quote: Quote) -> dict[str, Any]:
    data: dict[str, Any] = to_json(quote)
    data["span"] = list(quote.content_span)
    return data


def claim_json(claim: Claim) -> dict[str, Any]:
    data: dict[str, Any] = to_json(claim)
    data["sources"] = list(claim.sources)
    return data


def story_json(dossier: Dossier) -> dict[str, Any]:
    data: dict[str, Any] = to_json(dossier.story)
    data["entities"] = [to_json(e) for e in dossier.entities]
    # "quotes": what a reader is shown (confidence at the threshold); "all_quotes": every one found
    data["quotes"] = [quote_json(q) for q in dossier.quotes if q.confidence >= SHOW_THRESHOLD]
    data["all_quotes"] = [quote_json(q) for q in dossier.quotes]
    data["timeline"] = [event_json(e) for e in dossier.timeline]
    data["claims"] = [claim_json(c) for c in dossier.claims]
    data["outlets"] = [to_json(o) for o in dossier.outlets]
    data["summary"] = [to_json(s) for s in dossier.summary]
    data["times"] = [to_json(t) for t in dossier.times]
    data["warnings"] = list(dossier.warnings)
    return data


def failure_json(failure: IngestFailure) -> dict[str, Any]:
    return to_json(failure) | {"message": failure.message()}  # type: ignore[no-any-return]


def digest_to_json(digest: Digest) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "stories": [story_json(d) for d in digest.dossiers],
        "articles": [article_json(a) for a in digest.articles],
        "copies": [to_json(c) for c in digest.copies],
        "failures": [failure_json(f) for f in digest.failures],
        "repeats": digest.repeats,
    }


def iter_json(digest: Digest | DigestStream) -> Iterator[str]:
    """The text of :func:`render_json` in pieces, one record at a time: the very same bytes as
    ``json.dumps(digest_to_json(digest), indent=2)`` (but a number below 1e-4: see
    :func:`_dumps`), without the whole document (or its dict)
    in memory at once, which is most of a large digest's peak. A :class:`DigestStream` is
    written as its dossiers come, each dropped once written: the stories come first, and the
    articles after them carry the dates the dossiers inferred."""
    stream = digest if isinstance(digest, DigestStream) else as_stream(digest)
    inferred: dict[str, PublishedDate] = {}

    def story(dossier: Dossier) -> dict[str, Any]:
        inferred.update(dossier.published)
        return story_json(dossier)

    sections: tuple[tuple[str, Callable[[Any], Any], Callable[[], Iterable[Any]]], ...] = (
        ("stories", story, lambda: stream.dossiers),
        ("articles", article_json, lambda: with_inferred(stream.articles, inferred)),
        ("copies", to_json, lambda: stream.copies),
        ("failures", failure_json, lambda: stream.failures),
    )
    yield "{\n  " + _dumps("schema") + ": " + _dumps(SCHEMA) + ","
    for k, (name, convert, items) in enumerate(sections):
        after = "," if k < len(sections) - 1 else ""
        opened = False
        for item in items():
            # one list item of the indented document: its own indented text, four spaces in
            # (JSON strings hold no raw line breaks, so every line is a line of the layout)
            text = _dumps(convert(item), indent=2).replace("\n", "\n    ")
            yield ("\n  " + _dumps(name) + ": [" if not opened else ",") + "\n    " + text
            opened = True
        yield ("\n  ]" if opened else "\n  " + _dumps(name) + ": []") + after
    yield ',\n  "repeats": ' + _dumps(stream.repeats)
    yield "\n}\n"


def as_stream(digest: Digest) -> DigestStream:
    """``digest`` as a :class:`DigestStream` (its dossiers read from memory)."""
    return DigestStream(
        articles=digest.articles,
        copies=digest.copies,
        dossiers=iter(digest.dossiers),
        stories=len(digest.dossiers),
        failures=digest.failures,
        repeats=digest.repeats,
    )


def _dumps(value: Any, indent: int | None = None) -> str:
    if indent == 2:
        # json's indented output is its pure-Python encoder: orjson writes the same text ten
        # times faster (a 10k-article digest's records: 2.5 s -> 0.2 s), except a number below
        # 1e-4, which it writes without an exponent (0.00001, not 1e-05), and NaN, null (json's
        # NaN is no JSON); what orjson refuses (a lone surrogate, an integer past 64 bits) json
        # writes as before
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    return json.dumps(value, ensure_ascii=False, indent=indent)


def render_json(digest: Digest) -> str:
    """The Dossier JSON (``docs/``: the ``synoptic/1`` contract): everything, each item with its
    confidence.

    Args:
        digest: What :func:`synoptic.digest` returned.

    Returns:
        The JSON document, indented (:func:`iter_json` gives it in pieces, for large digests).

    Raises:
        Nothing for any digest."""
    return "".join(iter_json(digest))


def dossier_from_json(data: dict[str, Any]) -> Dossier:
    return Dossier(
        story=from_json(Story, data),
        entities=tuple(from_json(Entity, e) for e in data.get("entities", [])),
        quotes=tuple(from_json(Quote, q) for q in data.get("all_quotes", data.get("quotes", []))),
        timeline=tuple(from_json(Event, e) for e in data.get("timeline", [])),
        claims=tuple(from_json(Claim, c) for c in data.get("claims", [])),
        outlets=tuple(from_json(OutletReport, o) for o in data.get("outlets", [])),
        summary=tuple(from_json(SummarySentence, s) for s in data.get("summary", [])),
        times=tuple(from_json(TimeExpression, t) for t in data.get("times", [])),
        warnings=tuple(data.get("warnings", [])),
    )


def digest_from_json(data: dict[str, Any]) -> Digest:
    if data.get("schema") not in READABLE_SCHEMAS:
        expected = ", ".join(READABLE_SCHEMAS)
        raise ValueError(f"unsupported dossier schema {data.get('schema')!r}; expected one of {expected}")
    articles = []
    for a in data["articles"]:
        a = dict(a)
        if a.get("published", {}).get("value") is None and a.get("published", {}).get("kind") is None:
            a["published"] = None
        articles.append(from_json(Article, a))
    return Digest(
        articles=tuple(articles),
        copies=tuple(from_json(CopyLink, c) for c in data.get("copies", [])),
        dossiers=tuple(dossier_from_json(s) for s in data.get("stories", [])),
        failures=tuple(from_json(IngestFailure, f) for f in data.get("failures", [])),
        repeats=int(data.get("repeats", 0)),
    )
