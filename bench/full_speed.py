"""What bounds the full pipeline's speed: MiniLM sentence encoding, measured and counted.

The full settings (MiniLM everywhere, spaCy for entities and quotes) run at a few articles per
second on two cores. This benchmark says where the time goes and what the ceiling is, side by
side in one process:

1. **Digest**, in-process, on the first ``--articles`` records of the scale corpus
   (``bench/scale.py``: real dev text of the kit, recombined), with the full settings and with
   ``--fast``, timed per phase; every MiniLM call is counted (texts, seconds) by the stage that
   made it.
2. **MiniLM throughput** on that corpus's sentences, with torch on one and on two threads, in
   float32 and in bfloat16 (autocast, what ``[nlp] precision = "auto"`` takes on CPUs with
   native bfloat16), and how far bfloat16 moves the cosines the thresholds compare.
3. **Ceiling**: throughput on two threads (in the digest's precision) divided by the texts the
   stages encode per article: the articles/s the full settings could reach if nothing but
   MiniLM ran.
4. **int8 dynamic quantization** of MiniLM (torch ``quantize_dynamic`` on the Linear layers):
   its speed-up, and how far it moves the cosines (which is why it is not used).
5. **Batch size**: MiniLM's throughput at 8-64 texts per batch, one thread, both precisions.

    PYTHONPATH=src python -m bench.full_speed [--articles 200]

Writes ``bench/results/full_speed.md`` and ``bench/results/full_speed.json``.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from bench.scale import DATA, RESULTS, _machine, write_jsonl

from synoptic.nlp.embeddings import MiniLMEmbedder

ROOT = Path(__file__).resolve().parents[1]


def _first_records(n: int) -> Path:
    """The first ``n`` records of the 1k scale corpus as their own JSONL file."""
    source = write_jsonl(max(n, 1000), "uniform")  # the corpus its recorded figures were taken on
    path = DATA / f"first-{n}.jsonl"
    with source.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        out.writelines(itertools.islice(src, n))
    return path


class _Counted:
    """MiniLM's ``encode`` wrapped to count texts and seconds per calling stage."""

    def __init__(self) -> None:
        self.texts: collections.Counter[str] = collections.Counter()
        self.seconds: collections.Counter[str] = collections.Counter()

    def install(self) -> None:
        from synoptic.nlp import embeddings

        inner = embeddings.MiniLMEmbedder.encode
        counted = self

        def encode(self: Any, texts: Sequence[str]) -> Any:
            stage = next(
                (
                    f"{Path(f.filename).stem}.{f.name}"
                    for f in reversed(traceback.extract_stack()[:-1])
                    if "/synoptic/" in f.filename and not f.filename.endswith("embeddings.py")
                ),
                "?",
            )
            started = time.perf_counter()
            out = inner(self, texts)
            counted.seconds[stage] += time.perf_counter() - started
            counted.texts[stage] += len(texts)
            return out

        embeddings.MiniLMEmbedder.encode = encode  # type: ignore[method-assign]


def _digest(path: Path, fast: bool) -> dict[str, Any]:
    from synoptic.config import Settings
    from synoptic.pipeline import read_and_clean, stream_articles

    settings = Settings().fast() if fast else Settings()
    times: dict[str, float] = {}
    t = time.perf_counter()
    articles, _ = read_and_clean([str(path)], settings)
    times["read + clean"] = time.perf_counter() - t
    t = time.perf_counter()
    # as the digest runs: the copy search's sentence vectors go on to the dossiers
    stream = stream_articles(articles, settings)  # copies and stories found, dossiers not yet
    times["copies + stories"] = time.perf_counter() - t
    t = time.perf_counter()
    dossiers = list(stream.dossiers)
    times["dossiers"] = time.perf_counter() - t
    total = sum(times.values())
    return {
        "articles": len(articles),
        "stories": len(dossiers),
        "seconds": times,
        "total": total,
        "articles_per_s": len(articles) / total,
    }


