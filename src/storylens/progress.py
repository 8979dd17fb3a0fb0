"""Progress on stderr for the CLI: a rich bar on a terminal, plain lines otherwise.

The API reports ``(stage, done, total)``: per document while annotating, then once
per named cross-document step (``api.STEPS``) as it starts, so no stage runs silently.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Callback = Callable[[str, int, int], None]

#: without a terminal, a stage's counter is printed at most this often (seconds)
PLAIN_EVERY = 5.0


class PlainProgress:
    """One line per stage change, and a counter line at most every ``every`` seconds."""

    def __init__(self, stream: IO[str], every: float = PLAIN_EVERY, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.every = every
        self.clock = clock
        self.start = clock()
        self.stage = ""
        self.last = -1e9

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        changed = stage != self.stage
        finished = total > 0 and done >= total
        if not (changed or finished or now - self.last >= self.every):
            return
        self.stage, self.last = stage, now
        count = f" {done}/{total}" if total else ""
        self.stream.write(f"progress: {stage}{count} ({now - self.start:.0f}s)\n")
        self.stream.flush()


@contextmanager
def progress_reporter(console: Console, enabled: bool) -> Iterator[Callback | None]:
    """The callback to hand to ``api.analyze``: rich on a terminal, plain lines when
    stderr is a file or pipe, None when progress is off."""
    if not enabled:
        yield None
        return
    if not console.is_terminal:
        yield PlainProgress(console.file)
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("reading", total=None)
        shown = [""]

        def update(stage: str, done: int, total: int) -> None:
            # a new stage is drawn at once, however short it is (the clock keeps running between updates)
            changed = stage != shown[0]
            shown[0] = stage
            finished = total > 0 and done >= total
            bar.update(task, description=stage, completed=done, total=total or None, refresh=changed or finished)

        yield update
