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
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser") / "b.db"


@pytest.fixture(scope="module")
def server(db_path: Path, example_dir: Path) -> Iterator[str]:
    db = db_path
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


SCREEN = 800
"""The screen height the story page's length is counted in (a 1280 x 800 laptop)."""


def watch(pg: Any, base: str) -> dict[str, list[str]]:
    """Record what a page does that it should not: dialogs (a script ran), script errors,
    console errors (a CSP violation among them) and requests to any host but the server."""
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "console": [], "foreign": []}
    pg.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: seen["errors"].append(str(e)))
    pg.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    pg.on(
        "request",
        lambda r: None if r.url.startswith((base + "/", "data:")) else seen["foreign"].append(r.url),
    )
    return seen


def check_clean(seen: dict[str, list[str]]) -> None:
    assert not seen["dialogs"], f"a script ran: {seen['dialogs']}"
    assert not seen["errors"], f"JavaScript errors: {seen['errors']}"
    assert not seen["console"], f"console errors: {seen['console']}"
    assert not seen["foreign"], f"requests to other hosts: {seen['foreign']}"


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": SCREEN})
    pg = context.new_page()
    seen = watch(pg, server)
    yield pg
    context.close()
    check_clean(seen)


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    pg = context.new_page()
    seen = watch(pg, server)
    yield pg
    context.close()
    check_clean(seen)


def no_overflow(pg: Any) -> None:
    overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the screen"


def open_story(pg: Any, base: str, story: str) -> None:
    pg.goto(f"{base}/story/{story}")
    pg.wait_for_selector("#timeline-chart[data-drawn]", timeout=30_000)


TICKS_JS = """() => {
  const box = document.getElementById('timeline-chart').getBoundingClientRect();
  const shown = Array.from(document.querySelectorAll('#timeline-chart .role-axis-label text'))
    .filter(t => t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0' && t.textContent);
  const labels = shown.map(t => { const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  return {box: {left: box.left, right: box.right}, labels: labels};
}"""


def check_ticks(pg: Any) -> int:
    """Every tick label the chart shows lies inside the chart and overlaps no other label."""
    found = pg.evaluate(TICKS_JS)
    labels, box = found["labels"], found["box"]
    assert labels, "the chart shows no tick label"
    for lab in labels:
        assert box["left"] - 0.5 <= lab["left"], f"label cut on the left: {lab}"
        assert lab["right"] <= box["right"] + 0.5, f"label cut on the right: {lab}"
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = a["right"] <= b["left"] + 0.5 or b["right"] <= a["left"] + 0.5
            assert apart or a["bottom"] <= b["top"] + 0.5 or b["bottom"] <= a["top"] + 0.5, (
                f"{a} overlaps {b}"
            )
    return len(labels)


def story_with_summary(base: str) -> dict[str, Any]:
    for row in get_json(base + "/stories?limit=50")["stories"]:
        data = get_json(f"{base}/stories/{row['id']}")
        if data["stories"][0]["summary"]:
            return dict(data)
    raise AssertionError("no stored story has a summary")


def test_story_list(server: str, page: Any, phone: Any) -> None:
    page.goto(server + "/")
    links = page.locator("a.story-link")
    assert links.count() >= 1
    assert "article" in page.locator(".story-row .meta").first.inner_text()
    page.screenshot(path=str(SHOTS / "stories-1280.png"), full_page=True)
    phone.goto(server + "/")
    no_overflow(phone)
    phone.screenshot(path=str(SHOTS / "stories-390.png"), full_page=True)
    links.first.click()
    page.wait_for_load_state()
    assert page.url.startswith(server + "/story/")


