"""Helpers shared by the quote benchmarks: machine description and result files."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from pathlib import Path

from benchmarks import collect

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DATA = HERE / "data"


def machine() -> str:
    return (f"{platform.machine()} (`uname -m`), {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
            f"{platform.system()} {platform.release()}")


def today() -> str:
    return dt.date.today().isoformat()


def command() -> str:
    args = " ".join(sys.argv[1:])
    module = Path(sys.argv[0]).stem
    return f".venv/bin/python -m benchmarks.{module}" + (f" {args}" if args else "")


def write_result(name: str, markdown: str) -> Path:
    """Write one benchmark's section and regenerate RESULTS.md."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    collect.main()
    return path


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
