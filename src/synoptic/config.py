"""Settings, validated once, passed explicitly to every stage (no global state).

Each stage owns one frozen section. Tuned thresholds are named constants with a note on how
they were tuned (always on dev data only; see ``bench/``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from synoptic.errors import UsageError

Embedder = Literal["minilm", "hashing"]


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_bytes: int = 20_000_000
    """Largest single document (text, HTML page, feed; after decompression) that is read; a bigger
    one is refused with a one-line reason (no news article is 20 MB, and the NLP stages would
    not cope). JSONL and WARC files are streamed: there the limit is per record, not per file.
    Same value as trafilatura's own MAX_FILE_SIZE."""
    max_records: int = 1_000_000
    """Upper bound of records read from one feed/JSONL/WARC file."""
    min_text_chars: int = 1
    """Articles whose extracted body is shorter than this are reported as failures."""


@dataclass(frozen=True, slots=True)
class CleanSettings:
    enabled: bool = True
    dates_from_text: bool = True
    """Read the publication date from the text when the input's metadata gives none."""
    detect_language: bool = True
    """Detect the language (py3langid, offline) when the input's metadata gives none."""
    cut_datelines: bool = True
    """Cut a ``WASHINGTON (AP) —`` dateline from the first paragraph (the credit is kept either way).
    The Scrapinghub extraction gold keeps datelines in the body; turning this off there gains
    recall (see bench/results/clean_extract.md)."""


@dataclass(frozen=True, slots=True)
class NlpSettings:
    embedder: Embedder = "minilm"
    """``minilm`` (all-MiniLM-L6-v2, offline package) or ``hashing`` (fast, model-free)."""


PARTITION_SIZE = 64
"""Records per task. Big enough that pickling and scheduling (about 1 ms per task on Dask) is
small against the work (cleaning alone costs a few ms per article), small enough that two
workers stay busy on a few hundred articles and a stream keeps little in flight. Chosen on
the scale benchmark (bench/scale.py, synthetic articles from ../shared/eval mds/cluster dev)."""


@dataclass(frozen=True, slots=True)
class ScaleSettings:
    """Where the stages run (see :mod:`synoptic.executors`); results do not depend on it."""

    workers: int = 1
    """Worker processes (``--workers N``); 1 runs everything in this process."""
    dask: str | None = None
    """``tcp://host:8786`` for an existing Dask scheduler, ``local`` for a LocalCluster of
    ``workers`` processes; None: no Dask."""
    partition_size: int = PARTITION_SIZE
    in_flight: int = 2
    """Partitions queued per worker ahead of the one being collected (bounds memory in a stream)."""
    warm: tuple[str, ...] = ()
    """Models each worker loads when it starts (``spacy``, ``minilm``, ``hashing``)."""
    cluster_partition_size: int = 2048
    """Articles per partition of the distributed grouping (:mod:`synoptic.distcluster`); a
    block of two partitions is a 2048 x 2048 similarity matrix (16 MB)."""
    exact_limit: int = 200_000
    """Up to this many articles the grouping compares every pair (blockwise matrix products);
    above it, SimHash LSH bands pick the candidates."""
    candidate_cosine: float = 0.3
    """Exact blocking: pairs below this embedding cosine are never candidates."""
    lsh_bands: int = 32
    lsh_rows: int = 12
    """SimHash LSH: ``bands`` keys of ``rows`` sign bits; a pair at cosine 0.8 shares a band
    with probability 1 - (1 - 0.795**12)**32 = 0.88 (and, through other members of its group,
    usually ends up connected anyway), at cosine 0.3 with 0.06, at cosine 0 with 0.008."""
    lsh_max_bucket: int = 256
    lsh_window: int = 16
    """A band bucket bigger than ``lsh_max_bucket`` pairs each article with its next ``lsh_window``."""


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


