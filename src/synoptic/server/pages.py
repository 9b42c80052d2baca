"""Server-rendered web pages: story list, story page, article page.

Templates (``server/templates``) get plain view objects built here, so the templates hold no
logic beyond loops. Autoescaping is on for every template and no article-derived value is ever
marked safe: the only :class:`~markupsafe.Markup` built here wraps text that was escaped first
(search snippets, whose match marks become ``<mark>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from synoptic.records import Article, Citation, CopyLink, Dossier, Event
from synoptic.render.shown import shown_dossier
from synoptic.render.view import event_date, published_label
from synoptic.server.common import ApiError, context, parse_when, story_digest, story_query
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
    title: str
    text: str
    """The cited source text (the sentence the citation points at)."""
    href: str


def cite_view(citation: Citation, arts: Mapping[str, Article]) -> CiteView:
    article = arts.get(citation.article)
    start, end = citation.span
    text = article.text[start:end] if article is not None and 0 <= start < end <= len(article.text) else ""
    query = urlencode({"s": start, "e": end}) if text else ""
    return CiteView(
        article=citation.article,
        outlet=article.outlet_name if article is not None else "?",
        title=(article.title or "(untitled)") if article is not None else "(article not stored)",
        text=text,
        href=f"/article/{citation.article}" + (f"?{query}#cite" if query else ""),
    )


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    y: float
    number: int
    label: str
    date: str
    width: float = 0.0
    planned: bool = False

    @property
    def short(self) -> str:
        """The label cut to fit beside its mark."""
        text = " ".join(self.label.split())
        return text if len(text) <= CHART_LABEL else text[: CHART_LABEL - 1].rstrip() + "…"

    @property
    def label_right(self) -> bool:
        """Labels go right of marks on the left part of the chart, left of the others."""
        return self.x + self.width < CHART_WIDTH * 0.55


@dataclass(frozen=True, slots=True)
class Chart:
    """A timeline laid out for an inline SVG: one row per event, x by date."""

    width: int
    height: int
    events: tuple[Mark, ...]
    publications: tuple[Mark, ...]
    ticks: tuple[tuple[float, str], ...]
    axis_y: float
    pub_y: float


CHART_WIDTH = 800
CHART_LEFT = 40
CHART_RIGHT = 40
ROW = 22
MAX_CHART_EVENTS = 40
CHART_LABEL = 48


def timeline_chart(events: Sequence[Event], articles: Sequence[Article]) -> Chart | None:
    """Events (circles; ranges as bars; planned hollow) and article publications (ticks) on one
    date axis. None when there is nothing dated."""
    pubs: list[tuple[dt.date, Article]] = []
    for a in articles:
        if a.published is not None and a.published.value is not None:
            pubs.append((a.published.value.date(), a))
    shown = list(events[:MAX_CHART_EVENTS])
    dates = [e.start for e in shown] + [e.end for e in shown] + [d for d, _ in pubs]
    if not dates:
        return None
    lo, hi = min(dates), max(dates)
    span = max((hi - lo).days, 1)
    inner = CHART_WIDTH - CHART_LEFT - CHART_RIGHT

    def x(day: dt.date) -> float:
        if lo == hi:
            return CHART_LEFT + inner / 2
        return round(CHART_LEFT + inner * (day - lo).days / span, 1)

    marks = []
    for i, e in enumerate(shown):
        x0, x1 = x(e.start), x(e.end)
        when = event_date(e).replace("/", " to ")
        marks.append(
            Mark(
                x=x0,
                y=20 + i * ROW,
                number=i + 1,
                label=e.text,
                date=when,
                width=round(x1 - x0, 1),
                planned=e.planned,
            )
        )
    axis_y = 20 + len(shown) * ROW + 4
    pub_y = axis_y + 30
    publications = tuple(
        Mark(
            x=x(d),
            y=pub_y,
            number=n + 1,
            label=f"{a.outlet_name}: {a.title or '(untitled)'}",
            date=d.isoformat(),
        )
        for n, (d, a) in enumerate(sorted(pubs, key=lambda p: (p[0], p[1].id)))
    )
    ticks = [(x(lo), lo.isoformat())]
    if hi != lo:
        if span >= 4:
            mid = lo + dt.timedelta(days=span // 2)
            ticks.append((x(mid), mid.isoformat()))
        ticks.append((x(hi), hi.isoformat()))
    return Chart(
        width=CHART_WIDTH,
        height=int(pub_y + 20),
        events=tuple(marks),
        publications=publications,
        ticks=tuple(ticks),
        axis_y=axis_y,
        pub_y=pub_y,
    )


@dataclass(frozen=True, slots=True)
class QuoteView:
    content: str
    direct: bool
    cue: str | None
    cite: CiteView


@dataclass(frozen=True, slots=True)
class SpeakerView:
    speaker: str
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str
    """``""`` (not reported), ``reports`` or ``conflict``."""
    values: tuple[str, ...] = ()
    cites: tuple[CiteView, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimRow:
    text: str
    status: str
    """``corroborated``, ``single-source`` or ``conflict``."""
    cells: tuple[Cell, ...]
    conflicts: tuple[tuple[str, tuple[tuple[str, tuple[CiteView, ...]], ...]], ...]


@dataclass(frozen=True, slots=True)
class OutletView:
    outlet: str
    articles: tuple[Article, ...]
    unique: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    wording: tuple[tuple[str, CiteView], ...] = ()


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
    articles: tuple[Article, ...]
    outlets: tuple[str, ...]
    first_seen: str
    last_seen: str
    merged_from: tuple[str, ...]
    summary: tuple[tuple[str, tuple[CiteView, ...]], ...]
    chart: Chart | None
    timeline: tuple[tuple[Mark, tuple[CiteView, ...]], ...]
    speakers: tuple[SpeakerView, ...]
    matrix: tuple[ClaimRow, ...]
    outlet_views: tuple[OutletView, ...]
    copies: tuple[CopyView, ...]
    entities: tuple[tuple[str, str, tuple[str, ...]], ...]
    warnings: tuple[str, ...]
    published: Mapping[str, str] = field(default_factory=dict)


def story_view(dossier: Dossier, articles: Sequence[Article], copies: Sequence[CopyLink]) -> StoryView:
    """The story page's view of a dossier: what the default views show (docs/confidence.md)."""
    dossier = shown_dossier(dossier)
    arts = {a.id: a for a in articles}
    ordered = tuple(sorted(articles, key=lambda a: (published_key(a), a.outlet_name, a.id)))
    outlets = tuple(sorted({a.outlet_name for a in articles}))

    def cites(citations: Sequence[Citation]) -> tuple[CiteView, ...]:
        return tuple(cite_view(c, arts) for c in citations)

    events = dossier.timeline
    chart = timeline_chart(events, ordered)
    timeline = tuple(
        (mark, cites(event.citations))
        for mark, event in zip(chart.events if chart else (), events, strict=False)
    )
    speakers: dict[str, list[QuoteView]] = {}
    for q in dossier.quotes:
        view = QuoteView(q.content, q.direct, q.cue, cite_view(Citation(q.article, q.content_span), arts))
        speakers.setdefault(q.speaker or "unknown speaker", []).append(view)
    speaker_views = tuple(
        SpeakerView(name, tuple(quotes))
        for name, quotes in sorted(speakers.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    claims_by_id = {c.id: c for c in dossier.claims}
    matrix = []
    for claim in dossier.claims:
        cells = []
        conflict_outlets: dict[str, list[str]] = {}
        for conflict in claim.conflicts:
            for side in conflict.sides:
                for c in side.citations:
                    name = arts[c.article].outlet_name if c.article in arts else "?"
                    conflict_outlets.setdefault(name, []).append(side.value)
        for outlet in outlets:
            outlet_cites = tuple(
                cite_view(c, arts)
                for c in claim.citations
                if c.article in arts and arts[c.article].outlet_name == outlet
            )
            if outlet in conflict_outlets:
                cells.append(Cell("conflict", tuple(dict.fromkeys(conflict_outlets[outlet])), outlet_cites))
            elif outlet_cites or outlet in claim.outlets:
                cells.append(Cell("reports", (), outlet_cites))
            else:
                cells.append(Cell(""))
        status = (
            "conflict" if claim.conflicts else ("single-source" if claim.single_source else "corroborated")
        )
        conflicts = tuple(
            (k.what, tuple((s.value, cites(s.citations)) for s in k.sides)) for k in claim.conflicts
        )
        matrix.append(ClaimRow(claim.text, status, tuple(cells), conflicts))
    reports = {o.outlet: o for o in dossier.outlets}
    outlet_views = []
    for outlet in sorted(set(outlets) | set(reports)):
        report = reports.get(outlet)
        outlet_views.append(
            OutletView(
                outlet=outlet,
                articles=tuple(a for a in ordered if a.outlet_name == outlet),
                unique=tuple(claims_by_id[c].text if c in claims_by_id else c for c in report.unique_claims)
                if report
                else (),
                missing=tuple(claims_by_id[c].text if c in claims_by_id else c for c in report.missing_claims)
                if report
                else (),
                wording=tuple((w.text, cite_view(w.citation, arts)) for w in report.wording)
                if report
                else (),
            )
        )
    copy_views = tuple(
        CopyView(
            kind=c.kind,
            evidence=c.evidence,
            original=cite_view(Citation(c.a, (0, 0)), arts),
            copy=cite_view(Citation(c.b, (0, 0)), arts),
            score=c.score,
        )
        for c in copies
    )
    dates = [published_key(a) for a in ordered if published_key(a)]
    return StoryView(
        id=dossier.story.id,
        label=dossier.story.label or (ordered[0].title if ordered and ordered[0].title else dossier.story.id),
        articles=ordered,
        outlets=outlets,
        first_seen=dates[0][:10] if dates else "",
        last_seen=dates[-1][:10] if dates else "",
        merged_from=dossier.story.merged_from,
        summary=tuple((s.text, cites(s.citations)) for s in dossier.summary),
        chart=chart,
        timeline=timeline,
        speakers=speaker_views,
        matrix=tuple(matrix),
        outlet_views=tuple(outlet_views),
        copies=copy_views,
        entities=tuple((e.name, e.kind, e.aliases) for e in dossier.entities),
        warnings=dossier.warnings,
        published={a.id: published_label(a) for a in ordered},
    )


def published_key(article: Article) -> str:
    p = article.published
    if p is None or p.value is None:
        return ""
    value = p.value if p.value.tzinfo else p.value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


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
    digest, current = story_digest(ctx.store, story_id)
    if current != story_id:
        return RedirectResponse(f"/story/{current}", status_code=308)
    view = story_view(digest.dossiers[0], digest.articles, digest.copies)
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
    return render(
        request,
        "article.html",
        article=article,
        paragraphs=paragraphs_with_mark(article, s, e),
        published=published_label(article),
        story=ctx.store.story_of(article_id),
    )


__all__ = ["is_page", "parse_when", "render_error", "router", "template_environment"]
