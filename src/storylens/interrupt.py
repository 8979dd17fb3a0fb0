"""Ctrl-C and SIGTERM stop a run cleanly, worker processes included.

The CLI installs handlers that first terminate the worker processes (spaCy's
``n_process`` workers) and then raise in the main process, so the parent never
waits on a worker that will not answer. Workers, when forked, ignore SIGINT (the
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


class Terminated(BaseException):
    """Raised in the main process on SIGTERM (a BaseException, like KeyboardInterrupt,
    so no ``except Exception`` swallows it)."""


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


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    stop_workers()
    raise KeyboardInterrupt


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    stop_workers()
    raise Terminated


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
