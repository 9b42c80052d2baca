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
    hashing_link_threshold: float = 0.4
    hashing_attach_threshold: float = 0.5
    """The same two thresholds for the ``hashing`` embedder, whose cosines run lower than MiniLM's
    (bag of words: a paraphrase shares few words). Tuned on the seeds like the MiniLM values:
    gold claims found 12-14 of 14 for link thresholds 0.35-0.5, 9 with the MiniLM values)."""
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
            )
        return self


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    crosscheck: CrosscheckSettings = field(default_factory=CrosscheckSettings)

    def validate(self) -> Settings:
        if self.ingest.max_bytes <= 0:
            raise UsageError("E020", f"max_bytes must be positive, got {self.ingest.max_bytes}")
        if self.nlp.embedder not in ("minilm", "hashing"):
            raise UsageError("E020", f"embedder must be 'minilm' or 'hashing', got {self.nlp.embedder!r}")
        return self

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]
