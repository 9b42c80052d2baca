"""Settings: every field's allowed values declared and checked in one place; the TOML config file
(``--config``, ``$SYNOPTIC_CONFIG``) with messages that name the key and its range."""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from pathlib import Path
from typing import Annotated

import pytest

from synoptic.cli import main
from synoptic.config import RETIRED_KEYS, DedupSettings, NlpSettings, QuoteSettings, Range, Settings
from synoptic.configfile import describe, read_config, settings_from_mapping, settings_to_toml
from synoptic.errors import ExitCode, UsageError


def every_field() -> list[tuple[str, str, object]]:
    settings = Settings()
    out = []
    for section in dataclasses.fields(settings):
        cls = type(getattr(settings, section.name))
        hints = typing.get_type_hints(cls, include_extras=True)
        out += [(section.name, f.name, hints[f.name]) for f in dataclasses.fields(cls)]
    return out


def test_every_number_declares_its_range() -> None:
    fields = every_field()
    assert len(fields) > 90
    for section, name, hint in fields:
        base = typing.get_args(hint)[0] if typing.get_origin(hint) is Annotated else hint
        if base in (int, float):
            marks = typing.get_args(hint)[1:]
            assert any(isinstance(m, Range) for m in marks), f"{section}.{name} has no declared Range"
        assert describe(hint)  # every type is one check_value and describe know


@pytest.mark.parametrize(
    ("section", "change", "message"),
    [
        (
            "dedup",
            DedupSettings(near_duplicate_jaccard=1.5),
            "dedup.near_duplicate_jaccard must be a number between 0 and 1, got 1.5",
        ),
        ("dedup", DedupSettings(num_perm=0), "dedup.num_perm must be a whole number at least 1, got 0"),
        ("nlp", NlpSettings(embedder="bert"), "nlp.embedder must be one of 'minilm', 'hashing'"),  # type: ignore[arg-type]
        (
            "nlp",
            NlpSettings(precision="half"),  # type: ignore[arg-type]
            "nlp.precision must be one of 'auto', 'float32', 'bfloat16'",
        ),
        ("quotes", QuoteSettings(link_similarity=0.0), "greater than 0 and at most 1, got 0.0"),
        ("quotes", QuoteSettings(max_pronoun_paragraphs=True), "must be a whole number, got True"),
    ],
)
def test_validate_names_the_key_and_the_range(section: str, change: object, message: str) -> None:
    with pytest.raises(UsageError, match="E020") as err:
        Settings().with_section(**{section: change})
    assert message in str(err.value)


def test_defaults_round_trip_through_toml(tmp_path: Path) -> None:
    text = settings_to_toml()
    tomllib.loads(text)
    path = tmp_path / "all.toml"
    path.write_text(text, encoding="utf-8")
    assert read_config(path) == Settings()
    changed = (
        Settings()
        .fast()
        .with_section(
            dedup=dataclasses.replace(DedupSettings(), near_duplicate_jaccard=0.85),
            scale=dataclasses.replace(Settings().scale, dask="local", warm=("spacy",)),
        )
    )
    path.write_text(settings_to_toml(changed), encoding="utf-8")
    assert read_config(path) == changed


