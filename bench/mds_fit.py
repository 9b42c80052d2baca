"""Fit the summary's salience weights (``SummarySettings.weights``) on the dev files, with cross-validation.

Each candidate sentence of each dev cluster gets a label: the share of its (ROUGE-stemmed) unigrams
plus the share of its bigrams that occur in the gold summary, i.e. how much gold content a word of
the sentence buys under a word budget. A ridge regression over :data:`synoptic.summarize.FEATURES`
predicts it. The script reports the ROUGE of the full summarizer with out-of-fold weights (5 folds
by cluster, so no cluster is scored with weights fitted on it) next to the current weights, then
the weights fitted on all clusters, to paste into ``synoptic.config.SUMMARY_WEIGHTS``.

    python -m bench.mds_fit [--limit N] [--data ../shared/eval/mds/multinews_dev.jsonl ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import itertools
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import tokenizers
from sklearn.linear_model import Ridge

from synoptic import summarize as S
from synoptic.config import Settings, SummarySettings
from synoptic.eval.mds import cluster_articles, protocol_settings, protocol_words, read_items

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
FOLDS = 5
ALPHA = 1.0


def _scorer() -> Any:
    """The reference scorer's mds function, imported from ../shared/eval (not copied)."""
    spec = importlib.util.spec_from_file_location("synoptic_eval_score", EVAL / "score.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(path: Path, limit: int | None) -> list[dict[str, Any]]:
    settings = Settings()
    tok = tokenizers.DefaultTokenizer(use_stemmer=True)
    titled = "neus" in path.name.lower()
    out = []
    for item in read_items(path)[:limit]:
        articles = S._article_order(cluster_articles(item, settings, clean=True, titled=titled))
        groups = S._groups(articles, [])
        cands = S._candidates(articles, groups, settings.summary)
        if not cands:
            out.append({"item": item, "cands": [], "ev": None, "y": np.zeros(0)})
            continue
        ev = S._evidence(cands, groups, (), item.get("query"))
        gold = tok.tokenize(item["summary"])
        g1, g2 = set(gold), set(itertools.pairwise(gold))
        y = []
        for c in cands:
            t = tok.tokenize(c.sentence.text)
            b = list(itertools.pairwise(t))
            y.append(sum(w in g1 for w in t) / max(1, len(t)) + sum(x in g2 for x in b) / max(1, len(b)))
        out.append({"item": item, "cands": cands, "ev": ev, "y": np.array(y)})
    return out


def rouge(
    score: Any, prepared: list[dict[str, Any]], weights: list[dict[str, float]], path: Path
) -> dict[str, float]:
    cut = protocol_words(path)
    pred, gold = {}, {}
    for row, w in zip(prepared, weights, strict=True):
        item = row["item"]
        gold[item["id"]] = item
        if not row["cands"]:
            pred[item["id"]] = {"summary": ""}
            continue
        params = dataclasses.replace(protocol_settings(path, Settings().summary), weights=tuple(w.items()))
        sal = S._salience(row["ev"], params)
        chosen = S._select(row["cands"], sal, row["ev"], cut, params)
        crossed = sum(row["cands"][i].words for i in chosen) > cut
        within = chosen[:-1] if crossed else chosen
        order = S._order(row["cands"], within, ()) + chosen[len(within) :]
        pred[item["id"]] = {"summary": "\n".join(row["cands"][i].sentence.text for i in order)}
    result: dict[str, float] = score.mds_scores(gold, pred, cut)[0]
    return result


def fit(rows: list[dict[str, Any]]) -> dict[str, float]:
    x = np.vstack([r["ev"].features for r in rows if r["cands"]])
    y = np.concatenate([r["y"] for r in rows if r["cands"]])
    model = Ridge(alpha=ALPHA).fit(x, y)
    weights = {"intercept": float(model.intercept_)}
    weights.update({name: float(c) for name, c in zip(S.FEATURES, model.coef_, strict=True)})
    return weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, nargs="+", default=[EVAL / "mds" / "multinews_dev.jsonl"])
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    score = _scorer()
    prepared = {path: prepare(path, args.limit) for path in args.data}
    everything = [r for rows in prepared.values() for r in rows]
    for path, rows in prepared.items():
        # fit once per fold over all files (the fold is the cluster index modulo FOLDS)
        fold_weights = []
        for f in range(FOLDS):
            train = [r for rows2 in prepared.values() for j, r in enumerate(rows2) if j % FOLDS != f]
            fold_weights.append(fit(train))
        out_of_fold = [fold_weights[j % FOLDS] for j in range(len(rows))]
        cv = rouge(score, rows, out_of_fold, path)
        current = dict(protocol_settings(path, SummarySettings()).weights)
        now = rouge(score, rows, [current] * len(rows), path)
        print(
            f"{path.name}: out-of-fold R1/R2/RLsum "
            f"{cv['rouge1']:.2f}/{cv['rouge2']:.2f}/{cv['rougeLsum']:.2f}"
            f"  current weights {now['rouge1']:.2f}/{now['rouge2']:.2f}/{now['rougeLsum']:.2f}",
            flush=True,
        )
    weights = fit(everything)
    print("SUMMARY_WEIGHTS = (")
    for name, value in weights.items():
        print(f'    ("{name}", {value:.4f}),')
    print(")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
