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
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    entities: EntitySettings = field(default_factory=EntitySettings)
    quotes: QuoteSettings = field(default_factory=QuoteSettings)

    def validate(self) -> Settings:
        if self.ingest.max_bytes <= 0:
            raise UsageError("E020", f"max_bytes must be positive, got {self.ingest.max_bytes}")
        if self.nlp.embedder not in ("minilm", "hashing"):
            raise UsageError("E020", f"embedder must be 'minilm' or 'hashing', got {self.nlp.embedder!r}")
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
        return self

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]
