"""``synoptic eval extract``: article body extraction on the Scrapinghub benchmark.

Each page goes through the very code path of ``synoptic digest`` (:func:`read_inputs`: sniffing,
gzip, decoding, HTML extraction and tidying), optionally followed by :func:`clean_article`.
The prediction is the article body; the title is not part of it (the benchmark's
``articleBody`` has no title). Output: one ``{"id", "text"}`` JSON line per page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from synoptic.clean import clean_article
from synoptic.config import Settings
from synoptic.errors import InputError
from synoptic.ingest import read_inputs
from synoptic.progress import NullProgress, Progress
from synoptic.records import Article, IngestFailure

SUFFIXES = (".html.gz", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class ExtractRun:
    pages: int
    empty: int
    failures: tuple[IngestFailure, ...]


def page_files(data: Path) -> list[tuple[str, Path]]:
    """``(id, path)`` of every page under ``data`` (the benchmark folder or its ``html/``)."""
    folder = data / "html" if (data / "html").is_dir() else data
    if not folder.is_dir():
        raise InputError("E040", f"{data} is not a folder of .html(.gz) pages", subject=str(data))
    pages: list[tuple[str, Path]] = []
    for path in sorted(folder.iterdir()):
        for suffix in SUFFIXES:
            if path.name.endswith(suffix):
                pages.append((path.name[: -len(suffix)], path))
                break
    if not pages:
        raise InputError("E040", f"no .html or .html.gz pages in {folder}", subject=str(data))
    return pages


def extract_page(path: Path, settings: Settings, *, clean: bool) -> tuple[str, list[IngestFailure]]:
    """The body text of one page, and the failures ingestion reported for it."""
    texts: list[str] = []
    failures: list[IngestFailure] = []
    for item in read_inputs([str(path)], settings.ingest):
        if isinstance(item, IngestFailure):
            failures.append(item)
            continue
        article: Article = clean_article(item, settings.clean) if clean else item
        texts.append(article.text)
    return "\n\n".join(texts), failures


def predictions(
    data: Path, settings: Settings, *, clean: bool, progress: Progress | None = None
) -> Iterator[tuple[str, str, list[IngestFailure]]]:
    pages = page_files(data)
    progress = progress or NullProgress()
    for n, (page_id, path) in enumerate(pages, start=1):
        text, failures = extract_page(path, settings, clean=clean)
        yield page_id, text, failures
        progress.update(n, len(pages), what="pages")
    progress.finish()


def run(
    data: Path, out: Path, settings: Settings, *, clean: bool = False, progress: Progress | None = None
) -> ExtractRun:
    """Write ``{"id", "text"}`` lines to ``out``; pages with no text are written empty."""
    pages = empty = 0
    failures: list[IngestFailure] = []
    with out.open("w", encoding="utf-8") as fh:
        for page_id, text, page_failures in predictions(data, settings, clean=clean, progress=progress):
            pages += 1
            empty += not text
            failures.extend(page_failures)
            fh.write(json.dumps({"id": page_id, "text": text}, ensure_ascii=False) + "\n")
    return ExtractRun(pages=pages, empty=empty, failures=tuple(failures))
