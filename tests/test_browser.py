"""The web pages in a real browser: headless Debian Chromium driven by Playwright.

The example is ingested with ``synoptic ingest`` and served with ``synoptic serve`` (in a
subprocess, as a user runs it). While the summary stage is not merged the example's stored
dossier has no summary; the test then installs a hand-built dossier (real spans of the example)
so that citations can be clicked. Screenshots go to ``test-output/browser/`` (gitignored).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store_material import HOSTILE_TITLE, install, rich_dossier
from synoptic.cli import main
from synoptic.store import SQLiteStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(os.environ.get("SYNOPTIC_TEST_OUTPUT", ROOT / "test-output")) / "browser"
TOKEN = "browser-token"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent: install Debian's chromium (`make browser` or apt-get install chromium)",
        allow_module_level=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "b.db"
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    assert main(["ingest", str(example_dir), "--db", str(db), "-q"]) == 0
    store = SQLiteStore(db)
    if not any((d := store.get_dossier(sid)) is not None and d.summary for sid in store.memberships()):
        articles = list(store.iter_articles())
        install(store, rich_dossier("s-example", articles))
    store.close()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "synoptic", "serve", "--db", str(db), "--port", str(port), "--token", TOKEN],
        env=env,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get_json(base + "/health")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(
                    f"server did not start: {proc.stderr.read() if proc.stderr else ''}"
                ) from None
            time.sleep(0.2)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield base
    proc.terminate()
    try:  # a regroup started by a POST may still be running; it need not finish
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not dialogs, f"a script ran: {dialogs}"
    assert not errors, f"JavaScript errors: {errors}"


def story_with_summary(base: str) -> dict[str, Any]:
    for row in get_json(base + "/stories?limit=50")["stories"]:
        data = get_json(f"{base}/stories/{row['id']}")
        if data["stories"][0]["summary"]:
            return dict(data)
    raise AssertionError("no stored story has a summary")


def test_story_list(server: str, page: Any) -> None:
    page.goto(server + "/")
    links = page.locator("a.story-link")
    assert links.count() >= 1
    assert "article" in page.locator(".story-row .meta").first.inner_text()
    page.screenshot(path=str(SHOTS / "stories.png"), full_page=True)
    links.first.click()
    page.wait_for_load_state()
    assert page.url.startswith(server + "/story/")


def test_story_page_citation_shows_source_sentence_and_links_to_article(server: str, page: Any) -> None:
    data = story_with_summary(server)
    story = data["stories"][0]
    texts = {a["id"]: a["text"] for a in data["articles"]}
    first = story["summary"][0]["citations"][0]
    expected = texts[first["article"]][first["span"][0] : first["span"][1]]

    page.goto(f"{server}/story/{story['id']}")
    assert page.locator("h1").inner_text() == story["label"]
    assert page.locator("#summary ol.summary > li").count() == len(story["summary"])
    assert page.locator("svg.chart").is_visible()
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True)

    cite = page.locator("#summary details.cite").first
    popup = cite.locator(".cite-text")
    assert not popup.is_visible()
    cite.locator("summary").click()
    assert popup.is_visible()
    assert popup.inner_text() == expected
    page.screenshot(path=str(SHOTS / "story-citation.png"), full_page=False)

    # opening a second citation closes the first (app.js)
    if page.locator("#summary details.cite").count() > 1:
        second = page.locator("#summary details.cite").nth(1)
        second.locator("summary").click()
        assert not popup.is_visible()
        second.locator("summary").click()
        cite.locator("summary").click()
    assert popup.is_visible()
    cite.locator("a.cite-link").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{server}/article/{first['article']}")
    mark = page.locator("mark#cite")
    assert mark.is_visible()
    assert mark.inner_text() == expected
    page.screenshot(path=str(SHOTS / "article-cited.png"), full_page=False)


def test_story_page_readable_on_a_phone(server: str, browser: Any) -> None:
    data = story_with_summary(server)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{server}/story/{data['stories'][0]['id']}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the phone"
    assert page.locator(".chart-wrap").bounding_box()["width"] <= 390  # the chart scrolls inside it
    page.screenshot(path=str(SHOTS / "story-phone.png"), full_page=True)
    context.close()


def test_posted_script_title_is_shown_as_text(server: str, page: Any) -> None:
    body = json.dumps(
        {
            "text": "A posted article whose title is a script tag, with a body of words.",
            "title": HOSTILE_TITLE,
        }
    )
    request = urllib.request.Request(
        server + "/articles?regroup=later",  # escaping is under test, not regrouping
        data=body.encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as r:
        added = json.loads(r.read())["added"]
    assert len(added) == 1
    page.goto(f"{server}/article/{added[0]}")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    page.goto(server + "/?q=script+tag")
    assert page.locator(".hits a").first.inner_text() == HOSTILE_TITLE
    page.screenshot(path=str(SHOTS / "hostile-title.png"), full_page=True)
    # the page fixture asserts that no dialog opened and no script error happened


def test_article_page_shows_removed_lines(server: str, page: Any) -> None:
    for row in get_json(server + "/stories?limit=50")["stories"]:
        for art in get_json(f"{server}/stories/{row['id']}")["articles"]:
            if art["removed"]:
                page.goto(f"{server}/article/{art['id']}")
                reasons = page.locator("#removed .reason").all_inner_texts()
                assert reasons == [r["reason"] for r in art["removed"]]
                page.screenshot(path=str(SHOTS / "article-removed.png"), full_page=True)
                return
    pytest.fail("no stored article had removed lines")