@dataclass(frozen=True, slots=True)
class DedupSettings:
    shingle_words: int = 5
    num_perm: int = 128
    """MinHash permutations of the content-word signatures whose LSH proposes pairs for the
    rewording check (shingle overlap for the other kinds is counted exactly)."""
    near_duplicate_jaccard: float = NEAR_DUPLICATE_JACCARD
    syndicated_containment: float = SYNDICATED_CONTAINMENT
    reworded: bool = True
    """Look for sentence-by-sentence paraphrases (needs sentence embeddings)."""
    paraphrase_similarity: float = PARAPHRASE_SIMILARITY
    reworded_share: float = REWORDED_SHARE
    reworded_min_sentences: int = 3
    reworded_candidate_jaccard: float = 0.2
    """Jaccard of the two texts' content-word sets at which LSH proposes a pair for the rewording check."""
    reworded_candidate_containment: float = REWORDED_CANDIDATE_CONTAINMENT
    embedder: Embedder = "minilm"


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
    coarse_distance: float = COARSE_DISTANCE
    refine_distance: float = REFINE_DISTANCE
    entity_weight: float = ENTITY_WEIGHT
    min_df: int = 2
    """Terms found in fewer articles carry no evidence of a shared story and are dropped."""
    refine_idf_offset: float = REFINE_IDF_OFFSET
    refine_min_size: int = 4
    """Topic groups smaller than this are not split further."""
    refine_min_part: int = 2
    """A bisection that would cut off fewer articles than this is not made (ECB+ dev: 1 and 2 tie
    on average linkage, 2 is better on weighted linkage)."""
    refine_marker_distance: float = REFINE_MARKER_DISTANCE
    refine_marker_share: float = REFINE_MARKER_SHARE
    lead_sentences: int = 2
    """Sentences of the text (after the title) that make an article's lead (ECB+ dev B-cubed F1:
    1 scores 0.9408, 2 and 3 both 0.9536)."""
    exact_max: int = 3000
    """Largest block clustered exactly (its similarity matrix is exact_max^2 floats)."""
    block_max_df: int = 300
    """Terms in more articles than this take no part in candidate generation (they pair everything)."""
    chunk_rows: int = 500
    candidate_floor: float = 0.1
    """Smallest partial similarity for a pair to be checked exactly."""
    stream_assign_similarity: float = 0.35
    """Streaming: an arriving article joins a group when its average similarity to the group is
    at least this (stricter than the coarse bar: the periodic consolidation merges what is left,
    exactly, so early mistakes are rare rather than repaired). ECB+ dev, fed in file order."""
    consolidate_every: int = 1000
    """Streaming: re-weight and merge groups after this many new articles (and on every read)."""


@dataclass(frozen=True, slots=True)
class TimeSettings:
    """Time expressions (``nlp/timex.py``), inferred publication dates and the timeline."""

    ranges: bool = True
    """Return "from Monday to Wednesday" as one range expression; False returns its parts (the
    TimeBank convention, used by ``synoptic eval timex``)."""
    recency_days: int = 1
    """An undated article is taken to be published at most this many days after the latest event
    it reports in the past tense (news reports the day's or the previous day's events). Tuned on
    the seed story (the only dev material with undated articles): 0 excludes next-day reports,
    2 and more widen every inferred range past its gold range."""
    search_days: int = 21
    """How far before and after the story's dated articles candidate publication dates are tried."""
    merge_similarity: float = 0.2
    """Least IDF-weighted overlap coefficient of content words for two sentences with the same date
    to be one timeline event. Set on the seed story (dev): the same happening told by two outlets
    scores 0.22-0.52, different happenings of one day 0.0-0.1 (0.14 at most)."""
    nested_similarity: float = 0.3
    """The same for a coarser and a finer date of one event ("last week" and "on Friday", "this
    month" and "last week"), which then keep the finer date. Higher than ``merge_similarity``: a
    week or a month holds more unrelated happenings than a day. Set on the seed story (dev)."""
    done_similarity: float = 0.1
    """The same for a planned event and a done one inside its dates told by a later article (the
    plan carried out: shown once, as done). Lower: a plan and its report are worded differently
    ("will share lunch on Monday", "met on Monday"). Set on the seed story (dev)."""


@dataclass(frozen=True, slots=True)
class EntitySettings:
    batch_size: int = 64
    """Paragraphs per spaCy ``nlp.pipe`` batch."""
    min_mentions: int = 1
    """Entities mentioned fewer times than this in the whole story are dropped."""


QUOTE_LINK_SIMILARITY = 0.75
"""MiniLM cosine above which two quotes of the same speaker in different articles are one statement.
Set on the seed story: the two translations of Wang Wenbin's "one sentence" statement score 0.81,
his other, different statements in the other articles 0.53-0.67."""


@dataclass(frozen=True, slots=True)
class QuoteSettings:
    link_similarity: float = QUOTE_LINK_SIMILARITY
    embedder: Embedder = "minilm"
    """Embedder used to link one statement across articles."""
    max_pronoun_paragraphs: int = 3
    """How many paragraphs back a pronoun speaker ("he said") looks for its person."""


