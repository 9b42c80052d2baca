"""Bytes to text without losing an article to a few bad bytes.

The order, as a browser would read a page:

1. a byte-order mark names the encoding; UTF-16 without a BOM is recognised by its NULs;
2. a charset the document declares (or the HTTP header names) is used when it decodes the bytes;
3. strict UTF-8;
4. otherwise the bytes are read **line by line**: a line that is valid UTF-8 stays UTF-8; a line
   with valid UTF-8 sequences and a few stray bytes (a cp1252 curly quote pasted into a UTF-8
   page) keeps its UTF-8 and reads each stray byte as cp1252; the lines with no UTF-8 at all
   (a file in one 8-bit code page, or the Latin-1 half of a file that mixes two encodings) are
   decoded together in the encoding charset-normalizer detects for them (cp1252 when it picks
   one of the Western code pages, or when there is too little text to tell).

A BOM or a declared charset that fails on a few bytes is still trusted for the rest: the
undecodable bytes are read as cp1252 (UTF-8) or replaced (other encodings), and the count is
recorded in the article's warnings. Only text that is mostly undecodable is refused (``E004``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

from synoptic.errors import InputError

HEAD_BYTES = 64 * 1024
"""How much of a document the detectors look at."""

MAX_BAD_SHARE = 0.01
"""A declared or BOM encoding is trusted when at most this share of the bytes (and at least
:data:`MIN_BAD_ALLOWED`) fail to decode: a stray byte or two in a long page, not another encoding."""
MIN_BAD_ALLOWED = 8

MAX_UNDETECTED_NON_ASCII = 0.3
"""Lines that are not UTF-8, in no encoding the detector can name, and with more than this share
of non-ASCII bytes are noise, not text (Western text in cp1252 has a few percent)."""

MIN_DETECT_BYTES = 32
"""Fewer non-ASCII bytes than this give a detector nothing to go on: they are read as cp1252."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

LATIN_COUSINS = frozenset(
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
        "mac-iceland",
        "mac-turkish",
    )
)
"""8-bit Western code pages the detector confuses on short text; cp1252 stands for them all
(WHATWG reads "latin-1" labels as windows-1252 too)."""

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_STRAY = re.compile("[\udc80-\udcff]")
"""A byte that is not UTF-8, as the ``surrogateescape`` error handler gives it back."""

