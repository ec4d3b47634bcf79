"""Offline gifts: recorded by staff, counted at once, voided (never deleted) when wrong."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ...errors import ValidationError
from ...forms.gifts import OfflineGiftForm, VoidForm
from ...fundraising.campaigns import list_campaigns
from ...fundraising.offline import OfflineGift, record_offline_gift, void_gift
from ...models import PaymentMethod, Role
from ..refusals import flash_errors, show_errors
from .access import me, requires
from .blueprint import bp


@bp.route("/gifts/new", methods=["GET", "POST"])
@requires(Role.STAFF)
def new_gift() -> Response | str | tuple[str, int]:
    form = OfflineGiftForm(list_campaigns())
    if form.validate_on_submit():
        gift = OfflineGift(
            campaign_id=form.campaign.data,
            amount=form.amount_minor,
            method=PaymentMethod(form.method.data),
            received_on=form.received_on.data,
            name=form.name.data,
            email=form.email.data,
            reference=form.reference.data or "",
            comment=form.comment.data or "",
        )
        try:
            donation = record_offline_gift(gift, me())
        except ValidationError as exc:
            show_errors(form, exc)
            return render_template("staff/gift_new.html", form=form), 400
        flash("The gift is recorded and counts in the campaign's totals.")
        return redirect(url_for("staff.donor", donor_id=donation.donor_id), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("staff/gift_new.html", form=form), status


@bp.post("/gifts/<int:donation_id>/void")
@requires(Role.STAFF)
def void(donation_id: int) -> Response | tuple[str, int]:
    form = VoidForm()
    if not form.validate_on_submit():
        flash("Say why the gift is void: " + " ".join(form.reason.errors))
        return redirect(url_for("staff.donations"), code=303)
    try:
        donation = void_gift(donation_id, form.reason.data, me())
    except ValidationError as exc:
        flash_errors(exc)
        return redirect(url_for("staff.donations"), code=303)
    flash("The gift is void and no longer counts.")
    return redirect(url_for("staff.donor", donor_id=donation.donor_id), code=303)
