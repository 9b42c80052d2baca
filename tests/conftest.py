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


@pytest.fixture(scope="session")
def seed_story(example_dir: Path) -> dict[str, object]:
    """The bundled example read, cleaned and parsed once: articles (by file name), parses,
    entities and quotes, shared by the entity and quote tests (spaCy and MiniLM load once)."""
    from synoptic.config import Settings
    from synoptic.nlp.entities import parse_articles, resolve_entities
    from synoptic.pipeline import read_and_clean
    from synoptic.quotes import find_quotes

    settings = Settings().validate()
    articles, _ = read_and_clean(sorted(str(p) for p in example_dir.glob("*.txt")), settings)
    parsed = parse_articles(articles, settings.entities)
    entities = resolve_entities(articles, parsed, settings.entities)
    quotes = find_quotes(articles, entities, settings.quotes, parsed)
    by_file = {a.source.replace("\\", "/").rsplit("/", 1)[-1]: a for a in articles}
    return {"articles": by_file, "parsed": parsed, "entities": entities, "quotes": quotes}


@pytest.fixture
def minilm_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, list[str]]]:
    """Every MiniLM encoding of the test as ``(by the copy search, texts)``."""
    import traceback

    from synoptic.nlp import embeddings

    calls: list[tuple[bool, list[str]]] = []
    inner = embeddings.MiniLMEmbedder.encode

    def encode(self: embeddings.MiniLMEmbedder, texts: list[str]) -> embeddings.Matrix:
        by_copy_search = any(f.filename.endswith("dedup.py") for f in traceback.extract_stack())
        calls.append((by_copy_search, list(texts)))
        return inner(self, texts)

    monkeypatch.setattr(embeddings.MiniLMEmbedder, "encode", encode)
    return calls
