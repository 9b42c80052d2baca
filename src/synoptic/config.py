"""Settings, validated once, passed explicitly to every stage (no global state).

Each stage owns one frozen section. Tuned thresholds are named constants with a note on how
they were tuned (always on dev data only; see ``bench/``).

Each field declares its allowed values with its type: a ``Literal`` for names, and for numbers
one of the constrained aliases below (``Count``, ``Share``, ...; an ``Annotated`` type with a
:class:`Range`). :meth:`Settings.validate` checks every field against its declaration in one
place, so a value from the command line, a TOML file (:mod:`synoptic.configfile`) or Python is
refused with a message naming the key and its allowed range.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from synoptic.errors import UsageError

log = logging.getLogger(__name__)

Embedder = Literal["minilm", "hashing"]
Precision = Literal["auto", "float32", "bfloat16"]
Model = Literal["spacy", "minilm", "hashing"]
"""Models a worker can load when it starts (``ScaleSettings.warm``)."""


@dataclass(frozen=True, slots=True)
class Range:
    """The allowed values of a numeric setting, declared next to its field
    (``max_bytes: Annotated[int, Range(1)]``) and checked by :meth:`Settings.validate`."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    """The lower bound itself is not allowed (``(0, 1]``)."""

    def allows(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        low = None if self.low is None else f"{'greater than' if self.low_open else 'at least'} {self.low:g}"
        if self.high is None:
            return low or "any number"
        if low is None:
            return f"at most {self.high:g}"
        if not self.low_open:
            return f"between {self.low:g} and {self.high:g}"
        return f"{low} and at most {self.high:g}"


Count = Annotated[int, Range(1)]
"""Sizes, counts and limits: a whole number, at least 1."""
NonNegative = Annotated[int, Range(0)]
"""A whole number, 0 or more (0 turns the feature off or means "none")."""
Share = Annotated[float, Range(0.0, 1.0)]
"""Shares, overlaps, cosine thresholds, confidences and mixing weights: 0 to 1."""
Weight = Annotated[float, Range(0.0)]
"""A non-negative weight or offset."""
Distance = Annotated[float, Range(0.0, 2.0)]
"""A cosine distance: 0 to 2."""


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_bytes: Count = 20_000_000
    """Largest single document (text, HTML page, feed; after decompression) that is read; a bigger
    one is refused with a one-line reason (no news article is 20 MB, and the NLP stages would
    not cope). JSONL and WARC files are streamed: there the limit is per record, not per file.
    Same value as trafilatura's own MAX_FILE_SIZE."""
    max_records: Count = 1_000_000
    """Upper bound of records read from one feed/JSONL/WARC file."""
    max_stream_bytes: Count | None = None
    """Most bytes read from one streamed (JSONL/WARC) file after decompression; ``None``: no
    bound (the CLI). The server sets one so that a small gzip upload cannot expand into hours of
    reading (a 400 KB gzip of newlines is 400 MB)."""
    min_text_chars: NonNegative = 1
    """Articles whose extracted body is shorter than this are reported as failures."""


@dataclass(frozen=True, slots=True)
class CleanSettings:
    enabled: bool = True
    dates_from_text: bool = True
    """Read the publication date from the text when the input's metadata gives none."""
    detect_language: bool = True
    """Detect the language (py3langid, offline) when the input's metadata gives none."""
    max_article_chars: Count = 2_000_000
    """Longest article text read: a longer one (a 10 MB text file is not a news article) keeps
    its first paragraphs up to this many characters, and its warnings say how much was left out.
    Every stage is linear in the text up to here (a 1 MB article with ``--fast`` takes seconds);
    the cap bounds what one input can cost. About 330,000 words: a long book."""
    cut_datelines: bool = True
    """Cut a ``WASHINGTON (AP) —`` dateline from the first paragraph (the credit is kept either way).
    The Scrapinghub extraction gold keeps datelines in the body; turning this off there gains
    recall (see bench/results/clean_extract.md)."""


@dataclass(frozen=True, slots=True)
class OutletSettings:
    """Outlet identity (:mod:`synoptic.outlets`)."""

    domains: tuple[tuple[str, str], ...] = ()
    """The user's ``(domain, name)`` rows (``--outlets FILE``): they extend the shipped table and
    win over it and over the pages' own site names. Held as data, not as a path, so workers on
    other machines get them with the settings (:meth:`from_csv` reads a file)."""
    from_credits: bool = True
    """Name an article without any other outlet evidence after what its text credits
    (``Hong Kong (CNN)``), shown as ``CNN (credited)``."""

    @classmethod
    def from_csv(cls, path: str | Path) -> OutletSettings:
        """Settings with the rows of a user's outlets CSV (``domain,name``; see docs/outlets.md)."""
        from synoptic.outlets.domains import read_user_table

        return cls(domains=read_user_table(path))


@dataclass(frozen=True, slots=True)
class NlpSettings:
    embedder: Embedder = "minilm"
    """``minilm`` (all-MiniLM-L6-v2, offline package) or ``hashing`` (fast, model-free)."""
    precision: Precision = "auto"
    """MiniLM's arithmetic: ``bfloat16`` (autocast: matrix products in bfloat16, sums and norms
    in float32) is 2.7x faster where the CPU computes it natively (AVX512-BF16 or AMX) and moves
    a cosine by 0.0003 (median) and 0.003 at most on news sentences (``bench/full_speed.py``);
    ``auto`` takes it on such CPUs and ``float32`` elsewhere, decided where the run starts (its
    workers follow). ``float32`` gives the same vectors on every machine."""


