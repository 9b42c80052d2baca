"""Neutral extractive multi-document summary with citations.

``summarize(articles, settings, *, claims, timeline, copies, budget_words, query)`` picks whole
source sentences, so every summary sentence is a sentence of some article and cites it by
``(article id, span)``: a :class:`~synoptic.records.SummarySentence` is only ever built from a
:class:`~synoptic.records.Sentence` of :func:`~synoptic.nlp.sentences.split_sentences`, whose span
indexes ``article.text`` exactly. A citation that does not resolve cannot be produced.

Steps:

1. **Candidates**: every sentence of every article except headings, fragments and furniture
   (too short or too long, all caps, URLs, "click", photo credits...). Each candidate gets a
   *neutrality/readability factor* in ``(0, 1]``, the product of penalties for a question,
   first/second person outside quotes, loaded words, a quote-only fragment, an unresolved
   pronoun or connective at the start, and a missing full stop.
2. **Evidence** (:data:`FEATURES`), from a TF-IDF space over the story's sentences (word unigrams
   and bigrams, lower case, light suffix stripping, stop words dropped): *position* (the lead is
   strong on news), *centrality* (cosine with the centroid of the articles, each article weighing
   the same), *corroboration* (the share of the other independent articles with a similar
   sentence: copies and syndicated versions from ``copies`` count once; given ``claims``, the
   share of the other outlets reporting the claim the sentence states), *frequency* (SumBasic),
   how central the sentence's article is, and a few surface cues (length, names, digits, quotes).
3. **Salience**: a linear score over the evidence whose weights (``SummarySettings.weights``)
   were fitted on the dev files by ``bench/mds_fit.py``, plus the cosine with an optional
   ``query`` (DUC 2006 style), minus ``neutrality_weight * (1 - factor)``.
4. **Selection**: greedy maximal marginal relevance within the word budget, with a bonus for
   corroborated words that no chosen sentence covers yet (so each main event gets a sentence);
   a candidate too similar to a chosen one is skipped; sentences that do not fit are passed
   over so that the budget is filled.
5. **Order**: articles in publication order (by id when undated, so the input order does not
   matter), sentences by position; where the ``timeline`` dates some of the chosen sentences,
   those are put in chronological order among themselves.

Each summary sentence cites its own span first, then one sentence of each other independent
source that states the same claim (or, without claims, the most similar sentence when similar
enough), so a reader sees which outlets report the same thing. The whole stage is
deterministic and independent of the input order of the articles.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from synoptic.config import SummarySettings
from synoptic.crosscheck.support import SupportCiter, is_verbless_display, proposition_quality
from synoptic.nlp.casefold import CASE_TRAPS
from synoptic.nlp.quotations import in_open_quotation
from synoptic.nlp.sentences import CONTEXT_START, SentenceSplits, sentences_of
from synoptic.nlp.text import STOP_WORDS, WORD, smooth_idf_array
from synoptic.records import Article, Citation, Claim, CopyLink, Event, Sentence, Span, SummarySentence
from synoptic.unionfind import UnionFind

__all__ = ["is_furniture", "summarize", "word_count"]

_WORD = WORD
_STOP = STOP_WORDS | frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "ms", "mrs"}
"""The shared base, scikit-learn's English list (the term weights replicate its ``TfidfVectorizer``
and the salience weights were fitted with it, bench/mds_fit.py) and the words of reporting."""

_FURNITURE = re.compile(
    r"https?://|www\.|\.com\b|@\w|\bclick\b|\bsubscribe\b|\bnewsletter\b|\bsign up\b|\bcookies?\b"
    r"|\bjavascript\b|\badvertisement\b|\bread more\b|\bfollow us\b|\ball rights reserved\b|\bcopyright\b"
    r"|\bphoto(?:graph)?s?\s*(?::|by\b|credit)|\bgetty images\b|\bap photo\b|\breuters/|\bimage caption\b"
    r"|\bshare this\b|\bemail\b|\bprivacy policy\b|\bterms of (?:use|service)\b|\bbrowser\b"
    r"|\bcaption\b|\bvideo\b.*\b(?:play|watch)\b|\bwatch\b.*\bvideo\b|\bpodcast\b|\bdownload\b",
    re.IGNORECASE,
)
_FURNITURE_WORDS = (
    "http", "www.", ".com", "@", "click", "subscribe", "newsletter", "sign up", "cookie", "javascript",
    "advertisement", "read more", "follow us", "all rights reserved", "copyright", "photo", "getty images",
    "reuters/", "caption", "share this", "email", "privacy policy", "terms of ", "browser", "video",
    "podcast", "download",
)  # fmt: skip
"""A piece of each alternative of :data:`_FURNITURE`: a sentence whose lower-cased text holds none
of them (and none of :data:`CASE_TRAPS`) cannot match it, and the pattern is not tried."""
_FURNITURE_WORD = re.compile("|".join(map(re.escape, _FURNITURE_WORDS)))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_ASCII_NOT_UPPER = bytes(c for c in range(128) if not chr(c).isupper())
_PERSONAL = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|mine|we|we're|we've|our|ours|us|you|your|yours)\b")
_LOADED = frozenset(
    """shocking shameful disgraceful outrageous slammed blasted ripped destroyed scathing bombshell
    stunning horrific horrifying disastrous disaster absurd ridiculous pathetic idiotic insane crazy
    radical extremist thug thugs regime propaganda lies liar lying hypocrite hypocrisy corrupt evil
    disgusting despicable vile heroic brilliant amazing incredible unbelievable terrifying
    catastrophic humiliating humiliation meltdown tirade rant savage blistering furious fury
    laughable pandering sham hoax fake socialist communist fascist woke""".split()
)
_LOADED_ANYWHERE = re.compile("|".join(sorted(_LOADED)))
_OPEN_QUOTES = "\"“‘'«"
_CLOSE_QUOTES = "\"”’'»"
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|according|stated|wrote|writes|noted|notes|asked|explained|"
    r"announced|declared|insisted|argued|warned|claimed|reported|reports)\b",
    re.IGNORECASE,
)


def word_count(text: str) -> int:
    """Words as the ROUGE protocols count them: whitespace-separated tokens."""
    return len(text.split())


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A light suffix stripper (no model, no download): enough to match inflected forms."""
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + keep
    return word


