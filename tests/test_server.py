"""HTTP API and web pages (FastAPI TestClient): shapes, errors, limits, tokens, escaping."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from fast_stages import patch
from store_material import HOSTILE, HOSTILE_TITLE, hostile_articles, install, rich_dossier
from synoptic.config import ServerSettings, Settings
from synoptic.pipeline import read_and_clean
from synoptic.records import Article, CopyLink, Event
from synoptic.render.json import digest_from_json
from synoptic.render.view import bare_quote
from synoptic.server import create_app
from synoptic.server.pages import source_name, span_label
from synoptic.server.timeline_chart import OUTLET_COLOURS, Publication, chart_spec, split_timeline
from synoptic.store import SQLiteStore, ingest_articles

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SETTINGS = Settings()


@pytest.fixture(scope="module")
def example_articles(example_dir: Path) -> list[Article]:
    articles, _ = read_and_clean([str(example_dir)], SETTINGS)
    return articles


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, example_articles: list[Article]) -> Path:
    """A store with the example as one rich story ("s-rich") and a hostile story ("s-bad")."""
    path = tmp_path_factory.mktemp("srv") / "s.db"
    store = SQLiteStore(path)
    bad = hostile_articles()
    with pytest.MonkeyPatch.context() as mp:
        patch(mp)
        ingest_articles(store, [*example_articles, *bad], SETTINGS)
    copies = [CopyLink(example_articles[0].id, example_articles[1].id, "reworded", "shared sentences: 4")]
    install(store, rich_dossier("s-rich", example_articles), copies)
    install(store, rich_dossier("s-bad", bad, hostile=True), copies)
    store.close()
    return path


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes through the API run the trivial stages: these tests are about HTTP, not NLP."""
    patch(monkeypatch)


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, SETTINGS, TOKEN)) as c:
        yield c


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[TestClient]:
    """A client on an empty store with small limits (writes go here)."""
    settings = Settings(server=ServerSettings(max_body_bytes=20_000, max_batch=3))
    with TestClient(create_app(tmp_path / "w.db", settings, TOKEN)) as c:
        yield c


def error_of(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) >= {"error"}
    err: dict[str, object] = body["error"]
    assert err["message"]
    return err


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/health").json()["articles"] == 8
    spec = client.get("/openapi.json").json()
    assert {
        "/stories",
        "/stories/{story_id}",
        "/articles",
        "/articles/{article_id}",
        "/search",
        "/health",
    } <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/articles"]["post"]["requestBody"]["content"]


def test_story_list_paging_and_filters(client: TestClient) -> None:
    page = client.get("/stories", params={"limit": 1}).json()
    assert page["total"] == 2
    assert page["next_offset"] == 1
    assert len(page["stories"]) == 1
    second = client.get("/stories", params={"limit": 1, "offset": 1}).json()
    assert second["next_offset"] is None
    assert {page["stories"][0]["id"], second["stories"][0]["id"]} == {"s-rich", "s-bad"}
    assert [s["id"] for s in client.get("/stories", params={"q": "Stoltenberg"}).json()["stories"]] == [
        "s-rich"
    ]
    assert client.get("/stories", params={"since": "2023-03-23"}).json()["total"] == 0
    assert (
        client.get("/stories", params={"until": "2023-03-20"}).json()["total"] == 2
    )  # both start on the 20th
    assert client.get("/stories", params={"since": "2023-03-22T12:00:00+00:00"}).json()["total"] == 2
    for bad in ({"since": "yesterday"}, {"limit": 0}, {"limit": 100_000}, {"offset": -1}):
        r = client.get("/stories", params=bad)
        assert r.status_code == 422
        assert error_of(r)["code"] == "invalid"


def test_story_json_is_the_dossier_contract(client: TestClient, example_articles: list[Article]) -> None:
    data = client.get("/stories/s-rich").json()
    assert data["schema"] == "synoptic/2"
    assert {a["id"] for a in data["articles"]} == {a.id for a in example_articles}
    story = data["stories"][0]
    for key in ("entities", "quotes", "timeline", "claims", "outlets", "summary"):
        assert story[key], key
    assert data["copies"][0]["kind"] == "reworded"
    digest = digest_from_json(data)  # round-trips through the public reader
    assert digest.dossiers[0] == rich_dossier("s-rich", example_articles)
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for s in story["summary"]:
        first = s["citations"][0]
        assert texts[first["article"]][first["span"][0] : first["span"][1]] == s["text"]


