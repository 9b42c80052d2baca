"""Cleaning rules on other outlets' page furniture (written here, not from the seeds), and negatives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from synoptic.clean import clean_article, clean_articles
from synoptic.clean.dates import read_prefix, read_stamp
from synoptic.clean.rules import classify_line
from synoptic.config import CleanSettings
from synoptic.records import Article, PublishedDate, article_id

SETTINGS = CleanSettings()

BODY = [
    "The city council voted on Tuesday to approve a new budget that raises spending on public transport.",
    "Council leader Maria Lopez said the plan would cut waiting times on the busiest bus routes by a third.",
    "Opposition members argued that the money should have gone to road repairs, which residents rank first.",
    "The budget still needs the approval of the regional government, which is expected next month.",
    "Transport unions welcomed the vote but warned that drivers remain in short supply across the region.",
    "A final decision on fares will be taken in the autumn, after a public consultation closes.",
]

# (line, category) pairs in the styles of BBC, Guardian, Reuters, AP, local papers and blogs.
OTHER_OUTLETS = [
    ("Sign up for our morning briefing", "newsletter promo"),
    ("Get our free daily newsletter delivered straight to your inbox", "newsletter promo"),
    ("Click here to subscribe", "subscription promo"),
    ("Already a subscriber? Log in", "subscription promo"),
    ("If you enjoyed this article, consider supporting our journalism.", "subscription promo"),
    ("Reach the reporter on Twitter at @janedoe", "contact line"),
    ("Email Jane Doe at jane.doe@example-news.com", "contact line"),
    ("Filed under: Local politics", "navigation"),
    ("Tags", "navigation"),
    ("Updated at 1:23 p.m.", "update timestamp"),
    ("[Related: Council to vote on parking fees]", "related link"),
    ("Most read in UK news", "related link"),
    ("Bus drivers walk out over pay [VIDEO]", "related link"),
    ("Follow our full coverage of the budget at https://example-news.com/budget", "related link"),
    ("This copy is for your personal, non-commercial use only.", "copyright"),
    ("Image caption, Council leader Maria Lopez presented the plan on Tuesday", "photo caption"),
    ("Image source, Getty Images", "photo credit"),
    ("Getty Images", "photo credit"),
    ("Commuters wait for a bus in the city centre. Photograph: Jane Smith/The Guardian", "photo caption"),
    ("Maria Lopez speaks to reporters (Photo: AP)", "photo caption"),
    ("Follow us on Twitter", "social promo"),
    ("Share this article on Facebook", "social promo"),
    ("Related Topics", "related link"),
    ("Read more:", "related link"),
    ("READ MORE: Bus fares to rise for the third year running", "related link"),
    ("More on this story", "related link"),
    ("You may also like", "related link"),
    ("Copyright 2023 The Associated Press. All rights reserved.", "copyright"),
    ("© 2023 Example Media Group", "copyright"),
    ("This material may not be published, broadcast, rewritten or redistributed.", "copyright"),
    ("ADVERTISEMENT", "ad marker"),
    ("Story continues below advertisement", "ad marker"),
    ("Sponsored content", "ad marker"),
    ("View 12 comments", "comment box"),
    ("Comments are closed.", "comment box"),
    ("Log in to comment", "comment box"),
    ("Subscribe to the Transport Weekly podcast on Apple Podcasts", "podcast promo"),
    ("Listen on Spotify", "podcast promo"),
    ("This article was automatically translated from Spanish.", "translation notice"),
    ("We use cookies to improve your experience on our site.", "cookie notice"),
    ("Home › News › Local", "navigation"),
    ("Skip to content", "navigation"),
    ("Council budget – in pictures", "gallery link"),
    ("By Maria Garcia and Tom Jones", "byline"),
]

NEGATIVES = [
    "The comments he made drew criticism.",
    "Read more about it, he said, in the report.",
    "Advertisement revenue fell by 12% last year, the company said.",
    "Copyright law was changed in 2019 to cover online platforms.",
    "Sign up rates for the scheme doubled after the mayor's announcement.",
    "The photo showed the mayor shaking hands with union leaders.",
    "Related issues, such as parking, will be discussed in June.",
    "Follow the money, investigators said, and the picture becomes clearer.",
    "Share prices of the bus operator rose 3% on the news.",
    "The daily update from the ministry showed 500 new cases.",
    "Listen to the residents, she said, because they know the routes best.",
    "Home owners will pay a slightly higher property tax under the plan.",
    "Getty Images photographers covered the protest outside the town hall.",
    "Support our troops, the banners outside the barracks said.",
    "Subscribers will pay more from June, the company said.",
    "https://www.example-news.com/local/budget-2023",
    "Tell them what you think, the mayor urged residents at the meeting.",
    "Most popular month for weddings: June",
    "Follow the money at all costs, the investigators said.",
]


def _article(lines: list[str], title: str = "Council approves transport budget") -> Article:
    text = "\n\n".join(lines)
    return Article(id=article_id(text), source="test", text=text, title=title)


@pytest.mark.parametrize(("line", "category"), OTHER_OUTLETS)
def test_other_outlets_boilerplate_is_recognised(line: str, category: str) -> None:
    assert classify_line(line) == category


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_sentences_with_trigger_words_are_not_boilerplate(sentence: str) -> None:
    assert classify_line(sentence) is None


def test_other_outlets_article_is_cleaned_and_body_kept() -> None:
    lines = [BODY[0], *[line for line, _ in OTHER_OUTLETS[:12]], *BODY[1:4], *NEGATIVES, *BODY[4:]]
    lines += [line for line, _ in OTHER_OUTLETS[12:]]
    cleaned = clean_article(_article(lines), SETTINGS)
    assert cleaned.paragraphs == [*BODY[:4], *NEGATIVES, *BODY[4:]]
    reasons = {r.text: r.reason for r in cleaned.removed}
    for line, category in OTHER_OUTLETS:
        assert reasons[line] == category
    for removal in cleaned.removed:
        assert removal.text == lines[removal.line or 0]


def test_headline_repeated_in_body_is_removed() -> None:
    title = "Council approves transport budget"
    cleaned = clean_article(_article([title, *BODY], title=title), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert cleaned.removed[0].reason == "repeated headline"


def test_repeated_standfirst_keeps_first_copy() -> None:
    cleaned = clean_article(_article([BODY[0], BODY[1], BODY[0], *BODY[2:]]), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert [r.reason for r in cleaned.removed] == ["repeated paragraph"]
    assert cleaned.removed[0].line == 2


def test_adjacent_caption_copies_all_go() -> None:
    caption = "Commuters queue for a tram at the central station"
    cleaned = clean_article(_article([BODY[0], caption, caption, *BODY[1:]]), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert [r.reason for r in cleaned.removed] == ["repeated headline", "repeated headline"]


def test_caption_glued_to_itself_and_its_copy_go() -> None:
    caption = "Commuters queue for a tram at the central station on Monday morning"
    cleaned = clean_article(_article([BODY[0], caption + caption, *BODY[1:3], caption, *BODY[3:]]), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert {r.reason for r in cleaned.removed} == {"repeated caption"}


def test_templated_repeats_are_kept() -> None:
    """A meal plan or an interview series repeats lines by design: they are content."""
    day = ["Breakfast", "Eat within an hour of waking", "Lunch", "Eat every three hours"]
    lines = [BODY[0], "Monday", *day, "Tuesday", *day, "Wednesday", *day, *BODY[1:]]
    cleaned = clean_article(_article(lines), SETTINGS)
    assert cleaned.paragraphs == lines


def test_subheadings_are_kept_and_flagged() -> None:
    lines = [BODY[0], BODY[1], "A long road ahead", BODY[2], BODY[3]]
    cleaned = clean_article(_article(lines), SETTINGS)
    assert cleaned.paragraphs == lines
    assert [cleaned.text[s:e] for s, e in cleaned.headings] == ["A long road ahead"]


def test_tail_labels_next_to_a_promo_are_navigation() -> None:
    lines = [*BODY, "Local Matters", "Sign up to our daily email newsletter", "Evening Edition"]
    cleaned = clean_article(_article(lines), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert [r.reason for r in cleaned.removed] == ["navigation", "newsletter promo", "navigation"]


def test_tail_labels_without_a_promo_are_kept() -> None:
    lines = [*BODY, "(Graphic: Bus ridership since 2010)", "(Reporting by Ann Lee; Editing by Bo Chan)"]
    cleaned = clean_article(_article(lines), SETTINGS)
    assert cleaned.paragraphs == [*BODY, "(Graphic: Bus ridership since 2010)"]


@pytest.mark.parametrize(
    ("first", "credit", "rest"),
    [
        (
            "WASHINGTON (AP) — The Senate passed the bill late on Friday after a long debate.",
            "AP",
            "The Senate",
        ),
        (
            "LONDON, March 20 (Reuters) - British inflation rose unexpectedly in February, data showed.",
            "Reuters",
            "British",
        ),
        (
            "Hong Kong (CNN Business) Shares in Asia fell sharply on Monday as investors weighed the data.",
            "CNN Business",
            "Shares",
        ),
        (
            "(CNN) — The president will travel to Ohio next week to promote his economic agenda.",
            "CNN",
            "The president",
        ),
    ],
)
def test_dateline_credits_are_cut(first: str, credit: str, rest: str) -> None:
    cleaned = clean_article(_article([first, *BODY]), SETTINGS)
    assert credit in cleaned.credits
    assert cleaned.paragraphs[0].startswith(rest)
    assert first.endswith(cleaned.paragraphs[0])
    kept = clean_article(_article([first, *BODY]), dataclasses.replace(SETTINGS, cut_datelines=False))
    assert kept.paragraphs[0] == first
    assert credit in kept.credits


@pytest.mark.parametrize(
    "first",
    [
        "World Health Organization (WHO) Director-General Tedros said the outbreak was contained.",
        "President Xi (left) met Vladimir Putin at the Kremlin on Monday afternoon.",
    ],
)
def test_parentheses_that_are_not_datelines(first: str) -> None:
    cleaned = clean_article(_article([first, *BODY]), SETTINGS)
    assert cleaned.paragraphs[0] == first
    assert cleaned.credits == ()


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("(With inputs from agencies)", ()),
        ("(With inputs from PTI and Reuters)", ("PTI", "Reuters")),
        ("Fox News’ Jane Doe contributed to this report.", ("Fox News",)),
        ("(Reporting by Ann Lee; Editing by Bo Chan)", ()),
        ("(Reuters)", ("Reuters",)),
        ("Source: AFP", ("AFP",)),
        ("Contributing: The Associated Press", ("The Associated Press",)),
        ("SOURCE: News agencies", ()),
        ("Associated Press writers Ann Lee and Bo Chan contributed to this report.", ("Associated Press",)),
    ],
)
def test_credit_lines(line: str, credits: tuple[str, ...]) -> None:
    cleaned = clean_article(_article([*BODY, line]), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert cleaned.credits == credits
    assert cleaned.removed[-1].reason == "origin credit"


def test_dashed_agency_tag_only_at_the_end_and_not_in_a_list() -> None:
    cleaned = clean_article(_article([*BODY, "- AP"]), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert cleaned.credits == ("AP",)
    bullets = [*BODY, "Features include:", "- GPS", "- NFC"]
    assert clean_article(_article(bullets), SETTINGS).paragraphs == bullets


def test_trailing_agency_tag_is_cut() -> None:
    last = "The vote is expected next week. — AP"
    cleaned = clean_article(_article([*BODY, last]), SETTINGS)
    assert cleaned.paragraphs[-1] == "The vote is expected next week."
    assert "AP" in cleaned.credits


@pytest.mark.parametrize(
    ("line", "value", "kind"),
    [
        ("Updated: March 22, 2023, 7:35 AM", dt.datetime(2023, 3, 22, 7, 35), "updated"),
        ("Mon 20 Mar 2023 12.41 GMT", dt.datetime(2023, 3, 20, 12, 41, tzinfo=dt.UTC), "published"),
        (
            "First published on Mon 20 Mar 2023 08.41 GMT",
            dt.datetime(2023, 3, 20, 8, 41, tzinfo=dt.UTC),
            "published",
        ),
        (
            "Last modified on Tue 21 Mar 2023 10.02 EDT",
            dt.datetime(2023, 3, 21, 10, 2, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
            "updated",
        ),
        (
            "2023-03-20 08:41 UTC+1",
            dt.datetime(2023, 3, 20, 8, 41, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "published",
        ),
        ("Published 20 March 2023", dt.datetime(2023, 3, 20), "published"),
    ],
)
def test_timestamp_lines(line: str, value: dt.datetime, kind: str) -> None:
    stamp = read_stamp(line)
    assert stamp is not None
    assert stamp.value == value
    assert stamp.kind == kind
    cleaned = clean_article(_article([*BODY, line]), SETTINGS)
    assert cleaned.paragraphs == BODY
    assert cleaned.published is not None
    assert cleaned.published.value == value
    assert cleaned.published.origin == "text"
    assert cleaned.published.source_text == line


def test_eastern_time_follows_daylight_saving() -> None:
    stamp = read_stamp("March 20, 2023 at 8:41 a.m. ET")
    assert stamp is not None
    assert stamp.value.utcoffset() == dt.timedelta(hours=-4)
    winter = read_stamp("January 20, 2023 at 8:41 p.m. ET")
    assert winter is not None
    assert winter.value.utcoffset() == dt.timedelta(hours=-5)
    assert winter.value.hour == 20


@pytest.mark.parametrize(
    "line",
    [
        "On 21 March 2023 10 people died in the crash.",
        "29 November 2018 | 20 January 2019",
        "The festival runs from 29 November 2018 to 20 January 2019.",
    ],
)
def test_dates_inside_text_are_not_stamps(line: str) -> None:
    assert read_stamp(line) is None
    assert read_prefix(line) == (None, 0)


def test_glued_dateline_prefix() -> None:
    date, end = read_prefix(
        "3 min read 04:39 PM IST, 21 Mar 2023The minister said on Monday that talks would go on."
    )
    assert (date, end) == (None, 0)  # time before date: not our grammar, nothing is cut
    date, end = read_prefix(
        "2 min read · 5 Jun 2024, 09:15 AM ISTThe minister said on Monday that talks would go on."
    )
    assert date is not None
    assert date.value == dt.datetime(2024, 6, 5, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=5.5)))


def test_metadata_date_is_not_replaced() -> None:
    meta = PublishedDate(value=dt.datetime(2023, 3, 20, tzinfo=dt.UTC), origin="metadata")
    article = dataclasses.replace(_article([*BODY, "Updated: March 22, 2023, 7:35 AM"]), published=meta)
    cleaned = clean_article(article, SETTINGS)
    assert cleaned.published == meta
    assert cleaned.paragraphs == BODY


def test_non_english_article_is_kept_and_flagged() -> None:
    body = [
        "Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen, der mehr Geld für Busse vorsieht.",
        "Die Opposition kritisierte, das Geld hätte besser in die Reparatur der Straßen fließen sollen.",
    ]
    cleaned = clean_article(_article(body, title="Stadtrat beschließt Haushalt"), SETTINGS)
    assert cleaned.paragraphs == body
    assert cleaned.language == "de"
    assert (cleaned.language_confidence or 0) > 0.9
    assert any("'de'" in w for w in cleaned.warnings)


def test_disabled_language_detection_leaves_language_empty() -> None:
    cleaned = clean_article(_article(BODY), dataclasses.replace(SETTINGS, detect_language=False))
    assert cleaned.language is None


def test_empty_and_all_boilerplate_bodies() -> None:
    assert clean_article(_article([]), SETTINGS).text == ""
    cleaned = clean_article(_article(["Advertisement", "Comments"]), SETTINGS)
    assert cleaned.text == ""
    assert any("removed every line" in w for w in cleaned.warnings)


def test_non_latin_text_is_untouched() -> None:
    body = [
        "习近平主席周一抵达莫斯科，开始对俄罗斯进行为期三天的国事访问。",
        "双方将讨论乌克兰问题和经济合作。",
    ]
    cleaned = clean_article(_article(body, title="习近平抵达莫斯科"), SETTINGS)
    assert cleaned.paragraphs == body
    assert cleaned.language == "zh"


def test_stage_is_deterministic_and_order_invariant() -> None:
    arts = [
        _article([*BODY, "Advertisement"]),
        _article(["WASHINGTON (AP) — The Senate passed the bill late on Friday after a long debate.", *BODY]),
        _article(["Der Stadtrat hat am Dienstag einen neuen Haushalt für die Busse der Stadt beschlossen."]),
    ]
    forward = clean_articles(arts, SETTINGS)
    backward = clean_articles(arts[::-1], SETTINGS)
    assert forward == backward[::-1]
    assert forward == clean_articles(arts, SETTINGS)
    assert clean_articles([], SETTINGS) == []


def test_furniture_glued_after_a_sentence_is_cut() -> None:
    line = "Every online business lives in the space-time continuum.Click To Tweet"
    cleaned = clean_article(_article([*BODY[:2], line, *BODY[2:]]), SETTINGS)
    assert cleaned.paragraphs == [
        *BODY[:2],
        "Every online business lives in the space-time continuum.",
        *BODY[2:],
    ]
    assert cleaned.removed[0].reason == "social promo"
    assert cleaned.removed[0].text == "Click To Tweet"


@pytest.mark.parametrize("line", ["MORE", "(MORE)", "3rd graf prv", "2nd Ld-Writethru", "-0-", "(END)"])
def test_wire_service_markers_are_not_article_text(line: str) -> None:
    from synoptic.clean.rules import classify_line

    assert classify_line(line) is not None


def test_identical_inputs_are_counted_not_silently_merged(tmp_path: Path) -> None:
    from synoptic.config import Settings
    from synoptic.pipeline import digest

    text = (
        "Bridge to reopen on Monday\n"
        "Officials said the bridge would reopen on Monday after repairs that took three weeks.\n"
    )
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = digest([str(tmp_path)], Settings().fast())
    assert len(result.articles) == 1
    assert result.repeats == 1


def test_stock_quotes_inside_a_sentence_are_cut_and_acronyms_kept() -> None:
    from synoptic.clean.rules import inline_furniture

    line = "Intel (INTC +0.93%) and Apple (NASDAQ: AAPL) rose, the World Health Organization (WHO) said."
    cut = [line[s:e].strip() for _, s, e in inline_furniture(line)]
    assert cut == ["(NASDAQ: AAPL)", "(INTC +0.93%)"]
    text = "Chips rally\nIntel (INTC +0.93%) said demand for data-centre chips had recovered this quarter.\n"
    cleaned = clean_article(Article(id=article_id(text), source="a.txt", text=text), CleanSettings())
    assert "INTC" not in cleaned.text
    assert "Intel said demand" in cleaned.text
    assert any(r.reason == "stock ticker" for r in cleaned.removed)
