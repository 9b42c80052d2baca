"""Server-rendered web pages: story list, story page, article page.

Templates (``server/templates``) get plain view objects built here, so the templates hold no
logic beyond loops. Autoescaping is on for every template and no article-derived value is ever
marked safe: the only :class:`~markupsafe.Markup` built here wraps text that was escaped first
(search snippets, whose match marks become ``<mark>``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from synoptic.records import Article, Citation, CopyLink, Dossier, Event, Quote, with_inferred
from synoptic.render.shown import shown_dossier
from synoptic.render.view import (
    ClaimKind,
    QuoteForm,
    claim_kind,
    counted,
    day_label,
    in_marks,
    quote_form,
    span_label,
    told_beforehand,
    with_dates,
)
from synoptic.server.common import ApiError, context, parse_when, story_digest, story_query
from synoptic.server.timeline_chart import (
    OUTLET_COLOURS,
    NumberedEvent,
    Publication,
    chart_spec,
    split_timeline,
)
from synoptic.store.base import MARK_END, MARK_START

router = APIRouter(include_in_schema=False)

PAGE_PREFIXES = ("/story/", "/article/")


def is_page(request: Request) -> bool:
    path = request.url.path
    return path == "/" or path.startswith(PAGE_PREFIXES)


def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("synoptic.server", "templates"),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.tests["web_url"] = is_web_url
    env.filters["day"] = lambda v: (v or "")[:10] or "unknown"
    env.globals["CITES_SHOWN"] = CITES_SHOWN
    env.globals["counted"] = counted
    return env


def is_web_url(url: object) -> bool:
    """Only http(s) URLs become links (an article's ``url`` may be ``javascript:...``)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def highlight(snippet: str) -> Markup:
    """Escape a search snippet, then turn its match marks into ``<mark>`` elements."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    env = context(request).templates
    html = env.get_template(template).render(**values)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", status=status, status_code=status, message=message)


# --------------------------------------------------------------------------- view objects


@dataclass(frozen=True, slots=True)
class CiteView:
    article: str
    outlet: str
    colour: int
    """The outlet's colour index (``.o0`` ... in style.css, the chart's lanes)."""
    title: str
    text: str
    """The cited source text (the span the citation points at)."""
    href: str


def cite_view(citation: Citation, arts: Mapping[str, Article], colours: Mapping[str, int]) -> CiteView:
    article = arts.get(citation.article)
    start, end = citation.span
    text = article.text[start:end] if article is not None and 0 <= start < end <= len(article.text) else ""
    query = urlencode({"s": start, "e": end}) if text else ""
    outlet = article.outlet_name if article is not None else "?"
    return CiteView(
        article=citation.article,
        outlet=outlet,
        colour=colours.get(outlet, 0) % len(OUTLET_COLOURS),
        title=(article.title or "(untitled)") if article is not None else "(article not stored)",
        text=text,
        href=f"/article/{citation.article}" + (f"?{query}#cite" if query else ""),
    )


@dataclass(frozen=True, slots=True)
class HeadlineView:
    article: str
    outlet: str
    colour: int
    title: str
    published: str
    """As a reader reads it: ``21 Mar 2023``, ``17-18 Mar 2023 (inferred)``, ``date unknown``."""


@dataclass(frozen=True, slots=True)
class Coverage:
    outlet: str
    colour: int
    articles: int


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    number: int
    when: str
    text: str
    planned: bool
    cites: tuple[CiteView, ...]
    beforehand: tuple[CiteView, ...] = ()
    """Outlets that told the event before it happened (:func:`~synoptic.render.view.told_beforehand`)."""


@dataclass(frozen=True, slots=True)
class TimelineView:
    window: str
    """The story's own days, e.g. ``10-24 Mar 2023`` ('' when nothing is dated)."""
    in_window: tuple[TimelineEntry, ...]
    earlier: tuple[TimelineEntry, ...]
    later: tuple[TimelineEntry, ...]
    spec: Mapping[str, Any] | None
    """The Vega-Lite chart (drawn by app.js); None when there is nothing to draw."""

    @property
    def empty(self) -> bool:
        return not (self.in_window or self.earlier or self.later)


