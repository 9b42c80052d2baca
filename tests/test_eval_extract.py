"""Quality gate: `synoptic eval extract` on the Scrapinghub benchmark, scored by the eval kit's score.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synoptic.cli import main
from synoptic.eval import reference_score

F1_FLOOR = 0.968
"""Measured 0.976 (see docs/benchmarks/extract.md); trafilatura alone scores 0.964 here."""


@pytest.mark.eval
def test_extract_f1_floor(eval_dir: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    assert main(["eval", "extract", "--data", str(eval_dir / "extract"), "--out", str(pred), "-q"]) == 0
    lines = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines()]
    gold = json.loads((eval_dir / "extract" / "ground-truth.json").read_text(encoding="utf-8"))
    assert {line["id"] for line in lines} == set(gold)
    result = reference_score(
        eval_dir / "score.py",
        "extract",
        eval_dir / "extract" / "ground-truth.json",
        pred,
        "--bootstrap",
        "0",
        timeout=300,
    )
    assert result["missing"] == 0
    assert result["f1"] >= F1_FLOOR, result


def test_extract_on_fixture_pages(tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    data = Path(__file__).resolve().parent / "fixtures" / "html"
    assert main(["eval", "extract", "--data", str(data), "--out", str(pred), "-q"]) == 0
    lines = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines()]
    expected = sorted(p.name.removesuffix(".html.gz") for p in data.iterdir())
    assert sorted(line["id"] for line in lines) == expected
    assert all(len(line["text"]) > 1000 for line in lines)


def test_extract_missing_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["eval", "extract", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "p.jsonl")]
    assert main(args) != 0
    err = capsys.readouterr().err
    assert "E040" in err
    assert "Traceback" not in err
