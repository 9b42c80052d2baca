"""Decoding that keeps the article: a few bad bytes are repaired and counted, not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest_material import PAGES, page_html
from synoptic.config import IngestSettings
from synoptic.errors import InputError
from synoptic.ingest import read_inputs
from synoptic.ingest.encoding import decode, utf16_without_bom
from synoptic.records import Article, IngestFailure

UTF8_LINE = "Zürich and Genève are “cities”, said Müller.\n"


def test_utf8_with_a_stray_cp1252_byte_keeps_its_utf8() -> None:
    # the case of the issue: a UTF-8 page with one cp1252 curly quote read whole as Mac Icelandic
    data = UTF8_LINE.encode() * 20 + "In Genève he said ".encode() + b"\x93no\x94 to M\xfcller.\n"
    decoded = decode(data, "x")
    assert "Zürich and Genève are “cities”" in decoded.text
    assert "In Genève he said “no” to Müller." in decoded.text
    assert "√" not in decoded.text
    assert decoded.repaired == 3
    assert "3 stray bytes" in (decoded.note() or "")


def test_declared_utf8_with_one_bad_byte_in_an_ascii_line() -> None:
    data = b'<meta charset="utf-8"><p>' + UTF8_LINE.encode() + b"<p>It\x92s plain ASCII here.</p>"
    decoded = decode(data, "x", declared="utf-8")
    assert "It’s plain ASCII here." in decoded.text
    assert "Zürich" in decoded.text
    assert "not UTF-8" in (decoded.note() or "")


def test_bom_then_latin1_is_read_not_a_bug() -> None:
    decoded = decode(b"\xef\xbb\xbf" + "Café in Zürich, señor\n".encode("latin-1"), "x")
    assert decoded.text == "Café in Zürich, señor\n"


def test_file_mixing_utf8_and_cp1252_lines() -> None:
    data = UTF8_LINE.encode() * 3 + "Café señor façade “quoted”\n".encode("cp1252") * 3
    decoded = decode(data, "x")
    assert decoded.text == UTF8_LINE * 3 + "Café señor façade “quoted”\n" * 3
    assert decoded.other_lines == 3


def test_file_mixing_utf8_and_cp1251_blocks() -> None:
    russian = "Привет мир, это текст на русском языке, и его много. " * 6 + "\n"
    decoded = decode(UTF8_LINE.encode() * 3 + russian.encode("cp1251") * 2, "x")
    assert decoded.text == UTF8_LINE * 3 + russian * 2


def test_whole_file_in_one_code_page_reads_as_before() -> None:
    assert decode("Привет мир, это текст. ".encode("cp1251") * 20, "x").encoding == "cp1251"
    decoded = decode("Café prices rise in Zürich\n".encode("latin-1"), "x")
    assert (decoded.encoding, decoded.how) == ("cp1252", "detected")
    # cp1252 leaves five bytes undefined: read as Latin-1 (as browsers do), not refused
    assert decode(b"Caf\xe9 \x81 ok\n", "x").text == "Café \x81 ok\n"


def test_declared_code_page_with_a_few_bad_bytes_is_still_trusted() -> None:
    data = "Ελληνικά κείμενα εδώ. ".encode("iso8859-7") * 50 + b"\xff"
    decoded = decode(data, "x", declared="iso8859-7")
    assert decoded.encoding == "iso8859-7"
    assert decoded.repaired == 1
    assert "Ελληνικά" in decoded.text


def test_mostly_undecodable_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        decode(bytes(range(128, 256)) * 10, "x")
    assert caught.value.code == "E004"


def test_truncated_utf8_with_stray_bytes() -> None:
    data = UTF8_LINE.encode() + b"caf\xe9 " + "Straße".encode()[:-1]
    assert decode(data, "x", partial=True).text == UTF8_LINE + "café Straß"


def test_utf32_without_bom_is_sniffed() -> None:
    data = "<rss><channel><title>Grüße</title></channel></rss>".encode("utf-32-le")
    assert utf16_without_bom(data) == "utf-32-le"
    assert utf16_without_bom("<rss>Grüße</rss>".encode("utf-32-be")) == "utf-32-be"
    assert decode(data, "x").text.startswith("<rss>")


def _read(path: Path) -> tuple[list[Article], list[IngestFailure]]:
    items = list(read_inputs([str(path)], IngestSettings()))
    return [a for a in items if isinstance(a, Article)], [f for f in items if isinstance(f, IngestFailure)]


def test_html_page_with_one_invalid_byte_gives_its_article(tmp_path: Path) -> None:
    page = page_html(PAGES[0])
    cut = page.index(b"<p>", len(page) // 3) + 3
    path = tmp_path / "page.html"
    path.write_bytes(page[:cut] + b"\xff" + page[cut:])
    (article,), failures = _read(path)
    assert not failures
    whole = _read_bytes(tmp_path / "whole.html", page)
    assert len(article.text) >= len(whole.text)
    assert any("stray bytes" in w or "not UTF-8" in w for w in article.warnings)


def _read_bytes(path: Path, data: bytes) -> Article:
    path.write_bytes(data)
    (article,), _ = _read(path)
    return article