def test_story_page_reads_as_outlets_and_fits_six_screens(server: str, page: Any, db_path: Path) -> None:
    data = story_with_summary(server)
    story = data["stories"][0]
    open_story(page, server, story["id"])
    page.screenshot(path=str(SHOTS / "story-1280.png"), full_page=True)
    page.screenshot(path=str(SHOTS / "story-1280-fold.png"))
    assert page.locator("h1").inner_text() == story["label"]
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6 * SCREEN, f"story page is {height}px tall ({height / SCREEN:.1f} screens)"
    no_overflow(page)
    # the outlets by the names the articles carry (Article.outlet_name), in the coverage bar,
    # the headlines and the publication lane of the chart
    store = SQLiteStore(db_path)
    names = {a.outlet_name for a in store.get_articles(story["articles"])}
    store.close()
    assert set(page.locator(".coverage .legend li").all_inner_texts()) >= names
    headline_outlets = page.locator("#headlines .headline .outlet").all_inner_texts()
    assert {n.casefold() for n in headline_outlets} == {n.casefold() for n in names}
    assert page.locator("#headlines .headline a").count() == len(names)
    # above the fold: the label, the dates, the coverage bar and the summary's first sentence
    for selector in ("h1", ".story-head .dates", ".coverage .bar", "#summary li"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None, selector
        assert box["y"] + box["height"] <= SCREEN, f"{selector} is below the fold"
    # the summary names outlets, not article ids
    cited = set(page.locator("#summary details.cite > summary").all_inner_texts())
    assert cited
    assert cited <= names
    # no date is "unknown" on the example: the store keeps the dates digest infers
    assert "unknown" not in page.locator("#headlines").inner_text()
    assert "inferred" in page.locator("#headlines").inner_text()
    # the claim grid shows corroborated and conflicting claims; single-source ones on demand
    assert page.locator("#claims > table tr.single-source").count() == 0
    hidden = page.locator("#claims details.all-claims tr.single-source").first
    assert not hidden.is_visible()
    page.locator("#claims details.all-claims > summary").click()
    assert hidden.is_visible()
    assert check_ticks(page) >= 3


def test_story_page_citation_shows_source_sentence_and_links_to_article(server: str, page: Any) -> None:
    data = story_with_summary(server)
    story = data["stories"][0]
    texts = {a["id"]: a["text"] for a in data["articles"]}
    first = story["summary"][0]["citations"][0]
    expected = texts[first["article"]][first["span"][0] : first["span"][1]]

    open_story(page, server, story["id"])
    assert page.locator("#summary ol.summary > li").count() == len(story["summary"])
    cite = page.locator("#summary details.cite").first
    popup = cite.locator(".cite-text")
    assert not popup.is_visible()
    assert cite.locator("summary").get_attribute("title").endswith(expected)  # on hover
    cite.locator("summary").click()
    assert popup.is_visible()
    assert popup.inner_text() == expected
    page.screenshot(path=str(SHOTS / "story-citation.png"), full_page=False)

    # opening a second citation closes the first (app.js)
    if page.locator("#summary details.cite").count() > 1:
        second = page.locator("#summary details.cite").nth(1)
        second.locator("summary").click()
        popup.wait_for(state="hidden", timeout=5_000)  # closed by the second one's toggle event
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


def test_story_page_on_a_phone(server: str, phone: Any) -> None:
    data = story_with_summary(server)
    open_story(phone, server, data["stories"][0]["id"])
    phone.screenshot(path=str(SHOTS / "story-390.png"), full_page=True)
    no_overflow(phone)
    assert phone.locator("#timeline-chart svg").bounding_box()["width"] <= 390
    assert check_ticks(phone) >= 3


def test_story_page_reads_without_javascript(server: str, browser: Any) -> None:
    data = story_with_summary(server)
    story = data["stories"][0]
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"{server}/story/{story['id']}")
    assert not pg.locator("#timeline-chart").is_visible()  # the chart needs JavaScript ...
    events = pg.locator("#timeline ol.timeline > li")  # ... the list does not
    assert events.count() == len([e for e in story["timeline"] if e["confidence"] >= 0.5])
    pg.locator("#timeline details.more > summary").first.click()  # <details> opens without JS
    assert events.last.is_visible()
    cite = pg.locator("#summary details.cite").first
    cite.locator("summary").click()
    assert cite.locator(".cite-text").is_visible()
    no_overflow(pg)
    pg.screenshot(path=str(SHOTS / "story-390-nojs.png"), full_page=True)
    context.close()


def test_article_page(server: str, page: Any, phone: Any, example_dir: Path) -> None:
    data = story_with_summary(server)
    article = data["articles"][0]
    for pg, width in ((page, 1280), (phone, 390)):
        pg.goto(f"{server}/article/{article['id']}")
        assert pg.locator("h1").inner_text() == article["title"]
        text = pg.locator("article").inner_text()
        assert str(example_dir) not in text
        assert "/" not in article["source"].rsplit("/", 1)[-1]
        assert article["source"].rsplit("/", 1)[-1] in text  # the file name, not the server's path
        assert "unknown" not in pg.locator(".meta").first.inner_text()
        no_overflow(pg)
        pg.screenshot(path=str(SHOTS / f"article-{width}.png"), full_page=True)


def test_api_docs_work_offline(server: str, page: Any) -> None:
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "Synoptic" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 5
    page.screenshot(path=str(SHOTS / "docs.png"))


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
