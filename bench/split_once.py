"""What splitting each article once per dossier saves: ``build_dossier`` before and after, side by side.

Before (a commit where the timeline, the cross-check and the summary each split the articles
again) and after (this tree, where :class:`synoptic.nlp.sentences.SentenceSplits` holds one split
per article for the dossier) run the same work, each in its own process from its own source
tree (the commit's ``src`` exported with ``git archive``), alternately, ``--repeat`` times; the
best time of each is kept:

- the bundled example (``examples/xi-moscow-2023``: read, cleaned, grouped, then one dossier per
  story), with the default settings (spaCy, MiniLM) and with the fast profile (hashing
  embedder, no spaCy);
- Multi-News dev records (each record's documents, cleaned, one story), fast profile, until
  ``--articles`` articles.

Reported: seconds in ``build_dossier`` (models loaded and one dossier built before timing; best
of three passes in each process, then best over the processes), and,
from one more pass per tree with every ``split_sentences`` of the loaded modules wrapped, how many
times it ran and its seconds.

    python -m bench.split_once [--before 02fdae5] [--articles 300] [--repeat 3]

Writes ``bench/results/split_once.json`` and ``bench/results/split_once.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xi-moscow-2023"
MULTINEWS = ROOT.parent / "shared" / "eval" / "mds" / "multinews_dev.jsonl"
RESULTS = ROOT / "bench" / "results"
BEFORE = "0f8a431"
"""The last commit before the shared split (the splitter's rules as after: only the sharing differs)."""

Work = list[tuple[Any, list[Any], list[Any]]]


def _example(settings: Any) -> Work:
    from synoptic.pipeline import find_stories, read_and_clean

    articles, _ = read_and_clean([str(EXAMPLE)], settings)
    copies, stories = find_stories(articles, settings)
    return [(s, articles, copies) for s in stories]


def _multinews(settings: Any, limit: int) -> Work:
    from synoptic.eval.mds import cluster_articles
    from synoptic.records import Story

    work: Work = []
    total = 0
    with MULTINEWS.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            arts = cluster_articles(item, settings, clean=True, titled=False)
            if not arts:
                continue
            work.append((Story(id=item["id"], articles=tuple(a.id for a in arts)), arts, []))
            total += len(arts)
            if total >= limit:
                break
    return work


def _count_splits() -> dict[str, float]:
    """Wrap every module attribute that is ``split_sentences``; the wrapper counts and times."""
    import synoptic.nlp.sentences as sentences

    original = sentences.split_sentences
    tally = {"calls": 0.0, "seconds": 0.0}

    def counted(article: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(article)
        finally:
            tally["calls"] += 1
            tally["seconds"] += time.perf_counter() - t0

    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "split_sentences", None) is original:
            module.split_sentences = counted  # type: ignore[attr-defined]
    return tally


def worker(articles: int, passes: int = 3) -> dict[str, Any]:
    """One process's figures (run inside the tree being measured): the best of ``passes`` timed
    passes over each work, so that a burst of load from other processes counts less."""
    from synoptic.config import Settings
    from synoptic.dossier import build_dossier

    full, fast = Settings(), Settings().fast()
    sets: dict[str, tuple[Any, Work]] = {"example (default settings)": (full, _example(full))}
    sets["example (fast)"] = (fast, _example(fast))
    if MULTINEWS.exists():
        mn = _multinews(fast, articles)
        sets[f"Multi-News dev, {sum(len(s.articles) for s, _, _ in mn)} articles (fast)"] = (fast, mn)

    def run(settings: Any, work: Work) -> float:
        t0 = time.perf_counter()
        for story, arts, copies in work:
            build_dossier(story, arts, copies, settings)
        return time.perf_counter() - t0

    out: dict[str, Any] = {}
    for label, (settings, work) in sets.items():
        build_dossier(*work[0], settings)  # models loaded, caches warm
        seconds = min(run(settings, work) for _ in range(passes))
        out[label] = {"seconds": seconds, "stories": len(work)}
    tally = _count_splits()
    for label, (settings, work) in sets.items():
        tally["calls"] = tally["seconds"] = 0.0
        run(settings, work)
        out[label]["split_calls"] = int(tally["calls"])
        out[label]["split_seconds"] = tally["seconds"]
    return out


def _tree(commit: str, into: Path) -> Path:
    """``src`` of ``commit``, exported under ``into``."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _run(src: Path, articles: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "bench.split_once", "--worker", "--articles", str(articles)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _best(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per work: the least seconds, and the split figures of the run whose splits took least."""
    best: dict[str, Any] = {}
    for label in runs[0]:
        rows = [r[label] for r in runs]
        split = min(rows, key=lambda row: row["split_seconds"])
        best[label] = {
            "stories": rows[0]["stories"],
            "seconds": min(row["seconds"] for row in rows),
            "split_calls": split["split_calls"],
            "split_seconds": split["split_seconds"],
        }
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--before", default=BEFORE, help="the commit measured as 'before'")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.articles)))
        return 0

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        trees: dict[str, Path] = {
            f"before ({args.before})": _tree(args.before, Path(tmp)),
            "after (this tree)": ROOT / "src",
        }
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, src in trees.items():
                runs[name].append(_run(src, args.articles))
    best = {name: _best(r) for name, r in runs.items()}
    load_after = os.getloadavg()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "split_once.json").write_text(json.dumps(best, indent=1) + "\n")
    before, after = best.values()
    lines = [
        "# One sentence split per article per dossier: build_dossier before and after",
        "",
        f"`python -m bench.split_once --before {args.before} --articles {args.articles} "
        f"--repeat {args.repeat}` (see its docstring): seconds in `build_dossier`, best of the runs,",
        "the two trees run alternately; calls and seconds of `split_sentences` from one more pass per tree.",
        "",
        f"Load average at the start and the end: {load_before:.1f} and {load_after:.1f}, on {os.cpu_count()} "
        "cores. On a shared machine the `build_dossier` totals swing by tens of percent between runs",
        "of the same code; the `split_sentences` columns (work done, not wall time of everything) are",
        "the measure of the saving.",
        "",
        "| work | stories | before s | after s | saved | split calls before → after "
        "| split s before → after |",
        "|---|---|---|---|---|---|---|",
    ]
    for label in before:
        b, a = before[label], after[label]
        saved = (b["seconds"] - a["seconds"]) / b["seconds"]
        lines.append(
            f"| {label} | {b['stories']} | {b['seconds']:.2f} | {a['seconds']:.2f} | {saved:.1%} | "
            f"{b['split_calls']} → {a['split_calls']} | {b['split_seconds']:.3f} → {a['split_seconds']:.3f} |"
        )
    (RESULTS / "split_once.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
