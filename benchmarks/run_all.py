"""Run every benchmark that can run on this machine, then rebuild RESULTS.md.

Each benchmark runs in its own process (so one failing does not stop the rest, and
each starts with a clean model cache). Benchmarks that need data or tools this
machine lacks are skipped with the reason: PolNeAR must be built locally (see
benchmarks/README.md), and the embedder comparison needs the side venv of
``make bench-embedders``.

Run:  make bench   (or PYTHONPATH=. .venv/bin/python -m benchmarks.run_all)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLNEAR = HERE / "data" / "polnear"

#: (module, arguments, what it needs or None)
PLAN: list[tuple[str, list[str], Path | None]] = [
    ("extraction", [], None),
    ("boilerplate", [], None),
    ("speed_annotate", [], None),
    ("speed_e2e", ["--memory-docs", "1000"], None),
    ("entities", [], None),
    ("entities_ecbplus", ["--split", "dev"], None),
    ("syndication", ["--split", "test"], None),
    ("story_split", ["--split", "test"], None),
    ("paraphrase", ["--split", "dev"], None),
    ("paraphrase", ["--split", "test"], None),
    ("judged", ["report"], None),
    ("perturbation", ["--split", "dev"], None),
    ("perturbation", ["--split", "test"], None),
    ("alignment", ["--split", "dev"], None),
    ("alignment", ["--split", "test"], None),
    ("link_speed", ["--sizes", "10", "100", "982"], None),
    ("link_blocking", ["--split", "dev"], None),
    ("quotes_pairs", [], None),
    ("quotes_speed", [], None),
    ("quotes_polnear", ["--split", "dev"], POLNEAR),
    ("briefing_quality", ["--topics", "36-45", "--renders", "3"], None),
    ("hostile", ["--scale", "full"], None),
    ("throughput_limits", [], None),
    ("store_ecbplus", ["--split", "all"], None),
    ("store_scale", ["--sizes", "1000", "10000", "100000"], None),
]


def main() -> int:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    failed = []
    for module, args, needs in PLAN:
        label = " ".join([module, *args])
        if needs is not None and not needs.exists():
            print(f"skip {label}: {needs} is missing (see benchmarks/README.md)")
            continue
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{module}", *args], env=env,
                               stdout=subprocess.DEVNULL)
        print(f"{'ok  ' if code == 0 else 'FAIL'} {label} ({time.perf_counter() - started:.0f} s)")
        if code != 0:
            failed.append(label)
    print("skip embedder_choice: run `make bench-embedders` (needs the PyTorch side venv)")
    subprocess.call([sys.executable, "-m", "benchmarks.collect"], env=env)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