@functools.lru_cache(maxsize=1 << 16)
def _term(word: str) -> str | None:
    """The stem a word of the text counts as, ``None`` for a stop word or a number (a four-digit
    number, a year, counts)."""
    w = word.lower().replace("’", "'")
    if (w not in _STOP and not w.isdigit()) or (w.isdigit() and len(w) == 4):
        return _stem(w)
    return None


def _terms(text: str) -> list[str]:
    """Content-word stems of ``text`` then its stem bigrams."""
    stems = [t for t in map(_term, _WORD.findall(text)) if t is not None]
    return stems + [f"{a} {b}" for a, b in itertools.pairwise(stems)]


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: Sentence
    doc: int
    """Index of the article in the (ordered) input."""
    group: int
    """Independent source group: copies of one report share a group."""
    rank: int
    """Position among the article's candidates (0 = lead)."""
    words: int
    factor: float
    """Neutrality/readability factor in (0, 1]."""


def _letters(text: str) -> tuple[int, int]:
    """The letters of ``text`` and the upper-case ones among them (``str.isalpha``/``isupper``),
    counted on bytes for the ASCII part."""
    others = _NON_ASCII.findall(text)
    plain = (_NON_ASCII.sub("", text) if others else text).encode("ascii")
    letters = len(plain.translate(None, _ASCII_NOT_LETTERS)) + sum(c.isalpha() for c in others)
    upper = len(plain.translate(None, _ASCII_NOT_UPPER)) + sum(c.isalpha() and c.isupper() for c in others)
    return letters, upper


def is_furniture(text: str, settings: SummarySettings) -> bool:
    """Whether a sentence is page furniture, a fragment or a banner, not a sentence of the news
    (too short or long, all caps, URLs, "click", photo credits...); story labels use it too."""
    return _is_furniture(text, settings)


