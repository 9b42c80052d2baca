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


@dataclass(frozen=True, slots=True)
class DedupSettings:
    shingle_words: int = 5
    num_perm: int = 128
    """MinHash permutations (the LSH index finds pairs whose estimated similarity passes the bar;
    every candidate is then checked on the exact shingle sets)."""
    near_duplicate_jaccard: float = NEAR_DUPLICATE_JACCARD
    syndicated_containment: float = SYNDICATED_CONTAINMENT
    reworded: bool = True
    """Look for sentence-by-sentence paraphrases (needs sentence embeddings)."""
    paraphrase_similarity: float = PARAPHRASE_SIMILARITY
    reworded_share: float = REWORDED_SHARE
    reworded_min_sentences: int = 3
    reworded_candidate_jaccard: float = 0.2
    """Jaccard of the two texts' content-word sets for a pair to be checked for rewording (LSH)."""
    embedder: Embedder = "minilm"


COARSE_DISTANCE = 0.80
"""Average-linkage cosine distance cut for topic groups. Tuned on ECB+ dev (grid 0.70-0.90)."""
REFINE_DISTANCE = 0.88
"""Top-merge distance above which a topic group is bisected (distinctive tokens, in-group IDF).
Tuned on ECB+ dev jointly with COARSE_DISTANCE and REFINE_IDF_OFFSET (grids 0.70-0.98, offsets
0, 0.25, 0.5, 1); see bench/results/cluster.md."""
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
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)

    def validate(self) -> Settings:
        if self.ingest.max_bytes <= 0:
            raise UsageError("E020", f"max_bytes must be positive, got {self.ingest.max_bytes}")
        if self.nlp.embedder not in ("minilm", "hashing"):
            raise UsageError("E020", f"embedder must be 'minilm' or 'hashing', got {self.nlp.embedder!r}")
        return self

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]
