"""Cleaning against the hand-checked gold of the five seed articles (../shared/eval/seeds/gold.json)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from synoptic.config import CleanSettings, Settings
from synoptic.pipeline import read_and_clean
from synoptic.records import Article


@pytest.fixture(scope="module")
def cleaned(example_dir: Path) -> dict[str, Article]:
    articles, failures = read_and_clean([str(example_dir)], Settings())
    assert not failures
    return {Path(a.source).name: a for a in articles}


def _body_lines(path: Path) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[1:]  # the first line is the title


def _repeated(line: str, lines: list[str]) -> bool:
    """A line the gold allows at most once: it occurs twice, or inside another line."""
    return lines.count(line) > 1 or any(line in other and line != other for other in lines)


def test_titles_match_gold(cleaned: dict[str, Article], seed_gold: dict[str, Any]) -> None:
    for name, gold in seed_gold["articles"].items():
        assert cleaned[name].title == gold["title"]


def test_every_boilerplate_line_is_out_of_the_body(
    cleaned: dict[str, Article], seed_gold: dict[str, Any]
) -> None:
    for name, boilerplate in seed_gold["boilerplate_lines"].items():
        text = cleaned[name].text
        for line in boilerplate:
            assert line.strip() not in text, (name, line)


def test_every_other_line_is_kept(
    cleaned: dict[str, Article], seed_gold: dict[str, Any], example_dir: Path
) -> None:
    for name in seed_gold["articles"]:
        article = cleaned[name]
        paragraphs = article.paragraphs
        boilerplate = [b.strip() for b in seed_gold["boilerplate_lines"].get(name, [])]
        lines = _body_lines(example_dir / name)
        for line in lines:
            if line in boilerplate:
                continue
            if _repeated(line, lines):
                assert article.text.count(line) <= 1, (name, line)
                continue
            glued = [b for b in boilerplate if line.startswith(b) and line != b]
            expected = line[len(glued[0]) :].strip() if glued else line
            if expected in paragraphs:
                continue
            # An origin-credit dateline ("Hong Kong (CNN)") may be cut from the front of a line,
            # and only when the cut is recorded as such.
            cut = [p for p in paragraphs if expected.endswith(p) and len(p) > 0.8 * len(expected)]
            assert cut, (name, line)
            prefix = expected[: len(expected) - len(cut[0])].strip()
            assert any(r.text == prefix and r.reason == "origin credit" for r in article.removed), (
                name,
                prefix,
            )


def test_repeated_lines_appear_at_most_once(cleaned: dict[str, Article], example_dir: Path) -> None:
    for name, article in cleaned.items():
        paragraphs = article.paragraphs
        assert len(paragraphs) == len(set(paragraphs)), name


def test_every_removal_has_a_category_and_a_line(cleaned: dict[str, Article]) -> None:
    for article in cleaned.values():
        for removal in article.removed:
            assert removal.reason
            assert removal.reason == removal.reason.lower()
            assert removal.line is not None
            assert removal.line >= 0
            assert removal.text.strip()


def test_dates_from_the_text(cleaned: dict[str, Article], seed_gold: dict[str, Any]) -> None:
    for name, gold in seed_gold["articles"].items():
        published = cleaned[name].published
        if gold["published"]["value"] is None:
            assert published is None, name
            continue
        assert published is not None, name
        assert published.value == dt.datetime.fromisoformat(gold["published"]["value"])
        assert published.kind == gold["published"].get("kind", "published")
        assert published.origin == "text"
        assert published.source_text == gold["published"]["source_text"]
        assert cleaned[name].provenance["published"] == "text"


def test_aware_and_naive_dates(cleaned: dict[str, Article]) -> None:
    ist = cleaned["001_90cc1c2f54e51578.txt"].published
    assert ist is not None
    assert ist.value is not None
    assert ist.value.utcoffset() == dt.timedelta(hours=5, minutes=30)
    naive = cleaned["002_b180209efdb6406c.txt"]
    assert naive.published is not None
    assert naive.published.value is not None
    assert naive.published.value.tzinfo is None
    assert any("no time zone" in w for w in naive.warnings)


@pytest.mark.parametrize(
    ("name", "credit"),
    [
        ("000_239dd344fad90823.txt", "ITV News"),
        ("001_90cc1c2f54e51578.txt", "ANI"),
        ("004_c8e33d5bc939e68e.txt", "CNN"),
    ],
)
def test_origin_credits(cleaned: dict[str, Article], name: str, credit: str) -> None:
    assert credit in cleaned[name].credits


def test_no_credits_invented(cleaned: dict[str, Article]) -> None:
    assert cleaned["002_b180209efdb6406c.txt"].credits == ()
    assert cleaned["003_4bd38a09334b47d0.txt"].credits == ()


def test_sign_off_sentence_stays_in_the_text(cleaned: dict[str, Article]) -> None:
    text = cleaned["000_239dd344fad90823.txt"].text
    assert "ITV News' Asia Correspondent Debi Edward reports" in text


def test_subheadings_are_kept_and_flagged(cleaned: dict[str, Article]) -> None:
    article = cleaned["004_c8e33d5bc939e68e.txt"]
    headings = [article.text[s:e] for s, e in article.headings]
    assert headings == ["“infinite” relationship", "‘Dearest friends’"]


def test_language_is_english_with_confidence(cleaned: dict[str, Article]) -> None:
    for article in cleaned.values():
        assert article.language == "en"
        assert article.language_confidence is not None
        assert article.language_confidence > 0.9
        assert not any("language" in w for w in article.warnings)


def test_ids_are_the_ingested_ones(example_dir: Path) -> None:
    raw, _ = read_and_clean([str(example_dir)], Settings().with_section(clean=CleanSettings(enabled=False)))
    clean, _ = read_and_clean([str(example_dir)], Settings())
    assert sorted(a.id for a in raw) == sorted(a.id for a in clean)
