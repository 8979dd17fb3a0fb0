"""A throwaway PostgreSQL server: ``initdb`` + ``pg_ctl`` on a Unix socket in a temporary folder.

Used by the store tests (conftest.py) and by the store benchmarks. PostgreSQL refuses to
run as root, so as root the cluster runs as the ``postgres`` system user (Debian's
package creates it).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


def pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


class PostgresServer:
    def __init__(self, bindir: Path, durable: bool = False) -> None:
        self.bindir = bindir
        #: fsync on (as a real server) for benchmarks; off for tests, which never crash the server
        self.durable = durable
        # a short path: a Unix socket path must stay under ~100 bytes
        self.base = Path(tempfile.mkdtemp(prefix="slpg-"))
        self.data = self.base / "data"
        self.prefix: list[str] = []
        self._names = itertools.count()
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no 'postgres' user to run the server") from None
            os.chown(self.base, user.pw_uid, user.pw_gid)
            runuser = shutil.which("runuser")
            self.prefix = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]

    def _run(self, *args: str) -> None:
        cmd = [*self.prefix, *args] if self.prefix[:1] != ["su"] else [*self.prefix, " ".join(args)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["(no output)"]
            raise RuntimeError(f"{Path(args[0]).name} failed: {tail[0]}")

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "storylens",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "server.log"), "-w",
                  "-t", "60", "-o", f"-k {self.base} -c listen_addresses='' -c max_connections=50" + ("" if self.durable else " -F"), "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://storylens@/{database}?host={self.base}"

    def new_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(f"dbname=postgres user=storylens host={self.base}", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
