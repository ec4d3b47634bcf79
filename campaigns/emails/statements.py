"""Year-end statements: one email per donor per year, with a link to a printable copy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..db import unit_of_work
from ..donor_portal.history import YearStatement, donors_with_gifts_in, year_statements
from ..donor_portal.links import Purpose, link_url
from ..extensions import db
from ..models import Donor, EmailKind
from .compose import Composed, compose, money
from .outbox import enqueue, is_queued
from .receipts import ACKNOWLEDGEMENT

# Donors per transaction: a crash part-way keeps what was queued, and a rerun skips it.
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


def queue_statements(
    year: int, on_batch: Callable[[StatementRun], None] | None = None
) -> StatementRun:
    """Queue every donor's statement for ``year``; a second run queues nothing new."""
    run = StatementRun()
    donor_ids = donors_with_gifts_in(year)
    for start in range(0, len(donor_ids), BATCH):
        with unit_of_work():
            for statement in year_statements(donor_ids[start : start + BATCH], year):
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
        if on_batch is not None:
            on_batch(run)
    return run
