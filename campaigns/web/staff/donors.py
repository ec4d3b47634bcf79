"""Donors, donations and monthly gifts: lists with filters, and a page per donor."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template, request

from ...fundraising.campaigns import list_campaigns
from ...models import Frequency, RecurringStatus, Role, utcnow
from ...reports.donations import list_donations
from ...reports.donors import SORTS, donor_detail, search_donors
from ...reports.filters import DonationFilter, ShownStatus, shown_status
from ...reports.recurring import list_recurring, recurring_summary
from .access import requires
from .blueprint import bp


def page_number() -> int:
    """The ?page= number, 1 when missing or unreadable."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def donation_filter() -> DonationFilter:
    """The filter the query string describes; anything unreadable is simply not applied."""
    args = request.args
    campaign = args.get("campaign", "")
    status = args.get("status", "")
    frequency = args.get("frequency", "")
    offline = args.get("offline", "")
    return DonationFilter(
        campaign_id=int(campaign) if campaign.isdigit() else None,
        date_from=_day("from"),
        date_to=_day("to"),
        status=ShownStatus(status) if status in ShownStatus._value2member_map_ else None,
        frequency=Frequency(frequency) if frequency in Frequency._value2member_map_ else None,
        source=args.get("source", "")[:64] or None,
        variant=args.get("variant", "")[:32] or None,
        offline={"yes": True, "no": False}.get(offline),
    )


@bp.get("/donors")
@requires(Role.VIEWER)
def donors() -> str:
    query = request.args.get("q", "")[:200]
    sort = request.args.get("sort", "name")
    page = search_donors(query, sort if sort in SORTS else "name", page_number())
    return render_template("staff/donors.html", page=page, q=query, sort=sort, sorts=SORTS)


@bp.get("/donors/<int:donor_id>")
@requires(Role.VIEWER)
def donor(donor_id: int) -> str:
    detail = donor_detail(donor_id)
    if detail is None:
        abort(404)
    return render_template(
        "staff/donor.html",
        detail=detail,
        shown_status=shown_status,
        stripe_url=current_app.config["STRIPE_DASHBOARD_URL"],
    )


@bp.get("/donations")
@requires(Role.VIEWER)
def donations() -> str:
    criteria = donation_filter()
    return render_template(
        "staff/donations.html",
        page=list_donations(criteria, page_number()),
        criteria=criteria,
        campaigns=list_campaigns(),
        statuses=list(ShownStatus),
        shown_status=shown_status,
        stripe_url=current_app.config["STRIPE_DASHBOARD_URL"],
    )


@bp.get("/monthly")
@requires(Role.VIEWER)
def monthly() -> str:
    status = request.args.get("status", "")
    chosen = RecurringStatus(status) if status in RecurringStatus._value2member_map_ else None
    return render_template(
        "staff/monthly.html",
        summary=recurring_summary(utcnow()),
        page=list_recurring(chosen, page_number()),
        status=chosen,
        statuses=[RecurringStatus.ACTIVE, RecurringStatus.PAST_DUE, RecurringStatus.CANCELED],
    )
