"""What story clustering sees of an article: its terms (content words, distinctive tokens, the
lead's), their TF-IDF rows and the joined feature matrix, the key that makes exact copies one
item, and its language. Every clusterer (batch, stream, partitioned) and the store's index
(:mod:`synoptic.store.assign`) weigh articles with these, so they agree on what is similar.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from synoptic.config import ClusterSettings
from synoptic.nlp.sentences import split_sentences, split_text
from synoptic.nlp.text import STOP_WORDS as BASE_STOP_WORDS
from synoptic.nlp.text import normalised, smooth_idf_array
from synoptic.records import Article

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
    sentences of the text. Sentences are :func:`~synoptic.nlp.sentences.split_sentences`' (no
    break after "Mr." or "U.S."), each line its own; a pair never spans two."""
    title = article.title or ""
    ws: list[str] = []
    es: list[str] = []
    lead: list[str] = []
    body_sentences = [line for s in split_sentences(article) for line in _lines(s.text)]
    sentences = [(line, True) for a, b in split_text(title) for line in _lines(title[a:b])]
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
    # one string object per distinct term, not per occurrence: the clustering holds every
    # article's terms at once (2.6 GB of strings at 100k articles without this)
    return Terms(tuple(map(sys.intern, ws)), tuple(map(sys.intern, es)), tuple(map(sys.intern, lead)))


def _lines(sentence: str) -> list[str]:
    """A sentence's lines (NFKC): a line break inside a paragraph ends a sentence too (a dateline,
    a list item, a heading above its text); two capitalised words across it are not a name."""
    return [line for line in unicodedata.normalize("NFKC", sentence).split("\n") if line.strip()]


def tfidf(
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
    words = tfidf([t.words for t in terms], settings.min_df, df[0] if df else None, n)
    ents = tfidf([t.distinctive for t in terms], settings.min_df, df[1] if df else None, n)
    return sp.csr_matrix(sp.hstack([np.sqrt(1.0 - w) * words, np.sqrt(w) * ents]).tocsr())


Frequencies = tuple[Counter[str], int]
"""Document frequencies of terms (words and distinctive tokens) and the number of documents."""


def language_of(article: Article) -> str:
    return (article.language or "und").split("-")[0].casefold()


def text_key(article: Article) -> str:
    return hashlib.sha256(normalised(f"{article.title or ''}\n{article.text}").encode("utf-8")).hexdigest()


def collapse_copies(arts: Sequence[Article]) -> tuple[list[Article], dict[str, list[Article]]]:
    """One representative per identical (title, text), and the copies of each representative."""
    reps: dict[str, Article] = {}
    copies: dict[str, list[Article]] = defaultdict(list)
    for art in arts:
        key = text_key(art)
        if key in reps:
            copies[reps[key].id].append(art)
        else:
            reps[key] = art
    return list(reps.values()), copies


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
