"""Registered domains and the table that names the outlets behind them.

The registered domain comes from the public-suffix list bundled with the ``tld`` package (read
from the package, never fetched), so ``news.bbc.co.uk`` gives ``bbc.co.uk``. The names come from
``news_domains.tsv`` shipped beside this module (docs/outlets.md says how it was made), and from a
user's CSV (``--outlets FILE``), whose rows win over the shipped ones.

A host is looked up from the most specific name down to its registered domain, so a table row
for ``profootballtalk.nbcsports.com`` wins over the one for ``nbcsports.com``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from synoptic.errors import UsageError

_HOST_PREFIX = re.compile(r"^(?:www\d{0,3}|m|mobile|amp|edition|beta)\.", re.IGNORECASE)
_IP_HOST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")
"""A host name: dot-separated labels, the last one alphabetic (``cnn.com``, ``news.sky.com``)."""

DomainRows = tuple[tuple[str, str], ...]
"""``(domain, name)`` pairs: what a user table holds, as settings carry it."""


def host_of(url: str | None) -> str | None:
    """The lower-case host of an absolute http(s) URL, without ``www.``-like prefixes."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    while (bare := _HOST_PREFIX.sub("", host)) != host and "." in bare:
        host = bare
    return host or None


def as_domain(text: str) -> str | None:
    """``text`` as a host name when it is one (``CNN.com`` -> ``cnn.com``; ``CNN`` -> None)."""
    value = text.strip().lower().rstrip(".")
    if value.startswith(("http://", "https://")):
        return host_of(value)
    value = _HOST_PREFIX.sub("", value)
    return value if _DOMAIN.match(value) else None


def registered_domain(host: str | None) -> str | None:
    """The registered domain of a host: ``edition.cnn.com`` -> ``cnn.com``; an IP stays as it is;
    a host the suffix list does not know stays whole."""
    if not host:
        return None
    if _IP_HOST.match(host):
        return host
    from tld import get_fld

    fld = get_fld(f"http://{host}", fail_silently=True)
    return fld if isinstance(fld, str) and fld else host


def domain_of_url(url: str | None) -> str | None:
    """The registered domain of a URL (``https://www.livemint.com/x`` -> ``livemint.com``)."""
    return registered_domain(host_of(url))


@functools.cache
def _shipped_rows() -> tuple[tuple[str, str, str], ...]:
    """``(domain, name, kind)`` rows of ``news_domains.tsv`` (read once per process)."""
    text = resources.files("synoptic.outlets").joinpath("news_domains.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        domain, name, _country, kind = (part.strip() for part in line.split("\t"))
        rows.append((domain, name, kind))
    return tuple(rows)


def shipped_table() -> Mapping[str, str]:
    """The shipped ``domain -> name`` table (read-only)."""
    return _table()


@functools.cache
def _table() -> Mapping[str, str]:
    return MappingProxyType({domain: name for domain, name, _ in _shipped_rows()})


@functools.cache
def agencies() -> frozenset[str]:
    """Casefolded names of the news agencies in the shipped table (AP, Reuters, AFP, ...), plus
    the long forms pages use: a page naming one as its site is an agency copy, not the site."""
    names = {name.casefold() for _, name, kind in _shipped_rows() if kind == "agency"}
    return frozenset(names | {"associated press", "the associated press", "agence france-presse"})


def lookup(host: str | None, user: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """``(name, matched domain)`` for a host: the user's table first, then the shipped one, each
    from the full host down to the registered domain; ``None`` when neither names it."""
    if not host:
        return None
    floor = registered_domain(host) or host
    labels = host.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels))]
    candidates = candidates[: candidates.index(floor) + 1] if floor in candidates else candidates[:1]
    for table in (user or {}, shipped_table()):
        for candidate in candidates:
            name = table.get(candidate)
            if name:
                return name, candidate
    return None


def read_user_table(path: str | Path) -> DomainRows:
    """The rows of a user's outlet CSV: a header with ``domain`` and ``name`` columns (others are
    ignored), one outlet per row. A row may map a whole URL or ``www.`` host; it is stored by host.

    Raises :class:`UsageError` (``E027``) naming the line and what is wrong: the file is a
    setting, so a bad one stops the command before anything is read."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError("E027", f"cannot read it: {exc}", subject=str(path)) from exc
    return parse_user_table(text, str(path))


def parse_user_table(text: str, where: str = "outlets CSV") -> DomainRows:
    """:func:`read_user_table` on text already read."""
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "domain" not in fields or "name" not in fields:
        raise UsageError("E027", f"no 'domain' and 'name' header (found {fields})", subject=where)
    reader.fieldnames = fields
    rows: list[tuple[str, str]] = []
    for row in reader:
        raw, name = (row.get("domain") or "").strip(), (row.get("name") or "").strip()
        if not raw and not name:
            continue
        domain = as_domain(raw)
        if domain is None or not name:
            problem = "no name" if domain is not None else f"{raw!r} is not a domain"
            raise UsageError("E027", f"line {reader.line_num}: {problem}", subject=where)
        rows.append((domain, name))
    return tuple(rows)


def user_mapping(rows: Sequence[tuple[str, str]]) -> Mapping[str, str]:
    """A user's rows as a lookup table (a later row for the same domain wins)."""
    return dict(rows)