def _sentences(path: Path, limit: int) -> list[str]:
    from synoptic.nlp.sentences import split_sentences
    from synoptic.records import Article

    out: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            article = Article(id=record["id"], source="bench", text=record["text"])
            out += [s.text for s in split_sentences(article) if len(s.text.split()) >= 4]
            if len(out) >= limit:
                break
    return out[:limit]


def _throughput(texts: list[str]) -> dict[str, Any]:
    import torch

    from synoptic.nlp.models import sentence_transformer

    model = sentence_transformer()
    batch = MiniLMEmbedder().batch_size
    model.encode(texts[:64])  # warm up
    out: dict[str, Any] = {"batch_size": batch}
    before = torch.get_num_threads()
    vectors = {}
    for precision in ("float32", "bfloat16"):
        for threads in (1, 2):
            torch.set_num_threads(threads)
            started = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bfloat16"):
                vectors[precision] = model.encode(texts, batch_size=batch, normalize_embeddings=True)
            out[f"{precision}_sentences_per_s_{threads}_threads"] = len(texts) / (
                time.perf_counter() - started
            )
    torch.set_num_threads(1)
    out["batch_sizes"] = _batch_sizes(model, texts)
    quantized = torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    started = time.perf_counter()
    vectors["int8"] = quantized.encode(texts, batch_size=batch, normalize_embeddings=True)
    out["int8_sentences_per_s_1_threads"] = len(texts) / (time.perf_counter() - started)
    torch.set_num_threads(before)
    exact = vectors["float32"].astype(np.float32)
    full = exact @ exact.T
    for other in ("bfloat16", "int8"):
        v = vectors[other].astype(np.float32)
        moved = np.abs(full - v @ v.T)[np.triu_indices(len(texts), 1)]
        out[f"{other}_cosine_change_p50"] = float(np.percentile(moved, 50))
        out[f"{other}_cosine_change_p99"] = float(np.percentile(moved, 99))
        out[f"{other}_cosine_change_max"] = float(moved.max())
    return out


SIZES = (8, 16, 32, 64)
"""The batch sizes compared."""


