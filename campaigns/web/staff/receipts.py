"""Staff resend a donor's receipt from the donor's page."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from ...emails.receipts import resend_receipt
from ...errors import ValidationError
from ...fundraising.gifts import get_donation
from ...models import Role
from ..refusals import flash_errors
from .access import me, requires
from .blueprint import bp


@bp.post("/donations/<int:donation_id>/resend-receipt")
@requires(Role.STAFF)
def resend_receipt_view(donation_id: int) -> Response:
    donation = get_donation(donation_id)
    if donation is None:
        abort(404)
    try:  # CSRFProtect has checked the form's token before this runs
        resend_receipt(donation, me())
    except ValidationError as exc:
        flash_errors(exc)
    else:
        flash(f"Receipt {donation.id} queued to {donation.email}.")
    back = url_for("staff.donor", donor_id=donation.donor_id) if donation.donor_id else None
    return redirect(back or request.referrer or url_for("staff.donations"), code=303)
