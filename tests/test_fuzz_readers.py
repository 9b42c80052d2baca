"""Fuzzing the readers and the cleaning: whatever the bytes, the only exceptions are the project's
own error types (a per-item ``InputError``), and reading a file never reports ``E014`` (which
means an exception escaped a parser: a bug). Example counts are modest for CI time."""

from __future__ import annotations

import contextlib
import gzip
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synoptic.clean import clean_article
from synoptic.config import CleanSettings, IngestSettings
from synoptic.errors import InputError
from synoptic.ingest import feed as feed_reader
from synoptic.ingest import html as html_reader
from synoptic.ingest.encoding import decode
from synoptic.ingest.jsonl import record_to_article
from synoptic.ingest.sniff import binary_reason, sniff_format
from synoptic.ingest.sources import read_item
from synoptic.records import Article, IngestFailure

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
ENCODINGS = st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "cp1252", "latin-1", "cp1251"])


@st.composite
def encoded(draw: st.DrawFn, template: str) -> bytes:
    """``template`` with each ``{}`` filled by random text, encoded somehow, bytes perhaps damaged."""
    parts = template.split("{}")
    filled = parts[0] + "".join(draw(TEXT) + p for p in parts[1:])
    data = filled.encode(draw(ENCODINGS), "replace")
    for _ in range(draw(st.integers(0, 3))):  # stray bytes: flipped, cut, inserted
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at + 1 :]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


HTML = (
    "<!DOCTYPE html><html><head><meta charset='{}'><title>{}</title></head>"
    "<body><article><h1>{}</h1><p>{}</p><p>{}</p></article></body></html>"
)
FEED = (
    "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY e '{}'>]><rss version='2.0'><channel><title>{}</title>"
    "<item><title>{}&e;</title><description><![CDATA[<p>{}</p>]]></description></item></channel></rss>"
)
ATOM = (
    "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title type='html'>{}</title>"
    "<content type='xhtml'><div>{}</div></content></entry></feed>"
)
WARC = (
    "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {}\r\n"
    "Content-Type: application/http; msgtype=response\r\nContent-Length: 80\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>{}</p>\r\n\r\n"
)
ARC = (
    "filedesc://x.arc 0.0.0.0 20140216050221 text/plain 10\n1 0 {}\n\n"
    "http://e.com/ 1.2.3.4 20140216050221 text/html 60\n"
    "HTTP/1.1 200 OK\nContent-Type: text/html\n\n<p>{}</p>\n"
)
TEXTFILE = "{}\n{}\n\n{}"

ANY_INPUT = st.one_of(
    st.binary(max_size=2000),
    encoded(HTML),
    encoded(FEED),
    encoded(ATOM),
    encoded(WARC),
    encoded(ARC),
    encoded(TEXTFILE),
    st.lists(st.one_of(TEXT, st.dictionaries(TEXT, TEXT, max_size=3)), max_size=4).map(
        lambda items: "\n".join(json.dumps(i) for i in items).encode()
    ),
)
NAMES = st.sampled_from(["a.txt", "a.html", "a.rss", "a.xml", "a.jsonl", "a.json", "a.warc", "a.arc", "a"])


@FUZZ
@given(data=ANY_INPUT, declared=st.none() | ENCODINGS | st.just("utf-8"), partial=st.booleans())
def test_decode_and_sniff(data: bytes, declared: str | None, partial: bool) -> None:
    binary_reason(data)
    with contextlib.suppress(InputError):
        sniff_format(data, "x.html")
    try:
        decoded = decode(data, "x", declared=declared, partial=partial)
    except InputError as err:
        code = err.code
    else:
        assert isinstance(decoded.text, str)
        decoded.note()
        code = None
    assert code in (None, "E004")


@FUZZ
@given(data=ANY_INPUT)
def test_html_reader(data: bytes) -> None:
    try:
        article = html_reader.read("x.html", data)
    except InputError:
        return
    clean_article(article, CleanSettings())


@FUZZ
@given(data=ANY_INPUT)
def test_feed_reader(data: bytes) -> None:
    try:
        for item in feed_reader.read("x.rss", data, IngestSettings()):
            if isinstance(item, Article):
                clean_article(item, CleanSettings())
    except InputError:
        return


@FUZZ
@given(
    obj=st.recursive(
        st.none() | st.booleans() | st.integers() | TEXT,
        lambda c: st.lists(c) | st.dictionaries(TEXT, c),
        max_leaves=8,
    ),
    text=TEXT,
)
def test_jsonl_records(obj: object, text: str) -> None:
    for value in (obj, {"text": text, "title": obj}, {"text": text, "published": obj, "authors": obj}):
        try:
            article = record_to_article("x.jsonl", 1, value)
        except ValueError:  # the documented way a record is refused (the reader makes it E009)
            continue
        clean_article(article, CleanSettings())


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=ANY_INPUT, name=NAMES, compress=st.booleans())
def test_any_file_gives_articles_or_coded_failures(
    tmp_path_factory: object, data: bytes, name: str, compress: bool
) -> None:
    root = Path(tmp_path_factory.getbasetemp()) / "fuzz"  # type: ignore[attr-defined]
    root.mkdir(exist_ok=True)
    path = root / (name + (".gz" if compress else ""))
    path.write_bytes(gzip.compress(data) if compress else data)
    for item in read_item(str(path), IngestSettings()):
        if isinstance(item, IngestFailure):
            assert item.code != "E014", item.message()
        else:
            assert isinstance(item, Article)
            clean_article(item, CleanSettings())
