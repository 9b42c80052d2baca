"""Load test of the HTTP server on loopback: the story page and ``GET /stories/{id}`` on a store
of 10,000 articles, with ``GET /health`` as the peer (the same server's cheapest route).

Articles: the long-tail scale corpus (``bench/corpus.py``: real dev-set text recombined into
articles of stories whose sizes follow a long tail), read with the JSONL reader's record
conversion (no boilerplate cleaning: the text is already clean), stored, then regrouped once in
full: stories grouped with the ``hashing`` embedder (as ``--regroup-embedder hashing`` gives),
dossiers built with the default settings (every stage: entities, quotes, timeline, cross-check,
summary; spaCy and MiniLM), then served by
``synoptic serve`` (uvicorn, one process) in a subprocess. The first version of this test
replicated Multi-News documents as outlet variants; its store came out as 10,000 one-article
stories with empty dossiers, so it measured pages with nothing on them.

The load generator is asyncio + httpx in this process: ``--concurrency`` connections, each
sending one request at a time, stopped at ``--duration`` seconds or ``--requests`` requests per
route, whichever comes first. Story ids are a fixed random sample (seed 13) of the stored
stories. Any status other than 200 or a transport error counts as an error.

    python -m bench.load [--articles 10000] [--duration 20] [--requests 3000] [--concurrency 8]

Writes ``bench/results/load.json`` and ``bench/results/load.md``. Both the server and the load
generator run on the same machine (2 shared cores here), so the figures are an upper bound of
latency for this hardware, not the server alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from synoptic.config import Settings, StoreSettings
from synoptic.ingest.jsonl import record_to_article
from synoptic.records import Article
from synoptic.store import SQLiteStore, ingest_articles

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "bench" / "results"
SAMPLE_SEED = 13


def make_articles(n: int) -> Iterator[Article]:
    """``n`` articles of the long-tail scale corpus (see the module docstring)."""
    from bench.corpus import long_tail_articles

    if not EVAL.exists():
        raise SystemExit(f"{EVAL} is absent: the load test builds its articles from the eval kit's dev data")
    for k, record in enumerate(long_tail_articles(n), 1):
        yield record_to_article("bench", k, record)


def build_store(path: Path, n: int) -> dict[str, Any]:
    settings = Settings(store=StoreSettings(regroup_embedder="hashing")).validate()
    t0 = time.perf_counter()
    articles = list(make_articles(n))
    t_make = time.perf_counter() - t0
    store = SQLiteStore(path)
    t1 = time.perf_counter()
    report = ingest_articles(store, articles, settings, regroup=False)
    t_store = time.perf_counter() - t1
    t2 = time.perf_counter()
    ingest_articles(store, [], settings)  # the regroup: stories and dossiers for everything stored
    t_regroup = time.perf_counter() - t2
    memberships = store.memberships()
    sizes = sorted((len(m) for m in memberships.values()), reverse=True)
    store.close()
    return {
        "articles": store_count(path),
        "added": len(report.added),
        "stories": len(memberships),
        "largest_stories": sizes[:5],
        "make_s": round(t_make, 2),
        "store_s": round(t_store, 2),
        "store_articles_per_s": round(len(report.added) / t_store, 1),
        "regroup_s": round(t_regroup, 2),
        "db_mb": round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6, 1),
    }


def store_count(path: Path) -> int:
    store = SQLiteStore(path)
    try:
        return store.article_count()
    finally:
        store.close()


def sample_story_ids(path: Path, k: int) -> list[str]:
    store = SQLiteStore(path)
    ids = sorted(store.memberships())
    # dossier content of the sample, to say what the pages contained
    sample = random.Random(SAMPLE_SEED).sample(ids, min(k, len(ids)))
    store.close()
    return sample


def dossier_stats(path: Path, ids: list[str]) -> dict[str, float]:
    store = SQLiteStore(path)
    totals = {"articles": 0, "summary": 0, "timeline": 0, "quotes": 0, "claims": 0, "entities": 0}
    for sid in ids:
        d = store.get_dossier(sid)
        assert d is not None
        totals["articles"] += len(d.story.articles)
        totals["summary"] += len(d.summary)
        totals["timeline"] += len(d.timeline)
        totals["quotes"] += len(d.quotes)
        totals["claims"] += len(d.claims)
        totals["entities"] += len(d.entities)
    store.close()
    return {k: round(v / max(len(ids), 1), 2) for k, v in totals.items()}


def cpu_per_request(path: Path, ids: list[str], rounds: int = 3) -> dict[str, float]:
    """CPU milliseconds one request's work takes in this process (store reads, dossier decoding,
    rendering; no HTTP): a figure that other jobs on the machine barely move, unlike latency."""
    from synoptic.render.json import digest_to_json
    from synoptic.server.app import story_digest
    from synoptic.server.pages import story_view, template_environment

    store = SQLiteStore(path)
    env = template_environment()

    def api(sid: str) -> None:
        digest, _ = story_digest(store, sid)
        json.dumps(digest_to_json(digest), ensure_ascii=False)

    def page(sid: str) -> None:
        digest, _ = story_digest(store, sid)
        env.get_template("story.html").render(
            story=story_view(digest.dossiers[0], digest.articles, digest.copies)
        )

    out = {}
    for name, fn in (("GET /stories/{id} (dossier JSON)", api), ("GET /story/{id} (story page)", page)):
        fn(ids[0])
        t0 = time.process_time()
        for _ in range(rounds):
            for sid in ids:
                fn(sid)
        out[name] = round(1000 * (time.process_time() - t0) / (rounds * len(ids)), 2)
    store.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "synoptic", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


async def load(
    base: str, paths: list[str], *, duration: float, max_requests: int, concurrency: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    sent = 0
    bytes_in = 0
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient, n: int) -> None:
        nonlocal sent, bytes_in
        i = n
        while sent < max_requests and time.perf_counter() < deadline:
            sent += 1
            path = paths[i % len(paths)]
            i += concurrency
            t0 = time.perf_counter()
            try:
                r = await client.get(path)
                latencies.append(time.perf_counter() - t0)
                bytes_in += len(r.content)
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {path}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__} {path}")

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client, n) for n in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2) if latencies else 0.0
        )

    return {
        "requests": sent,
        "ok": len(latencies) - len(errors),
        "errors": len(errors),
        "error_examples": errors[:5],
        "seconds": round(elapsed, 2),
        "rps": round(sent / elapsed, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(1000 * latencies[-1], 2) if latencies else 0.0,
        "mean_kb": round(bytes_in / max(len(latencies), 1) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--duration", type=float, default=20.0, help="Seconds per route at most.")
    ap.add_argument("--requests", type=int, default=3000, help="Requests per route at most.")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--sample", type=int, default=200, help="Story ids requested (random sample).")
    ap.add_argument("--db", type=Path, help="Reuse (or keep) this store instead of a temporary one.")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="synoptic-load-") as tmp:
        db = args.db or Path(tmp) / "load.db"
        sidecar = db.with_name(db.name + ".build.json")
        reused = db.exists()
        if not reused:
            print(f"building a store of {args.articles} articles in {db} ...", file=sys.stderr)
            build = build_store(db, args.articles)
            sidecar.write_text(json.dumps(build), encoding="utf-8")
            print(f"  {build}", file=sys.stderr)
        else:  # a kept store: its build figures, when this script built it
            build = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else None
        ids = sample_story_ids(db, args.sample)
        stats = dossier_stats(db, ids)
        cpu = cpu_per_request(db, ids)
        port = free_port()
        server = start_server(db, port)
        base = f"http://127.0.0.1:{port}"
        routes = {
            "GET /health (peer: cheapest route)": ["/health"],
            "GET /stories/{id} (dossier JSON)": [f"/stories/{i}" for i in ids],
            "GET /story/{id} (story page)": [f"/story/{i}" for i in ids],
        }
        results: dict[str, Any] = {}
        try:
            for name, paths in routes.items():
                asyncio.run(
                    load(base, paths[:1] * 50, duration=3, max_requests=100, concurrency=args.concurrency)
                )
                results[name] = asyncio.run(
                    load(
                        base,
                        paths,
                        duration=args.duration,
                        max_requests=args.requests,
                        concurrency=args.concurrency,
                    )
                )
                print(f"{name}: {results[name]}", file=sys.stderr)
        finally:
            server.terminate()
            server.wait(timeout=10)
        articles = store_count(db)

    command = "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:])
    payload = {
        "command": command.strip(),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": [round(x, 1) for x in os.getloadavg()],
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "articles": articles,
        "build": build,
        "build_reused": reused,
        "sample": len(ids),
        "dossier_means": stats,
        "concurrency": args.concurrency,
        "cpu_ms_per_request": cpu,
        "routes": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    (args.out / "load.md").write_text(markdown(payload), encoding="utf-8")
    failed = sum(r["errors"] for r in results.values())
    print(f"wrote {args.out / 'load.md'}; errors: {failed}", file=sys.stderr)
    return 1 if failed else 0


def markdown(p: dict[str, Any]) -> str:
    out = [
        "# Load test: story page and dossier JSON on loopback",
        "",
        f"Command: `{p['command']}` (from the repository root, `PYTHONPATH=src`).",
        "",
        f"Store: {p['articles']} articles; machine: {p['machine']['cpus']} CPUs (shared with other jobs), "
        f"load average {p['machine']['load_average']} at the end, Python {p['machine']['python']}. "
        "Server: `synoptic serve` (uvicorn, one process); load generator: "
        f"asyncio + httpx in another process on the same machine, {p['concurrency']} connections, "
        f"{p['sample']} sampled story ids.",
        "",
    ]
    if p["build"]:
        b = p["build"]
        out += [
            f"Build: {b['added']} articles stored in {b['store_s']} s "
            f"({b['store_articles_per_s']} articles/s, one commit each), "
            f"regroup (stories and dossiers) {b['regroup_s']} s, "
            f"{b['stories']} stories (largest: {b['largest_stories']}), {b['db_mb']} MB on disk"
            + (" (figures of the run that built this kept store)." if p.get("build_reused") else "."),
            "",
        ]
    m = p["dossier_means"]
    out += [
        f"Mean content of the sampled dossiers: {m['articles']} articles, "
        f"{m['summary']} summary sentences, {m['timeline']} timeline events, {m['quotes']} quotes, "
        f"{m['claims']} claims, {m['entities']} entities.",
        "",
        "| route | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms | mean KB | CPU ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in p["routes"].items():
        cpu = p["cpu_ms_per_request"].get(name, "")
        out.append(
            f"| {name} | {r['requests']} | {r['errors']} | {r['rps']} | {r['p50_ms']} | {r['p90_ms']} | "
            f"{r['p99_ms']} | {r['max_ms']} | {r['mean_kb']} | {cpu} |"
        )
    peer = next(iter(p["routes"].values()))
    out.append("")
    for name, r in list(p["routes"].items())[1:]:
        if peer["p50_ms"]:
            out.append(f"- {name}: p50 {r['p50_ms'] / peer['p50_ms']:.1f}x the /health peer's.")
    out += [
        "",
        "Latency is measured end to end over HTTP while other jobs share the 2 cores (see the load "
        "average), so it mostly shows how long requests wait for a core. CPU ms/request is the work "
        "of one request in one process (store reads, decoding, rendering; no HTTP), measured with "
        "`time.process_time` over the same sampled stories.",
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
