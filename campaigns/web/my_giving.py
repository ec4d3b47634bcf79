"""/my-giving: donors see their gifts and receipts and manage a monthly gift, by emailed link.

Every page past the request form takes its signed link in the URL; an altered or expired link
gets a page to ask for a new one. Pages carry ``Referrer-Policy: no-referrer`` so the link
never leaks to Stripe's pages or anywhere else, and ``no-store`` so it isn't cached.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..donor_portal.history import (
    donor_monthly_gift,
    donor_paid_gift,
    monthly_gifts,
    paid_gifts,
    statement_years,
    year_statement,
)
from ..donor_portal.links import DonorAccess, LinkExpired, LinkInvalid, Purpose, max_age, read_token
from ..donor_portal.requests import send_giving_link
from ..donor_portal.statements import compose_statement
from ..emails.receipts import receipt_html
from ..errors import ValidationError
from ..extensions import limiter
from ..forms.my_giving import AmountForm, ButtonForm, LinkRequestForm
from ..models import Donor, RecurringGift
from ..money import AmountError, parse_amount
from ..payments.monthly_changes import cancel_monthly_gift, card_update_url, change_monthly_amount
from ..payments.stripe_api import PaymentServiceError

bp = Blueprint("my_giving", __name__, url_prefix="/my-giving")


class _BadLink(Exception):
    def __init__(self, expired: bool) -> None:
        self.expired = expired


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.errorhandler(_BadLink)
def _bad_link(error: _BadLink) -> tuple[str, int]:
    form = LinkRequestForm(formdata=None)
    return render_template("my_giving/bad_link.html", form=form, expired=error.expired), (
        410 if error.expired else 404
    )


def _access(purpose: Purpose, token: str) -> DonorAccess:
    try:
        return read_token(purpose, token)
    except LinkExpired:
        raise _BadLink(expired=True) from None
    except LinkInvalid:
        raise _BadLink(expired=False) from None


def _ip_limit() -> str:
    return str(current_app.config["MY_GIVING_RATE_LIMIT"])


def _email_limit() -> str:
    return str(current_app.config["MY_GIVING_EMAIL_RATE_LIMIT"])


def _email_key() -> str:
    return "my-giving-email:" + request.form.get("email", "").strip().lower()


@bp.route("", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
@limiter.limit(_email_limit, methods=["POST"], key_func=_email_key)
def request_link() -> str | tuple[str, int]:
    form = LinkRequestForm()
    if form.validate_on_submit():
        send_giving_link(form.email.data)
        minutes = max_age(Purpose.MANAGE) // 60
        return render_template("my_giving/sent.html", email=form.email.data, minutes=minutes)
    status = 400 if request.method == "POST" else 200
    return render_template("my_giving/request.html", form=form), status


def _manage_page(token: str, access: DonorAccess, amount_forms: dict[int, AmountForm]) -> str:
    donor = access.donor
    gifts = paid_gifts(donor.id)
    monthly = monthly_gifts(donor.id)
    return render_template(
        "my_giving/manage.html",
        token=token,
        donor=donor,
        gifts=gifts,
        monthly=monthly,
        years=statement_years(gifts),
        amount_forms={
            gift.id: amount_forms.get(gift.id) or AmountForm(formdata=None) for gift in monthly
        },
        button=ButtonForm(formdata=None),
    )


@bp.get("/<token>")
def manage(token: str) -> str:
    return _manage_page(token, _access(Purpose.MANAGE, token), {})


def _monthly(access: DonorAccess, gift_id: int) -> RecurringGift:
    gift = donor_monthly_gift(access.donor.id, gift_id)
    if gift is None:
        abort(404)
    return gift


def _back(token: str) -> Response:
    return redirect(url_for("my_giving.manage", token=token), code=303)


@bp.post("/<token>/monthly/<int:gift_id>/amount")
def change_amount(token: str, gift_id: int) -> Response | tuple[str, int]:
    access = _access(Purpose.MANAGE, token)
    gift = _monthly(access, gift_id)
    form = AmountForm()
    if form.validate_on_submit():
        try:
            amount = parse_amount(form.amount.data, gift.currency)
            change_monthly_amount(gift, amount)
        except AmountError as exc:
            form.amount.errors.append(str(exc).capitalize() + ".")
        except ValidationError as exc:
            form.amount.errors.extend(m.capitalize() + "." for m in exc.errors.values())
        except PaymentServiceError:
            current_app.logger.exception("changing monthly gift %s failed", gift.id)
            form.amount.errors.append("We couldn't reach our payment processor. Try again soon.")
        else:
            flash(
                "Thank you! Your new amount applies from your next payment; it shows here "
                "as soon as our payment processor confirms it."
            )
            return _back(token)
    return _manage_page(token, access, {gift.id: form}), 400


def _cancel(token: str, gift_id: int, *, keep: bool) -> Response:
    access = _access(Purpose.MANAGE, token)
    gift = _monthly(access, gift_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        cancel_monthly_gift(gift, keep=keep)
    except ValidationError:
        flash("This monthly gift has already ended.")
    except PaymentServiceError:
        current_app.logger.exception("canceling monthly gift %s failed", gift.id)
        flash("We couldn't reach our payment processor. Nothing changed; please try again soon.")
    else:
        flash(
            "Your monthly gift will continue. Thank you!"
            if keep
            else "Your monthly gift is canceled: nothing more will be charged after the month "
            "you have already given for. A confirmation is on its way by email."
        )
    return _back(token)


@bp.post("/<token>/monthly/<int:gift_id>/cancel")
def cancel(token: str, gift_id: int) -> Response:
    return _cancel(token, gift_id, keep=False)


@bp.post("/<token>/monthly/<int:gift_id>/keep")
def keep(token: str, gift_id: int) -> Response:
    return _cancel(token, gift_id, keep=True)


def _to_card_page(gift: RecurringGift, return_url: str) -> Response:
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        url = card_update_url(gift, return_url)
    except ValidationError:
        flash("This monthly gift has already ended.")
        return redirect(return_url, code=303)
    except PaymentServiceError:
        current_app.logger.exception("opening the card page for monthly gift %s failed", gift.id)
        flash("We couldn't reach our payment processor. Please try again soon.")
        return redirect(return_url, code=303)
    return redirect(url, code=303)


@bp.post("/<token>/monthly/<int:gift_id>/card")
def update_card(token: str, gift_id: int) -> Response:
    gift = _monthly(_access(Purpose.MANAGE, token), gift_id)
    base = current_app.config["PUBLIC_URL"]
    return _to_card_page(gift, f"{base}{url_for('my_giving.manage', token=token)}")


@bp.route("/card/<token>", methods=["GET", "POST"])
def card(token: str) -> Response | str:
    """The failed-payment email's link: one monthly gift, one button to Stripe's card page."""
    access = _access(Purpose.CARD, token)
    gift = _monthly(access, access.extra.get("g", 0))
    if request.method == "POST":
        base = current_app.config["PUBLIC_URL"]
        return _to_card_page(gift, f"{base}{url_for('my_giving.card', token=token)}")
    return render_template(
        "my_giving/card.html", donor=access.donor, gift=gift, button=ButtonForm(formdata=None)
    )


def _document(html: str) -> Response:
    return Response(html, content_type="text/html; charset=utf-8")


@bp.get("/<token>/receipts/<int:donation_id>")
def receipt(token: str, donation_id: int) -> Response:
    access = _access(Purpose.MANAGE, token)
    gift = donor_paid_gift(access.donor.id, donation_id)
    if gift is None:
        abort(404)
    return _document(receipt_html(gift))


def _statement_page(donor: Donor, year: int) -> Response:
    statement = year_statement(donor.id, year)
    if statement is None:
        abort(404)
    return _document(compose_statement(statement, link=None).html)


@bp.get("/<token>/statements/<int:year>")
def year_page(token: str, year: int) -> Response:
    return _statement_page(_access(Purpose.MANAGE, token).donor, year)


@bp.get("/statement/<token>")
def statement(token: str) -> Response:
    """The year-end email's link to its printable statement."""
    access = _access(Purpose.STATEMENT, token)
    return _statement_page(access.donor, access.extra.get("y", 0))
