"""Streaming story clustering: articles that arrive one at a time (see :mod:`synoptic.cluster`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from synoptic.cluster.features import (
    Terms,
    article_terms,
    feature_matrix,
    language_of,
    term_weights,
    text_key,
)
from synoptic.cluster.linkage import candidate_pairs, refine, similarity_blocks, weighted_average_link
from synoptic.cluster.stories import make_story, story_id
from synoptic.config import ClusterSettings
from synoptic.records import Article, Story


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
        self.language_of: dict[int, str] = {}
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
        key = text_key(article)
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
        language = language_of(article)
        best, best_score = -1, self.settings.stream_assign_similarity
        candidates: set[int] = set()
        for term in vec:
            if self._df(term) <= self.settings.block_max_df:
                candidates |= self._index.get(term, set())
        for g in sorted(candidates):
            if self.language_of[g] != language:
                continue
            total = self._group_sum[g]
            score = sum(w * total.get(t, 0.0) for t, w in vec.items()) / len(self._group_members[g])
            if score >= best_score + 1e-12 and (score > best_score or best < 0):
                best, best_score = g, score
        if best < 0:
            best = idx
            self._group_members[best] = []
            self._group_sum[best] = {}
            self.language_of[best] = language
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
        for block in similarity_blocks(
            len(gids), gi[cross], gj[cross], sims[cross], bar, self.settings.exact_max
        ):
            if len(block) < 2:
                continue
            sub = sums[block]
            avg = np.asarray((sub @ sub.T).todense(), dtype=np.float64) / np.outer(sizes[block], sizes[block])
            labels = weighted_average_link(avg, sizes[block], bar)
            for label in np.unique(labels):
                parts = [gids[int(block[k])] for k in np.flatnonzero(labels == label)]
                parts = [g for g in parts if g in self._group_members]
                for other in parts[1:]:
                    if self.language_of[parts[0]] == self.language_of[other]:
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
        self.language_of.pop(gone, None)

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
