"""Agreement and conflict: which independent outlets support a claim, and where they differ.

Independence: articles joined by copy links (duplicate, near-duplicate, syndicated, reworded,
credited) form one *source*; a source counts once, under the outlet of its original (the article
that is never the copy side of a link) when that one supports the claim. Several articles of the
same outlet count once too.

Conflict: two citations of one claim, from different sources, that are close in wording (cosine
at least ``conflict_similarity``) and state different values for the same slot: a quantity of
the same unit (12 vs 15 deaths, a three-day vs two-day visit), a calendar date or a year; or, when
the who/when stage gave quotes, the same quoted words put in different speakers' mouths.
Different units never conflict (3 days vs 3 weeks is not compared; 3 days vs 72 hours neither).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from synoptic.config import CrosscheckSettings
from synoptic.crosscheck.units import Unit
from synoptic.records import Article, Citation, Conflict, ConflictSide, CopyLink, StoryFacts
from synoptic.unionfind import UnionFind

CONFLICT_KINDS = ("quantity", "date", "year")


class Sources:
    """Independent sources among one story's articles (copies joined), and their outlets."""

    def __init__(self, articles: Sequence[Article], copies: Sequence[CopyLink]) -> None:
        self.outlet = {a.id: a.outlet_name for a in articles}
        ids = sorted({a.id for a in articles})  # a source is named by its smallest article id
        index = {a: i for i, a in enumerate(ids)}
        sets = UnionFind(len(ids))
        copied = set()
        for link in copies:
            if link.a in index and link.b in index and link.a != link.b:
                copied.add(link.b)
                sets.union(index[link.a], index[link.b])
        self.root = {a: ids[sets.find(i)] for i, a in enumerate(ids)}
        self.original = frozenset(a for a in ids if a not in copied)

    def source(self, article: str) -> str:
        return self.root.get(article, article)

    def outlets(self, articles: Iterable[str]) -> tuple[str, ...]:
        """Independent outlets behind these articles: one per source, then one per outlet name."""
        by_source: dict[str, list[str]] = {}
        for a in set(articles):
            by_source.setdefault(self.source(a), []).append(a)
        names: set[str] = set()
        for members in by_source.values():
            originals = [a for a in members if a in self.original]
            pick = originals or members
            names.add(min(self.outlet.get(a, a) for a in pick))
        return tuple(sorted(names))


def _speaker_key(name: str, entity: str | None) -> str:
    if entity:
        return entity
    words = [w for w in name.replace("'s", "").split() if w[:1].isalpha()]
    return words[-1].casefold() if words else ""


def find_conflicts(
    units: Sequence[Unit],
    cosine: NDArray[np.float32],
    sources: Sources,
    facts: StoryFacts | None,
    settings: CrosscheckSettings,
) -> tuple[Conflict, ...]:
    """Conflicts among the members of one claim (``cosine`` is their raw similarity matrix)."""
    # (what) -> value -> citations
    found: dict[str, dict[str, set[Citation]]] = {}

    def add(what: str, value: str, unit: Unit, span: tuple[int, int]) -> None:
        found.setdefault(what, {}).setdefault(value, set()).add(Citation(unit.article, span))

    quotes = facts.quotes if facts else ()
    speakers: list[dict[str, tuple[str, tuple[int, int]]]] = []
    for u in units:
        mine: dict[str, tuple[str, tuple[int, int]]] = {}
        for q in quotes:
            if q.article == u.article and q.content_span[0] < u.span[1] and u.span[0] < q.content_span[1]:
                key = _speaker_key(q.speaker, q.entity)
                if key:
                    mine[key] = (q.speaker, q.speaker_span or q.content_span)
        speakers.append(mine)

    for i, ui in enumerate(units):
        for j in range(i + 1, len(units)):
            uj = units[j]
            if sources.source(ui.article) == sources.source(uj.article):
                continue
            if float(cosine[i, j]) < settings.conflict_similarity:
                continue
            for kind in CONFLICT_KINDS:
                keys_i = {s.key for s in ui.slots if s.kind == kind}
                for key in sorted(keys_i):
                    vi = {s.value: s.span for s in ui.slots if s.kind == kind and s.key == key}
                    vj = {s.value: s.span for s in uj.slots if s.kind == kind and s.key == key}
                    if vj and not set(vi) & set(vj):
                        what = key if kind == "quantity" else kind
                        for value, span in vi.items():
                            add(what, value, ui, span)
                        for value, span in vj.items():
                            add(what, value, uj, span)
            si, sj = speakers[i], speakers[j]
            if si and sj and not set(si) & set(sj):
                for key, (name, span) in si.items():
                    add("speaker", name or key, ui, span)
                for key, (name, span) in sj.items():
                    add("speaker", name or key, uj, span)
    conflicts = []
    for what in sorted(found):
        sides = tuple(
            ConflictSide(value=value, citations=tuple(sorted(cites, key=lambda c: (c.article, c.span))))
            for value, cites in sorted(found[what].items())
        )
        if len(sides) >= 2:
            conflicts.append(Conflict(what=what, sides=sides))
    return tuple(conflicts)