PARTITION_SIZE = 64
"""Records per task. Big enough that pickling and scheduling (about 1 ms per task on Dask) is
small against the work (cleaning alone costs a few ms per article), small enough that two
workers stay busy on a few hundred articles and a stream keeps little in flight. Chosen on
the scale benchmark (bench/scale.py, synthetic articles from ../shared/eval mds/cluster dev)."""

CLUSTER_PARTITION_SIZE = 2048
"""Articles per partition of the story clustering: a block of two partitions is a candidate
product of at most 2048 x 2048 articles (memory bounded in one process too)."""
CLUSTER_TASK_SIZE = 8192
"""Articles of the multi-article blocks one task of the story clustering refines: the task
gathers their rows from every partition holding one, and a pool worker loads the whole
partition for that. One task per block (the blocks of a 100k-article run span most of its 49
partitions) had the two pool workers of a 100k-article run spend 25 of their 40 minutes
loading partitions."""


@dataclass(frozen=True, slots=True)
class ScaleSettings:
    """Where the stages run (see :mod:`synoptic.executors`); results do not depend on it."""

    workers: Count = 1
    """Worker processes (``--workers N``); 1 runs everything in this process."""
    dask: str | None = None
    """``tcp://host:8786`` for an existing Dask scheduler, ``local`` for a LocalCluster of
    ``workers`` processes; None: no Dask."""
    partition_size: Count = PARTITION_SIZE
    in_flight: Count = 2
    """Partitions queued per worker ahead of the one being collected (bounds memory in a stream)."""
    warm: tuple[Model, ...] = ()
    """Models each worker loads when it starts (``spacy``, ``minilm``, ``hashing``)."""
    cluster_partition_size: Count = CLUSTER_PARTITION_SIZE
    """Articles per partition of the story clustering (:mod:`synoptic.cluster.partitioned`)."""


NEAR_DUPLICATE_JACCARD = 0.8
"""Jaccard similarity of 5-word shingle sets at and above which two texts are near-duplicates.
Usual value for news near-duplicate detection (Broder); a reworded copy (seed 004) scores < 0.1."""
SYNDICATED_CONTAINMENT = 0.8
"""Share of the shorter text's shingles found in the longer one for a syndicated copy (the same wire
body under another outlet, possibly with a paragraph added or cut)."""
PARAPHRASE_SIMILARITY = 0.72
"""MiniLM cosine at and above which a sentence counts as a paraphrase of another. Checked by hand on
the seeds: reworded sentence pairs score 0.75-0.95, different sentences of the same story < 0.7."""
REWORDED_SHARE = 0.6
"""Share of B's sentences that must paraphrase A's, in A's order, for a reworded copy."""
REWORDED_CANDIDATE_CONTAINMENT = 0.3
"""Share of the smaller content-word set found in the other's (exact) for an LSH-proposed pair to get
the sentence-by-sentence check. LSH at Jaccard 0.2 proposes mostly far weaker pairs (95% of 580k
on the 10k-article scale corpus), and the check costs a matrix product per pair. Set on that corpus
(dev text): the reworded copies found without the bar all have at least 0.33, and a short copy
inside a long article has low Jaccard but high containment, hence containment, not Jaccard."""

REWORDED_MAX_PARTNERS = 20
"""Candidates per article for the rewording check: each article's closest by the shared share of
content words (a pair is checked when it is among either article's). Inside a story of hundreds of
articles every pair passes the containment bar, and the sentence check grows with the square of
the story: 8.2 M pairs on the 100k-article scale corpus, 82 per article. A rewording is closer to
its original than the other coverage of the story is, so it is among the first few."""


@dataclass(frozen=True, slots=True)
class DedupSettings:
    shingle_words: Count = 5
    num_perm: Count = 128
    """MinHash permutations of the content-word signatures whose LSH proposes pairs for the
    rewording check (shingle overlap for the other kinds is counted exactly)."""
    near_duplicate_jaccard: Share = NEAR_DUPLICATE_JACCARD
    syndicated_containment: Share = SYNDICATED_CONTAINMENT
    reworded: bool = True
    """Look for sentence-by-sentence paraphrases (needs sentence embeddings)."""
    paraphrase_similarity: Share = PARAPHRASE_SIMILARITY
    reworded_share: Share = REWORDED_SHARE
    reworded_min_sentences: Count = 3
    reworded_candidate_jaccard: Share = 0.2
    """Jaccard of the two texts' content-word sets at which LSH proposes a pair for the rewording check."""
    reworded_candidate_containment: Share = REWORDED_CANDIDATE_CONTAINMENT
    reworded_max_partners: Count = REWORDED_MAX_PARTNERS


