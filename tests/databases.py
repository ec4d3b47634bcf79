"""Test databases: SQLite files by default, PostgreSQL when ``DATABASE_URL`` says so."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import sqlalchemy as sa

from campaigns.config import normalize_database_url

_TMP = Path(tempfile.mkdtemp(prefix="campaigns-tests-"))


def base_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    return normalize_database_url(url) if url else None


def is_postgres() -> bool:
    url = base_url()
    return bool(url and url.startswith("postgresql"))


def fresh_database(name: str) -> str:
    """The URL of a new, empty database called ``name`` on the backend under test."""
    url = base_url()
    if url is None or url.startswith("sqlite"):
        path = _TMP / f"{name}.sqlite3"
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
    server = sa.make_url(url)
    database = f"{server.database}_{name}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    return server.set(database=database).render_as_string(hide_password=False)
