"""One JSON object (a JSONL line, an item of a JSON array, a ``POST /articles`` body, a dict given
to :func:`synoptic.digest`) to an :class:`~synoptic.records.Article`, or the reason it is unusable.

Apart from the JSONL reader so that :mod:`synoptic.ingest.pending` can resolve a deferred record
without importing the reader that makes deferred records (no import cycle).
"""

from __future__ import annotations

from collections.abc import Mapping

from synoptic.errors import InputError
from synoptic.ingest import html as html_reader
from synoptic.ingest.text import paragraphs
from synoptic.records import Article, IngestFailure

FIELDS = ("text", "title", "url", "outlet", "published", "id", "author", "authors", "language")
OUTLET_FIELDS = ("outlet", "source", "site_name", "publisher")
"""Where a record may name its outlet, first found wins."""


def failure(source: str, line: int, detail: str, *, unit: str = "line") -> IngestFailure:
    err = InputError("E009", f"{unit} {line}: {detail}", subject=f"{source}#{line}")
    return IngestFailure(source=f"{source}#{line}", reason=err.reason, hint=err.hint, code=err.code)


def record_to_article(source: str, line: int, obj: object) -> Article:
    """One decoded JSON value to an article; raises ``ValueError`` with the reason when unusable."""
    if not isinstance(obj, Mapping):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(
            '"text" is not a string'
            if text is not None and not isinstance(text, str)
            else 'no non-empty "text" field'
        )
    for key in ("title", "url", "outlet", "id", "language"):
        if obj.get(key) is not None and not isinstance(obj[key], str | int):
            raise ValueError(f'"{key}" must be a string')
    title = str(obj["title"]).strip() or None if obj.get("title") is not None else None
    record_id = str(obj["id"]).strip() if obj.get("id") not in (None, "") else None
    authors = _authors(obj.get("authors", obj.get("author")))
    language = obj.get("language")
    return html_reader.build_article(
        f"{source}#{record_id}" if record_id else f"{source}#{line}",
        paragraphs(text),
        title=title,
        origin="input",
        authors=authors,
        url=str(obj["url"]) if obj.get("url") else None,
        date=obj.get("published"),
        outlet=_outlet(obj),
        language=str(language) if language else None,
        input_format="jsonl",
    )


def _outlet(obj: Mapping[str, object]) -> str | None:
    """The outlet a record names, from the first of :data:`OUTLET_FIELDS` that holds a name
    (``publisher`` may be schema.org's ``{"name": ...}``)."""
    for key in OUTLET_FIELDS:
        value = obj.get(key)
        if isinstance(value, Mapping):
            value = value.get("name")
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(a.strip() for a in value.split(";") if a.strip())
    if isinstance(value, list):
        return tuple(str(a).strip() for a in value if str(a).strip())
    return ()
