"""Claims: the facts of one story as units, grouped across its articles.

Stage order (all deterministic, independent of the input order of the articles):

1. units: every sentence (headings skipped) and, for multi-clause sentences, every clause, with
   the values they state (:mod:`synoptic.crosscheck.units`);
2. similarity: MiniLM cosine of two units plus a bonus for each kind of normalised value they
   share (quantity with unit, date, month, year, quoted term); clauses of one sentence never link;
3. grouping: average-linkage clustering cut at ``link_threshold``; a cluster that spans two or
   more articles is a corroborated claim;
4. attachment: a unit of an article that a claim does not cite joins it when it is close to the
   claim's members on average (a sentence can state several facts);
5. residue: what no corroborated claim cites (whole sentences, or the uncited clauses of a
   sentence that is partly cited) forms single-article claims, repeats within one article merged;
   such a claim is single-source only when no other outlet has a related statement (close, with
   words beyond the story's topic, and not a different fact by the support check; or dated as
   the same event by the timeline); otherwise it is unconfirmed, with the closest such statement
   as a pointer (``Claim.related``; :mod:`synoptic.crosscheck.related`);
6. agreement and conflicts (:mod:`synoptic.crosscheck.agreement`), wordings
   (:mod:`synoptic.crosscheck.wording`).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from synoptic.config import CrosscheckSettings, Settings, SupportSettings
from synoptic.crosscheck.agreement import Sources, find_conflicts, speaker_conflicts
from synoptic.crosscheck.related import DatedTogether, related_statements
from synoptic.crosscheck.support import Statement, Support, SupportContext, proposition_quality, support
from synoptic.crosscheck.units import Piece, Unit, article_units
from synoptic.crosscheck.wording import attach_headings, claim_wordings
from synoptic.hierarchy import average_clusters
from synoptic.nlp.embeddings import Embedder, run_embedder
from synoptic.nlp.quotations import OpenQuotations
from synoptic.nlp.sentences import SentenceSplits
from synoptic.records import Article, Citation, Claim, Conflict, CopyLink, Span, StoryFacts, Wording

Matrix = NDArray[np.float32]
_RELATIVE_ONLY = re.compile(r"[^\d]*", re.DOTALL)
"""A time expression without a figure ("early Sunday", "last week"): relative to its anchor."""


def story_units(
    articles: Sequence[Article],
    settings: CrosscheckSettings,
    facts: StoryFacts | None,
    splits: SentenceSplits | None = None,
) -> list[Unit]:
    """Units of every article, in a canonical order (article id, then position); sentences from
    ``splits`` when the dossier shares them."""
    times = facts.times if facts else ()
    guessed = set(facts.published) if facts else set()
    units: list[Unit] = []
    pieces: dict[str, list[Piece]] = {}  # by sentence text: a story's copies repeat sentences
    for article in sorted(articles, key=lambda a: a.id):
        mine = [t for t in times if t.article == article.id]
        if article.id in guessed:
            # against a guessed publication date, "on Sunday" may be any Sunday: compare only
            # the dates the text writes out
            mine = [t for t in mine if not _RELATIVE_ONLY.fullmatch(t.text)]
        units.extend(
            article_units(
                article,
                min_clause_words=settings.min_clause_words,
                max_term_words=settings.max_term_words,
                times=mine,
                splits=splits,
                pieces=pieces,
            )
        )
    return units


def _mean(row: Matrix) -> float:
    """``float(row.mean())`` of a non-empty 1-D float32 row, without numpy's generic wrapper: the
    same float32 sum, divided in float64 and rounded to float32, so the very same value."""
    return float(np.float32(float(np.add.reduce(row)) / row.shape[0]))


def similarity(
    units: Sequence[Unit], vectors: Matrix, settings: CrosscheckSettings, *, cosine: Matrix | None = None
) -> Matrix:
    """Cosine plus the shared-slot bonus; units of the same sentence do not link (0).

    ``cosine`` is ``vectors @ vectors.T`` when the caller has it already (it is not recomputed)."""
    sim: Matrix = (cosine_matrix(vectors) if cosine is None else cosine).astype(np.float32)
    n = len(units)
    # n x n matrices are a large story's memory: one byte per pair where a byte will do, and
    # the float work done a block of rows at a time (the same values as whole-matrix arithmetic)
    shared = np.zeros((n, n), dtype=np.int8)
    # for each kind of slot, the units stating each value; two units share the kind when they
    # state one value in common (counted once per kind however many values they share)
    by_kind: dict[str, dict[tuple[str, str], list[int]]] = {}
    for i, u in enumerate(units):
        for s in u.slots:
            holders = by_kind.setdefault(s.kind, {}).setdefault((s.key, s.value), [])
            if not holders or holders[-1] != i:
                holders.append(i)
    for values in by_kind.values():  # a few kinds: the int8 count cannot overflow
        _count_kind(shared, [g for g in values.values() if len(g) >= 2])
    np.minimum(shared, 2, out=shared)  # the bonus counts two kinds at most
    np.fill_diagonal(shared, 0)
    for start in range(0, n, _ROWS):
        sim[start : start + _ROWS] += settings.slot_bonus * shared[start : start + _ROWS].astype(np.float32)
    del shared
    sentences: dict[tuple[str, int], list[int]] = {}
    for i, u in enumerate(units):
        sentences.setdefault((u.article, u.sentence), []).append(i)
    for g in sentences.values():
        if len(g) > 1:
            sim[np.ix_(g, g)] = 0.0
    np.fill_diagonal(sim, 1.0)
    return sim


def _count_kind(shared: NDArray[np.int8], groups: Sequence[list[int]]) -> None:
    """One more in ``shared`` for each pair of units in a common group of ``groups`` (the
    holders of each value of one kind), once however many groups the pair shares."""
    n = shared.shape[0]
    if not groups:
        return
    if sum(len(g) ** 2 for g in groups) * 8 <= n * n:  # few pairs: listed, repeats dropped
        flat = np.unique(np.concatenate([(np.add.outer(np.asarray(g) * n, g)).ravel() for g in groups]))
        cells = shared.reshape(-1)  # a view: shared is C-contiguous
        cells[flat] += 1
        return
    kind = np.zeros((n, n), dtype=bool)
    for g in groups:
        kind[np.ix_(g, g)] = True
    shared += kind


def cosine_matrix(vectors: Matrix) -> Matrix:
    """``vectors @ vectors.T`` in float32. Mostly-zero vectors (the hashing embedder's: a
    sentence sets a few dozen of its 1,024 dimensions) are multiplied as sparse rows, a block of
    rows at a time: a small fraction of the dense product's work at a large story's thousands
    of units, and no more memory than the result."""
    n = vectors.shape[0]
    if n == 0 or np.count_nonzero(vectors) * 10 > vectors.size:
        out: Matrix = (vectors @ vectors.T).astype(np.float32)
        return out
    rows = sparse.csr_matrix(vectors)
    columns = rows.T.tocsr()  # the product wants rows on both sides: converted once, not per block
    product = np.empty((n, n), dtype=np.float32)
    for start in range(0, n, _ROWS):
        product[start : start + _ROWS] = (rows[start : start + _ROWS] @ columns).toarray()
    return product


def text_cosines(texts: Sequence[str], embedder: Embedder) -> tuple[Matrix, Matrix]:
    """The vectors of ``texts`` and their :func:`cosine_matrix`, each distinct text encoded and
    multiplied once: a large story's read articles repeat sentences (wire copy carried by many
    outlets; 4,192 units of 263 texts in one story of the 100k benchmark). The cosines of a
    repeated text are those of its first occurrence: bitwise what the whole product gives for
    the sparse product (the hashing embedder's; each row multiplied the same way), within the
    last bits for the dense one (BLAS may sum two copies of a row in different orders)."""
    first: dict[str, int] = {}
    where = np.array([first.setdefault(t, len(first)) for t in texts], dtype=np.int64)
    vectors = embedder.encode(list(first))
    if len(first) == len(texts):
        return vectors, cosine_matrix(vectors)
    return vectors[where], cosine_matrix(vectors)[np.ix_(where, where)]


_ROWS = 512
"""Rows of an n x n matrix worked on at once (a block of 512 x 8,000 float32 is 16 MB)."""


def _average_linkage(sim: Matrix, threshold: float) -> list[list[int]]:
    """Clusters whose average pairwise similarity stays at or above ``threshold``."""
    return average_clusters(sim, 1.0 - threshold)


def _drop_nested(members: list[int], units: Sequence[Unit], sim: Matrix) -> list[int]:
    """Of a sentence and its clauses in one claim, keep the one closest to the rest."""
    by_sentence: dict[tuple[str, int], list[int]] = {}
    for i in members:
        by_sentence.setdefault((units[i].article, units[i].sentence), []).append(i)
    kept: list[int] = []
    for group in by_sentence.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        others = [j for j in members if j not in group]
        kept.append(max(group, key=lambda i: (_mean(sim[i, others]) if others else 0.0, -i)))
    return sorted(kept)


def _cite_key(c: Citation) -> tuple[str, int, int]:
    return (c.article, c.span[0], c.span[1])


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return (b[0] <= a[0] and a[1] <= b[1]) or (a[0] <= b[0] and b[1] <= a[1])


def _drop_nested_claims(groups: list[list[int]], units: Sequence[Unit], sim: Matrix) -> list[list[int]]:
    """Of two groups that cite the same sentences, one at sentence and one at clause level (each
    unit of one nested in a unit of the other, same article), keep the tighter one."""
    tight: dict[int, tuple[int, float, int]] = {}

    def tightness(k: int) -> tuple[int, float, int]:
        if k not in tight:
            g = groups[k]
            arts = len({units[i].article for i in g})
            mean = float(sim[np.ix_(g, g)].mean())
            tight[k] = (arts, mean, -sum(len(units[i].text) for i in g))
        return tight[k]

    # nested(x, y): every unit of x is inside (or around) a unit of y of the same article; so
    # the groups y that x is nested in are those holding such a unit for each member of x
    listed: dict[str, list[tuple[int, int, int]]] = {}
    for k, g in enumerate(groups):
        for j in g:
            listed.setdefault(units[j].article, []).append((*units[j].span, k))
    holding = {article: np.array(rows).reshape(-1, 3) for article, rows in listed.items()}
    nested_in: list[set[int]] = []
    for g in groups:
        common: set[int] | None = None  # None: every group (no member yet)
        for i in g:
            (a, b), held = units[i].span, holding[units[i].article]
            start, end = held[:, 0], held[:, 1]
            inside = ((start <= a) & (b <= end)) | ((a <= start) & (end <= b))  # as _inside
            mine = set(held[inside, 2].tolist())
            common = mine if common is None else common & mine
            if not common:
                break
        nested_in.append(set(range(len(groups))) if common is None else common)
    pairs = sorted({(min(x, y), max(x, y)) for x, ys in enumerate(nested_in) for y in ys if y != x})

    dropped: set[int] = set()
    for x, y in pairs:  # in the order of a scan over all pairs (x < y): the others change nothing
        if x in dropped or y in dropped:
            continue
        dropped.add(y if tightness(x) >= tightness(y) else x)
    return [g for k, g in enumerate(groups) if k not in dropped]


def _merge_overlapping(
    groups: list[list[int]], units: Sequence[Unit], sim: Matrix, overlap: float
) -> list[list[int]]:
    """Of two claims citing mostly the same sentences (Jaccard of their (article, sentence) sets at
    least ``overlap``), keep the tighter one: they are one fact found twice, at sentence and at
    clause level."""

    def sentences(g: list[int]) -> set[tuple[str, int]]:
        return {(units[i].article, units[i].sentence) for i in g}

    tight: dict[int, tuple[int, float, int]] = {}

    def tightness(k: int) -> tuple[int, float, int]:
        if k not in tight:
            g = groups[k]
            tight[k] = (len({units[i].article for i in g}), float(sim[np.ix_(g, g)].mean()), -g[0])
        return tight[k]

    dropped: set[int] = set()
    keys = [sentences(g) for g in groups]
    for x in range(len(groups)):
        for y in range(x + 1, len(groups)):
            if x in dropped or y in dropped:
                continue
            if len(keys[x] & keys[y]) / len(keys[x] | keys[y]) >= overlap:
                dropped.add(y if tightness(x) >= tightness(y) else x)
    return [g for k, g in enumerate(groups) if k not in dropped]


def _conflict_key(conflict: Conflict) -> tuple[str, frozenset[tuple[str, int, int]]]:
    return conflict.what, frozenset(_cite_key(c) for side in conflict.sides for c in side.citations)


def _claim_id(citations: Sequence[Citation]) -> str:
    key = "|".join(f"{c.article}:{c.span[0]}-{c.span[1]}" for c in citations)
    return "c-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _candidates(
    row: NDArray[np.float64], art: NDArray[np.int64], own: int, bar: float, per_article: int | None
) -> NDArray[np.int64]:
    """The units of other articles at or above ``bar`` in ``row`` (one unit's cosines), at most
    ``per_article`` of each article (its closest; ties by position), in index order."""
    found = np.flatnonzero((row >= bar) & (art != own))
    if per_article is None or len(found) <= per_article:
        return found
    # by article, then closest first; a unit's rank within its article is its distance from
    # the article's first place in that order
    order = found[np.lexsort((found, -row[found], art[found]))]
    groups = art[order]
    first = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    return np.sort(order[rank < per_article])


def _best_per_article(
    js: NDArray[np.int64], scores: NDArray[np.float64], art: NDArray[np.int64], units: Sequence[Unit]
) -> dict[str, int]:
    """Of the accepted units ``js`` (ascending) with their ``scores``, each article's best: the
    highest score, the first in ``js`` on a tie."""
    order = np.lexsort((js, -scores, art[js]))
    groups = art[js][order]
    first = order[np.r_[True, groups[1:] != groups[:-1]]]
    return {units[j].article: j for j in js[first].tolist()}


Accept = Callable[[int, int], bool]
"""``accept(i, j)``: unit ``j`` states the fact of unit ``i`` (the support check)."""
Judge = Callable[[int, NDArray[np.int64]], tuple[NDArray[np.bool_], NDArray[np.float64]]]
"""``judge(i, js)``: for each unit ``j`` of ``js``, whether it states the fact of unit ``i`` and
how strongly (the support check and its score, asked for a row of candidates at once)."""


def _supported_claims(
    units: Sequence[Unit],
    cosine: Matrix,
    judge: Judge,
    accept: Accept,
    quality: Sequence[float],
    bar: float,
    per_article: int | None = None,
) -> list[list[int]]:
    """Corroborated claims read off the support graph: a unit of another article joins the claim of
    a representative when the support check (``judge``) says it states the representative's fact
    (pairs below ``bar`` cosine are not checked, nor more than ``per_article`` units of one other
    article: its closest), the best-supporting unit of each article (the judge's score).
    Representatives are taken greedily: the unit most other articles support first (a
    stand-alone proposition before a fragment, then reading order); its supporters are no
    representatives after it, so one fact is not listed twice."""
    ids: dict[str, int] = {}
    art = np.array([ids.setdefault(u.article, len(ids)) for u in units])
    backed: dict[int, dict[str, int]] = {}
    # a fragment ("where they declared a 'no limits' friendship") may support a claim, not state
    # one: only a proposition can represent a claim, so only a proposition's supporters are sought
    for i in (i for i in range(len(units)) if quality[i] >= 0.5):
        row = cosine[i].astype(np.float64)
        found = _candidates(row, art, art[i], bar, per_article)
        accepted, scores = judge(i, found)
        if accepted.any():
            backed[i] = _best_per_article(found[accepted], scores[accepted], art, units)
    order = sorted(backed, key=lambda i: (-len(backed[i]), units[i].clause, i))
    taken: set[int] = set()
    claims: list[list[int]] = []
    for i in order:
        if i in taken:
            continue
        members = sorted(set(backed[i].values()))
        claims.append([i, *members])
        taken.add(i)
        taken.update(j for j in members if accept(j, i))  # a paraphrase is not a claim of its own
    return claims


def group_units(
    units: Sequence[Unit],
    sim: Matrix,
    settings: CrosscheckSettings,
    accept: Accept | None = None,
    quality: Sequence[float] | None = None,
    cosine: Matrix | None = None,
    judge: Judge | None = None,
) -> list[list[int]]:
    """Unit groups, one per claim: corroborated ones (two or more articles, the representative
    first) then the residue. With ``accept`` (the support check) a unit joins a corroborated claim
    only when it states the representative's fact; without it, by similarity alone. ``judge``:
    the check with its score, a row at a time (``accept`` and the cosine without it)."""
    quality = quality if quality is not None else [1.0] * len(units)
    tuned = settings.tuned()  # as filled in for the run's embedder by find_claims
    # a claim is corroborated when it spans two articles: with one article there is none to find
    several = len({u.article for u in units}) >= 2
    if accept is not None and cosine is not None:
        by_cosine = cosine

        def judge_by_cosine(i: int, js: NDArray[np.int64]) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
            accepted = np.array([accept(i, j) for j in js.tolist()], dtype=bool)
            return accepted, by_cosine[i, js].astype(np.float64)

        multi = (
            _supported_claims(
                units,
                cosine,
                judge or judge_by_cosine,
                accept,
                quality,
                tuned.support_candidates,
                settings.support_per_article,
            )
            if several
            else []
        )
    else:
        clusters = _average_linkage(sim, tuned.claim_link) if several else []
        multi = [_drop_nested(c, units, sim) for c in clusters if len({units[i].article for i in c}) >= 2]
        multi = _drop_nested_claims(multi, units, sim)
        multi = [[_representative(m, units, sim, settings.sentence_preference), *m] for m in multi]
        multi = [[m[0], *[i for i in m[1:] if i != m[0]]] for m in multi]
    # attachment: an article's best remaining unit joins a claim when it is close on average
    # (and, with the support check, states the representative's fact)
    attached: list[list[int]] = []
    for members in multi:
        rep = members[0]
        cited = {units[i].article for i in members}
        best: dict[str, tuple[float, int]] = {}
        scores = sim[:, members].mean(axis=1)
        # compared as Python floats (float64), as the threshold is: not rounded to float32
        for j in np.flatnonzero(scores.astype(np.float64) >= tuned.claim_attach).tolist():
            u = units[j]
            if u.article in cited or (accept is not None and not accept(rep, j)):
                continue
            score = float(scores[j])
            if u.article not in best or score > best[u.article][0]:
                best[u.article] = (score, j)
        extra = [j for _, j in best.values()]
        attached.append([rep, *sorted((set(members) | set(extra)) - {rep})])
    attached = _merge_overlapping(attached, units, sim, settings.duplicate_overlap)
    # residue: sentences (or clauses of partly cited sentences) that no corroborated claim cites
    cited_spans: dict[str, list[tuple[int, int]]] = {}
    for members in attached:
        for i in members:
            cited_spans.setdefault(units[i].article, []).append(units[i].span)
    residue: list[int] = []
    by_sentence: dict[tuple[str, int], list[int]] = {}
    for i, u in enumerate(units):
        by_sentence.setdefault((u.article, u.sentence), []).append(i)
    for group in by_sentence.values():
        spans = cited_spans.get(units[group[0]].article, [])
        sentence = group[0]
        if not _overlaps(units[sentence].span, spans):
            residue.append(sentence)
            continue
        for i in group[1:]:
            if (
                not _overlaps(units[i].span, spans)
                and len(units[i].text.split()) >= settings.min_residue_words
                and quality[i] >= 0.5  # a fragment ("During his initial meeting") is no claim
            ):
                residue.append(i)
    singles: list[list[int]] = []
    per_article: dict[str, list[list[int]]] = {}
    for i in residue:  # residue is in article, position order; merge repeats within an article
        groups = per_article.setdefault(units[i].article, [])
        # most groups hold one unit, whose mean is its similarity itself: read those at once
        firsts = sim[i, [g[0] for g in groups]].tolist()
        for g, first in zip(groups, firsts, strict=True):
            if (first if len(g) == 1 else _mean(sim[i, g])) >= settings.same_article_threshold:
                g.append(i)
                break
        else:
            groups.append([i])
            singles.append(groups[-1])
    return attached + singles


def _representative(members: Sequence[int], units: Sequence[Unit], sim: Matrix, prefer: float) -> int:
    """The most central member: highest mean similarity to the members of other articles, a whole
    sentence given ``prefer`` over a clause (it reads on its own)."""

    def centrality(i: int) -> tuple[float, int, int]:
        others = [j for j in members if units[j].article != units[i].article]
        score = _mean(sim[i, others]) if others else 0.0
        return (score + (0.0 if units[i].clause else prefer), -len(units[i].text), -i)

    return max(members, key=centrality)


_NONE: frozenset[str] = frozenset()


class _Checker:
    """The support check over one story's units, memoised (each pair is decided once)."""

    def __init__(
        self,
        units: Sequence[Unit],
        cosine: Matrix,
        articles: Sequence[Article],
        facts: StoryFacts | None,
        settings: SupportSettings,
        context: SupportContext | None = None,
    ) -> None:
        self.units = units
        self.cosine = cosine
        self.settings = settings
        self.ctx = context or SupportContext(facts.entities if facts else (), (a.text for a in articles))
        # units of the same words and values (a syndicated copy's sentences, repeated across a
        # story) are one statement to the check: a pair of such statements is decided once
        signatures: dict[tuple[str, tuple[tuple[str, str, str], ...]], int] = {}
        self._signature = [
            signatures.setdefault((u.text, tuple((s.kind, s.key, s.value) for s in u.slots)), len(signatures))
            for u in units
        ]
        self._signatures = np.array(self._signature, dtype=np.int64)
        self._statements: list[Statement | None] = [None] * len(units)  # built when first compared
        quotations = {a.id: OpenQuotations(a) for a in articles}
        qualities: dict[tuple[str, bool, bool], float] = {}  # the same words read the same
        self.quality: list[float] = []
        for u in units:
            key = (u.text, u.clause, quotations[u.article].holds(u.span))
            quality = qualities.get(key)
            if quality is None:
                quality = qualities[key] = proposition_quality(u.text, clause=key[1], quoted=key[2])
            self.quality.append(quality)
        # quote statements (one statement in two translations) inside each unit
        said: dict[int, set[str]] = {}
        starts: dict[str, list[tuple[int, int]]] = {}  # per article: (unit start, unit index), sorted
        longest: dict[str, int] = {}
        for i, u in enumerate(units):
            starts.setdefault(u.article, []).append((u.span[0], i))
            longest[u.article] = max(longest.get(u.article, 0), u.span[1] - u.span[0])
        for found in starts.values():
            found.sort()
        for q in facts.quotes if facts else ():
            if q.statement is None or q.article not in starts:
                continue
            # a unit holding the quote starts at most one unit's length before it
            found = starts[q.article]
            lo = bisect.bisect_left(found, (q.content_span[0] - longest[q.article], -1))
            hi = bisect.bisect_right(found, (q.content_span[0], len(units)))
            for _, i in found[lo:hi]:
                if units[i].span[0] <= q.content_span[0] and q.content_span[1] <= units[i].span[1]:
                    said.setdefault(i, set()).add(q.statement)
        self.said = said
        self._memo: dict[tuple[int, int, bool, float], Support] = {}

    def statement(self, i: int) -> Statement:
        found = self._statements[i]
        if found is None:
            u = self.units[i]
            found = self._statements[i] = self.ctx.statement(u.article, u.span, u.text, slots=u.slots)
        return found

    def _key(self, i: int, j: int, cosine: float) -> tuple[int, int, bool, float]:
        """The memo's key of a pair: the check reads a statement's words, values and the pair's
        cosine (and where each is only to tell a unit from itself): the same key, the same answer."""
        same = bool(self.said.get(i, _NONE) & self.said.get(j, _NONE))
        return (self._signature[i], self._signature[j], same, cosine)

    def check(self, i: int, j: int) -> Support:
        if i == j:
            return Support(1.0, True, "")
        cosine = float(self.cosine[i, j])
        key = self._key(i, j, cosine)
        found = self._memo.get(key)
        if found is None:
            found = support(
                self.statement(i), self.statement(j), cosine, self.ctx, self.settings, same_statement=key[2]
            )
            ui, uj = self.units[i], self.units[j]
            # two units at one place meet support's identity rule: their answer is theirs alone
            if (ui.article, ui.span) != (uj.article, uj.span):
                self._memo[key] = found
        return found

    def known(self, i: int, j: int) -> Support | None:
        """:meth:`check`'s answer when it has been given already, without checking."""
        return None if i == j else self._memo.get(self._key(i, j, float(self.cosine[i, j])))

    def accept(self, i: int, j: int) -> bool:
        return self.check(i, j).accepted

    def judge(self, i: int, js: NDArray[np.int64]) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
        """:meth:`check` of ``i`` against each of ``js`` (none of them ``i``): whether each is
        accepted, and its score. A story's candidate pairs run to millions, mostly repeats (a
        syndicated sentence in many articles): each distinct memo key of the row is looked up
        (or checked) once, at its first place in ``js``, and its answer given to the rest."""
        cosines = self.cosine[i, js]
        said = self.said.get(i, _NONE)
        same = np.zeros(len(js), dtype=np.int64)
        if said:
            same[:] = [bool(said & self.said.get(j, _NONE)) for j in js.tolist()]
        # the memo's key packed in one integer: signature, same statement, the cosine's bits
        keys = (self._signatures[js] << 33) | (same << 32) | cosines.view(np.uint32).astype(np.int64)
        distinct, first, where = np.unique(keys, return_index=True, return_inverse=True)
        accepted = np.empty(len(distinct), dtype=bool)
        scores = np.empty(len(distinct), dtype=np.float64)
        for k, (j, cosine) in enumerate(zip(js[first].tolist(), cosines[first].tolist(), strict=True)):
            found = self._memo.get(self._key(i, j, cosine))
            if found is None:
                found = self.check(i, j)
            accepted[k], scores[k] = found.accepted, found.score
        return accepted[where], scores[where]

    def same_fact(self, i: int, j: int) -> Support:
        """The check with values left out: is ``j`` about ``i``'s fact, whatever numbers it gives?"""
        return support(
            self.statement(i),
            self.statement(j),
            float(self.cosine[i, j]),
            self.ctx,
            self.settings,
            ignore_slots=True,
        )


def find_claims(
    articles: Sequence[Article],
    copies: Sequence[CopyLink],
    settings: Settings,
    *,
    facts: StoryFacts | None = None,
    embedder: Embedder | None = None,
    context: SupportContext | None = None,
    splits: SentenceSplits | None = None,
    units: Sequence[Unit] | None = None,
) -> tuple[Claim, ...]:
    """The claims of one story's articles, with their citations, independent outlets, conflicts
    and wordings; corroborated claims first (most outlets first), then single-source ones in
    reading order. Every citation of a corroborated claim passed the support check against the
    claim's text (:mod:`synoptic.crosscheck.support`) and carries its score as ``confidence``.
    ``units``: :func:`story_units` of these articles, when the caller has them already."""
    cfg = settings.crosscheck.for_embedder(settings.nlp.embedder)
    units = units if units is not None else story_units(articles, cfg, facts, splits)
    if not units:
        return ()
    embedder = embedder or run_embedder(settings.nlp)
    vectors, raw = text_cosines([u.text for u in units], embedder)
    sim = similarity(units, vectors, cfg, cosine=raw)
    checker = _Checker(units, raw, articles, facts, settings.support, context)
    sources = Sources(articles, copies)
    by_id = {a.id: a for a in articles}
    position: dict[str, dict[Span, int]] = {a.id: {} for a in articles}
    seen: Counter[str] = Counter()
    for u in units:  # each unit's rank among its article's units, in one pass
        position.setdefault(u.article, {})[u.span] = seen[u.article]
        seen[u.article] += 1
    dated = DatedTogether(units, facts.timeline) if facts is not None and facts.timeline else None
    claims: list[tuple[tuple[int, int, float, str], Claim]] = []
    seen_conflicts: set[tuple[str, frozenset[tuple[str, int, int]]]] = set()
    groups = group_units(
        units,
        sim,
        cfg,
        accept=checker.accept,
        quality=checker.quality,
        cosine=raw,
        judge=checker.judge,
    )
    for members in groups:
        rep_index = members[0]
        rep = units[rep_index]
        cites = tuple(
            sorted(
                (
                    Citation(units[i].article, units[i].span, round(checker.check(rep_index, i).score, 3))
                    for i in members
                ),
                key=_cite_key,
            )
        )
        outlets = sources.outlets(c.article for c in cites)
        conflicts: tuple[Conflict, ...] = ()
        wordings: tuple[Wording, ...] = ()
        if len(members) > 1:
            wordings = claim_wordings([units[i] for i in members], by_id, sources, cfg)
        conflicts = find_conflicts(
            rep_index,
            units,
            raw,
            checker.same_fact,
            sources,
            cfg,
            holder=lambda u, slot: checker.ctx.holder(u.text, u.span[0], slot.span),
        )
        if facts and facts.quotes:
            # the same words with another speaker: close units of other articles, cited or not
            near = np.flatnonzero(raw[rep_index].astype(np.float64) >= cfg.conflict_similarity).tolist()
            conflicts += speaker_conflicts(
                [units[i] for i in dict.fromkeys([rep_index, *near])],
                facts.quotes,
                sources,
                settings.dossier.show_threshold,
            )
        # a conflict between two statements is found from either side: report it once
        conflicts = tuple(k for k in conflicts if _conflict_key(k) not in seen_conflicts)
        seen_conflicts.update(_conflict_key(k) for k in conflicts)
        related: tuple[Citation, ...] = ()
        if len(outlets) <= 1:
            related = related_statements(
                rep_index,
                {units[i].article for i in members},
                units,
                raw,
                checker.check,
                checker.known,
                checker.ctx.shared_rarity,
                sources,
                cfg,
                settings.support.paraphrase_cosine,
            )
            if not related and dated is not None:
                related = dated.related(members, raw, sources)
        claim = Claim(
            id=_claim_id(cites),
            text=rep.text,
            citations=cites,
            outlets=outlets,
            single_source=len(outlets) <= 1 and not related,
            conflicts=conflicts,
            wordings=wordings,
            confidence=round(checker.quality[rep_index], 3),
            related=related,
        )
        n_articles = len({c.article for c in cites})
        first = min(
            position[units[i].article][units[i].span] / max(1, len(position[units[i].article]))
            for i in members
        )
        claims.append(((-len(outlets), -n_articles, first, claim.id), claim))
    ordered = tuple(c for _, c in sorted(claims, key=lambda x: x[0]))
    return attach_headings(ordered, articles, embedder, cfg)
