"""Outlet identity: each evidence source, the domain table, the user's CSV, the notes, the manifest."""

from __future__ import annotations

import dataclasses
import json
import socket
from pathlib import Path

import pytest

from synoptic.cli import main
from synoptic.config import IngestSettings, OutletSettings, Settings
from synoptic.errors import ExitCode, UsageError
from synoptic.ingest import read_inputs
from synoptic.ingest.manifest import parse_manifest
from synoptic.outlets import identify_outlet, outlet_notes
from synoptic.outlets.domains import as_domain, lookup, parse_user_table, registered_domain, shipped_table
from synoptic.pipeline import prepare_article
from synoptic.records import Article, IngestFailure, Outlet, Removal, article_id, from_json, to_json
from synoptic.render.json import digest_from_json

DEFAULT = OutletSettings()
BODY = "Chinese leader Xi Jinping heads to Moscow next week to meet President Vladimir Putin."


def art(
    *,
    outlet: Outlet | None = None,
    url: str | None = None,
    credits: tuple[str, ...] = (),
    removed: tuple[Removal, ...] = (),
    text: str = BODY,
    source: str = "in/a.txt",
) -> Article:
    return Article(
        id=article_id(text + source),
        source=source,
        text=text,
        outlet=outlet,
        url=url,
        credits=credits,
        removed=removed,
    )


def decided(article: Article, settings: OutletSettings = DEFAULT) -> Outlet:
    outlet = identify_outlet(article, settings).outlet
    assert outlet is not None
    return outlet


# --------------------------------------------------------------------------- the domain table


def test_shipped_table_is_a_few_hundred_real_domains() -> None:
    table = shipped_table()
    assert len(table) >= 300
    for domain, name in table.items():
        assert as_domain(domain) == domain, domain
        assert name.strip() == name
        assert name
    assert table["livemint.com"] == "Mint"
    assert table["thenationalnews.com"] == "The National"


def test_lookup_from_the_host_down_to_the_registered_domain() -> None:
    assert lookup("edition.cnn.com") == ("CNN", "cnn.com")
    assert lookup("news.bbc.co.uk") == ("BBC News", "bbc.co.uk")
    assert lookup("profootballtalk.nbcsports.com") == ("ProFootballTalk", "profootballtalk.nbcsports.com")
    assert lookup("www.nbcsports.com".removeprefix("www.")) == ("NBC Sports", "nbcsports.com")
    assert lookup("example-news.com") is None
    assert lookup("cnn.com.evil.example") is None  # a suffix of the host, never a prefix


def test_registered_domain_uses_the_bundled_suffix_list_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert registered_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("www.livemint.com") == "livemint.com"
    assert registered_domain("203.0.113.9") == "203.0.113.9"


# --------------------------------------------------------------------------- the user's CSV


