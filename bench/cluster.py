"""Story clustering: quality on ECB+ dev against peers, and time/memory at 1k, 10k and 100k articles.

Quality. Every system reads only ``id``, ``title`` and ``text`` of ECB+ dev and is scored by the
reference scorer (``../shared/eval/score.py cluster``). Peers, run in the same process:

- TF-IDF + agglomerative: scikit-learn ``TfidfVectorizer`` (sublinear tf, English stop words)
  on title + text, average-linkage agglomerative clustering on cosine distance;
- MiniLM + agglomerative: all-MiniLM-L6-v2 embeddings of title + text (the model reads the first
  256 word pieces), average linkage on cosine distance;
- BERTopic/HDBSCAN: not installed in the project environment (``import bertopic`` fails), so not run.

Each peer's distance threshold is tuned on ECB+ dev itself (grid 0.30-0.98, step 0.02; the best
B-cubed F1 is reported), which favours the peers: Synoptic's thresholds are fixed constants in
``config.py`` (tuned on the same dev file beforehand).

Scale. Synthetic inputs with story structure, built from real sentences: each story takes one
source document (an ECB+ dev document or a Multi-News dev source article), and each of its
articles is 6-12 sentences sampled from that document plus one sentence from a random other
document (noise), in shuffled order; the title is the first sampled sentence. Stories have 1-19
articles (10 on average). Each size runs in its own process so peak memory (ru_maxrss, and the
Python heap peak from tracemalloc in a separate run) is that size's alone. Synoptic's clusterer
is lexical (no embedder), so the large runs need no model; the ratio time(100k)/time(10k) checks
the candidate generation is sub-quadratic.

    python -m bench.cluster                    # everything (about 10 minutes on 2 cores)
    python -m bench.cluster --skip-scale       # ECB+ dev only
    python -m bench.cluster --sizes 1000 10000

Writes ``bench/results/cluster.md`` and ``bench/results/cluster.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

from synoptic.cluster import cluster_articles, stream_cluster
from synoptic.config import ClusterSettings
from synoptic.eval import reference_score
from synoptic.eval.cluster import read_items
from synoptic.records import Article

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
ECB = EVAL / "cluster" / "ecbplus_dev.jsonl"
MULTINEWS = EVAL / "mds" / "multinews_dev.jsonl"
RESULTS = ROOT / "bench" / "results"
GRID = [round(t, 2) for t in np.arange(0.30, 0.99, 0.02)]


def score(pred: dict[str, Any], tmp: Path, name: str) -> dict[str, float]:
    path = tmp / f"{name}.jsonl"
    path.write_text(
        "".join(json.dumps({"id": k, "cluster": v}) + "\n" for k, v in pred.items()), encoding="utf-8"
    )
    return reference_score(EVAL / "score.py", "cluster", ECB, path)


def _b3(gold: list[str], pred: list[int]) -> float:
    """B-cubed F1 for the threshold sweep (the reported figures come from score.py)."""
    from collections import defaultdict

    g: dict[str, set[int]] = defaultdict(set)
    p: dict[int, set[int]] = defaultdict(set)
    for i, (a, b) in enumerate(zip(gold, pred, strict=True)):
        g[a].add(i)
        p[b].add(i)
    prec = sum(len(g[gold[i]] & p[pred[i]]) / len(p[pred[i]]) for i in range(len(gold))) / len(gold)
    rec = sum(len(g[gold[i]] & p[pred[i]]) / len(g[gold[i]]) for i in range(len(gold))) / len(gold)
    return 2 * prec * rec / (prec + rec)


def agglomerative_peer(vectors: np.ndarray, gold: list[str]) -> tuple[list[int], float, float]:
    """Average-linkage labels at the dev-tuned threshold, the threshold, and the clustering time."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    t0 = time.perf_counter()
    tree = linkage(pdist(vectors, "cosine"), method="average")
    elapsed = time.perf_counter() - t0
    best = max(GRID, key=lambda t: _b3(gold, [int(v) for v in fcluster(tree, t, "distance")]))
    return [int(v) for v in fcluster(tree, best, "distance")], best, elapsed


