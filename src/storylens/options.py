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
    #: 200,000 is about 33,000 words, longer than any news article. A text over 50,000
    #: characters is parsed in pieces (``annotate.PIECE_CHARS``), so parse memory no longer
    #: grows with the text (it was 3.4 GB at 900,000 characters parsed whole); the default
    #: stays until the time of a 900,000-character text is measured (benchmarks/RESULTS.md).
    max_chars: int = Field(default=200_000, gt=0, le=1_000_000)
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
    #: reports of the paraphrase benchmark lose precision; the 0.45-0.5 bin (a title one outlet
    #: gives and the other does not) was judged true by reading and holds copy-benchmark hits.
    min_confidence: float = Field(default=0.45, ge=0.0, le=1.0, allow_inf_nan=False)
    #: Optional OpenAI-compatible endpoint for briefing rewrite (off by default).
    llm_url: str | None = None
    llm_model: str | None = None
    #: The outlet of inputs that name none themselves (plain text, usually).
    outlet: str | None = None
    #: Show progress on stderr.
    progress: bool = False
