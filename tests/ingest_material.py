"""Real-looking inputs that the ingestion tests build from real material (fixture pages, seeds).

A feed or a WARC is built here from the bundled real pages, so every format is tested on real
article text without network access or stored feed files.
"""

from __future__ import annotations

import gzip
import html
import io
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = sorted((FIXTURES / "html").glob("*.html.gz"))
PAGE_URLS = {
    "aljazeera-afghanistan-helicopter": "https://www.aljazeera.com/news/2019/11/service-members-killed-afghanistan-helicopter-crash-191120070028895.html",
    "ap-brexit": "https://hosted.ap.org/citizensvoice/article/2896af5086674d4bbbbd454dec217c63/uk-tories-under-fire-twitter-name-switch-during-debate",
    "slashgear-vw-vizzion": "https://www.slashgear.com/the-vw-id-space-vizzion-is-a-weird-ev-sports-wagon-with-a-secret-message-19600475/",
}


def page_html(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def page_name(path: Path) -> str:
    return path.name.removesuffix(".html.gz")


def seed_articles(example_dir: Path) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of the five seed articles."""
    out = []
    for path in sorted(example_dir.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out.append((lines[0], lines[1:]))
    return out


def rss_feed(example_dir: Path) -> bytes:
    """An RSS 2.0 feed as outlets publish it: full text in content:encoded, a description, RFC 822
    dates, a dc:creator; the entries are the seed articles."""
    items = []
    for n, (title, paras) in enumerate(seed_articles(example_dir)):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        items.append(
            f"""  <item>
    <title>{html.escape(title)}</title>
    <link>https://www.example-news.com/world/{n}</link>
    <guid isPermaLink="false">seed-{n}</guid>
    <dc:creator>Staff reporter {n}</dc:creator>
    <pubDate>Mon, 20 Mar 2023 {10 + n}:15:00 +0530</pubDate>
    <description>{html.escape(paras[0][:150])}</description>
    <content:encoded><![CDATA[{body}]]></content:encoded>
  </item>"""
        )
    return (
        """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Example News - World</title>
  <link>https://www.example-news.com/world</link>
  <description>World news</description>
  <language>en-gb</language>
  <atom:link href="https://www.example-news.com/world/rss.xml" rel="self" type="application/rss+xml"/>
"""
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    ).encode("utf-8")


def atom_feed(example_dir: Path) -> bytes:
    """An Atom feed with HTML summaries only (no full content) and updated dates only."""
    entries = []
    for n, (title, paras) in enumerate(seed_articles(example_dir)):
        summary = html.escape("".join(f"<p>{html.escape(p)}</p>" for p in paras[:3]))
        entries.append(
            f"""  <entry>
    <title>{html.escape(title)}</title>
    <link href="https://news.example.org/2023/03/{n}" rel="alternate"/>
    <id>tag:news.example.org,2023:{n}</id>
    <updated>2023-03-2{n}T08:00:00Z</updated>
    <author><name>Desk {n}</name></author>
    <summary type="html">{summary}</summary>
  </entry>"""
        )
    return (
        """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Org News</title>
  <link href="https://news.example.org/" rel="alternate"/>
  <id>tag:news.example.org,2023:feed</id>
  <updated>2023-03-24T08:00:00Z</updated>
"""
        + "\n".join(entries)
        + "\n</feed>\n"
    ).encode("utf-8")


def warc_file(*, gzipped: bool) -> bytes:
    """A crawl as CC-NEWS stores it: a warcinfo record, then per page a request and a response
    record, plus a PNG response and a 404 that must be skipped."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "synoptic-tests"}))
    for path in PAGES:
        url = PAGE_URLS[page_name(path)]
        body = page_html(path)
        req = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=StatusAndHeaders("GET / HTTP/1.1", [])
        )
        writer.write_record(req)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        rec = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2019-11-21T10:00:00Z"},
        )
        writer.write_record(rec)
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    writer.write_record(
        writer.create_warc_record(
            "https://www.example-news.com/logo.png",
            "response",
            payload=io.BytesIO(png),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"),
        )
    )
    missing = b"<html><body><h1>Not found</h1></body></html>"
    writer.write_record(
        writer.create_warc_record(
            "https://www.example-news.com/gone",
            "response",
            payload=io.BytesIO(missing),
            http_headers=StatusAndHeaders(
                "404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            ),
        )
    )
    return out.getvalue()
