"""Outlet credits, single-source claims, summary citations and conflicts scored against support gold.

Support gold (``tests/data/support_gold/``, and the seed story's ``gold.json`` claims) lists facts
with the articles that state each; a program decides that a claim or sentence is *about* a fact
by the fact's keywords (:func:`matches`). Everything here is a pure function of plain data, so the
benchmark (``bench/support.py``) and the tests score the same way:

- **credit precision**: over claims citing 2+ articles, each article cited beyond the
  representative (the first citation) is a credit. The claim's facts are the gold facts its text
  matches (else those its representative span matches). A credit is *right* when the credited
  article states one of the claim's facts (it is in that fact's sources) and does not give a
  rival value of a conflict that fact belongs to; *right (all)* when it states every fact the
  claim matches. Credits of a claim that matches no fact are *unverifiable*: counted wrong in
  the strict precision, left out of the matched-only precision.
- **credit recall**: over facts with 2+ sources, the share of (fact, article) pairs such that some
  claim matching the fact cites the article together with another source of the fact.
- **single-source precision**: a claim cited in one article, with no related statement of
  another outlet beside it, says that no other article states its fact. It is wrong when a gold
  fact it matches has another source, unverifiable when it matches none (left out of the
  precision). A claim cited in one article *with* related statements is *unconfirmed*; each of
  its pointers is right when the pointed article states a fact of the claim and the pointed
  span is about that fact.
- **citation support**: for each summary sentence, each citation beyond the first is *supported*
  when the cited span matches a fact that the sentence matches; a sentence that matches no fact
  makes its extra citations unverifiable. Also reported: citations whose article states a fact
  of the sentence per the gold (whatever span is cited).
- **conflicts**: a reported conflict is *real* when two of its sides cite spans that give different
  alternatives of one gold conflict (the span matches the alternative and the gold lists its
  article for it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GoldFact:
    id: str
    text: str
    sources: frozenset[str]
    """Ids of the articles that state the fact."""
    keywords: tuple[tuple[str, ...], ...] = ()
    """Alternatives of word stems; a text matches when it holds every stem of one alternative."""
    pattern: str | None = None
    """A regular expression instead of keywords (the seed story's gold claims)."""


@dataclass(frozen=True)
class GoldConflict:
    what: str
    facts: tuple[str, ...]
    """Ids of the facts that are the alternative values."""


@dataclass(frozen=True)
class GoldStory:
    story: str
    articles: tuple[str, ...]
    facts: tuple[GoldFact, ...]
    conflicts: tuple[GoldConflict, ...] = ()


@dataclass(frozen=True)
class Cited:
    """A system claim or summary sentence, reduced to what is scored: its text and the
    (article id, cited span text) of each citation, the representative first."""

    text: str
    citations: tuple[tuple[str, str], ...]
    related: tuple[tuple[str, str], ...] = ()
    """A claim's related statements of other outlets (not credits), in the same form."""


@dataclass
class Scores:
    credits: int = 0
    right: int = 0
    right_all: int = 0
    unverifiable: int = 0
    multi_claims: int = 0
    unmatched_claims: list[str] = field(default_factory=list)
    wrong_credits: list[str] = field(default_factory=list)
    recall_pairs: int = 0
    recalled: int = 0
    extra_citations: int = 0
    supported: int = 0
    supported_by_article: int = 0
    unverifiable_citations: int = 0
    unsupported_citations: list[str] = field(default_factory=list)
    conflicts: int = 0
    real_conflicts: int = 0
    gold_conflicts: int = 0
    gold_conflicts_found: int = 0
    singles: int = 0
    singles_unverifiable: int = 0
    singles_elsewhere: list[str] = field(default_factory=list)
    unconfirmed: int = 0
    unconfirmed_elsewhere: int = 0
    pointers: int = 0
    pointers_unverifiable: int = 0
    pointers_right: int = 0

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "multi_claims": self.multi_claims,
            "unmatched_multi_claims": len(self.unmatched_claims),
            "credits": self.credits,
            "credits_right": self.right,
            "credits_unverifiable": self.unverifiable,
            "credit_precision_strict": ratio(self.right, self.credits),
            "credit_precision_matched": ratio(self.right, self.credits - self.unverifiable),
            "credit_precision_all_facts_strict": ratio(self.right_all, self.credits),
            "credit_recall": ratio(self.recalled, self.recall_pairs),
            "recall_pairs": self.recall_pairs,
            "extra_citations": self.extra_citations,
            "citations_supported": self.supported,
            "citations_unverifiable": self.unverifiable_citations,
            "citation_support_strict": ratio(self.supported, self.extra_citations),
            "citation_support_matched": ratio(
                self.supported, self.extra_citations - self.unverifiable_citations
            ),
            "citation_support_by_article": ratio(self.supported_by_article, self.extra_citations),
            "conflicts": self.conflicts,
            "conflicts_real": self.real_conflicts,
            "gold_conflicts": self.gold_conflicts,
            "gold_conflicts_found": self.gold_conflicts_found,
            "single_source_claims": self.singles,
            "single_source_unverifiable": self.singles_unverifiable,
            "single_source_elsewhere": len(self.singles_elsewhere),
            "single_source_precision_matched": ratio(
                self.singles - self.singles_unverifiable - len(self.singles_elsewhere),
                self.singles - self.singles_unverifiable,
            ),
            "unconfirmed_claims": self.unconfirmed,
            "unconfirmed_elsewhere": self.unconfirmed_elsewhere,
            "related_pointers": self.pointers,
            "related_pointer_precision_matched": ratio(
                self.pointers_right, self.pointers - self.pointers_unverifiable
            ),
        }


