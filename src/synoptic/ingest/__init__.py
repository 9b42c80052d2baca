"""Ingestion: turn files, directories, globs and stdin into :class:`Article` records.

``read_inputs`` expands the given paths, sniffs each file's format from its content, and
dispatches to one reader module per format. Each bad item becomes an
:class:`~synoptic.records.IngestFailure` with a reason and a hint; the batch goes on.
"""

from __future__ import annotations

from synoptic.ingest.sources import read_inputs

__all__ = ["read_inputs"]
