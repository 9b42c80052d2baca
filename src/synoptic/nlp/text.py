"""Words in any script: the text helpers the stages share, each written once.

Word patterns (:data:`WORD`, :data:`LETTER_WORD`, :data:`WORD_PIECE`), the stop-word base
(:data:`STOP_WORDS`), the comparison keys of texts (:func:`normalised`, :func:`word_key`) and the
smoothed IDF (:func:`smooth_idf`, :func:`smooth_idf_array`). A stage that needs one of these uses
it from here; a stage that needs a variant says so with a parameter or a named extension, so that
copies cannot drift apart (the timeline's ASCII-only word pattern did).

Python's ``\\w`` is Unicode-aware, so ``[^\\W_]`` is a letter or digit of any script and
``[^\\W\\d_]`` a letter of any script; an ASCII-only ``[A-Za-z]`` would find no words at all in
Greek, Cyrillic or Chinese text (the timeline's word pattern did).

One list of stop words, :data:`STOP_WORDS`, is the base every stage's list extends: each stage adds
the words its thresholds were set with on dev data (the timeline its weekday and month names, the
support check its function words, the summary scikit-learn's list), and folding those extensions
into one list would move decisions the benchmarks pinned down, so they stay named in their stage.

The clusterer's tokens (``cluster._TOKEN``: numbers with separators, hyphenated names) are not a
word pattern but the distinctive-token reader of that stage, and stay with it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word: letters and digits of any script, with inner apostrophes ("don't", "Xi’s", "2023")."""

LETTER_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’])+")
"""A word of two or more letters of any script (apostrophes inside or at its end; no digits)."""

WORD_PIECE = re.compile(r"[^\W_]+")
"""A run of letters and digits of any script: :data:`WORD` with apostrophes splitting it ("don't"
is "don", "t"), as SQLite's FTS5 tokeniser splits words, and as the copy detector's shingles
and the comparison keys of :func:`word_key` were made."""

STOP_WORDS = frozenset(
    """a about after also an and are as at be been before but by can could do for from had has have he
    her his i in into is it its may might more most not of on or over she such than that the their then
    there these they this those to was we were what when where which who whom will with would you""".split()
)
"""English function words that every stage drops. Each stage's list is this base and a named
extension (``STOP_WORDS | {...}``) in its own module, documented there."""


def word_key(text: str, words: re.Pattern[str] = WORD_PIECE) -> str:
    """Comparison key of a short text by its words: case-folded ``words`` (:data:`WORD_PIECE`
    runs unless told) joined by one space, so punctuation, spacing and case do not count ("U.S."
    and "u s" are one key). The support check keys names by :data:`WORD` ("O'Brien" one word)."""
    return " ".join(words.findall(text.casefold()))


def normalised(text: str) -> str:
    """Comparison form of a text: NFKC, case-folded, whitespace runs as one space. The article id
    (:func:`synoptic.records.article_id`), exact copies and the stories' repeated-text key use it:
    two texts that differ only in case, spacing or Unicode form are the same text. The cleaner's
    line key (:func:`synoptic.clean.shape.norm`) is this after typographic quotes and dashes are
    made plain; :func:`word_key` drops punctuation as well."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def smooth_idf(df: int, n: int, offset: float = 1.0) -> float:
    """Smoothed inverse document frequency ``ln((1 + n) / (1 + df)) + offset`` of a term in ``df``
    of ``n`` documents: scikit-learn's ``smooth_idf`` with ``offset`` 1, as every stage that weights
    words uses it (the timeline's sentence overlap, the support check's word weights). A larger
    ``offset`` flattens the weights (the cluster's in-group refinement)."""
    return math.log((1 + n) / (1 + df)) + offset


def smooth_idf_array(df: NDArray[np.float64], n: int, offset: float = 1.0) -> NDArray[np.float64]:
    """:func:`smooth_idf` of many terms at once, for the TF-IDF matrices (the clusterer's and the
    summary's). A separate function, not a loop over :func:`smooth_idf`: NumPy's logarithm may
    round the last bit differently from :func:`math.log`, and each caller keeps its own floats."""
    import numpy as np  # numpy only where a matrix is built: records import this module

    ratio = (1.0 + n) / (1.0 + df)
    return np.log(ratio) + offset