def _stem_pattern(stem: str) -> str:
    tail = r"(?!\d)" if stem[-1:].isdigit() else ""
    return r"(?<!\w)" + re.escape(stem.lower()) + tail


def matches(fact: GoldFact, text: str) -> bool:
    """Whether ``text`` is about ``fact`` by its keywords (or pattern); see the gold's README."""
    if fact.pattern is not None:
        return re.search(fact.pattern, text) is not None
    low = text.lower()
    return any(all(re.search(_stem_pattern(s), low) for s in alt) for alt in fact.keywords)


def facts_of(gold: GoldStory, text: str) -> list[GoldFact]:
    return [f for f in gold.facts if matches(f, text)]


def _rivals(gold: GoldStory) -> dict[str, set[str]]:
    """Fact id -> the articles that state a rival alternative of a conflict it belongs to."""
    by_id = {f.id: f for f in gold.facts}
    out: dict[str, set[str]] = {}
    for c in gold.conflicts:
        for fid in c.facts:
            others = set().union(*(by_id[g].sources for g in c.facts if g != fid))
            out.setdefault(fid, set()).update(others - by_id[fid].sources)
    return out


def claim_facts(gold: GoldStory, claim: Cited) -> list[GoldFact]:
    """The facts a claim is about: those its text matches, else those its representative span matches."""
    found = facts_of(gold, claim.text)
    if not found and claim.citations:
        found = facts_of(gold, claim.citations[0][1])
    return found


def score_credits(gold: GoldStory, claims: Sequence[Cited], scores: Scores) -> None:
    rivals = _rivals(gold)
    for claim in claims:
        arts = list(dict.fromkeys(a for a, _ in claim.citations))
        if len(arts) < 2:
            continue
        scores.multi_claims += 1
        facts = claim_facts(gold, claim)
        if not facts:
            scores.unmatched_claims.append(claim.text)
        for art in arts[1:]:
            scores.credits += 1
            if not facts:
                scores.unverifiable += 1
                continue
            ok = [f for f in facts if art in f.sources]
            clash = any(art in rivals.get(f.id, ()) for f in facts)
            if ok and not clash:
                scores.right += 1
            else:
                scores.wrong_credits.append(f"{art} for: {claim.text}")
            if len(ok) == len(facts) and not clash:
                scores.right_all += 1


def score_single_source(
    gold: GoldStory, claims: Sequence[Cited], scores: Scores, source_of: Mapping[str, str] | None = None
) -> None:
    """A claim cited in one source says no other source states it: wrong when a gold fact it is
    about has another (the fact is in another article, in words the cross-check did not join),
    unverifiable when it matches no gold fact. ``source_of``: article id -> its source's id, so
    that a copy (a rewritten wire story) is not another source, as in the dossier; each article
    its own source when None."""
    source = (lambda a: source_of.get(a, a)) if source_of is not None else (lambda a: a)
    for claim in claims:
        own = {source(a) for a, _ in claim.citations}
        if len(own) != 1:
            continue
        facts = claim_facts(gold, claim)
        elsewhere = sorted({a for f in facts for a in f.sources if source(a) not in own})
        if claim.related:
            _score_related(claim, bool(elsewhere), facts, scores)
            continue
        scores.singles += 1
        if not facts:
            scores.singles_unverifiable += 1
        elif elsewhere:
            scores.singles_elsewhere.append(f"{claim.text} (also: {', '.join(elsewhere)})")


