"""Reliability of the store across processes: an ingest killed with SIGKILL, and a server reading
while another process ingests."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from synoptic.config import Settings
from synoptic.server import create_app
from synoptic.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "minister talks border trade summit energy prices court ruling storm coast election vote "
    "parliament budget strike union rail port harvest drought market shares bank rates"
).split()


def write_jsonl(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(12))
            text = (
                f"Report {i}: the {words}.\n\nOfficials said on Monday that item {i} was under review, "
                f"and a decision on the {WORDS[i % len(WORDS)]} is expected next week."
            )
            fh.write(
                json.dumps(
                    {"text": text, "title": f"Report {i} on {WORDS[i % len(WORDS)]}", "outlet": f"o{i % 7}"}
                )
            )
            fh.write("\n")


def ingest_cmd(src: Path, db: Path) -> list[str]:
    """``synoptic ingest`` with trivial grouping and dossier stages (tests/fast_stages.py): these
    tests are about the store across processes, not the NLP stages."""
    return [
        sys.executable,
        str(ROOT / "tests" / "fast_stages.py"),
        "ingest",
        str(src),
        "--db",
        str(db),
        "-v",
        "-q",
    ]


def env() -> dict[str, str]:
    return os.environ | {"PYTHONPATH": str(ROOT / "src")}


@pytest.mark.slow
def test_kill_9_during_ingest_keeps_every_reported_article_once(tmp_path: Path) -> None:
    src, db = tmp_path / "in.jsonl", tmp_path / "k.db"
    total = 300
    write_jsonl(src, total)
    proc = subprocess.Popen(ingest_cmd(src, db), stdout=subprocess.PIPE, text=True, env=env())
    assert proc.stdout is not None
    reported: list[str] = []
    for line in proc.stdout:
        status, aid, _ = line.rstrip("\n").split("\t")
        assert status == "added"
        reported.append(aid)
        if len(reported) == 40:
            os.kill(proc.pid, signal.SIGKILL)
            break
    reported += [line.split("\t")[1] for line in proc.stdout.read().splitlines() if line.count("\t") == 2]
    assert proc.wait() == -signal.SIGKILL
    assert len(reported) < total, "the ingest finished before it could be killed"

    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count, distinct = raw.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone()
    fts = raw.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
    raw.close()
    assert count == distinct == fts
    store = SQLiteStore(db)
    stored = {a.id for a in store.iter_articles()}
    assert set(reported) <= stored
    store.close()

    # restart: the rest is added, nothing twice, every article in exactly one story
    rerun = subprocess.run(ingest_cmd(src, db), capture_output=True, text=True, env=env(), timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    statuses = [line.split("\t")[0] for line in rerun.stdout.splitlines()]
    assert statuses.count("exists") == count
    assert statuses.count("added") == total - count
    store = SQLiteStore(db)
    assert store.article_count() == total
    assert store.unassigned_count() == 0
    assert sum(len(m) for m in store.memberships().values()) == total
    store.close()


@pytest.mark.slow
def test_server_reads_while_another_process_ingests(tmp_path: Path) -> None:
    src, db = tmp_path / "in.jsonl", tmp_path / "c.db"
    write_jsonl(src, 100)
    SQLiteStore(db).close()
    proc = subprocess.Popen(ingest_cmd(src, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env())
    statuses: list[int] = []
    seen_counts: list[int] = []
    with TestClient(create_app(db, Settings())) as client:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            running = proc.poll() is None
            page = client.get("/stories", params={"limit": 5})
            statuses.append(page.status_code)
            for story in page.json()["stories"][:2]:
                statuses.append(client.get(f"/stories/{story['id']}").status_code)
                statuses.append(client.get(f"/story/{story['id']}").status_code)
            statuses.append(client.get("/", params={"q": "minister"}).status_code)
            health = client.get("/health")
            statuses.append(health.status_code)
            seen_counts.append(health.json()["articles"])
            if not running:
                break
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    assert set(statuses) == {200}
    assert len(statuses) > 20
    assert seen_counts == sorted(seen_counts)  # readers see the store grow, never shrink
    assert seen_counts[-1] == 100
    assert len(set(seen_counts)) > 2, "reads did not overlap the ingest"