COARSE_DISTANCE = 0.80
"""Average-linkage cosine distance cut for topic groups. Tuned on ECB+ dev (grid 0.70-0.90)."""
REFINE_DISTANCE = 0.89
"""Top-merge distance above which a topic group is bisected (distinctive tokens, in-group IDF).
Tuned on ECB+ dev jointly with COARSE_DISTANCE and REFINE_IDF_OFFSET (grids 0.70-0.98, offsets
0, 0.25, 0.5, 1); see bench/results/cluster.md. Was 0.88 before the lead-marker rule below;
with it, B-cubed F1 is 0.9508 / 0.9490 / 0.9536 / 0.9473 / 0.9473 at 0.88 / 0.885 / 0.89 /
0.895 / 0.90 (0.88 alone was a peak without it: 0.9374 at 0.87, 0.9358 at 0.89)."""
REFINE_MARKER_DISTANCE = 0.84
"""A bisection whose top merge is above this but not above REFINE_DISTANCE is still made when
the two halves' leads name different things (``cluster.lead_markers`` at least
REFINE_MARKER_SHARE). ECB+ dev, with REFINE_DISTANCE 0.89: 0.9476-0.9536 over marker distance
0.82/0.84/0.86 x share 0.70/0.75/0.80 (0.9536 on the middle cross); the dev case it decides is
two DUI arrests of two players of one team (11 + 10 articles, top merge 0.852, share 0.82),
while one event told from two angles (one celebrity, two rehab clinics) scores 0.33."""
REFINE_MARKER_SHARE = 0.75
REFINE_IDF_OFFSET = 0.5
ENTITY_WEIGHT = 0.5
"""Weight of the distinctive-token block against the content-word block (ECB+ dev, grid 0.3-1.0)."""


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    coarse_distance: Distance = COARSE_DISTANCE
    refine_distance: Distance = REFINE_DISTANCE
    entity_weight: Weight = ENTITY_WEIGHT
    min_df: Count = 2
    """Terms found in fewer articles carry no evidence of a shared story and are dropped."""
    refine_idf_offset: Weight = REFINE_IDF_OFFSET
    refine_min_size: Count = 4
    """Topic groups smaller than this are not split further."""
    refine_min_part: Count = 2
    """A bisection that would cut off fewer articles than this is not made (ECB+ dev: 1 and 2 tie
    on average linkage, 2 is better on weighted linkage)."""
    refine_marker_distance: Distance = REFINE_MARKER_DISTANCE
    refine_marker_share: Share = REFINE_MARKER_SHARE
    lead_sentences: NonNegative = 2
    """Sentences of the text (after the title) that make an article's lead (ECB+ dev B-cubed F1:
    1 scores 0.9408, 2 and 3 both 0.9536)."""
    exact_max: Count = 3000
    """Largest block clustered exactly (its similarity matrix is exact_max^2 floats)."""
    block_max_df: Count = 300
    """Terms in more articles than this take no part in candidate generation (they pair everything)."""
    chunk_rows: Count = 500
    candidate_floor: Share = 0.1
    """Smallest partial similarity for a pair to be checked exactly."""
    stream_assign_similarity: Share = 0.35
    """Streaming: an arriving article joins a group when its average similarity to the group is
    at least this (stricter than the coarse bar: the periodic consolidation merges what is left,
    exactly, so early mistakes are rare rather than repaired). ECB+ dev, fed in file order."""
    consolidate_every: Count = 1000
    """Streaming: re-weight and merge groups after this many new articles (and on every read)."""


@dataclass(frozen=True, slots=True)
class TimeSettings:
    """Time expressions (``nlp/timex``), inferred publication dates and the timeline."""

    ranges: bool = True
    """Return "from Monday to Wednesday" as one range expression; False returns its parts (the
    TimeBank convention, used by ``synoptic eval timex``)."""
    recency_days: NonNegative = 1
    """An undated article is taken to be published at most this many days after the latest event
    it reports in the past tense (news reports the day's or the previous day's events). Tuned on
    the seed story (the only dev material with undated articles): 0 excludes next-day reports,
    2 and more widen every inferred range past its gold range."""
    search_days: Count = 21
    """How far before and after the story's dated articles candidate publication dates are tried."""
    merge_similarity: Share = 0.2
    """Least IDF-weighted overlap coefficient of content words for two sentences with the same date
    to be one timeline event. Set on the seed story (dev): the same happening told by two outlets
    scores 0.22-0.52, different happenings of one day 0.0-0.1 (0.14 at most)."""
    nested_similarity: Share = 0.3
    """The same for a coarser and a finer date of one event ("last week" and "on Friday", "this
    month" and "last week"), which then keep the finer date. Higher than ``merge_similarity``: a
    week or a month holds more unrelated happenings than a day. Set on the seed story (dev)."""
    done_similarity: Share = 0.1
    """The same for a planned event and a done one inside its dates told by a later article (the
    plan carried out: shown once, as done). Lower: a plan and its report are worded differently
    ("will share lunch on Monday", "met on Monday"). Set on the seed story (dev)."""


@dataclass(frozen=True, slots=True)
class EntitySettings:
    batch_size: Count = 64
    """Paragraphs per spaCy ``nlp.pipe`` batch."""
    min_mentions: Count = 1
    """Entities mentioned fewer times than this in the whole story are dropped."""


QUOTE_LINK_SIMILARITY = 0.75
"""MiniLM cosine above which two quotes of the same speaker in different articles are one statement.
Set on the seed story: the two translations of Wang Wenbin's "one sentence" statement score 0.81,
his other, different statements in the other articles 0.53-0.67."""


@dataclass(frozen=True, slots=True)
class QuoteSettings:
    link_similarity: Annotated[float, Range(0.0, 1.0, low_open=True)] = QUOTE_LINK_SIMILARITY
    max_pronoun_paragraphs: NonNegative = 3
    """How many paragraphs back a pronoun speaker ("he said") looks for its person."""


