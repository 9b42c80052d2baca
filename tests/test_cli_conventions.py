"""CLI conventions: --version, logging levels, progress only on a terminal, examples in every
command's help, tabular output (-f csv|jsonl|parquet), the serve access log."""

from __future__ import annotations

import csv
import json
import os
import pty
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from synoptic import __version__
from synoptic.cli import app, main
from synoptic.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == ExitCode.OK
    assert capsys.readouterr().out == f"synoptic {__version__}\n"
    proc = subprocess.run(
        [sys.executable, "-m", "synoptic", "--version"], capture_output=True, text=True, env=ENV
    )
    assert (proc.returncode, proc.stdout) == (0, f"synoptic {__version__}\n")


def test_every_command_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    commands = [c.name for c in app.registered_commands]
    assert {"digest", "config", "ingest", "stories", "show", "search", "serve"} <= set(commands)
    for name in commands:
        assert main([str(name), "--help"]) == ExitCode.OK
        out = capsys.readouterr().out
        assert "Examples:" in out, name
        assert f"synoptic {name}" in out.split("Examples:")[1] or name == "config", name
    for task in ("extract", "timex", "quotes", "cluster", "mds"):
        assert main(["eval", task, "--help"]) == ExitCode.OK
        assert f"synoptic eval {task} --data" in capsys.readouterr().out


