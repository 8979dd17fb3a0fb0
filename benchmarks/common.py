"""Shared helpers for benchmark scripts: machine description and result files."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from benchmarks import collect

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
            f"{platform.system()} {platform.release()}")


def write_result(name: str, markdown: str) -> Path:
    """Write one benchmark's section and regenerate RESULTS.md."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text(markdown, encoding="utf-8")
    collect.main()
    return path
