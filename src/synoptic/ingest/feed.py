"""RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds: one article per entry.

The body is the entry's full content (``content:encoded``, Atom ``<content>``) when it has one,
else its summary/description; HTML is turned into paragraphs. The date is the entry's
published date, else its updated date (marked ``updated``). The outlet evidence is the entry's
``<source>`` (its title and URL), else the feed's title and link; :mod:`synoptic.outlets` names
the outlet from it and the entry's link.

A malformed feed (feedparser's "bozo" flag) keeps the entries that could be read and reports
one ``E008`` failure for the file.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.ingest import html as html_reader
from synoptic.ingest.encoding import HEAD_BYTES, utf16_without_bom
from synoptic.outlets.domains import domain_of_url
from synoptic.records import Article, IngestFailure

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _text_of(detail: Mapping[str, Any]) -> list[str]:
    value = str(detail.get("value") or "")
    if not value.strip():
        return []
    kind = str(detail.get("type") or "text/html").lower()
    if kind in _HTML_TYPES or "<" in value:
        return html_reader.fragment_paragraphs(value)
    return [" ".join(p.split()) for p in value.split("\n") if p.strip()]


def entry_paragraphs(entry: Mapping[str, Any]) -> list[str]:
    """The longest of the entry's contents, else its summary."""
    candidates = [_text_of(c) for c in entry.get("content") or []]
    best = max(candidates, key=lambda ps: sum(len(p) for p in ps), default=[])
    if best:
        return best
    detail = entry.get("summary_detail") or {"value": entry.get("summary") or "", "type": "text/html"}
    return _text_of(detail)


def _outlet(entry: Mapping[str, Any], feed: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(site name, site domain)``: the entry's ``<source>`` (the original publisher of an
    aggregated entry) when it has one, else the feed's own title and link."""
    source = entry.get("source") or {}
    if isinstance(source, Mapping) and (source.get("title") or source.get("href") or source.get("link")):
        title = str(source.get("title") or "").strip() or None
        return title, domain_of_url(source.get("href") or source.get("link"))
    title = str(feed.get("title") or "").strip() or None
    return title, domain_of_url(feed.get("link"))


_XML_ENCODING = re.compile(r"""\A(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def _utf8_if_wide(data: bytes) -> bytes:
    """UTF-16/32 without a byte-order mark (which feedparser does not recognise) as UTF-8, with
    the XML declaration's encoding taken out."""
    wide = utf16_without_bom(data[:HEAD_BYTES])
    if wide is None:
        return data
    text = data.decode(wide, "replace")
    return _XML_ENCODING.sub(r"\1", text, count=1).encode("utf-8")


_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE\s[^\[>]*\[(.*?)\]\s*>", re.DOTALL | re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"""<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(["'])(.*?)\2\s*>""", re.DOTALL)
_PLAIN_VALUE = re.compile(rb"[^&<%]*|&#[0-9]+;|&#x[0-9A-Fa-f]+;")


def without_internal_subset(data: bytes) -> bytes:
    """The feed with its DOCTYPE's internal subset taken out before any XML parser sees it, and
    references to the entities it declared with plain text (``<!ENTITY town "Springfield">``)
    replaced by that text. Other declarations (entities made of entities: the "billion laughs";
    ``SYSTEM`` entities that name a file or URL) are dropped unexpanded: their references stay
    as undefined entities, which the parser reports (E008) without reading anything.

    feedparser strips such declarations only when each starts a line; given on one line, expat
    expanded a billion-laughs feed for 15 s before its own amplification limit stopped it."""
    head = data[: 4 * HEAD_BYTES]
    doctype = _DOCTYPE_SUBSET.search(head)
    if doctype is None:
        return data
    plain = {
        m.group(1): m.group(3)
        for m in _ENTITY_DECL.finditer(doctype.group(1))
        if _PLAIN_VALUE.fullmatch(m.group(3))
    }
    rest = data[doctype.end() :]
    if plain:
        names = b"|".join(re.escape(name) for name in plain)
        rest = re.sub(rb"&(" + names + rb");", lambda m: plain[m.group(1)], rest)
    return data[: doctype.start()] + rest


def read(source: str, data: bytes, settings: IngestSettings) -> Iterator[Article | IngestFailure]:
    """One article per entry. No external entity is fetched (feedparser's parser settings) and
    no entity declared in the feed is expanded by a parser (:func:`without_internal_subset`)."""
    import feedparser

    data = without_internal_subset(_utf8_if_wide(data))
    parsed = feedparser.parse(data, resolve_relative_uris=True, sanitize_html=True)
    feed: Mapping[str, Any] = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    bozo = parsed.get("bozo") and parsed.get("bozo_exception") is not None
    problem = str(parsed.get("bozo_exception", "")).strip() if bozo else ""
    benign = bozo and type(parsed["bozo_exception"]).__name__ in ("CharacterEncodingOverride",)
    if not entries:
        if bozo and not benign:
            raise InputError("E008", f"{problem[:100]}; no entry could be read", subject=source)
        raise InputError("E007", "the feed has no entries", subject=source)
    encoding = str(parsed.get("encoding") or "utf-8").lower()
    notes = () if encoding in ("utf-8", "us-ascii", "ascii") else (f"feed decoded as {encoding}",)
    for n, entry in enumerate(entries[: settings.max_records], start=1):
        entry_source = f"{source}#{n}"
        paras = entry_paragraphs(entry)
        title = " ".join(html_lib.unescape(str(entry.get("title") or "")).split()) or None
        if not paras:
            err = InputError("E007", f"entry {n} has neither content nor summary", subject=entry_source)
            yield IngestFailure(source=entry_source, reason=err.reason, hint=err.hint, code=err.code)
            continue
        if title and paras and paras[0] == title:
            paras = paras[1:] or paras
        sitename, site_domain = _outlet(entry, feed)
        date: object = entry.get("published_parsed") or entry.get("published")
        kind: str = "published"
        if not date:
            date = entry.get("updated_parsed") or entry.get("updated")
            kind = "updated"
        authors = [str(a.get("name")) for a in entry.get("authors") or [] if a.get("name")]
        if not authors and entry.get("author"):
            authors = [str(entry["author"])]
        yield html_reader.build_article(
            entry_source,
            paras,
            title=title,
            authors=authors,
            url=entry.get("link"),
            date=date,
            date_kind="updated" if kind == "updated" else "published",
            sitename=sitename,
            site_domain=site_domain,
            language=(str(feed.get("language")).split("-")[0].lower() or None)
            if feed.get("language")
            else None,
            input_format="feed",
            warnings=notes,
        )
    if bozo and not benign:
        raise InputError("E008", f"{problem[:120]}; {len(entries)} entries read before it", subject=source)
    if len(entries) > settings.max_records:
        raise InputError(
            "E006", f"more than {settings.max_records} entries; the rest was skipped", subject=source
        )
