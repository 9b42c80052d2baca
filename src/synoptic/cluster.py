"""Story clustering: group articles about the same event, in batch or as a stream.

News about one *kind* of event (two earthquakes, two product recalls) shares its topical
vocabulary; what tells two events apart is who, where, which numbers. So an article is
represented twice: by its content words and by its *distinctive tokens* (capitalised words and
pairs of them: names, places, organisations; and numbers), each TF-IDF weighted (sublinear tf,
terms seen in one article only dropped) and the two blocks joined with weight ``entity_weight``.

Batch (:func:`cluster_articles`), per language (articles of different languages never share a
story):

1. exact duplicates (same normalised text) are collapsed to one item;
2. **candidates** (sub-quadratic): a sparse product restricted to terms in at most
   ``block_max_df`` articles proposes pairs; their exact cosine decides. Pairs at or above the
   coarse similarity form a graph whose connected components are *blocks*. Average-linkage
   clusters never cross blocks (an average at or above a bar implies one pair at or above it), so
   clustering each block alone is exact; a block larger than ``exact_max`` is cut by raising the
   bar until every part fits;
3. **coarse clusters**: average linkage within a block, cut at ``coarse_distance``: articles on
   the same topic;
4. **refinement**: each coarse cluster is re-clustered with IDF computed *inside* it over the
   distinctive tokens, so the vocabulary all its articles share (the topic) weighs little and the
   names and numbers of each event decide (average linkage, cut at ``refine_distance``; a
   closer cut is made too when each half's leads, the title and first sentences, name something
   the other half's leads do not: two protagonists, two events).

Streaming (:class:`StreamClusterer`): articles arrive one at a time; each joins the topic group
with the highest average similarity above the coarse bar (candidates from an inverted index of its
terms) or starts one. Every ``consolidate_every`` articles and on :meth:`StreamClusterer.stories`
the groups are re-weighted with the current document frequencies and groups that now pass the bar
are merged; the stories are the refined groups. Merges are recorded in ``Story.merged_from``.

Story ids are a hash of the story's first article (earliest published, then smallest id), so a
story keeps its id while it grows. The label is the title of the article nearest the centroid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from synoptic.config import ClusterSettings, SummarySettings
from synoptic.nlp.text import STOP_WORDS as BASE_STOP_WORDS
from synoptic.nlp.text import normalised, smooth_idf_array
from synoptic.records import Article, CopyLink, Story
from synoptic.unionfind import UnionFind

_SENT = re.compile(r"(?<=[.!?])\s+|\n+")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*\d|\d", re.UNICODE)
STOP_WORDS = BASE_STOP_WORDS | frozenset(  # the base and the list the ECB+ bars were set with
    """a about above after again against all almost also although always am among an and another any
    anyone anything are around as at be became because been before being below between both but by
    can cannot could did do does doing done down during each either else enough even ever every few
    for from further get gets got had has have having he her here hers herself him himself his how
    however i if in into is it its itself just last least less like made make many may me might mine
    more most much must my myself neither never no nor not now of off often on once one only or other
    others otherwise our ours ourselves out over own per perhaps rather said same says see seem seemed
    several she should since so some something still such than that the their theirs them themselves
    then there therefore these they this those though through thus to too toward towards under until
    up upon us very via was we well were what whatever when where whether which while who whom whose
    why will with within without would yet you your yours yourself mr mrs ms""".split()
)


# --------------------------------------------------------------------------- features


@dataclass(frozen=True, slots=True)
class Terms:
    """The token lists of an article: content words, distinctive tokens, and the distinctive
    tokens of its lead (title and first sentences), where the reported event is named."""

    words: tuple[str, ...]
    distinctive: tuple[str, ...]
    lead: tuple[str, ...] = ()


def article_terms(article: Article, lead_sentences: int = 2) -> Terms:
    """Content words (lower-cased, stop words out) and distinctive tokens of title and text.

    A distinctive token is a capitalised word (``e:name``), two capitalised words in a row
    (``e:first_second``) or a number (``#7.1``). Sentence-initial capitals count too: in news
    the first word of a sentence is often a name, and a common word there is rare enough.
    ``lead`` holds the distinctive tokens of the title and the first ``lead_sentences``
    sentences of the text."""
    title = unicodedata.normalize("NFKC", article.title or "")
    body = unicodedata.normalize("NFKC", article.text)
    ws: list[str] = []
    es: list[str] = []
    lead: list[str] = []
    body_sentences = [s for s in _SENT.split(body) if s.strip()]
    sentences = [(s, True) for s in _SENT.split(title) if s.strip()]
    sentences += [(s, k < lead_sentences) for k, s in enumerate(body_sentences)]
    for sentence, in_lead in sentences:
        tokens = _TOKEN.findall(sentence)
        found: list[str] = []
        for j, tok in enumerate(tokens):
            low = tok.casefold()
            if low in STOP_WORDS:
                continue
            if tok[0].isdigit():
                found.append("#" + tok.rstrip(".,"))
                continue
            if len(low) > 1:
                ws.append(low)
            if tok[0].isupper():
                found.append("e:" + low)
                if j + 1 < len(tokens) and tokens[j + 1][0].isupper():
                    nxt = tokens[j + 1].casefold()
                    if nxt not in STOP_WORDS:
                        found.append(f"e:{low}_{nxt}")
        es.extend(found)
        if in_lead:
            lead.extend(found)
    return Terms(tuple(ws), tuple(es), tuple(lead))


def _tfidf(
    docs: Sequence[Sequence[str]],
    min_df: int,
    df: Counter[str] | None = None,
    n: int = 0,
    *,
    idf_offset: float = 1.0,
) -> sp.csr_matrix:
    """Unit rows of sublinear-tf x smooth-idf weights; terms in fewer than ``min_df`` docs dropped.

    Document frequencies come from ``docs`` themselves unless ``df`` (and its ``n``) is given."""
    if df is None:
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
    vocab: dict[str, int] = {}
    for term in sorted(t for t, c in df.items() if c >= min_df):
        vocab[term] = len(vocab)
    idf = smooth_idf_array(np.array([df[term] for term in vocab], dtype=np.float64), n, idf_offset)
    rows: list[int] = []
    cols: list[int] = []
    counts: list[int] = []
    for r, d in enumerate(docs):
        for term, c in Counter(d).items():
            col = vocab.get(term)
            if col is not None:
                rows.append(r)
                cols.append(col)
                counts.append(c)
    where = np.asarray(cols, dtype=np.int64)
    vals = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[where]
    m = sp.csr_matrix((vals, (rows, where)), shape=(len(docs), len(vocab)), dtype=np.float64)
    return _unit_rows(m)


def _unit_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def feature_matrix(
    terms: Sequence[Terms],
    settings: ClusterSettings,
    *,
    df: tuple[Counter[str], Counter[str]] | None = None,
    n: int = 0,
) -> sp.csr_matrix:
    """Joined unit-length word and distinctive-token TF-IDF rows (see the module docstring)."""
    w = settings.entity_weight
    words = _tfidf([t.words for t in terms], settings.min_df, df[0] if df else None, n)
    ents = _tfidf([t.distinctive for t in terms], settings.min_df, df[1] if df else None, n)
    return sp.csr_matrix(sp.hstack([np.sqrt(1.0 - w) * words, np.sqrt(w) * ents]).tocsr())


# --------------------------------------------------------------------------- batch

Frequencies = tuple[Counter[str], int]
"""Document frequencies of terms (words and distinctive tokens) and the number of documents."""


def cluster_articles(
    articles: Sequence[Article],
    settings: ClusterSettings,
    embedder: object | None = None,
    *,
    frequencies: Frequencies | None = None,
) -> list[Story]:
    """Every article in exactly one story (see the module docstring), stories sorted by id.

    ``embedder`` is accepted for interface symmetry with the other stages; the lexical features
    above beat sentence embeddings at telling events of one kind apart (bench/results/cluster.md).
    ``frequencies``: document frequencies of a larger collection these articles are part of (a
    store's), used instead of their own so that a part is weighted as the whole would be."""
    del embedder
    arts = sorted({a.id: a for a in articles}.values(), key=lambda a: a.id)
    groups: list[list[Article]] = []
    by_language: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        by_language[_language(art)].append(art)
    known: dict[str, Terms] = {}  # the clustering's terms, reused by the story labels
    for language in sorted(by_language):
        groups.extend(_cluster_language(by_language[language], settings, known, frequencies))
    return sorted((make_story(g, settings, terms=known) for g in groups), key=lambda s: s.id)


def _language(article: Article) -> str:
    return (article.language or "und").split("-")[0].casefold()


def _norm_key(article: Article) -> str:
    return hashlib.sha256(normalised(f"{article.title or ''}\n{article.text}").encode("utf-8")).hexdigest()


def _collapse(arts: Sequence[Article]) -> tuple[list[Article], dict[str, list[Article]]]:
    """One representative per identical (title, text), and the copies of each representative."""
    reps: dict[str, Article] = {}
    copies: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        key = _norm_key(art)
        if key in reps:
            copies[reps[key].id].append(art)
        else:
            reps[key] = art
    return list(reps.values()), copies


def _cluster_language(
    arts: Sequence[Article],
    settings: ClusterSettings,
    known: dict[str, Terms],
    frequencies: Frequencies | None = None,
) -> list[list[Article]]:
    reps, copies = _collapse(arts)
    terms = [article_terms(a, settings.lead_sentences) for a in reps]
    known.update((a.id, t) for a, t in zip(reps, terms, strict=True))
    labels = cluster_terms(terms, settings, frequencies)
    out: dict[int, list[Article]] = defaultdict(list)
    for art, label in zip(reps, labels, strict=True):
        out[label].append(art)
        out[label].extend(copies.get(art.id, ()))
    return list(out.values())


def cluster_terms(
    terms: Sequence[Terms], settings: ClusterSettings, frequencies: Frequencies | None = None
) -> list[int]:
    """Cluster labels (0..k-1, in order of first member) for the items' terms."""
    if not terms:
        return []
    if frequencies is None:
        x = feature_matrix(terms, settings)
    else:  # words and distinctive tokens never share a spelling: one table serves both blocks
        df, n = frequencies
        x = feature_matrix(terms, settings, df=(df, df), n=n)
    coarse = coarse_clusters(x, settings)
    labels = np.full(len(terms), -1, dtype=np.int64)
    nxt = 0
    for members in coarse:
        for part in refine(members, terms, settings):
            labels[part] = nxt
            nxt += 1
    return _relabel(labels)


def _relabel(labels: NDArray[np.int64]) -> list[int]:
    seen: dict[int, int] = {}
    return [seen.setdefault(int(v), len(seen)) for v in labels]


def candidate_pairs(
    x: sp.csr_matrix, settings: ClusterSettings, min_similarity: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Pairs ``i < j`` with cosine >= ``min_similarity``, found without comparing every pair.

    Only terms in at most ``block_max_df`` rows take part in the candidate product (computed in
    row chunks, so memory stays bounded); every candidate's exact cosine is then checked."""
    n = x.shape[0]
    df = np.diff(x.tocsc().indptr)
    keep = np.flatnonzero((df <= settings.block_max_df) & (df >= 2))
    xb = x[:, keep].tocsr()
    xbt = xb.T.tocsr()
    ii: list[NDArray[np.int64]] = []
    jj: list[NDArray[np.int64]] = []
    for start in range(0, n, settings.chunk_rows):
        prod = sp.csr_matrix(xb[start : start + settings.chunk_rows] @ xbt)
        prod.data[prod.data < settings.candidate_floor] = 0.0
        prod.eliminate_zeros()
        block = prod.tocoo()
        del prod
        mask = block.col > block.row + start
        ii.append(block.row[mask].astype(np.int64) + start)
        jj.append(block.col[mask].astype(np.int64))
    i = np.concatenate(ii) if ii else np.zeros(0, dtype=np.int64)
    j = np.concatenate(jj) if jj else np.zeros(0, dtype=np.int64)
    sims = np.zeros(len(i), dtype=np.float64)
    step = 20_000  # rows of x copied per step: bounded memory
    for start in range(0, len(i), step):
        a, b = i[start : start + step], j[start : start + step]
        sims[start : start + step] = np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()
    mask = sims >= min_similarity
    return i[mask], j[mask], sims[mask]


def coarse_clusters(x: sp.csr_matrix, settings: ClusterSettings) -> list[NDArray[np.int64]]:
    """Average-linkage clusters at ``coarse_distance``, computed block by block."""
    n = x.shape[0]
    bar = 1.0 - settings.coarse_distance
    i, j, sims = candidate_pairs(x, settings, bar)
    out: list[NDArray[np.int64]] = []
    for block in _blocks(n, i, j, sims, bar, settings.exact_max):
        out.extend(_average_link(x, block, settings.coarse_distance))
    return out


def _blocks(
    n: int,
    i: NDArray[np.int64],
    j: NDArray[np.int64],
    sims: NDArray[np.float64],
    bar: float,
    exact_max: int,
) -> Iterable[NDArray[np.int64]]:
    """Connected components of the pairs at or above ``bar``; too large ones cut at higher bars."""
    mask = sims >= bar
    graph = sp.coo_matrix((np.ones(int(mask.sum())), (i[mask], j[mask])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.diff(comp[order])) + 1
    for members in np.split(order, bounds):
        if len(members) <= exact_max or bar >= 0.999:
            yield np.sort(members)
            continue
        inside = np.isin(i, members) & np.isin(j, members)
        local = {int(m): k for k, m in enumerate(members)}
        li = np.array([local[int(v)] for v in i[inside]], dtype=np.int64)
        lj = np.array([local[int(v)] for v in j[inside]], dtype=np.int64)
        for part in _blocks(len(members), li, lj, sims[inside], bar + (1.0 - bar) / 4, exact_max):
            yield np.sort(members[part])


def _average_link(x: sp.csr_matrix, members: NDArray[np.int64], distance: float) -> list[NDArray[np.int64]]:
    if len(members) == 1:
        return [members]
    sub = x[members]
    sim = np.asarray((sub @ sub.T).todense(), dtype=np.float64)
    labels = _cut(sim, distance)
    return [members[labels == v] for v in np.unique(labels)]


def _tree(sim: NDArray[np.float64]) -> NDArray[np.float64]:
    """The average-linkage tree of items with similarity matrix ``sim`` (cosine distances)."""
    d = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    d = (d + d.T) / 2
    return np.asarray(linkage(squareform(d, checks=False), method="average"), dtype=np.float64)


def _cut(sim: NDArray[np.float64], distance: float) -> NDArray[np.int64]:
    """Average-linkage labels of items with similarity matrix ``sim``, cut at ``distance``."""
    return np.asarray(fcluster(_tree(sim), distance, criterion="distance"), dtype=np.int64)


def refine(
    members: NDArray[np.int64], terms: Sequence[Terms], settings: ClusterSettings
) -> list[NDArray[np.int64]]:
    """Split one topic group into events, by recursive bisection on distinctive tokens.

    IDF is computed inside the group (plus ``refine_idf_offset`` instead of smooth IDF's 1, so the
    tokens every member shares weigh little); the group's average-linkage tree is cut in two when
    its top merge is above ``refine_distance`` and both halves have ``refine_min_part`` members,
    or above the lower ``refine_marker_distance`` when the halves' leads name different things
    (:func:`lead_markers` at least ``refine_marker_share``); each half is then split again with
    its own IDF."""
    if len(members) < max(settings.refine_min_size, 2 * settings.refine_min_part):
        return [members]
    if len(members) > settings.exact_max:
        return [members]
    local = _tfidf(
        [terms[int(m)].distinctive for m in members], settings.min_df, idf_offset=settings.refine_idf_offset
    )
    if local.shape[1] == 0:
        return [members]
    sim = np.asarray((local @ local.T).todense(), dtype=np.float64)
    empty = np.asarray(local.multiply(local).sum(axis=1)).ravel() == 0
    if empty.any():  # an item with no shared distinctive token stays with the group
        sim[empty, :] = 1.0
        sim[:, empty] = 1.0
    tree = _tree(sim)
    top = tree[-1, 2]
    if top <= min(settings.refine_distance, settings.refine_marker_distance):
        return [members]
    halves = np.asarray(fcluster(tree, 2, criterion="maxclust"), dtype=np.int64)
    a, b = members[halves == 1], members[halves == 2]
    if min(len(a), len(b)) < settings.refine_min_part:
        return [members]
    if top <= settings.refine_distance and lead_markers(a, b, terms) < settings.refine_marker_share:
        return [members]
    return refine(a, terms, settings) + refine(b, terms, settings)


def lead_markers(a: NDArray[np.int64], b: NDArray[np.int64], terms: Sequence[Terms]) -> float:
    """How clearly the leads of two halves name different things: for each half, the best
    single capitalised word of the leads by (share of its leads naming it) minus (share of the
    other half's leads naming it); the smaller of the two. Near 1 when each half has its own
    name in (almost) every lead and (almost) never in the other's: two protagonists, two events
    (two players arrested, two fights), where a topic's one event told from two angles shares
    its protagonist and differs only on one side."""

    def shares(part: NDArray[np.int64]) -> Counter[str]:
        return Counter(
            t for m in part for t in set(terms[int(m)].lead) if t.startswith("e:") and "_" not in t
        )

    sa, sb = shares(a), shares(b)
    if not sa or not sb:
        return 0.0
    best_a = max(sa[t] / len(a) - sb[t] / len(b) for t in sa)
    best_b = max(sb[t] / len(b) - sa[t] / len(a) for t in sb)
    return min(best_a, best_b)


def weighted_average_link(
    avg: NDArray[np.float64], sizes: NDArray[np.float64], bar: float
) -> NDArray[np.int64]:
    """Average linkage (UPGMA) over groups that already hold ``sizes`` items each.

    ``avg[a, b]`` is the mean item similarity between groups a and b; groups are merged, best
    first, while that mean is at or above ``bar`` (Lance-Williams update, exact). Labels: the
    index of each group's surviving representative."""
    m = len(sizes)
    s = avg.astype(np.float64).copy()
    w = sizes.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    labels = np.arange(m, dtype=np.int64)
    alive = np.ones(m, dtype=bool)
    for _ in range(m - 1):
        k = int(np.argmax(s))
        a, b = divmod(k, m)
        if s[a, b] < bar:
            break
        a, b = min(a, b), max(a, b)
        row = (w[a] * s[a] + w[b] * s[b]) / (w[a] + w[b])
        s[a, :] = row
        s[:, a] = row
        s[a, a] = -np.inf
        s[b, :] = -np.inf
        s[:, b] = -np.inf
        w[a] += w[b]
        alive[b] = False
        labels[labels == b] = a
    return labels


# --------------------------------------------------------------------------- stories


def _when(article: Article) -> dt.datetime | None:
    return article.published_at  # the one rule for naive dates (records.py)


def first_article(arts: Sequence[Article]) -> Article:
    """Earliest published (undated last), then smallest id."""

    def key(a: Article) -> tuple[tuple[bool, dt.datetime], str]:
        return (a.publication_key, a.id)

    return min(arts, key=key)


def story_id(arts: Sequence[Article]) -> str:
    return "s-" + hashlib.sha256(first_article(arts).id.encode("utf-8")).hexdigest()[:12]


def make_story(
    arts: Sequence[Article],
    settings: ClusterSettings,
    merged_from: Sequence[str] = (),
    *,
    terms: Mapping[str, Terms] | None = None,
) -> Story:
    members = sorted(arts, key=lambda a: a.id)
    whens = [w for w in (_when(a) for a in members) if w is not None]
    return Story(
        id=story_id(members),
        articles=tuple(a.id for a in members),
        label=story_label(members, settings, terms),
        first_seen=min(whens) if whens else None,
        last_seen=max(whens) if whens else None,
        merged_from=tuple(sorted(set(merged_from))),
    )


def story_label(
    arts: Sequence[Article], settings: ClusterSettings, terms: Mapping[str, Terms] | None = None
) -> str:
    """The most representative recent headline: the member title nearest the story's centroid,
    with a bonus for being recent (a story is labelled as it now stands, not by its first
    announcement), never a title that is page furniture ("Click to email this to a friend");
    ties: smallest id. ``terms`` are already computed :func:`article_terms` by article id (their
    words and distinctive tokens do not depend on the lead length)."""
    titled = list(
        {
            (a.title or "").strip(): a
            for a in reversed(arts)
            if (a.title or "").strip() and not _furniture_title((a.title or "").strip())
        }.values()
    )
    titled.sort(key=lambda a: a.id)  # one article per distinct title (copies add nothing)
    if not titled:
        return _lead_label(arts, settings, terms or {})
    if len(titled) == 1:
        return (titled[0].title or "").strip()
    known = terms or {}
    x = feature_matrix([known.get(a.id) or article_terms(a) for a in titled], settings)
    centroid = np.asarray(x.sum(axis=0)).ravel()
    scores = np.asarray(x @ centroid, dtype=np.float64).ravel()
    scores = scores / (scores.max() or 1.0) + LABEL_RECENCY * _recency(titled)
    best = int(np.argmax(np.round(scores, 9)))
    return (titled[best].title or "").strip()


LABEL_RECENCY = 0.25
"""Weight of recency against centrality (both in [0, 1]) when a story's label is chosen: the
latest headline wins unless another is clearly more central."""
_FURNITURE_TITLE = re.compile(
    r"\b(?:click|send us|subscribe|sign up|newsletter|e-?mail this|share this|cookies?|are you there|"
    r"log ?in|register|advertisement|page not found|404|access denied|javascript)\b",
    re.IGNORECASE,
)


_STAMP_WORD = re.compile(
    r"\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|jan(?:uary)?|feb(?:ruary)?|"
    r"mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?|[ap]\.?m\.?|gmt|utc|[a-z]{1,4}t)\b",
    re.IGNORECASE,
)


def _furniture_title(title: str) -> bool:
    """A title that is page furniture, a one-word stub or a bare timestamp ("9:53 AM, MON 22 JUL
    2013", an ECB+ page's first line) rather than a headline ("Bridge reopens" is a headline)."""
    if len(title.split()) < 2 or _FURNITURE_TITLE.search(title) is not None:
        return True
    return any(c.isdigit() for c in title) and not any(c.isalpha() for c in _STAMP_WORD.sub("", title))


LABEL_CHARS = 100
"""A label taken from the text is cut at a word boundary before this many characters."""
LEAD_PARAGRAPHS = 4
"""Paragraphs of an article searched for a label sentence when no member has a title."""

_NOT_A_LABEL = re.compile(
    r"^FILE\b|\bfile (?:photo|image)\b|\((?:L|R|C|left|right|cent(?:er|re)|top|bottom|pictured)\)"
    r"|\bpictured\b|/\s*Getty\b|\b(?:Getty|AFP|AP|Reuters|EPA)\s+(?:Images|Photo)\b"
    r"|\bPhoto(?:graph)?\s*(?::|by\b|credit)|\b(?:this|the|our) video\b|\blog ?(?:in|into)\b|\byour account\b"
    r"|\bcrawl(?:s| data)\b|\bWayback Machine\b|\b404\b|\b(?:pics|photos|gallery|slideshow)\b",
    re.IGNORECASE,
)
"""Sentences that are captions, credits or page furniture, not the news: "FILE - In this Jan. 14,
2013 file photo, ...", "Bahraini activist Zainab al-Khawaja (L) is greeted by ...", "Tom
Williams/Getty Images Rep. ...", "GET THIS VIDEO TO 100,000 likes", "Shop or log into your
account", the Internet Archive's crawl notices, "PopScene: Weeks Hottest Pics" (all seen as labels of
Multi-News dev stories)."""


def _lead_label(arts: Sequence[Article], settings: ClusterSettings, known: Mapping[str, Terms]) -> str:
    """A label for a story none of whose articles has a usable title: from the story's most
    central article (then the next most central), the first lead sentence that is news and reads
    on its own (no caption, credit or page furniture; see :func:`_reads_alone`), cut at a word
    boundary; "Untitled story (N articles)" when none does: a label is never boilerplate."""
    if not arts:
        return ""
    order = list(arts)
    if len(order) > 1:
        x = feature_matrix([known.get(a.id) or article_terms(a) for a in order], settings)
        centroid = np.asarray(x.sum(axis=0)).ravel()
        scores = np.round(np.asarray(x @ centroid, dtype=np.float64).ravel(), 9)
        order = [order[i] for i in sorted(range(len(order)), key=lambda i: (-scores[i], order[i].id))]
    summary = SummarySettings()
    best = next((c for article in order for c in _lead_sentences(article, summary) if _reads_alone(c)), None)
    if best is not None:
        return _clip(best)
    return f"Untitled story ({len(arts)} article{'s' if len(arts) != 1 else ''})"


_NOT_ALONE = re.compile(
    r"\b(?:I|I'm|I've|I'd|me|my|we|we're|we've|our|us|you|you're|your|yours)\b"
    r"|^(?:please|for (?:instance|example)|in addition|basically|plus|anyway)\b|[?!]\W*$",
    re.IGNORECASE,
)
"""A sentence that needs its page: first or second person ("Shop or log into your account"),
an imperative or connective start ("Please choose a community", "For instance, ..."), a question
or an exclamation."""


def _reads_alone(sentence: str) -> bool:
    from synoptic.nlp.sentences import CONTEXT_START

    outside = re.sub(r"[\"“][^\"”]*[\"”]", " ", sentence)  # words inside quotes are someone's speech
    if sentence[:1] in '"“' and not outside.strip(" .,"):
        return False  # only a quotation, no one to say it
    return _NOT_ALONE.search(outside) is None and CONTEXT_START.match(sentence) is None


def _lead_sentences(article: Article, summary: SummarySettings) -> list[str]:
    """Sentences of an article's first paragraphs that are news, not captions or furniture: a
    paragraph holding a picture credit is a caption as a whole ("Black leopard near road. Photo
    by: William Yap.")."""
    from synoptic.clean.rules import classify_line
    from synoptic.nlp.sentences import split_text
    from synoptic.summarize import is_furniture

    headings = set(article.headings)
    lead = [span for span in article.paragraph_spans() if span not in headings][:LEAD_PARAGRAPHS]
    found: list[str] = []
    for p_start, p_end in lead:
        paragraph = article.text[p_start:p_end]
        if _NOT_A_LABEL.search(paragraph) is not None or classify_line(paragraph) is not None:
            continue
        for start, end in split_text(paragraph, p_start):
            sentence = " ".join(article.text[start:end].split()).lstrip("-–—•* ")
            starts = sentence[:1].isupper() or sentence[:1] in "\"“‘'" or sentence[:1].isdigit()
            if starts and not is_furniture(sentence, summary):
                found.append(sentence)
    return found


def _clip(text: str) -> str:
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def _recency(arts: Sequence[Article]) -> np.ndarray:
    """1 for the latest dated article, 0 for the earliest, 0.5 for undated ones."""
    stamps = [when.timestamp() if (when := a.published_at) is not None else None for a in arts]
    known = [t for t in stamps if t is not None]
    if not known or max(known) == min(known):
        return np.array([0.5 if t is None else 1.0 for t in stamps]) if known else np.zeros(len(arts))
    low, high = min(known), max(known)
    return np.array([0.5 if t is None else (t - low) / (high - low) for t in stamps])


# --------------------------------------------------------------------------- streaming


def term_weights(
    terms: Terms, df: Callable[[str], int], n: int, settings: ClusterSettings
) -> dict[str, float]:
    """One article's row of :func:`feature_matrix` as a dict, for document frequencies ``df``
    (a word and a distinctive token never share a spelling: one lookup serves both) over ``n``
    articles: the streaming clusterer's and the store's index's vector of an article."""
    out: dict[str, float] = {}
    w = settings.entity_weight
    for toks, weight in ((terms.words, 1.0 - w), (terms.distinctive, w)):
        part: dict[str, float] = {}
        for t, c in Counter(toks).items():
            d = df(t)
            if d >= settings.min_df:
                part[t] = (1.0 + float(np.log(c))) * (float(np.log((1 + n) / (1 + d))) + 1.0)
        norm = float(np.sqrt(sum(v * v for v in part.values())))
        if norm > 0:
            scale = float(np.sqrt(weight)) / norm
            out.update({t: v * scale for t, v in part.items()})
    return out


class StreamClusterer:
    """Stories of articles that arrive one at a time (see the module docstring).

    ``add`` assigns an article to a topic group at once; ``stories`` returns the current stories
    (groups re-weighted, merged where they now pass the bar, and refined into events), each with
    the ids of earlier stories merged into it."""

    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self._reps: list[Article] = []
        self._terms: list[Terms] = []
        self._rep_of_key: dict[str, int] = {}
        self._copies: dict[int, list[Article]] = defaultdict(list)
        self._seen: set[str] = set()
        self._df_words: Counter[str] = Counter()
        self._df_ents: Counter[str] = Counter()
        self._group: list[int] = []
        self._group_members: dict[int, list[int]] = {}
        self._group_sum: dict[int, dict[str, float]] = {}
        self._index: dict[str, set[int]] = defaultdict(set)
        self._language: dict[int, str] = {}
        self._since = 0
        self._previous: dict[str, str] = {}
        self._merged: dict[str, set[str]] = defaultdict(set)
        self._absorbed: dict[int, set[str]] = defaultdict(set)
        """Story ids of the groups merged into each group by consolidation."""

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, article: Article) -> None:
        """Assign one article to the best topic group, or start a new one."""
        if article.id in self._seen:
            return
        self._seen.add(article.id)
        key = _norm_key(article)
        if key in self._rep_of_key:
            self._copies[self._rep_of_key[key]].append(article)
            return
        idx = len(self._reps)
        self._rep_of_key[key] = idx
        self._reps.append(article)
        terms = article_terms(article, self.settings.lead_sentences)
        self._terms.append(terms)
        self._df_words.update(set(terms.words))
        self._df_ents.update(set(terms.distinctive))
        vec = self._vector(terms)
        language = _language(article)
        best, best_score = -1, self.settings.stream_assign_similarity
        candidates: set[int] = set()
        for term in vec:
            if self._df(term) <= self.settings.block_max_df:
                candidates |= self._index.get(term, set())
        for g in sorted(candidates):
            if self._language[g] != language:
                continue
            total = self._group_sum[g]
            score = sum(w * total.get(t, 0.0) for t, w in vec.items()) / len(self._group_members[g])
            if score >= best_score + 1e-12 and (score > best_score or best < 0):
                best, best_score = g, score
        if best < 0:
            best = idx
            self._group_members[best] = []
            self._group_sum[best] = {}
            self._language[best] = language
        self._group.append(best)
        self._group_members[best].append(idx)
        total = self._group_sum[best]
        for t, w in vec.items():
            total[t] = total.get(t, 0.0) + w
            self._index[t].add(best)
        self._since += 1
        if self._since >= self.settings.consolidate_every:
            self._consolidate()

    def _df(self, term: str) -> int:
        return self._df_ents[term] if term.startswith(("e:", "#")) else self._df_words[term]

    def _vector(self, terms: Terms) -> dict[str, float]:
        return term_weights(terms, self._df, len(self._reps), self.settings)

    def _consolidate(self) -> None:
        """Re-weight every article with today's document frequencies and merge the groups that
        average linkage (exact, from the group sums) now joins; articles never move otherwise."""
        self._since = 0
        if not self._reps:
            return
        x = feature_matrix(self._terms, self.settings, df=(self._df_words, self._df_ents), n=len(self._reps))
        bar = 1.0 - self.settings.coarse_distance
        gids = sorted(self._group_members)
        pos = {g: k for k, g in enumerate(gids)}
        rows = [pos[g] for g in self._group]
        member = sp.csr_matrix(
            (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(gids), len(rows))
        )
        sums = sp.csr_matrix(member @ x)
        sizes = np.asarray(member.sum(axis=1)).ravel()
        # an average at or above the bar needs one article pair at or above it: block on those
        i, j, sims = candidate_pairs(x, self.settings, bar)
        gi = np.array([pos[self._group[int(v)]] for v in i], dtype=np.int64)
        gj = np.array([pos[self._group[int(v)]] for v in j], dtype=np.int64)
        cross = gi != gj
        for block in _blocks(len(gids), gi[cross], gj[cross], sims[cross], bar, self.settings.exact_max):
            if len(block) < 2:
                continue
            sub = sums[block]
            avg = np.asarray((sub @ sub.T).todense(), dtype=np.float64) / np.outer(sizes[block], sizes[block])
            labels = weighted_average_link(avg, sizes[block], bar)
            for label in np.unique(labels):
                parts = [gids[int(block[k])] for k in np.flatnonzero(labels == label)]
                parts = [g for g in parts if g in self._group_members]
                for other in parts[1:]:
                    if self._language[parts[0]] == self._language[other]:
                        self._merge(parts[0], other)
        self._group_sum = {}
        self._index = defaultdict(set)
        for g, members in self._group_members.items():
            total: dict[str, float] = {}
            for m in members:
                for t, w in self._vector(self._terms[m]).items():
                    total[t] = total.get(t, 0.0) + w
                    self._index[t].add(g)
            self._group_sum[g] = total

    def _group_story(self, g: int) -> str:
        return story_id([self._reps[m] for m in self._group_members[g]])

    def _merge(self, a: int, b: int) -> None:
        keep, gone = (a, b) if a < b else (b, a)
        absorbed = self._absorbed[keep]
        absorbed.add(self._group_story(gone))
        absorbed.add(self._group_story(keep))
        absorbed |= self._absorbed.pop(gone, set())
        for m in self._group_members.pop(gone):
            self._group[m] = keep
            self._group_members[keep].append(m)
        self._group_sum.pop(gone, None)
        self._language.pop(gone, None)

    def stories(self) -> list[Story]:
        """The current stories, sorted by id; ``merged_from`` lists earlier stories merged in."""
        self._consolidate()
        out: list[Story] = []
        current: dict[str, str] = {}
        for g in sorted(self._group_members):
            members = np.array(sorted(self._group_members[g]), dtype=np.int64)
            for part in refine(members, self._terms, self.settings):
                arts: list[Article] = []
                for m in part:
                    arts.append(self._reps[int(m)])
                    arts.extend(self._copies.get(int(m), ()))
                sid = story_id(arts)
                for a in arts:
                    current[a.id] = sid
                    before = self._previous.get(a.id)
                    if before is not None and before != sid:
                        self._merged[sid].add(before)
                        self._merged[sid] |= self._merged.get(before, set())
                self._merged[sid] |= self._absorbed.get(g, set())
                self._merged[sid].discard(sid)
                out.append(make_story(arts, self.settings, sorted(self._merged[sid])))
        self._previous = current
        return sorted(out, key=lambda s: s.id)


def stream_cluster(articles: Sequence[Article], settings: ClusterSettings) -> list[Story]:
    """Feed ``articles`` to a :class:`StreamClusterer` in publication order (undated last)."""

    def key(a: Article) -> tuple[tuple[bool, dt.datetime], str]:
        return (a.publication_key, a.id)

    stream = StreamClusterer(settings)
    for art in sorted({a.id: a for a in articles}.values(), key=key):
        stream.add(art)
    return stream.stories()


def join_copies(
    stories: Sequence[Story],
    copies: Iterable[CopyLink],
    articles: Sequence[Article],
    settings: ClusterSettings,
) -> list[Story]:
    """Stories joined where a copy link (any kind but ``credited``) crosses them: a copy of an
    article is about the same event, whatever its wording. Joined stories keep each other's ids
    in ``merged_from``."""
    where = {a: k for k, s in enumerate(stories) for a in s.articles}
    sets = UnionFind(len(stories))
    for link in copies:
        if link.kind != "credited" and link.a in where and link.b in where:
            sets.union(where[link.a], where[link.b])
    groups = sets.groups()
    if len(groups) == len(stories):
        return list(stories)
    by_id = {a.id: a for a in articles}
    out: list[Story] = []
    for members in groups:
        parts = [stories[k] for k in members]
        if len(parts) == 1:
            out.append(parts[0])
            continue
        arts = [by_id[a] for p in parts for a in p.articles]
        story = make_story(arts, settings, [m for p in parts for m in (p.id, *p.merged_from)])
        out.append(replace(story, merged_from=tuple(m for m in story.merged_from if m != story.id)))
    return sorted(out, key=lambda s: s.id)
