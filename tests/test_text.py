"""Shared word patterns (``nlp/text.py``): words in any script, same words as before on English."""

from __future__ import annotations

import re

import pytest

from synoptic.nlp.text import LETTER_WORD, WORD, WORD_PIECE, word_key
from synoptic.records import Article
from synoptic.timeline import _Story, _words

OLD_TIMELINE_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


@pytest.mark.parametrize(
    "text",
    [
        "Σι Τζινπίνγκ συνάντησε τον Πούτιν",
        "Си Цзиньпин встретился с Путиным",
        "习近平 会见 普京",
        "التقى شي جين بينغ بوتين في موسكو",
    ],
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


def test_timeline_reads_words_of_a_russian_article() -> None:
    """The whole tokeniser path of the timeline (sentences, then content words, then IDF): the
    sentences of a Cyrillic article have words, and two that share them are similar."""
    text = "Си Цзиньпин прибыл в Москву.\n\nСи Цзиньпин прибыл в Москву с визитом."
    article = Article(id="ru", source="ru.txt", text=text)
    story = _Story.read([article])
    first, second = story.words["ru"]
    assert {"цзиньпин", "прибыл", "москву"} <= first
    assert story.idf.similarity(first, second) > 0.5


def test_word_piece_is_the_old_word_runs_less_the_underscore(example_dir: object) -> None:
    from pathlib import Path

    old = re.compile(r"\w+")
    for path in sorted(Path(str(example_dir)).glob("*.txt")):
        text = path.read_text(encoding="utf-8").casefold()
        assert WORD_PIECE.findall(text) == old.findall(text)
    assert WORD_PIECE.findall("snake_case don't") == ["snake", "case", "don", "t"]


def test_word_key_ignores_punctuation_case_and_spacing() -> None:
    assert word_key("No-Limits  Partnership") == "no limits partnership"
    assert word_key("U.S.") == word_key("u s")
    assert word_key("Путин, В.В.") == "путин в в"


def test_credit_initials_in_any_script() -> None:
    from synoptic.clean.credits import _initials

    assert _initials("Associated Press") == "AP"
    assert _initials("Российская Газета") == "РГ"


def test_cleaner_line_key_is_the_shared_normaliser_with_plain_quotes(example_dir: object) -> None:
    import unicodedata
    from pathlib import Path

    from synoptic.clean.shape import _QUOTES, norm, squash

    table = str.maketrans(dict(_QUOTES))

    def old(text: str) -> str:
        return squash(unicodedata.normalize("NFKC", text).translate(table).casefold())

    lines = ["“Xi’s”  visit — to\u00a0MOSCOW", "\ufe31 dash", "ﬁnal  İstanbul"]
    for path in sorted(Path(str(example_dir)).glob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        assert norm(line) == old(line)
