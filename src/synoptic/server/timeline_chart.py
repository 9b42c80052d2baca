"""The story page's timeline: events split around the story's own window, and the chart's spec.

A story's background reaches back years ("in 2019 ...") while the story itself spans days; one
linear axis from the oldest event squeezes most of the story into its last pixels. So the
events are split by the story's *window* (the days its articles were published, with a margin):

- ``window``: events that fall inside it, drawn on a day axis with the articles' publication
  dates in one lane per outlet below them;
- ``earlier``: events that start before it (background), drawn in a separate compact strip with
  its own axis (a broken axis, in effect);
- ``later``: events after it (mostly planned ones), listed only.

The chart is a Vega-Lite spec (rendered in the browser by the vendored vega-embed, see
``static/vendor/VENDOR.md``); the page lists the same events as HTML, numbered the same, so it
reads without JavaScript. All text in the spec is data, never markup: Vega renders it as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from synoptic.records import Event
from synoptic.render.view import event_date

WINDOW_BEFORE = dt.timedelta(days=7)
"""Days before the first publication still drawn on the story's own axis: the events that led
to the reporting ("on Friday", "last week") belong to the story, older ones to its background."""
WINDOW_AFTER = dt.timedelta(days=2)
LABEL_ROOM = 118
"""Pixels kept left of each plot for the lane labels (outlet names), so the plots line up."""
TOOLTIP_CHARS = 240

OUTLET_COLOURS = ("#1a56a8", "#b0653a", "#2e7d4f", "#8a3ea8", "#b8860b", "#c2185b", "#00838f", "#5d4037")
"""One colour per outlet, in the order of the page's outlet list (``style.css`` ``.o0`` ... ``.o7``
use the same values, in the same order)."""


@dataclass(frozen=True, slots=True)
class Publication:
    outlet: str
    title: str
    day: dt.date
    inferred: bool


@dataclass(frozen=True, slots=True)
class NumberedEvent:
    number: int
    """1-based, shared by the chart and the list."""
    event: Event

    @property
    def when(self) -> str:
        """The event's date as a reader writes it, at its granularity."""
        return event_date(self.event).replace("/", " to ")


@dataclass(frozen=True, slots=True)
class Timeline:
    window: tuple[dt.date, dt.date] | None
    """The story's own days (first publication minus a margin, last plus one); None if undated."""
    in_window: tuple[NumberedEvent, ...]
    earlier: tuple[NumberedEvent, ...]
    later: tuple[NumberedEvent, ...]
    publications: tuple[Publication, ...]

    @property
    def empty(self) -> bool:
        return not (self.in_window or self.earlier or self.later or self.publications)


def split_timeline(events: Sequence[Event], publications: Sequence[Publication]) -> Timeline:
    """Number the events in date order and split them around the story's window."""
    numbered = [NumberedEvent(i, e) for i, e in enumerate(sorted(events, key=_event_key), start=1)]
    days = sorted(p.day for p in publications)
    if not days:  # no publication date at all: the events' own span is the window
        return Timeline(None, tuple(numbered), (), (), tuple(publications))
    window = (days[0] - WINDOW_BEFORE, days[-1] + WINDOW_AFTER)
    earlier = tuple(n for n in numbered if n.event.start < window[0])
    later = tuple(n for n in numbered if n.event.start > window[1])
    inside = tuple(n for n in numbered if window[0] <= n.event.start <= window[1])
    return Timeline(window, inside, earlier, later, tuple(publications))


def _event_key(event: Event) -> tuple[dt.date, dt.date, str]:
    return (event.start, event.end, event.text)


def chart_spec(timeline: Timeline, outlets: Sequence[str]) -> dict[str, Any] | None:
    """The Vega-Lite spec of the timeline: the window's events above the outlets' publication
    lane, then the background strip. None when nothing is dated."""
    views: list[dict[str, Any]] = []
    if timeline.window is not None:
        domain = [_iso(timeline.window[0]), _iso(timeline.window[1] + dt.timedelta(days=1))]
        if timeline.in_window:
            views.append(_events_view(timeline.in_window, domain, "The story's days", "day"))
        if timeline.publications:
            views.append(_publications_view(timeline.publications, outlets, domain))
    elif timeline.in_window:
        first = min(n.event.start for n in timeline.in_window)
        last = max(n.event.end for n in timeline.in_window)
        views.append(_events_view(timeline.in_window, [_iso(first), _iso(last)], "Events", "auto"))
    if timeline.earlier:
        assert timeline.window is not None  # earlier events exist only around a window
        first, last = min(n.event.start for n in timeline.earlier), timeline.window[0]
        margin = (last - first) / 40  # room for the marks at both ends
        views.append(
            _events_view(timeline.earlier, [_iso(first - margin), _iso(last + margin)], "Before", "auto")
        )
    if not views:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "vconcat": views,
        "spacing": 14,
        "config": {
            "font": "system-ui, -apple-system, Segoe UI, sans-serif",
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "labelColor": "#5f6368",
                "titleColor": "#5f6368",
            },
        },
    }


