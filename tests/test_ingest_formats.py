"""Each input form on real material: seed text files, real pages, feeds and WARCs built from them."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest

from ingest_material import PAGE_URLS, PAGES, atom_feed, page_html, page_name, rss_feed, warc_file
from synoptic.config import IngestSettings, OutletSettings
from synoptic.ingest import read_inputs
from synoptic.ingest.html import tidy
from synoptic.outlets import identify_outlet
from synoptic.records import Article, IngestFailure

SETTINGS = IngestSettings()


def read(*paths: str | Path, stdin: bytes | None = None) -> tuple[list[Article], list[IngestFailure]]:
    items = list(
        read_inputs([str(p) for p in paths], SETTINGS, stdin=io.BytesIO(stdin) if stdin is not None else None)
    )
    return [a for a in items if isinstance(a, Article)], [f for f in items if isinstance(f, IngestFailure)]


def outlet_of(article: Article) -> tuple[str, str | None, str]:
    """``(name, domain, origin)`` the outlet stage decides from what the reader found."""
    outlet = identify_outlet(article, OutletSettings()).outlet
    assert outlet is not None
    return outlet.name, outlet.domain, outlet.origin


# --------------------------------------------------------------------------- text


def test_seed_text_files(example_dir: Path) -> None:
    articles, failures = read(example_dir)
    assert not failures
    assert len(articles) == 5
    first_lines = {p.read_text(encoding="utf-8").splitlines()[0].strip() for p in example_dir.glob("*.txt")}
    assert {a.title for a in articles} == first_lines
    for art in articles:
        assert art.input_format == "text"
        assert art.provenance["title"] == "text"
        assert art.title is not None
        assert art.title not in art.paragraphs
        assert "\n\n" in art.text
        assert "\n\n\n" not in art.text
        assert art.source.endswith(".txt")


def test_text_keeps_every_line(example_dir: Path) -> None:
    path = sorted(example_dir.glob("*.txt"))[3]
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    (art,), _ = read(path)
    assert art.paragraphs == lines[1:]


def test_stdin_and_glob(example_dir: Path) -> None:
    path = sorted(example_dir.glob("*.txt"))[0]
    (from_stdin,), _ = read("-", stdin=path.read_bytes())
    assert from_stdin.source == "-"
    (from_file,), _ = read(path)
    assert from_stdin.text == from_file.text
    globbed, failures = read(str(example_dir / "00[12]_*.txt"))
    assert len(globbed) == 2
    assert not failures


# --------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("page", PAGES, ids=page_name)
def test_real_page_fixture(page: Path) -> None:
    (art,), failures = read(page)
    assert not failures
    assert art.input_format == "html"
    assert art.title
    assert art.url
    assert art.url.startswith("https://")
    name, domain, origin = outlet_of(art)
    assert domain == art.url.split("/")[2].removeprefix("www.").removeprefix("hosted.")
    assert name == {"aljazeera.com": "Al Jazeera", "ap.org": "AP", "slashgear.com": "SlashGear"}[domain]
    assert origin in ("metadata", "table")
    assert art.published is not None
    assert art.published.value is not None
    assert art.published.value.tzinfo is not None
    assert art.published.origin == "metadata"
    assert art.published.value.year == 2019
    assert art.provenance["title"] == "metadata"
    assert len(art.paragraphs) >= 5
    assert art.title not in art.paragraphs  # the repeated headline is gone
    assert not any("Follow AP's full coverage" in p for p in art.paragraphs)


def test_html_metadata_values() -> None:
    page = next(p for p in PAGES if page_name(p) == "ap-brexit")
    (art,), _ = read(page)
    # the page's site name is "hosted" (a host label, title-cased by trafilatura): the table names it
    assert art.outlet is not None
    assert art.outlet.name == "Hosted"
    assert outlet_of(art) == ("AP", "ap.org", "table")
    assert art.published is not None
    assert art.published.value is not None
    assert art.published.value.utcoffset() == dt.timedelta(hours=-5)
    assert any("KIRKA" in a for a in art.authors)
    assert art.paragraphs[0].startswith("LONDON (AP)")
    assert any(r.reason.startswith("html: end matter") for r in art.removed)


def test_uncompressed_page_without_extension(tmp_path: Path) -> None:
    page = PAGES[0]
    target = tmp_path / "download"
    target.write_bytes(page_html(page))
    (plain,), _ = read(target)
    (gz,), _ = read(page)
    assert plain.text == gz.text
    assert plain.input_format == "html"


def test_benchmark_pages(eval_dir: Path) -> None:
    pages = sorted((eval_dir / "extract" / "html").glob("*.html.gz"))[:12]
    articles, failures = read(*pages)
    assert not failures
    assert len(articles) == 12
    assert sum(a.published is not None for a in articles) >= 10
    assert sum(outlet_of(a)[2] in ("metadata", "table") for a in articles) >= 10


def test_tidy_rules() -> None:
    paras = [
        "Review",
        "Big storm hits coast",
        "The storm reached the coast on Monday, officials said.",
        "Read more: Another storm last year",
        "Roads were closed across the region.",
        "Sign up for our daily newsletter to get the news in your inbox.",
        "- Ten facts about storms",
        "Related stories",
    ]
    kept, removals = tidy(paras, title="Big storm hits coast")
    assert kept == [paras[2], paras[4]]
    assert {r.text for r in removals} == set(paras) - set(kept)
    # a long last paragraph is article text even when it mentions a newsletter
    prose = "The newsletter " + " ".join(["word"] * 80)
    assert tidy(["Intro text here.", prose], title=None)[0] == ["Intro text here.", prose]


# --------------------------------------------------------------------------- feeds


def test_rss_feed(tmp_path: Path, example_dir: Path) -> None:
    path = tmp_path / "world.rss"
    path.write_bytes(rss_feed(example_dir))
    articles, failures = read(path)
    assert not failures
    assert [a.source for a in articles] == [f"{path}#{n}" for n in range(1, 6)]
    seeds = {p.read_text(encoding="utf-8").splitlines()[0].strip() for p in example_dir.glob("*.txt")}
    assert {a.title for a in articles} == seeds
    first = articles[0]
    assert first.input_format == "feed"
    # the feed's title ("Example News") is its name; its link gives the domain
    assert outlet_of(first) == ("Example News", "example-news.com", "metadata")
    assert first.url == "https://www.example-news.com/world/0"
    assert first.authors == ("Staff reporter 0",)
    assert first.published is not None
    assert first.published.kind == "published"
    assert first.published.value == dt.datetime(2023, 3, 20, 4, 45, tzinfo=dt.UTC)
    assert len(first.paragraphs) > 3  # the full content:encoded, not the short description


def test_atom_feed_with_summaries(tmp_path: Path, example_dir: Path) -> None:
    path = tmp_path / "feed.txt"  # the extension lies: content decides
    path.write_bytes(atom_feed(example_dir))
    articles, failures = read(path)
    assert not failures
    assert len(articles) == 5
    art = articles[2]
    assert outlet_of(art)[1] == "example.org"
    assert art.published is not None
    assert art.published.kind == "updated"
    assert art.published.value == dt.datetime(2023, 3, 22, 8, tzinfo=dt.UTC)
    assert 1 <= len(art.paragraphs) <= 3
    assert "<p>" not in art.text


def test_gzipped_feed(tmp_path: Path, example_dir: Path) -> None:
    path = tmp_path / "feed.xml.gz"
    path.write_bytes(gzip.compress(rss_feed(example_dir)))
    articles, failures = read(path)
    assert len(articles) == 5
    assert not failures


# --------------------------------------------------------------------------- JSONL


def test_jsonl(tmp_path: Path, example_dir: Path) -> None:
    lines = []
    for n, path in enumerate(sorted(example_dir.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        record: dict[str, object] = {"text": body, "title": title.strip()}
        if n == 0:
            record |= {
                "url": "https://www.itv.com/news/xi-putin",
                "published": "2023-03-20T17:00:00+00:00",
                "id": "itv-1",
            }
        if n == 1:
            record |= {"outlet": "Mint", "published": 1679396940}
        lines.append(json.dumps(record, ensure_ascii=False))
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, failures = read(path)
    assert not failures
    assert len(articles) == 5
    first, second, third = articles[:3]
    assert first.source == f"{path}#itv-1"
    assert third.source == f"{path}#3"
    assert outlet_of(first) == ("ITV News", "itv.com", "table")
    assert first.provenance["published"] == "input"
    assert first.provenance["title"] == "input"
    assert outlet_of(second) == ("Mint", None, "input")
    assert second.published is not None
    assert second.published.value == dt.datetime(2023, 3, 21, 11, 9, tzinfo=dt.UTC)
    assert third.published is None
    assert third.outlet is None
    assert outlet_of(third) == ("articles#3", None, "file")


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([{"text": "One.\nTwo."}, {"title": "no text"}], indent=2), encoding="utf-8")
    articles, failures = read(path)
    assert [a.paragraphs for a in articles] == [["One.", "Two."]]
    assert len(failures) == 1
    assert failures[0].code == "E009"
    assert "item 2" in failures[0].reason


# --------------------------------------------------------------------------- WARC


@pytest.mark.parametrize("gzipped", [False, True], ids=["warc", "warc.gz"])
def test_warc(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(warc_file(gzipped=gzipped))
    articles, failures = read(path)
    assert not failures  # the PNG, the 404 and the request records are skipped silently
    assert len(articles) == len(PAGES)
    assert all(a.source.startswith(f"{path}#") and a.input_format == "warc" for a in articles)
    assert {a.url for a in articles} == set(PAGE_URLS.values())
    (direct,), _ = read(PAGES[0])
    assert articles[0].text == direct.text


def test_warc_date_is_the_fallback(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = b"<html><head><title>Plain</title></head><body><article>" + b"<p>A sentence of the story.</p>" * 40
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(
        writer.create_warc_record(
            "https://www.bbc.co.uk/news/x",
            "response",
            payload=io.BytesIO(body + b"</article></body></html>"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2023-03-21T10:00:00Z"},
        )
    )
    path = tmp_path / "one.warc.gz"
    path.write_bytes(out.getvalue())
    (art,), _ = read(path)
    assert outlet_of(art)[:2] == ("BBC News", "bbc.co.uk")
    assert art.published is not None
    assert art.published.kind == "inferred"
    assert art.published.origin == "inferred"
    assert art.published.value == dt.datetime(2023, 3, 21, 10, tzinfo=dt.UTC)


def test_body_cut_by_ad_rows_is_joined(tmp_path: Path, example_dir: Path) -> None:
    """A body split into repeated containers (ad rows between them) is read whole; a comment
    thread and a one-line footer reusing the same markup are not."""
    import html as html_lib

    path = sorted(example_dir.glob("*.txt"))[4]
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    title, paras = lines[0], [p for p in lines[1:] if len(p.split()) >= 12 and p.endswith((".", '"', "”"))]
    assert len(paras) >= 8

    def part(chunk: list[str]) -> str:
        ps = "".join(f"<p>{html_lib.escape(p)}</p>" for p in chunk)
        return f'<div class="grid"><div class="body article__body">{ps}</div><div class="rail"></div></div>'

    comments = ["I disagree with every word of this piece, frankly speaking, as usual."] * 3
    footer = ["Copyright 2023 Example Media, all rights reserved worldwide, every one of them."]
    page = (
        f"<html><head><title>{html_lib.escape(title)}</title></head><body>"
        f"<header><h1>{html_lib.escape(title)}</h1></header>{part(paras[:4])}"
        '<div class="row full-bleed-ad"><span>Advertisement</span></div>'
        f"{part(paras[4:8])}"
        f'<section id="comments">{part(comments)}</section>{part(footer)}'
        "</body></html>"
    )
    target = tmp_path / "split.html"
    target.write_text(page, encoding="utf-8")
    (art,), failures = read(target)
    assert not failures
    assert art.paragraphs == paras[:8]


def test_page_dates_refined_and_updated_marked(tmp_path: Path) -> None:
    import re

    aljazeera = next(p for p in PAGES if page_name(p) == "aljazeera-afghanistan-helicopter")
    (art,), _ = read(aljazeera)
    assert art.published is not None  # htmldate gives the bare day; JSON-LD adds the time
    assert art.published.value == dt.datetime(2019, 11, 20, 8, 2, tzinfo=dt.UTC)
    assert art.published.kind == "published"

    ap = page_html(next(p for p in PAGES if page_name(p) == "ap-brexit")).decode("utf-8")
    only_modified = re.sub(r'<meta property="article:published_time"[^>]*>', "", ap)
    path = tmp_path / "updated.html"
    path.write_text(only_modified, encoding="utf-8")
    (art,), _ = read(path)
    assert art.published is not None
    assert art.published.kind == "updated"
    assert art.published.value == dt.datetime(2019, 11, 20, 11, 2, 20, tzinfo=dt.UTC)
