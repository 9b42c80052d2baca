from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from synoptic.dossier import bounded
from synoptic.nlp.sentences import SentenceSplits, sentences_of, split_sentences, split_text
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


@given(
    st.lists(st.text(alphabet=st.sampled_from(list('ab .!?\n"”A1')), max_size=60), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=400),
)
def test_shared_split_of_a_prefix_is_the_prefix_split(parts: list[str], limit: int) -> None:
    """A dossier's bounded copy of an article takes its sentences from the whole article's split:
    they must be those that splitting the copy gives (whatever the cut)."""
    text = "\n\n".join(parts)
    whole = Article(id="x", source="s", text=text)
    part = bounded(whole, limit)
    splits = SentenceSplits()
    assert splits.of(whole) == tuple(split_sentences(whole))
    assert splits.of(part) == tuple(split_sentences(part))
    assert splits.of(whole) is splits.of(whole)
    cut = Article(id="x", source="s", text=text[: max(0, len(text) - 3)])
    assert splits.of(cut) == tuple(split_sentences(cut))


def test_shared_split_tells_articles_and_texts_apart() -> None:
    a = Article(id="a", source="s", text="One. Two.")
    b = Article(id="b", source="s", text="Three. Four.")
    splits = SentenceSplits()
    assert [s.text for s in splits.of(a)] == ["One.", "Two."]
    assert [s.text for s in splits.of(b)] == ["Three.", "Four."]
    other = Article(id="a", source="s", text="Five. Six.")  # same id, another text: split anew
    assert [s.text for s in splits.of(other)] == ["Five.", "Six."]
    assert list(sentences_of(a, None)) == split_sentences(a)


def test_quoted_question_and_its_attribution_are_one_sentence() -> None:
    text = (
        '"That would be you?" Borger asked. "Why?" He left. "Go!" Sen. Jim Smith shouted. "Out!" He said no.'
    )
    assert spans_text(text) == [
        '"That would be you?" Borger asked.',
        '"Why?"',
        "He left.",
        '"Go!" Sen. Jim Smith shouted.',
        '"Out!"',
        "He said no.",
    ]
