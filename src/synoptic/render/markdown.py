"""Markdown report of a digest. Article-derived text is escaped so it cannot inject markup."""

from __future__ import annotations

import re

from synoptic.records import Article, Digest, Dossier
from synoptic.render.shown import SHOW_THRESHOLD, shown_digest
from synoptic.render.view import (
    articles_by_id,
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

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def esc(text: str) -> str:
    """Escape Markdown and HTML metacharacters in untrusted text (one line)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(digest: Digest, threshold: float = SHOW_THRESHOLD) -> str:
    """The report a reader sees: items below ``threshold`` confidence are left out.

    Args:
        digest: What :func:`synoptic.digest` returned (or a stored story as a one-story digest).
        threshold: Least ``confidence`` of the quotes, claims, timeline events and summary
            sentences shown (``docs/confidence.md``).

    Returns:
        The Markdown document.

    Raises:
        Nothing for any digest: every text from the articles is escaped."""
    digest = shown_digest(digest, threshold)
    arts = articles_by_id(digest)
    out: list[str] = ["# Synoptic digest", ""]
    out.append(
        f"{counted(len(digest.articles), 'article')}, {counted(len(digest.dossiers), 'story')}, "
        f"{counted(len(digest.copies), 'copy link')}."
    )
    out.append("")
    for dossier in digest.dossiers:
        out.extend(_story(dossier, arts))
    if digest.copies:
        out += ["## Copies", ""]
        for c in digest.copies:
            out.append(
                f"- {esc(outlet_of(arts.get(c.b)))} is a **{c.kind}** of {esc(outlet_of(arts.get(c.a)))}: "
                f"{esc(c.evidence)}"
            )
        out.append("")
    if digest.articles:  # inputs that all failed leave only their list below
        out += ["## Articles", ""]
        for article in digest.articles:
            out.extend(_article(article))
    if digest.failures:
        out += ["## Inputs that could not be read", ""]
        out += [f"- {esc(f.message())}" for f in digest.failures]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _cites(citations: tuple[object, ...], arts: dict[str, Article]) -> str:
    names: list[str] = []
    for c in citations:
        name = outlet_of(arts.get(getattr(c, "article", "")))
        if name not in names:
            names.append(name)
    return " [" + "; ".join(esc(n) for n in names) + "]" if names else ""


def _story(d: Dossier, arts: dict[str, Article]) -> list[str]:
    out = [f"## Story: {esc(d.story.label or d.story.id)}", ""]
    outlets = ", ".join(esc(o) for o in story_outlets(d, arts))
    out.append(f"{counted(len(d.story.articles), 'article')} from {outlets}.")
    out.append("")
    if d.summary:
        out += ["### Summary", ""]
        for s in d.summary:
            out.append(f"- {esc(with_dates(s, d.times, arts))}{_cites(s.citations, arts)}")
        out.append("")
    if timeline := d.timeline:
        out += ["### Timeline", ""]
        for e in timeline:
            when = event_date(e).replace("/", " to ")
            planned = " (planned)" if e.planned else ""
            told, ahead = told_beforehand(e, arts)
            beforehand = f" (told beforehand:{_cites(ahead, arts)})" if ahead else ""
            out.append(f"- **{when}**{planned}: {esc(e.text)}{_cites(told, arts)}{beforehand}")
        out.append("")
    if d.claims:
        out += ["### Claims", "", "| claim | outlets | status |", "|---|---|---|"]
        for c in d.claims:
            status = esc(claim_status(c, arts))
            out.append(f"| {esc(c.text)} | {', '.join(esc(o) for o in c.outlets)} | {status} |")
        out.append("")
        conflicts = [(c, k) for c in d.claims for k in c.conflicts]
        if conflicts:
            out += ["### Conflicts", ""]
            for _, k in conflicts:
                sides = "; ".join(f"{esc(s.value)}{_cites(s.citations, arts)}" for s in k.sides)
                out.append(f"- {esc(k.what)}: {sides}")
            out.append("")
    if d.outlets:
        out += ["### Per outlet", ""]
        claims = {c.id: c for c in d.claims}
        for o in d.outlets:
            out.append(
                f"- **{esc(o.outlet)}**: {len(o.unique_claims)} unique, {len(o.missing_claims)} left out"
            )
            for cid in o.unique_claims:
                if cid in claims:
                    out.append(f"  - only here: {esc(claims[cid].text)}")
            for w in o.wording:
                out.append(f"  - wording: {esc(in_marks(w.text))}")
        out.append("")
    if d.quotes:
        out += ["### Quotes", ""]
        for q in d.quotes:
            # quotation marks only around the speaker's own words (see quote_form)
            # reported speech reads as the article wrote it ("X urged Y to ..."), marked as such
            form, text = quote_form(q, arts.get(q.article))
            said = quote_verb(q)
            shown = f"{said}: \u201c{esc(text)}\u201d" if form == "verbatim" else f"{said} {esc(text)}"
            where = f"[{esc(outlet_of(arts.get(q.article)))}]"
            if form == "reported":
                where += " (reported speech)"
            out.append(f"- **{esc(q.speaker or 'unknown')}** {shown} {where}")
        out.append("")
    if d.entities:
        out += ["### Who", ""]
        for ent in d.entities:
            aliases = f" (also: {', '.join(esc(a) for a in ent.aliases)})" if ent.aliases else ""
            out.append(f"- {esc(ent.name)}, {ent.kind}{aliases}")
        out.append("")
    if d.warnings:
        out += ["### Warnings", ""] + [f"- {esc(w)}" for w in d.warnings] + [""]
    return out


def _article(a: Article) -> list[str]:
    out = [f"### {esc(a.title or '(untitled)')}", ""]
    out.append(f"- id: `{a.id}`")
    out.append(f"- source: {esc(a.source)}")
    out.append(f"- outlet: {esc(a.outlet_name)} ({esc(outlet_details(a))})")
    out.append(f"- published: {esc(published_label(a))}")
    if a.authors:
        out.append(f"- by: {esc(', '.join(a.authors))}")
    out.append(f"- language: {a.language or 'unknown'}")
    if a.credits:
        out.append(f"- credits: {esc('; '.join(a.credits))}")
    for w in a.warnings:
        out.append(f"- warning: {esc(w)}")
    out.append("")
    for para in a.paragraphs:
        out.append(esc(para))
        out.append("")
    if a.removed:
        out.append(f"Removed ({len(a.removed)}):")
        out.append("")
        for r in a.removed:
            out.append(f"- _{esc(r.reason)}_: {esc(r.text)}")
        out.append("")
    return out
