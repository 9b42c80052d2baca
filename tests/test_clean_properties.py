"""Properties of cleaning: idempotent, never invents text, every removal traceable to the input."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synoptic.clean import clean_article
from synoptic.config import CleanSettings
from synoptic.records import Article, article_id

SETTINGS = CleanSettings()

# Realistic lines of every kind the rules care about; hypothesis mixes, repeats and glues them.
STORY = [
    "The central bank raised interest rates by half a point on Thursday, its fifth rise this year.",
    "Officials said inflation remained too high and further increases could not be ruled out.",
    "“We will do what it takes,” the governor told reporters after the meeting.",
    "Markets had expected a smaller move, and the currency rose sharply after the announcement.",
    "Mortgage lenders are expected to pass the increase on to borrowers within days.",
]
FURNITURE = [
    "Advertisement",
    "Hide Ad",
    "Comments",
    "\u00a00\u00a0comments",
    "Leave a Reply",
    "Sign up for our morning briefing",
    "Read more: Rates rise again",
    "See also\u00a0 Markets fall in Asia",
    "Getty Images",
    "The governor at a press conference. Picture: Jane Doe/Reuters",
    "Updated: March 22, 2023, 7:35 AM",
    "1 min read 21 Mar 2023, 04:39 PM IST",
    "(With inputs from ANI)",
    "Reuters’ Anna Lee contributed to this story",
    "(Reuters)",
    "- AP",
    "Powered by automated translation",
    "View from London",
    "Rates rise again",
    "Follow us on Twitter",
    "LONDON (Reuters) - ",
    "Hong Kong (CNN) ",
    "Click To Tweet",
]
HEADINGS = ["A long road ahead", "‘Dearest friends’", "What happens next"]

line = st.one_of(
    st.sampled_from(STORY),
    st.sampled_from(FURNITURE),
    st.sampled_from(HEADINGS),
    st.builds(lambda a, b: a + b, st.sampled_from(FURNITURE + STORY), st.sampled_from(STORY + HEADINGS)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=80),
)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    lines = draw(st.lists(line, max_size=14))
    if lines and draw(st.booleans()):  # a copy of a line somewhere else (repeated standfirst, caption)
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(lines)))
    text = "\n\n".join(lines)
    title = draw(st.one_of(st.none(), st.sampled_from(["Rates rise again", "Central bank acts"])))
    return Article(id=article_id(text), source="prop", text=text, title=title)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_cleaning_is_idempotent(article: Article) -> None:
    once = clean_article(article, SETTINGS)
    assert clean_article(once, SETTINGS) == once


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_cleaning_never_invents_text(article: Article) -> None:
    cleaned = clean_article(article, SETTINGS)
    for paragraph in cleaned.paragraphs:
        assert paragraph in article.text
    lines = [x for x in article.text.split("\n") if x.strip()]
    for removal in cleaned.removed:
        assert removal.line is not None
        assert removal.text in lines[removal.line]
    assert cleaned.id == article.id
    for start, end in cleaned.headings:
        assert cleaned.text[start:end] in cleaned.paragraphs


@settings(max_examples=100, deadline=None)
@given(articles())
def test_disabled_rules_change_nothing_but_metadata(article: Article) -> None:
    off = dataclasses.replace(SETTINGS, dates_from_text=False, detect_language=False)
    cleaned = clean_article(article, off)
    assert cleaned.published is None
    assert cleaned.language is None
    assert cleaned.text == clean_article(article, SETTINGS).text
