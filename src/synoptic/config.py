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


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    scale: ScaleSettings = field(default_factory=ScaleSettings)

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
        return self

    def with_section(self, **sections: object) -> Settings:
        """Copy with whole sections replaced: ``settings.with_section(nlp=NlpSettings(...))``."""
        return dataclasses.replace(self, **sections).validate()  # type: ignore[arg-type]