def test_merged_story_id_redirects(tmp_path: Path, example_articles: list[Article]) -> None:
    path = tmp_path / "m.db"
    store = SQLiteStore(path)
    ingest_articles(store, example_articles[:2], SETTINGS)
    old_ids = set(store.memberships())
    install(store, rich_dossier("s-both", example_articles[:2]))
    store.close()
    with TestClient(create_app(path, SETTINGS)) as c:
        for old in old_ids:
            r = c.get(f"/stories/{old}", follow_redirects=False)
            assert r.status_code == 308
            assert r.headers["location"] == "/stories/s-both"
            assert c.get(f"/story/{old}").url.path == "/story/s-both"


def test_unknown_ids(client: TestClient) -> None:
    for url in ("/stories/nope", "/articles/nope", "/stories/%27%3B%20DROP%20TABLE%20stories"):
        r = client.get(url)
        assert r.status_code == 404
        assert error_of(r)["code"] == "not_found"
    page = client.get("/story/nope")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "no story" in page.text
    assert client.get("/no/such/route").status_code == 404
    assert client.delete("/stories").status_code == 405


def test_article_and_search(client: TestClient, example_articles: list[Article]) -> None:
    a = example_articles[0]
    data = client.get(f"/articles/{a.id}").json()
    assert data["article"]["text"] == a.text
    assert data["story"] == "s-rich"
    hits = client.get("/search", params={"q": "lethal aid"}).json()["hits"]
    assert hits
    assert "lethal" in hits[0]["snippet"]
    assert client.get("/search", params={"q": 'NEAR( "unbalanced *'}).status_code == 200
    assert client.get("/search").status_code == 422


