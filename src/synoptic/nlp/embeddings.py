"""Sentence and document embeddings behind one small interface, with swappable backends.

``minilm`` is all-MiniLM-L6-v2 (sentence-transformers, offline package, loaded once per process):
the quality default. ``hashing`` is a stateless, model-free backend for large runs and quick tests:
hashed word uni- and bigram counts (sublinear, stop words dropped) projected to a fixed dense
space by a seeded sparse random projection. It needs no fitting, so every process, stream step and
Dask worker maps the same text to the same vector, and cosine similarity of two outputs
approximates the cosine of their (hashed) bag-of-words vectors.

Every backend returns float32 rows of unit length (a zero row for an empty text), so a dot product
is a cosine similarity.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from synoptic.nlp.models import sentence_transformer

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

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = sentence_transformer()
        vectors = model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        out = _normalise(vectors)
        out[[not t.strip() for t in texts]] = 0.0
        return out


class HashingEmbedder:
    name = "hashing"

    def __init__(self, dim: int = 512, n_features: int = 2**20, seed: int = 13) -> None:
        self.dim = dim
        self.n_features = n_features
        self.seed = seed

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        counts = _hashing_vectorizer(self.n_features).transform(list(texts))
        counts.data = 1.0 + np.log(counts.data)  # sublinear term frequency
        projected = counts @ _projection(self.n_features, self.dim, self.seed)
        return _normalise(np.asarray(projected.todense() if hasattr(projected, "todense") else projected))


@functools.cache
def _hashing_vectorizer(n_features: int):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=n_features,
        ngram_range=(1, 2),
        stop_words="english",
        alternate_sign=False,
        norm=None,
        lowercase=True,
    )


@functools.cache
def _projection(n_features: int, dim: int, seed: int):  # type: ignore[no-untyped-def]
    """A fixed sparse random projection matrix (Achlioptas), identical in every process."""
    from sklearn.random_projection import SparseRandomProjection

    proj = SparseRandomProjection(n_components=dim, random_state=seed, dense_output=False)
    proj.fit(np.zeros((1, n_features), dtype=np.float32))
    return proj.components_.T.tocsr().astype(np.float32)


def make_embedder(name: str) -> Embedder:
    """The backend called ``name`` (``minilm`` or ``hashing``)."""
    if name == "minilm":
        return MiniLMEmbedder()
    if name == "hashing":
        return HashingEmbedder()
    raise ValueError(f"unknown embedder {name!r}: use 'minilm' or 'hashing'")
