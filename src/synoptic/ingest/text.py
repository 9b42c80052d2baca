"""Plain text articles: the first non-empty line is the title, the rest is the body."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.records import Article, article_id


def decode(data: bytes, source: str) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("E004", str(exc), subject=source) from exc


def read(source: str, data: bytes, settings: IngestSettings) -> Iterator[Article]:
    text = decode(data, source).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    if not nonempty:
        raise InputError("E002", subject=source)
    title = lines[nonempty[0]].strip()
    body = "\n\n".join(line for line in lines[nonempty[0] + 1 :] if line.strip())
    yield Article(
        id=article_id(title + "\n" + body),
        source=source,
        text=body,
        title=title,
        outlet=None if source == "-" else Path(source).stem,
        input_format="text",
        provenance={"title": "text"},
    )
