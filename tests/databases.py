"""Test databases: SQLite files by default, PostgreSQL when ``DATABASE_URL`` says so.

``fresh_postgres_database`` is the one place that makes a new PostgreSQL database; the
benchmarks use it too, so this module imports nothing of pytest.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import sqlalchemy as sa

from campaigns.config import normalize_database_url


@functools.cache
def _tmp() -> Path:
    return Path(tempfile.mkdtemp(prefix="campaigns-tests-"))


def base_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    return normalize_database_url(url) if url else None


def is_postgres() -> bool:
    url = base_url()
    return bool(url and url.startswith("postgresql"))


def sibling_database_url(url: str, suffix: str) -> str:
    """The URL of the database ``<name>_<suffix>`` on the server of ``url``."""
    server = sa.make_url(normalize_database_url(url))
    return server.set(database=f"{server.database}_{suffix}").render_as_string(hide_password=False)


def fresh_postgres_database(url: str, suffix: str) -> str:
    """Drop and create ``<name>_<suffix>`` beside the PostgreSQL database of ``url``; its URL."""
    fresh = sa.make_url(sibling_database_url(url, suffix))
    admin = sa.create_engine(fresh.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{fresh.database}"')
    admin.dispose()
    return fresh.render_as_string(hide_password=False)


def fresh_database(name: str) -> str:
    """The URL of a new, empty database called ``name`` on the backend under test."""
    url = base_url()
    if url is None or url.startswith("sqlite"):
        path = _tmp() / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    if not is_postgres():
        raise RuntimeError(f"unsupported test database {url!r}")
    if name == "main":
        # The database named in DATABASE_URL itself: empty its schema rather than recreate it.
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
        return url
    return fresh_postgres_database(url, name)
