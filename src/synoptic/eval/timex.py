"""``synoptic eval timex``: time expressions on the TempEval-3 protocol of the eval kit.

Input: JSONL with ``id``, ``text`` and ``dct`` (the document creation time, the anchor).
Output: one ``{"id", "timexes": [{"start", "end", "value", "type"}]}`` line per document,
offsets into ``text``. Ranges are written as their parts (TimeBank annotates "Monday" and
"Wednesday" of "from Monday to Wednesday" separately).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synoptic.config import Settings
from synoptic.eval import read_jsonl_items
from synoptic.nlp.timex import find_times
from synoptic.progress import NullProgress, Progress


@dataclass(frozen=True, slots=True)
class TimexRun:
    documents: int
    timexes: int


def read_documents(data: Path) -> Iterator[dict[str, Any]]:
    yield from read_jsonl_items(data, ("id", "text"))


def parse_dct(value: object) -> dt.date | None:
    """The anchor date of a ``dct`` such as ``1998-02-13T14:26:00`` or ``1989-11-02``."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def predict(doc: dict[str, Any], settings: Settings) -> dict[str, Any]:
    times = find_times(str(doc["text"]), parse_dct(doc.get("dct")), settings.time)
    return {
        "id": doc["id"],
        "timexes": [{"start": t.span[0], "end": t.span[1], "value": t.value, "type": t.type} for t in times],
    }


def run(data: Path, out: Path, settings: Settings, progress: Progress | None = None) -> TimexRun:
    settings = settings.with_section(time=dataclasses.replace(settings.time, ranges=False))
    progress = progress or NullProgress()
    docs = n_timex = 0
    with out.open("w", encoding="utf-8") as fh:
        for doc in read_documents(data):
            row = predict(doc, settings)
            docs += 1
            n_timex += len(row["timexes"])
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            progress.update(docs, what="documents")
    progress.finish()
    return TimexRun(documents=docs, timexes=n_timex)
