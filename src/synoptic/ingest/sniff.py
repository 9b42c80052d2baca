"""What is in a file: compression, format and text encoding, told from the content.

The extension is only a tie-breaker: a ``.txt`` that holds an RSS feed is read as a feed, a
gzipped page without ``.gz`` is decompressed, and a PDF renamed ``.html`` is refused as binary.

Three steps, each on the first :data:`HEAD_BYTES` of the (decompressed) content:

1. :func:`binary_reason` refuses binary content (known magic numbers, NUL bytes that are not
   UTF-16, too many control characters);
2. :func:`sniff_format` picks one of :data:`Format`;
3. :func:`~synoptic.ingest.encoding.decode` turns bytes into text (see that module).
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

from synoptic.errors import InputError
from synoptic.ingest.encoding import HEAD_BYTES, Decoded, bom_encoding, decode, utf16_without_bom

__all__ = ["HEAD_BYTES", "Decoded", "binary_reason", "declared_charset", "decode", "sniff_format"]

Format = Literal["text", "html", "feed", "jsonl", "warc"]

GZIP_MAGIC = b"\x1f\x8b"

CONTROL_RATIO_MAX = 0.05
"""Share of C0 control characters (other than tab, newlines, form feed, escape) above which a
file is called binary. Text in any 8-bit encoding has next to none; images and archives have
about 10%."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf", "channel"})
"""RSS, Atom, RSS 1.0 (RDF) and CDF (``<CHANNEL>``, Microsoft's Channel Definition Format), all
read by feedparser."""
_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|p|h[1-6]|section|span|br|a\s|table|script)\b",
    re.IGNORECASE,
)
_ROOT_TAG = re.compile(r"<([A-Za-z][\w:.-]*)")
_PROLOG = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\]\s*)?>)*", re.DOTALL | re.IGNORECASE
)
"""XML declaration, comments and a DOCTYPE, with its internal subset (``<!DOCTYPE rss [<!ENTITY
...>]>``, common in older feeds) before the root element."""
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def is_warc(head: bytes) -> bool:
    """WARC, or its predecessor ARC (``filedesc://`` header record), which warcio reads too."""
    return head.lstrip(b"\r\n").startswith((b"WARC/1.", b"WARC/0.", b"filedesc://"))


def binary_reason(head: bytes) -> str | None:
    """Why the content is not text (``None`` when it is text in some encoding)."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"it is {what}"
    if bom_encoding(head) or utf16_without_bom(head):
        return None
    if b"\x00" in head:
        return "it contains NUL bytes"
    if not head:
        return None
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls / len(head) > CONTROL_RATIO_MAX:
        return f"{controls / len(head):.0%} of its bytes are control characters"
    return None


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or XML declaration names, if Python knows it."""
    match = _DECLARED_CHARSET.search(head[:HEAD_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _text_view(head: bytes) -> str:
    """A lenient decoding of the head, good enough to look for tags and braces."""
    bom = bom_encoding(head)
    if bom is not None:
        return head[bom[1] :].decode(bom[0], "replace")
    guessed16 = utf16_without_bom(head)
    if guessed16:
        return head.decode(guessed16, "replace")
    return head.decode("utf-8", "replace")


def sniff_format(head: bytes, name: str = "") -> Format:
    """The format of a (decompressed) file from its first bytes; ``name`` breaks ties.

    Raises :class:`InputError` ``E011`` for XML that is neither a feed nor a web page.
    """
    if is_warc(head):
        return "warc"
    view = _text_view(head).lstrip("\ufeff \t\r\n")
    lower_name = name.lower().removesuffix(".gz")
    if view.startswith("{") or (view.startswith("[") and lower_name.endswith(".json")):
        return "jsonl"
    if lower_name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if view.startswith("<"):
        body = view[_PROLOG.match(view).end() :]  # type: ignore[union-attr]  # \A(...)* always matches
        root = _ROOT_TAG.match(body)
        tag = root.group(1).lower() if root else ""
        if tag in _FEED_ROOTS or tag.rpartition(":")[2] in _FEED_ROOTS:  # <r:rss xmlns:r=...>
            return "feed"
        if _HTML_HINT.search(view[:HEAD_BYTES]):
            return "html"
        if view.startswith("<?xml"):
            raise InputError(
                "E011", f"XML with root <{tag or '?'}>, not RSS, Atom or a web page", subject=name
            )
        return "html"
    if lower_name.endswith((".html", ".htm", ".xhtml")) and _HTML_HINT.search(view[:HEAD_BYTES]):
        return "html"
    if lower_name.endswith((".rss", ".atom")) and re.search(r"<(rss|feed)\b", view[:HEAD_BYTES]):
        return "feed"
    return "text"