@dataclass(frozen=True, slots=True)
class QuoteView:
    content: str
    form: QuoteForm
    """:func:`~synoptic.render.view.quote_form`: verbatim, partly quoted or reported."""
    cue: str | None
    confidence: float
    cite: CiteView


@dataclass(frozen=True, slots=True)
class SpeakerView:
    speaker: str
    first: tuple[QuoteView, ...]
    """The most confident quotes, shown at once."""
    more: tuple[QuoteView, ...]
    """The others, behind a "more" toggle."""

    @property
    def count(self) -> int:
        return len(self.first) + len(self.more)


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str
    """``""`` (not reported), ``reports``, ``conflict`` or ``related`` (a related statement the
    check could not confirm, beside a claim one other outlet is cited for)."""
    values: tuple[str, ...] = ()
    cite: CiteView | None = None
    outlet: str = ""


@dataclass(frozen=True, slots=True)
class ClaimRow:
    text: str
    status: ClaimKind
    cells: tuple[Cell, ...]
    conflicts: tuple[tuple[str, tuple[tuple[str, tuple[CiteView, ...]], ...]], ...]


@dataclass(frozen=True, slots=True)
class OutletView:
    outlet: str
    colour: int
    articles: tuple[HeadlineView, ...]
    unique: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    wording: tuple[tuple[str, CiteView], ...] = ()
    """The outlet's own phrases as shown (:func:`~synoptic.render.view.in_marks`), each cited."""


@dataclass(frozen=True, slots=True)
class CopyView:
    kind: str
    evidence: str
    original: CiteView
    copy: CiteView
    score: float


@dataclass(frozen=True, slots=True)
class StoryView:
    id: str
    label: str
    dates: str
    """The days the story's articles span (``17-22 Mar 2023``); '' when none is dated."""
    dates_inferred: bool
    """Some of those days are inferred publication dates."""
    articles: int
    outlets: tuple[str, ...]
    coverage: tuple[Coverage, ...]
    merged_from: tuple[str, ...]
    summary: tuple[tuple[str, tuple[CiteView, ...]], ...]
    """Each sentence with one citation per outlet that supports it."""
    headlines: tuple[HeadlineView, ...]
    """One per outlet (its earliest article), in the order of ``outlets``."""
    timeline: TimelineView
    speakers: tuple[SpeakerView, ...]
    more_speakers: tuple[SpeakerView, ...]
    key_claims: tuple[ClaimRow, ...]
    """Corroborated and conflicting claims: what the grid shows by default."""
    other_claims: tuple[ClaimRow, ...]
    """Single-source and unconfirmed claims, behind "show all"."""
    claim_grid: bool
    """Claims as a grid with a column per outlet (at most :data:`GRID_OUTLETS` outlets), else as
    a list of the outlets that report each."""
    outlet_views: tuple[OutletView, ...]
    copies: tuple[CopyView, ...]
    """The first :data:`COPIES_SHOWN` copy links (all of them are in the dossier JSON)."""
    copy_kinds: tuple[tuple[str, int], ...]
    """How many copy links of each kind the story has, most first."""
    entities: tuple[tuple[str, str, tuple[str, ...]], ...]
    warnings: tuple[str, ...]


QUOTES_PER_SPEAKER = 2
"""Quotes of one speaker shown before "more": the page stays a few screens long."""
SPEAKERS_SHOWN = 6
"""Speakers shown before "more speakers" (those quoted most; the rest one click away)."""
GRID_OUTLETS = 12
"""The claim grid has a column per outlet up to this many outlets; a story of more (the largest
of the 100k benchmark store has 200) lists each claim's reporting outlets instead: a grid of 325
claims by 200 outlets was 6.3 MB of HTML that no one reads across."""
CITES_SHOWN = 8
"""Outlets cited by name for one claim (or one side of a conflict) in the list, then a count."""
COPIES_SHOWN = 40
"""Copy links listed on the page: a large story's copies run to tens of thousands (50,363 for
the largest story of the 100k benchmark store, 21 MB of HTML); the counts per kind say how many."""


