"""Stored mode that grows: adding articles to a store, by index assignment vs a full regroup.

**quality** (ECB+ dev, 772 documents): the same articles stored two ways, scored by the kit's
``score.py cluster`` on the stored story memberships: *full*, one ingest of everything (the
batch clusterer), and *streaming*, a first batch grouped in full and the rest ingested in
batches of ``--batch`` (each regrouped with the stored stories near it, found through the
store's index, :mod:`synoptic.store.assign`).
Items are fed in file order; the protocol gives no dates.

**grow**: a store of N synthetic articles (``bench/scale.py``'s recombined real dev text, drawn
from 5/6 of the source stories) takes 1,000 more: 800 from the held-out sixth (new stories,
as a day's news is mostly new events) and 200 from the stored stories (updates, dated after
the stored articles of their story, as a day's news is). Each way of
adding them runs on a copy of the same base store, alternating, in this process:
``assign`` (the default ingest: the stories near the new articles regrouped) and ``full``
(``StoreSettings.assign_new`` off: the whole store regrouped, which is what every ingest did
before). ``assign only`` times the index search alone (the part whose cost must not grow with
the store). Settings: ``Settings().fast()`` (hashing
embedder, no spaCy stage) for the dossiers; story B-cubed F1 against the source stories of the
whole store after each way, to compare streaming with a full regroup.

    python -m bench.ingest quality [--batch 50]
    python -m bench.ingest grow [--sizes 10000] [--add 1000]

Writes ``bench/results/ingest.json`` and ``bench/results/ingest.md`` (sections kept between runs).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cluster import ECB, _b3
from bench.corpus import long_tail_articles, source_stories
from bench.scale import DATA, _stories, synthetic_articles

from synoptic.config import ScaleSettings, Settings, StoreSettings
from synoptic.eval import reference_score
from synoptic.eval.cluster import read_items
from synoptic.executors import make_executor
from synoptic.pipeline import read_and_clean
from synoptic.records import Article
from synoptic.store import SQLiteStore, ingest_articles
from synoptic.store.assign import Neighbourhoods
from synoptic.store.ingest import stream_order

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
EVAL = ROOT.parent / "shared" / "eval"


def _settings(assign: bool) -> Settings:
    settings = Settings().fast()
    return settings.with_section(store=StoreSettings(assign_new=assign))


def _memberships(store: SQLiteStore) -> dict[str, str]:
    return {aid: sid for sid, ids in store.memberships().items() for aid in ids}


# --------------------------------------------------------------------------- quality (ECB+ dev)


def quality(batch: int) -> dict[str, Any]:
    articles = read_items(ECB)
    out: dict[str, Any] = {"items": len(articles), "batch": batch}
    with tempfile.TemporaryDirectory() as tmp:
        for name, assign in (("full", False), ("streaming", True)):
            store = SQLiteStore(Path(tmp) / f"{name}.db")
            start = time.perf_counter()
            step = len(articles) if not assign else batch
            for k in range(0, len(articles), step):
                ingest_articles(store, articles[k : k + step], _settings(assign))
            seconds = time.perf_counter() - start
            story_of = _memberships(store)
            store.close()
            pred = Path(tmp) / f"{name}.jsonl"
            pred.write_text(
                "".join(json.dumps({"id": a.id, "cluster": story_of[a.id]}) + "\n" for a in articles)
            )
            scores = reference_score(EVAL / "score.py", "cluster", ECB, pred)
            out[name] = {
                "bcubed_f1": scores["bcubed_f1"],
                "stories": len(set(story_of.values())),
                "seconds": seconds,
            }
            print(
                f"ECB+ dev {name}: B3 F1 {scores['bcubed_f1']:.4f}, {seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    return out


# --------------------------------------------------------------------------- grow (synthetic)


def _corpus(n: int, add: int, corpus: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    def draw(k: int, seed: int, pool: list[int], first_id: int) -> list[dict[str, str]]:
        if corpus == "tail":
            return list(long_tail_articles(k, seed=seed, pool=pool, first_id=first_id))
        return synthetic_articles(k, seed=seed, pool=pool, first_id=first_id)

    count = len(source_stories()) if corpus == "tail" else len(_stories())
    held = [s for s in range(count) if s % 6 == 5]
    kept = [s for s in range(count) if s % 6 != 5]
    fresh = add * 4 // 5
    base = draw(n, 13, kept, 0)
    updates = _after_stored(base, draw(add - fresh, 15, kept, n + fresh))
    return base, draw(fresh, 14, held, n) + updates


def _source_story(url: str | None) -> str:
    """The source story an article of the corpus was drawn from: its URL's first path segment."""
    return (url or "").split("/")[3]


