"""One stderr note per input whose articles cannot be told apart by outlet (all or most of them
have none, or all have the same).

Cross-checking counts outlets: when every article of an input has the same outlet, all they
agree on is one outlet's word; when none has one, each stands alone, named after its file or
record. Either way the user should hear it once, with what to give instead, not find out from
a report where every claim is "single source".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from synoptic.records import Article

FIX = (
    'give each article its outlet: an "outlet" or "url" field in JSONL, a metadata.csv '
    "(file,outlet,url) beside text files, or --outlets FILE to name your domains (see README)"
)


def input_of(article: Article) -> tuple[str, str]:
    """``(input, unit)``: the file holding a record (JSONL, feed, WARC), or the directory of a
    file that is one article (text, HTML)."""
    path, _, record = article.source.partition("#")
    if record:
        return path, "records"
    return os.path.dirname(path) or ".", "files"


@dataclass(slots=True)
class _Input:
    unit: str
    count: int = 0
    names: set[str] = field(default_factory=set)
    """Distinct outlet names seen, kept to two (one is all the note needs to know)."""
    unknown: int = 0
    formats: set[str] = field(default_factory=set)


class OutletTally:
    """Counts what the notes need, article by article, without holding the articles (``ingest``
    streams inputs of any size)."""

    def __init__(self) -> None:
        self._inputs: dict[str, _Input] = {}

    def add(self, article: Article) -> None:
        where, unit = input_of(article)
        entry = self._inputs.setdefault(where, _Input(unit))
        entry.count += 1
        if article.outlet is None or article.outlet.origin == "file":
            entry.unknown += 1
        elif len(entry.names) < 2:
            entry.names.add(article.outlet_name)
        entry.formats.add(article.input_format)

    def notes(self) -> list[str]:
        """The notes, in input order (an input of one article has none)."""
        notes: list[str] = []
        for where, entry in self._inputs.items():
            unit, n = entry.unit, entry.count
            if n < 2:
                continue
            record = unit.rstrip("s")
            if entry.unknown == n:
                notes.append(
                    f"{where}: none of its {n} {unit} names its outlet, so each counts as an outlet of its "
                    f"own, named after its {record} (claims cannot be tied to real outlets); {FIX}"
                )
            elif entry.unknown * 2 > n:  # most: the few named by a credit or a domain do not help
                notes.append(
                    f"{where}: {entry.unknown} of its {n} {unit} name no outlet; each of those counts as an "
                    f"outlet of its own, named after its {record}; {FIX}"
                )
            elif entry.unknown == 0 and len(entry.names) == 1 and entry.formats != {"feed"}:
                # a feed is one outlet's by nature; a JSONL or WARC file rarely is
                notes.append(
                    f"{where}: all its {n} {unit} are from {next(iter(entry.names))}, so what they agree on "
                    f"counts as one outlet's report; if they come from different outlets, {FIX}"
                )
        return notes


def outlet_notes(articles: Iterable[Article]) -> list[str]:
    """The notes for these articles (see :class:`OutletTally`)."""
    tally = OutletTally()
    for article in articles:
        tally.add(article)
    return tally.notes()
