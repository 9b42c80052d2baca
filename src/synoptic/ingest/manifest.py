"""``metadata.csv``: what plain-text (and saved HTML) files cannot say about themselves.

A text file holds a title and a body; its outlet, URL and date have nowhere to go. A file
named ``metadata.csv`` in the same directory gives them, one row per file::

    file,outlet,domain,url,published
    000_239dd344fad90823.txt,ITV News,itv.com,,
    001_90cc1c2f54e51578.txt,Mint,livemint.com,https://www.livemint.com/...,2023-03-21T16:39+05:30

Only ``file`` (a name in that directory) is required; every other column may be left empty,
and unknown columns are ignored. What a row gives wins over what the file says (it is the
user's word): ``outlet`` is the outlet's name, ``domain`` its web domain (named through the
outlet tables when ``outlet`` is empty), ``url`` the article's address, ``published`` its date
(ISO 8601 or any form the readers accept). The manifest itself is never read as an article. A
manifest that cannot be read, or a row for a file that is not there, is one ``E016`` failure;
the files are read all the same.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from dataclasses import dataclass

from synoptic.errors import InputError
from synoptic.ingest import metadata
from synoptic.outlets.domains import as_domain
from synoptic.records import Article, IngestFailure, Outlet

MANIFEST_NAME = "metadata.csv"
COLUMNS = ("file", "outlet", "domain", "url", "published")


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """What ``metadata.csv`` says about one file."""

    outlet: str | None = None
    domain: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    rows: dict[str, ManifestRow]
    """By file name (the name only, not the path)."""
    failures: tuple[IngestFailure, ...] = ()


def is_manifest(path: str) -> bool:
    return os.path.basename(path) == MANIFEST_NAME


def _failure(where: str, detail: str) -> IngestFailure:
    err = InputError("E016", detail, subject=where)
    return IngestFailure(source=where, reason=err.reason, hint=err.hint, code=err.code)


def read_manifest(directory: str) -> Manifest | None:
    """The manifest of ``directory``, or ``None`` when it has none."""
    path = os.path.join(directory, MANIFEST_NAME)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read(1_000_000)
    except (OSError, UnicodeDecodeError) as exc:
        return Manifest({}, (_failure(path, f"cannot read it: {exc}"),))
    return parse_manifest(text, path)


def parse_manifest(text: str, where: str) -> Manifest:
    reader = csv.DictReader(io.StringIO(text))
    fields = [(f or "").strip().lower() for f in reader.fieldnames or []]
    if "file" not in fields:
        return Manifest({}, (_failure(where, f"no 'file' column in its header (found {fields})"),))
    reader.fieldnames = fields
    rows: dict[str, ManifestRow] = {}
    failures: list[IngestFailure] = []
    directory = os.path.dirname(where)
    for row in reader:
        name = (row.get("file") or "").strip()
        if not name:
            continue
        if os.path.basename(name) != name or not os.path.isfile(os.path.join(directory, name)):
            failures.append(_failure(f"{where}#{reader.line_num}", f"no file {name!r} beside it"))
            continue
        values = {k: (row.get(k) or "").strip() or None for k in COLUMNS[1:]}
        domain = as_domain(values["domain"]) if values["domain"] else None
        if values["domain"] and domain is None:
            failures.append(_failure(f"{where}#{reader.line_num}", f"{values['domain']!r} is not a domain"))
        rows[name] = ManifestRow(
            outlet=values["outlet"], domain=domain, url=values["url"], published=values["published"]
        )
    return Manifest(rows, tuple(failures))


def apply_row(article: Article, row: ManifestRow) -> Article:
    """``article`` with what the manifest row gives."""
    changes: dict[str, object] = {}
    provenance = dict(article.provenance)
    warnings = list(article.warnings)
    url = metadata.normalise_url(row.url)
    if row.url and url is None:
        warnings.append(f"{MANIFEST_NAME}: url {row.url[:60]!r} is not an http(s) address; ignored")
    if url is not None:
        changes["url"] = url
        provenance["url"] = "input"
    if row.outlet:
        changes["outlet"] = Outlet(name=row.outlet, domain=row.domain, origin="manifest")
    elif row.domain:
        changes["outlet"] = Outlet(name=row.domain, domain=row.domain, origin="url")
    if row.published:
        published, warning = metadata.published_date(row.published, origin="input")
        if warning:
            warnings.append(f"{MANIFEST_NAME}: {warning}")
        if published is not None:
            changes["published"] = published
            provenance["published"] = "input"
    if not changes and warnings == list(article.warnings):
        return article
    return dataclasses.replace(article, **changes, provenance=provenance, warnings=tuple(warnings))  # type: ignore[arg-type]
