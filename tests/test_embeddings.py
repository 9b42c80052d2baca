"""The embedders' arithmetic: MiniLM in bfloat16 where the CPU computes it natively."""

from __future__ import annotations

import numpy as np
import pytest

from synoptic.nlp import embeddings
from synoptic.nlp.embeddings import MiniLMEmbedder, make_embedder

SENTENCES = [
    "Chinese President Xi Jinping arrived in Moscow on Monday for a three-day state visit.",
    "Xi landed in the Russian capital for talks with Vladimir Putin.",
    "The International Criminal Court issued an arrest warrant for Putin on Friday.",
    "Ukraine's foreign minister urged Beijing to respect its territorial integrity.",
    "Oil and gas exports to China have grown since the invasion.",
    "Russia's war in Ukraine is now in its second year.",
]


def test_auto_takes_bfloat16_only_where_the_cpu_computes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "native_bfloat16", lambda: True)
    assert MiniLMEmbedder().bfloat16
    assert not MiniLMEmbedder(precision="float32").bfloat16
    monkeypatch.setattr(embeddings, "native_bfloat16", lambda: False)
    assert not MiniLMEmbedder().bfloat16
    assert MiniLMEmbedder(precision="bfloat16").bfloat16  # asked for: emulated, slower, the same
    with pytest.raises(ValueError, match="use 'auto', 'float32' or 'bfloat16'"):
        MiniLMEmbedder(precision="half")


def test_bfloat16_vectors_are_within_a_hair_of_the_float32_ones() -> None:
    """The thresholds were tuned on float32 cosines; bfloat16 products (sums and norms kept in
    float32 by autocast) move them far less than any threshold's margin."""
    exact = make_embedder("minilm", "float32").encode(SENTENCES)
    fast = make_embedder("minilm", "bfloat16").encode(SENTENCES)
    assert fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert (exact * fast).sum(axis=1).min() > 0.999
    assert np.abs(exact @ exact.T - fast @ fast.T).max() < 0.01
    # and the similarities still tell the same visit from the other news
    assert (fast @ fast.T)[0, 1] > 0.4 > (fast @ fast.T)[0, 4]
