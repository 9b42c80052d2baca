"""Agreement and conflict: which independent outlets support a claim, and where they differ.

Independence: articles joined by copy links (duplicate, near-duplicate, syndicated, reworded,
credited) form one *source*; a source counts once, under the outlet of its original (the article
that is never the copy side of a link) when that one supports the claim. Several articles of the
same outlet count once too.

Conflict: a unit of another source that states the claim's fact (the support check passes when
the values are left out, so the same predicate about the same participants) with a different
value for one slot: a quantity of the same unit (12 vs 15 deaths, a three-day vs two-day visit),
a calendar date or a year. Different units never conflict (3 days vs 3 weeks is not compared;
3 days vs 72 hours neither), and neither do two names of one body: participants are compared
as canonical entities, and a speaker is not a slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from synoptic.config import CrosscheckSettings
from synoptic.crosscheck.support import Support
from synoptic.crosscheck.units import Slot, Unit, slot_differences
from synoptic.records import Article, Citation, Conflict, ConflictSide, CopyLink, Quote
from synoptic.unionfind import UnionFind


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


def _same_holders(
    a: Unit, ours: list[Slot], b: Unit, theirs: list[Slot], holder: Callable[[Unit, Slot], str | None] | None
) -> tuple[list[Slot], list[Slot]]:
    """The slots of each side that have a counterpart of the same holder (or an unknown one)."""
    if holder is None:
        return ours, theirs

    def fits(x: str | None, y: str | None) -> bool:
        return x is None or y is None or x == y

    mine = [(s, holder(a, s)) for s in ours]
    other = [(s, holder(b, s)) for s in theirs]
    return (
        [s for s, h in mine if any(fits(h, g) for _, g in other)],
        [s for s, g in other if any(fits(h, g) for _, h in mine)],
    )


def find_conflicts(
    rep: int,
    units: Sequence[Unit],
    cosine: NDArray[np.float32],
    same_fact: Callable[[int, int], Support],
    sources: Sources,
    settings: CrosscheckSettings,
    holder: Callable[[Unit, Slot], str | None] | None = None,
) -> tuple[Conflict, ...]:
    """Conflicts with the claim stated by unit ``rep``: units of other sources that state the same
    fact (``same_fact``: the support check with the values left out) with a different value for
    one slot. Names of one entity and pronouns never conflict: the support check folds aliases to
    one participant, and only values are compared. With ``holder`` (whose value a slot is: the
    nearest name), two values of different holders are not compared ("Buckley, 31" / "Rait,
    36" in two sentences that both name both men)."""
    found: dict[str, dict[str, set[Citation]]] = {}
    scores: dict[str, float] = {}
    mine = sources.source(units[rep].article)
    close = np.flatnonzero(cosine[rep].astype(np.float64) >= settings.conflict_similarity).tolist()
    for j in close:
        if j == rep or sources.source(units[j].article) == mine:
            continue
        differences = slot_differences(units[rep].slots, units[j].slots)
        if not differences:
            continue
        verdict = same_fact(rep, j)
        if not verdict.accepted:
            continue
        for what, all_ours, all_theirs in differences:
            ours, theirs = _same_holders(units[rep], all_ours, units[j], all_theirs, holder)
            if not ours or not theirs:
                continue
            values = found.setdefault(what, {})
            for unit, slots in ((units[rep], ours), (units[j], theirs)):
                for slot in slots:
                    values.setdefault(slot.value, set()).add(Citation(unit.article, slot.span))
            scores[what] = max(scores.get(what, 0.0), verdict.score)
    conflicts = []
    for what in sorted(found):
        sides = tuple(
            ConflictSide(value=value, citations=tuple(sorted(cites, key=lambda c: (c.article, c.span))))
            for value, cites in sorted(found[what].items())
        )
        if len(sides) >= 2:
            conflicts.append(Conflict(what=what, sides=sides, confidence=round(scores[what], 3)))
    return tuple(conflicts)


PRONOUNS = frozenset("he she they it we i you his her their its this that who which".split())


def _speaker(quote: Quote) -> str | None:
    """A speaker key that can disagree with another: the canonical entity, else the name's last
    word; ``None`` for an unknown speaker or a pronoun (it names no one to disagree with)."""
    if quote.entity:
        return quote.entity
    words = [w for w in quote.speaker.replace("'s", "").split() if w[:1].isalpha()]
    if not words or words[-1].casefold() in PRONOUNS or not words[-1][:1].isupper():
        return None
    return words[-1].casefold()


def speaker_conflicts(
    members: Sequence[Unit], quotes: Sequence[Quote], sources: Sources, threshold: float
) -> tuple[Conflict, ...]:
    """One statement (the same words, or quotes the quote stage linked as one) put in the mouths of
    two different named speakers by two sources: who said it is in dispute. Confident quotes only."""
    said: dict[str, list[tuple[str, str, Citation]]] = {}
    for unit in members:
        for q in quotes:
            if q.article != unit.article or q.confidence < threshold:
                continue
            if not (unit.span[0] <= q.content_span[0] and q.content_span[1] <= unit.span[1]):
                continue
            key = _speaker(q)
            if key is None:
                continue
            statement = q.statement or " ".join(q.content.casefold().split())
            span = q.speaker_span or q.content_span
            said.setdefault(statement, []).append((key, q.speaker, Citation(q.article, span)))
    conflicts = []
    for entries in said.values():
        keys = {k for k, _, _ in entries}
        if len(keys) < 2 or len({sources.source(c.article) for _, _, c in entries}) < 2:
            continue
        sides: dict[str, set[Citation]] = {}
        for _key, name, cite in entries:
            sides.setdefault(name, set()).add(cite)
        conflicts.append(
            Conflict(
                what="speaker",
                sides=tuple(
                    ConflictSide(value=name, citations=tuple(sorted(c, key=lambda x: (x.article, x.span))))
                    for name, c in sorted(sides.items())
                ),
            )
        )
    return tuple(conflicts)