@dataclass(frozen=True, slots=True)
class SupportSettings:
    """The support check (``synoptic.crosscheck.support``): when a span states the same fact.

    Tuned by hand on the seed story (``../shared/eval/seeds/gold.json``, dev) and the support gold
    of dev stories in ``tests/data/support_gold`` with ``python -m bench.support``: every wrong
    credit a reader found on the seeds is refused, and the values sit where the gold credits kept
    do not change within +-0.05."""

    cosine_weight: float = 0.5
    overlap_weight: float = 0.35
    participant_weight: float = 0.15
    """The score is this mix of the embedding cosine, the weighted content-word overlap (shared
    content over the smaller side's) and the share of participants in common."""
    accept: float = 0.51
    """A span supports a statement from this score (when nothing differs)."""
    min_overlap: float = 0.3
    """Below this content overlap the predicates differ, unless the cosine reaches
    ``paraphrase_cosine`` (a paraphrase shares few words: "no limits" / "borderless")."""
    verb_overlap: float = 0.5
    """Statements whose main verbs differ ("invited" / "heads") state different facts unless their
    content overlaps at least this much (then the verbs sit in subordinate clauses)."""
    paraphrase_cosine: float = 0.88
    """A cosine from which two statements are paraphrases whatever words and verbs they use."""
    negation_overlap: float = 0.3
    """A negation on one side only refuses support when the two otherwise share this much content
    ("has supplied weapons" / "has not supplied weapons"); with less, the negation is about
    something else ("results will take weeks" / "results are not yet known")."""
    missing_count_factor: float = 0.9
    """The score is multiplied by this when the statement counts something (``39 times``) that
    the span gives no number for: it states less than the statement."""
    min_participants: float = 0.5
    """Share of the smaller side's named actors (people, organisations, countries) the other
    must name too, when both name some."""
    participants_overlap: float = 0.4
    """...unless their content overlaps at least this much (the other side names its actors
    with a pronoun or "the two leaders")."""
    min_content_words: int = 3
    min_words: int = 5
    """A statement with fewer content words and names than these (two more when it leans on an
    earlier sentence: "the allegations"), or fewer words, is underspecified: it is never credited
    across articles ("Beijing has denied the allegations.")."""


@dataclass(frozen=True, slots=True)
class CrosscheckSettings:
    """Claims across outlets (``synoptic.crosscheck``).

    Tuned by hand on the bundled seed story against ``../shared/eval/seeds/gold.json`` (dev data),
    with ``python -m bench.crosscheck`` reporting matched claims, outlet sets and single-source
    marks; the values below are the middle of the range where those figures were stable."""

    link_threshold: float = 0.66
    """Units (sentences or clauses) whose MiniLM cosine, plus the slot bonus, reaches this are the
    same claim (average linkage). True cross-outlet paraphrases on the seeds score 0.5-0.9; a bare
    topical overlap ("the visit", "Xi and Putin") 0.3-0.55."""
    slot_bonus: float = 0.14
    """Added to the cosine for each kind of normalised value two units share (a quantity with its
    unit, a month or date, a quoted term), at most twice: "three-day visit" and "from Monday to
    Wednesday" share a 3-day duration though their cosine is only about 0.5."""
    attach_threshold: float = 0.66
    """A unit of an article that a claim does not cite yet joins it (a sentence may state several
    facts) when its mean linked similarity to the claim's members reaches this."""
    hashing_link_threshold: float = 0.3
    hashing_attach_threshold: float = 0.25
    """The same two thresholds for the ``hashing`` embedder, whose cosines run lower than MiniLM's
    (bag of words: a paraphrase shares few words). Tuned on the seeds like the MiniLM values, for the
    signed-hashing backend: gold claims found 12 of 14 at 0.3/0.25, 9-11 elsewhere on the grid
    link 0.2-0.45 x attach 0.25-0.5 (a sharp optimum on 14 claims: expect less elsewhere)."""
    support_candidates: float = 0.45
    """With the support check, pairs of units from this cosine are put to it (below, MiniLM
    cosines of one fact in other words are rare on the dev stories)."""
    hashing_support_candidates: float = 0.2
    same_article_threshold: float = 0.8
    """Single-source units of one article are one claim (a repeated standfirst) above this."""
    conflict_similarity: float = 0.62
    """Two citations with different values for the same slot conflict only when their cosine
    reaches this (otherwise they are more likely different facts)."""
    min_clause_words: int = 4
    """A clause shorter than this is glued to its neighbour."""
    sentence_preference: float = 0.05
    """Added to a whole sentence's centrality when a claim's wording is chosen: a clause
    ("an accusation Beijing has denied.") is shown only when clearly more central."""
    min_residue_words: int = 6
    """An uncited clause of a partly cited sentence is a claim of its own from this many words (a
    shorter one, "after dark on Saturday", is a detail of the cited fact)."""
    duplicate_overlap: float = 0.5
    """Two corroborated claims citing mostly the same sentences (Jaccard from this) are one."""
    missing_share: float = 0.5
    """An outlet 'leaves out' a claim that more than this share of the other outlets report."""
    max_term_words: int = 6
    """Quoted terms up to this many words are wordings (longer quotes are speech, not framing)."""
    heading_term_similarity: float = 0.4
    """A heading's quoted term joins a claim's wordings when its cosine to one of the claim's
    quoted terms reaches this ("infinite" relationship vs "no limits" friendship: 0.48)."""

    def for_embedder(self, name: str) -> CrosscheckSettings:
        """These settings with the thresholds tuned for embedder ``name``."""
        if name == "hashing":
            return dataclasses.replace(
                self,
                link_threshold=self.hashing_link_threshold,
                attach_threshold=self.hashing_attach_threshold,
                support_candidates=self.hashing_support_candidates,
            )
        return self


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
    show_threshold: float = SHOW_THRESHOLD
    """Items whose ``confidence`` is below this stay in the JSON but are left out of the default
    views (Markdown, the story page, the dossier's top-level ``quotes``): see docs/confidence.md."""


