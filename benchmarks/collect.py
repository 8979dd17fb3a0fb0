"""Concatenate benchmarks/results/*.md into benchmarks/RESULTS.md.

A benchmark rewrites its own ``results/NAME.md`` on every run. Hand-written notes about a
run (a rerun by hand, a correction) go in ``results/NAME.notes.md``: they are placed right
after ``NAME.md`` and no benchmark ever writes them, so a rerun cannot drop them.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTES_SUFFIX = ".notes.md"


def sections(results: Path) -> list[str]:
    """Each generated section followed by its hand-written notes, in file-name order."""
    parts: list[str] = []
    for path in sorted(results.glob("*.md")):
        if path.name.endswith(NOTES_SUFFIX):
            continue
        parts.append(path.read_text(encoding="utf-8").rstrip())
        notes = path.with_name(path.name[: -len(".md")] + NOTES_SUFFIX)
        if notes.exists():
            parts.append(notes.read_text(encoding="utf-8").rstrip())
    orphans = sorted(
        p.name for p in results.glob(f"*{NOTES_SUFFIX}")
        if not p.with_name(p.name[: -len(NOTES_SUFFIX)] + ".md").exists()
    )
    if orphans:
        raise SystemExit(f"notes without a results file: {', '.join(orphans)}")
    return parts


def main() -> None:
    parts = ["# Benchmark results", "",
             "Every table below was produced by the command shown with it, on the machine named there.", ""]
    for section in sections(HERE / "results"):
        parts.append(section)
        parts.append("")
    (HERE / "RESULTS.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
