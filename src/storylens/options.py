"""One options object instead of long argument lists."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Fetch URLs given as sources (otherwise a URL is an error).
    fetch: bool = False
    #: Allow fetching private, loopback and link-local addresses.
    allow_private: bool = False
    #: Largest input file or HTTP response accepted, in bytes.
    max_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    #: HTTP timeout in seconds.
    timeout: float = Field(default=10.0, gt=0)
    #: spaCy batch size and worker processes for annotation.
    batch_size: int = Field(default=16, gt=0)
    n_process: int = Field(default=1, gt=0)
    #: Run the cross-document stages (link, storify, report content).
    link: bool = True
    #: Minimum embedding similarity for claim alignment candidates.
    align_threshold: float = 0.62
    #: Optional OpenAI-compatible endpoint for briefing rewrite (off by default).
    llm_url: str | None = None
    llm_model: str | None = None
    #: Show progress on stderr.
    progress: bool = False
