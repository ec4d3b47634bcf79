"""The donor list and a donor's page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, func, or_, select

from ..extensions import db
from ..models import Donation, Donor, RecurringGift
from .paging import Page, page_of

SORTS = {
    "name": (Donor.name, Donor.id),
    "email": (Donor.email_key,),
    "total": (Donor.lifetime_amount.desc(), Donor.id),
    "last_gift": (Donor.last_gift_at.desc().nulls_last(), Donor.id),
    "newest": (Donor.id.desc(),),
}


def donor_search(text: str | None) -> list[ColumnElement[bool]]:
    """Name or email containing the words, in any case; shared by the list and its export."""
    words = (text or "").strip().lower()
    if not words:
        return []
    pattern = f"%{words.replace('%', '').replace('_', '')}%"
    return [or_(func.lower(Donor.name).like(pattern), Donor.email_key.like(pattern))]


def search_donors(text: str = "", sort: str = "name", page: int = 1) -> Page[Row[tuple[Donor]]]:
    """Donors whose name or email contains ``text`` (any case), in the chosen order."""
    query = select(Donor).where(*donor_search(text))
    return page_of(query.order_by(*SORTS.get(sort, SORTS["name"])), page)


@dataclass(frozen=True)
class DonorDetail:
    donor: Donor
    gifts: list[Donation]
    monthly: list[RecurringGift]


def donor_detail(donor_id: int) -> DonorDetail | None:
    donor = db.session.get(Donor, donor_id)
    if donor is None:
        return None
    gifts = db.session.scalars(
        select(Donation)
        .where(Donation.donor_id == donor_id)
        .order_by(Donation.created_at.desc())
        .limit(500)
    )
    monthly = db.session.scalars(
        select(RecurringGift).where(RecurringGift.donor_id == donor_id).order_by(RecurringGift.id)
    )
    return DonorDetail(donor=donor, gifts=list(gifts), monthly=list(monthly))
