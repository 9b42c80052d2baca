"""Every bad input of the foundation issue: one line per bad item, the rest processed, exit codes."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from ingest_material import PAGES, page_html, rss_feed
from synoptic.cli import main
from synoptic.config import IngestSettings
from synoptic.errors import ExitCode
from synoptic.ingest import read_inputs
from synoptic.ingest.sniff import binary_reason, decode, sniff_format
from synoptic.records import Article, IngestFailure

SETTINGS = IngestSettings()
LATIN1_TEXT = "Café prices rise\nThe café in Zürich raised prices by 5 €uros; señor Müller was not pleased.\n"


def read(
    *paths: str | Path, settings: IngestSettings = SETTINGS
) -> tuple[list[Article], list[IngestFailure]]:
    items = list(read_inputs([str(p) for p in paths], settings))
    return [a for a in items if isinstance(a, Article)], [f for f in items if isinstance(f, IngestFailure)]


def one_failure(path: Path, code: str) -> IngestFailure:
    articles, failures = read(path)
    assert not articles
    assert len(failures) == 1, failures
    failure = failures[0]
    assert failure.code == code
    assert failure.source == str(path)
    assert "\n" not in failure.message()
    return failure


# --------------------------------------------------------------------------- one item each


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    one_failure(path, "E002")
    path.write_bytes(b"  \n\n\t\n")
    one_failure(path, "E002")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (os.urandom(4096), ""),
        (b"%PDF-1.7\n" + os.urandom(2000), "PDF"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "PNG"),
        (b"PK\x03\x04" + os.urandom(2000), "ZIP"),
    ],
    ids=["random", "pdf", "png", "zip"],
)
def test_binary_file(tmp_path: Path, data: bytes, why: str) -> None:
    path = tmp_path / "article.html"
    path.write_bytes(data)
    failure = one_failure(path, "E003")
    assert why in failure.reason


def test_latin1_and_cp1252_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(LATIN1_TEXT.replace("€", "E").encode("latin-1"))
    (art,), failures = read(path)
    assert not failures
    assert art.title == "Café prices rise"
    assert "Zürich" in art.text
    assert "señor Müller" in art.text
    assert any("decoded as" in w for w in art.warnings)
    path.write_bytes(LATIN1_TEXT.encode("cp1252"))
    (art,), _ = read(path)
    assert "5 €uros" in art.text


def test_latin1_html_with_declared_charset(tmp_path: Path) -> None:
    html = page_html(PAGES[0]).decode("utf-8").replace("charset=utf-8", "charset=iso-8859-1")
    html = html.replace("Afghanistan", "Afghanistán")
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("latin-1", "replace"))
    (art,), _ = read(path)
    assert "Afghanistán" in art.text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_files(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(LATIN1_TEXT.encode(encoding))
    (art,), failures = read(path)
    assert not failures
    assert art.title == "Café prices rise"
    assert "5 €uros" in art.text


def test_truncated_gzip_keeps_what_was_readable(tmp_path: Path) -> None:
    whole = page_html(PAGES[1])
    packed = gzip.compress(whole)
    path = tmp_path / "page.html.gz"
    path.write_bytes(packed[: len(packed) * 9 // 10])
    articles, failures = read(path)
    assert [f.code for f in failures] == ["E005"]
    assert "truncated" in failures[0].reason
    assert len(articles) == 1
    assert len(articles[0].paragraphs) >= 3
    # cut inside the gzip header: nothing readable, one failure
    path.write_bytes(packed[:12])
    one_failure(path, "E005")


def test_truncated_text_gzip_cut_mid_character(tmp_path: Path) -> None:
    text = ("Überschrift\n" + "Grüße aus München, schöne Straße. " * 4000).encode("utf-8")
    packed = gzip.compress(text)
    path = tmp_path / "text.txt.gz"
    path.write_bytes(packed[: len(packed) // 2])
    articles, failures = read(path)
    assert [f.code for f in failures] == ["E005"]
    assert articles[0].title == "Überschrift"
    assert "München" in articles[0].text


def test_malformed_html(tmp_path: Path) -> None:
    # unclosed tags, stray closers, a broken attribute, no <html>/<body>: lxml recovers
    page = page_html(PAGES[2]).decode("utf-8")
    start = page.index("<p>")
    broken = "<div class='x><p>Broken start" + page[start:].replace("</p>", "", 20).replace(
        "</div>", "</span>"
    )
    path = tmp_path / "broken.html"
    path.write_text(broken[: len(broken) // 2], encoding="utf-8")
    (art,), failures = read(path)
    assert not failures
    assert len(art.paragraphs) >= 3
    # a page with markup but no article text: one clear line
    path.write_text("<html><body><div><a href='/'>Home</a></div></body></html>", encoding="utf-8")
    one_failure(path, "E007")


@pytest.mark.parametrize(
    "body",
    ["<p>hi</p>", "hi", "<h1>404</h1><p>Page not found.</p>", "<p>Subscribe to read the full story.</p>"],
)
def test_a_page_with_a_few_words_is_a_stub_not_an_article(tmp_path: Path, body: str) -> None:
    path = tmp_path / "stub.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    failure = one_failure(path, "E007")
    assert "too few for an article page" in failure.message()
    # ten words are a (short) article
    path.write_text("<html><body><p>The Tyne bridge reopened on Monday after two years of repairs.</p>")
    (art,), failures = read(path)
    assert not failures
    assert art.text.startswith("The Tyne bridge")


def test_malformed_feed_keeps_readable_entries(tmp_path: Path, example_dir: Path) -> None:
    feed = rss_feed(example_dir).decode("utf-8")
    cut = feed.index("<item>", feed.index("<item>", feed.index("<item>") + 1) + 1)  # before the 3rd item
    broken = feed[:cut] + "<item><title>Broken & unescaped <b>bold</title></item></channel>"
    path = tmp_path / "broken.rss"
    path.write_text(broken, encoding="utf-8")
    articles, failures = read(path)
    assert len(articles) == 2
    # the broken entry has a title but no text (E007); the feed as a whole is malformed (E008)
    assert [f.code for f in failures] == ["E007", "E008"]
    assert failures[0].source == f"{path}#3"
    assert "3 entries read" in failures[1].reason


def test_feed_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>', encoding="utf-8")
    one_failure(path, "E008")
    path.write_text('<?xml version="1.0"?><note><to>Tove</to></note>', encoding="utf-8")
    one_failure(path, "E011")


def test_jsonl_broken_lines(tmp_path: Path) -> None:
    good = json.dumps({"title": "Storm", "text": "The storm hit.\nRoads closed."})
    lines = [
        good,
        '{"title": "cut off", "text": "The sto',
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": ""}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": 42}),
        json.dumps({"text": "Second good one.", "published": "yesterday-ish nonsense"}),
    ]
    path = tmp_path / "articles.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe{bad bytes}\n")
    articles, failures = read(path)
    assert [a.source for a in articles] == [f"{path}#1", f"{path}#8"]
    assert [f.source for f in failures] == [f"{path}#{n}" for n in (2, 4, 5, 6, 7, 9)]
    assert all(f.code == "E009" for f in failures)
    assert "line 2: not valid JSON" in failures[0].reason
    assert "not UTF-8" in failures[-1].reason
    assert articles[1].published is None
    assert any("unreadable published date" in w for w in articles[1].warnings)


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    _, failures = read(tmp_path / "nope.txt", str(tmp_path / "*.none"))
    assert [f.code for f in failures] == ["E001", "E001"]
    assert "path does not exist" in failures[0].reason


def test_file_over_the_limit_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<html><body>" + b"<p>Paragraph of text.</p>" * 80_000)
    _, failures = read(path, settings=IngestSettings(max_bytes=1_000_000))
    (failure,) = failures
    assert failure.code == "E006"
    assert "2.0 MB" in failure.reason
    assert "--max-bytes" in failure.hint
    # a gzip bomb is refused by decompressed size, without inflating it all
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"Title\n" + b"a" * 5_000_000))
    _, failures = read(bomb, settings=IngestSettings(max_bytes=1_000_000))
    assert [f.code for f in failures] == ["E006"]


PARAGRAPH = b"Officials said the talks would continue on Tuesday, according to a statement. " * 6 + b"\n"


def _write_50_mb(path: Path, first: bytes, chunk: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(first)
        while fh.tell() < 50_000_000:
            fh.write(chunk)


def test_50_mb_document_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 50 MB article is over the default limit: one line, refused before reading, exit NOTHING."""
    path = tmp_path / "huge.txt"
    _write_50_mb(path, b"A very long report\n", PARAGRAPH * 1000)
    started = time.monotonic()
    code = main(["digest", str(path), "-q"])
    assert time.monotonic() - started < 5
    assert code == ExitCode.NOTHING
    err = capsys.readouterr().err
    assert "huge.txt: file is too large (50.2 MB, over the 20.0 MB limit" in err
    assert "--max-bytes" in err
    # compressed, its size is only known while inflating: refused after 20 MB, not 50
    packed = tmp_path / "huge.txt.gz"
    packed.write_bytes(gzip.compress(path.read_bytes(), compresslevel=1))
    _, failures = read(packed)
    assert [f.code for f in failures] == ["E006"]