def _story_of(record: dict[str, str]) -> str:
    return _source_story(record["url"])


def _after_stored(base: list[dict[str, str]], updates: list[dict[str, str]]) -> list[dict[str, str]]:
    """``updates`` to stored stories moved in time to follow them: each story's updates keep
    their spacing and start an hour after its latest stored article (the corpus dates each draw
    of a story on a random day, which would put half of a day's updates before the coverage
    they update)."""
    last: dict[str, dt.datetime] = {}
    for r in base:
        when = dt.datetime.fromisoformat(r["published"])
        last[_story_of(r)] = max(when, last.get(_story_of(r), when))
    first: dict[str, dt.datetime] = {}
    for r in updates:
        when = dt.datetime.fromisoformat(r["published"])
        first[_story_of(r)] = min(when, first.get(_story_of(r), when))
    moved = []
    for r in updates:
        story = _story_of(r)
        if story not in last:  # a source story the base drew no article of
            moved.append(r)
            continue
        shift = last[story] + dt.timedelta(hours=1) - first[story]
        when = dt.datetime.fromisoformat(r["published"]) + shift
        moved.append({**r, "published": when.isoformat()})
    return moved


class _DossierClock(logging.Handler):
    """The dossiers built and the seconds they took, read from the pipeline's "%d dossiers in
    %.1f s" records."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds = 0.0
        self.built = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "%d dossiers in %.1f s" and isinstance(record.args, tuple):
            built, seconds = record.args
            self.built += built if isinstance(built, int) else 0
            self.seconds += seconds if isinstance(seconds, float) else 0.0


def _stored_stories(db: Path) -> dict[str, str]:
    """Stored article id -> its source story (the URL's first path segment), read from the
    store's records (the base is not read and cleaned again on every run)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, json_extract(record, '$.url') FROM articles").fetchall()
    return {aid: _source_story(url) for aid, url in rows}


def _size_class(n: int) -> str:
    return "1" if n == 1 else "2-5" if n <= 5 else "6-20" if n <= 20 else "21-100" if n <= 100 else "> 100"


def _read(records: list[dict[str, str]], path: Path, settings: Settings) -> list[Article]:
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    articles, failures = read_and_clean([str(path)], settings)
    assert not failures, failures[:3]
    return articles


def grow(
    n: int, add: int, rounds: int, corpus: str = "tail", full: bool = True, workers: int = 1
) -> dict[str, Any]:
    base_records, added_records = _corpus(n, add, corpus)
    folder = DATA / (f"ingest-{n}" if corpus == "uniform" else f"ingest-{corpus}-{n}")
    folder.mkdir(parents=True, exist_ok=True)
    settings = _settings(True)
    t = time.perf_counter()
    added = _read(added_records, folder / "added.jsonl", settings)
    read_s = time.perf_counter() - t
    db = folder / "base.db"
    executor = make_executor(ScaleSettings(workers=workers))  # grouping and dossiers of all ingests
    # the base store: one full regroup, kept between runs of this benchmark (delete it after a
    # change of what a store keeps: a migrated store lacks what the new code would have written)
    if not db.exists():
        base = _read(base_records, folder / "base.jsonl", settings)
        t = time.perf_counter()
        with SQLiteStore(folder / "base.tmp.db") as store:
            ingest_articles(store, base, settings, executor=executor)
        (folder / "base.tmp.db").rename(db)
        print(f"base store of {n}: {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    gold = _stored_stories(db)
    stored = len(gold)
    gold.update({a.id: _source_story(a.url) for a in added})
    ways = ("assign", "full", "assign only") if full else ("assign", "assign only")
    runs: dict[str, list[float]] = {way: [] for way in ways}
    b3: dict[str, float] = {}
    stories: dict[str, int] = {}
    rebuilt: dict[str, int] = {}
    rebuilt_sizes: dict[str, dict[str, int]] = {}
    dossier_s: dict[str, float] = {}
    built: dict[str, int] = {}
    clock = _DossierClock()
    pipeline_log = logging.getLogger("synoptic.pipeline")
    pipeline_log.addHandler(clock)
    pipeline_log.setLevel(logging.INFO)
    for r in range(rounds):
        order = ("assign", "full") if r % 2 == 0 else ("full", "assign")
        if not full:  # a full regroup of a large store takes as long as its first digest
            order = ("assign",)
        for mode in (*order, "assign only"):
            copy = folder / f"{mode.replace(' ', '-')}.db"
            shutil.copyfile(db, copy)
            with SQLiteStore(copy) as store:
                if mode == "assign only":
                    for a in added:
                        store.add_article(a)
                    t = time.perf_counter()
                    finder = Neighbourhoods(
                        store,
                        settings.cluster,
                        settings.store.assign_candidates,
                        settings.store.near_similarity,
                    )
                    finder.count(added)
                    for a in sorted(added, key=stream_order):
                        finder.near(a)
                else:
                    clock.seconds, clock.built = 0.0, 0
                    t = time.perf_counter()
                    report = ingest_articles(store, added, _settings(mode == "assign"), executor=executor)
                    if report.regroup is not None and r == 0:
                        remade = (*report.regroup.new, *report.regroup.changed)
                        rebuilt[mode] = len(remade)
                        members = store.memberships()
                        sizes = collections.Counter(_size_class(len(members[sid])) for sid in remade)
                        rebuilt_sizes[mode] = dict(sorted(sizes.items()))
                        dossier_s[mode] = clock.seconds
                        built[mode] = clock.built
                runs[mode].append(time.perf_counter() - t)
                if mode != "assign only" and r == 0:
                    story_of = _memberships(store)
                    ids = sorted(story_of)
                    labels = {s: k for k, s in enumerate(sorted(set(story_of.values())))}
                    b3[mode] = _b3([gold[i] for i in ids], [labels[story_of[i]] for i in ids])
                    stories[mode] = len(labels)
            copy.unlink()
            print(f"{n} + {add} {mode}: {runs[mode][-1]:.1f} s", file=sys.stderr, flush=True)
    executor.close()
    pipeline_log.removeHandler(clock)
    return {
        "corpus": corpus,
        "workers": workers,
        "store": stored,
        "added": len(added),
        "read_clean_s": read_s,
        "read_clean_of": "the new articles",
        "seconds": {k: min(v) for k, v in runs.items()},
        "all_seconds": runs,
        "bcubed_f1": b3,
        "stories": stories,
        "dossiers_rebuilt": rebuilt,
        "rebuilt_by_size": rebuilt_sizes,
        "dossier_seconds": dossier_s,
        "dossiers_built": built,
    }


# --------------------------------------------------------------------------- results


def write(section: str, result: Any, command: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "ingest.json"
    data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    data[section] = {"command": command, "load": os.getloadavg()[0], "result": result}
    path.write_text(json.dumps(data, indent=1) + "\n")
    (RESULTS / "ingest.md").write_text(markdown(data))


def markdown(data: dict[str, Any]) -> str:
    """``ingest.md`` from the sections of ``ingest.json``."""
    lines = [
        "# Stored mode that grows: index assignment vs full regroup",
        "",
        (__doc__ or "").split("\n\n")[0],
        "",
    ]
    if "quality" in data:
        q = data["quality"]
        res = q["result"]
        lines += [
            f"## ECB+ dev ({res['items']} documents), `{q['command']}`",
            "",
            "| way | B-cubed F1 | stories | seconds |",
            "|---|---:|---:|---:|",
        ]
        for way in ("full", "streaming"):
            row = res[way]
            lines.append(f"| {way} | {row['bcubed_f1']:.4f} | {row['stories']} | {row['seconds']:.1f} |")
        lines.append("")
    for key in sorted(k for k in data if k.startswith("grow-")):
        g = data[key]
        res = g["result"]
        sec = res["seconds"]
        corpus = res.get("corpus", "uniform")  # runs before bench/corpus.py read the first corpus
        lines += [
            f"## Adding {res['added']} articles to a store of {res['store']} ({corpus} corpus, "
            f"{res.get('workers', 1)} process{'es' if res.get('workers', 1) > 1 else ''}), "
            f"`{g['command']}`",
            "",
            f"Load average {g['load']:.1f}; best of the alternated rounds; read + clean "
            f"({res['read_clean_s']:.1f} s, {res.get('read_clean_of', 'the base and the new articles')}) "
            "not included.",
            "",
            "| way | seconds | B-cubed F1 of the whole store | stories |",
            "|---|---:|---:|---:|",
            f"| near regroup (default ingest) | {sec['assign']:.1f} | "
            f"{res['bcubed_f1'].get('assign', 0):.4f} | "
            f"{res['stories'].get('assign', 0)} |",
        ]
        if "full" in sec:
            lines.append(
                f"| full regroup (before) | {sec['full']:.1f} | {res['bcubed_f1'].get('full', 0):.4f} | "
                f"{res['stories'].get('full', 0)} |"
            )
        lines += [f"| index search alone | {sec['assign only']:.1f} | | |", ""]
        if "full" in sec:
            lines.append(f"Ratio full / near: {sec['full'] / sec['assign']:.2f}x.")
        built = f"; dossiers built: {res['dossiers_built']}" if "dossiers_built" in res else ""
        lines += [f"New and changed stories: {res.get('dossiers_rebuilt', {})}{built}.", ""]
        for way, sizes in res.get("rebuilt_by_size", {}).items():
            # only the near regroup keeps the dossier of a large story still read the same
            kept = ""
            if way in res.get("dossiers_built", {}):
                same = res["dossiers_rebuilt"][way] - res["dossiers_built"][way]
                kept = f" ({same} of more than 100 still read the same articles and keep their dossier)"
            lines += [
                f"{way}: the new and changed stories by article count {sizes}{kept}; building "
                f"their dossiers took {res['dossier_seconds'][way]:.1f} s of the {sec[way]:.1f} s "
                "(first round).",
                "",
            ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest")
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--batch", type=int, default=50)
    g = sub.add_parser("grow")
    g.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    g.add_argument("--add", type=int, default=1_000)
    g.add_argument("--rounds", type=int, default=2)
    g.add_argument(
        "--corpus", choices=("tail", "uniform"), default="tail", help="bench/corpus.py's or the first"
    )
    g.add_argument("--no-full", action="store_true", help="skip the full regroup (large stores)")
    g.add_argument("--workers", type=int, default=1, help="worker processes for the ingests (1: this one)")
    args = parser.parse_args(argv)
    command = "python -m bench.ingest " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.what == "quality":
        write("quality", quality(args.batch), command)
    else:
        for n in args.sizes:
            key = f"grow-{n}" if args.corpus == "uniform" else f"grow-{args.corpus}-{n}"
            key += f"-w{args.workers}" if args.workers > 1 else ""
            write(key, grow(n, args.add, args.rounds, args.corpus, not args.no_full, args.workers), command)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
