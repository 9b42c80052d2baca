"""A digest as flat tables: stories, articles, claims, quotes and the timeline.

For spreadsheets, SQL and dataframes (``synoptic digest -f csv|jsonl|parquet``,
:meth:`Digest.to_dataframes <synoptic.records.Digest.to_dataframes>`). One row per item, joined
on the ``story`` and ``article`` ids; every item is a row with its ``confidence`` (as in the
JSON: the default views' threshold is for the reader to apply). Dates are ISO 8601 strings;
list columns (outlets, articles) are lists, joined with ``"; "`` in CSV.

- CSV and Parquet write one file per table into a folder (``claims.csv``, ``quotes.parquet``...);
- JSONL writes every row of every table to one stream, each with its ``table`` name first.

Parquet needs pyarrow and dataframes need pandas, both optional
(``pip install 'synoptic[parquet]'``, ``pip install 'synoptic[pandas]'``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from synoptic.errors import MissingDependency

if TYPE_CHECKING:  # records imports this module for Digest.to_dataframes: no import back
    import pandas

    from synoptic.records import Digest

Kind = Literal["str", "int", "float", "bool", "list"]
Row = dict[str, Any]

COLUMNS: dict[str, tuple[tuple[str, Kind], ...]] = {
    "stories": (
        ("story", "str"),
        ("label", "str"),
        ("articles", "int"),
        ("outlets", "list"),
        ("first_seen", "str"),
        ("last_seen", "str"),
    ),
    "articles": (
        ("article", "str"),
        ("story", "str"),
        ("outlet", "str"),
        ("title", "str"),
        ("url", "str"),
        ("source", "str"),
        ("published", "str"),
        ("published_from", "str"),
        ("language", "str"),
        ("words", "int"),
    ),
    "claims": (
        ("story", "str"),
        ("claim", "str"),
        ("text", "str"),
        ("outlets", "list"),
        ("articles", "list"),
        ("single_source", "bool"),
        ("related", "list"),
        ("conflicts", "int"),
        ("confidence", "float"),
    ),
    "quotes": (
        ("story", "str"),
        ("article", "str"),
        ("outlet", "str"),
        ("speaker", "str"),
        ("content", "str"),
        ("direct", "bool"),
        ("start", "int"),
        ("end", "int"),
        ("statement", "str"),
        ("confidence", "float"),
    ),
    "timeline": (
        ("story", "str"),
        ("start", "str"),
        ("end", "str"),
        ("granularity", "str"),
        ("planned", "bool"),
        ("text", "str"),
        ("articles", "list"),
        ("confidence", "float"),
    ),
}
"""Each table's columns and their kinds, in order (the CSV header, the Parquet schema)."""

TABLES = tuple(COLUMNS)


def digest_tables(digest: Digest) -> dict[str, list[Row]]:
    """The rows of every table, in the digest's order (stories, then their items)."""
    outlet = {a.id: a.outlet_name for a in digest.articles}
    story_of = {aid: d.story.id for d in digest.dossiers for aid in d.story.articles}
    tables: dict[str, list[Row]] = {name: [] for name in COLUMNS}
    for d in digest.dossiers:
        story = d.story
        tables["stories"].append(
            {
                "story": story.id,
                "label": story.label,
                "articles": len(story.articles),
                "outlets": sorted({outlet[a] for a in story.articles if outlet.get(a)}),
                "first_seen": story.first_seen.isoformat() if story.first_seen else None,
                "last_seen": story.last_seen.isoformat() if story.last_seen else None,
            }
        )
        for claim in d.claims:
            tables["claims"].append(
                {
                    "story": story.id,
                    "claim": claim.id,
                    "text": claim.text,
                    "outlets": list(claim.outlets),
                    "articles": list(claim.sources),
                    "single_source": claim.single_source,
                    "related": list(dict.fromkeys(c.article for c in claim.related)),
                    "conflicts": len(claim.conflicts),
                    "confidence": claim.confidence,
                }
            )
        for quote in d.quotes:
            tables["quotes"].append(
                {
                    "story": story.id,
                    "article": quote.article,
                    "outlet": outlet.get(quote.article, ""),
                    "speaker": quote.speaker,
                    "content": quote.content,
                    "direct": quote.direct,
                    "start": quote.content_span[0],
                    "end": quote.content_span[1],
                    "statement": quote.statement,
                    "confidence": quote.confidence,
                }
            )
        for event in d.timeline:
            tables["timeline"].append(
                {
                    "story": story.id,
                    "start": event.start.isoformat(),
                    "end": event.end.isoformat(),
                    "granularity": event.granularity,
                    "planned": event.planned,
                    "text": event.text,
                    "articles": list(event.sources),
                    "confidence": event.confidence,
                }
            )
    for a in digest.articles:
        published = a.published.value.isoformat() if a.published and a.published.value else None
        tables["articles"].append(
            {
                "article": a.id,
                "story": story_of.get(a.id),
                "outlet": a.outlet_name,
                "title": a.title,
                "url": a.url,
                "source": a.source,
                "published": published,
                "published_from": a.published.origin if a.published else None,
                "language": a.language,
                "words": len(a.text.split()),
            }
        )
    return tables


def iter_jsonl(digest: Digest) -> Iterator[str]:
    """Every row of every table as one JSON line, ``{"table": NAME, ...columns}``."""
    for name, rows in digest_tables(digest).items():
        for row in rows:
            yield json.dumps({"table": name, **row}, ensure_ascii=False) + "\n"


def write_csv(digest: Digest, folder: Path) -> list[Path]:
    """One ``NAME.csv`` per table in ``folder`` (created); list cells joined with ``"; "``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in digest_tables(digest).items():
        path = folder / f"{name}.csv"
        columns = COLUMNS[name]
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow([c for c, _ in columns])
            for row in rows:
                out.writerow([_csv_cell(row[c], kind) for c, kind in columns])
        written.append(path)
    return written


def _csv_cell(value: Any, kind: Kind) -> Any:
    if value is None:
        return ""
    if kind == "list":
        return "; ".join(value)
    if kind == "bool":
        return "true" if value else "false"
    return value


def write_parquet(digest: Digest, folder: Path) -> list[Path]:
    """One ``NAME.parquet`` per table in ``folder`` (created), typed by :data:`COLUMNS`.

    Raises:
        MissingDependency: ``E050`` when pyarrow is not installed."""
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in digest_tables(digest).items():
        schema = pa.schema([(c, types[kind]) for c, kind in COLUMNS[name]])
        path = folder / f"{name}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
        written.append(path)
    return written


def require_pyarrow() -> None:
    """Raises:
    MissingDependency: ``E050`` with the install command when pyarrow is not installed."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingDependency("pyarrow", "pip install 'synoptic[parquet]'") from None


def to_dataframes(digest: Digest) -> dict[str, pandas.DataFrame]:
    """Every table as a pandas DataFrame, by name (columns in :data:`COLUMNS` order).

    Raises:
        MissingDependency: ``E050`` when pandas is not installed."""
    try:
        import pandas
    except ImportError:
        raise MissingDependency("pandas", "pip install 'synoptic[pandas]'") from None
    return {
        name: pandas.DataFrame(rows, columns=[c for c, _ in COLUMNS[name]])
        for name, rows in digest_tables(digest).items()
    }
