"""End-to-end speed and memory from 1k to 100k articles: in-process, process pool, Dask.

**Corpus** (built from real text, nothing invented): the stories are the clusters of the
dev files in ``../shared/eval`` (Multi-News: 250 clusters of 2-10 source articles as scraped,
ECB+: 66 event clusters, NeuS: 307 stories x 3 outlets). Article *i* picks a story at random
(seeded), one of that story's real documents as its base, keeps a random contiguous run of
50-100% of its paragraphs (at most 12), and with probability 0.5 inserts one paragraph from
another document of the same story, as a rewrite would. Its title is the first sentence, its
outlet one of 200 names (``Outlet 017``), its date a story-specific day plus hours. So every
sentence is real news text, every story has many outlets, and repeated material across
outlets is what clustering and cross-checking see in real feeds. Written as JSONL (the main
runs: text in) and, with ``--warc``, as WARC.gz files of 1,000 HTML pages each (CC-NEWS-like).

**Runs**: each (size, mode) runs in a fresh child process (``python -m bench.scale run``)
that executes the whole digest (read, clean, stories, dossiers, JSON written to a file) and
reports the time of each stage; the parent samples the summed RSS of the child's process
tree (workers and Dask included) every 0.1 s for the peak. Modes: ``in-process``,
``workers2`` (``--workers 2``) and ``dask2`` (``--dask local`` with 2 workers), with the
fast settings of ``synoptic digest --fast`` (:meth:`Settings.fast`: the ``hashing`` embedder, no
spaCy stage); ``--full`` keeps the spaCy stage (entities, quotes) with the hashing embedder;
``--default`` runs the default settings (MiniLM everywhere and spaCy: every stage as the example
shows it).
``--profile`` adds a cProfile of an in-process run.

    python -m bench.scale [--sizes 1000 10000] [--modes in-process workers2 dask2] [--full | --default]
                          [--profile 1000]

Writes ``bench/results/scale.json`` and ``bench/results/scale.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import html
import io
import itertools
import json
import os
import platform
import pstats
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "bench" / "results"
DATA = Path(os.environ.get("SYNOPTIC_SCALE_DATA", "/tmp/synoptic-scale"))
MODES = {"in-process": {}, "workers2": {"workers": 2}, "dask2": {"workers": 2, "dask": "local"}}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z])")


# --------------------------------------------------------------------------- corpus


def _stories() -> list[list[list[str]]]:
    """Each dev story as its documents, each document as paragraphs of real text."""
    stories: list[list[list[str]]] = []
    for name in ("multinews_dev.jsonl", "neus_dev.jsonl"):
        for line in (EVAL / "mds" / name).open(encoding="utf-8"):
            docs = []
            for text in json.loads(line)["documents"]:
                paras = [p.strip() for p in re.split(r"\s*\n\s*\n\s*", text) if len(p.split()) >= 4]
                if len(paras) >= 2:
                    docs.append(paras)
            if docs:
                stories.append(docs)
    clusters: dict[str, list[list[str]]] = {}
    for line in (EVAL / "cluster" / "ecbplus_dev.jsonl").open(encoding="utf-8"):
        item = json.loads(line)
        sentences = [s.strip() for s in item["text"].split("\n") if s.strip()]
        paras = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
        if len(paras) >= 2:
            clusters.setdefault(item["gold"], []).append(paras)
    stories.extend(clusters.values())
    return stories


def synthetic_articles(
    n: int, seed: int = 13, pool: list[int] | None = None, first_id: int = 0
) -> list[dict[str, str]]:
    """``n`` JSONL records of articles recombined from real dev-set documents (see the module doc);
    ``pool``: draw only from these stories (indices into :func:`_stories`); ids from ``first_id``."""
    rng = random.Random(seed)
    stories = _stories()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    out = []
    for i in range(first_id, first_id + n):
        s = rng.randrange(len(stories)) if pool is None else pool[rng.randrange(len(pool))]
        docs = stories[s]
        base = docs[rng.randrange(len(docs))]
        size = min(12, max(2, round(len(base) * rng.uniform(0.5, 1.0))))
        first = rng.randrange(0, len(base) - size + 1)
        paras = list(base[first : first + size])
        others = [d for d in docs if d is not base]
        if others and rng.random() < 0.5:
            other = others[rng.randrange(len(others))]
            paras.insert(rng.randrange(len(paras) + 1), other[rng.randrange(len(other))])
        title = _SENTENCE_END.split(paras[0], maxsplit=1)[0]
        title = " ".join(title.split()[:16])
        when = start + dt.timedelta(days=s % 90, hours=rng.randrange(48), minutes=rng.randrange(60))
        out.append(
            {
                "id": f"a{i:06d}",
                "title": title,
                "text": "\n\n".join(paras),
                "outlet": f"Outlet {rng.randrange(200):03d}",
                "url": f"https://news.example/{s}/{i}",
                "published": when.isoformat(),
            }
        )
    return out


CORPORA = ("tail", "uniform")
"""``tail``: :mod:`bench.corpus` (story sizes with a long tail, the default); ``uniform``: the
first corpus, :func:`synthetic_articles` (kept to re-run the earlier figures)."""


def write_jsonl(n: int, corpus: str) -> Path:
    from bench.corpus import long_tail_articles

    path = DATA / (f"tail-{n}.jsonl" if corpus == "tail" else f"articles-{n}.jsonl")
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        records = long_tail_articles(n) if corpus == "tail" else synthetic_articles(n)
        with tmp.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        tmp.rename(path)
    return path


def write_warc(n: int, per_file: int = 1000) -> Path:
    """The same articles as HTML pages in WARC.gz files of ``per_file`` response records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = DATA / f"warc-{n}"
    if folder.exists():
        return folder
    tmp = DATA / f"warc-{n}.tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    records = synthetic_articles(n)
    for k in range(0, n, per_file):
        with (tmp / f"news-{k // per_file:05d}.warc.gz").open("wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for rec in records[k : k + per_file]:
                body = "".join(f"<p>{html.escape(p)}</p>\n" for p in rec["text"].split("\n\n"))
                page = (
                    f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(rec["title"])}'
                    f'</title><meta property="og:site_name" content="{rec["outlet"]}">'
                    f'<meta property="article:published_time" content="{rec["published"]}"></head><body>'
                    f'<nav><a href="/">Home</a></nav><article><h1>{html.escape(rec["title"])}</h1>\n{body}'
                    "</article><footer>© News Example</footer></body></html>"
                ).encode()
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                writer.write_record(
                    writer.create_warc_record(
                        rec["url"], "response", payload=io.BytesIO(page), http_headers=headers
                    )
                )
    tmp.rename(folder)
    return folder


