"""The unit of work: the only place in the package that commits or rolls back."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from .extensions import db

P = ParamSpec("P")
R = TypeVar("R")

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
