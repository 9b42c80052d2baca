"""Trivial grouping and dossier stages for tests about the store, the API and the CLI mechanics
(idempotence, kill safety, concurrency, escaping), so they do not spend minutes in the NLP stages.
The real stages run in ``test_store.py::test_real_stages_on_the_example`` and the browser tests.

As a script, runs the ``synoptic`` CLI with these stages: ``python tests/fast_stages.py ingest ...``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence

from synoptic.config import Settings
from synoptic.dossier import StoryReading
from synoptic.records import Article, CopyLink, Dossier, Story


def one_story_each(
    articles: Sequence[Article], settings: Settings, **_: object
) -> tuple[list[CopyLink], list[Story]]:
    """``find_stories`` without the work; its keywords (executor, frequencies, settled copies,
    terms) change nothing here, so any is taken."""
    return [], [Story(id=f"one-{a.id}", articles=(a.id,), label=a.title or "") for a in articles]


def empty_dossiers(
    readings: Iterable[StoryReading], count: int, settings: Settings, **_: object
) -> Iterator[Dossier]:
    """``iter_read_dossiers`` without the work: an empty dossier per read story (its keywords,
    executor and known vectors, change nothing here)."""
    return (Dossier(story=r.story) for r in readings)


def patch(target: object) -> None:
    """Install the trivial stages on ``target`` (a MonkeyPatch, or the module itself when None)."""
    from synoptic.store import ingest as store_ingest

    setattr_ = getattr(target, "setattr", None)
    for name, fn in (("find_stories", one_story_each), ("iter_read_dossiers", empty_dossiers)):
        if setattr_ is not None:
            setattr_(store_ingest, name, fn)
        else:
            setattr(store_ingest, name, fn)


if __name__ == "__main__":  # run with PYTHONPATH=src
    from synoptic.cli import main

    patch(None)
    raise SystemExit(main(sys.argv[1:]))