# --------------------------------------------------------------------------- one run (child)


KINDS = ("fast", "full", "default")
"""Settings of a run: ``--fast``; hashing with the spaCy stage; the defaults (MiniLM, spaCy)."""


def run_once(paths: list[str], mode: str, out: Path, kind: str = "fast") -> dict[str, Any]:
    """The whole digest in this process (plus its workers), timed per stage."""
    import psutil

    from synoptic.config import ScaleSettings, Settings
    from synoptic.executors import make_executor
    from synoptic.nlp.embeddings import run_embedder
    from synoptic.pipeline import find_stories, iter_dossiers, read_and_clean
    from synoptic.records import DigestStream
    from synoptic.render import iter_json

    try:
        from synoptic.pipeline import run_vectors
    except ImportError:  # code from before the run kept them (a side-by-side run)
        run_vectors = None

    scale = ScaleSettings(**MODES[mode])
    settings = Settings().with_section(scale=scale)
    if kind == "fast":
        settings = settings.fast()
    elif kind == "full":
        settings = settings.with_embedder("hashing")
    times: dict[str, float] = {}
    rss: dict[str, float] = {}  # this process's resident MB after each stage (workers not included)
    me = psutil.Process()
    t0 = time.perf_counter()
    with make_executor(settings.scale) as executor:
        times["start executor"] = time.perf_counter() - t0
        t = time.perf_counter()
        articles, failures = read_and_clean(paths, settings, executor=executor)
        times["read + clean"] = time.perf_counter() - t
        rss["read + clean"] = me.memory_info().rss / 1e6
        t = time.perf_counter()
        # as the digest does: one embedder, and the copy search's sentence vectors for the dossiers
        embedder = run_embedder(settings.nlp)
        known = run_vectors(embedder) if run_vectors else None
        copies, stories = _call(find_stories, articles, settings, executor, embedder=embedder, known=known)
        times["stories"] = time.perf_counter() - t
        rss["stories"] = me.memory_info().rss / 1e6
        t = time.perf_counter()
        # as `synoptic digest -f json -o` writes it: each dossier written as it is built
        dossiers = _call(
            iter_dossiers, stories, articles, copies, settings, executor, embedder=embedder, known=known
        )
        stream = DigestStream(tuple(articles), tuple(copies), dossiers, len(stories), tuple(failures))
        with out.open("w", encoding="utf-8") as fh:
            fh.writelines(iter_json(stream))
        times["dossiers + json"] = time.perf_counter() - t
        rss["dossiers + json"] = me.memory_info().rss / 1e6
    return {
        "articles": len(articles),
        "stories": len(stories),
        "copies": len(copies),
        "failures": len(failures),
        "stages": times,
        "rss_after": rss,
        "stage_total": time.perf_counter() - t0,
    }