@dataclass(frozen=True, slots=True)
class SupportSettings:
    """The support check (``synoptic.crosscheck.support``): when a span states the same fact.

    Tuned by hand on the seed story (``../shared/eval/seeds/gold.json``, dev) and the support gold
    of dev stories in ``tests/data/support_gold`` with ``python -m bench.support``: every wrong
    credit a reader found on the seeds is refused, and the values sit where the gold credits kept
    do not change within +-0.05."""

    cosine_weight: Share = 0.5
    overlap_weight: Share = 0.35
    participant_weight: Share = 0.15
    """The score is this mix of the embedding cosine, the weighted content-word overlap (shared
    content over the smaller side's) and the share of participants in common."""
    accept: Share = 0.51
    """A span supports a statement from this score (when nothing differs)."""
    min_overlap: Share = 0.3
    """Below this content overlap the predicates differ, unless the cosine reaches
    ``paraphrase_cosine`` (a paraphrase shares few words: "no limits" / "borderless")."""
    verb_overlap: Share = 0.5
    """Statements whose main verbs differ ("invited" / "heads") state different facts unless their
    content overlaps at least this much (then the verbs sit in subordinate clauses)."""
    paraphrase_cosine: Share = 0.88
    """A cosine from which two statements are paraphrases whatever words and verbs they use."""
    negation_overlap: Share = 0.3
    """A negation on one side only refuses support when the two otherwise share this much content
    ("has supplied weapons" / "has not supplied weapons"); with less, the negation is about
    something else ("results will take weeks" / "results are not yet known")."""
    missing_count_factor: Share = 0.9
    """The score is multiplied by this when the statement counts something (``39 times``) that
    the span gives no number for, and again when it quotes a term (a "no limits" partnership)
    and the span quotes none: it states less than the statement."""
    min_participants: Share = 0.5
    """Share of the smaller side's named actors (people, organisations, countries) the other
    must name too, when both name some."""
    participants_overlap: Share = 0.4
    """...unless their content overlaps at least this much (the other side names its actors
    with a pronoun or "the two leaders")."""
    min_content_words: NonNegative = 3
    min_words: NonNegative = 5
    """A statement with fewer content words and names than these (two more when it leans on an
    earlier sentence: "the allegations"), or fewer words, is underspecified: it is never credited
    across articles ("Beijing has denied the allegations.")."""


@dataclass(frozen=True, slots=True)
class CrosscheckSettings:
    """Claims across outlets (``synoptic.crosscheck``).

    Tuned by hand on the bundled seed story against ``../shared/eval/seeds/gold.json`` (dev data),
    with ``python -m bench.crosscheck`` reporting matched claims, outlet sets and single-source
    marks; the values below are the middle of the range where those figures were stable."""

    link_threshold: Share | None = None
    """Units (sentences or clauses) whose cosine, plus the slot bonus, reaches this are the same
    claim (average linkage; unset: 0.66 with minilm, 0.3 with hashing, from ``EMBEDDER_TUNING``)."""
    slot_bonus: Share = 0.14
    """Added to the cosine for each kind of normalised value two units share (a quantity with its
    unit, a month or date, a quoted term), at most twice: "three-day visit" and "from Monday to
    Wednesday" share a 3-day duration though their cosine is only about 0.5."""
    attach_threshold: Share | None = None
    """A unit of an article that a claim does not cite yet joins it (a sentence may state several
    facts) when its mean linked similarity to the claim's members reaches this (unset: 0.66 with
    minilm, 0.25 with hashing)."""
    support_candidates: Share | None = None
    """With the support check, pairs of units from this cosine are put to it (unset: 0.45 with
    minilm, 0.2 with hashing)."""
    related_cosine: Share | None = None
    """A claim no other outlet is credited with is single-source only when no statement of
    another outlet reaches this cosine without the support check finding a different fact in it
    (a different value, time, place, negation or direction); the closest such statements are
    listed as the claim's ``related`` (unset: 0.55 with minilm, 0.25 with hashing)."""
    related_rarity: Weight = 0.3
    """...and, where the support check refused it for want of evidence, shares words with it
    that not every article uses: their summed IDF (``ln((1 + n) / (1 + df))`` over the story's
    n articles) reaches this. 0.3 is one word that at most three articles in five use (0.41),
    or two that four in five use (0.36): the words of the story's topic ("Xi", "Putin",
    "visit") tie two statements together no more than the topic does. Chosen on the support
    gold with ``related_cosine`` (``bench/support.py``; 0.0-0.7 tried): from 0.5 to 0.3,
    single-source claims stated elsewhere too fell from 45 to 36 and pointers stayed as often
    right (0.61 -> 0.63)."""
    support_per_article: Count | None = 5
    """With the support check, a unit is put to it against at most this many units of each other
    article, its closest by cosine (None: every unit from ``support_candidates``). The check is
    the cross-check's main cost and grows with the square of a story's units; a fact is stated
    once or twice per article, so the closest few hold the best-supporting one."""
    same_article_threshold: Share = 0.8
    """Single-source units of one article are one claim (a repeated standfirst) above this."""
    conflict_similarity: Share = 0.62
    """Two citations with different values for the same slot conflict only when their cosine
    reaches this (otherwise they are more likely different facts)."""
    min_clause_words: NonNegative = 4
    """A clause shorter than this is glued to its neighbour."""
    sentence_preference: Weight = 0.05
    """Added to a whole sentence's centrality when a claim's wording is chosen: a clause
    ("an accusation Beijing has denied.") is shown only when clearly more central."""
    min_residue_words: NonNegative = 6
    """An uncited clause of a partly cited sentence is a claim of its own from this many words (a
    shorter one, "after dark on Saturday", is a detail of the cited fact)."""
    duplicate_overlap: Share = 0.5
    """Two corroborated claims citing mostly the same sentences (Jaccard from this) are one."""
    missing_share: Share = 0.5
    """An outlet 'leaves out' a claim that more than this share of the other outlets report."""
    max_term_words: Count = 6
    """Quoted terms up to this many words are wordings (longer quotes are speech, not framing)."""
    heading_term_similarity: Share = 0.4
    """A heading's quoted term joins a claim's wordings when its cosine to one of the claim's
    quoted terms reaches this ("infinite" relationship vs "no limits" friendship: 0.48)."""

    def tuned(self, embedder: Embedder = "minilm") -> EmbedderTuning:
        """The embedder-dependent thresholds: those set here, the others ``EMBEDDER_TUNING[embedder]``."""
        tuned = EMBEDDER_TUNING[embedder]
        return EmbedderTuning(
            claim_link=tuned.claim_link if self.link_threshold is None else self.link_threshold,
            claim_attach=tuned.claim_attach if self.attach_threshold is None else self.attach_threshold,
            support_candidates=(
                tuned.support_candidates if self.support_candidates is None else self.support_candidates
            ),
            related_cosine=tuned.related_cosine if self.related_cosine is None else self.related_cosine,
        )

    def for_embedder(self, name: Embedder) -> CrosscheckSettings:
        """These settings with every unset threshold filled from ``EMBEDDER_TUNING[name]``."""
        tuned = self.tuned(name)
        return dataclasses.replace(
            self,
            link_threshold=tuned.claim_link,
            attach_threshold=tuned.claim_attach,
            support_candidates=tuned.support_candidates,
            related_cosine=tuned.related_cosine,
        )


