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


def test_every_stage_stop_list_extends_the_shared_base() -> None:
    from synoptic import cluster, dedup, summarize, timeline
    from synoptic.crosscheck import support
    from synoptic.nlp.text import STOP_WORDS

    lists = {
        "cluster": cluster.STOP_WORDS,
        "dedup": dedup._STOP,
        "timeline": timeline._STOP,
        "support": support.STOP,
        "summarize": summarize._STOP,
    }
    for name, words in lists.items():
        assert words >= STOP_WORDS, name
    # the tuned extensions stay their stage's own
    assert {"monday", "march", "yesterday"} <= timeline._STOP - support.STOP
    assert "said" in dedup._STOP
    assert "said" not in support.STOP
    assert {"did", "does"}.isdisjoint(summarize._STOP)
