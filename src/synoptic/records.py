"""Typed records passed between the stages of the pipeline.

Every record is a frozen dataclass. Stages never mutate a record; they return new ones
(``dataclasses.replace``). Every fact a stage produces points back to character spans of
an article's cleaned ``text`` (end exclusive), so a citation can always be resolved.

JSON (de)serialisation is generic (:func:`to_json` / :func:`from_json`) and driven by the
type hints below, so adding a field to a record needs no serialiser change. The dossier
JSON carries :data:`SCHEMA` so readers can tell versions apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from synoptic.nlp.text import normalised

SCHEMA = "synoptic/2"
"""``synoptic/2``: an article's ``outlet`` is an object (:class:`Outlet`), no longer a string."""
READABLE_SCHEMAS = ("synoptic/1", SCHEMA)
"""Dossier JSON versions this code still reads (older ones are upgraded as they are read)."""
RECORD_VERSION = 2

Span = tuple[int, int]
"""Character offsets ``(start, end)`` into an article's cleaned text, end exclusive."""

Provenance = Literal["metadata", "text", "inferred", "input"]
DateKind = Literal["published", "updated", "inferred"]
OutletOrigin = Literal["input", "manifest", "metadata", "table", "credit", "url", "file"]
"""Where an article's outlet name came from, strongest evidence first (see :mod:`synoptic.outlets`)."""
CopyKind = Literal["duplicate", "near-duplicate", "syndicated", "reworded", "credited"]
EntityKind = Literal["person", "organisation", "place", "other"]
Granularity = Literal["instant", "day", "week", "month", "quarter", "year", "range", "duration", "set", "ref"]


def article_id(text: str) -> str:
    """Stable id of an article: a hash of its whitespace- and case-normalised text."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- articles

_NO_DATE = dt.datetime.min.replace(tzinfo=dt.UTC)
"""Stand-in instant of an undated article in :attr:`Article.publication_key` (its flag sorts it)."""


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """When an article was published (or updated), and how we know."""

    value: dt.datetime | None
    kind: DateKind = "published"
    origin: Provenance = "metadata"
    source_text: str | None = None
    """The exact text the date was read from, when it came from the text."""
    range: tuple[dt.date, dt.date] | None = None
    """For inferred dates: the interval the evidence allows."""


@dataclass(frozen=True, slots=True)
class Outlet:
    """Who published an article, and how we know (:mod:`synoptic.outlets` decides it).

    ``origin``: ``input`` (a JSONL ``outlet``/``source`` field, an API field), ``manifest`` (the
    directory's ``metadata.csv``/``.jsonl`` beside plain-text files), ``metadata`` (the page's or
    feed's own: ``og:site_name``, JSON-LD publisher, feed title), ``table`` (the URL's domain in the
    shipped or user domain table), ``credit`` (what the text credits, e.g. a ``(CNN)`` dateline:
    the copy is that outlet's, its publisher is not known), ``url`` (a domain the tables do not
    name), ``file`` (nothing known: the file or record name stands in, each its own outlet).
    """

    name: str
    domain: str | None = None
    """The registered domain of the article's URL (``livemint.com``), when known."""
    origin: OutletOrigin = "input"
    wire: tuple[str, ...] = ()
    """Agencies or other outlets the text credits besides the outlet itself ("AFP", "ANI")."""

    @property
    def display(self) -> str:
        """The name a reader is shown: a credited outlet says it was credited, not published."""
        return f"{self.name} (credited)" if self.origin == "credit" else self.name


