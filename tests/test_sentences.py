from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from synoptic.nlp.sentences import split_sentences, split_text
from synoptic.records import Article, article_id


def spans_text(text: str) -> list[str]:
    return [text[s:e] for s, e in split_text(text)]


def test_basic_split_and_abbreviations() -> None:
    text = (
        'Mr. Xi met Mr Putin in Moscow. "We are open," he said. The U.S. said no. It ended at 5 p.m. Monday.'
    )
    assert spans_text(text) == [
        "Mr. Xi met Mr Putin in Moscow.",
        '"We are open," he said.',
        "The U.S. said no.",
        "It ended at 5 p.m. Monday.",
    ]


def test_quote_final_punctuation() -> None:
    text = "He said “we will win.” Then he left."
    assert spans_text(text) == ["He said “we will win.”", "Then he left."]


def test_paragraphs_always_split_and_spans_index_text() -> None:
    text = "First para without stop\n\nSecond. Third!"
    a = Article(id=article_id(text), source="s", text=text)
    sents = split_sentences(a)
    assert [s.text for s in sents] == ["First para without stop", "Second.", "Third!"]
    assert all(text[s.span[0] : s.span[1]] == s.text for s in sents)


@given(st.text(alphabet=st.sampled_from(list('ab .!?\n"”A1')), max_size=200))
def test_spans_are_ordered_substrings(text: str) -> None:
    a = Article(id="x", source="s", text=text)
    last = 0
    for s in split_sentences(a):
        assert s.span[0] >= last
        assert text[s.span[0] : s.span[1]] == s.text
        assert s.text
        assert s.text == s.text.strip()
        last = s.span[1]


def test_abbreviations_end_a_sentence_only_before_an_opening_word() -> None:
    assert spans_text("He was shot at 10:45 p.m. A stray bullet hit her. It was 6 p.m. Wednesday.") == [
        "He was shot at 10:45 p.m.",
        "A stray bullet hit her.",
        "It was 6 p.m. Wednesday.",
    ]
    assert spans_text("Rates fell in the U.S. Then they rose. U.S. Soccer agreed.") == [
        "Rates fell in the U.S.",
        "Then they rose.",
        "U.S. Soccer agreed.",
    ]
    assert spans_text("It is owned by CBS Studios Inc. This site is not.") == [
        "It is owned by CBS Studios Inc.",
        "This site is not.",
    ]


def test_titles_numbers_initials_and_datelines() -> None:
    assert spans_text('"Disgusting," said Rep. G.K. Butterfield. It reached No. 15 on the chart.') == [
        '"Disgusting," said Rep. G.K. Butterfield.',
        "It reached No. 15 on the chart.",
    ]
    assert spans_text("Sorry. No. I'm not selfish.") == ["Sorry.", "No.", "I'm not selfish."]
    assert spans_text(
        "STORRS, Conn. (WTNH) — Eight people were arrested in Jacksonville, Fla. Collier said so."
    ) == [
        "STORRS, Conn. (WTNH) — Eight people were arrested in Jacksonville, Fla.",
        "Collier said so.",
    ]
    assert spans_text("It cost six fireplaces? $9.65 million? Both died. https://t.co/x — a post") == [
        "It cost six fireplaces?",
        "$9.65 million?",
        "Both died.",
        "https://t.co/x — a post",
    ]
