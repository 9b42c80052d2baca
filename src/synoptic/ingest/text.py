"""Plain text articles: the first non-empty line is the title, each further line a paragraph."""

from __future__ import annotations

from collections.abc import Iterator

from synoptic.errors import InputError
from synoptic.ingest.sniff import Decoded
from synoptic.records import Article, article_id


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, stripped (a line is a paragraph in captured text; blank lines are spacing).

    Inner whitespace is kept as it is, so a line can still be matched to the file it came from.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]


def read(source: str, decoded: Decoded) -> Iterator[Article]:
    paras = paragraphs(decoded.text)
    if not paras:
        raise InputError("E002", subject=source)
    title, body = paras[0], paras[1:]
    if not body:
        raise InputError("E007", "only one line (taken as the title), no body", subject=source)
    text = "\n\n".join(body)
    note = decoded.note()
    yield Article(
        id=article_id(title + "\n" + text),
        source=source,
        text=text,
        title=title,
        input_format="text",
        provenance={"title": "text"},
        warnings=(note,) if note else (),
    )