@dataclass(frozen=True, slots=True)
class EmbedderTuning:
    """The thresholds that depend on the embedder: MiniLM and the hashing backend put one pair of
    sentences at different cosines (a paraphrase shares few words, so hashing cosines run lower).
    The other cosine thresholds (quote links, rewording, the support check's mix) were tuned with
    MiniLM and are used as they are with either backend."""

    claim_link: float
    """``CrosscheckSettings.link_threshold``. MiniLM: true cross-outlet paraphrases on the seeds
    score 0.5-0.9, a bare topical overlap ("the visit", "Xi and Putin") 0.3-0.55."""
    claim_attach: float
    """``CrosscheckSettings.attach_threshold``."""
    support_candidates: float
    """``CrosscheckSettings.support_candidates``. MiniLM: below 0.45, cosines of one fact in
    other words are rare on the dev stories."""
    related_cosine: float
    """``CrosscheckSettings.related_cosine``. Chosen on the support gold's single-source claims
    (``bench/support.py``): the cosine from which about four in five of the claims that another
    article states too have a statement of it close (MiniLM 0.55, hashing 0.25)."""


EMBEDDER_TUNING: Mapping[Embedder, EmbedderTuning] = types.MappingProxyType(
    {
        "minilm": EmbedderTuning(
            claim_link=0.66, claim_attach=0.66, support_candidates=0.45, related_cosine=0.55
        ),
        # Tuned on the seeds like the MiniLM values, for the signed-hashing backend: gold claims
        # found 12 of 14 at 0.3/0.25, 9-11 elsewhere on the grid link 0.2-0.45 x attach 0.25-0.5
        # (a sharp optimum on 14 claims: expect less elsewhere).
        "hashing": EmbedderTuning(
            claim_link=0.3, claim_attach=0.25, support_candidates=0.2, related_cosine=0.25
        ),
    }
)
"""Per embedder, the thresholds tuned for it: the one place they are written."""


SHOW_THRESHOLD = 0.5
"""Default views show items whose confidence reaches this (docs/confidence.md)."""


@dataclass(frozen=True, slots=True)
class DossierSettings:
    """Which per-story stages run (all by default; large runs may drop the costly ones)."""

    facts: bool = True
    """Entities, quotes, time expressions and timeline."""
    entities_and_quotes: bool = True
    """The spaCy-based part of the facts (the slowest stage per article)."""
    crosscheck: bool = True
    summary: bool = True
    max_article_chars: Count = 60_000
    """The timeline's event merging, the cross-check and the summary read at most this much of
    each article (cut at the last paragraph break before it; the dossier's warnings say so).
    They compare every sentence (or dated sentence) of a story with every other, so their cost
    grows with the square of one article's length; the other stages (cleaning, entities,
    quotes, time expressions) read the whole text in linear time. The
    longest dev article (Multi-News) has 47,844 characters, so no benchmark is cut; 60,000
    characters are about 10,000 words."""
    max_articles: Count = 100
    """A story with more articles is analysed from this many of them: originals before their
    copies, one outlet after another (each outlet's earliest first), so every outlet is heard
    before any is heard twice. All articles stay the story's members; the dossier's warnings
    say how many were read. The cross-check and the timeline compare sentences across a
    story's articles, so without a bound one story of thousands of articles (a day's top
    story in a large crawl) would take memory and time that grow with the square of its size:
    at 200 articles (about 8,000 sentences and clauses) the cross-check took 1.3 GB and 45 s
    with ``--fast``, at 100 0.44 GB and 17 s. No dev story has more than 22 articles, so no
    benchmark is cut."""
    max_units: Count = 6_000
    """The cross-check compares at most this many units (sentences and clauses) of one story:
    when its articles hold more, each article's first *k* units are compared, *k* the largest
    that fits (so short articles stay whole and long ones lose their ends first; the dossier's
    warnings say so). Its similarity matrices hold a number per pair of units: 100 long articles
    of the 10k-article scale corpus held 26,766 units, 2.9 GB per matrix; at 6,000 units they
    take about 0.6 GB in all. The largest dev story has under 2,000, so no benchmark is cut."""
    show_threshold: Share = SHOW_THRESHOLD
    """Items whose ``confidence`` is below this stay in the JSON but are left out of the default
    views (Markdown, the story page, the dossier's top-level ``quotes``): see docs/confidence.md."""


DEFAULT_DB = "synoptic.db"
"""The store file used when ``--db`` is not given (in the current directory; or ``$SYNOPTIC_DB``)."""


