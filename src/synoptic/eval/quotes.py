"""``synoptic eval quotes``: quote attribution on PolNeAR-shaped JSONL (``{"id", "text", ...}``).

Each item becomes one :class:`Article` (its own story); all items are parsed by spaCy in one
batched pass, then :func:`resolve_entities` and :func:`find_quotes` run per item, exactly as in the
pipeline (statement linking across articles is skipped: every item is a story of its own).

PolNeAR annotates a quotation interrupted by its reporting clause ("“A,” said X. “B.”") as one
content with two parts; the adapter therefore joins the pieces of one speaker's quotation that are
separated only by that clause (:func:`join_pieces`). Output: one ``{"id", "quotes": [...]}`` line per
item, spans into the item's ``text``; every quote carries its ``confidence`` and ``shown`` (whether
the default views show it: ``confidence >= DossierSettings.show_threshold``). ``shown_only`` writes
just the shown ones, so the reference scorer, which reads every quote, scores what a reader sees.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synoptic.config import DossierSettings, Settings
from synoptic.eval import read_jsonl_items
from synoptic.nlp.entities import parse_articles, resolve_entities
from synoptic.progress import NullProgress, Progress
from synoptic.quotes import find_quotes
from synoptic.records import Article, Quote

MAX_JOIN_GAP = 80
"""Longest reporting clause ("said Caddell, speaking of Clinton's health issue.") between two pieces
of one quotation that are joined (tuned on the first 150 PolNeAR dev articles)."""

MAX_CUE_GAP = 300
"""Longest gap that still joins when it holds the cue of one of the pieces ("…,” said Ben Rhodes,
Obama's deputy national security adviser for strategic communications. “…"): PolNeAR dev."""


@dataclass(frozen=True, slots=True)
class QuotesRun:
    items: int
    quotes: int


def read_items(data: Path) -> list[dict[str, Any]]:
    return read_jsonl_items(data, ("id", "text"))


def _gap_limit(prev: Quote, q: Quote) -> int:
    """How far apart two pieces may be: further when the cue of one of them lies between them."""
    lo, hi = prev.content_span[1], q.content_span[0]
    cues = [c for c in (prev.cue_span, q.cue_span) if c is not None]
    return MAX_CUE_GAP if any(lo <= c[0] and c[1] <= hi for c in cues) else MAX_JOIN_GAP


def join_pieces(quotes: Sequence[Quote], text: str) -> list[Quote]:
    """Join consecutive direct quotes of one speaker separated only by their reporting clause."""
    out: list[Quote] = []
    for q in sorted(quotes, key=lambda q: q.content_span):
        if out:
            prev = out[-1]
            gap = text[prev.content_span[1] : q.content_span[0]]
            if (
                prev.direct
                and q.direct
                and prev.speaker == q.speaker
                and q.speaker
                and 0 < len(gap) <= _gap_limit(prev, q)
                and "\n" not in gap
                and sum(gap.count(c) for c in '“”"') <= 2
                and q.content_span[0] > prev.content_span[1]
            ):
                span = (prev.content_span[0], q.content_span[1])
                out[-1] = Quote(
                    article=prev.article,
                    speaker=prev.speaker,
                    content=text[span[0] : span[1]],
                    content_span=span,
                    direct=True,
                    speaker_span=prev.speaker_span or q.speaker_span,
                    cue=prev.cue or q.cue,
                    cue_span=prev.cue_span or q.cue_span,
                    entity=prev.entity,
                    confidence=min(prev.confidence, q.confidence),
                )
                continue
        out.append(q)
    return out


def prediction(
    quotes: Sequence[Quote], threshold: float = DossierSettings().show_threshold, *, shown_only: bool = False
) -> list[dict[str, Any]]:
    """The protocol's quote objects, plus ``confidence`` and ``shown`` (ignored by the scorer)."""
    return [
        {
            "content_span": list(q.content_span),
            "speaker": q.speaker,
            "speaker_span": list(q.speaker_span) if q.speaker_span else None,
            "cue_span": list(q.cue_span) if q.cue_span else None,
            "confidence": q.confidence,
            "shown": q.confidence >= threshold,
        }
        for q in quotes
        if not shown_only or q.confidence >= threshold
    ]


def predictions(
    items: Sequence[dict[str, Any]], settings: Settings, *, progress: Progress | None = None, batch: int = 50
) -> Iterator[tuple[str, list[Quote]]]:
    progress = progress or NullProgress()
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        articles = [
            Article(id=str(row["id"]), source=f"{row['id']}", text=row["text"], title=row.get("title"))
            for row in chunk
        ]
        parsed = parse_articles(articles, settings.entities)
        for article in articles:
            entities = resolve_entities([article], parsed, settings.entities)
            quotes = find_quotes([article], entities, settings.quotes, parsed, link=False)
            yield article.id, join_pieces(quotes, article.text)
        progress.update(start + len(chunk), len(items), what="articles")
    progress.finish()


def run(
    data: Path,
    out: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    shown_only: bool = False,
) -> QuotesRun:
    """Write ``{"id", "quotes"}`` lines to ``out`` (the first ``limit`` items when given; only the
    quotes the default views show when ``shown_only``)."""
    items = read_items(data)
    if limit is not None:
        items = items[:limit]
    n_quotes = 0
    with out.open("w", encoding="utf-8") as fh:
        for item_id, quotes in predictions(items, settings, progress=progress):
            rows = prediction(quotes, settings.dossier.show_threshold, shown_only=shown_only)
            n_quotes += len(rows)
            fh.write(json.dumps({"id": item_id, "quotes": rows}, ensure_ascii=False) + "\n")
    return QuotesRun(items=len(items), quotes=n_quotes)