def _batch_sizes(model: Any, texts: list[str]) -> dict[str, dict[str, float]]:
    """Sentences per second on one thread at each batch size, in float32 and bfloat16, with the
    largest cosine change against batch 64 (the texts are sorted by length before batching, so
    a smaller batch pads less)."""
    import torch

    out: dict[str, dict[str, float]] = {}
    for precision in ("float32", "bfloat16"):
        row: dict[str, float] = {}
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bfloat16"):
            wide = model.encode(texts, batch_size=64, normalize_embeddings=True)
            for size in SIZES:
                started = time.perf_counter()
                v = model.encode(texts, batch_size=size, normalize_embeddings=True)
                row[f"{size}_sentences_per_s"] = len(texts) / (time.perf_counter() - started)
                row[f"{size}_cosine_change_max"] = float(np.abs(1.0 - (v * wide).sum(axis=1)).max())
        out[precision] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--sentences", type=int, default=800)
    args = ap.parse_args(argv)
    path = _first_records(args.articles)
    counted = _Counted()
    counted.install()
    print(f"digest of {args.articles} articles, full settings ...", file=sys.stderr)
    full = _digest(path, fast=False)
    encoded = dict(counted.texts)
    encode_seconds = dict(counted.seconds)
    print("... and with --fast", file=sys.stderr)
    fast = _digest(path, fast=True)
    print("MiniLM throughput ...", file=sys.stderr)
    speed = _throughput(_sentences(path, args.sentences))
    per_article = sum(encoded.values()) / max(1, full["articles"])
    precision = "bfloat16" if MiniLMEmbedder().bfloat16 else "float32"
    ceiling = speed[f"{precision}_sentences_per_s_2_threads"] / per_article
    result = {
        "machine": _machine(),
        "full": full,
        "fast": fast,
        "minilm_texts_by_stage": encoded,
        "minilm_seconds_by_stage": encode_seconds,
        "minilm_texts_per_article": per_article,
        "throughput": speed,
        "precision": precision,
        "ceiling_articles_per_s": ceiling,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "full_speed.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "full_speed.md").write_text(_markdown(result, args.articles), encoding="utf-8")
    print((RESULTS / "full_speed.md").read_text(encoding="utf-8"))
    return 0


def _markdown(r: dict[str, Any], n: int) -> str:
    full, fast, speed = r["full"], r["fast"], r["throughput"]
    encode_total = sum(r["minilm_seconds_by_stage"].values())
    lines = [
        "# What bounds the full pipeline's speed",
        "",
        f"Command: `PYTHONPATH=src python -m bench.full_speed --articles {n}`. Machine: {r['machine']}.",
        f"Corpus: the first {n} records of the scale corpus (`bench/scale.py`, real dev text).",
        "",
        "| run (in-process) | articles | stories | read + clean s | copies + stories s | dossiers s "
        "| articles/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, run in (("full settings (MiniLM, spaCy)", full), ("--fast (hashing, no spaCy)", fast)):
        s = run["seconds"]
        lines.append(
            f"| {name} | {run['articles']} | {run['stories']} | {s['read + clean']:.1f} | "
            f"{s['copies + stories']:.1f} | {s['dossiers']:.1f} | {run['articles_per_s']:.2f} |"
        )
    lines += [
        "",
        f"Full settings: MiniLM encoding took {encode_total:.1f} s of {full['total']:.1f} s "
        f"({encode_total / full['total']:.0%}); texts encoded per stage:",
        "",
        "| stage | texts | seconds |",
        "|---|---|---|",
    ]
    for stage, count in sorted(r["minilm_texts_by_stage"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| `{stage}` | {count} | {r['minilm_seconds_by_stage'][stage]:.1f} |")
    lines += [
        "",
        f"MiniLM on this corpus's sentences, in sentences/s: float32 "
        f"{speed['float32_sentences_per_s_1_threads']:.0f} on one thread and "
        f"{speed['float32_sentences_per_s_2_threads']:.0f} on two; bfloat16 "
        f"{speed['bfloat16_sentences_per_s_1_threads']:.0f} and "
        f"{speed['bfloat16_sentences_per_s_2_threads']:.0f} "
        f"({speed['bfloat16_sentences_per_s_1_threads'] / speed['float32_sentences_per_s_1_threads']:.1f}x). "
        f'The digest ran in {r["precision"]} (`[nlp] precision = "auto"` on this CPU). The stages encode '
        f"{r['minilm_texts_per_article']:.1f} texts per article (the cross-check's units are each "
        "sentence and, for long ones, its clauses), so **if nothing but MiniLM ran, the full settings "
        f"would reach {r['ceiling_articles_per_s']:.1f} articles/s on two cores**.",
        "",
        "How far each cheaper arithmetic moves the pairwise cosines of those sentences (the thresholds "
        "were tuned on float32 cosines: the support check accepts at 0.51, claims link at 0.66):",
        "",
        "| arithmetic | sentences/s, one thread | median change | p99 | max | used |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, used in (("bfloat16", "where the CPU has it natively"), ("int8", "no")):
        lines.append(
            f"| {name} | {speed[f'{name}_sentences_per_s_1_threads']:.0f} | "
            f"{speed[f'{name}_cosine_change_p50']:.4f} | {speed[f'{name}_cosine_change_p99']:.4f} | "
            f"{speed[f'{name}_cosine_change_max']:.4f} | {used} |"
        )
    lines += [
        "",
        f"Batch size (the embedder uses {speed['batch_size']}): sentences/s on one thread, and the "
        "largest cosine change of a sentence's vector against batch 64.",
        "",
        "| arithmetic | " + " | ".join(f"batch {b}" for b in SIZES) + " |",
        "|---|" + "---:|" * len(SIZES),
    ]
    for name, row in speed["batch_sizes"].items():
        cells = (f"{row[f'{b}_sentences_per_s']:.0f} ({row[f'{b}_cosine_change_max']:.0e})" for b in SIZES)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