def _x_axis(domain: list[str], ticks: str) -> dict[str, Any]:
    axis: dict[str, Any] = {
        "title": None,
        "labelOverlap": "greedy",  # a label that would collide with another is left out, never overdrawn
        "labelFlush": True,  # the first and last labels stay inside the plot
        "labelPadding": 4,
        "grid": True,
        "gridColor": "#ececf0",
    }
    if ticks == "day":
        axis |= {"format": "%-d %b", "tickCount": "day"}
    # the domain as Vega-Lite date-time objects: ISO strings are parsed in some layers only
    bounds = [dt.date.fromisoformat(d) for d in domain]
    scale = {"domain": [{"year": d.year, "month": d.month, "date": d.day} for d in bounds]}
    return {"field": "start", "type": "temporal", "scale": scale, "axis": axis}


def _events_view(
    events: Sequence[NumberedEvent], domain: list[str], title: str, ticks: str
) -> dict[str, Any]:
    first, last = dt.date.fromisoformat(domain[0]), dt.date.fromisoformat(domain[1])
    rows = _stack_rows(events, gap=dt.timedelta(days=max(2, (last - first).days // 16)))
    values = [
        {
            "n": n.number,
            "start": _iso(n.event.start),
            "end": _iso(n.event.end + dt.timedelta(days=1)),
            "ranged": n.event.end > n.event.start,
            "planned": n.event.planned,
            "row": rows[n.number],
            "when": n.when + (" (planned)" if n.event.planned else ""),
            "text": _short(n.event.text),
        }
        for n in events
    ]
    y = {
        "field": "row",
        "type": "ordinal",
        "axis": {
            "title": title,
            "labels": False,
            "ticks": False,
            "domain": False,
            "minExtent": LABEL_ROOM,
            "maxExtent": LABEL_ROOM,
        },
    }
    tooltip = [{"field": "when", "title": "date"}, {"field": "text", "title": "event"}]
    layers: list[dict[str, Any]] = []
    if any(v["ranged"] for v in values):  # a range (a week, a month) as a bar under its mark
        layers.append(
            {
                "transform": [{"filter": "datum.ranged"}],
                "mark": {"type": "bar", "cornerRadius": 4, "height": 10, "opacity": 0.35, "clip": True},
                "encoding": {"x2": {"field": "end"}},
            }
        )
    layers += [
        {
            "mark": {"type": "circle", "size": 250, "clip": True, "color": "#1a56a8"},
            # a planned event is drawn faint: it had not happened when the articles were written
            "encoding": {"opacity": {"condition": {"test": "datum.planned", "value": 0.4}, "value": 1}},
        },
        {
            "mark": {"type": "text", "fontSize": 10, "fontWeight": "bold", "color": "#fff", "clip": True},
            "encoding": {"text": {"field": "n"}},
        },
    ]
    return {
        "height": {"step": 20 if ticks == "day" else 17},
        "data": {"values": values},
        "encoding": {"x": _x_axis(domain, ticks), "y": y, "tooltip": tooltip},
        "layer": layers,
    }


def _publications_view(
    publications: Sequence[Publication], outlets: Sequence[str], domain: list[str]
) -> dict[str, Any]:
    values = [
        {
            "outlet": p.outlet,
            "start": _iso(p.day),
            "title": _short(p.title),
            "when": _iso(p.day) + (" (inferred)" if p.inferred else ""),
            "inferred": p.inferred,
        }
        for p in publications
    ]
    order = list(dict.fromkeys(outlets))
    palette = [OUTLET_COLOURS[i % len(OUTLET_COLOURS)] for i in range(len(order))]
    colours = {
        "field": "outlet",
        "type": "nominal",
        "scale": {"domain": order, "range": palette},
        "legend": None,
    }
    return {
        "height": {"step": 20},
        "data": {"values": values},
        "mark": {"type": "square", "size": 110, "clip": True, "strokeWidth": 2},
        "encoding": {
            "x": _x_axis(domain, "day"),
            "y": {
                "field": "outlet",
                "type": "nominal",
                "sort": order,
                "title": None,
                "axis": {
                    "labelLimit": LABEL_ROOM - 8,
                    "minExtent": LABEL_ROOM,
                    "maxExtent": LABEL_ROOM,
                    "ticks": False,
                    "domain": False,
                },
            },
            "fill": colours,
            "stroke": colours,
            # an inferred date is drawn hollow: the reader sees it is an estimate
            "fillOpacity": {"condition": {"test": "datum.inferred", "value": 0}, "value": 1},
            "tooltip": [
                {"field": "outlet", "title": "outlet"},
                {"field": "when", "title": "published"},
                {"field": "title", "title": "headline"},
            ],
        },
    }


def _stack_rows(events: Sequence[NumberedEvent], gap: dt.timedelta) -> dict[int, int]:
    """A row per event so that events on close days do not hide each other: each event takes
    the first row whose last event ended ``gap`` or more before it starts (``gap``: about the
    days one mark covers on a phone-wide plot)."""
    ends: list[dt.date] = []
    rows: dict[int, int] = {}
    for n in sorted(events, key=lambda n: (n.event.start, n.number)):
        for row, end in enumerate(ends):
            if end + gap <= n.event.start:
                ends[row] = n.event.end
                rows[n.number] = row
                break
        else:
            rows[n.number] = len(ends)
            ends.append(n.event.end)
    return rows


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TOOLTIP_CHARS else text[: TOOLTIP_CHARS - 1].rstrip() + "…"