def story_view(
    dossier: Dossier,
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    copy_kinds: Mapping[str, int] | None = None,
) -> StoryView:
    """The story page's view of a dossier: what the default views show (docs/confidence.md).
    ``articles`` as :func:`~synoptic.server.common.story_digest` gives them: undated ones already
    carry the date their story inferred. ``copy_kinds``: the count of the story's copy links of
    each kind, when ``copies`` are only the first of them."""
    dossier = shown_dossier(dossier)
    arts = {a.id: a for a in articles}
    # undated articles last (the empty date string put them first, ahead of the first to publish)
    ordered = tuple(sorted(articles, key=lambda a: (a.publication_key, a.outlet_name, a.id)))
    outlets = tuple(dict.fromkeys(a.outlet_name for a in ordered))  # first to publish first
    colours = {o: i for i, o in enumerate(outlets)}

    def cites(citations: Sequence[Citation]) -> tuple[CiteView, ...]:
        return tuple(cite_view(c, arts, colours) for c in citations)

    headlines = {a.id: headline_view(a, colours) for a in ordered}
    days = [d for a in ordered if (d := publication_day(a)) is not None]
    summary = tuple(
        (with_dates(s, dossier.times, arts), one_per_outlet(cites(s.citations))) for s in dossier.summary
    )
    speakers = speaker_views(dossier.quotes, arts, colours)
    claims = claim_rows(dossier, arts, outlets, colours)
    return StoryView(
        id=dossier.story.id,
        label=dossier.story.label or (ordered[0].title if ordered and ordered[0].title else dossier.story.id),
        dates=span_label(min(days), max(days)) if days else "",
        dates_inferred=any(a.published is not None and a.published.kind == "inferred" for a in ordered),
        articles=len(ordered),
        outlets=outlets,
        coverage=tuple(
            Coverage(o, colours[o] % len(OUTLET_COLOURS), sum(a.outlet_name == o for a in ordered))
            for o in outlets
        ),
        merged_from=dossier.story.merged_from,
        summary=summary,
        headlines=tuple(next(headlines[a.id] for a in ordered if a.outlet_name == o) for o in outlets),
        timeline=timeline_view(dossier.timeline, ordered, outlets, cites),
        speakers=speakers[:SPEAKERS_SHOWN],
        more_speakers=speakers[SPEAKERS_SHOWN:],
        key_claims=tuple(r for r in claims if r.status in ("conflict", "corroborated")),
        other_claims=tuple(r for r in claims if r.status not in ("conflict", "corroborated")),
        claim_grid=len(outlets) <= GRID_OUTLETS,
        outlet_views=outlet_views(dossier, ordered, outlets, headlines, arts, colours),
        copies=tuple(
            CopyView(
                kind=c.kind,
                evidence=c.evidence,
                original=cite_view(Citation(c.a, (0, 0)), arts, colours),
                copy=cite_view(Citation(c.b, (0, 0)), arts, colours),
                score=c.score,
            )
            for c in copies[:COPIES_SHOWN]
        ),
        copy_kinds=tuple(
            sorted((copy_kinds or Counter(c.kind for c in copies)).items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        entities=tuple((e.name, e.kind, e.aliases) for e in dossier.entities),
        warnings=dossier.warnings,
    )


def one_per_outlet(cites: Sequence[CiteView]) -> tuple[CiteView, ...]:
    """The first citation of each outlet: a sentence is credited to outlets, not to copies."""
    seen: dict[str, CiteView] = {}
    for c in cites:
        seen.setdefault(c.outlet, c)
    return tuple(seen.values())


def headline_view(article: Article, colours: Mapping[str, int]) -> HeadlineView:
    return HeadlineView(
        article=article.id,
        outlet=article.outlet_name,
        colour=colours.get(article.outlet_name, 0) % len(OUTLET_COLOURS),
        title=article.title or "(untitled)",
        published=published_short(article),
    )


def timeline_view(
    events: Sequence[Event],
    ordered: Sequence[Article],
    outlets: Sequence[str],
    cites: Callable[[Sequence[Citation]], tuple[CiteView, ...]],
) -> TimelineView:
    publications = [
        Publication(a.outlet_name, a.title or "(untitled)", day, a.published.kind == "inferred")
        for a in ordered
        if (day := publication_day(a)) is not None and a.published is not None
    ]
    split = split_timeline(events, publications)

    by_id = {a.id: a for a in ordered}

    def entry(n: NumberedEvent) -> TimelineEntry:
        told, ahead = told_beforehand(n.event, by_id)  # no outlet in both
        return TimelineEntry(
            n.number,
            n.when,
            n.event.text,
            n.event.planned,
            one_per_outlet(cites(told)),
            one_per_outlet(cites(ahead)),
        )

    def entries(numbered: Sequence[NumberedEvent]) -> tuple[TimelineEntry, ...]:
        return tuple(entry(n) for n in numbered)

    return TimelineView(
        window=span_label(*split.window) if split.window else "",
        in_window=entries(split.in_window),
        earlier=entries(split.earlier),
        later=entries(split.later),
        spec=chart_spec(split, outlets),
    )


def speaker_views(
    quotes: Sequence[Quote], arts: Mapping[str, Article], colours: Mapping[str, int]
) -> tuple[SpeakerView, ...]:
    """Quotes grouped by speaker, most quoted first; each speaker's most confident quotes first."""
    by_speaker: dict[str, list[QuoteView]] = {}
    for q in quotes:
        form, text = quote_form(q, arts.get(q.article))
        view = QuoteView(
            content=text,
            form=form,
            cue=q.cue,
            confidence=q.confidence,
            cite=cite_view(Citation(q.article, q.content_span), arts, colours),
        )
        by_speaker.setdefault(q.speaker or "unknown speaker", []).append(view)
    speakers = []
    for name, views in by_speaker.items():
        views.sort(key=lambda v: (-v.confidence, v.form == "reported"))
        speakers.append(
            SpeakerView(name, tuple(views[:QUOTES_PER_SPEAKER]), tuple(views[QUOTES_PER_SPEAKER:]))
        )
    speakers.sort(key=lambda s: (s.speaker == "unknown speaker", -s.count, -s.first[0].confidence, s.speaker))
    return tuple(speakers)


def claim_rows(
    dossier: Dossier, arts: Mapping[str, Article], outlets: Sequence[str], colours: Mapping[str, int]
) -> tuple[ClaimRow, ...]:
    """The claim x outlet grid's rows: conflicts first, then the claims most outlets report."""
    rows = []
    for claim in dossier.claims:
        conflict_values: dict[str, list[str]] = {}
        for conflict in claim.conflicts:
            for side in conflict.sides:
                for c in side.citations:
                    name = arts[c.article].outlet_name if c.article in arts else "?"
                    conflict_values.setdefault(name, []).append(side.value)
        related: dict[str, Citation] = {}
        for c in claim.related:
            if c.article in arts:
                related.setdefault(arts[c.article].outlet_name, c)
        cells = []
        for outlet in outlets:
            cited = [
                c for c in claim.citations if c.article in arts and arts[c.article].outlet_name == outlet
            ]
            cite = cite_view(cited[0], arts, colours) if cited else None
            if outlet in conflict_values:
                cells.append(Cell("conflict", tuple(dict.fromkeys(conflict_values[outlet])), cite, outlet))
            elif cite is not None or outlet in claim.outlets:
                cells.append(Cell("reports", (), cite, outlet))
            elif outlet in related:
                cells.append(Cell("related", (), cite_view(related[outlet], arts, colours), outlet))
            else:
                cells.append(Cell("", outlet=outlet))
        status = claim_kind(claim)
        conflicts = tuple(
            (
                k.what,
                tuple((s.value, tuple(cite_view(c, arts, colours) for c in s.citations)) for s in k.sides),
            )
            for k in claim.conflicts
        )
        rows.append(ClaimRow(claim.text, status, tuple(cells), conflicts))
    rows.sort(
        key=lambda r: (r.status != "conflict", -sum(c.kind in ("reports", "conflict") for c in r.cells))
    )
    return tuple(rows)


def outlet_views(
    dossier: Dossier,
    ordered: Sequence[Article],
    outlets: Sequence[str],
    headlines: Mapping[str, HeadlineView],
    arts: Mapping[str, Article],
    colours: Mapping[str, int],
) -> tuple[OutletView, ...]:
    claims = {c.id: c.text for c in dossier.claims}
    reports = {o.outlet: o for o in dossier.outlets}
    views = []
    for outlet in [*outlets, *sorted(set(reports) - set(outlets))]:
        report = reports.get(outlet)
        views.append(
            OutletView(
                outlet=outlet,
                colour=colours.get(outlet, 0) % len(OUTLET_COLOURS),
                articles=tuple(headlines[a.id] for a in ordered if a.outlet_name == outlet),
                unique=tuple(claims.get(c, c) for c in report.unique_claims) if report else (),
                missing=tuple(claims.get(c, c) for c in report.missing_claims) if report else (),
                wording=tuple(
                    (in_marks(w.text), cite_view(w.citation, arts, colours)) for w in report.wording
                )
                if report
                else (),
            )
        )
    return tuple(views)


def publication_day(article: Article) -> dt.date | None:
    """The day an article came out: its own date, else the first day of its inferred range."""
    p = article.published
    if p is None:
        return None
    if p.value is not None:
        return p.value.date()
    return p.range[0] if p.range is not None else None


def published_short(article: Article) -> str:
    """An article's date as a reader reads it, with how it is known when it is not plainly the
    publication date."""
    p = article.published
    day = publication_day(article)
    if p is None or day is None:
        return "date unknown"
    if p.kind == "inferred":
        lo, hi = p.range if p.range is not None else (day, day)
        return f"{span_label(lo, hi)} (inferred)"
    if p.kind == "updated":
        return f"{day_label(day)} (updated)"
    return day_label(day)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    marked: bool


def paragraphs_with_mark(article: Article, start: int | None, end: int | None) -> list[list[Segment]]:
    """The article's paragraphs as segments, the span ``[start, end)`` marked (when valid)."""
    span = (
        (start, end)
        if start is not None and end is not None and 0 <= start < end <= len(article.text)
        else None
    )
    out: list[list[Segment]] = []
    for p0, p1 in article.paragraph_spans():
        para = article.text[p0:p1]
        if span is None or span[1] <= p0 or span[0] >= p1:
            out.append([Segment(para, False)])
            continue
        s, e = max(span[0], p0) - p0, min(span[1], p1) - p0
        segs = [Segment(para[:s], False), Segment(para[s:e], True), Segment(para[e:], False)]
        out.append([seg for seg in segs if seg.text])
    return out


# --------------------------------------------------------------------------- routes


@router.get("/", response_class=HTMLResponse)
def story_list_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=500)] = None,
    since: str | None = None,
    until: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    ctx = context(request)
    size = ctx.settings.server.page_size
    query = story_query(ctx, size, (page - 1) * size, since, until, q)
    result = ctx.store.list_stories(query)
    hits = ctx.store.search(q, limit=10) if q else []

    def link(n: int) -> str:
        params = {k: v for k, v in {"q": q, "since": since, "until": until, "page": n}.items() if v}
        return "/?" + urlencode(params)

    return render(
        request,
        "stories.html",
        page=result,
        hits=hits,
        q=q or "",
        since=since or "",
        until=until or "",
        prev_link=link(page - 1) if page > 1 else None,
        next_link=link(page + 1) if query.offset + len(result.stories) < result.total else None,
        articles=ctx.store.article_count(),
    )


