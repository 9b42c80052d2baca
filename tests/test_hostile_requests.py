"""One request cannot hold the server: nesting, record-count and expansion bombs, long articles
and slow uploads are refused early with a JSON error; SIGTERM stops the server within seconds."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fast_stages import patch
from synoptic.config import ServerSettings, Settings
from synoptic.server import create_app
from synoptic.server.app import json_depth

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BODY = "The council voted on Tuesday to close the old bridge after engineers found cracks. " * 3


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    patch(monkeypatch)


def client_with(tmp_path: Path, **limits: object) -> TestClient:
    settings = Settings(server=ServerSettings(**limits))  # type: ignore[arg-type]
    return TestClient(create_app(tmp_path / "h.db", settings, TOKEN))


def test_deep_json_is_a_json_400_not_a_500(tmp_path: Path) -> None:
    with client_with(tmp_path) as c:
        deep = b"[" * 100_000 + b"]" * 100_000
        r = c.post("/articles", content=deep, headers=AUTH | {"Content-Type": "application/json"})
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "bad_json"
        assert "nested" in r.json()["error"]["message"]
        # strings with brackets do not count as nesting
        r = c.post("/articles", json={"text": BODY + "[[[[" * 100, "title": "Bridge"}, headers=AUTH)
        assert r.status_code == 200, r.text
    assert json_depth(b'{"a": [1, {"b": "]]]"}]}') == 3


def test_per_item_failures_carry_a_defined_code(tmp_path: Path) -> None:
    with client_with(tmp_path) as c:
        r = c.post("/articles", json=[{"text": BODY}, {"text": 5}], headers=AUTH)
        assert r.status_code == 200
        (failed,) = r.json()["failed"]
        assert failed["code"] == "E009"
        assert "E000" not in r.text


def test_gzip_record_count_bomb_refused_early(tmp_path: Path) -> None:
    line = json.dumps({"text": BODY}).encode() + b"\n"
    bomb = gzip.compress(line * 200_000)  # 50 MB of records in about 100 KB
    with client_with(tmp_path, max_batch=50) as c:
        start = time.monotonic()
        r = c.post("/articles", files={"file": ("bomb.jsonl.gz", bomb)}, headers=AUTH)
        took = time.monotonic() - start
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "too_many"
        assert took < 20, took
        assert c.get("/health").json()["articles"] == 0


def test_gzip_expansion_bomb_stops_at_the_upload_limit(tmp_path: Path) -> None:
    record = json.dumps({"text": BODY}).encode()
    bomb = gzip.compress(record + b"\n" * 50_000_000)  # one record, then 50 MB of empty lines
    with client_with(tmp_path, max_upload_bytes=1_000_000) as c:
        start = time.monotonic()
        r = c.post("/articles", files={"file": ("blank.jsonl.gz", bomb)}, headers=AUTH)
        assert time.monotonic() - start < 10
        assert r.status_code == 200, r.text
        assert len(r.json()["added"]) == 1  # what was read before the limit is kept
        (failed,) = r.json()["failed"]
        assert failed["code"] == "E006"
        assert "decompressed" in failed["reason"]


def test_article_longer_than_the_server_limit_is_a_per_item_failure(tmp_path: Path) -> None:
    with client_with(tmp_path, max_article_chars=2_000) as c:
        r = c.post("/articles", json=[{"text": BODY}, {"text": BODY * 20}], headers=AUTH)
        assert r.status_code == 200, r.text
        assert len(r.json()["added"]) == 1
        (failed,) = r.json()["failed"]
        assert failed["code"] == "E006"
        assert "synoptic ingest" in failed["message"]


def test_upload_stops_reading_at_the_time_limit(tmp_path: Path) -> None:
    with client_with(tmp_path, max_request_seconds=0.0) as c:
        r = c.post(
            "/articles",
            files=[("file", ("a.txt", f"Title\n{BODY}".encode())), ("file", ("b.txt", b"T\nbody"))],
            headers=AUTH,
        )
        assert r.status_code == 422
        assert {f["code"] for f in r.json()["failed"]} == {"E015"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_sigterm_stops_the_server_while_a_request_computes(tmp_path: Path) -> None:
    """A POST that runs the real stages (models load: many seconds) is in flight; SIGTERM must
    end the process within the grace period plus a margin, not when the work is done."""
    port = _free_port()
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "synoptic", "serve", "--db", str(tmp_path / "t.db"), "--port", str(port)]
    proc = subprocess.Popen([*cmd, "--token", TOKEN], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None, "server did not start"
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        article = json.dumps([{"text": BODY * 40, "title": f"Bridge {i}"} for i in range(20)]).encode()
        request = urllib.request.Request(
            base + "/articles", data=article, headers=AUTH | {"Content-Type": "application/json"}
        )

        def post() -> None:
            with contextlib.suppress(OSError):  # the server went away: expected
                urllib.request.urlopen(request, timeout=120).read()

        threading.Thread(target=post, daemon=True).start()
        time.sleep(2.0)
        assert proc.poll() is None, "the request finished before SIGTERM: make it slower"
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=ServerSettings().shutdown_seconds + 15)
        assert time.monotonic() - start < ServerSettings().shutdown_seconds + 15
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