def test_writes_need_the_token(fresh: TestClient, tmp_path: Path) -> None:
    body = {"text": "A body long enough to be an article about nothing at all."}
    r = fresh.post("/articles", json=body)
    assert r.status_code == 401
    assert error_of(r)["code"] == "token_required"
    r = fresh.post("/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert error_of(r)["code"] == "bad_token"
    assert fresh.post("/articles", json=body, headers={"X-Synoptic-Token": TOKEN}).status_code == 200
    with TestClient(create_app(tmp_path / "ro.db", SETTINGS, None)) as readonly:
        r = readonly.post("/articles", json=body, headers=AUTH)
        assert r.status_code == 403
        assert "SYNOPTIC_TOKEN" in str(error_of(r)["message"])


def test_post_one_and_batch_idempotent(fresh: TestClient) -> None:
    one = {
        "text": "Alpha story body with enough words to count as an article.",
        "title": "Alpha",
        "outlet": "A",
    }
    r = fresh.post("/articles", json=one, headers=AUTH)
    assert r.status_code == 200
    first = r.json()
    assert len(first["added"]) == 1
    aid = first["added"][0]
    assert first["stories"][aid]
    batch = [
        one,
        {"text": "Beta body, another article with some words in it.", "title": "Beta"},
        {"title": "no text"},
    ]
    r = fresh.post("/articles", json=batch, headers=AUTH)
    assert r.status_code == 200
    body = r.json()
    assert body["existing"] == [aid]
    assert len(body["added"]) == 1
    assert body["failed"][0]["source"] == "api#3"
    assert fresh.get("/health").json()["articles"] == 2


def test_pages_count_in_the_singular_for_one(fresh: TestClient) -> None:
    one = {"text": "Alpha story body with enough words to count as an article.", "title": "Alpha"}
    story = fresh.post("/articles", json=one, headers=AUTH).json()["stories"]
    page = fresh.get("/").text
    assert "1 story" in page
    assert "1 article stored" in page
    assert "1 stories" not in page
    assert "1 articles" not in page
    (sid,) = set(story.values())
    assert "1 article from 1 outlet" in fresh.get(f"/story/{sid}").text


def test_post_bad_bodies(fresh: TestClient) -> None:
    cases = [
        (b"{not json", "application/json", 400, "bad_json"),
        (b"\xff\xfe\x00garbage", "application/json", 400, "bad_json"),
        (b'{"text": "x"}', "text/plain", 415, "unsupported"),
        (b'{"text": "x"}', "", 415, "unsupported"),
        (b'"just a string"', "application/json", 422, "no_articles"),
        (b'[{"text": 5}]', "application/json", 422, "no_articles"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x", 422, "no_file"),
        (b"--x\r\n", "multipart/form-data", 400, "bad_form"),
    ]
    for raw, ctype, status, code in cases:
        headers = dict(AUTH)
        if ctype:
            headers["Content-Type"] = ctype
        r = fresh.post("/articles", content=raw, headers=headers)
        assert r.status_code == status, (raw, r.text)
        assert error_of(r)["code"] == code
    r = fresh.post("/articles", json=[{"text": f"body {i}"} for i in range(4)], headers=AUTH)
    assert r.status_code == 413
    assert error_of(r)["code"] == "too_many"


def test_oversized_bodies_refused(fresh: TestClient) -> None:
    big = json.dumps({"text": "word " * 10_000}).encode()
    r = fresh.post("/articles", content=big, headers=AUTH | {"Content-Type": "application/json"})
    assert r.status_code == 413
    assert error_of(r)["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        yield b'{"text": "'
        for _ in range(50):
            yield b"x" * 1000
        yield b'"}'

    r = fresh.post("/articles", content=chunks(), headers=AUTH | {"Content-Type": "application/json"})
    assert r.status_code == 413
    assert fresh.get("/health").json()["articles"] == 0


def test_file_upload(fresh: TestClient) -> None:
    lines = "\n".join(
        json.dumps({"text": f"Uploaded article number {i} with a body of several words.", "title": f"U{i}"})
        for i in range(2)
    )
    r = fresh.post("/articles", files={"file": ("batch.jsonl", lines.encode())}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert len(r.json()["added"]) == 2
    r = fresh.post("/articles", files={"file": ("empty.txt", b"")}, headers=AUTH)
    assert r.status_code == 422
    assert "empty" in r.json()["failed"][0]["message"]
    r = fresh.post("/articles", data={"other": "field"}, files={"x": ("a.txt", b"t")}, headers=AUTH)
    assert r.status_code == 422
    assert error_of(r)["code"] == "no_file"


def test_script_title_is_shown_as_text_everywhere(client: TestClient) -> None:
    bad = hostile_articles()[0]
    pages = [
        client.get("/"),
        client.get("/", params={"q": "hostile body"}),
        client.get("/story/s-bad"),
        client.get(f"/article/{bad.id}", params={"s": 0, "e": 10}),
    ]
    for r in pages:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in r.headers["content-security-policy"]
        text = r.text
        assert "<script>alert" not in text
        assert "<img src=x" not in text
        assert 'href="javascript:' not in text
        assert str(escape(HOSTILE_TITLE)) in text
    story = pages[2].text
    assert str(escape(HOSTILE)) in story
    # the only scripts are the package's own files; the chart's data block is JSON, not code,
    # and holds no markup character (Jinja's tojson writes them as \u003c ...)
    scripts = re.findall(r"<script[^>]*>", story)
    assert all(re.fullmatch(r'<script src="/static/[\w./-]+\.js" defer>', s) for s in scripts[:-1]), scripts
    assert scripts[-1] == '<script type="application/json" id="timeline-spec">'
    block = story.split('id="timeline-spec">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&") & set(block)
    assert any(HOSTILE in text for text in strings(json.loads(block)))
    api = client.get("/stories/s-bad").json()
    assert api["stories"][0]["label"] == HOSTILE_TITLE  # JSON keeps the text as it is


def strings(value: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_story_page_sections(client: TestClient, example_articles: list[Article]) -> None:
    page = client.get("/story/s-rich").text
    dossier = rich_dossier("s-rich", example_articles)
    arts = {a.id: a for a in example_articles}
    # summary: each citation carries the cited sentence and a link to the span in the article
    for sentence in dossier.summary:
        for c in sentence.citations:
            cited = arts[c.article].text[c.span[0] : c.span[1]]
            assert str(escape(cited)) in page
            assert f'href="/article/{c.article}?s={c.span[0]}&amp;e={c.span[1]}#cite"' in page
    # timeline: every event listed as HTML (readable without JavaScript), numbered as in the chart
    assert len(re.findall(r'<li value="\d+"><time>', page)) == len(dossier.timeline) == 3
    assert '<span class="tag">planned</span>' in page
    spec = json.loads(page.split('id="timeline-spec">', 1)[1].split("</script>", 1)[0])
    drawn = [v["n"] for view in spec["vconcat"] if "layer" in view for v in view["data"]["values"]]
    assert sorted(drawn) == [1, 2, 3]
    lanes = [view["data"]["values"] for view in spec["vconcat"] if "layer" not in view]
    dated = [a for a in example_articles if a.published and a.published.value]
    assert len(lanes) == 1
    assert len(lanes[0]) >= len(dated)
    assert page.count('<div class="speaker">') == 2
    assert '<tr class="single-source">' in page
    assert '<tr class="conflict">' in page
    assert '<td class="cell conflict"' in page
    # a claim one outlet is cited for, with a related statement of another: behind "show all"
    # with the single-source ones, the other outlet's cell a pointer to its words, not a tick
    assert '<tr class="unconfirmed">' in page
    assert "Show all: 1 single-source claim, 1 unconfirmed claim" in page
    (pointer,) = next(c for c in dossier.claims if c.id == "k4").related
    related = page.split('<tr class="unconfirmed">', 1)[1].split("</tr>", 1)[0]
    assert '<td class="cell related"' in related
    assert f'href="/article/{pointer.article}?s={pointer.span[0]}&amp;e={pointer.span[1]}#cite"' in related
    assert "&#x2713;" in related  # the cited outlet's own cell
    assert "reworded" in page
    for outlet in {a.outlet_name for a in example_articles}:
        assert str(escape(outlet)) in page


def test_a_story_of_many_outlets_lists_claims_and_counts_its_copies(tmp_path: Path) -> None:
    """Past GRID_OUTLETS outlets a claim lists the outlets that report it (CITES_SHOWN by name,
    then a count) instead of a grid with a column per outlet; past COPIES_SHOWN copy links the
    page lists that many and counts them all by kind."""
    from store_material import cite_first
    from synoptic.records import Claim, Dossier, PublishedDate, Story
    from synoptic.server.pages import CITES_SHOWN, COPIES_SHOWN, GRID_OUTLETS

    n = GRID_OUTLETS + 3
    articles = [
        Article(
            id=f"m{k:02d}",
            source=f"mem://m{k:02d}",
            text=f"Officials in Riverton said the bridge number {k} reopened on Monday after repairs. "
            "Traffic returned to normal by the evening, the city council said in a statement.",
            title=f"Bridge {k} reopens",
            outlet=f"Outlet <{k:02d}>",
            language="en",
            published=PublishedDate(dt.datetime(2023, 3, 1 + k, tzinfo=dt.UTC)),
        )
        for k in range(n)
    ]
    store = SQLiteStore(tmp_path / "m.db")
    ingest_articles(store, articles, SETTINGS)
    cites = [cite_first(a)[0] for a in articles]
    claim = Claim("k1", "The bridge reopened", tuple(cites), tuple(a.outlet_name for a in articles), False)
    story = Story(id="s-many", articles=tuple(a.id for a in articles), label="Bridge reopens")
    copies = [
        CopyLink(articles[i].id, articles[j].id, "syndicated" if j % 2 else "reworded", "shared")
        for i in range(n)
        for j in range(i + 1, n)
    ]
    install(store, Dossier(story=story, claims=(claim,)), copies)
    store.close()
    with TestClient(create_app(tmp_path / "m.db", SETTINGS)) as client:
        page = client.get("/story/s-many").text
    assert 'class="outlet-col"' not in page
    assert page.count('<td class="reporters">') == 1
    assert page.count('<span class="reporter">') == CITES_SHOWN
    assert f"and {n - CITES_SHOWN} more outlets" in page
    assert "&lt;00&gt;" in page
    assert "<00>" not in page
    assert len(copies) > COPIES_SHOWN
    listed = page.split('<section id="copies">', 1)[1].split("</section>", 1)[0]
    assert listed.count("<li>") == COPIES_SHOWN
    kinds = {k: sum(c.kind == k for c in copies) for k in ("reworded", "syndicated")}
    assert f"{len(copies)} copy links" in listed
    assert all(f"{count} {kind}" in listed for kind, count in kinds.items())


def test_article_page_marks_span_and_lists_removals(
    client: TestClient, example_articles: list[Article]
) -> None:
    a = next(x for x in example_articles if x.removed)
    r = client.get(f"/article/{a.id}", params={"s": 0, "e": 20})
    assert f'<mark id="cite">{escape(a.text[:20])!s}' in r.text
    for removal in a.removed:
        assert str(escape(removal.reason)) in r.text
    # a span past the end is ignored, not an error
    assert client.get(f"/article/{a.id}", params={"s": 5, "e": 10**9}).status_code == 200
    assert client.get(f"/article/{a.id}", params={"s": -1}).status_code == 422
    assert client.get("/article/nope").status_code == 404


def test_post_regroup_later(fresh: TestClient) -> None:
    body = {"text": "An article stored now and grouped after the answer, with enough words."}
    r = fresh.post("/articles", json=body, headers=AUTH, params={"regroup": "later"})
    assert r.status_code == 200
    data = r.json()
    assert data["regroup"] == "scheduled"
    aid = data["added"][0]
    assert data["stories"][aid] is None  # not grouped when the answer was sent
    assert fresh.get(f"/articles/{aid}").json()["story"] is not None  # the background regroup ran
    assert fresh.post("/articles", json=body, headers=AUTH, params={"regroup": "soon"}).status_code == 422


def test_direct_quotes_are_quoted_once() -> None:
    assert bare_quote("“peace and friendship”") == "peace and friendship"
    assert bare_quote('"as soon as possible"') == "as soon as possible"
    # marks that do not enclose the whole quote stay
    assert bare_quote("“a” and “b”") == "“a” and “b”"
    assert bare_quote("no marks") == "no marks"


def test_dates_as_a_reader_reads_them() -> None:
    d = dt.date
    assert span_label(d(2023, 3, 21), d(2023, 3, 21)) == "21 Mar 2023"
    assert span_label(d(2023, 3, 17), d(2023, 3, 22)) == "17–22 Mar 2023"
    assert span_label(d(2023, 2, 28), d(2023, 3, 3)) == "28 Feb – 3 Mar 2023"
    assert span_label(d(2022, 12, 30), d(2023, 1, 2)) == "30 Dec 2022 – 2 Jan 2023"


def test_article_source_shown_without_the_servers_directories() -> None:
    assert source_name("/srv/data/examples/000_x.txt") == "000_x.txt"
    assert source_name("C:\\data\\feed.xml#3") == "feed.xml#3"
    assert source_name("upload:batch.jsonl#2") == "upload:batch.jsonl#2"


def event(day: dt.date, text: str, end: dt.date | None = None) -> Event:
    return Event(start=day, end=end or day, granularity="day", text=text, citations=())


def test_timeline_is_split_around_the_storys_window() -> None:
    d = dt.date
    pubs = [Publication("A", "t", d(2023, 3, 20), False), Publication("B", "t", d(2023, 3, 21), True)]
    events = [
        event(d(2019, 1, 1), "long ago", d(2019, 12, 31)),
        event(d(2023, 3, 17), "friday"),
        event(d(2023, 3, 13), "a week before"),
        event(d(2023, 6, 1), "planned"),
    ]
    split = split_timeline(events, pubs)
    assert split.window == (d(2023, 3, 13), d(2023, 3, 23))
    assert [n.event.text for n in split.earlier] == ["long ago"]
    assert [n.event.text for n in split.in_window] == ["a week before", "friday"]
    assert [n.event.text for n in split.later] == ["planned"]
    assert [n.number for n in (*split.earlier, *split.in_window, *split.later)] == [1, 2, 3, 4]
    spec = chart_spec(split, ["A", "B"])
    assert spec is not None
    views = spec["vconcat"]
    assert len(views) == 3  # the window, the publication lane, the background strip
    window_axis = views[0]["encoding"]["x"]
    assert window_axis["scale"]["domain"][0] == {"year": 2023, "month": 3, "date": 13}
    assert window_axis["axis"]["labelOverlap"]
    assert window_axis["axis"]["labelFlush"]
    lane = views[1]
    assert [v["inferred"] for v in lane["data"]["values"]] == [False, True]
    assert lane["encoding"]["fill"]["scale"]["range"] == list(OUTLET_COLOURS[:2])


def test_no_dates_no_chart() -> None:
    assert chart_spec(split_timeline([], []), []) is None


def test_chart_colours_match_the_style_sheet() -> None:
    css = (Path(__file__).parents[1] / "src/synoptic/server/static/style.css").read_text()
    found = re.findall(r"\.o(\d)\{--o:(#[0-9a-f]{6})\}", css)
    assert [c for _, c in sorted(found)] == list(OUTLET_COLOURS)


def test_api_docs_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "http://" not in page.text.replace("http://127.0.0.1", "")
    assert "https://" not in page.text
    for asset in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css", "vega/vega.min.js"):
        assert client.get(f"/static/vendor/{asset}").status_code == 200
