"""What the default views show: the items of a dossier whose ``confidence`` reaches the threshold.

The JSON keeps everything (each item with its confidence); the Markdown report, the HTML report
and the story page show a dossier filtered here, so a reader sees only what Synoptic is sure of.
How each confidence is computed, and the threshold: ``docs/confidence.md``.
"""

from __future__ import annotations

import dataclasses

from synoptic.config import SHOW_THRESHOLD
from synoptic.records import Digest, Dossier

__all__ = ["SHOW_THRESHOLD", "shown_digest", "shown_dossier"]


def shown_dossier(dossier: Dossier, threshold: float = SHOW_THRESHOLD) -> Dossier:
    """The dossier with the quotes, claims, timeline events and summary sentences below
    ``threshold`` left out (and the outlet reports' claim ids that point at them)."""
    claims = tuple(c for c in dossier.claims if c.confidence >= threshold)
    kept = {c.id for c in claims}
    outlets = tuple(
        dataclasses.replace(
            o,
            unique_claims=tuple(i for i in o.unique_claims if i in kept),
            missing_claims=tuple(i for i in o.missing_claims if i in kept),
        )
        for o in dossier.outlets
    )
    return dataclasses.replace(
        dossier,
        quotes=tuple(q for q in dossier.quotes if q.confidence >= threshold),
        claims=claims,
        outlets=outlets,
        timeline=tuple(e for e in dossier.timeline if e.confidence >= threshold),
        summary=tuple(s for s in dossier.summary if s.confidence >= threshold),
    )


def shown_digest(digest: Digest, threshold: float = SHOW_THRESHOLD) -> Digest:
    return dataclasses.replace(digest, dossiers=tuple(shown_dossier(d, threshold) for d in digest.dossiers))
