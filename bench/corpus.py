"""A scale corpus of real news text whose story sizes follow a long tail.

**Documents** (all real text, nothing invented), grouped into their *source stories*:

- Multi-News dev: 250 clusters of 2-10 source articles as scraped;
- NeuS dev: 307 stories told by 3 outlets;
- ECB+ dev: 66 event clusters (772 documents);
- PolNeAR dev: 924 political articles of 2016, each its own story;
- the extraction set's ground truth: 181 pages' article bodies, each its own story;
- TimeBank dev: 183 wire and broadcast documents, each its own story;
- the bundled example (``examples/xi-moscow-2023``): one story of 5 outlets.

**Story sizes.** Source stories are ranked by the length of their text (log characters plus
seeded Gaussian noise, sd 0.5: the largest stories have the most material to vary) and story
*r* gets a share of the articles proportional to ``1 / (r + 10)`` (Zipf-Mandelbrot): at any
corpus size a few stories are large and most are small, the long tail of a day's news. At 1k,
346 of 514 stories have one article and the largest 23; at 10k the largest has 183; at 100k the
largest has 1,790 (1.8%), the ten largest 13%, and every story several. (Plain Zipf, q = 0, gave
the largest story 12% of 100k articles, 12,436 cuts of four documents: its copy links, one per
pair, would have numbered tens of millions.)

**Articles.** Article *j* of a story takes one of the story's documents (in turn, from a
seeded start), keeps a random contiguous run of 40-100% of its paragraphs (at most 12), drops
each sentence after the first with probability 0.15, and with probability 0.5 inserts one
paragraph of another document of the story, as a rewrite would. The sentence drops make
exact repeats rare even when a story has hundreds of articles and few documents (each copy
is cut as an outlet cuts wire copy); the exact-repeat rate is reported by :func:`describe`.
Outlets are drawn from 500 names with Zipf weights (a few outlets publish much); dates fall
on a story-specific day, over more days the larger the story.

This replaces the uniform draw of ``bench/scale.py``'s first corpus (:func:`bench.scale.synthetic_articles`),
which at 100k gave each of 623 stories about 160 copies of its 2-10 documents, most of them
exact repeats, and no small stories at all.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import hashlib
import itertools
import json
import math
import random
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from synoptic.nlp.sentences import split_text

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
EXAMPLE = ROOT / "examples" / "xi-moscow-2023"

_PARAGRAPHS = re.compile(r"\s*\n\s*\n\s*")

Document = list[str]
"""A document as its paragraphs."""


def _paragraphs(text: str, lines_per_paragraph: int = 0) -> Document:
    if lines_per_paragraph:  # one sentence per line (ECB+): a paragraph of a few lines
        lines = [s.strip() for s in text.split("\n") if s.strip()]
        chunks = [
            " ".join(lines[k : k + lines_per_paragraph]) for k in range(0, len(lines), lines_per_paragraph)
        ]
    else:
        chunks = [" ".join(p.split()) for p in _PARAGRAPHS.split(text)]
    return [p for p in chunks if len(p.split()) >= 4]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


@cache
def source_stories() -> tuple[tuple[str, tuple[Document, ...]], ...]:
    """Every source story as (name, documents); documents with fewer than 2 paragraphs dropped."""
    stories: list[tuple[str, list[Document]]] = []
    for name in ("multinews_dev.jsonl", "neus_dev.jsonl"):
        for k, item in enumerate(_jsonl(EVAL / "mds" / name)):
            stories.append((f"{name.split('_')[0]}-{k}", [_paragraphs(t) for t in item["documents"]]))
    ecb: dict[str, list[Document]] = collections.defaultdict(list)
    for item in _jsonl(EVAL / "cluster" / "ecbplus_dev.jsonl"):
        ecb[str(item["gold"])].append(_paragraphs(item["text"], lines_per_paragraph=3))
    stories += [(f"ecb-{gold}", docs) for gold, docs in sorted(ecb.items())]
    stories += [
        (f"polnear-{d['id']}", [_paragraphs(d["text"])])
        for d in _jsonl(EVAL / "quotes" / "polnear_dev.jsonl")
    ]
    truth = json.loads((EVAL / "extract" / "ground-truth.json").read_text(encoding="utf-8"))
    stories += [(f"extract-{key[:12]}", [_paragraphs(v["articleBody"])]) for key, v in sorted(truth.items())]
    stories += [
        (f"timebank-{d['id']}", [_paragraphs(d["text"])])
        for d in _jsonl(EVAL / "timex" / "timebank_dev.jsonl")
    ]
    # the example's files: a title line, then a paragraph per line
    example = [_paragraphs(p.read_text(encoding="utf-8"), 1)[1:] for p in sorted(EXAMPLE.glob("*.txt"))]
    stories.append(("example-xi-moscow", example))
    out = []
    for name, docs in stories:
        kept = tuple(d for d in docs if len(d) >= 2)
        if kept:
            out.append((name, kept))
    return tuple(out)


_FLAT_HEAD = 10
"""Zipf-Mandelbrot's q: the share of rank r is proportional to 1 / (r + q). With q = 0 (Zipf) the
largest story had 12% of the articles (12,436 of 100k), and Synoptic's copy links, one per pair
of copies, grew with its square (see the module doc)."""


def story_sizes(n: int, seed: int = 13, pool: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """(source story index, article count) for ``n`` articles, Zipf over a seeded ranking of the
    source stories (or of ``pool``, indices into :func:`source_stories`); stories that get no
    article are left out."""
    rng = random.Random(seed)
    stories = source_stories()
    # the large stories are those with much text to cut from (many documents or long ones), as
    # a story that many outlets cover has many versions; the noise mixes the order
    material = [math.log(sum(len(p) for d in docs for p in d)) + rng.gauss(0, 0.5) for _, docs in stories]
    ranking = sorted(range(len(stories)) if pool is None else pool, key=lambda s: -material[s])
    count = len(ranking)
    cumulative = list(itertools.accumulate(1.0 / (r + 1 + _FLAT_HEAD) for r in range(count)))
    sizes = collections.Counter(
        ranking[bisect.bisect(cumulative, rng.random() * cumulative[-1])] for _ in range(n)
    )
    return sorted(sizes.items(), key=lambda kv: -kv[1])


def _cut(doc: Document, rng: random.Random) -> list[str]:
    size = min(12, max(2, round(len(doc) * rng.uniform(0.4, 1.0))))
    first = rng.randrange(0, len(doc) - size + 1)
    paras = []
    for k, para in enumerate(doc[first : first + size]):
        sentences = [para[a:b] for a, b in split_text(para)]
        kept = [s for i, s in enumerate(sentences) if (k == 0 and i == 0) or rng.random() >= 0.15]
        if kept:
            paras.append(" ".join(kept))
    return paras


_TRIES = 8


def _article(docs: tuple[Document, ...], base: Document, rng: random.Random) -> list[str]:
    paras = _cut(base, rng)
    others = [d for d in docs if d is not base]
    if others and rng.random() < 0.5:
        other = others[rng.randrange(len(others))]
        paras.insert(rng.randrange(len(paras) + 1), other[rng.randrange(len(other))])
    return paras


def long_tail_articles(
    n: int, seed: int = 13, first_id: int = 0, pool: Sequence[int] | None = None
) -> Iterator[dict[str, str]]:
    """``n`` JSONL records (``id``, ``title``, ``text``, ``outlet``, ``url``, ``published``),
    story by story from the largest, from every source story or those of ``pool``; the source
    story's name is the URL's first path segment; ids from ``first_id``."""
    rng = random.Random(seed + 1)
    stories = source_stories()
    outlet_weights = list(itertools.accumulate(1.0 / (k + 1) for k in range(500)))
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    i = first_id
    for s, size in story_sizes(n, seed, pool):
        name, docs = stories[s]
        day = start + dt.timedelta(days=rng.randrange(90))
        span_hours = 24 * (1 + len(str(size)))  # 1 article: 2 days; 100s: 4 days; 1000s: 5 days
        offset = rng.randrange(len(docs))
        seen: set[str] = set()
        for j in range(size):
            for _ in range(_TRIES):  # a cut the story already has is cut again (see the module doc)
                paras = _article(docs, docs[(offset + j) % len(docs)], rng)
                if "\n\n".join(paras) not in seen:
                    break
            seen.add("\n\n".join(paras))
            a, b = split_text(paras[0])[0]
            title = " ".join(paras[0][a:b].split()[:16])
            outlet = bisect.bisect(outlet_weights, rng.random() * outlet_weights[-1])
            when = day + dt.timedelta(hours=rng.randrange(span_hours), minutes=rng.randrange(60))
            yield {
                "id": f"a{i:06d}",
                "title": title,
                "text": "\n\n".join(paras),
                "outlet": f"Outlet {outlet:03d}",
                "url": f"https://news.example/{name}/{i}",
                "published": when.isoformat(),
            }
            i += 1


def describe(path: Path) -> dict[str, Any]:
    """Story-size and repeat figures of a written corpus (for the benchmark's notes)."""
    sizes: collections.Counter[str] = collections.Counter()
    texts: set[str] = set()
    repeats = 0
    words = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            sizes[record["url"].split("/")[3]] += 1
            key = hashlib.blake2b(record["text"].encode(), digest_size=16).hexdigest()
            repeats += key in texts
            texts.add(key)
            words += len(record["text"].split())
    counts = sorted(sizes.values(), reverse=True)
    total = sum(counts)
    return {
        "articles": total,
        "source stories": len(counts),
        "largest": counts[:5],
        "single-article stories": sum(c == 1 for c in counts),
        "share in the 10 largest": round(sum(counts[:10]) / total, 3),
        "exact repeats": repeats,
        "mean words": round(words / total),
    }
