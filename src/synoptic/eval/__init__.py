"""Adapters that run the pipeline on the eval kit's protocols and write predictions (one module per task).

Shared here: reading a kit's JSONL file, and running the kit's own ``score.py`` (never copied into
the project) on a prediction file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synoptic.errors import InputError


def read_jsonl_items(data: Path, required: Sequence[str] = ("id",)) -> list[dict[str, Any]]:
    """The JSON objects of a kit's JSONL file, one per non-blank line, each with ``required`` keys.

    A missing file is E040; a line that is not such an object is E009 with its line number."""
    if not data.is_file():
        raise InputError("E040", f"{data} is not a JSONL file", subject=str(data))
    items: list[dict[str, Any]] = []
    with data.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError("E009", f"line {n}: {exc.msg}", subject=str(data)) from exc
            if not isinstance(row, dict) or any(key not in row for key in required):
                needs = " and ".join(f'"{k}"' for k in required)
                raise InputError("E009", f"line {n}: needs an object with {needs}", subject=str(data))
            items.append(row)
    return items


def reference_score(
    score_py: Path, task: str, gold: Path, pred: Path, *extra: str, timeout: float | None = None
) -> dict[str, Any]:
    """Run the kit's ``score.py TASK --gold GOLD --pred PRED`` and return its headline JSON (last line)."""
    out = subprocess.run(
        [sys.executable, str(score_py), task, "--gold", str(gold), "--pred", str(pred), *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result
