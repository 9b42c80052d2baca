"""The shape of a line: normalised form, words, and whether it reads as a sentence or a label.

Structural signals are what make the cleaning rules generalise across outlets: boilerplate
is short, lacks sentence punctuation, repeats, sits at the edges of the page; body text is
made of sentences.
"""

from __future__ import annotations

import re
import unicodedata

from synoptic.nlp.text import WORD, normalised

_QUOTES = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'), ("—", "-"), ("–", "-"))
_WORD = WORD  # was \w+(?:['’]\w+)*: the same words, less the underscore
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")

MAX_LABEL_WORDS = 8
"""A line of at most this many words without sentence punctuation reads as a label/heading.
Set from the seed articles and the extract benchmark pages: subheadings and section labels
run 1-7 words; standfirsts without a full stop run 12+."""

MIN_SENTENCE_WORDS = 8
"""A body paragraph has at least this many words and ends like a sentence."""


def squash(text: str) -> str:
    """Whitespace (including NBSP and other Unicode spaces) collapsed to single spaces."""
    return " ".join(text.split())  # str.split's whitespace is re's \s, NBSP included


def norm(text: str) -> str:
    """Comparison key: :func:`~synoptic.nlp.text.normalised` (NFKC, case-folded, spaces collapsed)
    with typographic quotes and dashes made plain (after NFKC, which makes compatibility forms of
    them typographic ones first)."""
    folded = unicodedata.normalize("NFKC", text)
    # str.translate looks every character up in a dict; a replace per mark is a C scan each
    # (an article's whole text is normalised too: 8 scans of it are cheaper than one translate)
    for mark, plain in _QUOTES:
        folded = folded.replace(mark, plain)
    return normalised(folded)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def is_sentence_like(text: str) -> bool:
    """A line that reads as body text: enough words and a sentence ending (or simply long)."""
    n = len(words(text))
    return n >= 25 or (n >= MIN_SENTENCE_WORDS and ends_sentence(text))


def is_label_like(text: str) -> bool:
    """A short line without sentence punctuation: a heading, section label or caption title."""
    n = len(words(text))
    return 0 < n <= MAX_LABEL_WORDS and not ends_sentence(text)


def is_headline_like(text: str) -> bool:
    """A line shaped like a headline: no sentence ending, not a long paragraph."""
    n = len(words(text))
    return 0 < n <= 30 and not ends_sentence(text.rstrip("\"'”’"))


def self_glued(text: str, min_len: int = 15) -> str | None:
    """``X`` when the line is ``X`` written twice in a row (a caption glued to its copy)."""
    s = squash(text)
    n = len(s)
    for half in range(n // 2 - 1, n // 2 + 2):
        if half < min_len:
            continue
        left, right = s[:half].strip(), s[half:].strip()
        if left and left == right:
            return left
    return None
