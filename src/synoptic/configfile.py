"""Settings from a TOML file (``--config FILE`` or ``$SYNOPTIC_CONFIG``), and back to TOML.

One table per section of :class:`~synoptic.config.Settings`, one key per field, named as in
:mod:`synoptic.config`; keys left out keep their defaults::

    [dedup]
    near_duplicate_jaccard = 0.85

    [summary]
    budget_words = 150

An unknown section or key is refused with the closest known name; every value is checked by
:meth:`Settings.validate <synoptic.config.Settings.validate>` against its field's declared
range, and the message names the file, the key and what is allowed. ``synoptic config``
prints every setting with its value, allowed values and the first line of its note
(:func:`settings_to_toml`), a file this module reads back unchanged.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import inspect
import json
import os
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from synoptic import config
from synoptic.config import Range, Settings
from synoptic.errors import UsageError

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


def read_config(path: str | Path) -> Settings:
    """The settings written in the TOML file at ``path`` (defaults for what it leaves out).

    Raises:
        UsageError: ``E021`` naming the file and, for a bad value, the key and its allowed range."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError("E021", f"{path}: no such file") from None
    except OSError as err:
        raise UsageError("E021", f"{path}: {err.strerror or err}") from None
    except tomllib.TOMLDecodeError as err:
        raise UsageError("E021", f"{path}: not valid TOML ({err})") from None
    return settings_from_mapping(data, where=str(path))


def settings_from_mapping(
    data: Mapping[str, Any], base: Settings | None = None, *, where: str = "settings"
) -> Settings:
    """``base`` (default: the defaults) with the sections and keys of ``data`` (a parsed TOML
    document: ``{"dedup": {"near_duplicate_jaccard": 0.85}}``) replaced, validated.

    Raises:
        UsageError: ``E021`` naming ``where`` and the unknown or bad key."""
    settings = base or Settings()
    sections: dict[str, object] = {}
    known_sections = [f.name for f in dataclasses.fields(settings)]
    for name, values in data.items():
        if name not in known_sections:
            hint = _did_you_mean(name, known_sections)
            raise UsageError("E021", f"{where}: unknown section [{name}]{hint}")
        if not isinstance(values, dict):
            raise UsageError("E021", f"{where}: {name} must be a table ([{name}] followed by its keys)")
        section = getattr(settings, name)
        hints = typing.get_type_hints(type(section), include_extras=True)
        changes: dict[str, object] = {}
        for key, value in values.items():
            if key not in hints:
                raise UsageError(
                    "E021", f"{where}: unknown key {name}.{key}{_did_you_mean(key, list(hints), name)}"
                )
            changes[key] = _from_toml(value, hints[key])
        sections[name] = dataclasses.replace(section, **changes)
    try:
        return dataclasses.replace(settings, **sections).validate()  # type: ignore[arg-type]
    except UsageError as err:
        raise UsageError("E021", f"{where}: {err.detail}") from None


def _did_you_mean(name: str, known: list[str], section: str | None = None) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if not close:
        return ""
    return f" (did you mean {section + '.' if section else ''}{close[0]}?)"


def _from_toml(value: object, hint: Any) -> object:
    """TOML arrays as the tuples the settings hold; whole numbers as floats where a float is due."""
    if typing.get_origin(hint) is Annotated:
        hint = typing.get_args(hint)[0]
    if isinstance(value, list):
        args = typing.get_args(hint)
        if typing.get_origin(hint) is tuple and args:
            item_hints = [args[0]] * len(value) if args[-1] is ... else list(args)
            if len(item_hints) == len(value):
                return tuple(_from_toml(v, h) for v, h in zip(value, item_hints, strict=True))
        return tuple(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


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