@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of boilerplate taken out of the body, with the rule that removed it."""

    text: str
    reason: str
    line: int | None = None
    """0-based line (paragraph) index in the extracted text before cleaning."""


@dataclass(frozen=True, slots=True)
class Article:
    """One news article after ingestion (and, once cleaned, after boilerplate removal).

    ``text`` is the body: paragraphs separated by a blank line. Spans everywhere else in the
    pipeline are offsets into this string.
    """

    id: str
    source: str
    """Where it came from: a path, ``path#entry`` for feeds/JSONL/WARC records, or a URL."""
    text: str
    title: str | None = None
    outlet: Outlet | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    published: PublishedDate | None = None
    language: str | None = None
    language_confidence: float | None = None
    input_format: str = "text"
    removed: tuple[Removal, ...] = ()
    credits: tuple[str, ...] = ()
    """Origin credits found in the text ("CNN", "With inputs from ANI", ...)."""
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    """Where each metadata value came from, keyed by field name (``outlet``, ``title``, ...)."""
    warnings: tuple[str, ...] = ()
    headings: tuple[Span, ...] = ()
    """Spans of short paragraphs that read as (sub)headings, not sentences; set by cleaning."""

    def __post_init__(self) -> None:
        # an Article made by hand with ``outlet="CNN"`` (as before ``synoptic/2``) means that name,
        # given with the input
        if isinstance(self.outlet, str):
            object.__setattr__(self, "outlet", Outlet(self.outlet.strip()) if self.outlet.strip() else None)

    @property
    def outlet_name(self) -> str:
        """The outlet for tallies and display, the one place every view and the store read it.

        ``outlet.display`` once :mod:`synoptic.outlets` has decided it; before (or for records
        made by hand) the source's own name, as :func:`source_name` gives it."""
        if self.outlet is not None:
            return self.outlet.display
        return source_name(self.source)

    @property
    def published_at(self) -> dt.datetime | None:
        """The article's date as an aware datetime, ``None`` when it has none.

        One rule for every stage that orders articles by date: a date without a time zone (a
        naive one, which :mod:`synoptic.clean.dates` keeps as the outlet's wall clock) is read as
        UTC, the zone :mod:`synoptic.ingest.metadata` assumes for feed and page dates. An aware
        date keeps its own offset (shown as the outlet gave it; aware datetimes compare as
        instants). An inferred date with only a range (no ``value``) counts as undated here."""
        value = self.published.value if self.published is not None else None
        if value is None:
            return None
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)

    @property
    def publication_key(self) -> tuple[bool, dt.datetime]:
        """Sort key of publication order: earliest first, undated articles last (add ``id`` or
        another field for ties). Every stage's order (first article of a story, representative of
        a duplicate group, summary, story page) sorts with it, so they cannot drift apart."""
        when = self.published_at
        return (False, when) if when is not None else (True, _NO_DATE)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def paragraph_spans(self) -> list[Span]:
        spans: list[Span] = []
        start = 0
        for part in self.text.split("\n\n"):
            if part.strip():
                spans.append((start, start + len(part)))
            start += len(part) + 2
        return spans


def source_name(source: str) -> str:
    """A short name for where an article came from, standing in for an unknown outlet: the file
    name stem (``000_239dd344fad90823``), or stem and record for JSONL/feed/WARC records
    (``mn300#12``), so that records of one file whose outlets are unknown are not taken for one
    outlet."""
    path, _, record = source.partition("#")
    base = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".gz")
    base = (base.rsplit(".", 1)[0] if "." in base[1:] else base) or "unknown"
    return f"{base}#{record}" if record else base


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An input item that could not be turned into an article; the batch goes on."""

    source: str
    reason: str
    hint: str
    code: str
    """An ``E0nn`` code of :data:`synoptic.errors.MESSAGES`."""

    def message(self) -> str:
        return f"{self.source}: {self.reason} ({self.hint}) [{self.code}]"


# --------------------------------------------------------------------------- text units


@dataclass(frozen=True, slots=True)
class Sentence:
    article: str
    index: int
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    article: str
    span: Span
    text: str
    label: str
    """The NER label (PERSON, ORG, GPE, ...) or a rule's name."""


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    confidence: float = 1.0
    """How sure it is that the name and its aliases are one entity, in [0, 1]."""


