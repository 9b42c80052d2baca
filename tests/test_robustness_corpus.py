"""The robustness corpus (real test files of feedparser, trafilatura and warcio, plus generated
hostile files): every file read in a separate process with the CLI's settings; no crash, no
hang, a coded reason for every skipped item, time and memory under the limits below."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from robust_material import CORPUS, SUITES, corpus_files, hostile_files
from synoptic.cli import main
from synoptic.errors import MESSAGES

HERE = Path(__file__).resolve().parent
SECONDS_PER_FILE = 15.0
"""Slowest file allowed (the slowest real file takes well under a second alone; CI shares cores)."""
SECONDS_IN_ALL = 240.0
PEAK_MB = 500.0
"""Peak memory of the reading process (Python, lxml, trafilatura, feedparser and warcio loaded;
about 100 MB measured, the largest hostile file is 60 MB once decompressed)."""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    hostile = hostile_files(tmp_path_factory.mktemp("hostile"))
    paths = [str(p) for p in corpus_files()] + [str(p) for p in hostile.values()]
    env = {"PYTHONPATH": str(HERE.parent / "src"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, str(HERE / "robust_material.py"), *paths],
        capture_output=True,
        text=True,
        timeout=SECONDS_IN_ALL,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    result["by_name"] = {Path(o["path"]).name: o for o in result["outcomes"]}
    return result


def test_corpus_is_there() -> None:
    for suite in SUITES:
        assert len(corpus_files(suite)) >= 10, suite
    assert (CORPUS / "README.md").is_file()


def test_no_crash_and_a_coded_reason_for_every_skip(outcomes: dict[str, Any]) -> None:
    for o in outcomes["outcomes"]:
        assert o["articles"] or o["failures"], f"{o['path']}: neither an article nor a reason"
        for code, message in o["failures"]:
            assert code in MESSAGES, message
            assert code != "E014", f"a parser crashed (E014 means a bug): {message}"
            assert f"[{code}]" in message
            assert "\n" not in message


def test_time_and_memory(outcomes: dict[str, Any]) -> None:
    slowest = max(outcomes["outcomes"], key=lambda o: o["seconds"])
    assert slowest["seconds"] < SECONDS_PER_FILE, slowest["path"]
    assert outcomes["peak_mb"] < PEAK_MB


def test_each_peer_suite_gives_articles(outcomes: dict[str, Any]) -> None:
    for suite in SUITES:
        read = [o for o in outcomes["outcomes"] if f"/robustness/{suite}/" in o["path"] and o["articles"]]
        assert len(read) >= 5, suite


def test_arc_is_read_as_arc(outcomes: dict[str, Any]) -> None:
    for name in ("example.arc", "example.arc.gz"):
        (text,) = outcomes["by_name"][name]["texts"]
        assert "illustrative examples" in text
        assert "HTTP/1.1" not in text
        assert "filedesc" not in text


def test_damaged_encodings_keep_the_article(outcomes: dict[str, Any]) -> None:
    by_name = outcomes["by_name"]
    (text,) = by_name["one-bad-byte.html"]["texts"]
    assert "cracks in two of its supports" in text
    assert by_name["bom-latin1.txt"]["titles"] == ["Café in Zürich"]
    (text,) = by_name["mixed-encodings.txt"]["texts"]
    assert "Genève “ok”" in text
    assert "Müller façade" in text
    assert by_name["utf32-no-bom.rss"]["titles"] == ["Brücke"]


def test_old_xml_feeds_read_safely(outcomes: dict[str, Any]) -> None:
    by_name = outcomes["by_name"]
    assert by_name["dtd-subset.rss"]["titles"] == ["Bridge in Springfield closes"]
    assert by_name["cdf.cdf"]["titles"] == ["Bridge"]
    for name in ("billion-laughs.rss", "xxe.rss"):
        o = by_name[name]
        assert o["seconds"] < 5
        assert all("lollol" not in t and "root:" not in t for t in o["titles"] + o["texts"])


def test_hostile_files_are_refused_with_their_reason(outcomes: dict[str, Any]) -> None:
    expected = {
        "empty.html": "E002",
        "whitespace.txt": "E002",
        "nul-ridden.txt": "E003",
        "controls.txt": "E003",
        "noise-high-bytes.txt": "E004",
        "gzip-bomb.txt.gz": "E006",
        "broken-warc.warc": "E010",
        "not-a-feed.xml": "E011",
    }
    for name, code in expected.items():
        codes = [c for c, _ in outcomes["by_name"][name]["failures"]]
        assert code in codes, (name, codes)


def test_digest_reports_identical_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc = main(["digest", str(CORPUS / "warcio"), "--fast", "-f", "json", "-o", str(tmp_path / "w.json")])
    assert rc == 3  # some files hold no page (each named on stderr)
    err = capsys.readouterr().err
    assert "identical to an earlier input (kept once)" in err
    assert "[E007]" in err


@pytest.mark.parametrize(
    ("out", "why"),
    [("missing-folder/x.json", "does not exist"), (".", "it is a folder")],
)
def test_bad_output_refused_before_any_work(
    out: str, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / out
    rc = main(["digest", str(CORPUS / "warcio" / "example.warc"), "-o", str(target)])
    assert rc == 2
    err = capsys.readouterr().err
    assert why in err
    assert "[E026]" in err
    assert "reading" not in err  # refused before reading


def test_output_write_failure_is_an_error_not_a_bug(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    done = subprocess.run(
        [sys.executable, "-m", "synoptic", "digest", str(CORPUS / "warcio" / "example.warc"), "--fast", "-q"],
        stdout=open("/dev/full", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(HERE.parent / "src"), "PATH": "/usr/bin:/bin"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 4, done.stderr
    assert "[E026]" in done.stderr
    assert "Traceback" not in done.stderr


def test_stories_since_not_a_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["stories", "--since", "notadate", "--db", str(tmp_path / "none.db")])
    assert rc == 2
    assert "--since must be an ISO date" in capsys.readouterr().err
