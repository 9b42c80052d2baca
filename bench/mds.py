"""Multi-document summarization, side by side: Lead, sumy LexRank, sumy TextRank and Synoptic.

Each system summarises every cluster of the dev files (Multi-News: 300-word protocol, NeuS: 65)
in the same run; each prediction file is scored by the reference scorer
(``../shared/eval/score.py mds``, run as a subprocess), and the time per cluster is measured
around the summarisation only (reading the file excluded).

- **Lead**: the documents in their given order, line by line, cut by the scorer at the budget.
- **LexRank / TextRank** (sumy 0.13): the documents' sentences (split by Synoptic's rule splitter,
  so no NLTK data is needed), words by a regex, sumy's English stop words and Snowball stemmer
  (code only, no download); the best-rated sentences are taken until the budget is full (the last
  one crosses it and is cut by the scorer, as for Lead), then put in document order.
- **Synoptic**: ``synoptic eval mds`` (documents cleaned, then :func:`synoptic.summarize.summarize`).

    python -m bench.mds [--limit N]

Writes ``bench/results/mds.md`` and ``bench/results/mds.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from synoptic.config import Settings
from synoptic.eval import reference_score
from synoptic.eval.mds import cluster_articles, predictions, protocol_settings, protocol_words, read_items
from synoptic.nlp.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "bench" / "results"
FILES = ("multinews_dev.jsonl", "neus_dev.jsonl")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class RegexTokenizer:
    """sumy's tokenizer interface without NLTK data: our sentence splitter, regex words."""

    language = "english"

    def to_words(self, text: str) -> list[str]:
        return _WORDS.findall(text)


def sumy_document(documents: Sequence[list[str]]) -> ObjectDocumentModel:
    tokenizer = RegexTokenizer()
    paragraphs = [Paragraph([SumySentence(s, tokenizer) for s in doc]) for doc in documents if doc]
    return ObjectDocumentModel(paragraphs)


def fill(budget: int) -> Callable[[list[Any]], list[Any]]:
    """A sumy 'count' that takes the best-rated sentences until ``budget`` words are reached."""

    def take(infos: list[Any]) -> list[Any]:
        out, used = [], 0
        for info in infos:
            if used >= budget:
                break
            out.append(info)
            used += len(str(info.sentence).split())
        return out

    return take


def raw_sentences(item: dict[str, Any], titled: bool) -> list[list[str]]:
    """Each document's sentences (uncleaned documents; the same splitter as Synoptic)."""
    arts = cluster_articles(item, Settings(), clean=False, titled=titled)
    return [[s.text for s in split_sentences(a)] for a in arts]


def lead(item: dict[str, Any], budget: int, titled: bool) -> str:
    del budget, titled  # the scorer cuts at the budget
    return "\n".join(
        " ".join(line.split()) for d in item["documents"] for line in d.splitlines() if line.strip()
    )


def sumy_system(make: Callable[[], Any]) -> Callable[[dict[str, Any], int, bool], str]:
    summarizer = make()
    summarizer.stop_words = get_stop_words("english")

    def run(item: dict[str, Any], budget: int, titled: bool) -> str:
        doc = sumy_document(raw_sentences(item, titled))
        if not doc.sentences:
            return ""
        return "\n".join(str(s) for s in summarizer(doc, fill(budget)))

    return run


