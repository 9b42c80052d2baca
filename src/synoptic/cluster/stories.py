"""Stories from groups of articles: ids (stable while a story grows), labels (a representative
recent headline, else a lead sentence that reads alone, never boilerplate), and stories joined
where a copy link crosses them. Whatever grouped the articles, a story is made here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from synoptic.cluster.features import Terms, article_terms, feature_matrix
from synoptic.config import ClusterSettings, SummarySettings
from synoptic.records import Article, CopyLink, Story
from synoptic.unionfind import UnionFind


def first_article(arts: Sequence[Article]) -> Article:
    """Earliest published (undated last), then smallest id."""

    def key(a: Article) -> tuple[tuple[bool, dt.datetime], str]:
        return (a.publication_key, a.id)

    return min(arts, key=key)


def story_id(arts: Sequence[Article]) -> str:
    return "s-" + hashlib.sha256(first_article(arts).id.encode("utf-8")).hexdigest()[:12]


def make_story(
    arts: Sequence[Article],
    settings: ClusterSettings,
    merged_from: Sequence[str] = (),
    *,
    terms: Mapping[str, Terms] | None = None,
) -> Story:
    members = sorted(arts, key=lambda a: a.id)
    whens = [w for w in (a.published_at for a in members) if w is not None]
    return Story(
        id=story_id(members),
        articles=tuple(a.id for a in members),
        label=story_label(members, settings, terms),
        first_seen=min(whens) if whens else None,
        last_seen=max(whens) if whens else None,
        merged_from=tuple(sorted(set(merged_from))),
    )


def story_label(
    arts: Sequence[Article], settings: ClusterSettings, terms: Mapping[str, Terms] | None = None
) -> str:
    """The most representative recent headline: the member title nearest the story's centroid,
    with a bonus for being recent (a story is labelled as it now stands, not by its first
    announcement), never a title that is page furniture ("Click to email this to a friend");
    ties: smallest id. ``terms`` are already computed :func:`article_terms` by article id (their
    words and distinctive tokens do not depend on the lead length)."""
    titled = _titled(arts)
    if not titled:
        return _lead_label(arts, settings, terms or {})
    if len(titled) == 1:
        return (titled[0].title or "").strip()
    known = terms or {}
    x = feature_matrix([known.get(a.id) or article_terms(a) for a in titled], settings)
    centroid = np.asarray(x.sum(axis=0)).ravel()
    scores = np.asarray(x @ centroid, dtype=np.float64).ravel()
    scores = scores / (scores.max() or 1.0) + LABEL_RECENCY * _recency(titled)
    best = int(np.argmax(np.round(scores, 9)))
    return (titled[best].title or "").strip()


def _titled(arts: Sequence[Article]) -> list[Article]:
    """One article per distinct usable title (copies add nothing), the first of ``arts`` with
    it, by id."""
    first: dict[str, Article] = {}
    for a in reversed(arts):
        if title := (a.title or "").strip():
            first[title] = a
    # each distinct title judged once: a large story's members mostly repeat a few headlines
    titled = [a for title, a in first.items() if not _furniture_title(title)]
    titled.sort(key=lambda a: a.id)
    return titled


def label_readers(arts: Sequence[Article]) -> list[Article]:
    """The members of a story of ``arts`` whose terms :func:`make_story`'s label weighs (one per
    distinct title, or all of them for a label from the text): what a caller holding terms
    elsewhere fetches, where a large story's members mostly repeat a few headlines."""
    titled = _titled(sorted(arts, key=lambda a: a.id))
    return [] if len(titled) == 1 else titled or list(arts)


LABEL_RECENCY = 0.25
"""Weight of recency against centrality (both in [0, 1]) when a story's label is chosen: the
latest headline wins unless another is clearly more central."""
_FURNITURE_TITLE = re.compile(
    r"\b(?:click|send us|subscribe|sign up|newsletter|e-?mail this|share this|cookies?|are you there|"
    r"log ?in|register|advertisement|page not found|404|access denied|javascript)\b",
    re.IGNORECASE,
)


_STAMP_WORD = re.compile(
    r"\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|jan(?:uary)?|feb(?:ruary)?|"
    r"mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?|[ap]\.?m\.?|gmt|utc|[a-z]{1,4}t)\b",
    re.IGNORECASE,
)


def _furniture_title(title: str) -> bool:
    """A title that is page furniture, a one-word stub or a bare timestamp ("9:53 AM, MON 22 JUL
    2013", an ECB+ page's first line) rather than a headline ("Bridge reopens" is a headline)."""
    if len(title.split()) < 2 or _FURNITURE_TITLE.search(title) is not None:
        return True
    return any(c.isdigit() for c in title) and not any(c.isalpha() for c in _STAMP_WORD.sub("", title))


LABEL_CHARS = 100
"""A label taken from the text is cut at a word boundary before this many characters."""
LEAD_PARAGRAPHS = 4
"""Paragraphs of an article searched for a label sentence when no member has a title."""

_NOT_A_LABEL = re.compile(
    r"^FILE\b|\bfile (?:photo|image)\b|\((?:L|R|C|left|right|cent(?:er|re)|top|bottom|pictured)\)"
    r"|\bpictured\b|/\s*Getty\b|\b(?:Getty|AFP|AP|Reuters|EPA)\s+(?:Images|Photo)\b"
    r"|\bPhoto(?:graph)?\s*(?::|by\b|credit)|\b(?:this|the|our) video\b|\blog ?(?:in|into)\b|\byour account\b"
    r"|\bcrawl(?:s| data)\b|\bWayback Machine\b|\b404\b|\b(?:pics|photos|gallery|slideshow)\b",
    re.IGNORECASE,
)
"""Sentences that are captions, credits or page furniture, not the news: "FILE - In this Jan. 14,
2013 file photo, ...", "Bahraini activist Zainab al-Khawaja (L) is greeted by ...", "Tom
Williams/Getty Images Rep. ...", "GET THIS VIDEO TO 100,000 likes", "Shop or log into your
account", the Internet Archive's crawl notices, "PopScene: Weeks Hottest Pics" (all seen as labels of
Multi-News dev stories)."""


