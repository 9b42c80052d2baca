"""The Atom feed of stories and the JSON twins of pages (``/story/X.json``, ``Link`` headers)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fast_stages import patch
from store_material import HOSTILE_TITLE, hostile_articles, install, rich_dossier
from synoptic.config import Settings
from synoptic.pipeline import read_and_clean
from synoptic.server import create_app
from synoptic.server.feeds import ATOM, json_alternate
from synoptic.store import SQLiteStore, ingest_articles

SETTINGS = Settings()
NS = {"a": ATOM}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> Iterator[TestClient]:
    """A store with the example as one rich story ("s-rich") and a hostile one ("s-bad")."""
    path = tmp_path_factory.mktemp("feeds") / "s.db"
    articles, _ = read_and_clean([str(example_dir)], SETTINGS)
    bad = hostile_articles()
    store = SQLiteStore(path)
    with pytest.MonkeyPatch.context() as mp:
        patch(mp)
        ingest_articles(store, [*articles, *bad], SETTINGS)
    install(store, rich_dossier("s-rich", articles))
    install(store, rich_dossier("s-bad", bad, hostile=True))
    store.close()
    with TestClient(create_app(path, SETTINGS)) as c:
        yield c


def test_atom_feed_is_valid_and_escapes_labels(client: TestClient) -> None:
    response = client.get("/stories.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # well-formed XML, or this raises
    assert feed.tag == f"{{{ATOM}}}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"a:{required}", NS) is not None
    entries = feed.findall("a:entry", NS)
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert "http://testserver/story/s-rich" in ids
    assert "http://testserver/story/s-bad" in ids
    titles = [e.findtext("a:title", namespaces=NS) for e in entries]
    assert HOSTILE_TITLE in titles  # the hostile label comes back as text, not markup
    assert b"<script" not in response.content
    rich = entries[ids.index("http://testserver/story/s-rich")]
    links = {(ln.get("type"), ln.get("href")) for ln in rich.findall("a:link", NS)}
    assert ("application/json", "http://testserver/stories/s-rich") in links
    assert ("text/html", "http://testserver/story/s-rich") in links
    summary = rich.findtext("a:summary", namespaces=NS) or ""
    assert summary.startswith("5 articles from ")
    assert len(client.get("/stories.atom?limit=1").content) < len(response.content)


def test_json_twins_of_pages(client: TestClient) -> None:
    assert client.get("/story/s-rich.json").json() == client.get("/stories/s-rich").json()
    article = client.get("/stories/s-rich").json()["articles"][0]["id"]
    assert client.get(f"/article/{article}.json").json() == client.get(f"/articles/{article}").json()
    missing = client.get("/story/nope.json")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"  # JSON, not the HTML error page


def test_pages_name_their_json_twin(client: TestClient) -> None:
    page = client.get("/story/s-rich")
    assert '</story/s-rich.json>; rel="alternate"; type="application/json"' in page.headers["link"]
    index = client.get("/")
    assert "</stories.atom>" in index.headers["link"]
    assert "</stories>" in index.headers["link"]
    assert "link" not in client.get("/stories").headers


@pytest.mark.parametrize(
    ("path", "twin"),
    [("/", "/stories"), ("/story/ab", "/story/ab.json"), ("/article/x", "/article/x.json"), ("/docs", None)],
)
def test_json_alternate(path: str, twin: str | None) -> None:
    assert json_alternate(path) == twin
