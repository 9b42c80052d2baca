"""``synoptic eval cluster``: story clustering on an ECB+-shaped JSONL file.

Reads only ``id``, ``title`` and ``text`` of each line (never ``gold``, ``topic`` or
``source_doc``), turns each into an :class:`Article` (no outlet, no date, no language: the
protocol gives none) and clusters them with :func:`synoptic.cluster.cluster_articles` (or the
streaming clusterer, fed in file order). Output: one ``{"id", "cluster"}`` line per item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from synoptic.cluster import cluster_articles, stream_cluster
from synoptic.config import ClusterSettings
from synoptic.eval import read_jsonl_items
from synoptic.records import Article

READ_FIELDS = ("id", "title", "text")


@dataclass(frozen=True, slots=True)
class ClusterRun:
    items: int
    clusters: int


def read_items(data: Path) -> list[Article]:
    """The items of ``data`` as articles, keeping only the fields the protocol allows as input."""
    articles: list[Article] = []
    for row in read_jsonl_items(data):
        item = {k: row.get(k) for k in READ_FIELDS}
        articles.append(
            Article(
                id=str(item["id"]),
                source=f"{data.name}#{item['id']}",
                text=str(item["text"] or ""),
                title=str(item["title"]) if item["title"] else None,
            )
        )
    return articles


def run(data: Path, out: Path, settings: ClusterSettings, *, stream: bool = False) -> ClusterRun:
    """Write ``{"id", "cluster"}`` lines (in input order) to ``out``."""
    articles = read_items(data)
    stories = stream_cluster(articles, settings) if stream else cluster_articles(articles, settings)
    story_of = {a: s.id for s in stories for a in s.articles}
    with out.open("w", encoding="utf-8") as fh:
        for art in articles:
            fh.write(json.dumps({"id": art.id, "cluster": story_of[art.id]}) + "\n")
    return ClusterRun(items=len(articles), clusters=len(stories))
