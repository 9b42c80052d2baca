"""One long article costs time in proportion to its length: the per-article bounds, and a guard
that 10x the text costs about 10x the CPU, not 100x (the quadratic lookups this replaced)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from synoptic.clean import clean_article
from synoptic.config import CleanSettings, DossierSettings, Settings
from synoptic.dossier import bounded, build_dossier
from synoptic.limits import compared_length
from synoptic.pipeline import digest
from synoptic.records import Article, Story

# real sentences of the bundled example, reworded per paragraph so that no line repeats
PARAGRAPH = (
    "Chinese President Xi Jinping arrived in Moscow on Monday {n} for a three-day state visit. "
    "Russian President Vladimir Putin said on Tuesday that the talks had been “open and friendly”, "
    "Kremlin spokesman Dmitry Peskov told reporters {n} times. The two leaders signed a statement on "
    "deepening their partnership, and Xi invited Putin to visit China this year, state media said."
)


def long_text(n_paragraphs: int) -> str:
    return "\n\n".join(PARAGRAPH.format(n=f"#{i}") for i in range(n_paragraphs))


def article(text: str) -> Article:
    return Article(id="long", source="long.txt", text=text, title="Xi visits Moscow", input_format="text")


def test_compared_length_cuts_at_a_paragraph_break() -> None:
    text = long_text(50)
    keep = compared_length(text, 2_000)
    assert keep <= 2_000
    assert text[keep:].startswith("\n\n")
    assert compared_length(text, len(text)) == len(text)
    assert compared_length("word " * 1000, 100) <= 100  # one long paragraph: cut at a space
    assert compared_length("x" * 1000, 100) == 100  # no break at all


def test_clean_caps_an_overlong_article_and_says_so() -> None:
    text = long_text(200)
    cleaned = clean_article(article(text), CleanSettings(max_article_chars=10_000))
    assert len(cleaned.text) <= 10_000
    assert text.startswith(cleaned.text[:5_000])
    assert any("only the first" in w and f"{len(text):,}" in w for w in cleaned.warnings)
    assert not any("only the first" in w for w in clean_article(article(text), CleanSettings()).warnings)


def test_dossier_compares_a_bounded_prefix_and_warns() -> None:
    whole = article(long_text(60))
    part = bounded(whole, 5_000)
    assert whole.text.startswith(part.text)
    assert bounded(whole, len(whole.text)) is whole
    settings = dataclasses.replace(
        Settings().fast(), dossier=dataclasses.replace(DossierSettings(), max_article_chars=5_000)
    )
    dossier = build_dossier(Story(id="s", articles=("long",)), [whole], [], settings)
    assert any("compare the first" in w for w in dossier.warnings)
    for claim in dossier.claims:
        for citation in claim.citations:
            assert citation.span[1] <= len(part.text)
    for event in dossier.timeline:
        for citation in event.citations:
            assert citation.span[1] <= len(part.text)


def _cpu_seconds(path: Path, settings: Settings) -> float:
    start = time.process_time()
    result = digest([str(path)], settings)
    assert len(result.articles) == 1
    return time.process_time() - start


def test_ten_times_the_text_costs_about_ten_times_the_cpu(tmp_path: Path) -> None:
    """With the model-free settings; the paragraphs are 400 characters, so 30 KB vs 300 KB. A
    quadratic step would make the ratio near 100; linear work gives 5-10 (fixed costs weigh more
    in the small run: 5.1 measured)."""
    settings = Settings().fast().validate()
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("Xi visits Moscow\n" + long_text(75), encoding="utf-8")
    large.write_text("Xi visits Moscow\n" + long_text(750), encoding="utf-8")
    _cpu_seconds(small, settings)  # imports and first-use set-up out of the way
    ratio = _cpu_seconds(large, settings) / _cpu_seconds(small, settings)
    assert ratio < 15, ratio
