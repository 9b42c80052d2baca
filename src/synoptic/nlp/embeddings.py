"""Sentence and document embeddings behind one small interface, with swappable backends.

``minilm`` is all-MiniLM-L6-v2 (sentence-transformers, offline package, loaded once per process):
the quality default. ``hashing`` is a stateless, model-free backend for large runs and quick tests:
word uni- and bigram counts (sublinear, stop words dropped) hashed with random signs straight into
a small dense space (the hashing trick, itself a random projection). It needs no fitting, so every
process, stream step and Dask worker maps the same text to the same vector, and the cosine of two
outputs approximates the cosine of their bag-of-words vectors.

Every backend returns float32 rows of unit length (a zero row for an empty text), so a dot product
is a cosine similarity.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Protocol, get_args

import numpy as np
from numpy.typing import NDArray

from synoptic.config import NlpSettings, Precision
from synoptic.nlp.models import native_bfloat16, sentence_transformer

Matrix = NDArray[np.float32]


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One unit-length float32 row per text (zero row for an empty text)."""
        ...


def _normalise(m: NDArray[np.floating]) -> Matrix:
    out = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Matrix = out / norms
    return result


class MiniLMEmbedder:
    name = "minilm"
    dim = 384

    def __init__(self, batch_size: int = 16, precision: str = "auto") -> None:
        if precision not in get_args(Precision):
            *rest, last = (repr(p) for p in get_args(Precision))  # the one list: config's
            raise ValueError(f"unknown precision {precision!r}: use {', '.join(rest)} or {last}")
        self.batch_size = batch_size
        """Texts per forward pass. The texts are sorted by length first, so a smaller batch pads
        less: on one thread 16 encodes 25-45% more sentences per second than 64 (long sentences
        gain most), in float32 (the same vectors) and bfloat16 (cosines move by 2e-5 at most);
        8 is slower on short texts (``bench.full_speed``)."""
        self.bfloat16 = precision == "bfloat16" or (precision == "auto" and native_bfloat16())
        """Products in bfloat16 (``NlpSettings.precision``): MiniLM is most of the full
        settings' time, and bfloat16 makes it 2.7x faster on CPUs that compute it natively."""

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch  # loaded with the model

        model = sentence_transformer()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16):
            vectors = model.encode(
                list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
            )
        out = _normalise(vectors)
        out[[not t.strip() for t in texts]] = 0.0
        return out


class HashingEmbedder:
    name = "hashing"

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        counts = _hashing_vectorizer(self.dim).transform(list(texts))
        counts.eliminate_zeros()  # colliding terms of opposite sign can cancel out
        # sublinear term frequency, keeping each hashed feature's sign
        counts.data = np.sign(counts.data) * (1.0 + np.log(np.abs(counts.data)))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), 4096):  # dense in row blocks: no float64 copy of it all
            out[start : start + 4096] = _normalise(counts[start : start + 4096].toarray())
        return out


@functools.cache
def _hashing_vectorizer(dim: int):  # type: ignore[no-untyped-def]
    """Signed feature hashing straight into ``dim`` dimensions: every term lands in one dimension
    with a random sign, so inner products are preserved in expectation; nothing to fit or build."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=dim,
        ngram_range=(1, 2),
        stop_words="english",
        alternate_sign=True,
        norm=None,
        lowercase=True,
    )


class CachedEmbedder:
    """An embedder that encodes each distinct text once: one per batch of dossiers, so the
    cross-check's sentences and the summary's citation candidates (mostly the same sentences)
    are not encoded twice, and the batch's texts can be encoded in one call. Not shared across
    batches or runs (its memo grows with what it saw: a few MB for a partition of articles)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._vectors: dict[str, NDArray[np.float32]] = {}

    def remember(self, texts: Sequence[str], vectors: Matrix) -> None:
        """Take ``vectors`` (one row per text, from this embedder's backend) as the texts' own."""
        for text, vector in zip(texts, vectors, strict=True):
            self._vectors.setdefault(text, vector)

    def encode(self, texts: Sequence[str]) -> Matrix:
        todo = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if todo:
            for text, vector in zip(todo, self.inner.encode(todo), strict=True):
                self._vectors[text] = vector
        if not texts:
            return self.inner.encode([])
        return np.stack([self._vectors[t] for t in texts]).astype(np.float32, copy=False)


def make_embedder(name: str, precision: str = "auto") -> Embedder:
    """The backend called ``name`` (``minilm`` or ``hashing``); MiniLM with ``precision``
    (``NlpSettings.precision``)."""
    if name == "minilm":
        return MiniLMEmbedder(precision=precision)
    if name == "hashing":
        return HashingEmbedder()
    raise ValueError(f"unknown embedder {name!r}: use 'minilm' or 'hashing'")


def run_embedder(nlp: NlpSettings) -> Embedder:
    """The embedder a run's settings choose (``[nlp] embedder`` with its ``precision``)."""
    return make_embedder(nlp.embedder, nlp.precision)


class KnownVectors:
    """The sentence vectors one stage of a run encoded, by article, kept for a later stage of the
    same run: the rewording search encodes every sentence of the articles it compares, and the
    cross-check of their stories compares the same sentences (13.8k of its 32.5k texts at 1k
    articles of the scale corpus). Bounded: past ``capacity`` rows (about 0.3 GB of MiniLM's)
    an article is not kept, and the later stage encodes it itself. Only worth it for a model:
    the hashing backend's vectors cost little to compute and are MiniLM's size four times over
    to send to a worker."""

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self.rows = 0
        self._by_article: dict[str, tuple[list[str], Matrix]] = {}

    def add(self, article: str, texts: list[str], vectors: Matrix) -> None:
        if article in self._by_article or self.rows + len(texts) > self.capacity:
            return
        self._by_article[article] = (texts, vectors)
        self.rows += len(texts)

    def take(self, article: str) -> tuple[list[str], Matrix] | None:
        """The article's sentences and vectors, given once (then forgotten: memory comes back)."""
        found = self._by_article.pop(article, None)
        if found is not None:
            self.rows -= len(found[0])
        return found
