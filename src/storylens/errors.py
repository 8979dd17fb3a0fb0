"""The error catalogue: every user-facing failure has a stable code and one line.

Codes never change meaning once published; new failures get new codes.
"""

from __future__ import annotations

CATALOGUE: dict[str, str] = {
    "SL001": "file not found",
    "SL002": "file is empty",
    "SL003": "file looks binary, not text",
    "SL004": "could not detect the text encoding",
    "SL005": "file is larger than the size limit",
    "SL006": "HTML page contains no article text",
    "SL007": "malformed JSONL line",
    "SL008": "URL could not be fetched",
    "SL009": "URL refused: private, loopback or link-local address",
    "SL010": "directory contains nothing readable",
    "SL011": "unsupported input",
    "SL012": "feed could not be parsed",
    "SL013": "WARC file could not be read",
    "SL014": "document has no text after cleaning",
    "SL015": "URL response is larger than the size limit",
    "SL016": "URL scheme not allowed",
    "SL017": "permission denied",
    "SL020": "document could not be annotated (the rest of the batch was)",
    # limits and hostile input (issue 13); numbered from SL030 so parallel work on other codes does not collide
    "SL030": "document is longer than the length limit",
    "SL031": "file holds more records than the record limit (the first ones were read)",
    "SL032": "compressed input expands beyond the size limit",
    "SL033": "URL fetch ran past the time limit",
    "SL034": "WARC record does not match its declared Content-Length",
    "SL035": "JSON nested too deeply",
    "SL036": "malformed URL",
    "SL099": "unexpected error while reading this input",
    # reports and metadata (issue 15); numbered from SL040 so parallel work on other codes does not collide
    "SL040": "metadata sidecar file (NAME.meta.json) is not a readable JSON object",
    "SL041": "page is not a news article, not analysed",
    # the corpus store (issue 14: storylens add / stories / show); numbered from SL050
    "SL050": "database could not be opened",
    "SL051": "file is not a storylens database or is corrupted",
    "SL052": "database server refused the connection",
    "SL053": "database location is read-only",
    "SL054": "database was written by a newer storylens (schema unknown to this version)",
    "SL055": "unsupported database URL (use sqlite:///PATH or postgresql://...)",
    "SL056": "story not found",
    "SL057": "database is busy: another storylens process is writing to it",
    # the web app (storylens serve); SL06x is reserved for it
    "SL060": "refusing to listen beyond loopback without a token (set STORYLENS_TOKEN)",
    "SL061": "upload is larger than the size limit",
    "SL062": "too many files in one upload",
    "SL063": "file type not accepted (use .txt, .md, .html, .jsonl, .warc, .rss, .atom or .xml)",
    "SL064": "nothing to add: paste text, choose files or give URLs",
    "SL065": "not an http(s) URL",
}


class StorylensError(Exception):
    """A failure caused by one input; carries the input name and a stable code."""

    def __init__(self, code: str, source: str, detail: str | None = None) -> None:
        if code not in CATALOGUE:
            raise ValueError(f"unknown error code {code}")
        self.code = code
        self.source = source
        self.detail = detail
        super().__init__(self.line())

    @property
    def reason(self) -> str:
        base = CATALOGUE[self.code]
        return f"{base} ({self.detail})" if self.detail else base

    def line(self) -> str:
        """The one line shown to the user."""
        return f"{self.source}: error {self.code}: {self.reason}"


# Exit codes of the CLI (documented in README).
EXIT_OK = 0
EXIT_SOME_INPUTS_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_DOCUMENTS = 3
EXIT_INTERNAL = 4
#: the database could not be opened, read or written (the line says why, with an SL05x code)
EXIT_DATABASE = 5
