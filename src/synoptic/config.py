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
    summary: SummarySettings = field(default_factory=SummarySettings)

    def validate(self) -> Settings:
        if self.ingest.max_bytes <= 0:
            raise UsageError("E020", f"max_bytes must be positive, got {self.ingest.max_bytes}")
        if self.nlp.embedder not in ("minilm", "hashing"):
            raise UsageError("E020", f"embedder must be 'minilm' or 'hashing', got {self.nlp.embedder!r}")
        if self.summary.budget_words < 0:
            raise UsageError("E020", f"summary budget_words must be >= 0, got {self.summary.budget_words}")
        if not 0.0 <= self.summary.mmr_lambda <= 1.0:
            raise UsageError("E020", f"summary mmr_lambda must be in [0, 1], got {self.summary.mmr_lambda}")
        return self

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]
