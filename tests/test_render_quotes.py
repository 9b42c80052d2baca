"""Quotation marks go only around a speaker's own words, in every report a reader sees."""

from __future__ import annotations

from synoptic.records import Article, Digest, Dossier, IngestFailure, Outlet, Quote, Story
from synoptic.render import render_html, render_markdown
from synoptic.render.view import bare_quote, quote_form

TEXT = (
    "“We are always open to negotiations,” Mr Putin told Mr Xi. "
    "Mr Putin said the two countries had “plenty of common objectives and tasks”. "
    "Mr Xi said he had invited Putin to China."
)


def _span(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


ARTICLE = Article(id="a1", source="a.txt", text=TEXT, outlet=Outlet("Daily A"))
# as quote extraction gives them: the content span inside the marks, or the reported clause
SAID = "We are always open to negotiations"
VERBATIM = Quote("a1", "Vladimir Putin", SAID, _span(SAID), True)
MIXED_CONTENT = "the two countries had “plenty of common objectives and tasks”."
MIXED = Quote("a1", "Vladimir Putin", MIXED_CONTENT, _span(MIXED_CONTENT), True)
INDIRECT = "he had invited Putin to China."
REPORTED = Quote("a1", "Xi Jinping", INDIRECT, _span(INDIRECT), False)


def test_quote_form_tells_the_speakers_words_from_reported_speech() -> None:
    assert quote_form(VERBATIM, ARTICLE) == ("verbatim", "We are always open to negotiations")
    assert quote_form(MIXED, ARTICLE) == ("partly quoted", MIXED_CONTENT)
    assert quote_form(REPORTED, ARTICLE) == ("reported", "he had invited Putin to China.")
    # without the article, a content that is wholly one quotation is still the speaker's words
    whole = Quote("a1", "X", "“peace and friendship”", (0, 22), True)
    assert quote_form(whole, None) == ("verbatim", "peace and friendship")
    assert bare_quote("“a” and “b”") == "“a” and “b”"


def test_reported_words_read_on_after_said_but_names_keep_their_capital() -> None:
    # "On Monday, the two leaders will begin ..., according to Kremlin spokesman Dmitry Peskov"
    # (the example's CNN article): shown after "said", the sentence's capital goes
    opening = Quote("a1", "Dmitry Peskov", "On Monday, the two leaders will meet", (0, 35), False)
    assert quote_form(opening, None) == ("reported", "on Monday, the two leaders will meet")
    article = Quote("a1", "X", "A second round of talks will follow", (0, 35), False)
    assert quote_form(article, None)[1] == "a second round of talks will follow"
    for kept in ("Russia is ready to talk", "Ukraine's army said", "I will go", "NATO is to blame"):
        assert quote_form(Quote("a1", "X", kept, (0, len(kept)), False), None)[1] == kept
    partly = "The talks were “constructive”, he said"
    assert quote_form(Quote("a1", "X", partly, (0, len(partly)), True), None) == (
        "partly quoted",
        "the talks were “constructive”, he said",
    )


def _digest() -> Digest:
    dossier = Dossier(Story("s1", ("a1",), "Talks"), quotes=(VERBATIM, MIXED, REPORTED))
    return Digest(articles=(ARTICLE,), dossiers=(dossier,))


def test_markdown_marks_only_what_was_said_word_for_word() -> None:
    md = render_markdown(_digest())
    assert "**Vladimir Putin** said: “We are always open to negotiations” [Daily A]" in md
    # the paraphrase is not put in the speaker's mouth: only its own marks remain
    assert f"**Vladimir Putin** said {MIXED_CONTENT} [Daily A]" in md
    assert "“the two countries" not in md
    assert "**Xi Jinping** said he had invited Putin to China. [Daily A] (reported speech)" in md
    assert "“he had invited" not in md


def test_reports_write_the_articles_reporting_verb_where_the_words_read_on_after_it() -> None:
    from synoptic.render.view import quote_verb

    urged = Quote("a1", "Qin Gang", "Ukraine and Russia to restart peace talks", (0, 1), False, cue="urged")
    # "told" leaves out whom it was told: "Putin told that ..." would not be English
    told = Quote("a1", "Vladimir Putin", "that he had looked at the plan", (0, 1), False, cue="told")
    assert [quote_verb(q) for q in (urged, told, REPORTED)] == ["urged", "said", "said"]
    assert quote_verb(Quote("a1", "X", "y", (0, 1), True, cue="Adding")) == "added"
    digest = Digest(articles=(ARTICLE,), dossiers=(Dossier(Story("s1", ("a1",), "Talks"), quotes=(urged,)),))
    assert "**Qin Gang** urged Ukraine and Russia to restart peace talks [Daily A]" in render_markdown(digest)
    assert "<strong>Qin Gang</strong> urged Ukraine and Russia" in render_html(digest)


def test_html_report_marks_only_what_was_said_word_for_word() -> None:
    html = render_html(_digest())
    assert "&ldquo;We are always open to negotiations&rdquo;" in html
    assert "&ldquo;the two countries" not in html
    assert "the two countries had “plenty of common objectives and tasks”." in html
    assert "&ldquo;he had invited" not in html


def test_story_page_quotes_carry_their_form() -> None:
    from synoptic.server.pages import speaker_views

    views = speaker_views([VERBATIM, MIXED, REPORTED], {"a1": ARTICLE}, {"Daily A": 0})
    forms = {v.content: v.form for s in views for v in (*s.first, *s.more)}
    assert forms == {
        "We are always open to negotiations": "verbatim",
        MIXED_CONTENT: "partly quoted",
        "he had invited Putin to China.": "reported",
    }


def test_an_outlets_wording_holding_marks_is_not_put_in_marks_again() -> None:
    from synoptic.records import Citation, OutletReport, Wording
    from synoptic.render.view import in_marks

    assert in_marks("three days") == "“three days”"
    assert in_marks('"for friendship and peace"') == "“for friendship and peace”"
    assert in_marks("“infinite” relationship") == "“infinite” relationship"
    cite = Citation("a1", (0, 10))
    words = (Wording("Daily A", "“infinite” relationship", cite), Wording("Daily A", "three days", cite))
    report = OutletReport("Daily A", ("a1",), wording=words)
    dossier = Dossier(Story("s1", ("a1",), "Talks"), outlets=(report,))
    digest = Digest(articles=(ARTICLE,), dossiers=(dossier,))
    md, html = render_markdown(digest), render_html(digest)
    assert "wording: “infinite” relationship" in md
    assert "wording: “three days”" in md
    assert "wording: “infinite” relationship" in html
    for report in (md, html.replace("&ldquo;", "“")):
        assert "““" not in report


def test_a_digest_of_inputs_that_all_failed_lists_them_under_no_empty_articles_heading() -> None:
    failed = IngestFailure("empty.txt", "file is empty", "check the input", "E002")
    markdown = render_markdown(Digest(articles=(), failures=(failed,)))
    assert "## Articles" not in markdown
    assert "## Inputs that could not be read" in markdown
    assert "empty.txt" in markdown
    assert "## Articles" in render_markdown(_digest())
    assert "0 articles, 0 stories, 0 copy links." in markdown
    page = render_html(Digest(articles=(), failures=(failed,)))
    assert "<h2>Articles</h2>" not in page
    assert "empty.txt" in page
    assert "<h2>Articles</h2>" in render_html(_digest())


def test_counts_read_in_the_singular_for_one() -> None:
    assert "1 article, 1 story, 0 copy links." in render_markdown(_digest())
    assert "1 article from Daily A." in render_markdown(_digest())
    page = render_html(_digest())
    assert "1 article, 1 story, 0 copy links." in page
    assert "1 article from Daily A" in page
