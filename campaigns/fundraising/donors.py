"""Finding the donor behind a gift: one record per email address."""

from __future__ import annotations

from ..db import upsert
from ..extensions import db
from ..models import Donor, normalize_email


def get_donor(donor_id: int) -> Donor | None:
    return db.session.get(Donor, donor_id)


def find_or_create_donor(
    email: str, name: str, *, newsletter: bool = False, stripe_customer_id: str | None = None
) -> int:
    """The id of the donor with this email (any case), created on first gift.

    A newer non-empty name wins; opting in to the newsletter is remembered, and leaving the
    box unticked on a later gift doesn't opt out. One statement, so two first gifts from the
    same person at once still make one donor.
    """

    return upsert(
        Donor,
        {
            "email": email.strip(),
            "email_key": normalize_email(email),
            "name": name.strip(),
            "newsletter": newsletter,
            "stripe_customer_id": stripe_customer_id,
        },
        conflict=("email_key",),
        update=(
            "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE donor.name END, "
            "newsletter = donor.newsletter OR excluded.newsletter, "
            "stripe_customer_id = COALESCE(excluded.stripe_customer_id, donor.stripe_customer_id)"
        ),
    )
