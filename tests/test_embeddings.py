"""The embedders' arithmetic: MiniLM in bfloat16 where the CPU computes it natively."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from synoptic.nlp import embeddings
from synoptic.nlp.embeddings import MiniLMEmbedder, make_embedder

SRC = Path(__file__).resolve().parents[1] / "src"

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


def test_the_cpu_flags_decide_without_loading_torch(tmp_path: Path) -> None:
    """A run's main process makes the MiniLM embedder its workers use but encodes nothing: it
    must not load torch (0.2 GB) to choose the precision."""
    from synoptic.nlp.models import _cpu_flags

    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512_bf16\n\nflags\t: other\n")
    assert _cpu_flags(str(info)) == {"fpu", "sse", "avx2", "avx512f", "avx512_bf16"}
    assert _cpu_flags(str(tmp_path / "none")) is None
    if _cpu_flags() is None:
        pytest.skip("no /proc/cpuinfo here: the precision is decided by torch's probes")
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from synoptic.nlp.embeddings import make_embedder; "
            "make_embedder('minilm'); print('torch' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert made.stdout.strip() == "False"
