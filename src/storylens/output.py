"""Writing reports so that they are never half-written.

A report goes to a temporary file beside its target, is flushed and fsynced, then
renamed over the target: a killed run or a full disk leaves the previous report
as it was. The target directory is checked (created if needed, and a file really
created in it) before the analysis starts, so a bad ``-o`` fails at once.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from pathlib import Path

from storylens.interrupt import pending_files


class OutputError(Exception):
    """The report cannot be written where it was asked; ``reason`` is one line."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def check_output_path(path: Path) -> None:
    """Fail now (OutputError) if a report could not be written to ``path`` later."""
    if path.is_dir():
        raise OutputError(str(path), "is a directory")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # a real file, so read-only mounts, quotas and ACLs are caught too, not only mode bits
        fd, probe = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".check", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(str(path), _reason(exc)) from exc
    if path.exists() and not os.access(path, os.W_OK):
        # rename would replace it anyway; refusing keeps the user's read-only bit meaningful
        raise OutputError(str(path), "file is read-only")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, fsync and rename."""
    data = text.encode("utf-8")
    parent = path.parent
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
    except OSError:
        mode = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(str(path), _reason(exc)) from exc
    pending_files.add(tmp)  # removed by the Ctrl-C / SIGTERM handler if the run stops here
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(str(path), _reason(exc)) from exc
    finally:
        pending_files.discard(tmp)
    # the rename itself is durable only once the directory is synced
    with contextlib.suppress(OSError):
        dir_fd = os.open(parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_stdout(text: str) -> None:
    """Write the report to stdout; a closed pipe or a full device raises OutputError
    (stdout is then pointed at /dev/null so the interpreter's final flush stays quiet)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        if exc.errno == errno.EPIPE:
            raise OutputError("stdout", "closed before the report was written (broken pipe)") from exc
        raise OutputError("stdout", _reason(exc)) from exc