def _lead_label(arts: Sequence[Article], settings: ClusterSettings, known: Mapping[str, Terms]) -> str:
    """A label for a story none of whose articles has a usable title: from the story's most
    central article (then the next most central), the first lead sentence that is news and reads
    on its own (no caption, credit or page furniture; see :func:`_reads_alone`), cut at a word
    boundary; "Untitled story (N articles)" when none does: a label is never boilerplate."""
    if not arts:
        return ""
    order = list(arts)
    if len(order) > 1:
        x = feature_matrix([known.get(a.id) or article_terms(a) for a in order], settings)
        centroid = np.asarray(x.sum(axis=0)).ravel()
        scores = np.round(np.asarray(x @ centroid, dtype=np.float64).ravel(), 9)
        order = [order[i] for i in sorted(range(len(order)), key=lambda i: (-scores[i], order[i].id))]
    summary = SummarySettings()
    best = next((c for article in order for c in _lead_sentences(article, summary) if _reads_alone(c)), None)
    if best is not None:
        return _clip(best)
    return f"Untitled story ({len(arts)} article{'s' if len(arts) != 1 else ''})"


_NOT_ALONE = re.compile(
    r"\b(?:I|I'm|I've|I'd|me|my|we|we're|we've|our|us|you|you're|your|yours)\b"
    r"|^(?:please|for (?:instance|example)|in addition|basically|plus|anyway)\b|[?!]\W*$",
    re.IGNORECASE,
)
"""A sentence that needs its page: first or second person ("Shop or log into your account"),
an imperative or connective start ("Please choose a community", "For instance, ..."), a question
or an exclamation."""


def _reads_alone(sentence: str) -> bool:
    from synoptic.nlp.sentences import CONTEXT_START

    outside = re.sub(r"[\"“][^\"”]*[\"”]", " ", sentence)  # words inside quotes are someone's speech
    if sentence[:1] in '"“' and not outside.strip(" .,"):
        return False  # only a quotation, no one to say it
    return _NOT_ALONE.search(outside) is None and CONTEXT_START.match(sentence) is None


def _lead_sentences(article: Article, summary: SummarySettings) -> list[str]:
    """Sentences of an article's first paragraphs that are news, not captions or furniture: a
    paragraph holding a picture credit is a caption as a whole ("Black leopard near road. Photo
    by: William Yap.")."""
    from synoptic.clean.rules import classify_line
    from synoptic.nlp.sentences import split_text
    from synoptic.summarize import is_furniture

    headings = set(article.headings)
    lead = [span for span in article.paragraph_spans() if span not in headings][:LEAD_PARAGRAPHS]
    found: list[str] = []
    for p_start, p_end in lead:
        paragraph = article.text[p_start:p_end]
        if _NOT_A_LABEL.search(paragraph) is not None or classify_line(paragraph) is not None:
            continue
        for start, end in split_text(paragraph, p_start):
            sentence = " ".join(article.text[start:end].split()).lstrip("-–—•* ")
            starts = sentence[:1].isupper() or sentence[:1] in "\"“‘'" or sentence[:1].isdigit()
            if starts and not is_furniture(sentence, summary):
                found.append(sentence)
    return found


def _clip(text: str) -> str:
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def _recency(arts: Sequence[Article]) -> np.ndarray:
    """1 for the latest dated article, 0 for the earliest, 0.5 for undated ones."""
    stamps = [when.timestamp() if (when := a.published_at) is not None else None for a in arts]
    known = [t for t in stamps if t is not None]
    if not known or max(known) == min(known):
        return np.array([0.5 if t is None else 1.0 for t in stamps]) if known else np.zeros(len(arts))
    low, high = min(known), max(known)
    return np.array([0.5 if t is None else (t - low) / (high - low) for t in stamps])


def join_copies(
    stories: Sequence[Story],
    copies: Iterable[CopyLink],
    articles: Sequence[Article],
    settings: ClusterSettings,
    joined: Iterable[tuple[str, str]] = (),
) -> list[Story]:
    """Stories joined where a copy link (any kind but ``credited``) crosses them: a copy of an
    article is about the same event, whatever its wording. Joined stories keep each other's ids
    in ``merged_from``. ``joined``: more pairs joined so (a store's links, as ``(a, b)``)."""
    where = {a: k for k, s in enumerate(stories) for a in s.articles}
    sets = UnionFind(len(stories))
    pairs = [(link.a, link.b) for link in copies if link.kind != "credited"]
    for a, b in itertools.chain(pairs, joined):
        if a in where and b in where:
            sets.union(where[a], where[b])
    groups = sets.groups()
    if len(groups) == len(stories):
        return list(stories)
    by_id = {a.id: a for a in articles}
    out: list[Story] = []
    for members in groups:
        parts = [stories[k] for k in members]
        if len(parts) == 1:
            out.append(parts[0])
            continue
        arts = [by_id[a] for p in parts for a in p.articles]
        story = make_story(arts, settings, [m for p in parts for m in (p.id, *p.merged_from)])
        out.append(replace(story, merged_from=tuple(m for m in story.merged_from if m != story.id)))
    return sorted(out, key=lambda s: s.id)