@dataclass(frozen=True, slots=True)
class Quote:
    article: str
    speaker: str
    """Canonical entity name when resolved, else the raw speaker text ('' when unknown)."""
    content: str
    content_span: Span
    direct: bool
    speaker_span: Span | None = None
    cue: str | None = None
    cue_span: Span | None = None
    entity: str | None = None
    """Id of the canonical :class:`Entity`, when the speaker resolved to one."""
    statement: str | None = None
    """Id shared by quotes of the same statement across articles (translations, rewordings)."""
    confidence: float = 1.0
    """How sure the attribution is, in [0, 1] (docs/confidence.md); default views show only
    quotes at or above ``DossierSettings.show_threshold``."""


@dataclass(frozen=True, slots=True)
class TimeExpression:
    article: str
    span: Span
    text: str
    value: str
    """TIMEX3-style value: ``2023-03-20``, ``2023-W12``, ``2023-03``, ``P3D``, ``PAST_REF``..."""
    granularity: Granularity
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"
    anchor: str | None = None
    """ISO date the expression was resolved against."""
    start: dt.date | None = None
    end: dt.date | None = None
    """Inclusive calendar interval the value covers, when it is a date or range."""


@dataclass(frozen=True, slots=True)
class Citation:
    article: str
    span: Span
    """The supporting span: where this article states the fact cited."""
    confidence: float = 1.0
    """How sure it is that the span states the fact, in [0, 1] (docs/confidence.md)."""


