"""The robustness corpus: real files from other projects' test suites (``data/robustness/``, see
its README) plus hostile files generated here, and a runner that reads each file the way
``synoptic digest`` does and records what came of it."""

from __future__ import annotations

import gzip
import json
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "robustness"
SUITES = ("feedparser", "trafilatura", "warcio")
NOT_INPUT = frozenset({"LICENSE", "README.md"})

BODY = (
    "The council voted on Tuesday to close the old bridge after engineers found cracks in two of "
    "its supports. Repairs will take a year, the mayor said, and a ferry will run meanwhile."
)


def corpus_files(suite: str | None = None) -> list[Path]:
    root = CORPUS / suite if suite else CORPUS
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in NOT_INPUT)


def hostile_files(root: Path) -> dict[str, Path]:
    """Generated hostile and awkward inputs, by name. Each is a file a user could be given."""
    root.mkdir(parents=True, exist_ok=True)
    page = (
        "<html><head><meta charset='utf-8'><title>Bridge</title></head><body><article><h1>Bridge</h1>"
        f"<p>{BODY}</p><p>{BODY}</p></article></body></html>"
    )
    lol = "".join(f'<!ENTITY l{i + 1} "' + f"&l{i};" * 10 + '">' for i in range(9))
    cases: dict[str, bytes] = {
        "billion-laughs.rss": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{lol}]>'
            f"<rss><channel><title>t</title><item><title>&l9;</title><description>{BODY}</description>"
            "</item></channel></rss>"
        ).encode(),
        "xxe.rss": (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f"<rss><channel><title>t</title><item><title>&x;</title><description>{BODY}</description>"
            "</item></channel></rss>"
        ).encode(),
        "dtd-subset.rss": (
            '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY town "Springfield">\n]>\n'
            "<rss version='2.0'><channel><title>t</title><link>http://example.com/</link><item>"
            f"<title>Bridge in &town; closes</title><description>{BODY}</description></item></channel></rss>"
        ).encode(),
        "utf32-no-bom.rss": (
            f"<rss version='2.0'><channel><title>t</title><item><title>Brücke</title><description>{BODY}"
            "</description></item></channel></rss>"
        ).encode("utf-32-le"),
        "one-bad-byte.html": page.encode().replace(b"supports.", b"supports\xff.", 1),
        "bom-latin1.txt": b"\xef\xbb\xbf" + f"Café in Zürich\n{BODY} Señor Müller.\n".encode("latin-1"),
        "mixed-encodings.txt": f"Zürich title\n{BODY} Genève “ok”.\n".encode()
        + f"{BODY} Müller façade.\n".encode("cp1252"),
        "deep-nesting.html": ("<div>" * 50_000 + f"<p>{BODY}</p>" + "</div>" * 50_000).encode(),
        "deep.jsonl": json.dumps({"text": BODY}).encode() + b"\n" + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "long-line.txt": ("Title\n" + "word " * 400_000).encode(),
        "nul-ridden.txt": b"Title\n" + b"\x00" * 5000,
        "controls.txt": b"Title\n" + bytes(range(1, 32)) * 500,
        "noise-high-bytes.txt": b"Title\n" + bytes(range(128, 256)) * 200,
        "gzip-truncated.html.gz": gzip.compress(page.encode())[:60],
        "gzip-bomb.txt.gz": gzip.compress(b"Title\n" + b"a" * 60_000_000),
        "empty.html": b"",
        "whitespace.txt": b" \n\t\n" * 100,
        "script-only.html": b"<html><body><script>" + b"alert(1);" * 10_000 + b"</script></body></html>",
        "unclosed-comment.html": b"<html><body><!-- " + BODY.encode() * 100,
        "broken-warc.warc": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200",
        "arc-header-only.arc": b"filedesc://x.arc 0.0.0.0 20140216050221 text/plain 10\n1 0 x\n\n",
        "not-a-feed.xml": b'<?xml version="1.0"?><note><to>Tove</to></note>',
        "cdf.cdf": (
            '<?xml version="1.0"?><CHANNEL HREF="http://example.com/"><TITLE>c</TITLE>'
            f'<ITEM HREF="http://example.com/b.html"><TITLE>Bridge</TITLE><ABSTRACT>{BODY}</ABSTRACT>'
            "</ITEM></CHANNEL>"
        ).encode(),
        "rtl-and-zero-width.txt": f"\u202eTitle\u200b\n{BODY}\u2066\u202c\ufeff\n".encode(),
    }
    out: dict[str, Path] = {}
    for name, data in cases.items():
        path = root / name
        path.write_bytes(data)
        out[name] = path
    return out


@dataclass(frozen=True, slots=True)
class Outcome:
    path: str
    articles: int
    titles: list[str]
    texts: list[str]
    failures: list[tuple[str, str]]
    """``(code, message)`` of each skipped item."""
    seconds: float


def read_each(paths: list[str]) -> list[Outcome]:
    """Each file read alone with the CLI's settings (as ``synoptic digest`` reads it)."""
    from synoptic.config import IngestSettings
    from synoptic.ingest import read_inputs
    from synoptic.records import Article, IngestFailure

    outcomes = []
    for path in paths:
        start = time.perf_counter()
        items = list(read_inputs([path], IngestSettings()))
        articles = [i for i in items if isinstance(i, Article)]
        failures = [(i.code, i.message()) for i in items if isinstance(i, IngestFailure)]
        outcomes.append(
            Outcome(
                path,
                len(articles),
                [a.title or "" for a in articles],
                [a.text[:2000] for a in articles],
                failures,
                time.perf_counter() - start,
            )
        )
    return outcomes


def main() -> None:
    """``python robust_material.py FILE...``: JSON outcomes and this process's peak memory."""
    outcomes = read_each(sys.argv[1:])
    json.dump({"outcomes": [asdict(o) for o in outcomes], "peak_mb": peak_mb()}, sys.stdout)


def peak_mb() -> float:
    """This process's peak resident memory. ``VmHWM`` belongs to this program's own memory;
    ``ru_maxrss`` on Linux keeps the high-water mark of the process before ``exec`` (a forked
    copy of a test runner with the models loaded: 1.9 GB that this reader never used)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
