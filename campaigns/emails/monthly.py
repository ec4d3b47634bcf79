"""Emails about monthly gifts: a welcome, a failed payment, a cancellation."""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..models import Donation, Donor, EmailKind, RecurringGift, RecurringStatus
from ..urls import public_urls
from .compose import compose, money
from .outbox import enqueue, is_queued


def _donor(gift: RecurringGift) -> Donor | None:
    return db.session.get(Donor, gift.donor_id) if gift.donor_id is not None else None


def queue_welcome(gift: RecurringGift, first: Donation) -> None:
    """Welcome a new monthly donor, once per monthly gift."""
    key = f"welcome:recurring:{gift.id}"
    if not first.email or is_queued(key):
        return
    composed = compose(
        "welcome",
        name=first.name,
        amount=money(gift.amount, gift.currency),
        campaign=first.campaign.title,
        manage_url=public_urls().giving_request(),
    )
    enqueue(
        EmailKind.WELCOME,
        key,
        composed,
        to_address=first.email,
        to_name=first.name,
        donor_id=first.donor_id,
        donation_id=first.id,
    )


def queue_payment_failed(gift: RecurringGift, donation: Donation) -> None:
    """Ask the donor to update their card, once per failed monthly invoice."""
    key = f"payment_failed:donation:{donation.id}"
    if not donation.email or is_queued(key):
        return
    urls = public_urls()
    card_url = (
        urls.card_link(gift.donor_id, gift.id)
        if gift.donor_id is not None
        else urls.giving_request()
    )
    composed = compose(
        "payment_failed",
        name=donation.name,
        amount=money(donation.total_amount, donation.currency),
        campaign=donation.campaign.title,
        card_url=card_url,
        card_days=int(current_app.config["CARD_LINK_SECONDS"]) // 86400,
    )
    enqueue(
        EmailKind.PAYMENT_FAILED,
        key,
        composed,
        to_address=donation.email,
        to_name=donation.name,
        donor_id=gift.donor_id,
        donation_id=donation.id,
    )


def queue_cancellation(gift: RecurringGift) -> None:
    """Confirm that a monthly gift stops, once per cancellation Stripe reports.

    Keyed on the cancellation's time, so the "will end" update and the "ended" deletion that
    follows it make one email; a gift that never had a paid month (no donor yet) gets none.
    """
    ending = gift.cancel_at_period_end or gift.status is RecurringStatus.CANCELED
    donor = _donor(gift)
    if not ending or gift.canceled_at is None or donor is None:
        return
    key = f"cancellation:recurring:{gift.id}:{int(gift.canceled_at.timestamp())}"
    if is_queued(key):
        return
    ended = gift.status is RecurringStatus.CANCELED
    composed = compose(
        "cancellation",
        name=donor.name,
        amount=money(gift.amount, gift.currency),
        campaign=gift.campaign.title,
        ended=ended,
        ends_at=None if ended else gift.next_charge_at,
        zone=gift.campaign.timezone,
        restart_url=public_urls().home(),
    )
    enqueue(
        EmailKind.CANCELLATION,
        key,
        composed,
        to_address=donor.email,
        to_name=donor.name,
        donor_id=donor.id,
    )
