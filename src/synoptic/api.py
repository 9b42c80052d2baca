"""The Python API: :func:`digest` and :func:`read_inputs`, exported from ``synoptic``.

``synoptic.digest(inputs)`` is what ``synoptic digest`` does, for inputs of any kind held in a
program: paths, documents as strings or bytes, JSON-like dicts, or :class:`~synoptic.records.Article`
records. Every input is cleaned, whatever its kind (an ``Article`` built by hand gets its
repeated title, datelines and furniture removed like a page read from disk), so the same text
gives the same dossier whichever way it came in.
"""

from __future__ import annotations

import dataclasses
import io
import os
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from synoptic.config import Settings
from synoptic.executors import make_executor
from synoptic.ingest import read_inputs as read_paths
from synoptic.ingest.pending import Pending, PendingPage, PendingRecord, resolve
from synoptic.pipeline import clean_items, digest_articles, ingest_partition
from synoptic.records import Article, Digest, IngestFailure

Input = str | bytes | os.PathLike[str] | Mapping[str, Any] | Article
"""One input of :func:`digest`: a path, a document, a record or an article (see there)."""

_DOCUMENT_STARTS = ("<", "{", "[")


def digest(inputs: Input | Iterable[Input], settings: Settings | None = None) -> Digest:
    """Read, clean, find copies, group into stories and build one dossier per story.

    Args:
        inputs: One input or an iterable of them, in order; each is
            a path (``pathlib.Path``, or a ``str`` without a line break that does not start
            with ``<``, ``{`` or ``[``): a file, directory or glob, read as ``synoptic digest``
            reads it (text, HTML, RSS/Atom, JSONL, WARC, gzip);
            a document (``bytes``, or any other ``str``): its format is sniffed from its content;
            a dict with the fields of a JSONL record (``text`` required; ``title``, ``url``,
            ``outlet``, ``published``, ``authors``, ``language``, ``id`` optional);
            or an :class:`~synoptic.records.Article`. Every article is cleaned.
        settings: Settings for every stage (default: ``Settings()``); ``Settings().fast()``
            for large runs. ``settings.scale`` chooses where the stages run (``workers``, ``dask``).

    Returns:
        The :class:`~synoptic.records.Digest`: articles (cleaned; the same text twice kept
        once), copy links, one dossier per story, and the inputs that could not be read
        (``failures``, each with a reason and a hint) instead of raising for them.

    Raises:
        SynopticError: for bad ``settings`` (``E020``) or a Dask scheduler that cannot be
            reached; never for a bad input, which becomes a failure.
        TypeError: for an input of another type.
    """
    settings = (settings or Settings()).validate()
    with make_executor(settings.scale) as executor:
        articles, failures, repeats = clean_items(_items(inputs, settings), settings, executor=executor)
        result = digest_articles(articles, settings, executor=executor)
    return dataclasses.replace(result, failures=tuple(failures), repeats=repeats)


def read_inputs(
    inputs: Input | Iterable[Input], settings: Settings | None = None, *, clean: bool = True
) -> Iterator[Article | IngestFailure]:
    """The articles of ``inputs``, one by one in order, with a failure for each unusable input.

    Args:
        inputs: As for :func:`digest`.
        settings: ``settings.ingest`` limits what is read, ``settings.clean`` how it is cleaned
            (default: ``Settings()``).
        clean: False gives the articles as extracted, before boilerplate removal.

    Returns:
        An iterator of :class:`~synoptic.records.Article` and
        :class:`~synoptic.records.IngestFailure` (reason and hint), lazily: a large JSONL
        file or WARC is read record by record.

    Raises:
        TypeError: for an input of another type (when the iterator reaches it).
    """
    settings = (settings or Settings()).validate()
    for item in _items(inputs, settings):
        if clean:
            yield from ingest_partition([item], settings)
        else:
            yield resolve(item) if isinstance(item, PendingPage | PendingRecord) else item


def _items(
    inputs: Input | Iterable[Input], settings: Settings
) -> Iterator[Article | IngestFailure | Pending]:
    """Each input as the reader's items (pending parse, article or failure), in order."""
    single = isinstance(inputs, str | bytes | os.PathLike | Mapping | Article)
    given_all = [inputs] if single else typing.cast(Iterable[object], inputs)
    for n, given in enumerate(given_all, start=1):
        if isinstance(given, Article):
            yield given
        elif isinstance(given, Mapping):
            yield PendingRecord(source="record", line=n, obj=given, unit="record")
        elif isinstance(given, bytes) or (isinstance(given, str) and _is_document(given)):
            data = given.encode("utf-8") if isinstance(given, str) else given
            for item in read_paths(["-"], settings.ingest, stdin=io.BytesIO(data), deferred=True):
                yield _renamed(item, f"text#{n}")
        elif isinstance(given, str | os.PathLike):
            yield from read_paths([os.fspath(given)], settings.ingest, deferred=True)
        else:
            raise TypeError(
                f"input {n} is a {type(given).__name__}; give a path, a document (str or bytes), "
                "a dict with a 'text' field or an Article"
            )


def _is_document(text: str) -> bool:
    return "\n" in text or "\r" in text or text.lstrip().startswith(_DOCUMENT_STARTS)


def _renamed(item: Article | IngestFailure | Pending, name: str) -> Article | IngestFailure | Pending:
    """An item read from an in-memory document, named ``name`` instead of ``-`` (stdin)."""
    if item.source == "-" or item.source.startswith("-#"):
        return dataclasses.replace(item, source=name + item.source[1:])
    return item
