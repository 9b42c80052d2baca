"""Shared fixtures. Tests never touch the network or the user's files (temp dirs only)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xi-moscow-2023"
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"
SEED_GOLD = EVAL / "seeds" / "gold.json"


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """``../shared/eval``; tests that need it skip with a clear message when it is absent."""
    if not EVAL.is_dir():
        pytest.skip(f"{EVAL} is absent (a user's clone has no ../shared); CI has it")
    return EVAL


@pytest.fixture(scope="session")
def seed_gold(eval_dir: Path) -> dict[str, object]:
    import json

    return json.loads((eval_dir / "seeds" / "gold.json").read_text(encoding="utf-8"))