_LATIN1_AS_CP1252 = {
    b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
"""Latin-1 text to cp1252: the 27 characters cp1252 puts at 0x80-0x9F (browsers read the five
bytes it leaves undefined as Latin-1, as here)."""
_STRAY_AS_CP1252 = {0xDC00 + b: chr(b).translate(_LATIN1_AS_CP1252) for b in range(0x80, 0x100)}

How = Literal["bom", "declared", "utf-8", "detected", "heuristic", "per-line"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and how it was decoded."""

    text: str
    encoding: str
    """Python codec name (``utf-8``, ``utf-16-le``, ``cp1252``, ...); per line: the main one."""
    how: How
    repaired: int = 0
    """Bytes the main encoding could not decode, read as cp1252 or replaced by U+FFFD."""
    other: str | None = None
    """Per line: the encoding of the lines that were not UTF-8."""
    other_lines: int = 0

    def note(self) -> str | None:
        """A warning for the article when the encoding was not plain UTF-8."""
        if self.how == "per-line":
            parts = []
            if self.other_lines:
                lines = "line" if self.other_lines == 1 else "lines"
                parts.append(f"{self.other_lines} {lines} not UTF-8, decoded as {self.other}")
            if self.repaired:
                parts.append(f"{self.repaired} stray bytes in UTF-8 lines read as cp1252")
            return "mixed encoding: " + "; ".join(parts) if parts else None
        repaired = f"; {self.repaired} undecodable bytes replaced" if self.repaired else ""
        if self.encoding in ("utf-8", "ascii") and self.how in ("utf-8", "declared") and not repaired:
            return None
        return f"decoded as {self.encoding} ({self.how}){repaired}"


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """``(encoding, BOM length)`` when ``data`` starts with a byte-order mark."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` / ``utf-32-le`` / ``utf-32-be`` when the bytes look like
    UTF-16 or UTF-32 text without a BOM.

    Latin-script UTF-16 has a NUL in every other byte, UTF-32 three NULs in every four; binary
    data has NULs everywhere.
    """
    sample = head[: 4096 - (len(head[:4096]) % 4)]
    if len(sample) < 8:
        return None
    lanes = [sample[i::4] for i in range(4)]
    zeros = [lane.count(0) / len(lane) for lane in lanes]
    if zeros[0] < 0.05 and min(zeros[1:]) > 0.9:
        return "utf-32-le"
    if zeros[3] < 0.05 and min(zeros[:3]) > 0.9:
        return "utf-32-be"
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.4 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.4 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, source: str, *, declared: str | None = None, partial: bool = False) -> Decoded:
    """Bytes to text (see the module doc). ``partial``: the bytes may end in the middle of a
    character (truncated input); the incomplete character is dropped.

    Raises :class:`InputError` ``E004`` when the text is mostly undecodable.
    """
    bom = bom_encoding(data)
    if bom is not None:
        enc, skip = bom
        return _trusted(data[skip:], enc, "bom", source, partial)
    guessed16 = utf16_without_bom(data[:HEAD_BYTES])
    if guessed16:
        try:
            return Decoded(_strict(data, guessed16, partial), guessed16, "heuristic")
        except UnicodeDecodeError:
            pass
    # A declared UTF-16/32 on a document that we just read as ASCII-compatible is a lie.
    if declared and not declared.startswith(("utf-16", "utf-32")):
        if declared == "utf-8":
            return _trusted(data, "utf-8", "declared", source, partial)
        try:
            return Decoded(_strict(data, declared, partial), declared, "declared")
        except UnicodeDecodeError:
            pass
        bad = _count_bad(data, declared)
        if bad <= _allowed_bad(len(data)) and not _utf8_share_is_high(data):
            return Decoded(data.decode(declared, "replace"), declared, "declared", repaired=bad)
    try:
        return Decoded(_strict(data, "utf-8", partial), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    return _per_line(data, source, partial)


def _trusted(data: bytes, enc: str, how: How, source: str, partial: bool) -> Decoded:
    """The encoding a BOM or declaration names, kept for all but a few bytes."""
    try:
        return Decoded(_strict(data, enc, partial), enc, how)
    except UnicodeDecodeError:
        pass
    if enc == "utf-8":
        # UTF-8 with stray bytes, or another 8-bit encoding behind a UTF-8 label/BOM
        return _per_line(data, source, partial)
    bad = _count_bad(data, enc)
    if bad <= _allowed_bad(len(data)):
        return Decoded(data.decode(enc, "replace"), enc, how, repaired=bad)
    raise InputError("E004", f"{bad} of {len(data)} bytes are not {enc} though it says so", subject=source)


def _per_line(data: bytes, source: str, partial: bool) -> Decoded:
    """UTF-8 where lines are UTF-8 (stray bytes in them read as cp1252), the other lines in the
    encoding detected for them together."""
    if partial:
        data = _drop_incomplete_utf8(data)
    lines = data.splitlines(keepends=True)
    texts: list[str] = []
    foreign: list[int] = []
    repaired = 0
    for i, line in enumerate(lines):
        text = line.decode("utf-8", "surrogateescape")  # a stray byte b becomes U+DC00+b
        stray = len(_STRAY.findall(text))
        if stray and len(text) == len(line):  # not one multi-byte UTF-8 character in the line
            foreign.append(i)
        elif stray:
            text = text.translate(_STRAY_AS_CP1252)
            repaired += stray
        texts.append(text)
    other = None
    if foreign:
        other = _detect(b"".join(lines[i] for i in foreign), source)
        for i in foreign:
            texts[i] = _decode_8bit(lines[i], other)
    text = "".join(texts)
    skip = set(foreign)
    utf8_beyond_ascii = any(_NON_ASCII.search(line) for i, line in enumerate(lines) if i not in skip)
    if foreign and not utf8_beyond_ascii:
        # no line is UTF-8 beyond ASCII: the whole file is in the other encoding
        return Decoded(text, other or "cp1252", "detected")
    return Decoded(text, "utf-8", "per-line", repaired=repaired, other=other, other_lines=len(foreign))


def _detect(block: bytes, source: str) -> str:
    """The encoding of the lines that are not UTF-8; cp1252 for Western code pages and for
    too little text to tell. Raises ``E004`` when they look like noise."""
    sample = block[: 4 * HEAD_BYTES]
    non_ascii = len(_NON_ASCII.findall(sample))
    if non_ascii < MIN_DETECT_BYTES:
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        if non_ascii > MAX_UNDETECTED_NON_ASCII * len(sample):
            raise InputError("E004", "not UTF-8, and no other encoding fits", subject=source)
        return "cp1252"
    enc = codecs.lookup(best.encoding).name
    if enc in LATIN_COUSINS or enc in ("utf-8", "ascii"):
        return "cp1252"
    return enc


def _decode_8bit(line: bytes, enc: str) -> str:
    if enc == "cp1252":
        return line.decode("latin-1").translate(_LATIN1_AS_CP1252)
    return line.decode(enc, "replace")


def _count_bad(data: bytes, enc: str) -> int:
    """How many characters ``enc`` cannot decode (each replaced by U+FFFD)."""
    return data.decode(enc, "replace").count("\ufffd") - data.decode(enc, "ignore").count("\ufffd")


def _allowed_bad(size: int) -> int:
    return max(MIN_BAD_ALLOWED, int(size * MAX_BAD_SHARE))


def _utf8_share_is_high(data: bytes) -> bool:
    """Whether most non-ASCII bytes form valid UTF-8 (a page declared in one code page but
    written in UTF-8 is better read as UTF-8)."""
    non_ascii = len(_NON_ASCII.findall(data))
    if not non_ascii:
        return False
    text = data.decode("utf-8", "ignore")
    return sum(len(ch.encode()) for ch in text if ord(ch) > 127) > non_ascii / 2


def _drop_incomplete_utf8(data: bytes) -> bytes:
    """``data`` without a UTF-8 sequence cut off at its end."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= need else data[:-back]
    return data


def _strict(data: bytes, encoding: str, partial: bool) -> str:
    if not partial:
        return data.decode(encoding)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    return decoder.decode(data, final=False)  # drops an incomplete trailing character