@router.get("/story/{story_id}", response_class=HTMLResponse, response_model=None)
def story_page(request: Request, story_id: str) -> Response:
    ctx = context(request)
    digest, current = story_digest(ctx.store, story_id, copies=COPIES_SHOWN)
    if current != story_id:
        return RedirectResponse(f"/story/{current}", status_code=308)
    kinds = ctx.store.copy_kinds_among(digest.dossiers[0].story.articles)
    view = story_view(digest.dossiers[0], digest.articles, digest.copies, kinds)
    return render(request, "story.html", story=view)


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: str,
    s: Annotated[int | None, Query(ge=0)] = None,
    e: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    ctx = context(request)
    article = ctx.store.get_article(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}")
    story = ctx.store.story_of(article_id)
    dossier = ctx.store.get_dossier(story) if story is not None else None
    if dossier is not None:  # an undated article shows the date its story inferred
        article = with_inferred([article], dossier.published)[0]
    return render(
        request,
        "article.html",
        article=article,
        paragraphs=paragraphs_with_mark(article, s, e),
        published=published_short(article),
        source_name=source_name(article.source),
        story=story,
    )


def source_name(source: str) -> str:
    """Where an article was read from, as the page shows it: the file name (and record number)
    without the directories of the machine that read it."""
    path, sep, record = source.partition("#")
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return (name or path) + sep + record


__all__ = ["is_page", "parse_when", "render_error", "router", "template_environment"]
