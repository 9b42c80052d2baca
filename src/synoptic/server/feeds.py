"""The Atom feed of stories (RFC 4287) and the machine-readable alternates of each page.

``/stories.atom`` lists the most recently updated stories, one entry per story with its label,
outlets, the first sentences of its cited summary and links to its page and its Dossier JSON.
Built with :mod:`xml.etree.ElementTree`, which escapes every text and attribute: labels and
summaries are untrusted text from the articles.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from synoptic.records import Dossier
from synoptic.store.base import StoryRow

ATOM = "http://www.w3.org/2005/Atom"
SUMMARY_SENTENCES = 2
"""Summary sentences in a feed entry: a feed reader's preview, not the whole dossier."""


def stories_feed(
    rows: Sequence[tuple[StoryRow, Dossier | None]], base_url: str, *, show_threshold: float
) -> bytes:
    """The Atom document for ``rows`` (newest first), with links under ``base_url`` (ending in ``/``)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", "Synoptic stories")
    _text(feed, "id", base_url + "stories.atom")
    _link(feed, base_url + "stories.atom", rel="self", kind="application/atom+xml")
    _link(feed, base_url, rel="alternate", kind="text/html")
    _text(feed, "updated", max((_when(r.updated) for r, _ in rows), default=_epoch()))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Synoptic")
    _text(feed, "generator", "Synoptic")
    for row, dossier in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{base_url}story/{row.id}")
        _text(entry, "title", row.label or "(no label)")
        _text(entry, "updated", _when(row.updated))
        if row.first_seen:
            _text(entry, "published", _when(row.first_seen))
        _link(entry, f"{base_url}story/{row.id}", rel="alternate", kind="text/html")
        _link(entry, f"{base_url}stories/{row.id}", rel="alternate", kind="application/json")
        for outlet in row.outlets:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=outlet)
        plural = "s" if row.articles != 1 else ""
        lead = f"{row.articles} article{plural} from {', '.join(row.outlets) or 'unknown outlets'}."
        shown = [s.text for s in (dossier.summary if dossier else ()) if s.confidence >= show_threshold]
        sentences = shown[:SUMMARY_SENTENCES]
        _text(entry, "summary", " ".join([lead, *sentences]))
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _link(parent: ET.Element, href: str, *, rel: str, kind: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", rel=rel, type=kind, href=href)


def _when(value: str) -> str:
    """A stored ISO timestamp as RFC 3339 (Atom wants a time zone; stored naive times are UTC)."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return _epoch()
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.isoformat()


def _epoch() -> str:
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC).isoformat()


def json_alternate(path: str) -> str | None:
    """The JSON twin of a page's path: ``/`` -> ``/stories``, ``/story/X`` -> ``/story/X.json``,
    ``/article/X`` -> ``/article/X.json``; None for other paths."""
    if path == "/":
        return "/stories"
    for prefix in ("/story/", "/article/"):
        rest = path[len(prefix) :]
        if path.startswith(prefix) and rest and "/" not in rest and not rest.endswith(".json"):
            return path + ".json"
    return None
