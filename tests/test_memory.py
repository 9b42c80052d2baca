"""Freed memory handed back between stages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from synoptic.memory import release_freed_memory


def _resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's (Linux)")
def test_freed_memory_between_live_objects_goes_back() -> None:
    # every 16th string stays alive, so the freed ones are holes the heap cannot shrink past
    texts = [bytes([i % 251]) * 2000 for i in range(100_000)]  # 200 MB on the C heap
    kept = texts[::16]
    del texts
    before = _resident_mb()
    assert release_freed_memory()
    assert _resident_mb() < before - 100
    assert len(kept) == 6250
