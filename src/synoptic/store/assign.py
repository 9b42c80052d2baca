"""Where arriving articles belong: the stored stories near them, found through the store's index.

The store keeps a *story index* (:class:`synoptic.store.base.IndexUpdate`): document
frequencies of the clustering's terms and, per story, the sum of its articles' term weights
(:func:`synoptic.cluster.term_weights`, the rows of the batch clusterer's feature matrix), with
its size and language. An arriving article is weighted with the stored frequencies plus those of
the batch, then

1. **candidates**: the stories that share one of its rare terms (in at most ``block_max_df``
   articles, as in the batch clusterer's candidate search), ranked by that partial similarity;
2. **score**: for the best ``StoreSettings.assign_candidates`` of them the exact average
   similarity (the whole vector against the story's sum, over its size);
3. the stories at or above ``StoreSettings.near_similarity`` (same language) are its
   *neighbourhood*.

The new articles and the articles of their neighbourhood are then grouped by the batch
clusterer with the store's frequencies (:mod:`synoptic.store.ingest`), so a part of the store is
weighted as the whole would be: the work per ingest follows the stories touched, not the store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from synoptic.cluster import Frequencies, Terms, article_terms, term_weights
from synoptic.config import ClusterSettings
from synoptic.records import Article
from synoptic.store.base import IndexUpdate, Store, StoryVector


def language_of(article: Article) -> str:
    return (article.language or "und").split("-")[0].casefold()


class Neighbourhoods:
    """Finds the stored stories near arriving articles (:meth:`near`); reads the store, never
    writes it (the caller applies the index update with the regroup, in one transaction)."""

    def __init__(self, store: Store, settings: ClusterSettings, candidates: int, floor: float) -> None:
        self.store = store
        self.settings = settings
        self.candidates = candidates
        self.floor = floor
        self.documents = store.index_documents()
        self.stored_df: dict[str, int] = {}
        self.added_df: Counter[str] = Counter()
        self.added = 0
        self.terms: dict[str, Terms] = {}
        self.computed: set[str] = set()
        """Articles whose terms were computed here, not read from the store (kept by the update)."""

    def df(self, term: str) -> int:
        return self.stored_df.get(term, 0) + self.added_df[term]

    def count(self, articles: Sequence[Article]) -> None:
        """Add the articles' terms to the frequencies (before :meth:`near` weighs them)."""
        for article in articles:
            terms = self.terms_of(article)
            self.added_df.update(set(terms.words) | set(terms.distinctive))
        self.documents += len(articles)
        self.added += len(articles)

    def terms_of(self, article: Article) -> Terms:
        terms = self.terms.get(article.id)
        if terms is None:
            terms = self.terms[article.id] = article_terms(article, self.settings.lead_sentences)
            self.computed.add(article.id)
            self.known(terms)
        return terms

    def load_terms(self, article_ids: Sequence[str]) -> None:
        """Read the kept terms of those of ``article_ids`` not known yet (with their stored
        frequencies), so that :meth:`terms_of` need not compute them."""
        wanted = [aid for aid in article_ids if aid not in self.terms]
        for aid, terms in self.store.kept_terms(wanted, self.settings.lead_sentences).items():
            self.terms[aid] = terms
            self.known(terms)

    def known(self, terms: Terms) -> None:
        """Fetch the stored frequencies of the terms not seen yet."""
        unknown = [t for t in {*terms.words, *terms.distinctive} if t not in self.stored_df]
        if unknown:
            self.stored_df.update(dict.fromkeys(unknown, 0))
            self.stored_df.update(self.store.term_df(unknown))

    def vector(self, terms: Terms) -> dict[str, float]:
        return term_weights(terms, self.df, self.documents, self.settings)

    def near(self, article: Article) -> list[str]:
        """The stored stories near ``article``, best first."""
        vec = self.vector(self.terms_of(article))
        rare = [t for t in vec if self.df(t) <= self.settings.block_max_df]
        partial: dict[str, float] = defaultdict(float)
        for sid, t, w in self.store.story_postings(rare):
            partial[sid] += vec[t] * w
        if not partial:
            return []
        heads = self.store.story_vectors(list(partial), ())
        language = language_of(article)
        ranked = sorted(
            (k for k, h in heads.items() if h.language == language and h.size > 0),
            key=lambda k: (-partial[k] / heads[k].size, k),
        )[: self.candidates]
        full = self.store.story_vectors(ranked, list(vec))
        scores = {
            k: sum(w * full[k].weights.get(t, 0.0) for t, w in vec.items()) / full[k].size for k in full
        }
        return sorted((k for k in scores if scores[k] >= self.floor), key=lambda k: (-scores[k], k))

    def lend(
        self, article: Article, stories: Mapping[str, Sequence[str]], bound: int, words: int
    ) -> dict[str, list[str]]:
        """What the stored ``stories`` near ``article`` (story id -> its members) lend to the
        regroup with it: all members of a story of at most ``bound`` articles; of a larger one the
        ``bound`` members closest to the article by the store's full-text rank of its ``words``
        highest-weighted plain words (its copies and rewrites rank first)."""
        lent = {sid: list(ids) for sid, ids in stories.items() if len(ids) <= bound}
        large = [sid for sid in stories if sid not in lent]
        if large:
            vec = self.vector(self.terms_of(article))
            plain = sorted((t for t in vec if not t.startswith(("e:", "#"))), key=lambda t: (-vec[t], t))
            lent.update(self.store.closest_members(plain[:words], large, bound))
        return lent

    def frequencies(self) -> Frequencies:
        """The frequencies of everything known so far (stored plus added), for the clusterer."""
        df: Counter[str] = Counter({t: d for t, d in self.stored_df.items() if d})
        df.update(self.added_df)
        return df, self.documents

    def index_update(
        self,
        stories: Mapping[str, Sequence[Article]],
        old: Mapping[str, Sequence[Article]],
        grown: Mapping[str, Sequence[Article]] | None = None,
    ) -> IndexUpdate:
        """Whole vectors for ``stories`` (with the current frequencies), the entries of the
        ``old`` stories (their stored members) dropped first; ``grown``: stories that only
        gained these articles, their vectors added to the stored ones."""
        return IndexUpdate(
            rebuild=False,
            documents=self.added,
            df=dict(self.added_df),
            vectors={sid: self._summed(arts) for sid, arts in stories.items()},
            drop={
                sid: tuple(
                    sorted(
                        {t for a in arts for t in (*self.terms_of(a).words, *self.terms_of(a).distinctive)}
                    )
                )
                for sid, arts in old.items()
            },
            grow={sid: self._summed(arts) for sid, arts in (grown or {}).items()},
            terms={aid: self.terms[aid] for aid in sorted(self.computed)},
            terms_lead=self.settings.lead_sentences,
        )

    def _summed(self, articles: Sequence[Article]) -> StoryVector:
        total: dict[str, float] = {}
        for a in articles:
            for t, w in self.vector(self.terms_of(a)).items():
                total[t] = total.get(t, 0.0) + w
        return StoryVector(size=len(articles), language=language_of(articles[0]), weights=total)


def full_index(
    stories: Mapping[str, Sequence[Article]],
    settings: ClusterSettings,
    terms: Mapping[str, Terms] | None = None,
) -> IndexUpdate:
    """The whole index for ``stories`` (story id -> its articles), weighted with the frequencies
    of all their articles: what a full regroup stores."""
    known = dict(terms or {})
    for arts in stories.values():
        for a in arts:
            if a.id not in known:
                known[a.id] = article_terms(a, settings.lead_sentences)
    df: Counter[str] = Counter()
    for terms_of in known.values():
        df.update(set(terms_of.words) | set(terms_of.distinctive))
    n = len(known)
    vectors: dict[str, StoryVector] = {}
    for sid, arts in stories.items():
        total: dict[str, float] = {}
        for a in arts:
            for t, w in term_weights(known[a.id], df.__getitem__, n, settings).items():
                total[t] = total.get(t, 0.0) + w
        language = language_of(arts[0]) if arts else "und"
        vectors[sid] = StoryVector(size=len(arts), language=language, weights=total)
    return IndexUpdate(
        rebuild=True,
        documents=n,
        df=dict(df),
        vectors=vectors,
        terms=known,
        terms_lead=settings.lead_sentences,
    )
