"""CSV exports that stream: rows come off a server-side cursor a batch at a time, so memory
stays flat however many there are.

Each export is an iterator of ``str`` chunks for a streamed response (wrap it in Flask's
``stream_with_context`` so the database session outlives the view function).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    String,
    and_,
    case,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..models import Campaign, Donation, Donor, PaymentMethod
from ..money import major_text
from .donors import donor_search
from .filters import DonationFilter, shown_status_sql

BATCH = 2_000
# OWASP's CSV injection advice: a text cell starting with one of these could run as a formula
# in a spreadsheet, so it gets a leading apostrophe (shown as text, not evaluated).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
Cells = Callable[[Sequence[Any]], Sequence[Any]]


class iso_utc(FunctionElement[str]):
    """A UTC timestamp as ISO 8601 text (``2026-12-31T23:59:00Z``), formatted by the database."""

    type = String()
    inherit_cache = True


@compiles(iso_utc, "postgresql")
def _iso_utc_postgresql(element: iso_utc, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = element.clauses
    formatted = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    return compiler.process(formatted, **kw)


@compiles(iso_utc)
def _iso_utc_sqlite(element: iso_utc, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps UTC as naive text (see models.types.UTCDateTime).
    (column,) = element.clauses
    return compiler.process(func.strftime("%Y-%m-%dT%H:%M:%SZ", column), **kw)


def spreadsheet_safe(text: SQLColumnExpression[Any]) -> ColumnElement[str]:
    """A text column as a spreadsheet will show it, never evaluate it."""
    # Only text goes through here: numbers, negative or not, are written as they are.
    starts = func.substr(text, 1, 1).in_(FORMULA_TRIGGERS)
    return case((starts, literal("'") + text), else_=text)


def yes_no(flag: SQLColumnExpression[bool]) -> ColumnElement[str]:
    return case((flag, "yes"), else_="no")


@lru_cache(maxsize=8192)
def money(minor: int | None, currency: str) -> str:
    """Minor units as plain major units ("25", "25.50"); cached, as amounts repeat a lot."""
    return "" if minor is None else major_text(minor, currency)


def _drain(lines: list[str]) -> str:
    text = "".join(lines)
    lines.clear()
    return text


def stream_csv(header: Sequence[str], statement: Select[Any], cells: Cells) -> Iterator[str]:
    """The header, then one chunk of CSV text per batch of rows from a server-side cursor."""
    # The writer appends each line to a list joined once per batch: a StringIO would hold the
    # same text at four bytes a character.
    lines: list[str] = []
    writer = csv.writer(SimpleNamespace(write=lines.append))
    writer.writerow(header)
    yield lines.pop()
    # A plain Core execution: rows stay tuples, and the cursor is read BATCH rows at a time.
    result = db.session.connection().execute(statement.execution_options(yield_per=BATCH))
    try:
        # fetchmany rather than partitions(), whose generator would keep the last batch alive
        # while the next one is fetched.
        while rows := result.fetchmany(BATCH):
            writer.writerows(map(cells, rows))
            del rows
            yield _drain(lines)
    finally:
        result.close()


DONATION_HEADER = (
    *("id", "created_at", "paid_at", "campaign", "status", "frequency", "amount", "fee"),
    *("total", "refunded", "net", "currency", "method", "reference", "donor_id", "name"),
    *("email", "anonymous", "newsletter", "dedication", "comment", "source", "variant"),
    *("monthly_gift_id", "stripe_payment_intent", "stripe_link"),
)


def donations_export_select(criteria: DonationFilter, dashboard_url: str) -> Select[Any]:
    """The SELECT behind ``donations_csv``, oldest first; all but the amounts ready to write."""
    gift = Donation
    intent = gift.stripe_payment_intent_id
    link = case(
        (
            and_(gift.method == PaymentMethod.CARD, intent.is_not(None)),
            literal(f"{dashboard_url}/payments/") + intent,
        ),
        else_="",
    )
    statement = (
        select(
            gift.id,
            iso_utc(gift.created_at),
            iso_utc(gift.paid_at),
            spreadsheet_safe(Campaign.slug),
            shown_status_sql(),
            type_coerce(gift.frequency, String()),
            gift.amount,
            gift.fee_amount,
            gift.amount + gift.fee_amount,
            gift.amount_refunded,
            gift.counted_amount,
            gift.currency,
            type_coerce(gift.method, String()),
            spreadsheet_safe(gift.reference),
            gift.donor_id,
            spreadsheet_safe(gift.name),
            spreadsheet_safe(gift.email),
            yes_no(gift.anonymous),
            yes_no(gift.newsletter),
            spreadsheet_safe(gift.dedication),
            spreadsheet_safe(gift.comment),
            spreadsheet_safe(gift.source),
            spreadsheet_safe(gift.variant),
            gift.recurring_gift_id,
            intent,
            link,
        )
        .join(Campaign, Campaign.id == gift.campaign_id)
        .order_by(gift.id)
    )
    return criteria.apply(statement)


def _donation_cells(row: Sequence[Any]) -> Sequence[Any]:
    currency = row[11]
    return (
        *row[:6],
        money(row[6], currency),
        money(row[7], currency),
        money(row[8], currency),
        money(row[9], currency),
        money(row[10], currency),
        *row[11:],
    )


def donations_csv(
    criteria: DonationFilter | None = None, *, dashboard_url: str | None = None
) -> Iterator[str]:
    """Every gift the filter covers, one line each, with staff's status and a Stripe link."""
    statement = donations_export_select(
        criteria or DonationFilter(),
        dashboard_url or current_app.config["STRIPE_DASHBOARD_URL"],
    )
    return stream_csv(DONATION_HEADER, statement, _donation_cells)


DONOR_HEADER = (
    *("donor_id", "name", "email", "newsletter", "first_seen", "first_gift_at"),
    *("last_gift_at", "gifts", "lifetime_total", "currency"),
)


def donors_csv(search: str | None = None, *, currency: str | None = None) -> Iterator[str]:
    """Donors (those matching ``search``, as the donor list finds them) with lifetime figures."""
    code = currency or current_app.config["DEFAULT_CURRENCY"]
    statement = (
        select(
            Donor.id,
            spreadsheet_safe(Donor.name),
            spreadsheet_safe(Donor.email),
            yes_no(Donor.newsletter),
            iso_utc(Donor.created_at),
            iso_utc(Donor.first_gift_at),
            iso_utc(Donor.last_gift_at),
            Donor.gift_count,
            Donor.lifetime_amount,
        )
        .where(*donor_search(search))
        .order_by(Donor.id)
    )

    def cells(row: Sequence[Any]) -> Sequence[Any]:
        return (*row[:8], money(row[8], code), code)

    return stream_csv(DONOR_HEADER, statement, cells)


NEWSLETTER_HEADER = ("email", "name", "first_gift_at", "last_gift_at")


def newsletter_csv() -> Iterator[str]:
    """Donors who opted in to the newsletter, for the mailing tool."""
    statement = (
        select(
            spreadsheet_safe(Donor.email),
            spreadsheet_safe(Donor.name),
            iso_utc(Donor.first_gift_at),
            iso_utc(Donor.last_gift_at),
        )
        .where(Donor.newsletter)
        .order_by(Donor.id)
    )

    return stream_csv(NEWSLETTER_HEADER, statement, tuple)
