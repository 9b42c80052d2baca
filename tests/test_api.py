"""The public Python API: names and signatures as the README lists them, lazy imports, the README's
example run as a doctest, and ``synoptic.digest`` on every kind of input (always cleaned)."""

from __future__ import annotations

import doctest
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import synoptic
from synoptic.config import Settings
from synoptic.ingest import read_inputs as read_paths
from synoptic.pipeline import digest_articles
from synoptic.records import Article, Digest, article_id

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FAST = Settings().fast()


def readme_api_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Python API") : text.index("## Settings, logging and progress")]


def plain_signature(obj: object) -> str:
    """``(inputs, settings=None, *, clean=True)``: names, defaults and markers, no annotations."""
    parts: list[str] = []
    star = False
    for p in inspect.signature(obj).parameters.values():  # type: ignore[arg-type]
        if p.kind is p.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        parts.append(p.name if p.default is p.empty else f"{p.name}={p.default!r}")
    return "(" + ", ".join(parts) + ")"


def test_public_names_are_the_documented_ones() -> None:
    section = readme_api_section()
    records = re.search(r"the\s+records (.*?) \(`tests/test_api.py`", section, re.S)
    assert records is not None
    documented = set(re.findall(r"synoptic\.(\w+)\(", section)) | set(
        re.findall(r"`(\w+)`", records.group(1))
    )
    documented |= {"SynopticError", "SCHEMA", "__version__"}
    assert set(synoptic.__all__) == documented
    for name in synoptic.__all__:
        assert getattr(synoptic, name) is not None
    assert set(synoptic.__all__) <= set(dir(synoptic))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        synoptic.nope  # noqa: B018


def test_signatures_are_the_documented_ones() -> None:
    lines = re.findall(r"^synoptic\.([\w.]+)(\(.*\))$", readme_api_section(), re.M)
    assert len(lines) >= 9
    for dotted, signature in lines:
        obj: object = synoptic
        for part in dotted.split("."):
            obj = getattr(obj, part)
        assert plain_signature(obj) == signature, dotted


def test_documented_functions_say_args_returns_raises() -> None:
    documented = (synoptic.digest, synoptic.read_inputs, synoptic.Settings.from_toml, synoptic.open_store)
    for fn in (*documented, synoptic.render_json, synoptic.render_markdown, synoptic.render_html):
        doc = inspect.getdoc(fn) or ""
        assert all(head in doc for head in ("Args:", "Returns:", "Raises:")), fn.__name__
    assert "Raises:" in (inspect.getdoc(Digest.to_dataframes) or "")


def test_import_synoptic_loads_no_stage() -> None:
    code = (
        "import sys, synoptic; "
        "print(sorted(m for m in ('synoptic.pipeline', 'synoptic.api', 'numpy', 'synoptic.cli') "
        "if m in sys.modules)); synoptic.digest; print('synoptic.pipeline' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["[]", "True"]


def test_readme_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the example reads examples/ relative to the repository root
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8
    assert result.failed == 0


@pytest.fixture(scope="module")
def raw_example(example_dir: Path) -> list[Article]:
    """The example as read, before cleaning."""
    return [a for a in read_paths([str(example_dir)], FAST.ingest) if isinstance(a, Article)]


def test_articles_given_by_hand_are_cleaned(raw_example: list[Article]) -> None:
    """An Article built with its title as the first line (as a scraper gives it): the title must
    not be glued into the first claim, as ``digest_articles`` (no cleaning) does."""
    hand = [
        Article(
            id=article_id(f"{a.title}\n{a.text}"), source=a.source, title=a.title, text=f"{a.title}\n{a.text}"
        )
        for a in raw_example
    ]
    titles = [a.title for a in raw_example if a.title]

    def glued(result: Digest) -> list[str]:
        return [c.text for d in result.dossiers for c in d.claims if any(t in c.text for t in titles)]

    assert glued(digest_articles(hand, FAST))  # the path that skips cleaning glues them
    result = synoptic.digest(hand, FAST)
    assert glued(result) == []
    assert all(not a.text.startswith(a.title or "\0") for a in result.articles)


def test_every_kind_of_input(example_dir: Path, tmp_path: Path) -> None:
    body = "The Tyne bridge reopened on Monday after two years of repairs, the council said."
    html = (
        "<html><head><title>Bridge reopens</title></head>"
        f"<body><article><p>{body}</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    inputs: list[object] = [
        str(path),
        path,
        html,  # a document: starts with <
        html.replace("Bridge", "Span").encode(),  # bytes: a document
        {"title": "Bridge", "text": body + " Traffic is back.", "outlet": "Example News"},
        Article(id=article_id("x"), source="mine", text=body + " Cars returned.", title="Bridge"),
        {"title": "no text"},  # a failure, not an exception
        str(tmp_path / "missing.txt"),  # a path that does not exist: a failure
    ]
    result = synoptic.digest(inputs, FAST)  # type: ignore[arg-type]
    sources = [a.source for a in result.articles]
    assert sources[0] == str(path)
    assert result.repeats == 2  # the same page as a Path and as a document is one article
    assert any(s.startswith("text#4") for s in sources)
    assert "record#5" in sources
    assert "mine" in sources
    assert {f.code for f in result.failures} == {"E009", "E001"}
    assert [f.source for f in result.failures] == ["record#7", str(tmp_path / "missing.txt")]
    with pytest.raises(TypeError, match="input 1 is a int"):
        synoptic.digest([42], FAST)  # type: ignore[list-item]


def test_read_inputs_cleans_unless_told(example_dir: Path) -> None:
    cleaned = list(synoptic.read_inputs(example_dir, FAST))
    raw = list(synoptic.read_inputs(str(example_dir), FAST, clean=False))
    assert len(cleaned) == len(raw) == 5
    assert all(isinstance(a, Article) for a in cleaned)
    assert sum(len(a.removed) for a in cleaned) > sum(len(a.removed) for a in raw)  # type: ignore[union-attr]


def test_open_store_and_renderers(tmp_path: Path) -> None:
    one = synoptic.digest({"title": "Bridge", "text": "The bridge reopened on Monday after repairs."}, FAST)
    assert synoptic.render_json(one).startswith("{")
    assert "<html" in synoptic.render_html(one)
    with synoptic.open_store(tmp_path / "s.db") as store:
        assert store.article_count() == 0
