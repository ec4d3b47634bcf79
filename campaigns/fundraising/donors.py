"""Finding the donor behind a gift: one record per email address."""

from __future__ import annotations

from ..models import Donor, normalize_email
from .locking import get_or_create_locked


def find_or_create_donor(
    email: str, name: str, *, newsletter: bool = False, stripe_customer_id: str | None = None
) -> Donor:
    """The donor with this email (any case), created on first gift; newer details win."""
    key = normalize_email(email)
    donor = get_or_create_locked(
        Donor,
        {"email_key": key},
        {"email": email.strip(), "name": name.strip(), "newsletter": newsletter},
    )
    if name.strip():
        donor.name = name.strip()
    # Opting in is remembered; leaving the box unticked on a later gift doesn't opt out.
    donor.newsletter = donor.newsletter or newsletter
    if stripe_customer_id:
        donor.stripe_customer_id = stripe_customer_id
    return donor