def _is_furniture(text: str, settings: SummarySettings) -> bool:
    n = word_count(text)
    if n < settings.min_sentence_words or n > settings.max_sentence_words:
        return True
    letters, upper = _letters(text)
    if not letters or upper > 0.6 * letters:
        return True  # all-caps banners, numbers-only lines
    lower = text.lower()
    if CASE_TRAPS.isdisjoint(text) and not _FURNITURE_WORD.search(lower):
        return False
    return bool(_FURNITURE.search(text))


def _factor(text: str, settings: SummarySettings) -> float:
    """How well a sentence reads on its own in a neutral summary (1 = no reservation)."""
    factor = 1.0
    stripped = text.strip()
    if stripped.endswith(("?", "?”", '?"')):
        factor *= settings.question_penalty
    if stripped[-1:] not in ".!…" and stripped[-1:] not in _CLOSE_QUOTES and stripped[-1:] != ")":
        factor *= settings.unterminated_penalty  # captions, headings, cut-off text
    # quote-only fragment: the whole sentence is a quotation with no attribution
    if stripped[:1] in _OPEN_QUOTES and not _SPEECH.search(stripped):
        factor *= settings.quote_penalty
    outside = re.sub(r"[\"“][^\"”]*[\"”]", " ", stripped)  # text outside quotation marks
    if _PERSONAL.search(outside):
        factor *= settings.personal_penalty
    lower = outside.lower()
    # a loaded word is in the lower-cased text as it is: where none is, no word needs checking
    loaded = sum(1 for w in _WORD.findall(lower) if w in _LOADED) if _LOADED_ANYWHERE.search(lower) else 0
    if loaded:
        factor *= settings.loaded_penalty**loaded
    if stripped.count("!") and stripped[:1] not in _OPEN_QUOTES:
        factor *= settings.loaded_penalty
    if CONTEXT_START.match(stripped):
        factor *= settings.pronoun_penalty
    return factor


def _article_order(articles: Sequence[Article]) -> list[Article]:
    """Publication order (:attr:`~synoptic.records.Article.publication_key`), undated articles
    after dated ones, ties by id.

    Sorting by id last keeps the result independent of the input order when dates are equal.
    """
    return sorted(articles, key=lambda a: (a.publication_key, a.id))


def _groups(articles: Sequence[Article], copies: Iterable[CopyLink]) -> list[int]:
    """Union-find over copy links: one group per independent report."""
    index = {a.id: i for i, a in enumerate(articles)}
    sets = UnionFind(len(articles))
    for link in copies:
        if link.a in index and link.b in index:
            sets.union(index[link.a], index[link.b])
    return [sets.find(i) for i in range(len(articles))]


def _display_lines(article: Article) -> list[Span]:
    """Paragraphs written for display with no verb in their main clause (headlines, standfirsts,
    captions: :func:`~synoptic.crosscheck.support.is_verbless_display`): never a summary sentence."""
    return [
        (start, end)
        for start, end in article.paragraph_spans()
        if is_verbless_display(article.text[start:end])
    ]


def _candidates(
    articles: Sequence[Article],
    groups: Sequence[int],
    settings: SummarySettings,
    splits: SentenceSplits | None = None,
) -> list[_Candidate]:
    out: list[_Candidate] = []
    for d, article in enumerate(articles):
        headings = set(article.headings)
        display = _display_lines(article)
        rank = 0
        for sentence in sentences_of(article, splits):
            if sentence.span in headings or _is_furniture(sentence.text, settings):
                continue
            if any(start <= sentence.span[0] and sentence.span[1] <= end for start, end in display):
                continue
            if in_open_quotation(article, sentence.span) and not _SPEECH.search(sentence.text):
                continue  # a speaker's words whose speaker is in an earlier sentence
            factor = _factor(sentence.text, settings)
            out.append(_Candidate(sentence, d, groups[d], rank, word_count(sentence.text), factor))
            rank += 1
    return out