def _call(fn: Any, *args: Any, **optional: Any) -> Any:
    """``fn(*args[:-1], executor=...)`` when the stage takes an executor, else without it; of
    the ``optional`` keywords, those it takes (older code, run side by side, may not)."""
    import inspect

    *positional, executor = args
    taken = inspect.signature(fn).parameters
    keywords = {k: v for k, v in optional.items() if k in taken and v is not None}
    if "executor" in taken:
        keywords["executor"] = executor
    return fn(*positional, **keywords)


# --------------------------------------------------------------------------- measuring (parent)


def _tree_rss(pid: int, cpu: dict[int, float]) -> list[int]:
    """RSS of ``pid`` and of each of its descendants (``pid``'s first); records each one's CPU
    seconds in ``cpu``."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
    out = []
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            out.append(p.memory_info().rss)
            times = p.cpu_times()
            cpu[p.pid] = times.user + times.system
    return out


def _stage_at(seconds: float, result: dict[str, Any]) -> str:
    """The stage of a run ``seconds`` after its child started (what comes before the first
    stage, interpreter start and imports, is the wall time the stages do not account for)."""
    at = seconds - (result["wall"] - result["stage_total"])
    for stage, took in result["stages"].items():
        if at < took:
            return str(stage)
        at -= took
    return "end"


def measure(paths: list[str], mode: str, label: str, kind: str = "fast") -> dict[str, Any]:
    out = DATA / f"out-{label}-{mode}-{kind}.json"
    report = DATA / f"report-{label}-{mode}-{kind}.json"
    cmd = [sys.executable, "-m", "bench.scale", "run", "--mode", mode, "--out", str(out)]
    cmd += ["--kind", kind]
    cmd += ["--report", str(report), *paths]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    peak = 0
    peak_at = 0.0
    peak_parts: list[int] = []
    cpu: dict[int, float] = {}
    load = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, env=env)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_at, peak_parts
        while not done.is_set():
            parts = _tree_rss(child.pid, cpu)
            if sum(parts) > peak:
                peak, peak_at, peak_parts = sum(parts), time.perf_counter() - start, parts
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rc = child.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if rc != 0:
        raise SystemExit(f"run {label} {mode} failed with exit code {rc}")
    result: dict[str, Any] = json.loads(report.read_text())
    result.update(mode=mode, label=label, wall=wall, peak_rss_mb=peak / 1e6, settings=kind)
    # where the peak was: the stage, and each process's share (the main process first)
    result["peak_stage"] = _stage_at(peak_at, result)
    result["peak_parts_mb"] = [round(b / 1e6) for b in peak_parts]
    result["articles_per_s"] = result["articles"] / wall
    result["cpu_s"] = sum(cpu.values())
    result["load"] = (load + os.getloadavg()[0]) / 2
    print(
        f"{label:>8} {mode:>10}: {result['articles']} articles, {result['stories']} stories, "
        f"{wall:.1f} s wall ({result['articles_per_s']:.1f}/s), {result['cpu_s']:.0f} CPU s, "
        f"peak RSS {peak / 1e6:.0f} MB, load {result['load']:.1f}",
        file=sys.stderr,
        flush=True,
    )
    return result


def profile(paths: list[str], kind: str = "fast", top: int = 25) -> str:
    """cProfile of an in-process run: the top functions by own time and by cumulative time."""
    prof = cProfile.Profile()
    prof.enable()
    run_once(paths, "in-process", DATA / "out-profile.json", kind)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def _machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, "
        f"load average {load:.1f} at start"
    )


def write_results(results: list[dict[str, Any]], prof: str | None, argv: list[str]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    old = RESULTS / "scale.json"
    if old.exists():  # runs of other sizes/modes from earlier invocations are kept
        new = {_key(r) for r in results}
        kept = [r for r in json.loads(old.read_text())["runs"] if _key(r) not in new]
        results = sorted(kept + results, key=_key)
    payload = {"machine": _machine(), "command": "python -m bench.scale " + " ".join(argv), "runs": results}
    (RESULTS / "scale.json").write_text(json.dumps(payload, indent=1) + "\n")
    lines = [
        "# Scale: end-to-end speed and memory",
        "",
        f"Command: `{payload['command']}`. Settings: `fast` is `synoptic digest --fast` (the `hashing`",
        "embedder, no spaCy stage); `full` keeps the spaCy stage (entities, quotes) with that embedder;",
        "`default` is the default settings (MiniLM everywhere, spaCy).",
        f"Machine: {payload['machine']}.",
        "Corpus: real dev-set documents recombined into articles; `tail`: story sizes with a long tail",
        "(`bench/corpus.py`, the default); `uniform`: the first corpus, each source story equally likely",
        "(`bench.scale.synthetic_articles`, mostly repeats at 100k). Peak RSS after each stage of the",
        "main process is in `scale.json` (`rss_after`).",
        "Wall time is the whole child process (interpreter start, imports, executor start, read, clean,",
        "stories, dossiers, JSON written); peak RSS sums the child and all its worker processes;",
        "CPU s sums user+system seconds of the whole process tree (last sample of each process);",
        "load is the 1-minute load average (other jobs share the machine: wall times include waiting).",
        "",
        "| corpus | settings | articles | input | mode | stories | wall s | articles/s | CPU s | load "
        "| peak RSS MB | " + " | ".join(_stage_names(results)) + " |",
        "|---|---|---:|---|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(_stage_names(results)),
    ]
    names = _stage_names(results)
    for r in results:
        stages = r["stages"]
        total = sum(stages.values()) or 1.0
        cells = [f"{stages.get(s, 0):.1f} ({100 * stages.get(s, 0) / total:.0f}%)" for s in names]
        lines.append(
            f"| {r.get('corpus', 'uniform')} | {r.get('settings', 'full')} | {r['articles']} "
            f"| {r.get('input', 'jsonl')} | {r['mode']} "
            f"| {r['stories']} | {r['wall']:.1f} "
            f"| {r['articles_per_s']:.1f} | {r.get('cpu_s', 0):.0f} | {r.get('load', 0):.1f} "
            f"| {r['peak_rss_mb']:.0f} | " + " | ".join(cells) + " |"
        )
    peaks = [r for r in results if "peak_stage" in r]
    if peaks:
        lines += ["", "Where the peak was (its stage; RSS of each process then, the main one first, MB):", ""]
        lines += [
            f"- {r.get('corpus', 'uniform')}, {r.get('settings', 'full')}, {r['articles']}, {r['mode']}: "
            f"{r['peak_stage']}; {', '.join(str(m) for m in r['peak_parts_mb'])}"
            for r in peaks
        ]
    lines += ["", "Scaling (time at 10x articles / time at 1x, same mode):", ""]
    by = {
        (r.get("corpus", "uniform"), r.get("settings", "full"), r["label"], r["mode"]): r
        for r in results
        if r.get("input", "jsonl") == "jsonl"
    }
    labels = sorted({r["label"] for r in results}, key=lambda s: int(s))
    for corpus, kind in itertools.product(CORPORA, KINDS):
        for small, big in itertools.pairwise(labels):
            for mode in MODES:
                one, ten = (corpus, kind, small, mode), (corpus, kind, big, mode)
                if one in by and ten in by:
                    ratio = by[ten]["wall"] / by[one]["wall"]
                    times = f"{by[ten]['articles'] / by[one]['articles']:.1f}x articles"
                    lines.append(
                        f"- {corpus}, {kind}, {mode}: {big} vs {small}: {ratio:.2f}x time for {times}"
                    )
    if prof:
        lines += ["", "## Profile (in-process, cProfile)", "", "```", prof.strip(), "```"]
    (RESULTS / "scale.md").write_text("\n".join(lines) + "\n")


def _key(run: dict[str, Any]) -> tuple[str, str, str, int, int]:
    settings = run.get("settings", "full")  # runs before the fast profile kept the spaCy stage
    corpus = run.get("corpus", "uniform")  # runs before bench/corpus.py read the first corpus
    return corpus, settings, run.get("input", "jsonl"), int(run["label"]), list(MODES).index(run["mode"])


def _stage_names(results: list[dict[str, Any]]) -> list[str]:
    names: dict[str, None] = {}
    for r in results:
        names.update(dict.fromkeys(r["stages"]))
    return list(names)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["run"]:
        ap = argparse.ArgumentParser()
        ap.add_argument("run")
        ap.add_argument("--mode", choices=list(MODES), required=True)
        ap.add_argument("--out", type=Path, required=True)
        ap.add_argument("--report", type=Path, required=True)
        ap.add_argument("--kind", choices=KINDS, default="fast")
        ap.add_argument("paths", nargs="+")
        args = ap.parse_args(argv)
        args.report.write_text(json.dumps(run_once(args.paths, args.mode, args.out, args.kind)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES))
    ap.add_argument("--corpus", choices=CORPORA, default="tail", help="which corpus (see CORPORA)")
    ap.add_argument("--warc", action="store_true", help="read WARC.gz files of HTML pages instead of JSONL")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile an in-process run of N")
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--full", action="store_true", help="keep the spaCy stage (entities, quotes)")
    which.add_argument("--default", action="store_true", help="the default settings (MiniLM, spaCy)")
    args = ap.parse_args(argv)
    kind = "default" if args.default else "full" if args.full else "fast"
    results = []
    for n in args.sizes:
        source = write_warc(n) if args.warc else write_jsonl(n, args.corpus)
        for mode in args.modes:
            run = measure([str(source)], mode, str(n), kind)
            run["input"] = "warc" if args.warc else "jsonl"
            run["corpus"] = "uniform" if args.warc else args.corpus
            results.append(run)
    prof = profile([str(write_jsonl(args.profile, args.corpus))], kind) if args.profile else None
    if prof:
        print(prof, file=sys.stderr)
    write_results(results, prof, argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
