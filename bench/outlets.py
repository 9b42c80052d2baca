"""Outlet names on real dev material: how many articles get a name, and from what evidence.

Two inputs, both from ``../shared/eval`` (dev only):

- **Multi-News dev**, the first 300 non-empty source documents in file order, as a JSONL with
  ``id`` and ``text`` only: the dev file has no URLs and no outlet names (its documents are
  scraped bodies), so the only evidence is what the text credits;
- **Scrapinghub extraction benchmark**, 181 real article pages with the URL each was fetched
  from (``ground-truth.json``): every one has a URL, so this is the "articles with a URL" figure.
  The pages come from news sites and from blogs, shops and forums alike.

A *name* is an outlet from a name given with the input, the page's own site name, or a table
(origins ``input``, ``manifest``, ``metadata``, ``table``); a bare domain (``url``), a credit or a
file name is not counted as one. Run: ``python -m bench.outlets`` (writes bench/results/outlets.md).
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from synoptic.config import Settings
from synoptic.ingest import html as html_reader
from synoptic.pipeline import prepare_article, read_and_clean
from synoptic.records import Article

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "bench" / "results"
NAMED = ("input", "manifest", "metadata", "table")


def multinews_jsonl(path: Path, limit: int = 300) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for line in (EVAL / "mds" / "multinews_dev.jsonl").open(encoding="utf-8"):
            item = json.loads(line)
            for k, doc in enumerate(item["documents"]):
                if n < limit and doc.strip():
                    out.write(json.dumps({"id": f"{item['id']}-{k}", "text": doc}) + "\n")
                    n += 1
    return n


def origins(articles: list[Article]) -> Counter[str]:
    return Counter(a.outlet.origin if a.outlet else "none" for a in articles)


def main() -> int:
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} is absent", file=sys.stderr)
        return 0
    settings = Settings()
    lines = ["# Outlet names on dev material (`python -m bench.outlets`)", ""]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mn300.jsonl"
        count = multinews_jsonl(path)
        articles, failures = read_and_clean([str(path)], settings)
    mn = origins(articles)
    wired = sum(bool(a.outlet and a.outlet.wire) for a in articles)
    credited = Counter(a.outlet.name for a in articles if a.outlet and a.outlet.origin == "credit")
    lines += [
        f"## Multi-News dev: {count} documents (no URL, no outlet in the data)",
        "",
        f"- read: {len(articles)}, failed: {len(failures)}",
        f"- outlet by origin: {dict(mn.most_common())}",
        f"- named from a credit in the text: {mn['credit']} ({mn['credit'] / max(len(articles), 1):.1%}): "
        + ", ".join(f"{k} {v}" for k, v in credited.most_common(12)),
        f"- wire credits kept beside another outlet: {wired}",
        "",
    ]
    truth = json.loads((EVAL / "extract" / "ground-truth.json").read_text(encoding="utf-8"))
    pages: list[Article] = []
    unnamed: list[str] = []
    for page_id, item in sorted(truth.items()):
        raw = EVAL / "extract" / "html" / f"{page_id}.html.gz"
        try:
            article = html_reader.read(str(raw), gzip.decompress(raw.read_bytes()), url=item["url"])
        except Exception as exc:  # a page the reader refuses is reported, not fatal
            print(f"{page_id}: {exc}", file=sys.stderr)
            continue
        article = prepare_article(article, settings)
        pages.append(article)
        if article.outlet is None or article.outlet.origin not in NAMED:
            unnamed.append(f"{item['url'].split('/')[2]} -> {article.outlet_name}")
    ex = origins(pages)
    every = sorted({f"{a.url.split('/')[2] if a.url else '?'} = {a.outlet_name}" for a in pages})
    named = sum(ex[o] for o in NAMED)
    lines += [
        f"## Scrapinghub pages with their URL: {len(pages)} of {len(truth)} read",
        "",
        f"- outlet by origin: {dict(ex.most_common())}",
        f"- **with a name: {named} of {len(pages)} ({named / max(len(pages), 1):.1%})**; "
        f"from the shipped table {ex['table']}, from the page's own site name {ex['metadata']}",
        f"- without a name ({len(unnamed)}): " + "; ".join(unnamed),
        "",
        "Every host and the name shown (read for names that are not an outlet's):",
        "",
        *[f"- {line}" for line in every],
        "",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "outlets.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