DEFAULT_DB = "synoptic.db"
"""The store file used when ``--db`` is not given (in the current directory; or ``$SYNOPTIC_DB``)."""


@dataclass(frozen=True, slots=True)
class StoreSettings:
    regroup_embedder: Embedder | None = None
    """Embedder used when stored articles are regrouped into stories after an ingest (``None``:
    the ``nlp`` section's). ``hashing`` makes incremental ingest into a large store fast."""
    busy_timeout_ms: int = 10_000
    """How long a writer waits for another writer's lock before giving up with E030."""
    assign_new: bool = True
    """Ingest assigns new articles to stories through the store's index (work proportional to
    the stories touched, ``synoptic.store.assign``); False regroups the whole store every time.
    ``synoptic regroup`` always regroups in full."""
    assign_candidates: int = 5
    """Stories (best by rare shared terms) whose exact average similarity to an arriving article
    is computed."""
    near_similarity: float = 0.15
    """Least average similarity of an arriving article to a stored story for that story to be
    grouped again with it (below the clusterer's coarse bar, 0.2: the other new articles of the
    batch can bridge the rest). ECB+ dev in batches of 50, B-cubed F1: (10, 0.1) 0.9536,
    (5, 0.15) 0.9541, (3, 0.2) 0.9537, full regroup 0.9536; on the 10k bench store the stories
    regrouped for 1,000 new articles: 375, 274, 224 of 601."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    max_body_bytes: int = 8_000_000
    """Largest request body accepted (413 above it). A batch of a few hundred articles fits."""
    max_batch: int = 1_000
    """Most articles in one ``POST /articles``."""
    page_size: int = 20
    """Stories per page when the request gives no ``limit`` (at most ``max_page_size``)."""
    max_page_size: int = 200


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

    budget_words: int = 200
    """Default length of a story's summary: a news brief. On the seed story 200 words is the
    shortest budget that covers its dates, the invitation, the peace plan and the ICC warrant."""
    min_sentence_words: int = 6
    max_sentence_words: int = 70
    """Sentences outside this length range are fragments or run-on scraping artefacts."""
    weights: tuple[tuple[str, float], ...] = SUMMARY_WEIGHTS
    """Linear salience scorer over ``synoptic.summarize.FEATURES`` (plus ``intercept``)."""
    query_weight: float = 1.0
    """Weight of the cosine with a query (DUC 2006 style), added to the salience."""
    mmr_lambda: float = 0.7
    coverage_weight: float = 0.3
    """Bonus for the not-yet-covered corroborated words a sentence brings (coverage of the main
    events). On the seed story 0.3 is the smallest value that gives the ICC warrant (two outlets,
    five sentences) a sentence; on dev it moves ROUGE-1/2 by +0.1/-0.15 (Multi-News), 0/-0.06 (NeuS)."""
    redundancy: float = 0.3
    """A candidate at least this similar (TF-IDF cosine) to a chosen sentence is a repeat."""
    cite_similarity: float = 0.35
    """Another source's sentence at least this similar (TF-IDF cosine) to a summary sentence is cited
    with it (when no claims are given). Checked by hand on the seed story: at 0.31 the matches are
    sentences on the same topic that do not state the fact; from 0.39 up they restate it."""
    overflow: bool = False
    """Add one last sentence that crosses the budget (placed last). Only for evaluation protocols
    that cut the text at the budget themselves; a story's summary stays within its budget."""
    neutrality_weight: float = 0.1
    """How much the neutrality/readability factor (the product of the penalties below) lowers a
    sentence's salience. The salience of a typical sentence ranges over about 0.3 (dev)."""
    question_penalty: float = 0.3
    unterminated_penalty: float = 0.5
    quote_penalty: float = 0.5
    personal_penalty: float = 0.6
    loaded_penalty: float = 0.7
    pronoun_penalty: float = 0.7


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
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
        if self.ingest.max_bytes <= 0:
            raise UsageError("E020", f"max_bytes must be positive, got {self.ingest.max_bytes}")
        if self.nlp.embedder not in ("minilm", "hashing"):
            raise UsageError("E020", f"embedder must be 'minilm' or 'hashing', got {self.nlp.embedder!r}")
        if self.scale.workers < 1:
            raise UsageError("E020", f"workers must be at least 1, got {self.scale.workers}")
        if min(self.scale.partition_size, self.scale.in_flight, self.scale.cluster_partition_size) < 1:
            raise UsageError("E020", "partition_size and in_flight must be positive")
        if self.scale.dask is not None and not (
            self.scale.dask == "local" or "://" in self.scale.dask or ":" in self.scale.dask
        ):
            raise UsageError("E020", f"--dask takes tcp://host:port or 'local', got {self.scale.dask!r}")
        if not 0.0 < self.quotes.link_similarity <= 1.0:
            raise UsageError(
                "E020", f"quotes.link_similarity must be in (0, 1], got {self.quotes.link_similarity}"
            )
        if self.quotes.embedder not in ("minilm", "hashing"):
            raise UsageError(
                "E020", f"quotes.embedder must be 'minilm' or 'hashing', got {self.quotes.embedder!r}"
            )
        if self.entities.batch_size < 1 or self.entities.min_mentions < 1:
            raise UsageError("E020", "entities.batch_size and entities.min_mentions must be at least 1")
        if self.time.recency_days < 0 or self.time.search_days < 1:
            raise UsageError(
                "E020",
                f"time.recency_days must be >= 0 and time.search_days >= 1, got {self.time.recency_days} "
                f"and {self.time.search_days}",
            )
        for name in ("merge_similarity", "nested_similarity", "done_similarity"):
            value = getattr(self.time, name)
            if not 0.0 <= value <= 1.0:
                raise UsageError("E020", f"time.{name} must be in [0, 1], got {value}")
        if self.store.regroup_embedder not in (None, "minilm", "hashing"):
            raise UsageError(
                "E020", f"regroup_embedder must be 'minilm' or 'hashing', got {self.store.regroup_embedder!r}"
            )
        if self.server.max_body_bytes <= 0 or self.server.max_batch <= 0:
            raise UsageError("E020", "server limits must be positive")
        if not 0 < self.server.page_size <= self.server.max_page_size:
            raise UsageError("E020", f"page_size must be in 1..{self.server.max_page_size}")
        if not 0.0 <= self.dossier.show_threshold <= 1.0:
            raise UsageError(
                "E020", f"dossier.show_threshold must be in [0, 1], got {self.dossier.show_threshold}"
            )
        if not 0.0 <= self.support.accept <= 1.0:
            raise UsageError("E020", f"support.accept must be in [0, 1], got {self.support.accept}")
        if self.summary.budget_words < 0:
            raise UsageError("E020", f"summary budget_words must be >= 0, got {self.summary.budget_words}")
        if not 0.0 <= self.summary.mmr_lambda <= 1.0:
            raise UsageError("E020", f"summary mmr_lambda must be in [0, 1], got {self.summary.mmr_lambda}")
        return self

    def with_embedder(self, name: Embedder) -> Settings:
        """Copy with every section's ``embedder`` set to ``name``."""
        sections = {
            f.name: dataclasses.replace(section, embedder=name)  # type: ignore[type-var]
            for f in dataclasses.fields(self)
            if dataclasses.is_dataclass(section := getattr(self, f.name))
            and any(g.name == "embedder" for g in dataclasses.fields(section))
        }
        return self.with_section(**sections)

    def fast(self) -> Settings:
        """The fast profile for large runs: the model-free ``hashing`` embedder everywhere and no
        spaCy stage (no entities or quotes in dossiers); everything else as configured."""
        return self.with_embedder("hashing").with_section(
            dossier=dataclasses.replace(self.dossier, entities_and_quotes=False)
        )

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]
