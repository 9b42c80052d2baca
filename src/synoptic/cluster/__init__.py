"""Story clustering: group articles about the same event, in batch or as a stream.

News about one *kind* of event (two earthquakes, two product recalls) shares its topical
vocabulary; what tells two events apart is who, where, which numbers. So an article is
represented twice: by its content words and by its *distinctive tokens* (capitalised words and
pairs of them: names, places, organisations; and numbers), each TF-IDF weighted (sublinear tf,
terms seen in one article only dropped) and the two blocks joined with weight ``entity_weight``.

Batch (:func:`cluster_articles`; on an executor, partition by partition:
:func:`cluster_partitioned`, the same algorithm), per language (articles of different languages
never share a story):

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

Modules: :mod:`~synoptic.cluster.features` (terms, TF-IDF, the feature matrix),
:mod:`~synoptic.cluster.linkage` (candidate pairs, blocks, average-linkage cuts, refinement),
:mod:`~synoptic.cluster.partitioned` (the batch algorithm, partition by partition on an
executor), :mod:`~synoptic.cluster.batch` (the same in this process),
:mod:`~synoptic.cluster.stream` and :mod:`~synoptic.cluster.stories` (ids, labels, stories joined
by copy links).
"""

from __future__ import annotations

from synoptic.cluster.batch import cluster_articles
from synoptic.cluster.features import (
    STOP_WORDS,
    Frequencies,
    Terms,
    article_terms,
    feature_matrix,
    term_weights,
)
from synoptic.cluster.linkage import (
    candidate_pairs,
    lead_markers,
    refine,
    weighted_average_link,
)
from synoptic.cluster.partitioned import cluster_partitioned
from synoptic.cluster.stories import first_article, join_copies, make_story, story_id, story_label
from synoptic.cluster.stream import StreamClusterer, stream_cluster

__all__ = [
    "STOP_WORDS",
    "Frequencies",
    "StreamClusterer",
    "Terms",
    "article_terms",
    "candidate_pairs",
    "cluster_articles",
    "cluster_partitioned",
    "feature_matrix",
    "first_article",
    "join_copies",
    "lead_markers",
    "make_story",
    "refine",
    "story_id",
    "story_label",
    "stream_cluster",
    "term_weights",
    "weighted_average_link",
]
