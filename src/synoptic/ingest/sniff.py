"""What is in a file: compression, format and text encoding, told from the content.

The extension is only a tie-breaker: a ``.txt`` that holds an RSS feed is read as a feed, a
gzipped page without ``.gz`` is decompressed, and a PDF renamed ``.html`` is refused as binary.

Three steps, each on the first :data:`HEAD_BYTES` of the (decompressed) content:

1. :func:`binary_reason` refuses binary content (known magic numbers, NUL bytes that are not
   UTF-16, too many control characters);
2. :func:`sniff_format` picks one of :data:`Format`;
3. :func:`decode` turns bytes into text: byte-order marks, UTF-16 without BOM, the charset the
   document declares, strict UTF-8, then charset-normalizer's guess (Latin-1, cp1252, ...).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

from synoptic.errors import InputError

Format = Literal["text", "html", "feed", "jsonl", "warc"]

HEAD_BYTES = 64 * 1024
"""How much of the start of a file the sniffers look at."""

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

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_LATIN_COUSINS = frozenset(
    codecs.lookup(name).name
    for name in (
        "latin-1",
        "iso8859-2",
        "iso8859-3",
        "iso8859-4",
        "iso8859-9",
        "iso8859-10",
        "iso8859-13",
        "iso8859-14",
        "iso8859-15",
        "iso8859-16",
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "cp850",
        "cp437",
        "mac-roman",
        "mac-latin2",
    )
)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|p|h[1-6]|section|span|br|a\s|table|script)\b",
    re.IGNORECASE,
)
_ROOT_TAG = re.compile(r"<([A-Za-z][\w:.-]*)")
_PROLOG = re.compile(r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and how it was decoded."""

    text: str
    encoding: str
    """Python codec name (``utf-8``, ``utf-16-le``, ``cp1252``, ...)."""
    how: Literal["bom", "declared", "utf-8", "detected", "heuristic"]

    def note(self) -> str | None:
        """A warning for the article when the encoding was not plain UTF-8."""
        if self.encoding in ("utf-8", "ascii") and self.how in ("utf-8", "declared"):
            return None
        return f"decoded as {self.encoding} ({self.how})"


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def is_warc(head: bytes) -> bool:
    return head.lstrip(b"\r\n").startswith((b"WARC/1.", b"WARC/0."))


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when the bytes look like UTF-16 text without a BOM.

    Latin-script UTF-16 has a NUL in every other byte; binary data has NULs everywhere.
    """
    sample = head[: 4096 - (len(head[:4096]) % 2)]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.4 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.4 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def binary_reason(head: bytes) -> str | None:
    """Why the content is not text (``None`` when it is text in some encoding)."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"it is {what}"
    if any(head.startswith(bom) for bom, _ in _BOMS) or utf16_without_bom(head):
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


def decode(data: bytes, source: str, *, declared: str | None = None, partial: bool = False) -> Decoded:
    """Bytes to text. ``partial``: the bytes may end in the middle of a character (truncated input).

    Raises :class:`InputError` ``E004`` when no encoding fits.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom) :], enc, partial), enc, "bom")
    guessed16 = utf16_without_bom(data[:HEAD_BYTES])
    if guessed16:
        try:
            return Decoded(_strict(data, guessed16, partial), guessed16, "heuristic")
        except UnicodeDecodeError:
            pass
    # A declared UTF-16/32 on a document that we just read as ASCII-compatible is a lie.
    if declared and not declared.startswith(("utf-16", "utf-32")):
        try:
            return Decoded(_strict(data, declared, partial), declared, "declared")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(_strict(data, "utf-8", partial), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * HEAD_BYTES]).best()
    if best is not None:
        enc = codecs.lookup(best.encoding).name
        # On short Western text the detector's pick among 8-bit Latin code pages is a coin toss
        # (cp1250 vs cp1252 differ in a few letters); windows-1252 is by far the most common on
        # the web (WHATWG reads "latin-1" labels as windows-1252), so it wins when it fits.
        if enc in _LATIN_COUSINS:
            try:
                return Decoded(_strict(data, "cp1252", partial), "cp1252", "detected")
            except UnicodeDecodeError:
                pass
        try:
            return Decoded(_strict(data, enc, partial), enc, "detected")
        except UnicodeDecodeError:
            pass
    raise InputError("E004", "not UTF-8, and no other encoding fits", subject=source)


def _strict(data: bytes, encoding: str, partial: bool) -> str:
    if not partial:
        return data.decode(encoding)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    return decoder.decode(data, final=False)  # drops an incomplete trailing character


def _text_view(head: bytes) -> str:
    """A lenient decoding of the head, good enough to look for tags and braces."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(enc, "replace")
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
        if tag in _FEED_ROOTS:
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
