"""What the fork server of annotate's worker processes (``-j``) loads, once.

``annotate`` starts its workers from a fork server (``multiprocessing``'s "forkserver"
start method) that imports this module first: the spaCy model is loaded, and one short
text annotated (the word lists and the modules that the steps import on first use), in
that one process. Every worker is then a fork of it and starts with all of that in
memory, shared with its siblings until written. Started fresh ("spawn"), each worker
imported storylens and loaded the model itself: about 2 s of CPU per worker per run
(benchmarks/RESULTS.md, "End-to-end speed"). The fork server lives as long as the
process that started it, so a second ``annotate`` in the same process (the web app's job
worker, a benchmark's timed run after its warm-up) starts its workers at no cost at all.

A document's annotation does not depend on what the process annotated before (workers
already take the chunks in any order), so the warm-up text changes no answer.
"""

from __future__ import annotations

import gc
import logging

from storylens import interrupt

log = logging.getLogger("storylens")

WARM_UP_TEXT = ("Officials said on Monday that the bridge in London would reopen.\n\n"
                "\"Repairs cost 2 million pounds,\" the mayor said on 3 May 2021.\n")


def _warm_up() -> None:
    from storylens.annotate import _annotate_chunk
    from storylens.models import Document

    _annotate_chunk([Document(id="warm-up", source="warm-up", text=WARM_UP_TEXT)], 1)


if interrupt.in_cli_fork_server():
    interrupt.as_fork_server()
try:
    _warm_up()
except Exception:  # noqa: BLE001 - the workers then load what they need themselves, and report what fails
    log.debug("warming up the fork server failed", exc_info=True)
# everything loaded so far (the model, the word lists, the modules) lives as long as the
# server and its workers: set aside from the cyclic collector, a worker's full collections no
# longer walk it, and no longer write to (and so copy) the pages it shares with its siblings
gc.freeze()
