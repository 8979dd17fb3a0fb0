"""One options object instead of long argument lists."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Fetch URLs given as sources (otherwise a URL is an error).
    fetch: bool = False
    #: Allow fetching private, loopback and link-local addresses.
    allow_private: bool = False
    #: Largest input accepted, in bytes: a file (counted after decompression, while
    #: reading), an archive, or an HTTP response.
    max_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    #: Longest document text (characters, after cleaning); a longer one is refused (SL030).
    #: A text over 50,000 characters is parsed in pieces (``annotate.PIECE_CHARS``), so parse
    #: memory no longer grows with the text: a 900,000-character article peaked at 823 MB
    #: (3.4 GB parsed whole) at no worse a time per word than a 5,000-word one
    #: (benchmarks/RESULTS.md, throughput at the size limits). 1,000,000 is the most measured.
    max_chars: int = Field(default=1_000_000, gt=0, le=1_000_000)
    #: Most records read from one JSONL, feed or WARC file (SL031 names the rest).
    max_records: int = Field(default=100_000, gt=0)
    #: Total time allowed for one URL, all redirects and the whole body included (seconds).
    timeout: float = Field(default=10.0, gt=0, allow_inf_nan=False)
    #: spaCy batch size and worker processes for annotation.
    batch_size: int = Field(default=16, gt=0)
    n_process: int = Field(default=1, gt=0)
    #: Run the cross-document stages (link, storify, report content).
    link: bool = True
    #: Minimum embedding similarity for claim alignment candidates.
    align_threshold: float = Field(default=0.62, allow_inf_nan=False)
    #: Contradictions less sure than this are left out of the analysis (and so of every report);
    #: 0 shows all. Set from the reliability tables (benchmarks/RESULTS.md): below 0.45 the dev
    #: reports of the paraphrase benchmark lose precision. A title that one document gives
    #: beside the other's (0.4) was true only where the benchmark had edited one mention of
    #: several; in real reporting it was a title held before (a senator who became president).
    min_confidence: float = Field(default=0.45, ge=0.0, le=1.0, allow_inf_nan=False)
    #: Optional OpenAI-compatible endpoint for briefing rewrite (off by default).
    llm_url: str | None = None
    llm_model: str | None = None
    #: The outlet of inputs that name none themselves (plain text, usually).
    outlet: str | None = None
    #: Show progress on stderr.
    progress: bool = False
