"""Shared helpers for benchmark scripts: machine description and result files."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
from collections.abc import Callable
from pathlib import Path

from benchmarks import collect

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent


def machine() -> str:
    return (f"{platform.machine()} (`uname -m`), {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def revision() -> str:
    """The code measured: a commit, and whether src/ had uncommitted changes."""
    if os.environ.get("STORYLENS_BENCH_REVISION"):
        return os.environ["STORYLENS_BENCH_REVISION"]
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"commit {sha}" + (" plus uncommitted changes in src/" if dirty else "")


def write_result(name: str, markdown: str) -> Path:
    """Write one benchmark's section and regenerate RESULTS.md."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text(markdown, encoding="utf-8")
    collect.main()
    return path


def main_for_split(
    name: str,
    run: Callable[[str], str],
    description: str | None,
    splits: tuple[str, ...] = ("train", "dev", "test"),
) -> None:
    """Command line of a benchmark whose only argument is its split: run, print, write.

    `--no-write` prints the table without replacing the stored result (a look during
    development that must not overwrite the number a closing note cites).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--split", default="dev", choices=list(splits))
    parser.add_argument("--no-write", action="store_true", help="print only; keep the stored result")
    args = parser.parse_args()
    report = run(args.split)
    print(report)
    if not args.no_write:
        write_result(f"{name}_{args.split}", report)
