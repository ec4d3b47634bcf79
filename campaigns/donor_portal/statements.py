"""Year-end statements: one email per donor per year, with a link to a printable copy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..emails.compose import Composed, compose, money
from ..emails.outbox import enqueue, is_queued
from ..emails.receipts import ACKNOWLEDGEMENT
from ..extensions import db
from ..models import Donor, EmailKind
from .history import YearStatement, donors_with_gifts_in, year_statements
from .links import Purpose, link_url

__all__ = ["BATCH", "StatementRun", "compose_statement", "donors_with_gifts_in", "queue_statements"]

# Donors per unit of work: a run stopped part-way keeps what was queued, and a rerun skips it.
BATCH = 200


def statement_context(statement: YearStatement, *, link: str | None) -> dict[str, Any]:
    return {
        "name": statement.name,
        "email": statement.email,
        "year": statement.year,
        "lines": statement.lines,
        "totals": [
            money(amount, currency) for currency, amount in sorted(statement.totals.items())
        ],
        "statement_url": link,
        "acknowledgement": ACKNOWLEDGEMENT,
    }


def compose_statement(statement: YearStatement, *, link: str | None) -> Composed:
    return compose("statement", **statement_context(statement, link=link))


@dataclass
class StatementRun:
    queued: int = 0
    already: int = 0


def queue_statements(donor_ids: Sequence[int], year: int, run: StatementRun) -> None:
    """Queue these donors' statements for ``year``, counting in ``run``; none is queued twice."""
    for statement in year_statements(donor_ids, year):
        key = f"statement:{year}:donor:{statement.donor_id}"
        donor = db.session.get(Donor, statement.donor_id)
        if donor is None or is_queued(key):
            run.already += 1
            continue
        link = link_url(Purpose.STATEMENT, donor, y=year)
        added = enqueue(
            EmailKind.STATEMENT,
            key,
            compose_statement(statement, link=link),
            to_address=donor.email,
            to_name=donor.name,
            donor_id=donor.id,
        )
        if added:
            run.queued += 1
        else:
            run.already += 1
