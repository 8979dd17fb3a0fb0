"""Concatenate benchmarks/results/*.md into benchmarks/RESULTS.md."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parts = ["# Benchmark results", "",
             "Every table below was produced by the command shown with it, on the machine named there.", ""]
    for path in sorted((HERE / "results").glob("*.md")):
        parts.append(path.read_text(encoding="utf-8").rstrip())
        parts.append("")
    (HERE / "RESULTS.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
