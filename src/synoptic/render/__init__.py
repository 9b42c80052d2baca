"""Rendering of a :class:`~synoptic.records.Digest` as JSON, Markdown or HTML."""

from __future__ import annotations

from synoptic.render.html import render_html
from synoptic.render.json import digest_from_json, digest_to_json, iter_json, render_json
from synoptic.render.markdown import render_markdown

FORMATS = ("md", "json", "html")

__all__ = [
    "FORMATS",
    "digest_from_json",
    "digest_to_json",
    "iter_json",
    "render_html",
    "render_json",
    "render_markdown",
]
