"""Builds seeds_dev.jsonl (the TIMEX3 protocol of ../shared/eval/README.md) from the five seed
articles and the hand annotations below. Each annotation is (text, occurrence, type, value): the
n-th (0-based) occurrence of ``text`` in the article. Annotated by reading the articles, before
running Synoptic on them (see README.md here).

    python tests/data/timex_seeds/make.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE.parents[2] / "examples" / "xi-moscow-2023"

# dct: the gold publication date of seeds/gold.json (an inferred one: the first day of its range;
# 002 is 'Updated: March 22' but first published on 20 March, which its 'on Monday' reads against)
DOCS: dict[str, tuple[str, list[tuple[str, int, str, str]]]] = {
    "000_239dd344fad90823": (
        "2023-03-21",
        [
            ("three-day", 0, "DURATION", "P3D"),
            ("later this year", 0, "DATE", "2023"),
            ("later this year", 1, "DATE", "2023"),
            ("on Monday", 0, "DATE", "2023-03-20"),
            ("three-day", 1, "DURATION", "P3D"),
            ("on Tuesday", 0, "DATE", "2023-03-21"),
            ("last week", 0, "DATE", "2023-W11"),
            ("last year", 0, "DATE", "2022"),
            ("on Tuesday", 1, "DATE", "2023-03-21"),
            ("recent years", 0, "DATE", "PAST_REF"),
            ("a week", 0, "DURATION", "P1W"),
            ("13-month", 0, "DURATION", "P13M"),
        ],
    ),
    "001_90cc1c2f54e51578": (
        "2023-03-21",
        [
            ("1 min", 0, "DURATION", "PT1M"),
            ("21 Mar 2023, 04:39 PM", 0, "TIME", "2023-03-21T16:39"),
            ("this year", 0, "DATE", "2023"),
            ("this year", 1, "DATE", "2023"),
            ("on Monday", 0, "DATE", "2023-03-20"),
            ("three-day", 0, "DURATION", "P3D"),
            ("February", 0, "DATE", "XXXX-02"),
            ("Recently", 0, "DATE", "PAST_REF"),
        ],
    ),
    "002_b180209efdb6406c": (
        "2023-03-20",
        [
            ("on Monday", 0, "DATE", "2023-03-20"),
            ("four years", 0, "DURATION", "P4Y"),
            ("three days", 0, "DURATION", "P3D"),
            ("four and a half hours", 0, "DURATION", "PT4.5H"),
            ("on Tuesday", 0, "DATE", "2023-03-21"),
            ("13 months", 0, "DURATION", "P13M"),
            ("last year", 0, "DATE", "2022"),
            ("on Saturday", 0, "DATE", "2023-03-18"),
            ("on Friday", 0, "DATE", "2023-03-17"),
            ("on Monday", 1, "DATE", "2023-03-20"),
            ("this month", 0, "DATE", "2023-03"),
            ("March 22, 2023, 7:35 AM", 0, "TIME", "2023-03-22T07:35"),
            ("weekly", 0, "SET", "P1W"),
        ],
    ),
    "003_4bd38a09334b47d0": (
        "2023-03-17",
        [
            ("next week", 0, "DATE", "2023-W12"),
            ("a year ago", 0, "DATE", "2022"),
            ("Monday", 0, "DATE", "2023-03-20"),
            ("Wednesday next week", 0, "DATE", "2023-03-22"),
            ("on Monday", 0, "DATE", "2023-03-20"),
            ("last September", 0, "DATE", "2022-09"),
            ("last September", 1, "DATE", "2022-09"),
            ("last September", 2, "DATE", "2022-09"),
            ("on Friday", 0, "DATE", "2023-03-17"),
            ("In February", 0, "DATE", "2023-02"),
            ("Three weeks", 0, "DURATION", "P3W"),
            ("February last year", 0, "DATE", "2022-02"),
            ("now", 0, "DATE", "PRESENT_REF"),
            ("Yesterday", 0, "DATE", "2023-03-16"),
        ],
    ),
    "004_c8e33d5bc939e68e": (
        "2023-03-17",
        [
            ("next week", 0, "DATE", "2023-W12"),
            ("next week", 1, "DATE", "2023-W12"),
            ("a year ago", 0, "DATE", "2022"),
            ("annual", 0, "SET", "P1Y"),
            ("last week", 0, "DATE", "2023-W10"),
            ("on Friday", 0, "DATE", "2023-03-17"),
            ("Monday", 0, "DATE", "2023-03-20"),
            ("Wednesday", 0, "DATE", "2023-03-22"),
            ("On Monday", 0, "DATE", "2023-03-20"),
            ("Tuesday", 0, "DATE", "2023-03-21"),
            ("On Thursday", 0, "DATE", "2023-03-16"),
            ("February last year", 0, "DATE", "2022-02"),
            ("recent weeks", 0, "DATE", "PAST_REF"),
            ("Last month", 0, "DATE", "2023-02"),
            ("December", 0, "DATE", "2022-12"),
            ("2019", 0, "DATE", "2019"),
            ("September", 0, "DATE", "2022-09"),
        ],
    ),
}


def _find(text: str, needle: str, nth: int) -> int:
    """Offset of the n-th occurrence of ``needle`` as a whole word (or phrase)."""
    start, seen = 0, -1
    while True:
        at = text.find(needle, start)
        if at < 0:
            raise ValueError(f"{needle!r} #{nth} not found")
        before = text[at - 1] if at else " "
        after = text[at + len(needle)] if at + len(needle) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            seen += 1
            if seen == nth:
                return at
        start = at + 1


def main() -> None:
    lines = []
    for doc_id, (dct, notes) in DOCS.items():
        text = (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
        timexes = []
        for i, (needle, nth, kind, value) in enumerate(notes, 1):
            at = _find(text, needle, nth)
            end = at + len(needle)
            timexes.append(
                {"tid": f"t{i}", "type": kind, "value": value, "start": at, "end": end, "text": needle}
            )
        timexes.sort(key=lambda t: t["start"])
        doc = {"id": doc_id, "doc_id": doc_id, "subcorpus": "seeds", "dct": dct, "text": text}
        lines.append({**doc, "timex3": timexes})
    out = HERE / "seeds_dev.jsonl"
    out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    print(f"{out}: {len(lines)} documents, {sum(len(x['timex3']) for x in lines)} TIMEX3")


if __name__ == "__main__":
    main()
