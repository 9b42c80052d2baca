"""Rule-based sentence splitting with character spans (fast, deterministic, no model).

Splits each paragraph of an article at ``.``/``!``/``?``/``…`` (plus closing quotes and
brackets) followed by whitespace and an upper-case letter, digit or opening quote, except
after common abbreviations ("Mr.", "U.S.", "Jan.") and single initials ("J. Smith").
Paragraph breaks always end a sentence. Spans index the article's cleaned text.
"""

from __future__ import annotations

import re

from synoptic.records import Article, Sentence

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen gov sen rep col lt sgt capt cmdr adm maj rev hon pres supt
    vol fig inc ltd co corp bros dept univ assn est approx vs etc al jan feb mar apr jun jul aug
    sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split()
)

_BOUNDARY = re.compile(
    r"""(?P<end>[.!?…]+["'”’)\]]*|["'”’]\s*(?=[A-Z]))\s+(?=["'“‘(\[]?[A-Z0-9])""",
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split_text(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute, shifted by ``offset``) of one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end("end")
        if not m.group("end").startswith(("”", "’", '"', "'")) or m.group("end")[0] in ".!?…":
            before = _WORD_BEFORE.search(text[start:end])
            if before is not None and m.group("end") == ".":
                word = before.group(1).lower()
                if word in ABBREVIATIONS or len(word) == 1:
                    continue
        else:
            # a closing quote with no terminal punctuation before it is not a boundary
            continue
        segment = text[start:end].strip()
        if segment:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            spans.append((offset + start + lead, offset + start + lead + len(segment)))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(tail.strip())))
    return spans


def split_sentences(article: Article) -> list[Sentence]:
    """All sentences of an article's cleaned text, in order."""
    sentences: list[Sentence] = []
    for p_start, p_end in article.paragraph_spans():
        for s, e in split_text(article.text[p_start:p_end], p_start):
            sentences.append(Sentence(article.id, len(sentences), (s, e), article.text[s:e]))
    return sentences


CONTEXT_START = re.compile(
    r"^(?:[\"'“‘(]\s*)?(?:he|she|it|they|them|his|her|its|their|this|these|those|that|there|such|but|and|"
    r"or|so|also|however|meanwhile|still|yet|instead|then|thus|moreover|furthermore|besides|which|"
    r"both|another|other|others|the two|the latter|the former)\b",
    re.IGNORECASE,
)
"""A sentence that opens with a pronoun or a connective leans on the sentence before it ("They
also share ...", "However, he added ..."): the summary weighs it less, the cross-check does not
show it as a stand-alone claim."""
