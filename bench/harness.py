"""What every benchmark shares: a throw-away database and folder, and the run around it.

A benchmark is run as ``python bench/<name>.py`` (``bench/`` is then first on ``sys.path``, so
``from harness import bench_main`` works). Without ``DATABASE_URL`` it runs on a new SQLite
file in a temporary folder; with a PostgreSQL ``DATABASE_URL`` it creates the database
``coquan_bench_<name>`` on that server (dropped again at the end) so that no real data is
touched. Child processes started by a benchmark inherit the environment (``PYTHONPATH``
included), so they use the same code and database.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def pg_admin(dsn: str, statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) outside a transaction."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(statement)


def pg_exists(dsn: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return found.fetchone() is not None


def prepare_environment(
    tmp: Path, database: str, env: dict[str, str] | None = None, reuse: bool = False
) -> tuple[str, str | None]:
    """Point Django at a throw-away database and folder; (description, admin DSN or None).

    ``reuse`` keeps the database of an earlier run (PostgreSQL; created when there is none
    yet) or the SQLite file named by ``COQUAN_SQLITE_PATH``, for benchmarks whose data take
    long to generate.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "coquan.config.settings"
    os.environ["COQUAN_DEBUG"] = "1"
    os.environ["COQUAN_VAR_DIR"] = str(tmp)
    os.environ.update(env or {})
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = tmp / "bench.sqlite3"
        if reuse and os.environ.get("COQUAN_SQLITE_PATH"):
            path = Path(os.environ["COQUAN_SQLITE_PATH"])
        os.environ["COQUAN_SQLITE_PATH"] = str(path)
        return f"SQLite {path}", None
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    if not reuse:
        pg_admin(admin, f'DROP DATABASE IF EXISTS "{database}"')
    if not reuse or not pg_exists(admin, database):
        pg_admin(admin, f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    return f"PostgreSQL {database}", admin


def bench_main(
    name: str,
    title: str,
    run: Callable[[object], int],
    args,
    env: Callable[[Path], dict[str, str]] | None = None,
    *,
    reuse: bool = False,
    keep: bool = False,
) -> int:
    """Run ``run(args)`` in a fresh environment (see the module docstring); its exit code.

    ``env(tmp)`` gives extra environment variables (task backend, media folder …);
    ``reuse`` works on the data of an earlier run, ``keep`` leaves the database in place.
    """
    database = f"coquan_bench_{name}"
    with tempfile.TemporaryDirectory(prefix=f"coquan-bench-{name}-") as tmp:
        folder = Path(tmp)
        extra = env(folder) if env else None
        description, admin = prepare_environment(folder, database, extra, reuse)
        print(f"== {title} on {description}", flush=True)
        try:
            return run(args)
        finally:
            if admin is not None and not keep:
                from django.db import connections

                connections.close_all()
                pg_admin(admin, f'DROP DATABASE IF EXISTS "{database}"')
                print(f"dropped {database}")