def test_help_does_not_load_the_pipeline() -> None:
    code = (
        "import sys; from synoptic.cli import main; main(['--help']); "
        "print('synoptic.pipeline' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True)
    assert proc.stdout.strip().endswith("False")


def test_verbose_logs_phases_and_a_pipe_gets_no_progress(
    example_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.json"
    assert main(["-v", "digest", str(example_dir), "--fast", "-f", "json", "-o", str(out)]) == ExitCode.OK
    err = capsys.readouterr().err
    assert "synoptic: INFO: read 5 articles, 0 inputs skipped" in err
    assert "1 dossiers in" in err
    assert "ETA" not in err  # stderr is not a terminal here: no bar
    assert "\x1b[" not in err
    assert main(["--log-level", "warning", "digest", str(example_dir), "--fast", "-q", "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_embedder_option_keeps_entities_and_quotes(example_dir: Path, tmp_path: Path) -> None:
    """--embedder hashing swaps the embedder only: unlike --fast, the spaCy stage still runs."""
    out, fast_out = tmp_path / "h.json", tmp_path / "f.json"
    common = ["digest", str(example_dir), "-q", "-f", "json", "-o"]
    assert main([*common, str(out), "--embedder", "hashing"]) == 0
    assert main([*common, str(fast_out), "--fast"]) == 0
    story = json.loads(out.read_text(encoding="utf-8"))["stories"][0]
    fast = json.loads(fast_out.read_text(encoding="utf-8"))["stories"][0]
    for key in ("quotes", "entities", "claims", "summary"):
        assert story[key], key
    assert not fast["quotes"]
    assert not fast["entities"]


@pytest.mark.slow
def test_a_terminal_gets_a_bar_per_phase_with_eta(example_dir: Path, tmp_path: Path) -> None:
    """stderr on a pseudo-terminal (as under `script`): each phase is drawn with its total and ETA."""
    master, slave = pty.openpty()
    cmd = [sys.executable, "-m", "synoptic", "digest", str(example_dir), "--fast", "-f", "json"]
    proc = subprocess.Popen(
        [*cmd, "-o", str(tmp_path / "x.json")], stderr=slave, stdout=subprocess.DEVNULL, env=ENV
    )
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:  # the bar redraws often: keep the terminal's buffer from filling
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    assert proc.wait(timeout=600) == 0
    reader.join(timeout=10)
    os.close(master)
    text = b"".join(chunks).decode("utf-8", "replace")
    for phase in ("reading", "copies", "stories", "dossiers"):
        assert phase in text
    assert "ETA" in text
    assert "1/1" in text  # the dossier phase's total
    assert "5/5" in text  # every phase is complete at the end
    # with -q, even a terminal gets nothing
    master, slave = pty.openpty()
    quiet = subprocess.run([*cmd, "-q", "-o", str(tmp_path / "y.json")], stderr=slave, env=ENV, timeout=600)
    os.close(slave)
    os.set_blocking(master, False)
    try:
        leftover = os.read(master, 65536)
    except OSError:
        leftover = b""
    os.close(master)
    assert quiet.returncode == 0
    assert b"ETA" not in leftover


@pytest.fixture(scope="module")
def table_dir(example_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables") / "csv"
    assert main(["digest", str(example_dir), "-f", "csv", "-o", str(out), "-q"]) == ExitCode.OK
    return out


def test_csv_tables(table_dir: Path) -> None:
    names = sorted(p.name for p in table_dir.iterdir())
    assert names == ["articles.csv", "claims.csv", "quotes.csv", "stories.csv", "timeline.csv"]
    with (table_dir / "claims.csv").open(encoding="utf-8") as fh:
        claims = list(csv.DictReader(fh))
    assert len(claims) > 5
    assert {"story", "claim", "text", "outlets", "single_source", "confidence"} <= set(claims[0])
    with (table_dir / "quotes.csv").open(encoding="utf-8") as fh:
        quotes = list(csv.DictReader(fh))
    with (table_dir / "articles.csv").open(encoding="utf-8") as fh:
        articles = {row["article"]: row for row in csv.DictReader(fh)}
    assert len(articles) == 5
    # every quote's span is a real span of its article's text, and its outlet is the article's
    assert quotes
    assert all(q["outlet"] == articles[q["article"]]["outlet"] for q in quotes)
    with (table_dir / "timeline.csv").open(encoding="utf-8") as fh:
        timeline = list(csv.DictReader(fh))
    assert all(row["start"] <= row["end"] for row in timeline)


def test_jsonl_and_parquet_and_dataframes(example_dir: Path, tmp_path: Path) -> None:
    import synoptic
    from synoptic.render.tables import COLUMNS, iter_jsonl, write_parquet

    result = synoptic.digest(example_dir, synoptic.Settings().fast())
    rows = [json.loads(line) for line in iter_jsonl(result)]
    assert {r["table"] for r in rows} == {"stories", "articles", "claims", "timeline"}  # --fast: no quotes
    for row in rows:
        assert list(row)[1:] == [c for c, _ in COLUMNS[row["table"]]]
    pq = pytest.importorskip("pyarrow.parquet")
    write_parquet(result, tmp_path / "pq")
    claims = pq.read_table(tmp_path / "pq" / "claims.parquet")
    assert claims.num_rows == sum(r["table"] == "claims" for r in rows)
    assert str(claims.schema.field("outlets").type.value_type) == "string"
    assert pq.read_table(tmp_path / "pq" / "quotes.parquet").num_rows == 0  # empty, still typed
    pytest.importorskip("pandas")
    frames = result.to_dataframes()
    assert sorted(frames) == sorted(COLUMNS)
    assert len(frames["claims"]) == claims.num_rows
    assert list(frames["timeline"].columns) == [c for c, _ in COLUMNS["timeline"]]


def test_table_formats_need_a_folder(example_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", str(example_dir), "-f", "csv"]) == ExitCode.USAGE
    assert "-f csv writes one file per table (give the folder" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_logs_each_request_on_stderr(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "synoptic", "serve", "--db", str(tmp_path / "s.db"), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stories.atom", timeout=5) as r:
            assert r.headers["content-type"].startswith("application/atom+xml")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert '"GET /health HTTP/1.1" 200' in err
    assert '"GET /stories.atom HTTP/1.1" 200' in err
    assert out == ""  # logs never go to stdout


def test_output_written_in_pieces_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    # a streamed digest writes for as long as the run takes: a run that fails midway must
    # leave the earlier file as it was, and no partial file behind
    from synoptic.cli.options import write_output

    out = tmp_path / "digest.json"
    out.write_text("earlier run\n")

    def pieces() -> Iterator[str]:
        yield '{"stories": ['
        raise RuntimeError("a dossier failed")

    with pytest.raises(RuntimeError):
        write_output(pieces(), out)
    assert out.read_text() == "earlier run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.json"]
    write_output(iter(["{", "}\n"]), out)
    assert out.read_text() == "{}\n"