def test_user_csv_extends_and_overrides() -> None:
    rows = parse_user_table(
        "domain,name,notes\nhttps://www.cnn.com/,Cable News Network,\nsmall.example,Small Times,x\n"
    )
    assert rows == (("cnn.com", "Cable News Network"), ("small.example", "Small Times"))
    settings = OutletSettings(domains=rows)
    assert decided(art(url="https://edition.cnn.com/x"), settings).name == "Cable News Network"
    assert decided(art(url="https://small.example/a"), settings) == Outlet(
        "Small Times", domain="small.example", origin="table"
    )
    # the user's word wins over the page's own site name, not over a name given with the input
    page = art(url="https://small.example/a", outlet=Outlet("SMALL TIMES ONLINE", origin="metadata"))
    assert decided(page, settings).name == "Small Times"
    given = art(url="https://small.example/a", outlet=Outlet("Small Times Weekend", origin="input"))
    assert decided(given, settings).name == "Small Times Weekend"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("site,title\ncnn.com,CNN\n", "header"),
        ("domain,name\nnot a domain,X\n", "line 2"),
        ("domain,name\ncnn.com,\n", "no name"),
    ],
)
def test_bad_user_csv_is_one_clear_error(text: str, problem: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_user_table(text, "mine.csv")
    assert err.value.code == "E027"
    assert problem in str(err.value)
    assert "domain,name" in str(err.value)  # the hint says what a good file looks like


def test_outlets_option_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("site\nx\n", encoding="utf-8")
    assert main(["digest", str(tmp_path), "--outlets", str(bad), "-q"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "E027" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- each evidence source


def test_name_given_with_the_input_comes_first() -> None:
    given = art(outlet=Outlet("Mint", origin="input"), url="https://www.cnn.com/x", credits=("CNN",))
    assert decided(given) == Outlet("Mint", domain="cnn.com", origin="input", wire=("CNN",))


def test_a_domain_given_as_the_name_is_named_by_the_table() -> None:
    assert decided(art(outlet=Outlet("cnn.com", origin="input"))) == Outlet(
        "CNN", domain="cnn.com", origin="table"
    )
    assert decided(art(outlet=Outlet("https://www.example-news.com/", origin="input"))) == Outlet(
        "example-news.com", domain="example-news.com", origin="url"
    )


@pytest.mark.parametrize(
    ("site_name", "url", "expected"),
    [
        ("The Irish Times", "https://www.irishtimes.com/x", ("The Irish Times", "table")),
        ("NYTimes", "https://www.nytimes.com/x", ("The New York Times", "table")),  # the table first
        ("Dealbreaker", "https://dealbreaker.com/x", ("Dealbreaker", "metadata")),
        ("POLYGRAPH.info", "https://www.polygraph.info/a", ("POLYGRAPH.info", "metadata")),
        ("https://www.hawaiinewsnow.com", "https://www.hawaiinewsnow.com/a", ("hawaiinewsnow.com", "url")),
        ("Copyright 2014", "https://www.jaraguadosul.sc.gov.br/a", ("jaraguadosul.sc.gov.br", "url")),
        ("World news | The Guardian", "https://guardian.example/world/x", ("The Guardian", "metadata")),
        ("BBC News - World", "https://feeds.bbci.co.uk/news/world/rss.xml", ("bbci.co.uk", "url")),
        ("Example News - World", "https://www.example-news.com/world", ("Example News", "metadata")),
        ("Home", "https://www.thehindu.com/x", ("The Hindu", "table")),
        ("cnn.com", "https://edition.cnn.com/x", ("CNN", "table")),
        ("Hosted", "https://hosted.ap.org/x", ("AP", "table")),
        ("Latest breaking news, analysis and opinion from around the world, every day", None, ("a", "file")),
    ],
)
def test_site_names_that_read_as_names(site_name: str, url: str | None, expected: tuple[str, str]) -> None:
    outlet = decided(art(outlet=Outlet(site_name, origin="metadata"), url=url))
    assert (outlet.name, outlet.origin) == expected


def test_an_agency_named_as_the_site_is_the_wire() -> None:
    hosted = art(outlet=Outlet("Associated Press", origin="metadata"), url="https://www.sfgate.com/news/a")
    assert decided(hosted) == Outlet("SFGate", "sfgate.com", "table", wire=("Associated Press",))
    unknown = art(outlet=Outlet("Reuters", origin="metadata"), url="https://news.example/a")
    assert decided(unknown) == Outlet("news.example", "news.example", "url", wire=("Reuters",))


def test_picture_credits_are_not_outlets() -> None:
    line = "(Washington Post Staff Photo/Andrea Bruce)"
    article = art(
        credits=("Washington Post Staff Photo", "Andrea Bruce"), removed=(Removal(line, "origin credit", 0),)
    )
    assert decided(article) == Outlet("a", origin="file")


def test_table_then_domain_then_credit() -> None:
    assert decided(art(url="https://www.livemint.com/news/x")) == Outlet("Mint", "livemint.com", "table")
    # a site the tables do not know is still the publisher: its domain, not what the text credits
    unknown = decided(art(url="https://smalltown.example/a", credits=("AP",)))
    assert unknown == Outlet("smalltown.example", "smalltown.example", "url", wire=("AP",))


def test_dateline_credit_names_the_copy_not_its_publisher() -> None:
    article = art(credits=("CNN",), removed=(Removal("Hong Kong (CNN)", "origin credit", 0),))
    outlet = decided(article)
    assert outlet == Outlet("CNN", origin="credit")
    assert identify_outlet(article, DEFAULT).outlet_name == "CNN (credited)"
    assert decided(article, OutletSettings(from_credits=False)).origin == "file"


def test_sign_off_names_the_outlet() -> None:
    text = "Xi met Mishustin, ITV News' Asia Correspondent Debi Edward reports from Moscow."
    assert decided(art(text=text, credits=("ITV News",))) == Outlet("ITV News", origin="credit")


def test_helpers_are_wire_never_the_outlet() -> None:
    article = art(
        credits=("ANI",),
        removed=(Removal("(With inputs from ANI)", "origin credit", 4),),
        source="mint/001.txt",
        outlet=Outlet("Mint", domain="livemint.com", origin="manifest"),
    )
    assert decided(article) == Outlet("Mint", "livemint.com", "manifest", wire=("ANI",))
    alone = decided(dataclasses.replace(article, outlet=None))
    assert (alone.name, alone.origin, alone.wire) == ("001", "file", ("ANI",))


def test_a_mention_in_a_sentence_is_not_a_credit() -> None:
    """ "Reuters reported" cites a source; the cleaner does not read it as a credit, and nothing
    here turns it into the outlet."""
    article = prepare_article(
        Article(id="r", source="in/r.txt", text="The talks failed, Reuters reported on Monday.\n\nMore."),
        Settings(),
    )
    assert article.outlet == Outlet("r", origin="file")


def test_nothing_known_names_the_file_or_record() -> None:
    assert decided(art(source="dir/000_239dd344fad90823.txt")).name == "000_239dd344fad90823"
    assert decided(art(source="mn300.jsonl#12")).name == "mn300#12"
    assert decided(art(source="feeds/world.xml.gz#3")).name == "world#3"


# --------------------------------------------------------------------------- readers


def _read(path: Path) -> list[Article]:
    items = [x for x in read_inputs([str(path)], IngestSettings()) if isinstance(x, Article)]
    return [prepare_article(a, Settings()) for a in items]


def test_jsonl_outlet_fields(tmp_path: Path) -> None:
    rows = [
        {"text": BODY, "source": "Reuters"},
        {"text": BODY + " 2", "site_name": "The Hindu"},
        {"text": BODY + " 3", "publisher": {"@type": "Organization", "name": "Daily Maverick"}},
        {"text": BODY + " 4", "url": "https://www.scmp.com/news/x"},
        {"text": BODY + " 5", "outlet": "nytimes.com"},
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    got = [(a.outlet_name, a.outlet.origin if a.outlet else None) for a in _read(path)]
    assert got == [
        ("Reuters", "input"),
        ("The Hindu", "input"),
        ("Daily Maverick", "input"),
        ("South China Morning Post", "table"),
        ("The New York Times", "table"),
    ]


# --------------------------------------------------------------------------- the manifest


def test_manifest_gives_plain_text_files_their_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title A\nBody of A.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title B\nBody of B.\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "file,outlet,domain,url,published\n"
        "a.txt,The Scotsman,scotsman.com,https://www.scotsman.com/news/a,2023-03-17\n"
        "b.txt,,livemint.com,,\n",
        encoding="utf-8",
    )
    items = list(read_inputs([str(tmp_path)], IngestSettings()))
    assert not [x for x in items if isinstance(x, IngestFailure)]
    a, b = (prepare_article(x, Settings()) for x in items if isinstance(x, Article))
    assert a.outlet == Outlet("The Scotsman", "scotsman.com", "manifest")
    assert a.url == "https://www.scotsman.com/news/a"
    assert a.published is not None
    assert a.published.origin == "input"
    assert str(a.published.value)[:10] == "2023-03-17"
    assert b.outlet == Outlet("Mint", "livemint.com", "table")
    # the same rows apply when the files are named one by one
    (one,) = [x for x in read_inputs([str(tmp_path / "a.txt")], IngestSettings()) if isinstance(x, Article)]
    assert one.outlet is not None
    assert one.outlet.name == "The Scotsman"


def test_bad_manifest_rows_are_failures_and_the_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title A\nBody of A.\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet\nmissing.txt,X\n", encoding="utf-8")
    items = list(read_inputs([str(tmp_path)], IngestSettings()))
    failures = [x for x in items if isinstance(x, IngestFailure)]
    assert [f.code for f in failures] == ["E016"]
    assert "missing.txt" in failures[0].message()
    assert len([x for x in items if isinstance(x, Article)]) == 1
    broken = parse_manifest("name,outlet\na.txt,X\n", str(tmp_path / "metadata.csv"))
    assert not broken.rows
    assert "'file' column" in broken.failures[0].message()


# --------------------------------------------------------------------------- the stderr notes


def _named(source: str, outlet: Outlet | None, fmt: str = "jsonl") -> Article:
    article = art(source=source, outlet=outlet)
    return dataclasses.replace(identify_outlet(article, DEFAULT), input_format=fmt)


def test_note_when_no_article_of_an_input_names_its_outlet() -> None:
    notes = outlet_notes([_named(f"mn300.jsonl#{n}", None) for n in range(1, 4)])
    assert len(notes) == 1
    assert notes[0].startswith("mn300.jsonl: none of its 3 records names its outlet")
    assert '"outlet" or "url" field' in notes[0]
    assert "--outlets FILE" in notes[0]


def test_note_when_most_articles_of_an_input_name_no_outlet() -> None:
    arts = [_named(f"mn.jsonl#{n}", None) for n in range(1, 4)]
    credited = Outlet("AP", origin="credit")
    arts.append(dataclasses.replace(art(source="mn.jsonl#9"), outlet=credited, input_format="jsonl"))
    (note,) = outlet_notes(arts)
    assert note.startswith("mn.jsonl: 3 of its 4 records name no outlet")
    assert (
        outlet_notes([*arts, *(_named(f"mn.jsonl#{n}", Outlet("X", origin="input")) for n in (7, 8))]) == []
    )


def test_note_when_every_article_has_the_same_outlet() -> None:
    same = [_named(f"x.jsonl#{n}", Outlet("CNN", origin="input")) for n in range(1, 4)]
    (note,) = outlet_notes(same)
    assert "all its 3 records are from CNN" in note
    feed = [_named(f"x.xml#{n}", Outlet("CNN", origin="metadata"), "feed") for n in range(1, 4)]
    assert outlet_notes(feed) == []  # a feed is one outlet's by nature
    mixed = [*same[:2], _named("x.jsonl#9", Outlet("Mint", origin="input"))]
    assert outlet_notes(mixed) == []
    assert outlet_notes(same[:1]) == []


def test_cli_prints_the_note_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mn.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": f"{BODY} Number {n}."}) for n in range(3)), encoding="utf-8"
    )
    assert main(["ingest", str(path), "--db", str(tmp_path / "x.db"), "--regroup-embedder", "hashing"]) == 0
    err = capsys.readouterr().err
    assert err.count("synoptic: note:") == 1
    assert "none of its 3 records names its outlet" in err


# --------------------------------------------------------------------------- records and schema


def test_older_records_with_an_outlet_string_still_read() -> None:
    old = to_json(art())
    old["outlet"] = "itv.com"
    old["provenance"] = {"outlet": "inferred"}
    assert from_json(Article, old).outlet == Outlet("itv.com", domain="itv.com", origin="url")
    old["outlet"] = "Mint"
    old["provenance"] = {"outlet": "input"}
    assert from_json(Article, old).outlet == Outlet("Mint", origin="input")
    old["published"] = {"value": None, "kind": None, "from": None}  # as synoptic/1 wrote it
    digest = digest_from_json({"schema": "synoptic/1", "articles": [old]})
    assert digest.articles[0].outlet_name == "Mint"


def test_article_json_says_where_the_outlet_came_from() -> None:
    from synoptic.render.json import article_json

    data = article_json(identify_outlet(art(url="https://www.livemint.com/x", credits=("ANI",)), DEFAULT))
    assert data["outlet"] == {
        "name": "Mint",
        "domain": "livemint.com",
        "origin": "table",
        "wire": ["ANI"],
        "from": "table",
    }
    assert json.loads(json.dumps(data))["outlet"]["from"] == "table"


# --------------------------------------------------------------------------- the example, as a reader sees it

EXAMPLE_OUTLETS = {"ITV News", "Mint", "The National", "The Scotsman", "CNN (credited)"}


@pytest.mark.slow
def test_example_reads_as_five_outlets(
    example_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", str(example_dir), "-f", "json", "-q"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    names = {a["outlet"]["name"] for a in data["articles"]}
    assert names == {"ITV News", "Mint", "The National", "The Scotsman", "CNN"}
    froms = {a["outlet"]["name"]: a["outlet"]["from"] for a in data["articles"]}
    assert froms["CNN"] == "credit"  # credited in the text, not known to be the publisher
    assert {a["outlet"]["name"]: a["outlet"]["wire"] for a in data["articles"]}["Mint"] == ["ANI"]
    assert all(a["url"] is None for a in data["articles"])  # no invented URLs
    assert {o["outlet"] for o in data["stories"][0]["outlets"]} == EXAMPLE_OUTLETS

    assert main(["digest", str(example_dir), "-f", "md", "-q"]) == ExitCode.OK
    md = capsys.readouterr().out.replace("\\", "")
    assert "5 articles from CNN (credited), ITV News, Mint, The National, The Scotsman." in md
    assert "000_239dd344fad90823" not in md.split("## Articles")[0]  # names, not file or article ids

    db = tmp_path / "x.db"
    assert main(["ingest", str(example_dir), "--db", str(db), "-q"]) == ExitCode.OK
    assert main(["stories", "--db", str(db), "-f", "json"]) == 0
    (story,) = json.loads(capsys.readouterr().out)["stories"]
    assert set(story["outlets"]) == EXAMPLE_OUTLETS
    assert main(["stories", "--db", str(db)]) == 0
    listing = capsys.readouterr().out.replace("\\", "")
    assert all(name in listing for name in EXAMPLE_OUTLETS)