@dataclass(frozen=True, slots=True)
class Event:
    """A dated statement of the story (one timeline entry)."""

    start: dt.date
    end: dt.date
    granularity: Granularity
    text: str
    citations: tuple[Citation, ...]
    planned: bool = False
    """True for events announced as future at publication time."""
    confidence: float = 1.0
    """How sure the date and the event are, in [0, 1] (docs/confidence.md)."""

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.article for c in self.citations))


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two or more outlets giving different values for the same fact."""

    what: str
    sides: tuple[ConflictSide, ...]
    confidence: float = 1.0
    """How sure it is that the sides disagree about one slot of one event, in [0, 1]."""


@dataclass(frozen=True, slots=True)
class ConflictSide:
    value: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """One fact of the story as stated in one or more sentences."""

    id: str
    text: str
    citations: tuple[Citation, ...]
    outlets: tuple[str, ...]
    """Independent outlets supporting it; copies of one report count once."""
    single_source: bool
    """No other outlet states it: none is credited, and none has a related statement
    (``related`` is empty)."""
    conflicts: tuple[Conflict, ...] = ()
    wordings: tuple[Wording, ...] = ()
    confidence: float = 1.0
    """How sure it is that the claim is a proposition stated as cited, in [0, 1]."""
    related: tuple[Citation, ...] = ()
    """For a claim one outlet is credited with: the closest related statement of another outlet
    (of one per outlet, as many as ``crosscheck.claims.RELATED_OUTLETS``), one the support check
    accepted for another claim or could neither confirm as the same fact nor rule out, with its
    cosine as ``confidence``. Pointers for a reader to compare, not credits; a claim with any is
    *unconfirmed*, not ``single_source``."""

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.article for c in self.citations))


@dataclass(frozen=True, slots=True)
class Wording:
    """How one outlet phrased a claim (for side-by-side comparison)."""

    outlet: str
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class OutletReport:
    outlet: str
    articles: tuple[str, ...]
    unique_claims: tuple[str, ...] = ()
    """Claim ids only this outlet reports."""
    missing_claims: tuple[str, ...] = ()
    """Claim ids most other outlets report and this one leaves out."""
    wording: tuple[Wording, ...] = ()


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    citations: tuple[Citation, ...]
    confidence: float = 1.0
    """How sure it is that every citation supports the sentence, in [0, 1]."""


@dataclass(frozen=True, slots=True)
class CopyLink:
    a: str
    b: str
    """``b`` is a copy of ``a`` (``a`` is the earlier or original article where known)."""
    kind: CopyKind
    evidence: str
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class SettledCopies:
    """What a store knows of the copies among some articles it holds: the links among
    ``articles`` are all known (the search need not look for them again), and ``joined`` holds
    the pairs of those links that join stories (every kind but ``credited``)."""

    articles: frozenset[str] = frozenset()
    joined: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    articles: tuple[str, ...]
    label: str = ""
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    merged_from: tuple[str, ...] = ()
    """Ids of stories merged into this one (streaming mode records merges)."""


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """Who, who said what, and when, for one story (input to cross-checking and the dossier)."""

    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    timeline: tuple[Event, ...] = ()
    published: Mapping[str, PublishedDate] = field(default_factory=dict)
    """Publication dates inferred for articles that had none, by article id."""


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything Synoptic knows about one story."""

    story: Story
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    outlets: tuple[OutletReport, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    warnings: tuple[str, ...] = ()
    published: Mapping[str, PublishedDate] = field(default_factory=dict)
    """Publication dates inferred for member articles that had none, by article id."""


@dataclass(frozen=True, slots=True)
class Digest:
    """The result of one run: articles, copy links and one dossier per story."""

    articles: tuple[Article, ...]
    copies: tuple[CopyLink, ...] = ()
    dossiers: tuple[Dossier, ...] = ()
    failures: tuple[IngestFailure, ...] = ()
    repeats: int = 0
    """Inputs that were the very same text as an earlier input (kept once, not skipped)."""

    def to_dataframes(self) -> dict[str, Any]:
        """The digest as pandas DataFrames by table name: ``stories``, ``articles``, ``claims``,
        ``quotes`` and ``timeline`` (columns: :data:`synoptic.render.tables.COLUMNS`).

        Returns:
            ``{"claims": DataFrame, ...}``, one row per item with its ``confidence``.

        Raises:
            MissingDependency: ``E050`` when pandas is not installed
                (``pip install 'synoptic[pandas]'``)."""
        from synoptic.render.tables import to_dataframes

        return to_dataframes(self)


@dataclass(frozen=True, slots=True)
class DigestStream:
    """A run's result whose dossiers are built while they are read, one story after another,
    so that a large run never holds them all (``synoptic digest -f json`` writes each as it
    comes). ``dossiers`` can be read once. ``articles`` are as read: the dates that dossiers
    infer for undated articles are known only once every dossier has been read."""

    articles: tuple[Article, ...]
    copies: tuple[CopyLink, ...]
    dossiers: Iterator[Dossier]
    stories: int
    """How many dossiers ``dossiers`` gives."""
    failures: tuple[IngestFailure, ...] = ()
    repeats: int = 0


def with_inferred(articles: Sequence[Article], inferred: Mapping[str, PublishedDate]) -> tuple[Article, ...]:
    """The articles with an inferred date where they had none (an update time is kept as it is:
    the inferred first publication stays in ``StoryFacts.published``)."""
    return tuple(
        dataclasses.replace(a, published=inferred[a.id])
        if a.id in inferred and (a.published is None or a.published.value is None)
        else a
        for a in articles
    )


# --------------------------------------------------------------------------- JSON

T = TypeVar("T")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_json(value: Any) -> Any:
    """Convert a record (or nested records, tuples, dates) into JSON-ready Python values."""
    if type(value) in _SCALARS:  # most values: checked first (big digests convert millions)
        return value
    names = _field_names(value.__class__)
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


@functools.cache
def _field_names(cls: Any) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for other types); derived, read-only data."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


def from_json(cls: type[T], data: Any) -> T:
    """Inverse of :func:`to_json` for record class ``cls``."""
    return typing.cast(T, _decoder(typing.cast(Any, cls))(data))


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """Resolved field types of a record class (resolving them is costly; classes never change)."""
    return get_type_hints(cls)


