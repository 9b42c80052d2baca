"""Sentence boundaries scored against gold (``tests/data/sentence_gold/``, and ECB+ dev).

A gold document is a list of paragraphs, each a list of its sentences in order; its text is the
paragraphs joined by blank lines, the sentences of a paragraph by one space (whitespace in the
sources was collapsed when the gold was made). Every splitter sees one paragraph at a time:
paragraph breaks end a sentence in every splitter compared here, so only the boundaries *inside* a
paragraph are scored. A boundary is the offset where a sentence other than a paragraph's first
starts (its first non-space character), so a splitter that keeps a closing quote on the wrong side
of the break misses the boundary rather than scoring half. Pure functions of plain data: the
benchmark (``bench/sentences.py``) and the test (``tests/test_sentence_gold.py``) score alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

Splitter = Callable[[str], Sequence[tuple[int, int]]]
"""A paragraph's text to its sentence spans (character offsets into that text)."""


@dataclass(frozen=True, slots=True)
class GoldDoc:
    id: str
    source: str
    paragraphs: tuple[tuple[str, ...], ...]

    def texts(self) -> list[str]:
        return [" ".join(p) for p in self.paragraphs]


def gold_boundaries(sentences: Sequence[str]) -> set[int]:
    """Starts of the sentences after the first in a paragraph made of ``sentences``."""
    out: set[int] = set()
    at = 0
    for i, sentence in enumerate(sentences):
        if i:
            out.add(at)
        at += len(sentence) + 1
    return out


def boundaries(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Where the predicted sentences after the first start (leading whitespace skipped); the
    start of the paragraph itself is never a boundary."""
    out: set[int] = set()
    for start, end in spans:
        piece = text[start:end]
        at = start + len(piece) - len(piece.lstrip())
        if text[:at].strip():
            out.add(at)
    return out


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int
    sentences: int
    """Gold sentences scored (paragraphs' first sentences included)."""

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Miss:
    doc: str
    text: str
    at: int
    kind: str
    """``fp`` (a break the gold does not have) or ``fn`` (a gold break not made)."""


def score(docs: Iterable[GoldDoc], split: Splitter) -> tuple[Score, list[Miss]]:
    """Boundary counts of ``split`` over ``docs``, with every error for reading."""
    tp = fp = fn = n = 0
    misses: list[Miss] = []
    for doc in docs:
        for sentences, text in zip(doc.paragraphs, doc.texts(), strict=True):
            gold = gold_boundaries(sentences)
            got = boundaries(text, split(text))
            tp += len(gold & got)
            fp += len(got - gold)
            fn += len(gold - got)
            n += len(sentences)
            misses.extend(Miss(doc.id, text, at, "fp") for at in sorted(got - gold))
            misses.extend(Miss(doc.id, text, at, "fn") for at in sorted(gold - got))
    return Score(tp, fp, fn, n), misses


def load_gold(path: Path) -> list[GoldDoc]:
    """Documents of a gold JSONL file (``id``, ``source``, ``paragraphs``)."""
    docs: list[GoldDoc] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            paragraphs = tuple(tuple(p) for p in record["paragraphs"] if p)
            docs.append(GoldDoc(record["id"], record["source"], paragraphs))
    return docs


def ecbplus_docs(path: Path, limit: int | None = None) -> Iterator[GoldDoc]:
    """ECB+ dev documents as one paragraph each, their gold sentences (one a line in the kit's
    file, from the corpus's token sentence numbers) joined by spaces. The kit's text is
    tokenised ("Ayers ' definition", "U.S ."), which no news splitter expects: a check of
    robustness, not news style. A document's first line repeats its title and is left out."""
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            record = json.loads(line)
            lines = [" ".join(x.split()) for x in record["text"].split("\n")]
            lines = [x for x in lines if x]
            if len(lines) > 1 and lines[0] == record.get("title", "").strip():
                lines = lines[1:]
            if lines:
                yield GoldDoc(record["id"], "ecbplus", (tuple(lines),))