@dataclass(frozen=True, slots=True)
class StoreSettings:
    regroup_embedder: Embedder | None = None
    """Embedder used when stored articles are regrouped into stories after an ingest (``None``:
    the ``nlp`` section's). ``hashing`` makes incremental ingest into a large store fast."""
    busy_timeout_ms: NonNegative = 10_000
    """How long a writer waits for another writer's lock before giving up with E030."""
    assign_new: bool = True
    """Ingest assigns new articles to stories through the store's index (work proportional to
    the stories touched, ``synoptic.store.assign``); False regroups the whole store every time.
    ``synoptic regroup`` always regroups in full."""
    assign_candidates: Count = 5
    """Stories (best by rare shared terms) whose exact average similarity to an arriving article
    is computed."""
    near_similarity: Share = 0.15
    """Least average similarity of an arriving article to a stored story for that story to be
    grouped again with it (below the clusterer's coarse bar, 0.2: the other new articles of the
    batch can bridge the rest). ECB+ dev in batches of 50, B-cubed F1: (10, 0.1) 0.9536,
    (5, 0.15) 0.9541, (3, 0.2) 0.9537, full regroup 0.9536; on the 10k bench store the stories
    regrouped for 1,000 new articles: 375, 274, 224 of 601."""
    near_lend: Count = 20
    """Articles a stored story near an arriving one lends to the regroup: all of a story this
    size or smaller, else this many of its members closest to the arriving article (full-text
    rank of its ``lend_words`` highest-weighted words: its copies and rewrites come first). The
    rest of the story keeps its place, so the work per ingest does not grow with the stories.
    ECB+ dev in batches of 50 (stories of about 11 articles), B-cubed F1: 10 0.9347, 20 0.9541,
    40 0.9541, all 0.9541; full regroup 0.9536."""
    lend_words: Count = 12
    """Words of an arriving article that rank the members of a large near story (see ``near_lend``)."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    max_body_bytes: Count = 8_000_000
    """Largest request body accepted (413 above it). A batch of a few hundred articles fits."""
    max_batch: Count = 1_000
    """Most articles in one ``POST /articles``."""
    page_size: Count = 20
    """Stories per page when the request gives no ``limit`` (at most ``max_page_size``)."""
    max_page_size: Count = 200
    max_article_chars: Count = 300_000
    """Longest article text one request may add (a per-article E006 above it). The stages are
    linear in the text, but a 300 KB article already takes a minute of a worker with the
    default models; longer documents go through ``synoptic ingest``."""
    max_upload_bytes: Count = 40_000_000
    """Most bytes one upload may expand to when decompressed (gzip), summed over its files."""
    max_request_seconds: Weight = 60.0
    """Reading the files of one upload stops after this long; the rest is reported (E015) and
    the articles read so far are stored."""
    max_json_depth: Count = 64
    """Deepest nesting of a JSON body (an article record needs 3); deeper is refused (400)."""
    shutdown_seconds: NonNegative = 5
    """On SIGTERM/Ctrl-C, requests still running after this long are abandoned (their
    uncommitted work is rolled back by SQLite) so the server stops within seconds."""


SUMMARY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("intercept", 0.4745),
    ("lead", -0.7616),
    ("lead_slow", 0.7792),
    ("first", 0.2152),
    ("relative_position", 0.0405),
    ("centrality", 0.2679),
    ("corroboration", 0.3393),
    ("frequency", 0.2952),
    ("document", -0.1349),
    ("log_words", -0.0310),
    ("capitals", -0.1412),
    ("digits", -0.0409),
    ("quote", 0.0835),
    ("log_article_sentences", 0.0078),
)
"""Salience weights over ``synoptic.summarize.FEATURES``: a ridge regression (alpha 1) of each dev
sentence's share of gold unigrams plus share of gold bigrams, fitted on all 250 Multi-News dev
clusters by ``python -m bench.mds_fit``. Out-of-fold (5 folds by cluster) the summarizer scores
ROUGE-1/2/Lsum 46.60/17.60/43.11 on Multi-News dev. Read together, the position terms give the
lead sentence the most weight and decay over the first ten sentences or so; corroboration,
centrality and word frequency add about a third each; capitalised-name density and digits are
slightly negative (lists of names and figures rarely make the editors' summary)."""


SNIPPET_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("intercept", -0.6114),
    ("lead", 0.0766),
    ("lead_slow", 0.2568),
    ("first", -0.0188),
    ("relative_position", 0.0683),
    ("centrality", 0.0297),
    ("corroboration", 0.9997),
    ("frequency", 0.2934),
    ("document", 0.6400),
    ("log_words", 0.0326),
    ("capitals", 0.2172),
    ("digits", 0.0183),
    ("quote", -0.0295),
    ("log_article_sentences", 0.0608),
)
"""Salience weights for inputs of a few lead snippets (NeuS: three ~70-word title-and-lead
snippets per story), fitted the same way on the 307 NeuS dev stories (``python -m bench.mds_fit
--data ../shared/eval/mds/neus_dev.jsonl``). With snippets every sentence is a lead sentence, so
position matters little and agreement across the outlets (corroboration, the snippet's own
centrality) carries the choice."""


