"""Words in any script: the word patterns the stages share.

Python's ``\\w`` is Unicode-aware, so ``[^\\W_]`` is a letter or digit of any script and
``[^\\W\\d_]`` a letter of any script; an ASCII-only ``[A-Za-z]`` would find no words at all in
Greek, Cyrillic or Chinese text (the timeline's word pattern did).

The stop-word lists stay with their stages: each was tuned with its stage's thresholds on dev data
(the timeline's holds weekday and month names, the support check's its function words), and
merging them would move decisions the benchmarks pinned down.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word: letters and digits of any script, with inner apostrophes ("don't", "Xi’s", "2023")."""

LETTER_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’])+")
"""A word of two or more letters of any script (apostrophes inside or at its end; no digits)."""


def normalised(text: str) -> str:
    """Comparison form of a text: NFKC, case-folded, whitespace runs as one space. The article id
    (:func:`synoptic.records.article_id`), exact copies and the stories' repeated-text key use it:
    two texts that differ only in case, spacing or Unicode form are the same text."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
