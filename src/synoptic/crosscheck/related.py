"""Related statements: what keeps a claim cited for one outlet from being called single-source.

The cross-check credits an outlet with a claim only on the support check's word
(:mod:`synoptic.crosscheck.support`), which wants clear evidence; so a claim cited for one outlet
is often stated by another in other words ("Ukraine said it was closely monitoring the visit" /
"Ukraine is following the Chinese President's visit closely"). Such a claim is *unconfirmed*,
not single-source, when another outlet has a related statement:

- close by cosine (``related_cosine``) and accepted by the check (for another claim), or refused
  only for want of evidence (other verbs, other participants named, too short to check) while
  sharing words that not every article of the story uses (``related_rarity``); a different
  value, time, place, negation or direction rules it out (:func:`related_statements`);
- or, failing that, dated by the timeline as the same event as one of the claim's sentences
  (:class:`DatedTogether`).

The closest is the claim's pointer (``Claim.related``): for a reader to compare, never a credit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from synoptic.config import CrosscheckSettings
from synoptic.crosscheck.agreement import Sources
from synoptic.crosscheck.support import Support
from synoptic.crosscheck.units import Unit
from synoptic.records import Citation, Event, Span

Matrix = NDArray[np.float32]


_UNDECIDED = frozenset({"predicate", "weak", "participants", "underspecified"})
"""Refusals of the support check that leave the fact open: it may be the same in other words.
The others (a different value, time, place, negation or direction) say it is another fact."""
RELATED_OUTLETS = 1
"""Related statements listed per claim, one per other outlet, the closest first. One: on the
support gold the closest is about the claim's fact 0.69 of the time, the closest three 0.63
(``bench/support.py``), and a reader checks each pointer."""
_RELATED_CHECKS = 20
"""Candidates put to the check per claim, closest first (a large story has thousands); those
that share no rare word are not checked anew (only the check's answers already given count)."""


def related_statements(
    rep: int,
    cited: set[str],
    units: Sequence[Unit],
    cosine: Matrix,
    check: Callable[[int, int], Support],
    known: Callable[[int, int], Support | None],
    rarity: Callable[[str, str], float],
    sources: Sources,
    settings: CrosscheckSettings,
    paraphrase_cosine: float,
) -> tuple[Citation, ...]:
    """For the claim represented by unit ``rep`` and cited in the articles ``cited``: the
    closest statement of each other outlet (up to :data:`RELATED_OUTLETS`) that may state its
    fact. ``check`` is the support check of two units, ``known`` its answer when already given
    (the cross-check asked it of most close pairs), ``rarity`` the story's
    :meth:`~synoptic.crosscheck.support.SupportContext.shared_rarity`; a refusal for want of
    evidence needs no shared rare word from ``paraphrase_cosine`` up (much the same words)."""
    bar = settings.related_cosine
    assert bar is not None  # filled in by for_embedder
    own = {sources.source(a) for a in cited}
    row = cosine[rep].astype(np.float64)
    found = np.flatnonzero(row >= bar)
    found = found[np.lexsort((found, -row[found]))]  # closest first, then position
    related: dict[str, Citation] = {}
    checked = 0
    taken: set[str] = set()  # the sources of the outlets pointed to
    for j in found.tolist():
        u = units[j]
        source = sources.source(u.article)
        if source in own or source in taken:
            continue
        # a refusal for want of evidence needs a tie beyond the topic, unless the words are
        # much the same ("She was 91."); the check's own yes needs none, so without such a tie
        # only a yes already given counts (checking every close pair anew is the cost)
        tied = row[j] >= paraphrase_cosine or rarity(units[rep].text, u.text) >= settings.related_rarity
        if tied:
            checked += 1
            verdict: Support | None = check(rep, j)
        else:
            verdict = known(rep, j)
        if verdict is not None and (verdict.accepted or (tied and verdict.reason in _UNDECIDED)):
            outlet = sources.outlets([u.article])[0]  # named only for what is kept
            taken.add(source)
            if outlet not in related:
                related[outlet] = Citation(u.article, u.span, round(float(row[j]), 3))
            if len(related) == RELATED_OUTLETS:
                break
        if checked == _RELATED_CHECKS:
            break
    return tuple(related.values())


class DatedTogether:
    """Related statements by the timeline: another outlet's sentence that the timeline dates as
    the same event as one of a claim's ("Putin warmly welcomed Xi to the Kremlin on Monday" /
    "Xi met Putin in Moscow on Monday"). The timeline merges reports of one event by their dates
    and words, which the support check does not read. Indexed once per story: a large story
    has thousands of single-outlet claims."""

    def __init__(self, units: Sequence[Unit], timeline: Sequence[Event]) -> None:
        self.units = units
        self.by_article: dict[str, list[int]] = {}
        for k, u in enumerate(units):
            self.by_article.setdefault(u.article, []).append(k)
        self.events = timeline
        self.cited: dict[str, list[tuple[Span, int]]] = {}  # article -> (cited span, event)
        for e, event in enumerate(timeline):
            for c in event.citations:
                self.cited.setdefault(c.article, []).append((c.span, e))

    def related(self, members: Sequence[int], cosine: Matrix, sources: Sources) -> tuple[Citation, ...]:
        """The closest (by cosine to the representative, ``members[0]``) statement of another
        outlet in an event that cites one of ``members``."""
        rep = members[0]
        own = {sources.source(self.units[i].article) for i in members}
        events = {
            e
            for i in members
            for span, e in self.cited.get(self.units[i].article, ())
            if span[0] < self.units[i].span[1] and self.units[i].span[0] < span[1]
        }
        best: tuple[float, Citation] | None = None
        for e in sorted(events):
            for c in self.events[e].citations:
                if sources.source(c.article) in own:
                    continue
                # the cosine of the unit that holds the cited span (a sentence, or a clause of one)
                closeness = max(
                    (
                        float(cosine[rep, k])
                        for k in self.by_article.get(c.article, ())
                        if self.units[k].span[0] <= c.span[0] < self.units[k].span[1]
                    ),
                    default=0.0,
                )
                if best is None or closeness > best[0]:
                    best = (closeness, Citation(c.article, c.span, round(closeness, 3)))
        return (best[1],) if best is not None else ()
