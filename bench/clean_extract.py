"""Does the cleaner harm HTML-extracted text? Extract F1 with and without it, side by side.

Runs trafilatura (``favor_precision=True, include_comments=False``, the settings of the
ingest stage) over the Scrapinghub article-extraction benchmark pages, then cleans each
extraction with :func:`synoptic.clean.clean_article`, and scores both prediction files with
the reference scorer (``../shared/eval/score.py extract``). The cleaner passes when F1 does
not drop. The results record how many lines each rule removed (counts only: the benchmark's
text stays in ../shared); ``--show`` prints the removed lines for inspection.

    python -m bench.clean_extract [--limit N]

Writes ``bench/results/clean_extract.json`` and ``bench/results/clean_extract.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

from synoptic.clean import clean_article
from synoptic.config import CleanSettings
from synoptic.records import Article, article_id

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "bench" / "results"


def extract(html: str) -> tuple[str, str | None]:
    doc = trafilatura.bare_extraction(html, favor_precision=True, include_comments=False, with_metadata=True)
    if doc is None or isinstance(doc, dict):
        return "", None
    return str(doc.text or ""), doc.title


def score(gold: Path, pred: Path) -> tuple[dict[str, float], dict[str, tuple[float, float, float]]]:
    """The reference scorer's headline and its per-page (tp, fp, fn) shingle counts."""
    details = pred.with_suffix(".details.jsonl")
    out = subprocess.run(
        [
            sys.executable,
            str(EVAL / "score.py"),
            "extract",
            "--gold",
            str(gold),
            "--pred",
            str(pred),
            "--bootstrap",
            "0",
            "--details",
            str(details),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    per_page = {}
    for line in details.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        per_page[d["id"]] = (d["tp"], d["fp"], d["fn"])
    return result, per_page


def page_f1(c: tuple[float, float, float]) -> float:
    tp, fp, fn = c
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def paired(
    base: dict[str, tuple[float, float, float]], other: dict[str, tuple[float, float, float]]
) -> dict[str, float]:
    """Pages better/worse than the baseline, and a paired bootstrap of the F1 difference.

    The aggregate is the reference scorer's own (imported from ../shared/eval/score.py, not copied).
    """
    sys.path.insert(0, str(EVAL))
    import score as reference  # type: ignore[import-not-found]

    ids = sorted(base)
    diff = [page_f1(other[i]) - page_f1(base[i]) for i in ids]
    rng = random.Random(0)
    deltas = []
    for _ in range(1000):
        sample = [ids[rng.randrange(len(ids))] for _ in ids]
        f_other = reference.extract_aggregate([other[i] for i in sample])[2]
        f_base = reference.extract_aggregate([base[i] for i in sample])[2]
        deltas.append(f_other - f_base)
    deltas.sort()
    return {
        "pages_better": sum(d > 1e-9 for d in diff),
        "pages_worse": sum(d < -1e-9 for d in diff),
        "f1_delta_ci95": [round(deltas[25], 4), round(deltas[974], 4)],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=EVAL / "extract")
    ap.add_argument("--limit", type=int, default=0, help="first N pages only (0 = all)")
    ap.add_argument("--show", action="store_true", help="print every removed line with its reason")
    args = ap.parse_args(argv)
    pages = sorted((args.data / "html").glob("*.html.gz"))
    if args.limit:
        pages = pages[: args.limit]
    gold_all = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    settings = CleanSettings(detect_language=False)
    keep_datelines = CleanSettings(detect_language=False, cut_datelines=False)
    raw_rows, clean_rows, kept_rows = [], [], []
    removals: dict[str, int] = {}
    pages_touched: set[str] = set()
    t_extract = t_clean = 0.0
    for page in pages:
        pid = page.name.removesuffix(".html.gz")
        html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
        t0 = time.perf_counter()
        text, title = extract(html)
        t1 = time.perf_counter()
        body = "\n\n".join(line for line in text.split("\n") if line.strip())
        art = Article(id=article_id(body), source=pid, text=body, title=title)
        cleaned = clean_article(art, settings)
        t_extract += t1 - t0
        t_clean += time.perf_counter() - t1
        raw_rows.append({"id": pid, "text": body})
        clean_rows.append({"id": pid, "text": cleaned.text})
        kept_rows.append({"id": pid, "text": clean_article(art, keep_datelines).text})
        for r in cleaned.removed:
            removals[r.reason] = removals.get(r.reason, 0) + 1
            pages_touched.add(pid)
            if args.show:
                print(f"{pid[:12]}  {r.reason:20}  {r.text[:120]}")
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold.json"
        gold.write_text(json.dumps({r["id"]: gold_all[r["id"]] for r in raw_rows}), encoding="utf-8")
        scores, per_page = {}, {}
        systems = (
            ("trafilatura", raw_rows),
            ("trafilatura + synoptic.clean", clean_rows),
            ("trafilatura + synoptic.clean, datelines kept", kept_rows),
        )
        for name, rows in systems:
            pred = Path(tmp) / "pred.jsonl"
            pred.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            scores[name], per_page[name] = score(gold, pred)
        for name, _ in systems[1:]:
            scores[name].update(paired(per_page["trafilatura"], per_page[name]))
    report = {
        "pages": len(pages),
        "scores": scores,
        "seconds": {"extract": round(t_extract, 2), "clean": round(t_clean, 2)},
        "removals_by_reason": dict(sorted(removals.items(), key=lambda kv: -kv[1])),
        "pages_with_removals": len(pages_touched),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "clean_extract.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    lines = [
        f"# Cleaner on HTML extractions ({len(pages)} pages, Scrapinghub benchmark)",
        "",
        "| system | F1 | precision | recall | accuracy | pages better / worse | F1 gain, 95% CI |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in scores.items():
        cells = " | ".join(f"{s[k]:.4f}" for k in ("f1", "precision", "recall", "accuracy"))
        if "pages_better" in s:
            low, high = s["f1_delta_ci95"]
            cells += f" | {s['pages_better']} / {s['pages_worse']} | [{low:+.4f}, {high:+.4f}]"
        else:
            cells += " | (baseline) | "
        lines.append(f"| {name} | {cells} |")
    by_reason = ", ".join(f"{k} {v}" for k, v in sorted(removals.items(), key=lambda kv: -kv[1]))
    lines += [
        "",
        f"Removals: {sum(removals.values())} on {len(pages_touched)} pages ({by_reason}). "
        f"Time: extraction {t_extract:.1f} s, cleaning {t_clean:.2f} s.",
        "",
        "Command: `python -m bench.clean_extract`",
    ]
    (RESULTS / "clean_extract.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
