"""Synoptic: many outlets' articles in, one cross-checked, cited account out.

The stage order (each a plain function over the typed records of :mod:`synoptic.records`):

1. ``ingest``  files, directories, globs, stdin, feeds, JSONL, WARC  -> Article | IngestFailure
2. ``clean``   boilerplate removal (each removal with its reason), dates/credits/language from the text
3. ``dedup``   exact, near-duplicate, syndicated, reworded and credited copies -> CopyLink
4. ``cluster`` articles -> Story (batch or streaming)
5. per story: entities, quotes, time expressions, timeline, claims and agreement, summary -> Dossier
6. ``render`` (json | md | html), ``store`` (SQLite), ``server`` (HTTP API and web page)

:mod:`synoptic.pipeline` wires the stages; the CLI (:mod:`synoptic.cli`) is a thin layer over it.
"""

from synoptic.records import SCHEMA

__version__ = "0.1.0"
__all__ = ["SCHEMA", "__version__"]
