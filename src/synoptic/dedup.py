"""Copies between articles: duplicates, near-duplicates, syndicated wire copy, reworded copies
and credited origins, each link with its kind and a human-readable piece of evidence.

Stage order (all candidate generation is sub-quadratic):

1. **duplicate**: the same normalised text (NFKC, case-folded, whitespace collapsed). Exact
   duplicates are grouped by a hash; later steps see one representative per group.
2. **near-duplicate / syndicated**: the 5-word shingles two texts share are counted for all
   pairs at once (a sparse product, stock phrases aside), and pairs that may pass a bar are
   checked on the exact shingle sets: Jaccard >= ``near_duplicate_jaccard`` or containment of the
   shorter text in the longer >= ``syndicated_containment``. Between different outlets that is a
   *syndicated* copy (the same wire body under several mastheads); within one outlet (or where the
   outlet is unknown) a *near-duplicate* (an updated or re-posted version).
3. **reworded**: MinHash LSH on content-word sets proposes topically close pairs (kept when their
   content words overlap, exactly counted); a pair is a
   reworded copy when most sentences of one have an embedding near-match among the other's
   sentences, in the same order (longest increasing run of matched positions).
4. **credited**: an article whose text credits an outlet (``(CNN)`` dateline, "With inputs from
   ANI", read by the cleaner into ``Article.credits``) is linked to the articles of that outlet in
   the same input.

In a link ``b`` is the copy of ``a``: ``a`` is the earlier article where both dates are known (a
date without a time zone read as UTC, :attr:`~synoptic.records.Article.published_at`),
else the one the other credits, else the longer text, else the smaller id. The result is sorted and
does not depend on input order; duplicates of an article in the input (same id) are read once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import heapq
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash
from numpy.typing import NDArray

from synoptic.config import DedupSettings
from synoptic.executors import Executor, InProcessExecutor
from synoptic.nlp.embeddings import Embedder, KnownVectors, make_embedder
from synoptic.nlp.sentences import split_sentences
from synoptic.nlp.text import STOP_WORDS, WORD_PIECE, normalised
from synoptic.records import Article, CopyKind, CopyLink

_WORD = WORD_PIECE  # was \w+: the same runs, less the underscore
_STOP = STOP_WORDS | frozenset(
    "being did does here him how if no our said says them us whose why your".split()
)
"""Words left out of the vocabulary that proposes reworded pairs: the shared base and the words the
``reworded_candidate_*`` bars were set with (a longer list would move which pairs are proposed)."""
_KIND_ORDER: dict[str, int] = {
    "duplicate": 0,
    "near-duplicate": 1,
    "syndicated": 2,
    "reworded": 3,
    "credited": 4,
}


normalised_text = normalised  # the one normaliser, nlp/text.py


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, n: int) -> set[str]:
    """Word ``n``-grams of ``text``; a text shorter than ``n`` words is one shingle (none if empty)."""
    ws = words(text)
    if not ws:
        return set()
    if len(ws) < n:
        return {" ".join(ws)}
    return {" ".join(ws[i : i + n]) for i in range(len(ws) - n + 1)}


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the rolling hash (golden ratio)


def shingle_codes(text: str, n: int, word_codes: dict[str, int]) -> NDArray[np.uint64]:
    """:func:`shingles` as sorted distinct 64-bit codes: a rolling hash over stable word codes
    (``word_codes``, filled as words are met: one per run). Set sizes and overlaps are those of
    the strings, barring a 64-bit collision, at an eighth of the memory or less."""
    ws = words(text)
    if not ws:
        return np.zeros(0, dtype=np.uint64)
    codes = np.fromiter((word_codes.get(w) or _word_code(w, word_codes) for w in ws), np.uint64, len(ws))
    k = min(n, len(ws))
    with np.errstate(over="ignore"):
        h = np.zeros(len(ws) - k + 1, dtype=np.uint64)
        for offset in range(k):
            h = h * _MIX + codes[offset : offset + len(h)]
    return np.unique(h)


def _shared(x: NDArray[np.uint64], y: NDArray[np.uint64]) -> int:
    """How many values two sorted arrays of distinct values share (the shorter one looked up in
    the longer: twice as fast as ``np.intersect1d``, which sorts both together)."""
    if len(x) > len(y):
        x, y = y, x
    if not len(x):
        return 0
    at = np.searchsorted(y, x)
    at[at == len(y)] = 0
    return int(np.count_nonzero(y[at] == x))


def _word_code(word: str, word_codes: dict[str, int]) -> int:
    code = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little") | 1
    word_codes[word] = code
    return code


def _minhash(items: Iterable[str], num_perm: int, hashes: dict[str, int]) -> MinHash:
    """The seed-1 MinHash of ``items``, each item hashed once per run: ``hashes`` keeps the
    value datasketch's own hash function gives it (hashing is half of a MinHash's cost)."""
    scheme, perms, hashfunc = _permutations(num_perm)
    batch = list(items)
    for item in batch:
        if item not in hashes:
            hashes[item] = hashfunc(item.encode("utf-8"))
    m = MinHash(num_perm=num_perm, seed=1, permutations=perms, scheme=scheme, hashfunc=hashes.__getitem__)
    m.update_batch(batch)
    return m


@functools.cache
def _permutations(num_perm: int) -> tuple[Any, Any, Any]:
    """The scheme, seed-1 permutations and hash function every MinHash here uses (drawing the
    permutations is most of a small MinHash's cost). Read-only, one per ``num_perm``: safe to
    cache in any process."""
    first = MinHash(num_perm=num_perm, seed=1)
    perms = first.permutations
    perms.setflags(write=False)
    return first.scheme, perms, first.hashfunc


def _outlet(article: Article) -> str:
    return article.outlet_name.casefold().strip()


def _same_outlet(a: Article, b: Article) -> bool:
    return _outlet(a) == _outlet(b)


def _credits(article: Article) -> set[str]:
    return {c.casefold().strip() for c in article.credits}


def _original_first(a: Article, b: Article) -> tuple[Article, Article]:
    """``(original, copy)`` for two related articles (see the module docstring)."""
    da, db = a.published_at, b.published_at
    if da is not None and db is not None and da != db:
        return (a, b) if da < db else (b, a)
    if _outlet(a) in _credits(b) and _outlet(b) not in _credits(a):
        return a, b
    if _outlet(b) in _credits(a) and _outlet(a) not in _credits(b):
        return b, a
    if len(a.text) != len(b.text):
        return (a, b) if len(a.text) > len(b.text) else (b, a)
    return (a, b) if a.id < b.id else (b, a)


def _link(a: Article, b: Article, kind: CopyKind, evidence: str, score: float) -> CopyLink:
    return CopyLink(a=a.id, b=b.id, kind=kind, evidence=evidence, score=round(float(score), 4))


def _label(article: Article) -> str:
    return article.outlet_name


def _pair_key(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


def find_copies(
    articles: Sequence[Article],
    settings: DedupSettings,
    *,
    embedder: Embedder | None = None,
    settled: Collection[str] = frozenset(),
    executor: Executor | None = None,
    known: KnownVectors | None = None,
) -> list[CopyLink]:
    """Every copy relation among ``articles`` (see the module docstring), sorted.

    ``executor``: where the rewording check's sentence comparisons run (the same links on any).
    ``known``: where the sentence vectors the rewording check encodes with a model (MiniLM) are
    kept for the run's dossiers (none kept when not given; hashing vectors never).

    ``settled``: ids of articles whose links among each other are known already (a store's):
    a pair of two of them is neither checked nor returned. The links returned are exactly those
    of a search without ``settled`` that have an end outside it: candidates are still proposed
    among all articles (step 3 keeps each article's closest, whoever they are), but only the
    pairs with an unsettled end are checked, which is the cost."""
    arts = sorted({a.id: a for a in articles}.values(), key=lambda a: a.id)
    settled = frozenset(settled) & {a.id for a in arts}
    links: dict[tuple[str, str], CopyLink] = {}

    # 1. exact duplicates: one representative per normalised text
    groups: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        norm = normalised_text(art.text)
        if norm:
            groups[hashlib.sha256(norm.encode("utf-8")).hexdigest()].append(art)
    reps: list[Article] = []
    for members in groups.values():
        members.sort(key=lambda a: _sort_key_original(a))
        head = members[0]
        reps.append(head)
        for other in members[1:]:
            where = (
                f"under {_label(head)} and {_label(other)}"
                if not _same_outlet(head, other)
                else f"both from {_label(head)}"
            )
            links[_pair_key(head.id, other.id)] = _link(
                head, other, "duplicate", f"identical text ({len(words(head.text))} words) {where}", 1.0
            )
    reps.sort(key=lambda a: a.id)

    # 2. near-duplicates and syndicated copies
    by_id = {a.id: a for a in reps}
    word_codes: dict[str, int] = {}
    sh = {a.id: shingle_codes(a.text, settings.shingle_words, word_codes) for a in reps}
    del word_codes
    for x, y in _shingle_candidates(sh, settings, settled):
        sx, sy = sh[x], sh[y]
        inter = _shared(sx, sy)
        if not inter:
            continue
        jaccard = inter / (len(sx) + len(sy) - inter)
        containment = inter / min(len(sx), len(sy))
        ax, ay = by_id[x], by_id[y]
        if jaccard < settings.near_duplicate_jaccard and containment < settings.syndicated_containment:
            continue
        a, b = _original_first(ax, ay)
        if not _same_outlet(ax, ay):
            evidence = (
                f"{containment:.0%} of the shorter text's 5-word sequences also in the other, "
                f"under {_label(a)} and {_label(b)}"
            )
            links[_pair_key(x, y)] = _link(a, b, "syndicated", evidence, containment)
        else:
            evidence = f"{jaccard:.0%} of 5-word sequences shared (containment {containment:.0%})"
            links[_pair_key(x, y)] = _link(a, b, "near-duplicate", evidence, jaccard)

    del sh, by_id  # 100k articles' shingle codes: 0.35 GB the rewording search can use

    # 3. reworded copies
    if settings.reworded:
        for link in _reworded(reps, links, settings, embedder, settled, executor, known):
            links[_pair_key(link.a, link.b)] = link

    # 4. credited origins within the input
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        by_outlet[_outlet(art)].append(art)
    for art in arts:
        for credit in sorted(_credits(art)):
            if credit == _outlet(art):
                continue
            for origin in by_outlet.get(credit, ()):
                key = _pair_key(origin.id, art.id)
                if key not in links and not (origin.id in settled and art.id in settled):
                    evidence = (
                        f"{_label(art)} credits {credit.upper() if len(credit) <= 4 else credit.title()}"
                    )
                    links[key] = _link(origin, art, "credited", evidence, 1.0)

    found = (c for c in links.values() if c.a not in settled or c.b not in settled)
    return sorted(found, key=lambda c: (_KIND_ORDER[c.kind], c.a, c.b))


def _sort_key_original(a: Article) -> tuple[tuple[bool, dt.datetime], str]:
    """Earliest dated article first, then the smallest id: the representative of a duplicate group."""
    return (a.publication_key, a.id)


SHARED_MAX_DF = 1000
"""Shingles in more articles than this (stock phrases) are left out of the pair counting; they
still count towards each pair's upper bound, so a pair is only missed when nothing else joins
it. A wire story carried by up to this many outlets is counted exactly."""


def _shingle_candidates(
    sh: dict[str, NDArray[np.uint64]], settings: DedupSettings, settled: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """Every pair whose shingle overlap may pass the near-duplicate or the syndication bar, but
    pairs of two ``settled`` articles.

    Shared shingles are counted for all pairs at once by a sparse product (in row chunks, so
    memory stays bounded); a pair is kept when the upper bound of its intersection passes a
    bar, and checked exactly on the sets afterwards. Exact where LSH (and LSH Ensemble, for
    containment) only estimate, and faster on a batch."""
    keys = sorted(k for k, v in sh.items() if len(v))
    n = len(keys)
    if n < 2:
        return []
    sizes = np.array([len(sh[k]) for k in keys], dtype=np.int64)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]  # per-article sums by reduceat: no set is empty
    # column numbers as int32 and no per-shingle owner array: at 100k articles (40 million
    # shingles) np.unique's inverse and counts as int64 held 2.6 GB at once
    distinct, counts = np.unique(np.concatenate([sh[k] for k in keys]), return_counts=True)
    df = counts.astype(np.int32)
    del counts
    column = np.concatenate([np.searchsorted(distinct, sh[k]).astype(np.int32) for k in keys])
    del distinct
    shared_by = df[column]
    common = shared_by > SHARED_MAX_DF
    # shingles too common to count, per article
    stock = np.add.reduceat(common, starts).astype(np.float64)
    counted = (shared_by >= 2) & ~common
    del shared_by, common
    indptr = np.r_[0, np.cumsum(np.add.reduceat(counted, starts))]
    m = sp.csr_matrix(
        (np.ones(int(indptr[-1]), dtype=np.float32), column[counted], indptr), shape=(n, len(df))
    )
    del column, counted
    if not m.nnz:
        return []
    mt = m.T.tocsr()
    sizes_f = sizes.astype(np.float64)
    is_settled = np.array([k in settled for k in keys], dtype=bool)
    # the rows of unsettled articles only: a pair of two of them is met in both rows, kept in
    # the one of its smaller end; a pair with a settled end in the unsettled end's row
    unsettled = np.flatnonzero(~is_settled)
    pairs: list[tuple[str, str]] = []
    step = 2000  # rows per product: bounded memory
    for start in range(0, len(unsettled), step):
        rows = unsettled[start : start + step]
        block = sp.csr_matrix(m[rows] @ mt).tocoo()
        i = rows[block.row]
        j = block.col.astype(np.int64)
        upper = block.data.astype(np.float64) + np.minimum(stock[i], stock[j])
        smaller = np.minimum(sizes_f[i], sizes_f[j])
        union = sizes_f[i] + sizes_f[j] - upper
        keep = ((j > i) | is_settled[j]) & (
            (upper >= settings.syndicated_containment * smaller)
            | (upper >= settings.near_duplicate_jaccard * union)
        )
        lo, hi = np.minimum(i[keep], j[keep]), np.maximum(i[keep], j[keep])
        pairs.extend((keys[a], keys[b]) for a, b in zip(lo.tolist(), hi.tolist(), strict=True))
    return sorted(pairs)


def _incidence(rows: Sequence[NDArray[np.int32]], columns: int) -> sp.csr_matrix:
    """A 0/1 matrix with a row per item, given as the sorted distinct column numbers it has."""
    indptr = np.r_[0, np.cumsum([len(r) for r in rows])].astype(np.int64)
    indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
    ones = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((ones, indices, indptr), shape=(len(rows), max(1, columns)))


PRODUCT_BUCKET = 30
"""Members from which a bucket's shared words are counted by one sparse product of its rows
rather than pair by pair (a product is faster for a large bucket, slower for a small one)."""
PRODUCT_ENTRIES = 2_000_000
"""Pairs of a large bucket counted by one product (a block of its rows against all of them).
Counted whole, and a band's passing pairs held until its end, the buckets of up to 4,597
articles of the 100k-article corpus made the copies stage peak at 2.89 GB; 2.54 GB since."""


def _close_banded_pairs(
    signatures: NDArray[np.uint64],
    sets: sp.csr_matrix,
    threshold: float,
    num_perm: int,
    bar: float,
    product_bucket: int = PRODUCT_BUCKET,
    per_row: int | None = None,
) -> NDArray[np.int64]:
    """The row pairs ``(i, j)``, ``i < j``, as sorted codes ``i * n + j``, that a
    ``MinHashLSH(threshold, num_perm)`` holding these signatures would return for each other (their
    signatures agree on every value of some band) and whose rows of the 0/1 matrix ``sets`` share
    at least ``bar`` of the smaller row (exact).

    Band by band with array sorts instead of one hash-table lookup per key and band, and each
    band's pairs checked against the bar before they are kept: at a low threshold the bands
    propose far more pairs than pass (212 million, 176 million distinct, on the 100k-article
    scale corpus, where 8 million pass), so only those that pass are ever held.

    With ``per_row``, a pair is kept only when it is among the ``per_row`` closest of one of
    its two rows (by the shared share, ties by code): at most ``per_row * n`` pairs, however
    large the groups of mutually close rows (inside a big story every article passes the bar
    with every other). Applied after the last band and whenever more than twice that many pairs
    are found (a trim is a sort of all of them, too costly for every band; passing pairs wait
    to be folded in until a band ends or that many wait), which keeps the same pairs as applying
    it once to all of them: a pair outside both of its rows' closest stays outside as pairs are
    added."""
    n = len(signatures)
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    bands, rows = _lsh_params(threshold, num_perm)
    sizes = np.diff(sets.indptr).astype(np.float64)
    found = np.zeros(0, dtype=np.int64)
    found_share = np.zeros(0, dtype=np.float64)

    def passing(
        i: NDArray[np.int64], j: NDArray[np.int64], shared: NDArray[Any]
    ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        share = np.asarray(shared, dtype=np.float64) / np.maximum(np.minimum(sizes[i], sizes[j]), 1.0)
        keep = share >= bar
        return i[keep] * n + j[keep], share[keep]

    # pairs found before a trim (twice what a trim keeps), and pairs waiting to be folded in
    bound = 2 * (per_row if per_row is not None else 20) * n
    pending: list[tuple[NDArray[np.int64], NDArray[np.float64]]] = []
    held = 0

    def flush(last: bool) -> None:
        """Fold the pending pairs into those found; trim to each row's closest after the last
        band and whenever more than ``bound`` pairs are found."""
        nonlocal found, found_share, pending, held
        codes, first_at = np.unique(np.concatenate([found, *(c for c, _ in pending)]), return_index=True)
        found_share = np.concatenate([found_share, *(v for _, v in pending)])[first_at]
        found, pending, held = codes, [], 0
        if per_row is not None and (last or len(found) > bound):
            found, found_share = _closest_per_row(found, found_share, n, per_row)

    def add(pairs: tuple[NDArray[np.int64], NDArray[np.float64]]) -> None:
        nonlocal held
        pending.append(pairs)
        held += len(pairs[0])
        if held > bound:  # a band of large buckets passes tens of millions of pairs
            flush(last=False)

    for band in range(bands):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        bucket_keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        bucket = np.unique(bucket_keys, return_inverse=True)[1].ravel()
        order = np.argsort(bucket, kind="stable").astype(np.int64)  # a bucket's members in row order
        ranked = bucket[order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        counts = np.diff(np.r_[starts, n])
        small_first = [order[starts[counts == 2]]]  # most shared buckets: one pair each, all at once
        small_second = [order[starts[counts == 2] + 1]]
        for start, count in zip(starts[counts > 2].tolist(), counts[counts > 2].tolist(), strict=True):
            members = order[start : start + count]
            if count >= product_bucket:
                rows_of = sets[members]
                columns = rows_of.T.tocsr()
                step_rows = max(1, PRODUCT_ENTRIES // count)  # a bucket of 4,600: 21 M products
                for lo in range(0, count, step_rows):
                    product = (rows_of[lo : lo + step_rows] @ columns).tocoo()
                    row = product.row.astype(np.int64) + lo
                    upper = row < product.col
                    add(passing(members[row[upper]], members[product.col[upper]], product.data[upper]))
            else:
                first, second = np.triu_indices(count, 1)
                small_first.append(members[first])
                small_second.append(members[second])
        i_all, j_all = np.concatenate(small_first), np.concatenate(small_second)
        step = 20_000  # pairs per row product: bounded memory
        for s in range(0, len(i_all), step):
            i, j = i_all[s : s + step], j_all[s : s + step]
            add(passing(i, j, np.asarray(sets[i].multiply(sets[j]).sum(axis=1)).ravel()))
        flush(last=band == bands - 1)
    return found


def _closest_per_row(
    codes: NDArray[np.int64], share: NDArray[np.float64], n: int, per_row: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The pairs (sorted codes ``i * n + j``) among the ``per_row`` highest-share pairs of ``i``
    or of ``j``, ties broken by code."""
    if not len(codes):
        return codes, share
    ends = np.concatenate(np.divmod(codes, n))
    pair = np.tile(np.arange(len(codes), dtype=np.int64), 2)
    order = np.lexsort((codes[pair], -share[pair], ends))
    ranked = ends[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(codes), dtype=bool)
    keep[pair[order[rank < per_row]]] = True
    return codes[keep], share[keep]


@functools.cache
def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's choice of (bands, rows per band) for an LSH index at ``threshold``."""
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


def _content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in _STOP and len(w) > 2 and not w.isdigit()}


def _reworded(
    reps: Sequence[Article],
    links: dict[tuple[str, str], CopyLink],
    settings: DedupSettings,
    embedder: Embedder | None,
    settled: frozenset[str] = frozenset(),
    executor: Executor | None = None,
    known: KnownVectors | None = None,
) -> list[CopyLink]:
    """Sentence-by-sentence paraphrases among topically close pairs not linked already (and not
    of two ``settled`` articles); the sentence check of the candidates on ``executor``; the
    sentence vectors a model encodes added to ``known``."""
    # content words as column numbers, MinHash signatures as bare arrays, pairs as row numbers:
    # what 100k articles' sets of strings (or of Python ints: 0.8 GB), MinHash objects and pairs
    # of ids would hold is several GB
    column_of: dict[str, int] = {}
    hashes: dict[str, int] = {}
    arts: list[Article] = []
    vocab: list[NDArray[np.int32]] = []
    signatures: list[NDArray[np.uint64]] = []
    for a in sorted(reps, key=lambda r: r.id):
        content = _content_words(a.text)
        if len(content) >= 5:
            arts.append(a)
            columns = (column_of.setdefault(w, len(column_of)) for w in content)
            vocab.append(np.sort(np.fromiter(columns, np.int32, len(content))))
            signatures.append(_minhash(content, settings.num_perm, hashes).hashvalues)
    del hashes
    n = len(arts)
    if n < 2:
        return []
    sets, minhashes = _incidence(vocab, len(column_of)), np.vstack(signatures)
    del vocab, signatures, column_of  # the banding's own arrays peak next
    # LSH at a bar this low proposes mostly pairs far below it: the exact containment keeps the
    # sentence check (the costly part) for the close ones
    codes = _close_banded_pairs(
        minhashes,
        sets,
        settings.reworded_candidate_jaccard,
        settings.num_perm,
        settings.reworded_candidate_containment,
        per_row=settings.reworded_max_partners,
    )
    del sets, minhashes
    row = {a.id: k for k, a in enumerate(arts)}
    linked = [row[x] * n + row[y] for x, y in links if x in row and y in row]
    codes = codes[~np.isin(codes, np.array(linked, dtype=np.int64))]
    if settled:
        is_settled = np.array([a.id in settled for a in arts], dtype=bool)
        codes = codes[~(is_settled[codes // n] & is_settled[codes % n])]
    if not len(codes):
        return []
    first, second = np.divmod(codes, n)
    order = _local_order(first, second)
    pairs = _Candidates(arts, first[order], second[order])
    embedder = embedder or make_embedder("minilm")
    executor = executor or InProcessExecutor()
    if embedder.name != "hashing":
        found = _check_encoding_once(pairs, settings, embedder, executor, known)
    else:
        found = _check_in_runs(pairs, settings, embedder, executor)
    return [found[p] for p in sorted(found)]


class _Candidates(NamedTuple):
    """The rewording check's candidate pairs: ``(arts[first[k]], arts[second[k]])``, in local
    order (:func:`_local_order`: an article's pairs lie close together)."""

    arts: Sequence[Article]
    first: NDArray[np.int64]
    second: NDArray[np.int64]


def _check_in_runs(
    pairs: _Candidates, settings: DedupSettings, embedder: Embedder, executor: Executor
) -> dict[tuple[str, str], CopyLink]:
    """The rewording check where encoding is cheap (hashing): in runs of consecutive pairs
    (nearby articles, in local order), each with only the articles it reads, on the executor's
    workers while this process goes on, and the same runs in process, so every executor finds
    the same links. An article is encoded in each run that reads it, and nothing is sent back
    but the links."""
    arts, first, second = pairs
    check = functools.partial(_reworded_run, settings=settings, embedder=embedder)
    size = reworded_run_size(len(first))
    runs = (_run_of(arts, first[k : k + size], second[k : k + size]) for k in range(0, len(first), size))
    found: dict[tuple[str, str], CopyLink] = {}
    for links_found in executor.map(check, runs):
        found.update(links_found)
    return found


ENCODE_CHUNK = 2_000
"""New sentences per encoding task of the rewording check with a model (MiniLM, about 7-20 s of
a worker): enough for a full batch of every sentence length, small enough that a thousand
articles (7.3k distinct sentences of the scale corpus) still make four tasks for two workers."""


def _check_encoding_once(
    pairs: _Candidates,
    settings: DedupSettings,
    embedder: Embedder,
    executor: Executor,
    known: KnownVectors | None,
) -> dict[tuple[str, str], CopyLink]:
    """The rewording check where encoding is the cost (MiniLM): each distinct sentence is
    encoded once, on the executor in chunks of ``ENCODE_CHUNK`` new sentences, in the order the
    pairs first need their articles; this process checks each pair as soon as its two articles
    have arrived, and drops an article's vectors after its last pair.

    Encoding once: runs of pairs encoded 14k article visits for 9.2k articles of a 10k corpus,
    and those articles hold each of their distinct sentences 3.3 times (the scale corpus cuts a
    story's few documents as outlets cut a wire story: its copies repeat most of its sentences).
    The chunks depend on the pairs alone, so every executor encodes the same batches and finds
    the same links.

    In local order an article's pairs lie close together, so the vectors held at once stay
    few; a sentence's vector is dropped once the last article that holds it has arrived. Every
    article's vectors go to ``known``."""
    arts, first, second = pairs
    requests = np.column_stack([first, second]).ravel()
    needed, first_request = np.unique(requests, return_index=True)
    needed = needed[np.argsort(first_request, kind="stable")]  # in the order first needed
    rank = np.empty(len(arts), dtype=np.int64)
    rank[needed] = np.arange(len(needed))
    # pair k can be checked once this many articles (in that order) have arrived
    ready = np.maximum.accumulate(np.maximum(rank[first], rank[second])) + 1
    last_pair = np.zeros(len(arts), dtype=np.int64)
    np.maximum.at(last_pair, requests, np.arange(len(requests)) // 2)

    numbered = _number_sentences(arts, needed.tolist(), settings.reworded_min_sentences)
    texts, chunk_ends = numbered.texts, numbered.chunk_ends
    starts = [0] + [t for _, t in chunk_ends[:-1]]
    batches = (texts[s:e] for s, (_, e) in zip(starts, chunk_ends, strict=True))

    vector_of: dict[int, np.ndarray] = {}
    held: dict[int, np.ndarray | None] = {}
    found: dict[tuple[str, str], CopyLink] = {}
    arrived = k = 0
    encoded = executor.map(embedder.encode, batches)
    for start, (upto, _), matrix in zip(starts, chunk_ends, encoded, strict=True):
        for i, row in enumerate(matrix, start):
            vector_of[i] = row.copy()  # each frees alone
        for r in range(arrived, upto):
            pos, ids = int(needed[r]), numbered.held_by[r]
            if ids:
                held[pos] = rows = np.stack([vector_of[i] for i in ids])
                if known is not None:
                    known.add(arts[pos].id, [texts[i] for i in ids], rows)
                for i in ids:
                    if numbered.last_holder[i] == r:
                        vector_of.pop(i, None)
            else:
                held[pos] = None
        arrived = upto
        while k < len(first) and ready[k] <= arrived:
            i, j = int(first[k]), int(second[k])
            vi, vj = held[i], held[j]
            if vi is not None and vj is not None:
                link = _paraphrase_link(arts[i], arts[j], vi, vj, settings)
                if link is not None:
                    found[(arts[i].id, arts[j].id)] = link
            for pos in (i, j):
                if last_pair[pos] == k:
                    del held[pos]
            k += 1
    return found


def _long_sentences(article: Article) -> list[str]:
    """The sentences the rewording check compares: those of four words or more."""
    return [s.text for s in split_sentences(article) if len(s.text.split()) >= 4]


def _compared_sentences(article: Article, min_sentences: int) -> list[str]:
    """The article's long sentences, or none when they are fewer than ``min_sentences``: too
    short to call a rewording, so not encoded."""
    sentences = _long_sentences(article)
    return sentences if len(sentences) >= min_sentences else []


@dataclasses.dataclass(frozen=True, slots=True)
class _NumberedSentences:
    """The sentences of a sequence of articles as numbers of distinct texts (numbered as first
    met), cut into chunks of about ``ENCODE_CHUNK`` new texts at article boundaries."""

    texts: list[str]
    """Each distinct sentence once, by its number."""
    held_by: list[list[int]]
    """Each article's sentences (in the sequence's order), as numbers."""
    last_holder: list[int]
    """Each text's last article in the sequence: after it, its vector can go."""
    chunk_ends: list[tuple[int, int]]
    """Each chunk's end: (articles, texts) numbered before it; the last one ends both."""


def _number_sentences(arts: Sequence[Article], order: list[int], min_sentences: int) -> _NumberedSentences:
    """The compared sentences of ``arts[p]`` for each ``p`` in ``order``, numbered and chunked."""
    number: dict[str, int] = {}
    held_by: list[list[int]] = []
    last_holder: list[int] = []
    chunk_ends: list[tuple[int, int]] = []
    for r, pos in enumerate(order):
        ids = [number.setdefault(t, len(number)) for t in _compared_sentences(arts[pos], min_sentences)]
        last_holder.extend([r] * (len(number) - len(last_holder)))
        for i in ids:
            last_holder[i] = r
        held_by.append(ids)
        if len(number) - (chunk_ends[-1][1] if chunk_ends else 0) >= ENCODE_CHUNK:
            chunk_ends.append((r + 1, len(number)))
    if not chunk_ends or chunk_ends[-1][0] < len(order):
        chunk_ends.append((len(order), len(number)))
    return _NumberedSentences(list(number), held_by, last_holder, chunk_ends)


REWORDED_RUN = 10_000
"""Candidate pairs per run of the rewording check (a task of the executor) at most: runs of
consecutive pairs share most of their articles, so few are encoded in two runs."""
REWORDED_MIN_RUNS = 4
"""Runs the check is cut into at least, when each still holds ``REWORDED_MIN_RUN`` pairs: a
thousand articles have a few hundred candidate pairs, and in one run one worker checked them
while the other waited. The cut depends on the pairs alone, so every executor runs the same
runs."""
REWORDED_MIN_RUN = 100


def reworded_run_size(pairs: int) -> int:
    """Pairs per run for ``pairs`` candidate pairs: as even runs as their count allows, at most
    ``REWORDED_RUN`` each, at least ``REWORDED_MIN_RUNS`` runs of ``REWORDED_MIN_RUN`` or more."""
    runs = max(-(-pairs // REWORDED_RUN), min(REWORDED_MIN_RUNS, pairs // REWORDED_MIN_RUN), 1)
    return -(-pairs // runs)


def _run_of(arts: Sequence[Article], first: NDArray[np.int64], second: NDArray[np.int64]) -> list[Any]:
    """A run of pairs with the articles it reads, renumbered into them: ``[articles, first,
    second]``, a list because an executor sends a list as data (Dask: not in the task graph)."""
    held = np.unique(np.concatenate([first, second]))
    return [
        [arts[k] for k in held.tolist()],
        np.searchsorted(held, first).astype(np.int64),
        np.searchsorted(held, second).astype(np.int64),
    ]


def _reworded_run(
    run: list[Any], settings: DedupSettings, embedder: Embedder
) -> list[tuple[tuple[str, str], CopyLink]]:
    """The rewording links of a run of pairs (:func:`_run_of`), each keyed by its pair of ids."""
    arts: list[Article] = run[0]
    first: NDArray[np.int64] = run[1]
    second: NDArray[np.int64] = run[2]
    vectors = _SentenceVectors(arts, settings.reworded_min_sentences, embedder)
    found = []
    for i, j, vi, vj in vectors.along(first, second):
        link = _paraphrase_link(arts[i], arts[j], vi, vj, settings)
        if link is not None:
            found.append(((arts[i].id, arts[j].id), link))
    return found


def _local_order(first: NDArray[np.int64], second: NDArray[np.int64]) -> NDArray[np.int64]:
    """The order putting pairs of nearby articles together: articles numbered by reverse
    Cuthill-McKee over the pair graph (which keeps linked articles close in the numbering), pairs
    by their numbers. Candidates chain whole stories and stories to each other, so a bounded
    cache of sentence vectors, filled in this order, rarely encodes an article twice."""
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    nodes, inverse = np.unique(np.concatenate([first, second]), return_inverse=True)
    rows, cols = inverse[: len(first)], inverse[len(first) :]
    graph = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows.astype(np.int32), cols.astype(np.int32))),
        shape=(len(nodes), len(nodes)),
    )
    position = np.empty(len(nodes), dtype=np.int64)
    position[reverse_cuthill_mckee(graph, symmetric_mode=False)] = np.arange(len(nodes))
    p, q = position[rows], position[cols]
    return np.lexsort((np.maximum(p, q), np.minimum(p, q))).astype(np.int64)


class _SentenceVectors:
    """Sentence vectors of the articles of a sequence of pairs, encoded on demand and held in a
    bounded cache, so memory stays bounded however many candidates a corpus has.

    The whole sequence is known in advance, so the cache can be run optimally: a miss encodes
    the missing articles with the next ones the sequence needs that are not held (about ``batch``
    sentences in one call), and room is made by dropping the held articles needed again latest
    (Belady's rule) beyond ``capacity`` sentences. An article with fewer than ``min_sentences``
    sentences (of four words or more) has no vectors: too short to call a rewording."""

    def __init__(
        self,
        articles: Sequence[Article],
        min_sentences: int,
        embedder: Embedder,
        batch: int = 4_000,
        capacity: int = 60_000,
    ) -> None:
        self.articles = articles
        self.min_sentences = min_sentences
        self.embedder = embedder
        self.batch = batch
        self.capacity = capacity
        self.encoded = 0
        """Sentences encoded (more than the articles hold when the cache had to drop some)."""

    def along(
        self, first: NDArray[np.int64], second: NDArray[np.int64]
    ) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
        """Each pair ``(first[k], second[k])`` (positions in ``articles``) whose two articles have
        vectors, with them, in the given order."""
        requests = np.column_stack([first, second]).ravel()
        never = len(requests)
        # the position where each request's article is requested next (arrays: millions of pairs)
        following = np.full(len(requests), never, dtype=np.int64)
        by_article = np.argsort(requests, kind="stable")
        again = requests[by_article[1:]] == requests[by_article[:-1]]
        following[by_article[:-1][again]] = by_article[1:][again]
        held: dict[int, np.ndarray | None] = {}
        next_use: dict[int, int] = {}
        latest: list[tuple[int, int]] = []  # heap of (-next use, article), stale entries skipped
        size = 0
        for k in range(0, len(requests), 2):
            now = (int(requests[k]), int(requests[k + 1]))
            if now[0] not in held or now[1] not in held:
                fresh, first_use = self._sentences_from(requests, k, held)
                room = sum(len(v) for v in fresh.values())
                while size + room > self.capacity and latest:
                    use, aid = heapq.heappop(latest)
                    if aid in held and next_use[aid] == -use and aid not in now:
                        dropped = held.pop(aid)
                        size -= 0 if dropped is None else len(dropped)
                        del next_use[aid]
                for aid, vectors in self._encode(fresh).items():
                    held[aid] = vectors
                    size += 0 if vectors is None else len(vectors)
                    next_use[aid] = first_use[aid]
                    heapq.heappush(latest, (-first_use[aid], aid))
            for offset, aid in enumerate(now):
                next_use[aid] = int(following[k + offset])
                heapq.heappush(latest, (-next_use[aid], aid))
            vx, vy = held[now[0]], held[now[1]]
            if vx is not None and vy is not None:
                yield now[0], now[1], vx, vy

    def _sentences_from(
        self, requests: NDArray[np.int64], k: int, held: dict[int, np.ndarray | None]
    ) -> tuple[dict[int, list[str]], dict[int, int]]:
        """The sentences of the articles requested from position ``k`` on that are not held,
        up to about ``batch`` sentences (at least those of the pair at ``k``), and the position
        of each one's first request."""
        out: dict[int, list[str]] = {}
        first: dict[int, int] = {}
        count = 0
        for j, aid in enumerate(requests[k : k + 8 * self.batch].tolist(), start=k):
            if aid in held or aid in out:
                continue
            if j >= k + 2 and count >= self.batch:
                break
            out[aid] = self._sentences(aid)
            first[aid] = j
            count += len(out[aid])
        return out, first

    def _encode(self, sentences: dict[int, list[str]]) -> dict[int, np.ndarray | None]:
        wanted = [aid for aid, sents in sentences.items() if sents]
        flat = [s for aid in wanted for s in sentences[aid]]
        matrix = self.embedder.encode(flat) if flat else np.zeros((0, 1), dtype=np.float32)
        self.encoded += len(flat)
        out: dict[int, np.ndarray | None] = {}
        start = 0
        for aid, sents in sentences.items():
            if sents:
                out[aid] = matrix[start : start + len(sents)].copy()  # each frees on its own
                start += len(sents)
            else:
                out[aid] = None
        return out

    def _sentences(self, aid: int) -> list[str]:
        return _compared_sentences(self.articles[aid], self.min_sentences)


def _paraphrase_link(
    x: Article, y: Article, vx: np.ndarray, vy: np.ndarray, settings: DedupSettings
) -> CopyLink | None:
    """The rewording link between two articles when enough of one's sentences paraphrase the
    other's in order; the direction with the larger share, then dates or credits, say which
    is the copy."""
    by_id = {x.id: x, y.id: y}
    sim = vx @ vy.T  # rows: x's sentences, columns: y's
    best = None
    for copy, orig, s in ((y.id, x.id, sim.T), (x.id, y.id, sim)):
        share, matched, total = _in_order_share(s, settings.paraphrase_similarity)
        if best is None or share > best[0]:
            best = (share, matched, total, orig, copy)
    assert best is not None
    share, matched, total, orig, copy = best
    if share < settings.reworded_share:
        return None
    a, b = by_id[orig], by_id[copy]
    first, second = _original_first(a, b)
    if (first.id, second.id) != (a.id, b.id):
        # dates or credits say which came first; the share is symmetric enough to keep
        a, b = first, second
    evidence = f"{share:.0%} of sentences ({matched} of {total}) paraphrase {_label(a)}'s, in order"
    return _link(a, b, "reworded", evidence, share)


def _in_order_share(sim: np.ndarray, bar: float) -> tuple[float, int, int]:
    """Share of rows (the copy's sentences) matched above ``bar`` to columns in increasing order.

    Each row takes its best column; the matched rows' columns form a sequence whose longest
    non-decreasing subsequence counts the sentences that paraphrase the original in its order.
    """
    total = sim.shape[0]
    if total == 0 or sim.shape[1] == 0:
        return 0.0, 0, total
    best_col = sim.argmax(axis=1)
    best_val = sim.max(axis=1)
    seq = [int(c) for c, v in zip(best_col, best_val, strict=True) if v >= bar]
    run = _longest_non_decreasing(seq)
    return run / total, run, total


def _longest_non_decreasing(seq: Sequence[int]) -> int:
    import bisect

    tails: list[int] = []
    for v in seq:
        i = bisect.bisect_right(tails, v)
        if i == len(tails):
            tails.append(v)
        else:
            tails[i] = v
    return len(tails)
