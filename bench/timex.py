"""Time expressions on TimeBank dev: Synoptic's rules against two peers, side by side, timed.

Systems, all given the same text and document creation time (the anchor):

- ``synoptic``: :func:`synoptic.nlp.timex.find_times` (ranges written as their parts, as
  ``synoptic eval timex`` does);
- ``dateparser.search_dates``: ``dateparser.search.search_dates(text, languages=["en"],
  settings={"RELATIVE_BASE": dct})``; each found string is located in the text in order and its
  date written at the granularity dateparser reports for that string (day, month or year);
- ``spacy+dateparser``: spaCy's English pipeline (``en_core_web_sm``, NER only) DATE and TIME
  entities, each normalised by ``dateparser.DateDataParser`` against the same anchor (an entity
  dateparser cannot read keeps its span with an empty value).

Every prediction file is scored by the reference scorer (``../shared/eval/score.py timex``).
Time is wall-clock seconds for the whole file on this machine (one process, models loaded
before timing, the systems interleaved document by document so that load from other processes
falls on all of them alike), reported as a ratio against Synoptic.

    python -m bench.timex [--limit N]

Writes ``bench/results/timex.json`` and ``bench/results/timex.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synoptic.config import Settings
from synoptic.eval import reference_score
from synoptic.eval.timex import parse_dct, read_documents
from synoptic.nlp.timex import find_times

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "timex" / "timebank_dev.jsonl"
OTHER_DEV = {
    "seeds (hand TIMEX3 of the five seed articles, tests/data/timex_seeds)": ROOT
    / "tests"
    / "data"
    / "timex_seeds"
    / "seeds_dev.jsonl",
}
"""Dev data of other sources than TimeBank (issue 12: dates a reader can trust beyond TimeBank's style)."""
KEYS = ("value_f1", "value_p", "value_r", "relaxed_f1", "strict_f1", "date_value_f1", "type_acc", "n_pred")
RESULTS = ROOT / "bench" / "results"

Timex = dict[str, Any]


def _anchor(doc: dict[str, Any]) -> dt.datetime:
    day = parse_dct(doc.get("dct")) or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, 12)


def _format(value: dt.datetime, period: str | None) -> str:
    if period == "year":
        return f"{value.year:04d}"
    if period == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if period == "week":
        iso = value.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return value.date().isoformat()


def synoptic_system() -> Callable[[dict[str, Any]], list[Timex]]:
    settings = Settings()
    settings = settings.with_section(time=dataclasses.replace(settings.time, ranges=False))

    def run(doc: dict[str, Any]) -> list[Timex]:
        times = find_times(str(doc["text"]), _anchor(doc).date(), settings.time)
        return [{"start": t.span[0], "end": t.span[1], "value": t.value, "type": t.type} for t in times]

    return run


def search_dates_system() -> Callable[[dict[str, Any]], list[Timex]]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    def run(doc: dict[str, Any]) -> list[Timex]:
        text = str(doc["text"])
        base = _anchor(doc)
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
        out: list[Timex] = []
        pos = 0
        ddp = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base})
        for surface, value in found:
            at = text.find(surface, pos)
            if at < 0:
                continue
            pos = at + len(surface)
            data = ddp.get_date_data(surface)
            out.append({"start": at, "end": pos, "value": _format(value, data.period), "type": "DATE"})
        return out

    return run


def spacy_system() -> Callable[[dict[str, Any]], list[Timex]]:
    from dateparser.date import DateDataParser

    from synoptic.nlp.models import spacy_pipeline

    nlp = spacy_pipeline(disable=("parser", "lemmatizer", "tagger", "attribute_ruler"))

    def run(doc: dict[str, Any]) -> list[Timex]:
        base = _anchor(doc)
        ddp = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base})
        out: list[Timex] = []
        for ent in nlp(str(doc["text"])).ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            data = ddp.get_date_data(ent.text)
            value = _format(data.date_obj, data.period) if data.date_obj else ""
            out.append({"start": ent.start_char, "end": ent.end_char, "value": value, "type": ent.label_})
        return out

    return run


SYSTEMS: dict[str, Callable[[], Callable[[dict[str, Any]], list[Timex]]]] = {
    "synoptic": synoptic_system,
    "dateparser.search_dates": search_dates_system,
    "spacy+dateparser": spacy_system,
}


