"""Synoptic: many outlets' articles in, one cross-checked, cited account out.

The Python API (each name is imported on first use, so ``import synoptic`` and the CLI's start
stay fast)::

    import synoptic

    result = synoptic.digest(["examples/xi-moscow-2023"])      # paths, documents, dicts, Articles
    for dossier in result.dossiers:
        print(dossier.story.label, len(dossier.claims))
    print(synoptic.render_markdown(result))

- :func:`digest`, :func:`read_inputs`: the main job, and reading (and cleaning) alone;
- :class:`Settings` (``Settings.fast()``, ``Settings.from_toml(path)``): every stage's settings;
- the records (:class:`Article`, :class:`Digest`, :class:`Dossier`, :class:`Claim`, ...);
- :func:`open_store`: the SQLite store of the stored mode;
- :func:`render_json`, :func:`render_markdown`, :func:`render_html`: the reports;
- :class:`SynopticError`: every error Synoptic raises (with a code and a hint).

The stage order (each a plain function over the typed records of :mod:`synoptic.records`):

1. ``ingest``  files, directories, globs, stdin, feeds, JSONL, WARC  -> Article | IngestFailure
2. ``clean``   boilerplate removal (each removal with its reason), dates/credits/language from the text
3. ``dedup``   exact, near-duplicate, syndicated, reworded and credited copies -> CopyLink
4. ``cluster`` articles -> Story (batch or streaming)
5. per story: entities, quotes, time expressions, timeline, claims and agreement, summary -> Dossier
6. ``render`` (json | md | html), ``store`` (SQLite), ``server`` (HTTP API and web page)

:mod:`synoptic.pipeline` wires the stages; the CLI (:mod:`synoptic.cli`) is a thin layer over it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_RECORDS = (
    "Article",
    "Citation",
    "Claim",
    "Conflict",
    "CopyLink",
    "Digest",
    "Dossier",
    "Entity",
    "Event",
    "IngestFailure",
    "Outlet",
    "OutletReport",
    "PublishedDate",
    "Quote",
    "Removal",
    "Story",
    "SummarySentence",
    "TimeExpression",
    "Wording",
)

_HOME: dict[str, str] = {
    "digest": "synoptic.api",
    "read_inputs": "synoptic.api",
    "Settings": "synoptic.config",
    "open_store": "synoptic.store",
    "render_json": "synoptic.render",
    "render_markdown": "synoptic.render",
    "render_html": "synoptic.render",
    "SynopticError": "synoptic.errors",
    "SCHEMA": "synoptic.records",
    **dict.fromkeys(_RECORDS, "synoptic.records"),
}
"""Public name -> the module that defines it (imported when the name is first used: PEP 562)."""

__all__ = [
    "SCHEMA",
    "Article",
    "Citation",
    "Claim",
    "Conflict",
    "CopyLink",
    "Digest",
    "Dossier",
    "Entity",
    "Event",
    "IngestFailure",
    "Outlet",
    "OutletReport",
    "PublishedDate",
    "Quote",
    "Removal",
    "Settings",
    "Story",
    "SummarySentence",
    "SynopticError",
    "TimeExpression",
    "Wording",
    "__version__",
    "digest",
    "open_store",
    "read_inputs",
    "render_html",
    "render_json",
    "render_markdown",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'synoptic' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports them
    from synoptic.api import digest, read_inputs
    from synoptic.config import Settings
    from synoptic.errors import SynopticError
    from synoptic.records import (
        SCHEMA,
        Article,
        Citation,
        Claim,
        Conflict,
        CopyLink,
        Digest,
        Dossier,
        Entity,
        Event,
        IngestFailure,
        Outlet,
        OutletReport,
        PublishedDate,
        Quote,
        Removal,
        Story,
        SummarySentence,
        TimeExpression,
        Wording,
    )
    from synoptic.render import render_html, render_json, render_markdown
    from synoptic.store import open_store
