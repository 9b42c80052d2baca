"""Stand-alone HTML report of a digest (Jinja2 with autoescaping on: article text is untrusted)."""

from __future__ import annotations

import jinja2

from synoptic.records import Digest
from synoptic.render.shown import SHOW_THRESHOLD, shown_digest
from synoptic.render.view import (
    articles_by_id,
    cited_text,
    claim_kind,
    claim_status,
    counted,
    event_date,
    in_marks,
    outlet_details,
    outlet_of,
    published_label,
    quote_form,
    quote_verb,
    story_outlets,
    told_beforehand,
    with_dates,
)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("synoptic.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        outlet_of=outlet_of,
        outlet_details=outlet_details,
        published_label=published_label,
        cited_text=cited_text,
        claim_kind=claim_kind,
        claim_status=claim_status,
        counted=counted,
        story_outlets=story_outlets,
        event_date=event_date,
        quote_form=quote_form,
        in_marks=in_marks,
        quote_verb=quote_verb,
        with_dates=with_dates,
        told_beforehand=told_beforehand,
    )
    return env


def render_html(digest: Digest, threshold: float = SHOW_THRESHOLD) -> str:
    """The report a reader sees: items below ``threshold`` confidence are left out.

    Args:
        digest: What :func:`synoptic.digest` returned (or a stored story as a one-story digest).
        threshold: Least ``confidence`` of the quotes, claims, timeline events and summary
            sentences shown (``docs/confidence.md``).

    Returns:
        The HTML (one self-contained page) document.

    Raises:
        Nothing for any digest: every text from the articles is escaped."""
    digest = shown_digest(digest, threshold)
    template = environment().get_template("digest.html")
    return template.render(digest=digest, arts=articles_by_id(digest))
