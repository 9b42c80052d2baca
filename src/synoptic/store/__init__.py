"""Story store: articles, stories, copies and dossiers kept between runs (SQLite by default).

``open_store(path)`` opens (creating or upgrading) a store; :func:`ingest_articles` adds
articles and incrementally regroups (see :mod:`synoptic.store.ingest`).
"""

from __future__ import annotations

import os
from pathlib import Path

from synoptic.config import DEFAULT_DB, Settings
from synoptic.store.base import SearchHit, Store, StoryPage, StoryQuery, StoryRow
from synoptic.store.ingest import IngestReport, RegroupReport, ingest_articles, regroup_store
from synoptic.store.sqlite import SQLiteStore


def default_db_path() -> str:
    """``$SYNOPTIC_DB`` when set, else ``synoptic.db`` in the current directory."""
    return os.environ.get("SYNOPTIC_DB") or DEFAULT_DB


def open_store(path: str | Path, settings: Settings | None = None) -> Store:
    """The store at ``path``, created or upgraded to the current schema (a context manager).

    Args:
        path: The SQLite file.
        settings: ``settings.store`` (lock wait); default ``Settings()``.

    Returns:
        The :class:`Store`: articles, stories, dossiers and copies, full-text search.

    Raises:
        StoreError: ``E030`` when the file cannot be opened or is from a newer version."""
    settings = settings or Settings()
    return SQLiteStore(path, busy_timeout_ms=settings.store.busy_timeout_ms)


__all__ = [
    "IngestReport",
    "RegroupReport",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoryPage",
    "StoryQuery",
    "StoryRow",
    "default_db_path",
    "ingest_articles",
    "open_store",
    "regroup_store",
]
