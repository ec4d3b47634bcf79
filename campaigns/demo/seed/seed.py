"""Three years of campaigns, donors and gifts, written in bulk in one unit of work."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, text

from ...extensions import db
from ...models import CampaignDonor, Donation, Donor, Payment, RecurringGift
from .bulk import (
    Progress,
    first_free_ids,
    is_postgres,
    lock_tables,
    reset_sequences,
    write_rows,
)
from .calendar import create_drives, existing_history, nice_goal
from .people import make_people
from .plan import plan_history
from .rows import DONATION_COLUMNS, DONOR_COLUMNS, PAYMENT_COLUMNS, RECURRING_COLUMNS, RowMaker

DEFAULT_SEED = 2026
_TABLES = [cast(Table, model.__table__) for model in (Donor, RecurringGift, Donation, Payment)]
_DONOR, _RECURRING, _DONATION, _PAYMENT = _TABLES


class HistoryExists(Exception):
    """The database already holds the seeded campaigns: the history loads once."""

    def __init__(self, slug: str) -> None:
        super().__init__(
            f"the database already holds campaign {slug!r} from a history seed; "
            "load the history into a database without it"
        )
        self.slug = slug


@dataclass(frozen=True)
class HistorySummary:
    campaigns: list[str]
    donors: int
    donations: int
    monthly_gifts: int
    payments: int


def seed_history(
    now: datetime,
    *,
    donors: int,
    donations: int,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> HistorySummary:
    """Add past campaigns, ``donors`` donors and ``donations`` gifts, the same for one seed.

    Each gift's ``counted``/``counted_amount`` is written; the running counters (campaigns,
    campaign donors, donors' lifetime figures) are left to
    ``reports.totals_rebuild.rebuild_totals``, which the caller runs in the same unit of work.
    ``progress`` hears of every donor and gift row written.
    """
    if donors < 1 or donations < donors:
        raise ValueError("need at least one donor, and at least one gift per donor")
    found = existing_history(now)
    if found is not None:
        raise HistoryExists(found)
    rng = random.Random(seed)  # noqa: S311 - made-up data, the same for each seed
    lock_tables([*_TABLES, cast(Table, CampaignDonor.__table__)])
    drives = create_drives(now)
    plan = plan_history(rng, drives, donors, donations, now.timestamp())
    taken = db.session.scalars(select(Donor.email_key)).all()
    people = make_people(rng, donors + plan.strangers, taken)
    maker = RowMaker(rng, plan, drives, people, first_free_ids(_TABLES), now.timestamp())
    write_rows(_DONOR, DONOR_COLUMNS, maker.donor_rows(), progress)
    write_rows(_RECURRING, RECURRING_COLUMNS, maker.recurring_rows())
    write_rows(_DONATION, DONATION_COLUMNS, maker.donation_rows(), progress)
    write_rows(_PAYMENT, PAYMENT_COLUMNS, maker.payments)
    reset_sequences(_TABLES)

    for drive in drives:
        raised = maker.raised.get(drive.campaign.id, 0)
        if raised:
            # Past drives ended near their goal; the live one is on course for about its own.
            reach = rng.uniform(0.85, 1.25) if drive.share >= 1 else rng.uniform(0.9, 1.1)
            drive.campaign.goal_amount = nice_goal(raised / drive.share / reach)
    db.session.flush()
    if is_postgres():
        # Fresh statistics, so the first queries on a million new rows get sensible plans.
        db.session.execute(text("ANALYZE donor, recurring_gift, donation, payment"))
    return HistorySummary(
        campaigns=[drive.campaign.slug for drive in drives],
        donors=donors,
        donations=donations,
        monthly_gifts=len(plan.monthly),
        payments=len(maker.payments),
    )
