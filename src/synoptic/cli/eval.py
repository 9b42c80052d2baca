"""``synoptic eval TASK --data ... --out PRED.jsonl``: predictions in the protocols of the eval kit."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Write benchmark predictions (score them with the eval kit's score.py).", no_args_is_help=True
)
