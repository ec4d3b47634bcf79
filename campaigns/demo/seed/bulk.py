"""Loading many rows at once: COPY on PostgreSQL, batched multi-row INSERTs elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Table, func, insert, select, text

from ...extensions import db

BATCH = 5_000
Progress = Callable[[int], None]


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def lock_tables(tables: Sequence[Table]) -> None:
    """Keep other writers out until the unit of work ends, so the ids taken stay free."""
    if is_postgres():
        names = ", ".join(table.name for table in tables)
        db.session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def first_free_ids(tables: Sequence[Table]) -> dict[str, int]:
    """For each table, the id after the largest one it holds."""
    return {
        table.name: int(db.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
        for table in tables
    }


def reset_sequences(tables: Sequence[Table]) -> None:
    """Move PostgreSQL's id sequences past the ids written here, as SQLite does by itself."""
    if not is_postgres():
        return
    for table in tables:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
            )
        )


def _defaults(table: Table, given: Sequence[str]) -> dict[str, Any]:
    """Python-side defaults of the columns not given, worked out once for every row."""
    found: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None:
            continue
        if default.is_callable:
            found[column.name] = default.arg(None)  # type: ignore[attr-defined]
        elif default.is_scalar:
            found[column.name] = default.arg  # type: ignore[attr-defined]
    return found


def write_rows(
    table: Table,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    progress: Progress | None = None,
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) within the current unit of work."""
    extra = _defaults(table, columns)
    names = (*columns, *extra)
    tail = tuple(extra.values())
    written = 0
    if is_postgres():
        raw = db.session.connection().connection.driver_connection
        assert raw is not None
        sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + tail)
                written += 1
                if progress and written % BATCH == 0:
                    progress(BATCH)
        if progress and written % BATCH:
            progress(written % BATCH)
        return written
    iterator = iter(rows)
    statement = insert(table)
    while batch := list(islice(iterator, BATCH)):
        db.session.execute(statement, [dict(zip(names, row + tail, strict=True)) for row in batch])
        written += len(batch)
        if progress:
            progress(len(batch))
    return written