def quality(tmp: Path) -> list[dict[str, Any]]:
    articles = read_items(ECB)
    ids = [a.id for a in articles]
    gold_by_id = {json.loads(line)["id"]: json.loads(line)["gold"] for line in ECB.open(encoding="utf-8")}
    gold = [gold_by_id[i] for i in ids]  # used only to tune the peers' thresholds and to score
    rows: list[dict[str, Any]] = []
    settings = ClusterSettings()

    t0 = time.perf_counter()
    stories = cluster_articles(articles, settings)
    elapsed = time.perf_counter() - t0
    pred = {a: s.id for s in stories for a in s.articles}
    rows.append(
        {"system": "Synoptic (batch)", "threshold": "config", "seconds": elapsed, **score(pred, tmp, "ours")}
    )

    t0 = time.perf_counter()
    stories = stream_cluster(articles, settings)
    elapsed = time.perf_counter() - t0
    pred = {a: s.id for s in stories for a in s.articles}
    rows.append(
        {
            "system": "Synoptic (streaming, file order)",
            "threshold": "config",
            "seconds": elapsed,
            **score(pred, tmp, "ours_stream"),
        }
    )

    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title or ''}\n{a.text}" for a in articles]

    def peer(system: str, features: Any, seconds_to_vectorise: float, name: str) -> dict[str, Any]:
        labels, thr, t_cl = agglomerative_peer(features, gold)
        return {
            "system": system,
            "threshold": thr,
            "seconds": seconds_to_vectorise + t_cl,
            **score(dict(zip(ids, labels, strict=True)), tmp, name),
        }

    t0 = time.perf_counter()
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts).toarray()
    rows.append(peer("TF-IDF + agglomerative", x, time.perf_counter() - t0, "tfidf"))

    from synoptic.nlp.embeddings import make_embedder

    embedder = make_embedder("minilm")
    embedder.encode(["warm up"])
    t0 = time.perf_counter()
    emb = embedder.encode(texts)
    rows.append(peer("MiniLM + agglomerative", emb, time.perf_counter() - t0, "minilm"))
    import importlib.util

    if importlib.util.find_spec("bertopic") is None:
        rows.append(
            {"system": "BERTopic + HDBSCAN", "note": "not installed (import bertopic fails); not run"}
        )
    else:
        rows.append({"system": "BERTopic", "note": "installed but not wired into this benchmark"})
    return rows


# --------------------------------------------------------------------------- scale

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n+")


def sentence_pool() -> list[list[str]]:
    """Sentences of every ECB+ dev document and Multi-News dev source article (6+ words each)."""
    docs: list[str] = [json.loads(line)["text"] for line in ECB.open(encoding="utf-8")]
    for line in MULTINEWS.open(encoding="utf-8"):
        docs.extend(json.loads(line)["documents"])
    pool = []
    for doc in docs:
        sents = [s.strip() for s in _SPLIT.split(doc) if len(s.split()) >= 6]
        if len(sents) >= 4:
            pool.append(sents)
    return pool


def synthetic(n: int, seed: int = 0) -> list[Article]:
    rng = random.Random(seed)
    pool = sentence_pool()
    arts: list[Article] = []
    story = 0
    while len(arts) < n:
        source = rng.randrange(len(pool))
        for _ in range(min(rng.randint(1, 19), n - len(arts))):
            sents = pool[source]
            picked = rng.sample(sents, min(len(sents), rng.randint(6, 12)))
            noise = rng.choice(pool[rng.randrange(len(pool))])
            body = [*picked[1:], noise]
            rng.shuffle(body)
            aid = f"syn-{len(arts):06d}"
            arts.append(Article(id=aid, source=f"story{story}", text="\n\n".join(body), title=picked[0]))
        story += 1
    return arts


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would carry the parent's over exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_one(n: int, trace: bool) -> dict[str, Any]:
    arts = synthetic(n)
    if trace:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    stories = cluster_articles(arts, ClusterSettings())
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    return {
        "n": n,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "stories": len(stories),
        "sources": len({a.source for a in arts}),
        "maxrss_mb": peak_rss_mb(),
        "tracemalloc_peak_mb": peak / 2**20,
    }


