"""Helpers shared by the Markdown and HTML renderers (lookups, labels, snippets)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from synoptic.config import DossierSettings
from synoptic.nlp.quotations import in_open_quotation
from synoptic.records import (
    Article,
    Citation,
    Claim,
    Digest,
    Dossier,
    Event,
    Quote,
    SummarySentence,
    TimeExpression,
)


def articles_by_id(digest: Digest) -> dict[str, Article]:
    return {a.id: a for a in digest.articles}


def outlet_of(article: Article | None) -> str:
    if article is None:
        return "?"
    return article.outlet_name


def cited_text(citation: Citation, articles: dict[str, Article]) -> str:
    article = articles.get(citation.article)
    if article is None:
        return ""
    start, end = citation.span
    return article.text[start:end]


QUOTE_MARKS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'", "‹": "›", "「": "」"}
"""Opening quotation marks and the mark that closes each."""
_ANY_MARK = frozenset(QUOTE_MARKS) | frozenset(QUOTE_MARKS.values())


def _has_marks(text: str) -> bool:
    return any(ch in _ANY_MARK for ch in text)


QuoteForm = Literal["verbatim", "partly quoted", "reported"]


def bare_quote(text: str) -> str:
    """A direct quote without the marks it was written with (a renderer puts its own around it):
    ``“peace and friendship”`` reads once quoted, not twice. Marks that do not enclose the whole
    quote (``“a” and “b”``) stay."""
    text = text.strip()
    if len(text) >= 2 and QUOTE_MARKS.get(text[0]) == text[-1]:
        inner = text[1:-1]
        if text[0] not in inner and text[-1] not in inner:
            return inner.strip()
    return text


def in_marks(text: str) -> str:
    """An outlet's own wording as a report shows it: in quotation marks, unless it holds marks of
    its own (“infinite” relationship), which marks around it would turn into a quote of a quote
    (““infinite” relationship”)."""
    text = bare_quote(text)
    if _has_marks(text):
        return text
    return f"\u201c{text}\u201d"


def quote_form(quote: Quote, article: Article | None) -> tuple[QuoteForm, str]:
    """How a reader is shown ``quote``, and its text. ``verbatim``: the speaker's own words, a
    quotation of its article holding them or no marks of their own (the renderer puts quotation
    marks around the text, which has its own taken off); ``partly
    quoted``: reported speech holding some of the speaker's words in the marks it was written
    with ("said the two countries had “plenty of common objectives”"), shown as written so that
    marks enclose only what was said word for word; ``reported``: indirect speech, no marks."""
    if not quote.direct:
        return "reported", _reads_on(quote.content.strip())
    text = bare_quote(quote.content)
    inside = article is not None and in_open_quotation(article, quote.content_span)
    if inside or not _has_marks(text):
        return "verbatim", text
    return "partly quoted", _reads_on(text)


_FRAME_WORDS = frozenset(
    """a an the on in at after before during for from with by as if when while since although
    though but and so then now today yesterday tomorrow last next this that these those there
    it its some many most all both each every over under until amid despite however meanwhile
    also""".split()
)
"""Words that open a sentence and are never a name ("On Monday, the two leaders will ...")."""


def _reads_on(text: str) -> str:
    """Reported words as they read on after "said": a sentence's capital taken off its first
    word when that word is one of :data:`_FRAME_WORDS` ("said on Monday, the two leaders will
    ...", where the article wrote "On Monday, ..., according to ..."); a name keeps its capital."""
    first = text.split(maxsplit=1)[0] if text else ""
    word = first.rstrip(",;:")
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()) and word.casefold() in _FRAME_WORDS:
        return text[0].lower() + text[1:]
    return text


_REPORTING_VERBS = {
    form: past
    for past, forms in {
        "said": "said says say saying",
        "added": "added adds add adding",
        "stated": "stated states state stating",
        "claimed": "claimed claims claim claiming",
        "announced": "announced announces announce announcing",
        "urged": "urged urges urge urging",
        "warned": "warned warns warn warning",
        "reported": "reported reports report reporting",
        "wrote": "wrote writes write writing",
        "insisted": "insisted insists insist insisting",
        "argued": "argued argues argue arguing",
        "noted": "noted notes note noting",
        "stressed": "stressed stresses stress stressing",
        "confirmed": "confirmed confirms confirm confirming",
        "explained": "explained explains explain explaining",
        "described": "described describes describe describing",
    }.items()
    for form in forms.split()
}
"""Cues whose content reads on straight after them ("urged Ukraine and Russia to restart
talks", "added that ...", "described China as ..."), by the forms a text writes them in, with
the past tense a report uses. Others ("told Mr Xi that ...", "according to") take an object or
a frame the content leaves out: the report writes "said"."""


