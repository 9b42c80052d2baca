"""Incremental ingest: store new articles one by one, then regroup and rebuild what changed.

1. Each article is written (and committed) before the next is read, so an interrupted ingest
   keeps everything it reported as stored; the same article (same id) is stored once.
2. Near regroup (the default once the store has stories): for each article that belongs to no
   story, :class:`synoptic.store.assign.Neighbourhoods` finds the stored stories near it through
   the store's story index, and each of those *lends* articles to the regroup: a small story
   all of them, a large one the ``StoreSettings.near_lend`` closest to the new article (the
   store's full-text rank). The lent and new articles are grouped again (copies and the batch
   clusterer, weighted with the store's document frequencies, so the part is weighted as the
   whole would be; the copies among lent articles are the stored ones, only those of the new
   articles are looked for); a story seen in part then goes whole to where most of its lent
   articles went (:mod:`synoptic.store.fold`), and the stories get stable ids as in a full
   regroup (below). The work follows the articles added and the stories they touch, bounded per
   story, not the size of the store or of its stories; the index is updated with the regroup.
3. Full regroup (``synoptic regroup``, a store without an up-to-date index, a batch larger than
   the store, or ``StoreSettings.assign_new`` off): ``find_stories`` runs over all stored
   articles (optionally with a fast embedder, ``StoreSettings.regroup_embedder``). Each new
   cluster takes the id of the stored story it overlaps most (greedy, largest overlap first), so
   story ids stay stable as stories grow; stored stories absorbed into another are recorded as
   merged (their ids keep resolving). The index is rebuilt.
4. Either way only stories whose membership changed (or that are new) get their dossier rebuilt;
   the others are left as stored.

Regrouping runs whenever stored articles belong to no story, which also repairs a store whose
ingest was killed between storing articles and regrouping. A concurrent regroup by another
writer is detected (story version) and the computation is redone on the new state.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from synoptic.cluster.stories import label_readers, make_story
from synoptic.config import Settings
from synoptic.dossier import read_story, reads_the_same, regrown_warnings
from synoptic.errors import StoreError
from synoptic.executors import Executor
from synoptic.ingest import read_inputs
from synoptic.nlp.embeddings import Embedder, KnownVectors, run_embedder
from synoptic.pipeline import (
    by_story,
    find_stories,
    iter_read_dossiers,
    pairs_by_story,
    prepare_article,
    run_vectors,
)
from synoptic.records import (
    Article,
    CopyLink,
    Dossier,
    IngestFailure,
    PublishedDate,
    SettledCopies,
    Story,
    with_inferred,
)
from synoptic.store.assign import Neighbourhoods, full_index
from synoptic.store.base import DossierHead, KeptDossier, Regroup, Store, StoryQuery, VersionConflict
from synoptic.store.fold import fold_clusters
from synoptic.store.sqlite import utc_iso

MAX_REGROUP_TRIES = 5
"""Regroups recomputed after losing a race to another writer before giving up."""


@dataclass(frozen=True, slots=True)
class RegroupReport:
    stories: int = 0
    """Stories after the regroup."""
    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    """Stories that existed and whose membership changed (dossier rebuilt)."""
    merged: Mapping[str, str] = field(default_factory=dict)
    """Retired story id -> the story it went into."""


@dataclass(frozen=True, slots=True)
class IngestReport:
    added: tuple[str, ...] = ()
    existing: tuple[str, ...] = ()
    """Ids that were already stored (not stored again)."""
    regroup: RegroupReport | None = None
    """None when nothing needed regrouping."""


def ingest_articles(
    store: Store,
    articles: Iterable[Article],
    settings: Settings,
    *,
    on_stored: Callable[[Article, bool], None] | None = None,
    regroup: bool = True,
    executor: Executor | None = None,
) -> IngestReport:
    """Store each article (committed before ``on_stored(article, is_new)`` is called), then regroup
    (the grouping and the dossiers on ``executor``, in this process without one)."""
    added: list[str] = []
    existing: list[str] = []
    for article in articles:
        new = store.add_article(article)
        (added if new else existing).append(article.id)
        if on_stored is not None:
            on_stored(article, new)
    report = regroup_store(store, settings, executor=executor) if regroup else None
    return IngestReport(added=tuple(added), existing=tuple(existing), regroup=report)


def regroup_store(
    store: Store, settings: Settings, *, force: bool = False, executor: Executor | None = None
) -> RegroupReport | None:
    """Group the stored articles that belong to no story, through the index when it can (see the
    module docstring); ``force``: a full regroup of every stored article. None if nothing to do.
    ``executor``: where the grouping and the dossiers run (the same result on any)."""
    for _ in range(MAX_REGROUP_TRIES):
        waiting = store.unassigned_count()
        if not force and waiting == 0:
            return None
        try:
            if not force and _can_assign(store, settings, waiting):
                return _assign_once(store, settings, executor)
            return _regroup_once(store, settings, executor)
        except VersionConflict:
            continue
    raise StoreError("E030", f"other writers kept regrouping; gave up after {MAX_REGROUP_TRIES} tries")


def _can_assign(store: Store, settings: Settings, waiting: int) -> bool:
    # a batch larger than what is grouped already is grouped in full: the batch clusterer is
    # the more accurate one and costs about the same then
    return settings.store.assign_new and store.index_ready() and waiting < store.index_documents()


def _assign_once(store: Store, settings: Settings, executor: Executor | None) -> RegroupReport:
    """Group the unassigned articles with what the stored stories near them lend (see the
    module docstring and :mod:`synoptic.store.fold`)."""
    version = store.story_version()
    new = sorted(store.unassigned_articles(), key=stream_order)
    finder = Neighbourhoods(
        store, settings.cluster, settings.store.assign_candidates, settings.store.near_similarity
    )
    finder.count(new)
    stored: dict[str, Story] = {}
    lender: dict[str, str] = {}  # lent article -> its story
    bound, words = settings.store.near_lend, settings.store.lend_words
    for article in new:
        near = finder.near(article)
        stored.update({sid: st for sid in near if sid not in stored and (st := store.get_story(sid))})
        around = {sid: stored[sid].articles for sid in near if sid in stored}
        for sid, ids in finder.lend(article, around, bound, words).items():
            lender.update(dict.fromkeys(ids, sid))
    lending = set(lender.values())
    unlent = {
        sid: kept
        for sid, st in stored.items()
        if sid in lending and (kept := tuple(a for a in st.articles if a not in lender))
    }
    lent = store.get_articles(sorted(lender))
    finder.load_terms([a.id for a in lent])
    for article in lent:
        finder.terms_of(article)  # their frequencies are fetched before the clusterer reads them
    # the links among lent articles are stored: only those of arriving ones are looked for (a
    # large story's closest members are mostly copies of each other, most of the links)
    settled = SettledCopies(frozenset(lender), tuple(store.copy_pairs(sorted(lender), joining=True)))
    grouping, embedder, known = _grouping(settings)
    copies, clusters = find_stories(
        [*lent, *new],
        grouping,
        frequencies=finder.frequencies(),
        executor=executor,
        settled=settled,
        terms=finder.terms,
        embedder=embedder,
        known=known,
    )
    old = {sid: frozenset(st.articles) for sid, st in stored.items() if sid in lending}
    grouped, retired = assign_ids(fold_clusters(clusters, lender, unlent), old, store.known_story_ids())
    changed = [s for s in grouped if old.get(s.id) != frozenset(s.articles)]
    arriving = {a.id for a in new}
    # a story that only gained arriving articles adds theirs to its stored vector; the others
    # (new, merged, split) are weighed again from all their articles
    grown = {s.id for s in changed if s.id in old and old[s.id] <= set(s.articles) <= old[s.id] | arriving}
    remade = [s for s in changed if s.id not in grown]
    remade_ids = {s.id for s in remade}
    gone = [sid for sid in old if sid in retired or sid in remade_ids]
    loaded = {a.id: a for a in [*lent, *new]}
    rest = [a for s in changed for a in s.articles if a not in loaded]
    loaded.update((a.id, a) for a in store.get_articles(rest))
    # the kept terms read are those the labels and the index weigh: of a large story that only
    # grew, one member per headline (its members mostly repeat a few; the rest are not read)
    weighed = {a.id for s in changed for a in label_readers([loaded[x] for x in s.articles])}
    weighed.update(a for s in remade for a in s.articles)
    weighed.update(a for sid in gone for a in old[sid])
    finder.load_terms([a for a in rest if a in weighed])
    stories = [_relabelled(s, stored.get(s.id), loaded, settings, finder) for s in changed]

    def links_among(ids: set[str]) -> list[CopyLink]:
        return [*store.copies_among(sorted(ids)), *(c for c in copies if c.a in ids and c.b in ids)]

    pairs = [*store.copy_pairs([a for s in stories for a in s.articles]), *((c.a, c.b) for c in copies)]
    rebuilt, dossiers, patched = _rebuild(
        stories, old, list(loaded.values()), pairs, links_among, settings, executor, store.dossier_head, known
    )
    index = finder.index_update(
        {s.id: [loaded[a] for a in s.articles] for s in remade},
        {sid: [loaded[a] for a in old[sid]] for sid in gone},
        {s.id: [loaded[a] for a in s.articles if a not in old[s.id]] for s in changed if s.id in grown},
    )
    regroup = Regroup(
        base_version=version,
        stories=tuple(rebuilt),
        dossiers=tuple(dossiers),
        kept=tuple(patched),
        retired=retired,
        copies=tuple(copies),
        article_count=store.article_count(),
        copies_among=tuple(sorted(arriving)),
        index=index,
    )
    store.apply_regroup(regroup)
    return _report(regroup, old, store.list_stories(StoryQuery(limit=1)).total)


def _relabelled(
    story: Story,
    before: Story | None,
    articles: Mapping[str, Article],
    settings: Settings,
    finder: Neighbourhoods,
) -> Story:
    """``story`` (a changed membership with its stable id) labelled and dated from all its
    articles; a stored story keeps the ids merged into it before."""
    made = make_story([articles[a] for a in story.articles], settings.cluster, terms=finder.terms)
    merged = [*(before.merged_from if before else ()), *story.merged_from]
    return dataclasses.replace(
        made, id=story.id, merged_from=tuple(m for m in dict.fromkeys(merged) if m != story.id)
    )


def _rebuild(
    stories: Sequence[Story],
    old: Mapping[str, frozenset[str]],
    articles: Sequence[Article],
    pairs: Iterable[tuple[str, str]],
    links_among: Callable[[set[str]], Sequence[CopyLink]],
    settings: Settings,
    executor: Executor | None,
    stored: Callable[[str], DossierHead | None] | None = None,
    known: KnownVectors | None = None,
) -> tuple[list[Story], list[Dossier], list[KeptDossier]]:
    """The stories whose membership differs from ``old``, their rebuilt dossiers and the stored
    dossiers they keep. Each dossier carries the stored story (stable id) whatever the stage put
    there; the story's span counts the publication dates the dossier inferred for undated
    articles, as `digest` does.

    ``pairs``: ``(a, b)`` of the copy links among the stories' articles, which decide what a
    story too large to analyse whole reads; ``links_among(ids)``: the links themselves among the
    articles read, in their stored order (a large story of a big store has hundreds of thousands
    of links of which its dossier reads a few). A story too large to analyse whole that is
    analysed from the same articles as before keeps its ``stored`` dossier
    (:func:`synoptic.dossier.reads_the_same`; ``stored`` gives its warnings and inferred dates,
    the store patches its record). A full regroup passes none: it recomputes the copies, so a
    stored dossier may rest on links that changed. ``known``: the sentence vectors the copy
    search encoded (:func:`_grouping`)."""
    changed = [s for s in stories if old.get(s.id) != frozenset(s.articles)]
    by_id = {a.id: a for a in articles}
    arts, _ = by_story(changed, articles, ())
    inside = pairs_by_story(changed, pairs, lambda pair: pair)
    kept: dict[str, DossierHead] = {}
    cap = settings.dossier.max_articles
    for k, story in enumerate(changed):
        before = old.get(story.id, frozenset())
        if stored is None or len(before) <= cap or not all(a in by_id for a in (*before, *story.articles)):
            continue
        if reads_the_same([by_id[a] for a in before], arts[k], inside[k], settings) and (
            head := stored(story.id)
        ):
            kept[story.id] = head
    # each reading chosen from the pairs, then given the links among the articles it reads
    chosen = [
        read_story(s, arts[k], (), settings, copied={b for _, b in inside[k]})
        for k, s in enumerate(changed)
        if s.id not in kept
    ]
    _, links = by_story(
        [r.story for r in chosen], (), links_among({a.id for r in chosen for a in r.articles})
    )
    readings = [dataclasses.replace(r, links=among) for r, among in zip(chosen, links, strict=True)]
    fresh = list(iter_read_dossiers(readings, len(readings), settings, executor=executor, known=known))
    if len(fresh) != len(readings):
        raise StoreError(
            "E030", f"the dossier stage returned {len(fresh)} dossiers for {len(readings)} stories"
        )
    dossier_of = {r.story.id: d for r, d in zip(readings, fresh, strict=True)}
    spanned = [
        _with_span(s, by_id, kept[s.id].published if s.id in kept else dossier_of[s.id].published)
        for s in changed
    ]
    return (
        spanned,
        [dataclasses.replace(dossier_of[s.id], story=s) for s in spanned if s.id not in kept],
        [
            KeptDossier(s, regrown_warnings(kept[s.id].warnings, len(old[s.id]), len(s.articles), settings))
            for s in spanned
            if s.id in kept
        ],
    )


def _report(regroup: Regroup, old: Mapping[str, frozenset[str]], total: int) -> RegroupReport:
    return RegroupReport(
        stories=total,
        new=tuple(s.id for s in regroup.stories if s.id not in old),
        changed=tuple(s.id for s in regroup.stories if s.id in old),
        merged=regroup.retired,
    )


def stream_order(article: Article) -> tuple[int, str, str]:
    """Publication order, undated last, then id (the order the streaming clusterer is fed)."""
    when = utc_iso(article.published.value) if article.published else None
    return (0, when, article.id) if when else (1, "", article.id)


def _regroup_once(store: Store, settings: Settings, executor: Executor | None) -> RegroupReport:
    version = store.story_version()
    old = store.memberships()
    taken = store.known_story_ids()
    articles = list(store.iter_articles())
    grouping, embedder, known = _grouping(settings)
    copies, clusters = find_stories(articles, grouping, executor=executor, embedder=embedder, known=known)
    stories, retired = assign_ids(clusters, old, taken)
    by_id = {a.id: a for a in articles}
    pairs = [(c.a, c.b) for c in copies]
    changed, dossiers, _ = _rebuild(
        stories,
        old,
        articles,
        pairs,
        lambda ids: [c for c in copies if c.a in ids and c.b in ids],
        settings,
        executor,
        known=known,
    )
    index = full_index(
        {s.id: [by_id[a] for a in s.articles if a in by_id] for s in stories}, settings.cluster
    )
    regroup = Regroup(
        base_version=version,
        stories=tuple(changed),
        dossiers=tuple(dossiers),
        retired=retired,
        copies=tuple(copies),
        article_count=len(articles),
        index=index,
    )
    store.apply_regroup(regroup)
    return _report(regroup, old, len(stories))


def regroup_settings(settings: Settings) -> Settings:
    """``settings`` with ``StoreSettings.regroup_embedder`` (when set) as the run's embedder:
    the grouping stages (copies, clusters) then use the fast backend."""
    embedder = settings.store.regroup_embedder
    return settings if embedder is None else settings.with_embedder(embedder)


def _grouping(settings: Settings) -> tuple[Settings, Embedder, KnownVectors | None]:
    """The grouping stages' settings (:func:`regroup_settings`) and embedder, and where their
    copy search keeps the sentence vectors it encodes for the dossiers, when the dossiers embed
    the same way (:func:`synoptic.pipeline.run_vectors`)."""
    grouping = regroup_settings(settings)
    embedder = run_embedder(grouping.nlp)
    return grouping, embedder, run_vectors(embedder) if grouping.nlp == settings.nlp else None


def assign_ids(
    clusters: Sequence[Story], old: Mapping[str, frozenset[str]], taken: set[str]
) -> tuple[list[Story], dict[str, str]]:
    """Give each cluster a stable id: the stored story it overlaps most keeps its id (each stored
    id goes to one cluster, largest overlaps first, ties by id); a cluster overlapping no free
    stored story gets a new id never used before. Stored stories left without a cluster were
    merged: returned as ``{old id: id of the cluster holding most of their articles}``."""
    owner = {aid: sid for sid, ids in old.items() for aid in ids}
    overlaps: list[tuple[int, str, int]] = []
    for i, cluster in enumerate(clusters):
        counts = Counter(owner[a] for a in cluster.articles if a in owner)
        overlaps.extend((-n, sid, i) for sid, n in counts.items())
    overlaps.sort()
    id_of: dict[int, str] = {}
    used: set[str] = set()
    for _, sid, i in overlaps:
        if i not in id_of and sid not in used:
            id_of[i] = sid
            used.add(sid)
    reserved = set(taken) | used
    for i, cluster in enumerate(clusters):
        if i not in id_of:
            id_of[i] = _fresh_id(cluster, reserved)
            reserved.add(id_of[i])
    retired: dict[str, str] = {}
    for _, sid, i in overlaps:  # largest overlap first: a retired story goes where most of it went
        if sid not in used and sid not in retired:
            retired[sid] = id_of[i]
    merged_into: dict[str, list[str]] = {}
    for sid, new in retired.items():
        merged_into.setdefault(new, []).append(sid)
    stories = []
    for i, cluster in enumerate(clusters):
        sid = id_of[i]
        merged = tuple(dict.fromkeys([*cluster.merged_from, *sorted(merged_into.get(sid, []))]))
        stories.append(dataclasses.replace(cluster, id=sid, merged_from=merged))
    return stories, retired


def _fresh_id(cluster: Story, reserved: set[str]) -> str:
    if cluster.id and cluster.id not in reserved:
        return cluster.id
    digest = hashlib.sha256("\n".join(sorted(cluster.articles)).encode()).hexdigest()
    for n in range(len(digest) - 12):
        candidate = f"s-{digest[n : n + 12]}"
        if candidate not in reserved:
            return candidate
    raise StoreError("E030", "could not find a free story id")  # pragma: no cover


def _with_span(story: Story, articles: Mapping[str, Article], inferred: Mapping[str, PublishedDate]) -> Story:
    """The story with first/last seen spanning its articles' publication dates, inferred ones
    included (an article without a date of its own is dated by its story's evidence)."""
    dated = with_inferred([a for aid in story.articles if (a := articles.get(aid)) is not None], inferred)
    dates = [a.published.value for a in dated if a.published is not None and a.published.value is not None]
    dates += [d for d in (story.first_seen, story.last_seen) if d is not None]
    if not dates:
        return story
    dates.sort(key=lambda d: utc_iso(d) or "")
    return dataclasses.replace(story, first_seen=dates[0], last_seen=dates[-1])


def read_clean_stream(
    paths: Sequence[str],
    settings: Settings,
    *,
    on_failure: Callable[[IngestFailure], None],
    stdin: BinaryIO | None = None,
) -> Iterator[Article]:
    """Prepared articles (cleaned, outlet decided), one at a time, as they are read (so each can
    be stored before the next is read); unreadable items go to ``on_failure``."""
    for item in read_inputs(paths, settings.ingest, stdin=stdin):
        if isinstance(item, IngestFailure):
            on_failure(item)
        else:
            yield prepare_article(item, settings)
