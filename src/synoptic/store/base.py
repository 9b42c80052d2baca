"""The store interface: what the CLI, the server and incremental ingest need from a backend.

A backend keeps articles (the record plus indexed columns), stories with their membership
(each stored article in at most one story; none until the first regroup after it arrived),
copy links, one dossier per story, merges of story ids, and a full-text index. SQLite
(:mod:`synoptic.store.sqlite`) is the default; another backend (PostgreSQL for a shared
deployment) implements this class and nothing else changes.

Writes are atomic: :meth:`Store.add_article` commits one article before it returns, and
:meth:`Store.apply_regroup` replaces stories, copies and dossiers in one transaction, so a
killed process leaves either the old or the new state, never a mix.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from synoptic.cluster import Terms
from synoptic.records import Article, CopyLink, Dossier, PublishedDate, Story


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One line of the story list (indexed columns; the dossier is fetched separately)."""

    id: str
    label: str
    articles: int
    outlets: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    updated: str
    merged_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryPage:
    stories: tuple[StoryRow, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Filters of the story list. Dates are ISO strings compared against the stories' UTC span:
    a story is kept when it was seen at some time in ``[since, until)``."""

    limit: int = 20
    offset: int = 0
    since: str | None = None
    until: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: str
    title: str | None
    outlet: str
    story: str | None
    snippet: str
    """Plain text around the match; matched words are wrapped in :data:`MARK_START`/:data:`MARK_END`."""
    published: str | None

    def to_json(self) -> dict[str, str | None]:
        """The hit as the CLI's and the API's JSON show it (plain snippet, marks removed)."""
        return {
            "article": self.article,
            "title": self.title,
            "outlet": self.outlet,
            "story": self.story,
            "published": self.published,
            "snippet": self.snippet.replace(MARK_START, "").replace(MARK_END, ""),
        }


MARK_START = "\ue000"
MARK_END = "\ue001"
"""Private-use characters that bracket matched words in :attr:`SearchHit.snippet` (no markup, so
renderers escape the snippet first and then turn the marks into their own highlighting)."""


@dataclass(frozen=True, slots=True)
class StoryVector:
    """A story's entry in the index: how many articles it holds, their language, and the sum of
    their term weights (:func:`synoptic.cluster.term_weights`), or the part asked for."""

    size: int
    language: str
    weights: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """What a regroup changes in the story index (``rebuild``: the whole index is replaced)."""

    rebuild: bool
    documents: int
    """Articles counted in the document frequencies (added ones, or all when ``rebuild``)."""
    df: Mapping[str, int]
    """Term -> articles holding it (added to the stored counts unless ``rebuild``)."""
    vectors: Mapping[str, StoryVector]
    """Story id -> its whole vector (replacing the stored one)."""
    drop: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Story id -> the terms its stored vector may hold: entries removed first (stories that
    were regrouped or retired; their terms are known from their articles, so no scan is needed)."""
    grow: Mapping[str, StoryVector] = field(default_factory=dict)
    """Story id -> what articles that joined it add to its stored vector (size and weights
    added): a story that only grew is not re-weighed from all its articles."""
    terms: Mapping[str, Terms] = field(default_factory=dict)
    """Article id -> its clustering terms (:func:`synoptic.cluster.article_terms` with
    ``terms_lead`` lead sentences), kept so that a later regroup reads them instead of splitting
    and tokenising the text again (the articles a large story lends, the members it relabels)."""
    terms_lead: int = 0


@dataclass(frozen=True, slots=True)
class DossierHead:
    """What a regroup needs of a stored dossier it keeps (:func:`synoptic.dossier.reads_the_same`):
    its warnings and the publication dates it inferred, read without decoding the rest."""

    warnings: tuple[str, ...]
    published: Mapping[str, PublishedDate]


@dataclass(frozen=True, slots=True)
class KeptDossier:
    """A stored dossier kept as analysed (its story grew by articles it does not read): its
    story and warnings as they are now, written over the stored record, the rest untouched."""

    story: Story
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Regroup:
    """The outcome of regrouping, applied by the backend in one transaction."""

    base_version: int
    """The store's story version the regroup was computed from (checked before applying)."""
    stories: tuple[Story, ...]
    """Every story whose membership changed or that is new (with stable ids)."""
    dossiers: tuple[Dossier, ...]
    """One per story in ``stories`` but those in ``kept``."""
    kept: tuple[KeptDossier, ...] = ()
    """Stories of ``stories`` whose stored dossier stays, with their new story and warnings."""
    retired: Mapping[str, str] = field(default_factory=dict)
    """Old story id -> the story it was merged into."""
    copies: tuple[CopyLink, ...] = ()
    """All copy links among stored articles (replaces the stored set)."""
    article_count: int = 0
    """How many stored articles the regroup covered."""
    copies_among: tuple[str, ...] | None = None
    """None: ``copies`` replace every stored link; else they replace the links between these
    articles only (an incremental regroup sees only the stories it touched)."""
    index: IndexUpdate | None = None
    """The story index's change; None leaves the index stale (the next ingest rebuilds it)."""


class VersionConflict(Exception):
    """Another writer regrouped first: recompute from the new state."""


class Store(abc.ABC):
    """A story store. Implementations must be safe to call from several threads."""

    # ---- articles
    @abc.abstractmethod
    def add_article(self, article: Article, *, added: dt.datetime | None = None) -> bool:
        """Store one article, committed before returning. False when its id was already stored."""

    @abc.abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abc.abstractmethod
    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        """The stored ones among ``article_ids``, in the given order."""

    @abc.abstractmethod
    def iter_articles(self) -> Iterator[Article]:
        """Every stored article, in the order they were first stored."""

    @abc.abstractmethod
    def article_count(self) -> int: ...

    @abc.abstractmethod
    def unassigned_count(self) -> int:
        """Stored articles that belong to no story yet (arrived after the last regroup)."""

    @abc.abstractmethod
    def story_of(self, article_id: str) -> str | None: ...

    @abc.abstractmethod
    def unassigned_articles(self) -> list[Article]:
        """The stored articles that belong to no story, in the order they were stored."""

    # ---- story index (candidate search for articles that arrive: see synoptic.store.assign)
    @abc.abstractmethod
    def index_ready(self) -> bool:
        """Whether the index matches the current stories (the latest regroup kept it up to date)."""

    @abc.abstractmethod
    def index_documents(self) -> int:
        """Articles counted in the index's document frequencies."""

    @abc.abstractmethod
    def kept_terms(self, article_ids: Sequence[str], lead_sentences: int) -> dict[str, Terms]:
        """The kept terms of those of ``article_ids`` that have them, computed with
        ``lead_sentences`` (:attr:`IndexUpdate.terms`)."""

    @abc.abstractmethod
    def term_df(self, terms: Sequence[str]) -> dict[str, int]:
        """Document frequencies of those of ``terms`` that the index knows."""

    @abc.abstractmethod
    def story_postings(self, terms: Sequence[str]) -> list[tuple[str, str, float]]:
        """``(story id, term, weight)`` for every story whose vector holds one of ``terms``."""

    @abc.abstractmethod
    def story_vectors(self, story_ids: Sequence[str], terms: Sequence[str]) -> dict[str, StoryVector]:
        """The index entries of ``story_ids``, their weights restricted to ``terms``."""

    @abc.abstractmethod
    def closest_members(
        self, words: Sequence[str], story_ids: Sequence[str], per_story: int
    ) -> dict[str, list[str]]:
        """Story id -> at most ``per_story`` of its articles that hold one of ``words`` (plain
        lower-case words), the most relevant first by full-text rank; stories without such an
        article are left out."""

    # ---- stories
    @abc.abstractmethod
    def story_version(self) -> int:
        """Increases with every applied regroup."""

    @abc.abstractmethod
    def memberships(self) -> dict[str, frozenset[str]]:
        """Current story id -> its article ids."""

    @abc.abstractmethod
    def known_story_ids(self) -> set[str]:
        """Every story id ever used (current and retired), so a new story never reuses one."""

    @abc.abstractmethod
    def get_story(self, story_id: str) -> Story | None: ...

    @abc.abstractmethod
    def resolve_story(self, story_id: str) -> str | None:
        """The current id for ``story_id``, following merges; None when never known."""

    @abc.abstractmethod
    def list_stories(self, query: StoryQuery) -> StoryPage: ...

    @abc.abstractmethod
    def get_dossier(self, story_id: str) -> Dossier | None: ...

    @abc.abstractmethod
    def dossier_head(self, story_id: str) -> DossierHead | None:
        """The warnings and inferred dates of a stored dossier (a large one need not be decoded)."""

    @abc.abstractmethod
    def copies_among(self, article_ids: Sequence[str], *, limit: int | None = None) -> list[CopyLink]:
        """The stored copy links among ``article_ids``, by ``(a, b, kind)``; the first ``limit``."""

    @abc.abstractmethod
    def copy_kinds_among(self, article_ids: Sequence[str]) -> dict[str, int]:
        """How many stored copy links among ``article_ids`` there are of each kind."""

    @abc.abstractmethod
    def copy_pairs(self, article_ids: Sequence[str], *, joining: bool = False) -> list[tuple[str, str]]:
        """``(a, b)`` of each stored copy link among ``article_ids`` (``joining``: only those that
        join stories, any kind but ``credited``), sorted, once per pair: what a regroup needs of
        them, without reading the records."""

    @abc.abstractmethod
    def apply_regroup(self, regroup: Regroup) -> None:
        """Apply in one transaction; raises :class:`VersionConflict` when the story version moved."""

    # ---- search
    @abc.abstractmethod
    def search(self, text: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles whose title or text contain every word of ``text`` (best matches first)."""

    # ---- lifecycle
    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