def _score_related(claim: Cited, elsewhere: bool, facts: Sequence[GoldFact], scores: Scores) -> None:
    """A claim one source is cited for, with related statements of other outlets beside it: a
    pointer is right when its article states a fact of the claim and its span is about it."""
    scores.unconfirmed += 1
    scores.unconfirmed_elsewhere += elsewhere
    for art, span in claim.related:
        scores.pointers += 1
        if not facts:
            scores.pointers_unverifiable += 1
            continue
        scores.pointers_right += any(art in f.sources and matches(f, span) for f in facts)


def score_recall(gold: GoldStory, claims: Sequence[Cited], scores: Scores) -> None:
    matched = [({f.id for f in claim_facts(gold, c)}, {a for a, _ in c.citations}) for c in claims]
    for fact in gold.facts:
        if len(fact.sources) < 2:
            continue
        got: set[str] = set()
        for ids, arts in matched:
            if fact.id in ids and len(arts & fact.sources) >= 2:
                got |= arts & fact.sources
        scores.recall_pairs += len(fact.sources)
        scores.recalled += len(got)


def score_citations(gold: GoldStory, sentences: Sequence[Cited], scores: Scores) -> None:
    for sentence in sentences:
        facts = {f.id: f for f in facts_of(gold, sentence.text)}
        for art, span in sentence.citations[1:]:
            scores.extra_citations += 1
            if not facts:
                scores.unverifiable_citations += 1
                continue
            if any(f.id in facts for f in facts_of(gold, span)):
                scores.supported += 1
            else:
                scores.unsupported_citations.append(f"{art}: {span!r} for: {sentence.text}")
            scores.supported_by_article += any(art in f.sources for f in facts.values())


def score_conflicts(
    gold: GoldStory, conflicts: Sequence[Sequence[Sequence[tuple[str, str]]]], scores: Scores
) -> None:
    """``conflicts``: each reported conflict as its sides, each side the (article id, cited span
    text) of its citations. A side gives an alternative of a gold conflict when one of its spans
    matches that alternative's keywords and the gold lists the span's article for it; the
    conflict is real when two sides give different alternatives of one gold conflict."""
    by_id = {f.id: f for f in gold.facts}
    found: set[str] = set()
    scores.gold_conflicts += len(gold.conflicts)
    for sides in conflicts:
        scores.conflicts += 1
        real = False
        for c in gold.conflicts:
            values = [
                {
                    fid
                    for fid in c.facts
                    for art, text in side
                    if art in by_id[fid].sources and matches(by_id[fid], text)
                }
                for side in sides
            ]
            if any(
                values[i] and values[j] and not (values[i] & values[j])
                for i in range(len(values))
                for j in range(i + 1, len(values))
            ):
                real = True
                found.add(c.what)
        scores.real_conflicts += real
    scores.gold_conflicts_found += len(found)


def score_story(
    gold: GoldStory,
    claims: Sequence[Cited],
    summary: Sequence[Cited],
    conflicts: Sequence[Sequence[Sequence[tuple[str, str]]]],
    scores: Scores | None = None,
    source_of: Mapping[str, str] | None = None,
) -> Scores:
    """All five measures for one story, added to ``scores`` (a new one when None)."""
    scores = scores if scores is not None else Scores()
    score_credits(gold, claims, scores)
    score_single_source(gold, claims, scores, source_of)
    score_recall(gold, claims, scores)
    score_citations(gold, summary, scores)
    score_conflicts(gold, conflicts, scores)
    return scores


def load_gold(path: Path) -> GoldStory:
    """A ``tests/data/support_gold/<story>.json`` file."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    facts = tuple(
        GoldFact(
            id=f["id"],
            text=f["fact"],
            sources=frozenset(f["sources"]),
            keywords=tuple(tuple(alt) for alt in f["keywords"]),
        )
        for f in raw["facts"]
    )
    conflicts = tuple(GoldConflict(c["what"], tuple(c["facts"])) for c in raw.get("conflicts", ()))
    return GoldStory(raw["story"], tuple(raw["articles"]), facts, conflicts)


def seed_gold(claims: Sequence[Mapping[str, Any]], patterns: Mapping[str, str]) -> GoldStory:
    """The seed story's ``gold.json`` claims as support gold (article ids: file names without the
    extension; ``patterns``: gold claim -> regular expression, from :mod:`synoptic.eval.seeds`)."""
    facts = tuple(
        GoldFact(
            id=f"s{k:02d}",
            text=str(c["claim"]),
            sources=frozenset(str(s).rsplit(".", 1)[0] for s in c["sources"]),
            pattern=patterns[str(c["claim"])],
        )
        for k, c in enumerate(claims, 1)
    )
    return GoldStory("seeds-xi-moscow-2023", tuple(sorted({a for f in facts for a in f.sources})), facts)
