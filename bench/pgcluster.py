"""A private PostgreSQL server for the deployment benchmark: its own data folder and port, so that restarting it
during a run (the fault the benchmark measures) disturbs nobody else's database on this machine.

It runs as the `postgres` account (PostgreSQL refuses to run as root), from the binaries on the PATH or Debian's
/usr/lib/postgresql/<version>/bin, with trust authentication on 127.0.0.1 only.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ACCOUNT = "postgres"


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise RuntimeError(f"{name} not found: apt-get install postgresql")
    return found


class PrivateCluster:
    def __init__(self, port: int):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="kpi-bench-pg-"))
        shutil.chown(self.folder, ACCOUNT, ACCOUNT)
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{ACCOUNT}@127.0.0.1:{self.port}/kpi"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", ACCOUNT, "--", *command], check=True, capture_output=True, cwd=self.folder)

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._as_postgres(_binary("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", action)

    def start(self) -> "PrivateCluster":
        if not self.data.exists():
            self._as_postgres(_binary("initdb"), "-D", str(self.data), "-A", "trust", "-U", ACCOUNT, "-E", "UTF8")
            self._ctl("start")
            self._as_postgres(_binary("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", ACCOUNT, "kpi")
        else:
            self._ctl("start")
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def can_run() -> str | None:
    """Why a private cluster cannot be started here, or None."""
    if os.geteuid() != 0:
        return "needs root, to run PostgreSQL as the postgres account"
    try:
        _binary("pg_ctl")
    except RuntimeError as missing:
        return str(missing)
    return None
