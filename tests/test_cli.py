from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from synoptic.cli import main
from synoptic.errors import ExitCode


def test_digest_example_json(example_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", str(example_dir), "-f", "json", "-q"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "synoptic/2"
    assert len(data["articles"]) == 5


def test_missing_path_is_one_line_and_exit_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", str(tmp_path / "nope.txt"), "-q"]) == ExitCode.NOTHING
    err = capsys.readouterr().err
    assert "nope.txt: path does not exist" in err
    assert "Traceback" not in err


def test_usage_error_exit_code() -> None:
    proc = subprocess.run([sys.executable, "-m", "synoptic", "--bogus"], capture_output=True, text=True)
    assert proc.returncode == ExitCode.USAGE
    assert "No such option" in proc.stderr
