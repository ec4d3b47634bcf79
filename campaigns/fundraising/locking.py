"""Row locks and race-free get-or-create, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

M = TypeVar("M")


def locked(query: Select[tuple[M]]) -> M | None:
    """The one row ``query`` finds, locked until the unit of work ends (FOR UPDATE)."""
    return db.session.scalars(query.with_for_update()).one_or_none()


def insert_ignoring_conflict(model: type[Any], values: dict[str, Any]) -> bool:
    """INSERT unless a unique key already holds the row; True when this call inserted it.

    Two transactions racing on the same key never both insert, and neither fails: the loser
    waits for the winner and then sees the row (PostgreSQL ON CONFLICT, SQLite OR IGNORE).
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    primary_key = inspect(model).primary_key
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(*primary_key)
    # RETURNING, not rowcount: psycopg reports -1 rows for a skipped ON CONFLICT insert.
    return db.session.execute(statement).first() is not None


def get_or_create_locked(model: type[M], key: dict[str, Any], defaults: dict[str, Any]) -> M:
    """The row with this unique ``key``, created with ``defaults`` if missing, and locked."""
    insert_ignoring_conflict(model, {**defaults, **key})
    query = select(model).filter_by(**key)
    row = locked(query)
    if row is None:  # pragma: no cover - the insert above guarantees it
        raise LookupError(f"{model.__name__} {key} vanished")
    return row
