"""``synoptic ingest / stories / show / search`` on the example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fast_stages import patch
from synoptic.cli import main
from synoptic.errors import ExitCode


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("cli") / "c.db"
    with pytest.MonkeyPatch.context() as mp:
        patch(mp)
        assert main(["ingest", str(example_dir), "--db", str(path), "-q"]) == 0
    return path


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' mechanics with trivial stages (the real ones: test_store, test_browser)."""
    patch(monkeypatch)


def test_ingest_twice_reports_existing(
    db: Path, example_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["ingest", str(example_dir), "--db", str(db), "-v"]) == ExitCode.OK
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("exists\t") for line in lines)
    assert "0 articles added, 5 already stored" in captured.err
    assert "stories unchanged" in captured.err


def test_ingest_reports_counts_in_the_singular_for_one(
    tmp_path: Path, example_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one"
    one.mkdir()
    first = sorted(example_dir.glob("*.txt"))[0]
    (one / first.name).write_bytes(first.read_bytes())
    capsys.readouterr()
    assert main(["ingest", str(one), "--db", str(tmp_path / "one.db")]) == ExitCode.OK
    err = capsys.readouterr().err
    assert "1 article added, 0 already stored, 0 inputs skipped; 1 story (1 new, 0 changed, 0 merged)" in err


def test_stories_show_search(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["stories", "--db", str(db), "-f", "json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert sum(s["articles"] for s in listing["stories"]) == 5
    story = listing["stories"][0]["id"]
    assert main(["show", story, "--db", str(db), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "synoptic/2"
    assert data["stories"][0]["id"] == story
    assert main(["show", story, "--db", str(db), "-f", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")
    assert main(["show", story, "--db", str(db)]) == 0
    assert "## Story:" in capsys.readouterr().out
    assert main(["stories", "--db", str(db)]) == 0
    assert f"`{story}`" in capsys.readouterr().out
    assert main(["search", "Stoltenberg", "--db", str(db), "-f", "json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits
    assert all(h["story"] for h in hits)
    assert main(["search", "Stoltenberg", "--db", str(db)]) == 0
    assert "**Stoltenberg**" in capsys.readouterr().out


def test_errors_are_one_line(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["show", "no-such-story", "--db", str(db)]) == ExitCode.NOTHING
    err = capsys.readouterr().err
    assert "E031" in err
    assert "Traceback" not in err
    assert main(["stories", "--db", str(tmp_path / "missing.db")]) == ExitCode.NOTHING
    assert "synoptic ingest PATH --db FILE" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
    assert (
        main(["ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "n.db"), "-q"]) == ExitCode.NOTHING
    )


def test_default_db_from_environment(
    tmp_path: Path, example_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SYNOPTIC_DB", str(tmp_path / "env.db"))
    first = sorted(example_dir.iterdir())[0]
    assert main(["ingest", str(first), "-q", "--regroup-embedder", "hashing"]) == 0
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("SYNOPTIC_DB")
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", str(first), "-q", "--regroup-embedder", "hashing"]) == 0
    assert (tmp_path / "synoptic.db").exists()
