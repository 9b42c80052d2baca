"""Per-outlet comparison: what each outlet alone reports, what it leaves out, how it words things.

Outlets are counted as independent sources (copies of one report count once, see
:mod:`synoptic.crosscheck.agreement`): a claim is *unique* to an outlet when it is the only
independent outlet behind it, and *missing* from an outlet when more than ``missing_share`` of the
other outlets report it and this one does not (an outlet whose copy carries the claim does not
miss it). *Wording* lists the outlet's phrases in claims where the outlets' phrases differ.
"""

from __future__ import annotations

from collections.abc import Sequence

from synoptic.config import CrosscheckSettings
from synoptic.crosscheck.agreement import Sources
from synoptic.crosscheck.units import normalise_term
from synoptic.records import Article, Claim, CopyLink, OutletReport, Wording


def compare_outlets(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    copies: Sequence[CopyLink],
    settings: CrosscheckSettings,
) -> tuple[OutletReport, ...]:
    """One report per outlet of the story, in outlet-name order."""
    sources = Sources(articles, copies)
    outlet_of = {a.id: a.outlet_name for a in articles}
    by_outlet: dict[str, list[str]] = {}
    for a in sorted(articles, key=lambda a: a.id):
        by_outlet.setdefault(a.outlet_name, []).append(a.id)
    # an outlet "has" a claim when one of its articles, or a copy of/by it, is cited
    present: dict[str, set[str]] = {}
    for claim in claims:
        cited_sources = {sources.source(c.article) for c in claim.citations}
        present[claim.id] = {
            outlet
            for outlet, ids in by_outlet.items()
            if any(sources.source(i) in cited_sources for i in ids)
        }
    reports = []
    independent = len(sources.outlets(a.id for a in articles))
    for outlet, ids in sorted(by_outlet.items()):
        unique = tuple(c.id for c in claims if c.single_source and c.outlets == (outlet,))
        others = max(0, independent - 1)
        missing = tuple(
            c.id
            for c in claims
            if outlet not in present[c.id]
            and others >= 2
            and len([o for o in c.outlets if o != outlet]) > settings.missing_share * others
        )
        wording: list[Wording] = []
        for c in claims:
            forms = {normalise_term(w.text) for w in c.wordings}
            if len(forms) >= 2 and len({w.outlet for w in c.wordings}) >= 2:
                wording.extend(
                    w for w in c.wordings if outlet_of.get(w.citation.article) == outlet and w not in wording
                )
        reports.append(
            OutletReport(
                outlet=outlet,
                articles=tuple(ids),
                unique_claims=unique,
                missing_claims=missing,
                wording=tuple(wording),
            )
        )
    return tuple(reports)