def test_50_mb_jsonl_is_streamed(tmp_path: Path) -> None:
    """JSONL is read line by line: a 50 MB file is fine, in bounded memory."""
    path = tmp_path / "huge.jsonl"
    record = (json.dumps({"text": PARAGRAPH.decode() * 40}) + "\n").encode()
    _write_50_mb(path, b"", record * 100)
    tracemalloc.start()
    count = 0
    for item in read_inputs([str(path)], SETTINGS):
        assert isinstance(item, Article)
        count += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == path.stat().st_size // len(record)
    assert peak < 5_000_000  # one record at a time, not the file


@pytest.mark.slow
def test_50_mb_document_read_with_a_raised_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    _write_50_mb(path, b"A very long report\n", PARAGRAPH * 1000)
    started = time.monotonic()
    (art,), failures = read(path, settings=IngestSettings(max_bytes=60_000_000))
    assert not failures
    assert art.title == "A very long report"
    assert len(art.text) > 49_000_000
    assert time.monotonic() - started < 60


# --------------------------------------------------------------------------- sniffing units


def test_sniff_format_from_content() -> None:
    assert sniff_format(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n") == "warc"
    assert sniff_format(b'<?xml version="1.0"?>\n<rss version="2.0">') == "feed"
    assert (
        sniff_format(b'<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom">') == "feed"
    )
    assert sniff_format(b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">') == "feed"
    assert sniff_format(b"<!DOCTYPE html><html><head>") == "html"
    assert sniff_format(b'{"text": "x"}\n') == "jsonl"
    assert sniff_format(b"Title line\nBody with a <b>tag</b>.", "story.txt") == "text"
    assert sniff_format(b"Some text first <p>then a paragraph</p>", "page.html") == "html"
    assert sniff_format("Überschrift\n".encode("utf-16")) == "text"


def test_binary_reason_and_decode() -> None:
    assert binary_reason("Plain text, ümlauts".encode("utf-16-le")) is None
    assert binary_reason(b"abc\x00\x01\x02\x03" * 100) is not None
    assert binary_reason("Ça va".encode("cp1252")) is None
    decoded = decode("Grüße".encode("utf-16-be"), "x")
    assert decoded.text == "Grüße"
    assert decoded.encoding == "utf-16-be"
    assert decode("Grüße".encode(), "x").note() is None


# --------------------------------------------------------------------------- a mixed directory


def _mixed_directory(root: Path, example_dir: Path) -> None:
    root.mkdir()
    (root / "good.txt").write_bytes(
        sorted(example_dir.glob("*.txt"))[0].read_bytes() + b"\nA later update.\n"
    )
    (root / "page.html.gz").write_bytes(PAGES[0].read_bytes())
    (root / "feed.rss").write_bytes(rss_feed(example_dir))
    (root / "empty.txt").write_bytes(b"")
    (root / "image.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(3000))
    (root / "latin1.txt").write_bytes(LATIN1_TEXT.replace("€", "E").encode("latin-1"))
    (root / "utf16.txt").write_bytes(LATIN1_TEXT.encode("utf-16"))
    packed = gzip.compress(page_html(PAGES[1]))
    (root / "cut.html.gz").write_bytes(packed[: len(packed) * 9 // 10])
    (root / "broken.html").write_text("<html><body><div><a href='/'>Home</a>", encoding="utf-8")
    sub = root / "nested"
    sub.mkdir()
    (sub / "lines.jsonl").write_text(json.dumps({"text": "One.\nTwo."}) + "\n{broken\n", encoding="utf-8")
    (root / ".hidden").write_bytes(b"ignored")


def test_mixed_directory_via_digest(
    tmp_path: Path, example_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "inbox"
    _mixed_directory(root, example_dir)
    code = main(["digest", str(root), str(tmp_path / "missing.txt"), "-f", "json", "-q"])
    captured = capsys.readouterr()
    assert code == ExitCode.PARTIAL
    data = json.loads(captured.out)
    sources = {Path(a["source"].split("#")[0]).name for a in data["articles"]}
    assert {
        "good.txt",
        "page.html.gz",
        "feed.rss",
        "latin1.txt",
        "utf16.txt",
        "cut.html.gz",
        "lines.jsonl",
    } <= sources
    skipped = [line for line in captured.err.splitlines() if line.startswith("synoptic: skipped")]
    codes = sorted(line.rsplit("[", 1)[1].rstrip("]") for line in skipped)
    assert codes == ["E001", "E002", "E003", "E005", "E007", "E009"]
    for line in skipped:  # which item, what is wrong, what to do
        assert str(tmp_path) in line
        assert "(" in line
        assert ")" in line
    assert "Traceback" not in captured.err


def test_nothing_succeeded_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.bin").write_bytes(os.urandom(1000))
    assert main(["digest", str(tmp_path), "-q"]) == ExitCode.NOTHING
    err = capsys.readouterr().err
    assert err.count("synoptic: skipped") == 2
    assert "Traceback" not in err


def test_cli_subprocess_stdin_and_no_traceback(tmp_path: Path, example_dir: Path) -> None:
    path = sorted(example_dir.glob("*.txt"))[0]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "synoptic", "digest", "-", str(tmp_path / "gone"), "-f", "json", "-q"],
        input=path.read_bytes(),
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == ExitCode.PARTIAL
    assert json.loads(proc.stdout)["articles"][0]["source"] == "-"
    assert b"Traceback" not in proc.stderr
    assert b"[E001]" in proc.stderr


def test_stdin_gzip() -> None:
    data = gzip.compress(b"Headline\nFirst paragraph.\nSecond paragraph.\n")
    items = list(read_inputs(["-"], SETTINGS, stdin=io.BytesIO(data)))
    assert isinstance(items[0], Article)
    assert items[0].paragraphs == ["First paragraph.", "Second paragraph."]


def test_truncated_warc_gz_keeps_earlier_records(tmp_path: Path) -> None:
    from ingest_material import warc_file

    data = warc_file(gzipped=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    articles, failures = read(path)
    assert len(articles) >= 1
    assert all(a.input_format == "warc" for a in articles)
    assert [f.code for f in failures] == ["E005"]
    assert failures[0].source == str(path)
    assert "after record" in failures[0].reason