Decoder = Callable[[Any], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """The decoding of JSON data into type ``tp``, worked out once per type (a store read decodes
    hundreds of thousands of small records: reading the type on each was most of their cost)."""
    origin = get_origin(tp)
    if tp is Any:
        return _same
    if origin in (Union, types.UnionType):
        return _union(tp)
    if origin is Literal:
        allowed = get_args(tp)

        def literal(data: Any) -> Any:
            if data not in allowed:
                raise ValueError(f"{data!r} is not one of {allowed}")
            return data

        return literal
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda data: tuple(item(v) for v in data)
        items = [_decoder(a) for a in args]
        return lambda data: tuple(d(v) for d, v in zip(items, data, strict=True))
    if origin in (list,):
        item = _decoder(get_args(tp)[0])
        return lambda data: [item(v) for v in data]
    if origin in (dict, Mapping) or tp is Mapping:
        value = _decoder((get_args(tp) or (str, Any))[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    if dataclasses.is_dataclass(tp):
        return _record(typing.cast(type, tp))
    if tp is dt.datetime:
        return _datetime
    if tp is dt.date:
        return _date
    if tp is float:
        return _float
    if isinstance(tp, type):

        def typed(data: Any) -> Any:
            if not isinstance(data, tp):
                raise TypeError(f"expected {tp.__name__}, got {data!r}")
            return data

        return typed
    return _same


def _same(data: Any) -> Any:
    return data


def _union(tp: Any) -> Decoder:
    args = get_args(tp)
    optional = type(None) in args
    variants = [_decoder(a) for a in args if a is not type(None)]

    def union(data: Any) -> Any:
        if data is None and optional:
            return None
        errors = []
        for variant in variants:
            try:
                return variant(data)
            except (TypeError, ValueError, KeyError) as exc:
                errors.append(exc)
        raise ValueError(f"no variant of {tp} accepts {data!r}: {errors}")

    return union


def _record(cls: type) -> Decoder:
    hints = _type_hints(cls)
    # a field's decoder is looked up when first needed: records refer to each other (and to
    # themselves), so building them all here could recurse without end
    names = [f.name for f in dataclasses.fields(cls)]
    decoders: dict[str, Decoder] = {}
    upgrade = cls is Article

    def record(data: Any) -> Any:
        if upgrade and isinstance(data, Mapping):
            data = _upgrade_article(data)
        kwargs = {}
        for name in names:
            if name in data:
                decode = decoders.get(name)
                if decode is None:
                    decode = decoders[name] = _decoder(hints[name])
                kwargs[name] = decode(data[name])
        return cls(**kwargs)

    return record


def _datetime(data: Any) -> dt.datetime:
    if not isinstance(data, str):
        raise TypeError(f"expected ISO datetime string, got {data!r}")
    return dt.datetime.fromisoformat(data)


def _date(data: Any) -> dt.date:
    if not isinstance(data, str) or "T" in data:
        raise TypeError(f"expected ISO date string, got {data!r}")
    return dt.date.fromisoformat(data)


def _float(data: Any) -> float:
    if isinstance(data, int | float):
        return float(data)
    raise TypeError(f"expected float, got {data!r}")


_OLD_OUTLET_ORIGIN: dict[str, OutletOrigin] = {"input": "input", "metadata": "metadata", "inferred": "url"}


def _upgrade_article(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """An article record as ``synoptic/1`` (record version 1) wrote it, in today's shape: its
    ``outlet`` was a bare string (a given name, a site name, or a domain marked ``inferred``)."""
    outlet = data.get("outlet")
    if not isinstance(outlet, str):
        return data
    provenance = data.get("provenance") or {}
    origin = _OLD_OUTLET_ORIGIN.get(str(provenance.get("outlet", "input")), "input")
    return {
        **data,
        "outlet": {"name": outlet, "origin": origin, "domain": outlet if origin == "url" else None},
    }