def score(gold: Path, pred: Path) -> dict[str, float]:
    return reference_score(EVAL / "score.py", "mds", gold, pred)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="first N clusters of each file")
    args = parser.parse_args(argv)
    systems: dict[str, Callable[[dict[str, Any], int, bool], str]] = {
        "Lead": lead,
        "LexRank (sumy)": sumy_system(lambda: LexRankSummarizer(Stemmer("english"))),
        "TextRank (sumy)": sumy_system(lambda: TextRankSummarizer(Stemmer("english"))),
    }
    settings = Settings()
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in FILES:
            path = EVAL / "mds" / name
            items = read_items(path)[: args.limit]
            gold = Path(tmp) / name
            gold.write_text(
                "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items), encoding="utf-8"
            )
            budget = protocol_words(path)
            titled = "neus" in name
            results[name] = {}
            runs: dict[str, tuple[list[tuple[str, str]], float]] = {}
            for system, fn in systems.items():
                start = time.perf_counter()
                rows = [(str(it["id"]), fn(it, budget, titled)) for it in items]
                runs[system] = (rows, time.perf_counter() - start)
            start = time.perf_counter()
            summary = protocol_settings(path, settings.summary)
            rows = list(predictions(items, settings, words=budget, titled=titled, summary=summary))
            runs["Synoptic"] = (rows, time.perf_counter() - start)
            for system, (rows, seconds) in runs.items():
                pred = Path(tmp) / f"{system.split()[0]}-{name}"
                pred.write_text(
                    "".join(json.dumps({"id": i, "summary": s}, ensure_ascii=False) + "\n" for i, s in rows),
                    encoding="utf-8",
                )
                res = score(gold, pred)
                res["seconds_per_cluster"] = seconds / max(1, len(items))
                results[name][system] = res
                print(
                    f"{name} {system}: R1 {res['rouge1']:.2f} R2 {res['rouge2']:.2f} "
                    f"RLsum {res['rougeLsum']:.2f} words {res['pred_words']:.0f} "
                    f"{res['seconds_per_cluster'] * 1000:.0f} ms/cluster",
                    flush=True,
                )
    write(results, args)
    return 0


NOTES = [
    "## Notes",
    "",
    "- Synoptic's salience weights were fitted on these dev files (`python -m bench.mds_fit`, ridge",
    "  regression on per-sentence gold overlap). Out of fold (5 folds by cluster, each cluster scored",
    "  with weights fitted without it): Multi-News 46.78 / 17.66 / 43.15, NeuS 39.11 / 17.69 / 33.70.",
    "- Lead here is every line of the documents in order; issue 5 quotes, for the same scorer,",
    "  Multi-News Lead 44.60 / 15.46 / 40.83, LexRank 44.08 / 14.86 / 40.49, MiniLM centroid + MMR",
    "  43.91 / 14.32 / 40.07, TextRank 42.70; NeuS TextRank 38.62 / 17.33 / 32.74,",
    "  Lead 38.11 / 16.57 / 32.41.",
    "- Synoptic and the sumy peers fill the budget: the last sentence crosses it and the scorer cuts it.",
    "- Precision before ROUGE: since issue 12's follow-up, a speaker's words whose speaker is in an",
    "  earlier sentence, and verbless standfirsts, are never summary sentences (Multi-News ROUGE-1",
    "  46.71 -> 46.49, R2 17.58 -> 17.06; NeuS unchanged): gold summaries often restate quoted words,",
    "  but a neutral summary must not state them as fact without their speaker.",
    "",
]


def write(results: dict[str, dict[str, dict[str, float]]], args: argparse.Namespace) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    command = "python -m bench.mds" + (f" --limit {args.limit}" if args.limit else "")
    (RESULTS / "mds.json").write_text(json.dumps({"command": command, "results": results}, indent=2) + "\n")
    lines = [
        "# Multi-document summarization: dev files, side by side",
        "",
        f"Command: `PYTHONPATH=src {command}` (from the repository root;"
        " scorer: `../shared/eval/score.py mds`).",
        "Time per cluster: summarisation only, one process, on the shared 2-core development machine.",
        "",
    ]
    for name, systems in results.items():
        lines += [
            f"## {name} ({int(next(iter(systems.values()))['n'])} clusters, "
            f"{int(next(iter(systems.values()))['words'])}-word budget)",
            "",
            "| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | words | ms / cluster |",
            "|---|---|---|---|---|---|",
        ]
        for system, r in systems.items():
            lines.append(
                f"| {system} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeLsum']:.2f} | "
                f"{r['pred_words']:.0f} | {r['seconds_per_cluster'] * 1000:.0f} |"
            )
        lines.append("")
    lines += NOTES
    (RESULTS / "mds.md").write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