@dataclass(frozen=True, slots=True)
class SummarySettings:
    """Extractive summary (:mod:`synoptic.summarize`). Weights tuned on the Multi-News and NeuS dev
    files (``bench/mds.py``); see the notes on each."""

    budget_words: NonNegative = 200
    """Default length of a story's summary: a news brief. On the seed story 200 words is the
    shortest budget that covers its dates, the invitation, the peace plan and the ICC warrant."""
    min_sentence_words: NonNegative = 6
    max_sentence_words: Count = 70
    """Sentences outside this length range are fragments or run-on scraping artefacts."""
    weights: tuple[tuple[str, float], ...] = SUMMARY_WEIGHTS
    """Linear salience scorer over ``synoptic.summarize.FEATURES`` (plus ``intercept``)."""
    query_weight: Weight = 1.0
    """Weight of the cosine with a query (DUC 2006 style), added to the salience."""
    mmr_lambda: Share = 0.7
    coverage_weight: Weight = 0.3
    """Bonus for the not-yet-covered corroborated words a sentence brings (coverage of the main
    events). On the seed story 0.3 is the smallest value that gives the ICC warrant (two outlets,
    five sentences) a sentence; on dev it moves ROUGE-1/2 by +0.1/-0.15 (Multi-News), 0/-0.06 (NeuS)."""
    redundancy: Share = 0.35
    """A candidate at least this similar (TF-IDF cosine) to a chosen sentence is a repeat. At 0.3 the
    seed story's main news ("Xi has invited Putin to visit China") was a repeat of "Xi met Putin in
    Moscow" (cosine 0.30, the shared names); 0.35 keeps it, and moves dev ROUGE-1 by 0.00
    (Multi-News) and +0.09 (NeuS)."""
    cite_similarity: Share = 0.35
    """Another source's sentence at least this similar (TF-IDF cosine) to a summary sentence is cited
    with it (when no claims are given). Checked by hand on the seed story: at 0.31 the matches are
    sentences on the same topic that do not state the fact; from 0.39 up they restate it."""
    overflow: bool = False
    """Add one last sentence that crosses the budget (placed last). Only for evaluation protocols
    that cut the text at the budget themselves; a story's summary stays within its budget."""
    neutrality_weight: Share = 0.1
    """How much the neutrality/readability factor (the product of the penalties below) lowers a
    sentence's salience. The salience of a typical sentence ranges over about 0.3 (dev)."""
    question_penalty: Share = 0.3
    unterminated_penalty: Share = 0.5
    quote_penalty: Share = 0.5
    personal_penalty: Share = 0.6
    loaded_penalty: Share = 0.7
    pronoun_penalty: Share = 0.7


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    outlets: OutletSettings = field(default_factory=OutletSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    scale: ScaleSettings = field(default_factory=ScaleSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    time: TimeSettings = field(default_factory=TimeSettings)
    entities: EntitySettings = field(default_factory=EntitySettings)
    quotes: QuoteSettings = field(default_factory=QuoteSettings)
    crosscheck: CrosscheckSettings = field(default_factory=CrosscheckSettings)
    support: SupportSettings = field(default_factory=SupportSettings)
    dossier: DossierSettings = field(default_factory=DossierSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)

    def validate(self) -> Settings:
        """These settings, once every field holds a value its declaration allows.

        Raises:
            UsageError: ``E020`` naming the first bad key (``dedup.num_perm``), its value and
                what is allowed."""
        for section_field in dataclasses.fields(self):
            section = getattr(self, section_field.name)
            hints = typing.get_type_hints(type(section), include_extras=True)
            for f in dataclasses.fields(section):
                value = getattr(section, f.name)
                problem = check_value(value, hints[f.name])
                if problem is not None:
                    raise UsageError("E020", f"{section_field.name}.{f.name} {problem}, got {value!r}")
        # the few rules that relate two fields or parse a value
        if self.scale.dask is not None and not (
            self.scale.dask == "local" or "://" in self.scale.dask or ":" in self.scale.dask
        ):
            raise UsageError("E020", f"--dask takes tcp://host:port or 'local', got {self.scale.dask!r}")
        if self.server.page_size > self.server.max_page_size:
            raise UsageError(
                "E020",
                f"server.page_size must be at most server.max_page_size ({self.server.max_page_size}), "
                f"got {self.server.page_size}",
            )
        if self.summary.min_sentence_words > self.summary.max_sentence_words:
            raise UsageError(
                "E020",
                "summary.min_sentence_words must be at most summary.max_sentence_words "
                f"({self.summary.max_sentence_words}), got {self.summary.min_sentence_words}",
            )
        return self

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """The settings written in a TOML file, one table per section (``[dedup]``), keys as the
        fields here; what the file leaves out keeps its default (:mod:`synoptic.configfile`).

        Args:
            path: The file (``synoptic config`` prints one with every setting).

        Returns:
            The validated settings.

        Raises:
            UsageError: ``E021`` naming the file and the unknown or bad key with its allowed range."""
        return read_config(path)

    def with_embedder(self, name: Embedder) -> Settings:
        """Copy that embeds with ``name`` (the ``nlp`` section's choice, read by every stage; the
        thresholds that depend on it follow from ``EMBEDDER_TUNING``)."""
        return self.with_section(nlp=dataclasses.replace(self.nlp, embedder=name))

    def fast(self) -> Settings:
        """The fast profile for large runs: the model-free ``hashing`` embedder everywhere and no
        spaCy stage (no entities or quotes in dossiers); everything else as configured."""
        return self.with_embedder("hashing").with_section(
            dossier=dataclasses.replace(self.dossier, entities_and_quotes=False)
        )

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]


def check_value(value: object, hint: Any) -> str | None:
    """None when ``value`` fits the type ``hint`` (with its ``Annotated`` ranges), else what is
    allowed ("must be between 0 and 1"). TOML gives whole numbers for float fields: allowed."""
    if typing.get_origin(hint) is Annotated:
        base, *marks = typing.get_args(hint)
        problem = check_value(value, base)
        if problem is not None:
            return problem
        for mark in marks:
            if isinstance(mark, Range) and not mark.allows(value):  # type: ignore[arg-type]
                kind = "a whole number" if base is int else "a number"
                return f"must be {kind} {mark.describe()}"
        return None
    origin = typing.get_origin(hint)
    if origin is Literal:
        choices = typing.get_args(hint)
        return None if value in choices else "must be one of " + ", ".join(repr(c) for c in choices)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        problems = [check_value(value, option) for option in options]
        if any(p is None for p in problems):
            return None
        if value is None:
            return "must be set"
        return next(p for p, o in zip(problems, options, strict=True) if o is not type(None))
    if origin is tuple:
        if not isinstance(value, tuple):
            return "must be a list"
        args = typing.get_args(hint)
        items = list(zip(value, [args[0]] * len(value), strict=True)) if args[-1] is ... else None
        if items is None:
            if len(value) != len(args):
                return f"must be a list of {len(args)} items"
            items = list(zip(value, args, strict=True))
        for item, item_hint in items:
            problem = check_value(item, item_hint)
            if problem is not None:
                return f"must be a list; each item {problem}"
        return None
    if hint is type(None):
        return None if value is None else "must be unset"
    if hint is bool:
        return None if isinstance(value, bool) else "must be true or false"
    if hint is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else "must be a whole number"
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "must be a number"
    if hint is str:
        return None if isinstance(value, str) else "must be a string"
    raise TypeError(f"no check for settings of type {hint!r}")  # a new field type: teach check_value


# --------------------------------------------------------------------------- TOML
# (writing every setting as TOML, and where the CLI finds the file: synoptic.configfile)


_NO_LSH = (
    "it tuned the embedding-cosine grouping with SimHash LSH blocking, which the pipeline never "
    "used and which is gone; on an executor, stories come from the story clusterer partition by "
    "partition (scale.cluster_partition_size), every candidate pair compared exactly"
)
_ONE_EMBEDDER = "a run has one embedder, chosen in [nlp] embedder (--fast: hashing) and used by every stage"
_TUNED_PER_EMBEDDER = (
    "the values tuned for each embedder are built in (config.EMBEDDER_TUNING); [crosscheck] {key} "
    "sets one value for whichever embedder runs"
)
RETIRED_KEYS: Mapping[str, str] = types.MappingProxyType(
    {
        "scale.exact_limit": _NO_LSH,
        "scale.candidate_cosine": _NO_LSH,
        "scale.lsh_bands": _NO_LSH,
        "scale.lsh_rows": _NO_LSH,
        "scale.lsh_max_bucket": _NO_LSH,
        "scale.lsh_window": _NO_LSH,
        "dedup.embedder": _ONE_EMBEDDER,
        "quotes.embedder": _ONE_EMBEDDER,
        "crosscheck.hashing_link_threshold": _TUNED_PER_EMBEDDER.format(key="link_threshold"),
        "crosscheck.hashing_attach_threshold": _TUNED_PER_EMBEDDER.format(key="attach_threshold"),
        "crosscheck.hashing_support_candidates": _TUNED_PER_EMBEDDER.format(key="support_candidates"),
    }
)
"""Keys that settings files may still name but that no longer do anything (``section.key`` ->
why, and what to use instead): read with a warning and ignored, where an unknown key is refused
(E021), so that a file written for an older version still loads."""


def read_config(path: str | Path) -> Settings:
    """The settings written in the TOML file at ``path`` (defaults for what it leaves out).

    Raises:
        UsageError: ``E021`` naming the file and, for a bad value, the key and its allowed range."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError("E021", f"{path}: no such file") from None
    except OSError as err:
        raise UsageError("E021", f"{path}: {err.strerror or err}") from None
    except tomllib.TOMLDecodeError as err:
        raise UsageError("E021", f"{path}: not valid TOML ({err})") from None
    return settings_from_mapping(data, where=str(path))


def settings_from_mapping(
    data: Mapping[str, Any], base: Settings | None = None, *, where: str = "settings"
) -> Settings:
    """``base`` (default: the defaults) with the sections and keys of ``data`` (a parsed TOML
    document: ``{"dedup": {"near_duplicate_jaccard": 0.85}}``) replaced, validated.

    Raises:
        UsageError: ``E021`` naming ``where`` and the unknown or bad key."""
    settings = base or Settings()
    sections: dict[str, object] = {}
    known_sections = [f.name for f in dataclasses.fields(settings)]
    for name, values in data.items():
        if name not in known_sections:
            hint = _did_you_mean(name, known_sections)
            raise UsageError("E021", f"{where}: unknown section [{name}]{hint}")
        if not isinstance(values, dict):
            raise UsageError("E021", f"{where}: {name} must be a table ([{name}] followed by its keys)")
        section = getattr(settings, name)
        hints = typing.get_type_hints(type(section), include_extras=True)
        changes: dict[str, object] = {}
        for key, value in values.items():
            retired_why = RETIRED_KEYS.get(f"{name}.{key}")
            if retired_why is not None:
                log.warning("%s: %s.%s is retired and ignored: %s", where, name, key, retired_why)
                continue
            if key not in hints:
                raise UsageError(
                    "E021", f"{where}: unknown key {name}.{key}{_did_you_mean(key, list(hints), name)}"
                )
            changes[key] = _from_toml(value, hints[key])
        sections[name] = dataclasses.replace(section, **changes)
    try:
        return dataclasses.replace(settings, **sections).validate()  # type: ignore[arg-type]
    except UsageError as err:
        raise UsageError("E021", f"{where}: {err.detail}") from None


def _did_you_mean(name: str, known: list[str], section: str | None = None) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if not close:
        return ""
    return f" (did you mean {section + '.' if section else ''}{close[0]}?)"


def _from_toml(value: object, hint: Any) -> object:
    """TOML arrays as the tuples the settings hold; whole numbers as floats where a float is due."""
    if typing.get_origin(hint) is Annotated:
        hint = typing.get_args(hint)[0]
    if isinstance(value, list):
        args = typing.get_args(hint)
        if typing.get_origin(hint) is tuple and args:
            item_hints = [args[0]] * len(value) if args[-1] is ... else list(args)
            if len(item_hints) == len(value):
                return tuple(_from_toml(v, h) for v, h in zip(value, item_hints, strict=True))
        return tuple(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
