"""Pages of a list: offsets from page numbers, and whether there is a next one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select

from ..extensions import db

T = TypeVar("T")
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(query: Select[Any], number: int, per_page: int = PER_PAGE) -> Page[Any]:
    """One page of ``query``; one extra row tells whether another page follows, no COUNT(*)."""
    number = max(number, 1)
    rows = list(db.session.execute(query.limit(per_page + 1).offset((number - 1) * per_page)))
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page)
