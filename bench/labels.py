"""Story labels as a reader sees them: a random sample of 50 on ECB+ dev and on Multi-News dev.

Each dev file becomes a JSONL (ECB+: ``id``, ``title``, ``text``; Multi-News: every source
document as ``id`` and ``text``, no title, as the data has none), goes through ``digest --fast``'s
stages, and 50 story labels per file, drawn with a fixed seed, are written to
``bench/results/labels.md`` to be read one by one for boilerplate and captions (the check is a
reader's; the patterns that caught the ones found are in ``synoptic.cluster``). Run:
``python -m bench.labels``.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

from synoptic.config import Settings
from synoptic.pipeline import digest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "bench" / "results"
SAMPLE = 50
SEED = 13


def ecb_records() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (EVAL / "cluster" / "ecbplus_dev.jsonl").open(encoding="utf-8")]
    return [{"id": r["id"], "title": r["title"], "text": r["text"]} for r in rows]


def multinews_records() -> list[dict[str, str]]:
    out = []
    for line in (EVAL / "mds" / "multinews_dev.jsonl").open(encoding="utf-8"):
        item = json.loads(line)
        out += [{"id": f"{item['id']}-{k}", "text": d} for k, d in enumerate(item["documents"]) if d.strip()]
    return out


def labels(records: list[dict[str, str]]) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        result = digest([str(path)], Settings().fast())
    return [d.story.label for d in result.dossiers]


def main() -> int:
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} is absent", file=sys.stderr)
        return 0
    lines = ["# Story labels, 50 sampled per dev file (`python -m bench.labels`)", ""]
    for name, records in (("ECB+ dev", ecb_records()), ("Multi-News dev (no titles)", multinews_records())):
        found = labels(records)
        sample = random.Random(SEED).sample(found, min(SAMPLE, len(found)))
        lines += [f"## {name}: {len(found)} stories", "", *[f"- {label}" for label in sample], ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "labels.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
