"""Cost of one long article: time and peak memory of ``synoptic digest`` on one text file of
25 KB / 250 KB / 1 MB / 10 MB built from real paragraphs (Multi-News dev documents, in order,
each paragraph once until the size is reached, then again from the start).

Each size runs in a fresh process (``/usr/bin/time``-style figures from ``resource``); the CPU
time of a 2 KB article (start-up and model loading) is subtracted to give the work on the text.
Peak memory is the largest child so far (``ru_maxrss`` of the children), so sizes go in
increasing order.

    python -m bench.long_article --sizes 25000 250000 [--fast] [--data ../shared/eval/mds/multinews_dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "mds" / "multinews_dev.jsonl"


def real_paragraphs(data: Path) -> list[str]:
    """Distinct paragraphs of the Multi-News dev documents, in file order."""
    seen: set[str] = set()
    out: list[str] = []
    with data.open(encoding="utf-8") as fh:
        for line in fh:
            for doc in json.loads(line)["documents"]:
                for para in doc.split("\n"):
                    para = " ".join(para.split())
                    if len(para.split()) >= 8 and para not in seen:
                        seen.add(para)
                        out.append(para)
    return out


def build_article(paragraphs: list[str], size: int) -> str:
    """A title line and paragraphs up to ``size`` bytes of UTF-8."""
    lines = ["A long article built from real paragraphs"]
    total = len(lines[0]) + 1
    i = 0
    while total < size:
        para = paragraphs[i % len(paragraphs)]
        lines.append(para)
        total += len(para.encode()) + 2
        i += 1
    return "\n\n".join(lines) + "\n"


def run_once(path: Path, fast: bool) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (GB) of one ``synoptic digest``.

    CPU seconds are the figure to compare on a shared machine: wall time there depends on what
    else runs (the same run took 7 s and 46 s of wall time an hour apart)."""
    cmd = [sys.executable, "-m", "synoptic", "digest", str(path), "-f", "json", "-o", os.devnull, "-q"]
    if fast:
        cmd.append("--fast")
    # one BLAS/torch thread: CPU seconds then measure work, not two threads spinning for a core
    env = os.environ | {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 250_000])
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    paras = real_paragraphs(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        base_path = Path(tmp) / "base.txt"
        base_path.write_text(build_article(paras, 2_000), encoding="utf-8")
        base_wall, base_cpu, _ = run_once(base_path, args.fast)
        mode = "--fast" if args.fast else "default"
        print(f"start-up and model loading (a 2 KB article): {base_wall:.1f} s wall, {base_cpu:.1f} CPU s")
        print("| size | wall s | CPU s | CPU s minus start-up | peak GB | mode |")
        print("|---:|---:|---:|---:|---:|---|")
        for size in args.sizes:
            path = Path(tmp) / f"{size}.txt"
            path.write_text(build_article(paras, size), encoding="utf-8")
            wall, cpu, peak = run_once(path, args.fast)
            print(
                f"| {size:,} | {wall:.1f} | {cpu:.1f} | {cpu - base_cpu:.1f} | {peak:.2f} | {mode} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
