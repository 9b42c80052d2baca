"""``synoptic eval mds``: multi-document summarization (Multi-News, NeuS, DUC 2006 protocols).

Each line of the data file is ``{"id", "documents": [str, ...], "query"?}``. Documents are raw
text (Multi-News: scraped pages with their boilerplate; NeuS: ``title\\n\\nbody``); each becomes an
:class:`~synoptic.records.Article` (one paragraph per non-empty line; a NeuS-shaped first
paragraph is its title), optionally cleaned by :func:`synoptic.clean.clean_article`, and the
cluster is summarised by :func:`synoptic.summarize.summarize` within the protocol's budget
(300 words for files named ``multinews``, 65 for ``neus``, 250 for ``duc``; ``words``
overrides). Output: one ``{"id", "summary"}`` line per cluster, sentences joined by spaces
(citations are not part of the protocol).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synoptic.clean import clean_article
from synoptic.config import SNIPPET_WEIGHTS, Settings, SummarySettings
from synoptic.eval import read_jsonl_items
from synoptic.progress import NullProgress, Progress
from synoptic.records import Article, article_id
from synoptic.summarize import summarize

PROTOCOL_WORDS = {"multinews": 300, "neus": 65, "duc": 250}
"""The scorer's cut, by a substring of the data file's name (see ../shared/eval/README.md)."""

DEFAULT_WORDS = 250

PROFILES = {"neus": SNIPPET_WEIGHTS}
"""Salience weights by protocol: NeuS clusters are three lead snippets, not articles; everything
else (Multi-News, DUC, a user's stories) uses the default news weights."""


@dataclass(frozen=True, slots=True)
class MdsRun:
    clusters: int
    empty: int
    seconds: float


def protocol_words(data: Path) -> int:
    """The protocol's word budget for a data file, from its name."""
    name = data.name.lower()
    return next((cut for key, cut in PROTOCOL_WORDS.items() if key in name), DEFAULT_WORDS)


def protocol_settings(data: Path, settings: SummarySettings) -> SummarySettings:
    """Summary settings for a protocol: its salience profile, and ``overflow`` on, because the
    scorer cuts the text at the budget itself (the last sentence fills the budget to the word)."""
    name = data.name.lower()
    weights = next((w for key, w in PROFILES.items() if key in name), settings.weights)
    return dataclasses.replace(settings, weights=weights, overflow=True)


def document_article(text: str, source: str, *, titled: bool) -> Article:
    """An article from one raw document: a paragraph per non-empty line.

    ``titled``: the first paragraph is a title (NeuS documents are ``title\\n\\nbody``)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = [line for line in lines if line]
    title = None
    if titled and len(paragraphs) > 1:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    body = "\n\n".join(paragraphs)
    return Article(id=article_id(body or text), source=source, text=body, title=title, input_format="text")


def cluster_articles(item: dict[str, Any], settings: Settings, *, clean: bool, titled: bool) -> list[Article]:
    articles = []
    for n, doc in enumerate(item.get("documents") or []):
        if not isinstance(doc, str) or not doc.strip():
            continue
        article = document_article(doc, f"{item.get('id', '')}#doc{n}", titled=titled)
        if clean:
            article = clean_article(article, settings.clean)
        if article.text.strip():
            articles.append(article)
    return articles


def read_items(data: Path) -> list[dict[str, Any]]:
    return read_jsonl_items(data)


def predictions(
    items: Sequence[dict[str, Any]],
    settings: Settings,
    *,
    words: int,
    clean: bool = True,
    titled: bool = False,
    progress: Progress | None = None,
    summary: SummarySettings | None = None,
) -> Iterator[tuple[str, str]]:
    progress = progress or NullProgress()
    params = summary or settings.summary
    for n, item in enumerate(items, start=1):
        articles = cluster_articles(item, settings, clean=clean, titled=titled)
        query = item.get("query") if isinstance(item.get("query"), str) else None
        sentences = summarize(articles, params, budget_words=words, query=query)
        yield str(item["id"]), "\n".join(s.text for s in sentences)
        progress.update(n, len(items), what="clusters")
    progress.finish()


def run(
    data: Path,
    out: Path,
    settings: Settings,
    *,
    words: int | None = None,
    clean: bool = True,
    progress: Progress | None = None,
) -> MdsRun:
    """Write ``{"id", "summary"}`` lines to ``out``."""
    items = read_items(data)
    budget = protocol_words(data) if words is None else (words or 10**9)
    titled = "neus" in data.name.lower()
    summary = protocol_settings(data, settings.summary)
    start = time.perf_counter()
    clusters = empty = 0
    with out.open("w", encoding="utf-8") as fh:
        for cid, text in predictions(
            items, settings, words=budget, clean=clean, titled=titled, progress=progress, summary=summary
        ):
            clusters += 1
            empty += not text
            fh.write(json.dumps({"id": cid, "summary": text}, ensure_ascii=False) + "\n")
    return MdsRun(clusters=clusters, empty=empty, seconds=time.perf_counter() - start)