def quote_verb(quote: Quote) -> str:
    """The verb a report writes between a quote's speaker and its words: the article's own cue in
    the past tense where the content reads on after it, else "said"."""
    return _REPORTING_VERBS.get((quote.cue or "").strip().casefold(), "said")


def counted(n: int, noun: str) -> str:
    """ "1 story", "5 stories", "0 copy links": a count and its noun as a report writes them (the
    nouns they count take -s, or -ies after a consonant and y)."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1] + 'ies' if re.search(r'[^aeiou]y$', noun) else noun + 's'}"


def published_label(article: Article) -> str:
    p = article.published
    if p is None or (p.value is None and p.range is None):
        return "unknown"
    if p.value is None and p.range is not None:
        return f"{p.range[0].isoformat()} to {p.range[1].isoformat()} ({p.kind}, from {p.origin})"
    assert p.value is not None
    if p.kind == "inferred":  # a day (or days) the dates its text names fit, not a time
        first, last = p.range or (p.value.date(), p.value.date())
        days = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        return f"{days} (inferred from the days its text names, against the story's dated reports)"
    return f"{p.value.isoformat()} ({p.kind}, from {p.origin})"


def related_outlets(claim: Claim, articles: Mapping[str, Article]) -> list[str]:
    """The outlets of a claim's related statements (:attr:`~synoptic.records.Claim.related`)."""
    return list(dict.fromkeys(outlet_of(articles.get(c.article)) for c in claim.related))


ClaimKind = Literal["conflict", "corroborated", "single-source", "unconfirmed"]


def claim_kind(claim: Claim) -> ClaimKind:
    """What the views call a claim (and the CSS class of its row): ``unconfirmed`` is one outlet
    cited while another says something close that the check could neither confirm as the same
    fact nor rule out (:attr:`~synoptic.records.Claim.related`)."""
    if claim.conflicts:
        return "conflict"
    if claim.single_source:
        return "single-source"
    if claim.related and len(claim.outlets) <= 1:
        return "unconfirmed"
    return "corroborated"


def claim_status(claim: Claim, articles: Mapping[str, Article]) -> str:
    """A claim's status as the reports write it: ``conflict``, ``corroborated``, ``single
    source``, or ``unconfirmed (related: CNN)`` with the outlets it points to."""
    kind = claim_kind(claim)
    if kind == "unconfirmed":
        return f"unconfirmed (related: {', '.join(related_outlets(claim, articles))})"
    return kind.replace("-", " ")


def story_outlets(dossier: Dossier, articles: dict[str, Article]) -> list[str]:
    return sorted({outlet_of(articles.get(a)) for a in dossier.story.articles})


def event_date(event: Event) -> str:
    """An event's date in ISO 8601 at its granularity: ``2023-03-20``, ``2023-W12``, ``2022-12``,
    ``2019``, or an interval ``2023-03-20/2023-03-22``."""
    start, end = event.start, event.end
    if start == end:
        return start.isoformat()
    if event.granularity == "month":
        return start.isoformat()[:7]
    if event.granularity == "year":
        return start.isoformat()[:4]
    if event.granularity == "week" and start.isoweekday() == 1 and (end - start).days == 6:
        iso = start.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return f"{start.isoformat()}/{end.isoformat()}"


def told_beforehand(
    event: Event, articles: Mapping[str, Article]
) -> tuple[tuple[Citation, ...], tuple[Citation, ...]]:
    """An event's citations split in two: those of articles published on or after its first day
    (or undated), and those of articles published before it, which told it in advance (the
    timeline merges a plan with the later report of it done: "heads to Moscow next week" with
    "Putin welcomed Xi on Monday"). A planned event, or one that only articles from before it
    tell, keeps them all in the first; so does one where every outlet that told it beforehand
    also told it afterwards."""
    if event.planned:
        return event.citations, ()
    after: list[Citation] = []
    before: list[Citation] = []
    for c in event.citations:
        article = articles.get(c.article)
        when = article.published.value if article is not None and article.published is not None else None
        (before if when is not None and when.date() < event.start else after).append(c)
    # an outlet that also told it afterwards is credited there
    later = {articles[c.article].outlet_name for c in after if c.article in articles}
    before = [c for c in before if articles[c.article].outlet_name not in later]
    if not after or not before:
        return event.citations, ()
    return tuple(after), tuple(before)


