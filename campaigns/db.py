"""The database core: units of work (the only place that commits or rolls back) for a request,
a CLI command and a worker job; row locks and race-free inserts, on PostgreSQL and SQLite alike."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, g, request
from sqlalchemy import Row, Select, Table, TextualSelect, bindparam, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .extensions import db

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M")
T = TypeVar("T")

_AFTER_COMMIT_KEY = "campaigns.after_commit"
# Read by the SQLite "begin" hook: a unit that will write takes the write lock up front.
_WRITING: ContextVar[bool] = ContextVar("campaigns.writing", default=False)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long a writer waits for SQLite's one write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15_000


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Give SQLite foreign keys, write-ahead logging, a busy timeout and real transactions.

    In WAL mode readers never wait for the writer nor it for them; writers queue for the one
    write lock for up to the busy timeout instead of failing at once.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode but for a power cut
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn: Any) -> None:
    """``BEGIN IMMEDIATE`` for a unit that will write, plain ``BEGIN`` for one that reads.

    A deferred transaction that reads and then writes can't wait for the write lock: when
    another writer committed in between, SQLite fails it at once with "database is locked".
    Taking the lock up front makes concurrent writers wait their turn instead.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")


def writing() -> bool:
    """Whether the unit of work under way will write (SQLite then begins ``IMMEDIATE``)."""
    return _WRITING.get()


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current unit of work has committed (never if it rolls back)."""
    db.session.info.setdefault(_AFTER_COMMIT_KEY, []).append(callback)


def _commit(session: Session) -> None:
    session.commit()
    for callback in session.info.pop(_AFTER_COMMIT_KEY, []):
        callback()


def _rollback(session: Session) -> None:
    session.rollback()
    session.info.pop(_AFTER_COMMIT_KEY, None)


@contextmanager
def unit_of_work(*, write: bool = True) -> Iterator[Session]:
    """Commit everything done inside the block at once, or nothing at all.

    The boundary of a CLI command or a worker job; a request's boundary is ``init_app``'s.
    """
    session = db.session()
    token = _WRITING.set(write)
    try:
        yield session
        session.flush()
    except BaseException:
        _rollback(session)
        raise
    else:
        _commit(session)
    finally:
        _WRITING.reset(token)


def checkpoint() -> None:
    """Commit what the unit of work has done so far, before an outside party must see it.

    The donate POST commits its pending gift before Stripe hears of it, so that a webhook can
    always find the gift; the rest of the request is a unit of work of its own.
    """
    _commit(db.session())


def try_checkpoint() -> bool:
    """``checkpoint``, answering False (with the work rolled back) when the database refuses:
    for a view that must tell the person to try again rather than fail."""
    try:
        checkpoint()
    except SQLAlchemyError:
        log.exception("commit failed; the request's writes were rolled back")
        discard()
        return False
    return True


def discard() -> None:
    """Roll back what the unit of work has done so far: a refused request keeps nothing."""
    _rollback(db.session())


def in_batches(items: Sequence[T], size: int, job: Callable[[Sequence[T]], None]) -> None:
    """Run ``job`` over ``items``, ``size`` at a time, each batch a unit of work of its own,
    so that a long run stopped part-way keeps the batches it finished."""
    for start in range(0, len(items), size):
        with unit_of_work():
            job(items[start : start + size])


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` as one unit of work."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return func(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    """One unit of work per request: commit once after the view, roll back on any error.

    A response below 400 commits what the view did; an error page, a refused form or an
    exception rolls it all back, so a request never leaves part of its writes behind.
    """

    @app.before_request
    def _begin() -> None:
        g.campaigns_writing = _WRITING.set(request.method not in _SAFE_METHODS)

    @app.after_request
    def _end(response: Response) -> Response:
        session = db.session()
        if response.status_code < 400:
            _commit(session)
        else:
            _rollback(session)
        return response

    @app.teardown_request
    def _discard(error: BaseException | None) -> None:
        token = g.pop("campaigns_writing", None)
        if token is not None:
            _WRITING.reset(token)
        if error is not None:
            _rollback(db.session())


def replayable() -> None:
    """Let the current unit of work commit without waiting for the disk (PostgreSQL).

    Only for work that a durable record lets us redo: the worker applying an event that the
    inbox holds. If the database server crashes, at most its last fraction of a second of such
    commits is lost, each one whole with the event's new status, so those events are simply
    applied again; nothing is lost and nothing applied twice. Commits are still in order.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


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
