"""Shared word patterns (``nlp/text.py``): words in any script, same words as before on English."""

from __future__ import annotations

import re

import pytest

from synoptic.nlp.text import LETTER_WORD, WORD
from synoptic.timeline import _words

OLD_TIMELINE_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


@pytest.mark.parametrize(
    "text",
    ["Σι Τζινπίνγκ συνάντησε τον Πούτιν", "Си Цзиньпин встретился с Путиным", "习近平 会见 普京"],
)
def test_timeline_finds_words_in_non_latin_text(text: str) -> None:
    assert OLD_TIMELINE_WORD.findall(text) == []  # what the timeline saw before: nothing
    assert len(_words(text)) >= 2


def test_letter_words_unchanged_on_english(example_dir: object) -> None:
    from pathlib import Path

    for path in sorted(Path(str(example_dir)).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert LETTER_WORD.findall(text) == OLD_TIMELINE_WORD.findall(text)


def test_word_keeps_digits_and_inner_apostrophes() -> None:
    assert WORD.findall("Xi’s 3-day visit, don't _x_") == ["Xi’s", "3", "day", "visit", "don't", "x"]
