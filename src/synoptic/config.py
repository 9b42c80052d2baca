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


DEFAULT_DB = "synoptic.db"
"""The store file used when ``--db`` is not given (in the current directory; or ``$SYNOPTIC_DB``)."""


@dataclass(frozen=True, slots=True)
class StoreSettings:
    regroup_embedder: Embedder | None = None
    """Embedder used when stored articles are regrouped into stories after an ingest (``None``:
    the ``nlp`` section's). ``hashing`` makes incremental ingest into a large store fast."""
    busy_timeout_ms: int = 10_000
    """How long a writer waits for another writer's lock before giving up with E030."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    max_body_bytes: int = 8_000_000
    """Largest request body accepted (413 above it). A batch of a few hundred articles fits."""
    max_batch: int = 1_000
    """Most articles in one ``POST /articles``."""
    page_size: int = 20
    """Stories per page when the request gives no ``limit`` (at most ``max_page_size``)."""
    max_page_size: int = 200


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    server: ServerSettings = field(default_factory=ServerSettings)

    def validate(self) -> Settings:
        if self.ingest.max_bytes <= 0:
            raise UsageError("E020", f"max_bytes must be positive, got {self.ingest.max_bytes}")
        if self.nlp.embedder not in ("minilm", "hashing"):
            raise UsageError("E020", f"embedder must be 'minilm' or 'hashing', got {self.nlp.embedder!r}")
        if self.store.regroup_embedder not in (None, "minilm", "hashing"):
            raise UsageError(
                "E020", f"regroup_embedder must be 'minilm' or 'hashing', got {self.store.regroup_embedder!r}"
            )
        if self.server.max_body_bytes <= 0 or self.server.max_batch <= 0:
            raise UsageError("E020", "server limits must be positive")
        if not 0 < self.server.page_size <= self.server.max_page_size:
            raise UsageError("E020", f"page_size must be in 1..{self.server.max_page_size}")
        return self

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]
