"""The fast paths of ``nlp/timex``: what each pattern needs is read off the pattern, and
``prepare`` finds exactly the matches that running every rule over the text finds; ``intervals``
and ``offset`` give what the records of ``find_in_text`` give."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from synoptic.nlp.timex.prefilter import DIGIT, rule_needs
from synoptic.nlp.timex.resolve import _candidates, find_in_text, intervals, prepare, sentence_spans
from synoptic.nlp.timex.rules import RULES

Match = tuple[int, tuple[int, int], str, tuple[int, int]]


def every_rule(text: str) -> list[Match]:
    """The matches of running every rule over the text, each with its sentence (linear search)."""
    sentences = sentence_spans(text)
    out: list[Match] = []
    for order, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            if m.end() > m.start():
                sentence = next(((s, e) for s, e in sentences if s <= m.start() < e), (0, len(text)))
                out.append((order, m.span(), m.group(0), sentence))
    return out


def prepared(text: str) -> list[Match]:
    return [(order, m.span(), m.group(0), sentence) for order, m, sentence in prepare(text).matches]


def needs(pattern: str) -> set[frozenset[str]]:
    return set(rule_needs(re.compile(pattern, re.I)))


def test_needs_read_off_the_pattern() -> None:
    assert needs(r"(?:next|last)\s+week") == {frozenset({"next", "last"}), frozenset({"week"})}
    assert needs(r"\d{4}") == {frozenset({DIGIT})}
    assert needs(r"(?:jan|january)\.?\s+\d") == {frozenset({"jan"}), frozenset({DIGIT})}
    assert needs(r"(?:foo)?bar") == {frozenset({"bar"})}  # "foobar" contains "bar"
    assert needs(r"(?<=will\s)go") == {frozenset({"will"}), frozenset({"go"})}
    assert needs(r"(?-i:March)|may") == {frozenset({"march", "may"})}  # case-blind: text is lowered


def test_what_cannot_be_read_needs_nothing() -> None:
    assert needs(r"[\d.]+x") == set()  # a class of digits and a dot; one letter is no filter
    assert needs(r"foo|\w+") == set()  # a branch that needs nothing
    assert needs(r"(?:week)?s") == set()
    assert needs(r"[^a]bc") == {frozenset({"bc"})}
    assert needs(r"(a)\1") == set()


def test_every_rule_needs_something() -> None:
    # a rule without needs is searched in every sentence: worth knowing when one is added
    assert all(rule.needs for rule in RULES), [rule.name for rule in RULES if not rule.needs]


@pytest.mark.parametrize(
    "text",
    [
        "It took two \u017feconds and three WEEKS.",  # long s: matches "s" ignoring case
        "The \u212aing met on FR\u0130DAY and MONDAY, on 20 March 2023.",  # Kelvin sign, dotted I
        "Talks ended on Monday.\n\nThe next day, 12 p.m., prices rose 2% in the third quarter.",
        "Си прибыл в Москву on Monday, 20 March 2023 — “yesterday” ’90s.",
        "",
    ],
)
def test_prepare_finds_what_every_rule_finds(text: str) -> None:
    assert prepared(text) == every_rule(text)


def test_case_folds_are_matched() -> None:
    assert any(RULES[o].name == "duration" for o, *_ in prepared("It took two \u017feconds."))


FRAGMENTS = st.sampled_from(
    "on Monday | Mon. | last week | yesterday | in February | Jan. 5 | the third quarter | 3rd-quarter "
    "| three days | 24 hours | next year | now | will | said | the | talks | 1998 | 2023-03-20 | Sept. 30 "
    "| from Tuesday to Thursday | 4-6 March | . | , | ago | a year earlier | 10:30 a.m. | the 1990s "
    "| nineteen ninety | every week | daily | this morning | the weekend | \u017f | \u212a | \u0130 | ٣ "
    "| earlier | month | summer | late | mid- | 21st century | \n\n | will one day".split(" | ")
)


@hsettings(max_examples=150, deadline=None)
@given(words=st.lists(FRAGMENTS | st.text(max_size=6), max_size=30), glue=st.sampled_from([" ", "", "-"]))
def test_prepare_matches_every_rule_on_any_text(words: list[str], glue: str) -> None:
    text = glue.join(words)
    assert prepared(text) == every_rule(text)


def test_prepare_matches_every_rule_on_timebank_dev(eval_dir: Path) -> None:
    with (eval_dir / "timex" / "timebank_dev.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    assert texts
    for text in texts:
        assert prepared(text) == every_rule(text)


@hsettings(max_examples=60, deadline=None)
@given(
    words=st.lists(FRAGMENTS, max_size=20),
    anchor=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)) | st.none(),
    ranges=st.booleans(),
    offset=st.integers(0, 500),
)
def test_intervals_and_offsets_agree_with_the_records(
    words: list[str], anchor: dt.date | None, ranges: bool, offset: int
) -> None:
    text = " ".join(words)
    found = find_in_text(text, anchor, ranges=ranges)
    expected = [(t.granularity, (t.start, t.end) if t.start and t.end else None) for t in found]
    assert intervals(prepare(text), anchor, ranges=ranges) == expected
    shifted = find_in_text(prepare(text), anchor, ranges=ranges, offset=offset)
    assert [dataclasses.replace(t, span=(t.span[0] + offset, t.span[1] + offset)) for t in found] == list(
        shifted
    )


# --------------------------------------------------------------------------- the order of the rules

RULE_ORDER = (
    "date-full", "date-iso", "date-month-day", "month-year", "month", "season", "year", "decade",
    "decade-word", "year-words", "century", "quarter", "quarter-relative", "latest-period", "relative-day",
    "this-daypart", "weekday-range", "day-range", "weekday", "clock", "relative-unit", "the-weekend", "ago",
    "year-ago-adj", "duration", "vague-duration", "ref", "set", "decade-ref", "the-year", "one-day",
)  # fmt: skip
"""The documented order of ``rules.RULES`` (the order they had when registered at import)."""


def test_rules_are_one_ordered_tuple() -> None:
    assert isinstance(RULES, tuple)
    assert tuple(rule.name for rule in RULES) == RULE_ORDER


@pytest.mark.parametrize(
    ("text", "first", "second", "expected"),
    [
        ("Prices rose over the past few weeks.", "duration", "vague-duration", ("the past few weeks", "PXW")),
        ("He said they will one day return.", "duration", "one-day", ("one day", "P1D")),
    ],
)
def test_a_tie_goes_to_the_earlier_rule(
    text: str, first: str, second: str, expected: tuple[str, str]
) -> None:
    # both rules find the same extent with different values: a tie that the order of RULES decides
    anchor = dt.date(2023, 3, 17)
    hits = {RULES[order].name: hit for hit, order in _candidates(prepare(text), anchor)}
    a, b = hits[first], hits[second]
    assert (a.start, a.end) == (b.start, b.end)
    assert a.value != b.value
    assert RULE_ORDER.index(first) < RULE_ORDER.index(second)
    assert [(t.text, t.value) for t in find_in_text(text, anchor)] == [expected]
    assert expected[1] == a.value


# --------------------------------------------------------------------------- the pattern reader


def test_the_reader_knows_the_syntax_the_rules_use() -> None:
    assert needs(r"(?P<n>ab)(?P=n)cd") == {frozenset({"ab"}), frozenset({"cd"})}  # a back-reference
    assert needs(r"\x41\u0042c") == {frozenset({"abc"})}  # escapes of characters
    assert needs(r"a{2,3}?bc") == {frozenset({"bc"})}  # a lazy count: its strings are too many
    assert needs(r"x{,2}yz") == {frozenset({"yz"})}
    assert needs(r"ab{c") == {frozenset({"ab{c"})}  # a brace that is no count is itself
    assert needs(r"[]a]bc") == {frozenset({"]bc", "abc"})}  # "]" first in a class is itself
    assert needs(r"[a-]bc") == {frozenset({"-bc", "abc"})}  # so is "-" last
    assert needs(r"[0-9]{2}") == {frozenset({DIGIT})}
    assert needs(r"(?i)abc(?#note)") == {frozenset({"abc"})}
    assert needs(r"(?>ab)c") == {frozenset({"abc"}), frozenset({"ab"})}  # an atomic group
    assert needs(r"[ap]\.m\.|[ap]m") == {frozenset({"a.m.", "p.m.", "am", "pm"})}


def test_a_pattern_the_reader_does_not_know_needs_nothing() -> None:
    assert needs(r"(a)?(?(1)b|c)def") == set()  # a conditional
    assert rule_needs(re.compile(r"abc  # comment", re.I | re.X)) == ()