def day_label(day: dt.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def span_label(first: dt.date, last: dt.date) -> str:
    """``21 Mar 2023``, ``17–22 Mar 2023``, ``28 Feb – 3 Mar 2023``, ``30 Dec 2022 – 2 Jan 2023``."""
    if first == last:
        return day_label(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b} {last.year}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {day_label(last)}"
    return f"{day_label(first)} – {day_label(last)}"


def date_label(first: dt.date, last: dt.date) -> str:
    """A date or interval as a reader writes it: ``20 Mar 2023``, ``20–26 Mar 2023``, ``Mar
    2023`` (a whole month), ``2023`` (a whole year)."""
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    following = last + dt.timedelta(days=1)
    if first.day == 1 and following.day == 1 and (first.year, first.month) == (last.year, last.month):
        return f"{first:%b} {first.year}"
    return span_label(first, last)


_FIGURE = re.compile(r"\d")


def with_dates(
    sentence: SummarySentence, times: Sequence[TimeExpression], articles: Mapping[str, Article]
) -> str:
    """A summary sentence with each relative date in it followed by the date it resolves to (its
    article's publication date the anchor): "heads to Moscow next week [20–26 Mar 2023]", "met
    on Monday [20 Mar 2023]". A summary mixes articles written before, during and after an event,
    so its "next week" is not the reader's. Dates written with a figure are left as they are;
    so is a sentence that is not the words of its first citation."""
    text = sentence.text
    if not sentence.citations:
        return text
    cite = sentence.citations[0]
    article = articles.get(cite.article)
    if article is None:
        return text
    cited = article.text[cite.span[0] : cite.span[1]]
    base = cite.span[0] + len(cited) - len(cited.lstrip())
    if cited.strip() != text.strip():
        return text
    taken: list[tuple[int, int]] = []
    inserts: list[tuple[int, str]] = []
    # the longest expression first: one inside another ("week" in "next week") adds nothing
    for t in sorted(times, key=lambda t: (t.span[0] - t.span[1], t.span)):
        if t.article != cite.article or t.type != "DATE" or t.start is None or t.end is None:
            continue
        at = t.span[0] - base + len(text) - len(text.lstrip())
        end = at + len(t.text)
        if at < 0 or text[at:end] != t.text or _FIGURE.search(t.text):
            continue
        if any(at < e and s < end for s, e in taken):
            continue
        taken.append((at, end))
        inserts.append((end, f" [{date_label(t.start, t.end)}]"))
    for end, label in sorted(inserts, reverse=True):
        text = text[:end] + label + text[end:]
    return text


SHOW_THRESHOLD = DossierSettings().show_threshold
"""The default views' threshold (``DossierSettings.show_threshold``)."""


OUTLET_ORIGIN_WORDS = {
    "input": "given with the input",
    "manifest": "metadata.csv",
    "metadata": "the page's own metadata",
    "table": "its domain, in the outlet table",
    "credit": "what the text credits; who published this copy is not known",
    "url": "its domain; no name known for it",
    "file": "no outlet known; the file name stands in",
}
"""How each :data:`~synoptic.records.OutletOrigin` reads to a reader."""


def outlet_details(article: Article) -> str:
    """Where the article's outlet name came from, with its domain and wire, for an article's
    metadata line: ``livemint.com; from metadata.csv; wire: ANI``."""
    outlet = article.outlet
    if outlet is None:
        return OUTLET_ORIGIN_WORDS["file"]
    parts = [outlet.domain] if outlet.domain and outlet.domain != outlet.name else []
    parts.append(f"from {OUTLET_ORIGIN_WORDS[outlet.origin]}")
    if outlet.wire:
        parts.append(f"wire: {', '.join(outlet.wire)}")
    return "; ".join(parts)