def scale(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, "-m", "bench.cluster", "--scale-one", str(n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  {n}: {row['cpu_seconds']:.1f} s CPU, peak RSS {row['maxrss_mb']:.0f} MB", file=sys.stderr)
        rows.append(row)
    return rows


def write(quality_rows: list[dict[str, Any]], scale_rows: list[dict[str, Any]], command: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cluster.json").write_text(
        json.dumps({"quality": quality_rows, "scale": scale_rows, "command": command}, indent=1),
        encoding="utf-8",
    )
    lines = ["# Story clustering", ""]
    if quality_rows:
        lines += [
            f"ECB+ dev ({ECB.name}: 772 documents, 66 events, 33 topics of two events each), scored by "
            "`../shared/eval/score.py cluster`. Peers' thresholds tuned on this file (best of a grid).",
            "",
            "| system | B³ F1 | B³ P | B³ R | ARI | clusters | threshold | time (s) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in quality_rows:
            if "note" in r:
                lines.append(f"| {r['system']} | {r['note']} | | | | | | |")
                continue
            lines.append(
                f"| {r['system']} | {r['bcubed_f1']:.4f} | {r['bcubed_p']:.4f} | {r['bcubed_r']:.4f} | "
                f"{r['ari']:.4f} | {r['n_pred_clusters']} | {r['threshold']} | {r['seconds']:.1f} |"
            )
        ours = next(r for r in quality_rows if r["system"] == "Synoptic (batch)")
        peers = [r for r in quality_rows if "bcubed_f1" in r and not r["system"].startswith("Synoptic")]
        stream = next(r for r in quality_rows if r["system"].startswith("Synoptic (streaming"))
        lines += [
            "",
            f"Lead over the best peer: {ours['bcubed_f1'] - max(p['bcubed_f1'] for p in peers):+.4f} B³ F1. "
            f"Streaming vs batch: {stream['bcubed_f1'] - ours['bcubed_f1']:+.4f}. Times include vectorising "
            "(MiniLM: encoding on the CPU).",
            "",
        ]
    if scale_rows:
        lines += [
            "Scale: synthetic articles of real sentences with story structure (see the module docstring "
            "of `bench/cluster.py`), batch clustering, one process per size.",
            "",
            "| articles | synthetic stories | found | wall (s) | CPU (s) | peak RSS (MB) | CPU ratio |",
            "|---|---|---|---|---|---|---|",
        ]
        prev = None
        for r in scale_rows:
            ratio = (
                f"{r['cpu_seconds'] / prev['cpu_seconds']:.1f}x for {r['n'] / prev['n']:.0f}x" if prev else ""
            )
            lines.append(
                f"| {r['n']} | {r['sources']} | {r['stories']} | {r['seconds']:.1f} | "
                f"{r['cpu_seconds']:.1f} | {r['maxrss_mb']:.0f} | {ratio} |"
            )
            prev = r
        lines.append("")
    lines += [f"Command: `{command}` (machine: 2 shared cores; run with `nice`).", ""]
    (RESULTS / "cluster.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--scale-one", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help="also measure the Python heap peak (slower)")
    args = ap.parse_args(argv)
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one, args.trace)))
        return 0
    command = "python -m bench.cluster " + " ".join(argv if argv is not None else sys.argv[1:])
    previous = RESULTS / "cluster.json"
    if args.skip_quality and previous.is_file():  # keep the last measured quality table
        stored = json.loads(previous.read_text(encoding="utf-8"))
        quality_rows = stored["quality"]
        command += f"; quality table kept from `{stored.get('quality_command', 'python -m bench.cluster')}`"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            quality_rows = [] if args.skip_quality else quality(Path(tmp))
    for r in quality_rows:
        print(r, file=sys.stderr)
    scale_rows = [] if args.skip_scale else scale(args.sizes)
    write(quality_rows, scale_rows, command.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
