"""Ctrl-C and SIGTERM stop a run cleanly, worker processes included.

The CLI installs handlers that terminate the worker processes (spaCy's
``n_process`` workers), remove a report being written, print one line and end
the process with 130 or 143 at once. They do not raise into the main program: an
exception raised at an arbitrary point (inside a fork hook, a ``finally``, a
``__del__``) can be swallowed, and the parent then waits forever on a worker
that is gone. Workers, when forked, ignore SIGINT (the
terminal sends it to the whole process group; the parent decides), take the
default SIGTERM, and on Linux ask the kernel to kill them when the parent dies,
so even ``kill -9`` of the parent leaves none behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
from types import FrameType

EXIT_SIGINT = 130
EXIT_SIGTERM = 143
_PR_SET_PDEATHSIG = 1


def stop_workers(timeout: float = 2.0) -> None:
    """Terminate every child process of this process and wait for them briefly."""
    children = multiprocessing.active_children()
    for child in children:
        with contextlib.suppress(Exception):
            child.terminate()
    for child in children:
        with contextlib.suppress(Exception):
            child.join(timeout)
            if child.is_alive():
                child.kill()


def _in_worker(_: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if _parent_pid is not None and os.getppid() != _parent_pid:  # the parent died before prctl
        os._exit(EXIT_SIGTERM)


class _Hook:
    """multiprocessing keeps after-fork hooks by weak reference: this object lives for the process."""


_HOOK = _Hook()
_installed = False
_parent_pid: int | None = None


#: files to remove if the run is stopped (a report's temporary file while it is written)
pending_files: set[str] = set()


def _stop(code: int, message: bytes) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    stop_workers()
    for path in list(pending_files):
        with contextlib.suppress(OSError):
            os.unlink(path)
    with contextlib.suppress(OSError):
        os.write(2, message)
    os._exit(code)


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _stop(EXIT_SIGINT, b"storylens: interrupted\n")


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _stop(EXIT_SIGTERM, b"storylens: terminated\n")


def install() -> None:
    """Install the handlers (main process, main thread only; idempotent)."""
    global _installed, _parent_pid
    if _installed:
        return
    _installed = True
    _parent_pid = os.getpid()
    multiprocessing.util.register_after_fork(_HOOK, _in_worker)
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGTERM, _on_sigterm)
