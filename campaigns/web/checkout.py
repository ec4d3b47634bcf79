"""The donate page, the hand-off to Stripe Checkout, and the thank-you page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from ..db import try_checkpoint
from ..forms.donate import DonateForm
from ..fundraising.campaigns import find_public_campaign
from ..fundraising.fees import campaign_fee
from ..fundraising.gifts import (
    attach_checkout_session,
    donation_for_session,
    resumable_donation,
    start_donation,
)
from ..fundraising.progress import campaign_progress
from ..models import Campaign, Donation, DonationStatus, Frequency, utcnow
from ..money import major_text
from ..payments.stripe_api import (
    CheckoutRequest,
    PaymentServiceError,
    create_checkout_session,
    expire_checkout_session,
    retrieve_checkout_session,
)

bp = Blueprint("checkout", __name__)


def _resume_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="donate-resume")


def _campaign_or_404(slug: str) -> Campaign:
    campaign = find_public_campaign(slug)
    if campaign is None:
        abort(404)
    return campaign


def _prefill(campaign: Campaign) -> dict[str, Any]:
    """Form values from a link (banner, email) or from a Checkout the donor backed out of."""
    args = request.args
    if token := args.get("resume"):
        try:
            donation = resumable_donation(int(_resume_serializer().loads(token)), campaign.id)
        except (BadSignature, ValueError):
            donation = None
        if donation is not None:
            return {
                "amount": major_text(donation.amount, donation.currency),
                "frequency": donation.frequency.value,
                "cover_fees": donation.fee_amount > 0,
                "name": donation.name,
                "email": donation.email,
                "anonymous": donation.anonymous,
                "dedication": donation.dedication,
                "comment": donation.comment,
                "newsletter": donation.newsletter,
                "source": donation.source,
                "variant": donation.variant,
            }
    frequency = args.get("frequency", campaign.default_frequency.value)
    default_amount = (
        campaign.preset_amounts[1 if len(campaign.preset_amounts) > 2 else 0]
        if (campaign.preset_amounts)
        else None
    )
    amount = args.get("amount") or (
        major_text(default_amount, campaign.currency) if default_amount else ""
    )
    return {
        "amount": amount[:32],
        "frequency": frequency if frequency in {f.value for f in Frequency} else None,
        "cover_fees": args.get("cover_fees") in ("1", "true", "on"),
        "source": args.get("source", "")[:32],
        "variant": args.get("variant", "")[:32],
    }


def _render(campaign: Campaign, form: DonateForm, *, payment_error: bool = False) -> str:
    return render_template(
        "campaigns/donate.html",
        campaign=campaign,
        progress=campaign_progress(campaign, utcnow()),
        form=form,
        payment_error=payment_error,
        sample_fee=campaign_fee(campaign, form.amount_minor or 0) if form.amount_minor else 0,
    )


def _checkout_request(campaign: Campaign, donation: Donation) -> CheckoutRequest:
    base = current_app.config["PUBLIC_URL"]
    monthly = donation.frequency is Frequency.MONTHLY
    token = _resume_serializer().dumps(donation.id)
    what = "Monthly donation" if monthly else "Donation"
    return CheckoutRequest(
        donation_id=donation.id,
        campaign_slug=campaign.slug,
        product_name=f"{what} to {campaign.title}",
        amount=donation.total_amount,
        currency=donation.currency,
        monthly=monthly,
        email=donation.email,
        success_url=f"{base}/campaigns/{campaign.slug}/thanks?session_id={{CHECKOUT_SESSION_ID}}",
        cancel_url=f"{base}{url_for('checkout.donate', slug=campaign.slug, resume=token)}",
        source=donation.source,
        variant=donation.variant,
        description=f"{what} to {current_app.config['ORGANIZATION_NAME']}: {campaign.title}",
    )


@bp.route("/campaigns/<slug>/donate", methods=["GET", "POST"])
def donate(slug: str) -> Response | str | tuple[str, int]:
    campaign = _campaign_or_404(slug)
    if not campaign_progress(campaign, utcnow()).stage.takes_gifts:
        return render_template(
            "campaigns/closed.html",
            campaign=campaign,
            progress=campaign_progress(campaign, utcnow()),
        ), (200 if request.method == "GET" else 409)
    if request.method == "GET":
        form = DonateForm(campaign, formdata=None, data=_prefill(campaign))
        form.validate_amount_quietly()
        return _render(campaign, form)

    form = DonateForm(campaign)
    if not form.validate_on_submit():
        return _render(campaign, form), 400

    donation = start_donation(campaign, form.gift_request())
    checkout = _checkout_request(campaign, donation)
    # The pending gift is committed before Stripe hears of it, so its webhook always finds it.
    if not try_checkpoint():
        return _render(campaign, form, payment_error=True), 503
    try:
        session = create_checkout_session(checkout)
    except PaymentServiceError:
        current_app.logger.exception("checkout session for donation %s failed", donation.id)
        return _render(campaign, form, payment_error=True), 503
    attach_checkout_session(checkout.donation_id, session.id)
    if not try_checkpoint():
        # Nobody pays into a session we could not link: close it, and let the donor retry.
        _expire_quietly(session.id)
        return _render(campaign, form, payment_error=True), 503
    if not session.url:
        return _render(campaign, form, payment_error=True), 503
    return redirect(session.url, code=303)


def _expire_quietly(session_id: str) -> None:
    try:
        expire_checkout_session(session_id)
    except PaymentServiceError:
        # Its webhook still finds the gift by the id in its metadata, should it be paid.
        current_app.logger.exception("could not expire unlinked checkout session %s", session_id)


@bp.get("/campaigns/<slug>/thanks")
def thanks(slug: str) -> str:
    campaign = _campaign_or_404(slug)
    session_id = request.args.get("session_id", "")
    if not session_id.startswith("cs_") or len(session_id) > 255:
        abort(404)
    try:
        session = retrieve_checkout_session(session_id)
    except PaymentServiceError:
        session = None
        unreachable = True
    else:
        unreachable = False
        if session is None or session.metadata.get("campaign") != campaign.slug:
            abort(404)
    donation = donation_for_session(session_id)
    confirmed = donation is not None and donation.status is DonationStatus.PAID
    return render_template(
        "campaigns/thanks.html",
        campaign=campaign,
        donation=donation,
        session=session,
        confirmed=confirmed,
        unreachable=unreachable,
        checks=int(request.args.get("check", "0"))
        if request.args.get("check", "").isdigit()
        else 0,
    )