def score(pred: Path, gold: Path = GOLD) -> dict[str, float]:
    return reference_score(EVAL / "score.py", "timex", gold, pred)


Systems = dict[str, Callable[[dict[str, Any]], list[Timex]]]


def run_systems(docs: list[dict[str, Any]], systems: Systems, gold: Path) -> dict[str, dict[str, float]]:
    """Scores and seconds of every system on ``docs`` (systems interleaved per document, so a busy
    machine slows all of them alike)."""
    seconds = dict.fromkeys(systems, 0.0)
    preds: dict[str, list[dict[str, Any]]] = {name: [] for name in systems}
    for doc in docs:
        for name, system in systems.items():
            t0 = time.perf_counter()
            found = system(doc)
            seconds[name] += time.perf_counter() - t0
            preds[name].append({"id": doc["id"], "timexes": found})
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in systems:
            path = Path(tmp) / f"{name}.jsonl"
            path.write_text("".join(json.dumps(p) + "\n" for p in preds[name]), encoding="utf-8")
            s = score(path, gold)
            rows[name] = {k: s[k] for k in KEYS}
            rows[name]["seconds"] = seconds[name]
            print(f"{gold.name} {name}: value F1 {s['value_f1']:.3f}, {seconds[name]:.1f} s", file=sys.stderr)
    return rows


def _row(name: str, r: dict[str, float], base: float) -> str:
    cells = [r["value_f1"], r["value_p"], r["value_r"], r["relaxed_f1"], r["strict_f1"], r["date_value_f1"]]
    figures = " | ".join(f"{c:.3f}" for c in cells)
    return f"| {name} | {figures} | {r['seconds']:.1f} | {r['seconds'] / base:.1f} |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="Only the first N documents (0: all).")
    args = ap.parse_args(argv)
    docs = list(read_documents(GOLD))
    if args.limit:
        docs = docs[: args.limit]
    systems = {name: make() for name, make in SYSTEMS.items()}
    for system in systems.values():
        system(docs[0])  # warm-up: lazy imports and caches out of the timing
    rows = run_systems(docs, systems, GOLD)
    other = {
        label: run_systems(list(read_documents(path)), systems, path) for label, path in OTHER_DEV.items()
    }
    base = rows["synoptic"]["seconds"]
    command = "python -m bench.timex" + (f" --limit {args.limit}" if args.limit else "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "timex.json").write_text(
        json.dumps(
            {"command": command, "documents": len(docs), "systems": rows, "other_dev": other}, indent=2
        )
        + "\n",
        encoding="utf-8",
    )
    lines = [
        "# Time expressions: TimeBank dev (TempEval-3 TBAQ, TimeBank part)",
        "",
        f"`{command}` ({len(docs)} documents, 1,243 gold TIMEX3 when complete); scored by "
        "`../shared/eval/score.py timex` (value F1 is the headline). Time: wall-clock seconds for the "
        "whole file in one process on the shared 2-core dev machine, models loaded beforehand, systems "
        "interleaved per document; x = times Synoptic's time.",
        "",
        "| system | value F1 | value P | value R | relaxed extent F1 | strict extent F1 | DATE value F1 "
        "| seconds | x |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(name, r, base) for name, r in rows.items()]
    lines += [
        "",
        "Peers are written at the granularity dateparser reports for each string (day, week, month or "
        "year), which is kinder to them than day-only dates. They have no notion of quarters, durations, "
        "sets or PAST/PRESENT/FUTURE_REF, so the values of those expressions (a quarter of TimeBank) are "
        "lost even where spaCy finds the extent (relaxed extent F1 vs value F1 above). With `--limit N` the "
        "documents left out count as empty predictions, so only the full run's F1 is meaningful.",
        "",
    ]
    for label, table in other.items():
        lines += [
            f"## Other dev data: {label}",
            "",
            "| system | value F1 | value P | value R | relaxed extent F1 | strict extent F1 | DATE value F1 "
            "| seconds | x |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        lines += [_row(name, r, table["synoptic"]["seconds"] or 1.0) for name, r in table.items()]
        lines.append("")
    (RESULTS / "timex.md").write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
