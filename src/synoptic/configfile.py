"""The TOML config file as the CLI uses it: where it is (``--config FILE`` or
``$SYNOPTIC_CONFIG``) and every setting written out as TOML (``synoptic config``).

The file has one table per section of :class:`~synoptic.config.Settings`, one key per field,
named as in :mod:`synoptic.config`; keys left out keep their defaults::

    [dedup]
    near_duplicate_jaccard = 0.85

    [summary]
    budget_words = 150

Reading it is :meth:`Settings.from_toml <synoptic.config.Settings.from_toml>` (in
:mod:`synoptic.config`, so that module needs nothing from this one): an unknown section or
key is refused with the closest known name, a retired key (:data:`~synoptic.config.RETIRED_KEYS`)
is ignored with a warning saying why, and every value is checked against its field's declared
range, with a message naming the file, the key and what is allowed.
:func:`settings_to_toml` writes a file that reads back unchanged.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import os
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from synoptic import config
from synoptic.config import Range, Settings, read_config, settings_from_mapping

__all__ = [
    "CONFIG_ENV",
    "config_path",
    "describe",
    "load_settings",
    "read_config",
    "settings_from_mapping",
    "settings_to_toml",
]

CONFIG_ENV = "SYNOPTIC_CONFIG"
"""Environment variable naming the config file used when ``--config`` is not given."""


def config_path(given: Path | None) -> Path | None:
    """``given``, else ``$SYNOPTIC_CONFIG`` when set, else None (defaults only)."""
    if given is not None:
        return given
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else None


def load_settings(given: Path | None = None) -> Settings:
    """The settings of ``given`` or ``$SYNOPTIC_CONFIG``; the defaults when neither is set.

    Raises:
        UsageError: ``E021`` when the file is missing, is not TOML, or holds an unknown key or
            a value outside its allowed range."""
    path = config_path(given)
    return Settings().validate() if path is None else read_config(path)


def settings_to_toml(settings: Settings | None = None) -> str:
    """Every setting as a TOML document that :func:`read_config` reads back to ``settings``:
    one table per section, each key with its allowed values and the first line of its note."""
    settings = settings or Settings()
    notes = _field_notes()
    out = [
        "# Synoptic settings: every key with its value. Pass a file with --config FILE or",
        f"# ${CONFIG_ENV}; keys left out keep their defaults.",
    ]
    for section_field in dataclasses.fields(settings):
        section = getattr(settings, section_field.name)
        hints = typing.get_type_hints(type(section), include_extras=True)
        out += ["", f"[{section_field.name}]"]
        for f in dataclasses.fields(section):
            note = notes.get((type(section).__name__, f.name))
            allowed = describe(hints[f.name])
            out.append(f"# {allowed}" + (f". {note}" if note else ""))
            value = getattr(section, f.name)
            if value is None:
                out.append(f"# {f.name} = (unset)")
            else:
                out.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(out) + "\n"


def describe(hint: Any) -> str:
    """The values a field of type ``hint`` allows, in words ("a whole number, at least 1")."""
    origin = typing.get_origin(hint)
    if origin is Annotated:
        base, *marks = typing.get_args(hint)
        ranges = [m.describe() for m in marks if isinstance(m, Range)]
        return ", ".join([describe(base), *ranges])
    if origin is Literal:
        return "one of " + ", ".join(json.dumps(c) for c in typing.get_args(hint))
    if origin is typing.Union or (origin is not None and origin.__name__ == "UnionType"):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return " or ".join(describe(a) for a in options) + " (or unset)"
    if origin is tuple:
        args = typing.get_args(hint)
        if args[-1] is ...:
            return f"a list, each item {describe(args[0])}"
        return "a list [" + ", ".join(describe(a) for a in args) + "]"
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
    return names.get(hint, str(hint))


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _field_notes() -> dict[tuple[str, str], str]:
    """(class, field) -> first line of the docstring written under the field in config.py."""
    tree = ast.parse(inspect.getsource(config))
    notes: dict[tuple[str, str], str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt, nxt in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(nxt, ast.Expr)
                and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)
            ):
                paragraph = " ".join(nxt.value.value.split())
                notes[(node.name, stmt.target.id)] = paragraph.split(". ")[0].rstrip(".")
    return notes
