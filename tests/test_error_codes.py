"""Every error code the code uses is defined in errors.py, with a reason and a hint."""

from __future__ import annotations

import re
from pathlib import Path

from synoptic.errors import MESSAGES, InputError
from synoptic.records import IngestFailure

SRC = Path(__file__).resolve().parents[1] / "src" / "synoptic"
CODE = re.compile(r"""["'](E\d{3})["']""")


def test_every_code_used_is_defined() -> None:
    used: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(code, []).append(path.name)
    assert len(used) >= 10  # the scan finds the codes at all
    undefined = {code: files for code, files in used.items() if code not in MESSAGES}
    assert not undefined, f"codes used but not defined in errors.py: {undefined}"


def test_every_code_has_a_reason_and_a_hint() -> None:
    for code, (reason, hint) in MESSAGES.items():
        assert re.fullmatch(r"E\d{3}", code)
        assert reason
        assert hint
        err = InputError(code, "detail", install="pip install x")
        assert f"[{code}]" in str(err)


def test_a_failure_must_name_its_code() -> None:
    try:
        IngestFailure("x", "reason", "hint")  # type: ignore[call-arg]
    except TypeError:
        return
    raise AssertionError("IngestFailure without a code must not be possible (it used to be E000)")