def _vectors(
    terms: Sequence[Sequence[str]], extra: Sequence[Sequence[str]]
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Unit TF-IDF rows of the documents with these ``terms`` and of ``extra`` (fitted on ``terms``
    only): smoothed idf ``ln((1 + n) / (1 + df)) + 1``, sublinear tf ``1 + ln(tf)``, rows of unit
    length. Features are numbered in alphabetical order and each row stores its features in the
    order they first occur in the documents, the layout (and so the very floating-point values,
    sums included) of scikit-learn's ``TfidfVectorizer(analyzer=_terms, sublinear_tf=True)``,
    without its per-call validation cost."""
    vocabulary: dict[str, int] = {}  # term -> number in order of first occurrence
    lengths: list[int] = []
    first: list[int] = []
    tally: list[int] = []
    for doc in terms:
        counted = Counter(doc)
        lengths.append(len(counted))
        first.extend([vocabulary.setdefault(t, len(vocabulary)) for t in counted])
        tally.extend(counted.values())
    if not vocabulary:  # no terms at all
        return sparse.csr_matrix((len(terms), 1)), sparse.csr_matrix((len(extra), 1))
    # each row's terms by number of first occurrence
    row = np.repeat(np.arange(len(terms)), lengths)
    order = np.lexsort((np.asarray(first), row))
    seen = np.asarray(first, dtype=np.int32)[order]
    counts = np.asarray(tally)[order]
    indptr = np.zeros(len(terms) + 1, dtype=np.int32)
    indptr[1:] = np.cumsum(lengths)
    alphabetical = np.empty(len(vocabulary), dtype=np.int32)
    index: dict[str, int] = {}
    for new, (term, old) in enumerate(sorted(vocabulary.items())):
        alphabetical[old] = new
        index[term] = new
    indices = alphabetical[seen]
    idf = smooth_idf_array(np.bincount(indices, minlength=len(vocabulary)).astype(np.float64), len(terms))
    m = _tfidf_rows(counts.astype(np.float64), indices, indptr, idf)
    rows: list[int] = []
    e_indptr = [0]
    e_counts: list[int] = []
    for doc in extra:
        counter: dict[int, int] = {}
        for t in doc:
            if t in index:
                counter[index[t]] = counter.get(index[t], 0) + 1
        for k in sorted(counter):
            rows.append(k)
            e_counts.append(counter[k])
        e_indptr.append(len(rows))
    e = _tfidf_rows(
        np.asarray(e_counts, dtype=np.float64),
        np.asarray(rows, dtype=np.int32),
        np.asarray(e_indptr, dtype=np.int32),
        idf,
    )
    return m, e


def _tfidf_rows(
    counts: np.ndarray, indices: np.ndarray, indptr: np.ndarray, idf: np.ndarray
) -> sparse.csr_matrix:
    """Sublinear tf times idf, each row divided by its L2 norm (squares summed in storage order)."""
    data = np.log(counts)
    data += 1.0
    data *= idf[indices]
    lengths = np.diff(indptr)
    if len(data):
        # row sums of squares added left to right, as scikit-learn's row normaliser does: a
        # running sum over a zero-padded block (adding 0.0 leaves a sum unchanged)
        row = np.repeat(np.arange(len(lengths)), lengths)
        block = np.zeros((len(lengths), int(lengths.max())))
        block[row, np.arange(len(data)) - indptr[row]] = data * data
        norms = np.sqrt(np.add.accumulate(block, axis=1)[:, -1])
        data /= np.repeat(norms, lengths)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(lengths), len(idf)))


def _row_means(vecs: sparse.csr_matrix, docs: np.ndarray, doc_ids: Sequence[int]) -> list[np.ndarray]:
    """The mean row of each document's candidates, as ``vecs[rows].mean(axis=0)`` computes it:
    each value scaled by ``1 / rows`` first, then added up row by row into zeros."""
    out = []
    for d in doc_ids:
        rows = np.flatnonzero(docs == d)
        scale = 1.0 / len(rows)
        acc = np.zeros(vecs.shape[1])
        cells = np.concatenate([np.arange(vecs.indptr[r], vecs.indptr[r + 1]) for r in rows.tolist()])
        np.add.at(acc, vecs.indices[cells], vecs.data[cells] * scale)  # in order: row by row
        out.append(acc)
    return out


def _claim_support(
    cands: Sequence[_Candidate], claims: Sequence[Claim]
) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Outlet count of the best-supported claim each candidate states, and for each candidate the
    other candidates that state the same claims (citations go to candidate sentences only, so a
    claim's span that matches no sentence is never cited)."""
    support = np.zeros(len(cands))
    by_article: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        by_article.setdefault(c.sentence.article, []).append(i)
    spans = {
        article: (
            np.array(rows),
            np.array([cands[i].sentence.span[0] for i in rows]),
            np.array([cands[i].sentence.span[1] for i in rows]),
        )
        for article, rows in by_article.items()
    }
    linked: dict[int, list[int]] = {}
    for claim in claims:
        members: list[int] = []
        seen: set[int] = set()
        for citation in claim.citations:
            if citation.article not in spans:
                continue
            rows, starts, ends = spans[citation.article]
            for i in rows[(citation.span[0] < ends) & (starts < citation.span[1])].tolist():
                if i not in seen:
                    seen.add(i)
                    members.append(i)
        for i in members:
            support[i] = max(support[i], float(len(claim.outlets)))
            linked.setdefault(i, []).extend(j for j in members if j != i)
    return support, linked


FEATURES = (
    "lead",
    "lead_slow",
    "first",
    "relative_position",
    "centrality",
    "corroboration",
    "frequency",
    "document",
    "log_words",
    "capitals",
    "digits",
    "quote",
    "log_article_sentences",
)
"""The evidence a sentence's salience is read from (see :func:`_evidence`); the weights of the
linear scorer over them are ``SummarySettings.weights``."""

COVERAGE_MENTIONS = 4.0
"""A word mentioned in this many more sentences than one (in at least two independent sources)
counts fully towards coverage: a fact several sentences come back to is a main event."""

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")


_ROWS = 512
"""Rows of the candidates' similarity worked on at once (512 x 15,000 float64: 61 MB)."""


class _Similarity:
    """Candidate-by-candidate TF-IDF cosines, a row at a time (each computed once, the same
    values as the row of the whole product): a large story's summary has thousands of
    candidates, whose whole matrix would take gigabytes (at 15,000 sentences, 1.8 GB of float64),
    while the selection and the citations read the rows of the few sentences chosen."""

    def __init__(self, vecs: sparse.csr_matrix) -> None:
        self.vecs = vecs
        self.columns = vecs.T.tocsr()
        self._rows: dict[int, np.ndarray] = {}

    def row(self, i: int) -> np.ndarray:
        got = self._rows.get(i)
        if got is None:
            got = self._rows[i] = self.block(i, i + 1)[0]
        return got

    def block(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start`` to ``stop`` (dense)."""
        return np.asarray((self.vecs[start:stop] @ self.columns).todense(), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Evidence:
    sim: _Similarity
    """Candidate-by-candidate TF-IDF cosine."""
    features: np.ndarray
    """One row per candidate, one column per name in :data:`FEATURES`."""
    relevance: np.ndarray
    """Cosine with the query (zeros without one)."""
    factor: np.ndarray
    """Neutrality/readability factor."""
    claim_cites: dict[int, list[int]]
    terms: sparse.csr_matrix
    """Candidate-by-content-word incidence, each word weighted by the share of the independent
    sources that use it (a word of one source only weighs nothing when there are several)."""


def _evidence(
    cands: Sequence[_Candidate],
    groups: Sequence[int],
    claims: Sequence[Claim],
    query: str | None,
) -> _Evidence:
    """Per-candidate evidence and the candidate-by-candidate similarity matrix."""
    n_groups = len(set(groups))
    texts = [c.sentence.text for c in cands]
    terms = [_terms(t) for t in texts]
    vecs, qvec = _vectors(terms, [_terms(query)] if query and query.strip() else [])
    sim = _Similarity(vecs)

    docs = np.array([c.doc for c in cands])
    grp = np.array([c.group for c in cands])
    rank = np.array([c.rank for c in cands], dtype=np.float64)
    doc_ids = sorted(set(docs.tolist()))
    length = {d: int((docs == d).sum()) for d in doc_ids}
    doc_len = np.array([length[d] for d in docs.tolist()], dtype=np.float64)

    # centrality: cosine with the centroid of the per-article mean vectors (articles weigh the same)
    doc_means = _row_means(vecs, docs, doc_ids)
    centroid = np.mean(doc_means, axis=0)
    norm = np.linalg.norm(centroid)
    unit = centroid / norm if norm else centroid
    central = np.asarray(vecs @ unit).ravel()
    doc_score = {
        d: float(m @ unit) / (float(np.linalg.norm(m)) or 1.0)
        for d, m in zip(doc_ids, doc_means, strict=True)
    }
    document = np.array([doc_score[d] for d in docs.tolist()])

    # frequency (SumBasic): mean share of sentences containing each of the sentence's content words
    unigrams = [{t for t in ts if " " not in t} for ts in terms]
    counts = Counter(t for u in unigrams for t in u)
    frequency = np.array([sum(counts[t] for t in u) / len(u) if u else 0.0 for u in unigrams])
    if frequency.max() > 0:
        frequency = frequency / frequency.max()

    # corroboration: share of the other independent sources with a similar sentence, or, given
    # claims, the share of the other outlets that report the claim the sentence states
    corroboration = np.zeros(len(cands))
    claim_cites: dict[int, list[int]] = {}
    if claims:
        support, claim_cites = _claim_support(cands, claims)
        outlets = {o for claim in claims for o in claim.outlets}
        corroboration = np.clip(support - 1.0, 0.0, None) / max(1, len(outlets) - 1)
    elif n_groups > 1:
        group_ids = sorted(set(grp.tolist()))
        best = np.zeros((len(cands), len(group_ids)))
        members = [grp == g for g in group_ids]
        for start in range(0, len(cands), _ROWS):
            rows = sim.block(start, start + _ROWS)
            for k, member in enumerate(members):
                best[start : start + _ROWS, k] = rows[:, member].max(axis=1)
        for k, member in enumerate(members):
            best[member, k] = 0.0
        corroboration = np.clip(best, 0.0, 1.0).sum(axis=1) / (n_groups - 1)

    relevance = np.zeros(len(cands))
    if qvec.shape[0]:
        relevance = np.asarray((vecs @ qvec.T).todense()).ravel()

    words = np.array([max(1, c.words) for c in cands], dtype=np.float64)
    features = np.column_stack(
        [
            1.0 / (1.0 + rank),
            1.0 / (1.0 + rank / 4.0),
            rank == 0,
            rank / doc_len,
            central,
            corroboration,
            frequency,
            document,
            np.log(words),
            [len(_CAPITALISED.findall(t)) / max(1, word_count(t)) for t in texts],
            [any(map(str.isdigit, t)) for t in texts],
            [any(q in t for q in '"“”') for t in texts],
            np.log(doc_len),
        ]
    ).astype(np.float64)
    factor = np.array([c.factor for c in cands])
    return _Evidence(sim, features, relevance, factor, claim_cites, _term_weights(unigrams, grp))


def _term_weights(unigrams: Sequence[set[str]], grp: np.ndarray) -> sparse.csr_matrix:
    vocab = {t: k for k, t in enumerate(sorted(set().union(*unigrams)))}
    n_groups = len(set(grp.tolist()))
    lengths = [len(u) for u in unigrams]
    row = np.repeat(np.arange(len(unigrams)), lengths)
    col = np.array([vocab[t] for u in unigrams for t in u], dtype=np.int64)
    order = np.lexsort((col, row))
    row, col = row[order], col[order]
    # sentences mentioning each word, and independent sources using it
    mentions = np.bincount(col, minlength=len(vocab))
    pairs = np.unique(col * max(1, n_groups) + np.searchsorted(np.unique(grp), grp[row]))
    sources = np.bincount(pairs // max(1, n_groups), minlength=len(vocab))
    weight = np.zeros(max(1, len(vocab)))
    keep = (sources > 1) | (n_groups == 1)
    weight[: len(vocab)][keep] = np.minimum(1.0, (mentions[keep] - 1) / COVERAGE_MENTIONS)
    # with COVERAGE_MENTIONS = 4 the weights are quarters up to 1: row sums and products with 0/1
    # vectors are exact in any order, and a word of weight 0 stored or not changes no sum
    indptr = np.zeros(len(unigrams) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(lengths)
    return sparse.csr_matrix((weight[col], col, indptr), shape=(len(unigrams), len(weight)))


def _salience(ev: _Evidence, settings: SummarySettings) -> np.ndarray:
    """Linear score over the features, plus query relevance, less the neutrality/readability penalty.

    The penalty is additive (``neutrality_weight * (1 - factor)``): it ranks a loaded or
    dangling sentence below a plain one of similar salience without swamping the evidence."""
    weights = dict(settings.weights)
    w = np.array([weights.get(name, 0.0) for name in FEATURES])
    linear = ev.features @ w + weights.get("intercept", 0.0)
    score: np.ndarray = (
        linear + settings.query_weight * ev.relevance - settings.neutrality_weight * (1.0 - ev.factor)
    )
    return score


def summarize(
    articles: Sequence[Article],
    settings: SummarySettings,
    *,
    claims: Sequence[Claim] = (),
    timeline: Sequence[Event] = (),
    copies: Sequence[CopyLink] = (),
    budget_words: int | None = None,
    query: str | None = None,
    citer: SupportCiter | None = None,
    splits: SentenceSplits | None = None,
) -> tuple[SummarySentence, ...]:
    """A neutral extractive summary of ``articles`` within ``budget_words`` words, with citations.

    With ``citer`` (the support check), a sentence cites another article only where a sentence of
    it states the same fact; without it, the most similar sentence (the benchmarks' setting).
    ``splits``: the dossier's sentences of the articles, split once for all its stages (split here
    when absent)."""
    budget = settings.budget_words if budget_words is None else budget_words
    unique = {a.id: a for a in articles}
    ordered = _article_order(list(unique.values()))
    if not ordered or budget <= 0:
        return ()
    groups = _groups(ordered, copies)
    cands = _candidates(ordered, groups, settings, splits)
    if not cands:
        return ()
    ev = _evidence(cands, groups, claims, query)
    score = _salience(ev, settings)
    sim = ev.sim
    claim_cites = ev.claim_cites

    chosen = _select(cands, score, ev, budget, settings)
    crossed = sum(cands[i].words for i in chosen) > budget  # only with settings.overflow
    within = chosen[:-1] if crossed else chosen
    order = _order(cands, within, timeline) + chosen[len(within) :]
    return tuple(_cite(cands, i, sim.row(i), claim_cites, settings, citer) for i in order)


def _select(
    cands: Sequence[_Candidate], score: np.ndarray, ev: _Evidence, budget: int, settings: SummarySettings
) -> list[int]:
    """Greedy MMR within the budget, with a bonus for covering corroborated words not yet covered
    (so the main events each get a sentence); ties broken by article and position.

    With ``settings.overflow`` one more sentence that crosses the budget is chosen last (the
    caller puts it at the end, for protocols that cut the text at the budget themselves)."""
    chosen: list[int] = []
    used = 0
    available = np.ones(len(cands), dtype=bool)
    max_sim = np.zeros(len(cands))
    words = np.array([c.words for c in cands])
    tiebreak = np.array([c.doc * 1e-9 + c.rank * 1e-12 for c in cands])
    covered = np.zeros(ev.terms.shape[1])
    total = np.asarray(ev.terms.sum(axis=1)).ravel()
    scale = float(total.max()) or 1.0

    def gain() -> np.ndarray:
        fresh: np.ndarray = np.asarray(ev.terms @ (1.0 - covered)).ravel() / scale
        value: np.ndarray = (
            settings.mmr_lambda * score
            + settings.coverage_weight * fresh
            - (1.0 - settings.mmr_lambda) * max_sim
            - tiebreak
        )
        return value

    while True:
        fits = available & (words <= budget - used) & (max_sim < settings.redundancy)
        if not fits.any():
            if settings.overflow and used < budget:
                fits = available & (max_sim < settings.redundancy)
                if fits.any():
                    mmr = gain()
                    mmr[~fits] = -math.inf
                    chosen.append(int(np.argmax(mmr)))
            break
        mmr = gain()
        mmr[~fits] = -math.inf
        best = int(np.argmax(mmr))
        chosen.append(best)
        used += int(words[best])
        available[best] = False
        max_sim = np.maximum(max_sim, ev.sim.row(best))
        covered[ev.terms.indices[ev.terms.indptr[best] : ev.terms.indptr[best + 1]]] = 1.0
    return chosen


def _order(cands: Sequence[_Candidate], chosen: Sequence[int], timeline: Sequence[Event]) -> list[int]:
    """Article order then position; timeline-dated sentences chronological among themselves."""
    base = sorted(chosen, key=lambda i: (cands[i].doc, cands[i].rank))
    dates: dict[int, tuple[dt.date, dt.date]] = {}
    for event in timeline:
        for citation in event.citations:
            for i in base:
                s, e = cands[i].sentence.span
                if (
                    cands[i].sentence.article == citation.article
                    and citation.span[0] < e
                    and s < citation.span[1]
                ):
                    key = (event.start, event.end)
                    dates[i] = min(dates.get(i, key), key)
    slots = [k for k, i in enumerate(base) if i in dates]
    dated = sorted((i for i in base if i in dates), key=lambda i: (dates[i], base.index(i)))
    out = list(base)
    for slot, i in zip(slots, dated, strict=True):
        out[slot] = i
    return out


def _cite(
    cands: Sequence[_Candidate],
    i: int,
    close: np.ndarray,
    claim_cites: dict[int, list[int]],
    settings: SummarySettings,
    citer: SupportCiter | None = None,
) -> SummarySentence:
    """The sentence with its own span first, then one sentence of each other independent source
    that states the same claim (or, without claims, the most similar sentence when similar enough).
    ``close``: the sentence's similarity to each candidate."""
    own = cands[i].sentence
    if citer is not None:
        return _cite_supported(cands, i, close, claim_cites, citer)
    others: list[int] = []
    if i in claim_cites:
        seen_groups = {cands[i].group}
        for j in claim_cites[i]:
            if cands[j].group not in seen_groups:
                seen_groups.add(cands[j].group)
                others.append(j)
    else:
        for g in sorted({c.group for c in cands} - {cands[i].group}):
            rows = [j for j, c in enumerate(cands) if c.group == g]
            j = max(rows, key=lambda r: (close[r], -r))
            if close[j] >= settings.cite_similarity:
                others.append(j)
    citations = [Citation(own.article, own.span)]
    citations.extend(Citation(cands[j].sentence.article, cands[j].sentence.span) for j in others)
    return SummarySentence(text=own.text, citations=tuple(citations))


CITE_OPTIONS = 6
"""Sentences of each other source put to the support check for one summary sentence: the ones
stating a claim it shares, then the most similar (TF-IDF) ones."""


def _cite_supported(
    cands: Sequence[_Candidate],
    i: int,
    close: np.ndarray,
    claim_cites: dict[int, list[int]],
    citer: SupportCiter,
) -> SummarySentence:
    """Own span first, then per other independent source the sentence that the support check finds
    states the same fact (none where no sentence does): each with its score as ``confidence``."""
    own = cands[i].sentence
    linked = set(claim_cites.get(i, ()))
    by_group: dict[int, list[int]] = {}
    for j, c in enumerate(cands):
        if c.group != cands[i].group:
            by_group.setdefault(c.group, []).append(j)
    citations = [Citation(own.article, own.span)]
    scores: list[float] = []
    for g in sorted(by_group):
        rows = sorted(by_group[g], key=lambda r: (r not in linked, -close[r], r))[:CITE_OPTIONS]
        found = citer.best(own, [cands[r].sentence for r in rows if close[r] > 0 or r in linked])
        if found is not None:
            sentence, verdict = found
            citations.append(Citation(sentence.article, sentence.span, round(verdict.score, 3)))
            scores.append(verdict.score)
    confidence = min([proposition_quality(own.text), *scores])
    return SummarySentence(text=own.text, citations=tuple(citations), confidence=round(confidence, 3))
