"""Ctrl-C and SIGTERM stop a run cleanly, worker processes included.

The CLI blocks SIGINT and SIGTERM in the main thread and waits for them in one
thread of its own, woken through Python's signal wakeup file descriptor whichever
thread the kernel picked (the main thread may sit in an uninterruptible wait on a
worker's result). That thread kills the
worker processes (``-j``), removes a report being written, prints one line and
ends the process with 130 or 143. Nothing is raised into the main program: an
exception raised at an arbitrary point (a fork hook, a ``finally``, a ``__del__``)
can be swallowed, and the parent then waits forever on a worker that is gone.

Worker processes, forked or spawned, start with the two signals blocked (the mask
is inherited), so a Ctrl-C, which the terminal sends to the whole process group,
never reaches a worker that is still starting. Once running (``as_worker``),
a worker ignores SIGINT (the parent decides), takes the default SIGTERM, and on
Linux asks the kernel to kill it when the parent dies, so even ``kill -9`` of the
parent leaves none behind. annotate's workers are forked by a fork server that the CLI
started (``annotate.preload``): the fork server takes the same death signal and runs
``as_worker`` in every process it forks, so the chain CLI, fork server, worker holds.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import threading
import time

EXIT_SIGINT = 130
EXIT_SIGTERM = 143
_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1
#: set by ``install`` in the CLI process; inherited by its workers
PARENT_ENV = "STORYLENS_CLI_PID"
#: set in the fork server of a CLI run (``as_fork_server``); inherited by the workers it forks
FORK_SERVER_ENV = "STORYLENS_FORK_SERVER_PID"

#: files to remove if the run is stopped (a report's temporary file while it is written)
pending_files: set[str] = set()


def stop_workers(grace: float = 0.5) -> None:
    """Terminate every child process of this process; kill those still there after ``grace``."""
    children = multiprocessing.active_children()
    for child in children:
        with contextlib.suppress(Exception):
            child.terminate()
    deadline = time.monotonic() + grace
    for child in children:
        with contextlib.suppress(Exception):
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                child.kill()
                child.join(1.0)


def as_worker() -> None:
    """Called first thing in a worker process started by the CLI (forked or spawned)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(ValueError):  # a forked worker inherited the CLI's wakeup descriptor
        signal.set_wakeup_fd(-1)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # a worker's parent is the CLI, or the fork server the CLI started (annotate's workers)
    parents = {int(p) for p in (os.environ.get(PARENT_ENV, ""), os.environ.get(FORK_SERVER_ENV, "")) if p.isdigit()}
    if parents and os.getppid() not in parents:  # the parent died before prctl took effect
        os._exit(EXIT_SIGTERM)


def in_cli_fork_server() -> bool:
    """This process is the fork server that a CLI run started (``annotate.preload``): a
    direct child of the CLI, not itself a worker."""
    parent = os.environ.get(PARENT_ENV, "")
    return (parent.isdigit() and os.getppid() == int(parent)
            and multiprocessing.current_process().name == "MainProcess")


def as_fork_server() -> None:
    """Called in the fork server of a CLI run: it dies with the CLI (it would anyway, once
    the CLI's end closes its pipe), and every process it forks is a worker (``as_worker``
    runs after each fork: the CLI's own after-fork hook is not in this process)."""
    os.environ[FORK_SERVER_ENV] = str(os.getpid())
    multiprocessing.util.register_after_fork(_HOOK, lambda _: as_worker())
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def in_cli_worker() -> bool:
    """This process is a worker (not the main process) of a storylens CLI run."""
    return PARENT_ENV in os.environ and multiprocessing.current_process().name != "MainProcess"


class _Hook:
    """multiprocessing keeps after-fork hooks by weak reference: this object lives for the process."""


_HOOK = _Hook()
_installed = False


_stopping = threading.Lock()


def is_stopping() -> bool:
    """A signal arrived and the run is being stopped (the main thread must not report anything)."""
    return _stopping.locked()


def wait_if_stopping() -> None:
    """In the main thread: if the run is being stopped, wait for the end instead of reporting
    the errors the stop itself causes (a broken worker pool)."""
    while is_stopping():
        time.sleep(1)


def _direct_children() -> set[int]:
    """Child process ids from /proc (Linux); empty elsewhere."""
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{os.getpid()}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{os.getpid()}/task/{task}/children") as fh:
                found |= {int(x) for x in fh.read().split()}
    return found


def _kill_stragglers() -> None:
    """Kill children multiprocessing does not list yet (a worker being spawned right now),
    but not the resource tracker, which must outlive us to remove the workers' semaphores."""
    from multiprocessing import resource_tracker

    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    for pid in _direct_children() - {tracker}:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _stop(signum: int) -> None:
    if not _stopping.acquire(blocking=False):
        return  # the other path (handler or waiting thread) is already stopping the run
    code, message = (EXIT_SIGINT, b"storylens: interrupted\n") if signum == signal.SIGINT else \
        (EXIT_SIGTERM, b"storylens: terminated\n")
    stop_workers()
    _kill_stragglers()
    for path in list(pending_files):
        with contextlib.suppress(OSError):
            os.unlink(path)
    with contextlib.suppress(OSError):
        os.write(2, message)
    os._exit(code)


def _wait_for_signal(wakeup: int) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)  # this thread may take them
    while True:
        try:
            data = os.read(wakeup, 64)
        except InterruptedError:
            continue
        if not data:
            return
        for signum in data:
            if signum in _SIGNALS:
                _stop(signum)


def _handler(signum: int, frame: object) -> None:
    # a thread started before ``install`` (a library's pool) does not block the signals:
    # Python then runs this handler in the main thread; it stops the run the same way
    _stop(signum)


def block_signals() -> None:
    """(Re)block SIGINT and SIGTERM in the calling thread (the waiting thread takes them)."""
    if _installed:
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker without our stderr.

    When a run is stopped the tracker removes the worker queues' semaphores, which is
    right, and warns about each "leak" on stderr, which would break the one-line promise.
    It is started before the workers (it would be anyway), with no stderr to write to.
    """
    from multiprocessing import resource_tracker

    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)  # the spawned tracker inherits file descriptor 2 as it is now
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
        block_signals()  # ensure_running unblocks SIGINT and SIGTERM in this thread when it is done


def install() -> None:
    """Take over SIGINT and SIGTERM for the CLI (main thread of the main process; idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    os.environ[PARENT_ENV] = str(os.getpid())
    multiprocessing.util.register_after_fork(_HOOK, lambda _: as_worker())
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)  # inherited by every worker started from here
    threading.Thread(target=_wait_for_signal, args=(reader,), name="storylens-signals", daemon=True).start()
