"""The database core: the unit of work (the only place that commits or rolls back), row locks
and race-free inserts, on PostgreSQL and SQLite alike."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Row, Select, Table, TextualSelect, bindparam, select, text
from sqlalchemy.orm import Session

from .extensions import db

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M")

_AFTER_COMMIT_KEY = "campaigns.after_commit"


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current unit of work has committed (never if it rolls back)."""
    db.session.info.setdefault(_AFTER_COMMIT_KEY, []).append(callback)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit everything done inside the block at once, or nothing at all."""
    session = db.session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        session.info.pop(_AFTER_COMMIT_KEY, None)
        raise
    for callback in session.info.pop(_AFTER_COMMIT_KEY, []):
        callback()


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` as one unit of work."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return func(*args, **kwargs)

    return wrapper


def locked(query: Select[tuple[M]]) -> M | None:
    """The one row ``query`` finds, locked until the unit of work ends (FOR UPDATE)."""
    return db.session.scalars(query.with_for_update()).one_or_none()


@cache
def _insert_on_conflict(
    table: Table,
    columns: tuple[str, ...],
    conflict: tuple[str, ...],
    update: str | None,
    returning: tuple[str, ...],
) -> TextualSelect:
    """``INSERT … ON CONFLICT … RETURNING`` as cacheable SQL.

    PostgreSQL and SQLite share this syntax. SQLAlchemy's dialect-specific INSERT constructs
    are compiled afresh on every execution, which made them the slowest part of applying a
    webhook; this text is built once per shape, with the columns' own types bound.
    """
    action = f"DO UPDATE SET {update}" if update else "DO NOTHING"
    # Only names from our own table metadata are interpolated; values are bound parameters.
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(':' + name for name in columns)}) "
        f"ON CONFLICT ({', '.join(conflict)}) {action} RETURNING {', '.join(returning)}"
    )
    binds = [bindparam(name, type_=table.c[name].type) for name in columns]
    return text(sql).bindparams(*binds).columns(*(table.c[name] for name in returning))


def _with_defaults(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` plus each missing column's Python-side default, as the ORM would add."""
    filled = dict(values)
    for column in table.columns:
        default = column.default
        if column.name in filled or default is None:
            continue
        if default.is_callable:
            filled[column.name] = default.arg(None)  # type: ignore[attr-defined]
        elif default.is_scalar:
            filled[column.name] = default.arg  # type: ignore[attr-defined]
    return filled


def _execute(
    model: type[Any],
    values: dict[str, Any],
    conflict: tuple[str, ...],
    update: str | None,
    returning: tuple[str, ...],
) -> Row[Any] | None:
    table: Table = model.__table__
    filled = _with_defaults(table, values)
    statement = _insert_on_conflict(table, tuple(sorted(filled)), conflict, update, returning)
    return db.session.execute(statement, filled).first()


def insert_ignoring_conflict(
    model: type[Any], values: dict[str, Any], conflict: tuple[str, ...] | None = None
) -> bool:
    """INSERT unless a unique key already holds the row; True when this call inserted it.

    Two transactions racing on the same key never both insert, and neither fails: the loser
    waits for the winner and then sees the row.
    """
    keys = tuple(column.name for column in model.__table__.primary_key.columns)
    return _execute(model, values, conflict or keys, None, keys) is not None


def upsert(
    model: type[Any],
    values: dict[str, Any],
    conflict: tuple[str, ...],
    update: str,
    returning: str = "id",
) -> int:
    """INSERT, or UPDATE with the SQL ``update`` (which may use ``excluded.``) when the
    ``conflict`` columns clash, in one statement that locks the row; returns ``returning``."""
    row = _execute(model, values, conflict, update, (returning,))
    assert row is not None  # DO UPDATE always returns the row
    return int(row[0])


def get_or_create_locked(model: type[M], key: dict[str, Any], defaults: dict[str, Any]) -> M:
    """The row with this unique ``key``, created with ``defaults`` if missing, and locked."""
    insert_ignoring_conflict(model, {**defaults, **key}, tuple(key))
    row = locked(select(model).filter_by(**key))
    if row is None:  # pragma: no cover - the insert above guarantees it
        raise LookupError(f"{model.__name__} {key} vanished")
    return row
