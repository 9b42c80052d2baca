"""The rule splitter keeps its measured boundary F1 on the bundled, hand-checked news gold
(``tests/data/sentence_gold/``; figures in ``bench/results/sentences.md``), and the scorer
counts as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from synoptic.eval.sentences import GoldDoc, boundaries, gold_boundaries, load_gold, score
from synoptic.nlp.sentences import split_text

GOLD = Path(__file__).resolve().parent / "data" / "sentence_gold"

FLOORS = {"news_dev.jsonl": 0.99, "news_heldout.jsonl": 0.98}
"""A little under the measured F1 (1.000 on dev, read while fixing the rules; 0.991 held out)."""


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_f1_on_news_gold_stays_above_floor(name: str) -> None:
    docs = load_gold(GOLD / name)
    result, misses = score(docs, split_text)
    assert result.sentences > 300
    assert result.f1 >= FLOORS[name], [(m.kind, m.text[max(0, m.at - 40) : m.at + 20]) for m in misses]


def test_gold_is_well_formed() -> None:
    for name in FLOORS:
        for doc in load_gold(GOLD / name):
            assert doc.paragraphs
            for paragraph in doc.paragraphs:
                assert all(s and s == s.strip() and "\n" not in s for s in paragraph)


def test_scorer_counts_boundaries_inside_paragraphs() -> None:
    doc = GoldDoc("d", "s", (("One. Two", "Three."), ("Four.",)))
    assert gold_boundaries(doc.paragraphs[0]) == {9}
    assert boundaries("One. Two Three.", [(0, 4), (5, 15)]) == {5}

    def split_everywhere(text: str) -> list[tuple[int, int]]:
        return [(0, 4), (5, 8), (9, 15)] if text.startswith("One") else [(0, len(text))]

    result, misses = score([doc], split_everywhere)
    assert (result.tp, result.fp, result.fn, result.sentences) == (1, 1, 0, 3)
    assert [m.kind for m in misses] == ["fp"]
    assert result.precision == 0.5
    assert result.recall == 1.0