def test_partial_file_keeps_defaults_and_converts_types(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[summary]\nbudget_words = 150\nmmr_lambda = 1\nweights = [["lead", 2]]\n', encoding="utf-8"
    )
    settings = Settings.from_toml(path)
    assert settings.summary.budget_words == 150
    assert settings.summary.mmr_lambda == 1.0
    assert isinstance(settings.summary.mmr_lambda, float)
    assert settings.summary.weights == (("lead", 2.0),)
    assert settings.dedup == Settings().dedup


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[dedup]\nnear_duplicate_jaccard = 1.5\n",
            "dedup.near_duplicate_jaccard must be a number between 0 and 1",
        ),
        ("[dedupe]\nx = 1\n", "unknown section [dedupe] (did you mean dedup?)"),
        (
            "[dedup]\nnear_dup_jaccard = 0.8\n",
            "unknown key dedup.near_dup_jaccard (did you mean dedup.near_duplicate_jaccard?)",
        ),
        ('[ingest]\nmax_bytes = "lots"\n', "ingest.max_bytes must be a whole number, got 'lots'"),
        ("dedup = 3\n", "dedup must be a table"),
        ("[dedup\n", "not valid TOML"),
        ("[server]\npage_size = 500\n", "server.page_size must be at most server.max_page_size (200)"),
    ],
)
def test_bad_file_names_file_key_and_range(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="E021") as err:
        read_config(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_mapping_without_a_file() -> None:
    settings = settings_from_mapping({"time": {"recency_days": 2}})
    assert settings.time.recency_days == 2


def test_cli_config_option_and_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[dedup]\nnear_duplicate_jaccard = 1.5\n", encoding="utf-8")
    assert main(["digest", str(tmp_path), "--config", str(bad)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "bad.toml: dedup.near_duplicate_jaccard must be a number between 0 and 1, got 1.5" in err
    assert err.count("\n") == 1  # one line, no traceback
    monkeypatch.setenv("SYNOPTIC_CONFIG", str(bad))
    assert main(["stories", "--db", str(tmp_path / "none.db")]) == ExitCode.USAGE
    assert "E021" in capsys.readouterr().err
    good = tmp_path / "good.toml"
    good.write_text("[summary]\nbudget_words = 99\n", encoding="utf-8")
    monkeypatch.setenv("SYNOPTIC_CONFIG", str(good))
    assert main(["config"]) == ExitCode.OK
    printed = tomllib.loads(capsys.readouterr().out)
    assert printed["summary"]["budget_words"] == 99
    assert main(["config", "--config", str(bad)]) == ExitCode.USAGE


def test_retired_key_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file written for an older version that still names a retired key loads: the key is
    ignored with a warning naming it and saying why; an unknown key is still refused."""
    path = tmp_path / "old.toml"
    path.write_text("[scale]\nlsh_bands = 16\nworkers = 3\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="synoptic.config"):
        settings = read_config(path)
    assert settings.scale.workers == 3
    assert not hasattr(settings.scale, "lsh_bands")
    assert set(RETIRED_KEYS) >= {f"scale.{k}" for k in ("exact_limit", "candidate_cosine", "lsh_rows")}
    [record] = caplog.records
    assert f"{path}: scale.lsh_bands is retired and ignored" in record.getMessage()
    assert "cluster_partition_size" in record.getMessage()  # what to use instead
    assert main(["config", "--config", str(path)]) == ExitCode.OK  # the CLI shows it on stderr
    assert "scale.lsh_bands is retired and ignored" in capsys.readouterr().err
    path.write_text("[scale]\nlsh_band = 16\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"unknown key scale\.lsh_band"):
        read_config(path)


def test_per_stage_embedder_keys_are_retired(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The embedder is chosen once ([nlp]); an older file's per-stage choices and hashing-only
    thresholds load with a warning that says where the setting lives now."""
    path = tmp_path / "old.toml"
    path.write_text(
        '[dedup]\nembedder = "hashing"\n[crosscheck]\nhashing_link_threshold = 0.3\n'
        '[nlp]\nembedder = "hashing"\n',
        encoding="utf-8",
    )
    with caplog.at_level("WARNING", logger="synoptic.config"):
        settings = read_config(path)
    assert settings.nlp.embedder == "hashing"
    assert settings.crosscheck.tuned("hashing").claim_link == 0.3  # the built-in value for hashing
    messages = [r.getMessage() for r in caplog.records]
    assert any("dedup.embedder is retired" in m and "[nlp] embedder" in m for m in messages)
    assert any(
        "crosscheck.hashing_link_threshold is retired" in m and "link_threshold" in m for m in messages
    )


def test_unset_thresholds_name_their_tuned_values() -> None:
    """`synoptic config` shows an unset threshold with the values it takes: the notes must say
    what EMBEDDER_TUNING holds."""
    from synoptic.config import EMBEDDER_TUNING
    from synoptic.configfile import _field_notes

    notes = _field_notes()
    for field, attr in (
        ("link_threshold", "claim_link"),
        ("attach_threshold", "claim_attach"),
        ("support_candidates", "support_candidates"),
        ("related_cosine", "related_cosine"),
    ):
        for name, tuning in EMBEDDER_TUNING.items():
            assert f"{getattr(tuning, attr):g} with {name}" in notes[("CrosscheckSettings", field)]
