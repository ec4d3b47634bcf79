"""The donations list."""

from __future__ import annotations

from sqlalchemy import Row, select
from sqlalchemy.orm import joinedload

from ..models import Donation
from .filters import DonationFilter
from .paging import Page, page_of


def list_donations(criteria: DonationFilter, page: int = 1) -> Page[Row[tuple[Donation]]]:
    query = (
        select(Donation)
        .options(joinedload(Donation.campaign), joinedload(Donation.donor))
        .order_by(Donation.created_at.desc(), Donation.id.desc())
    )
    return page_of(criteria.apply(query), page)
