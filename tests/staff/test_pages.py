"""What staff read and do: overview figures, lists and filters, offline gifts, campaign edits."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from campaigns.models import AuditEntry, Campaign, Donation, DonationStatus, Frequency, Role
from campaigns.reports.overview import campaign_overview, daily_totals
from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se
from tests.payments.ledger_state import recomputed_totals, totals
from tests.web.forms import csrf_token, submit

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def paid(client, campaign, amount, pi, **gift):
    donation = start_gift(campaign, amount, **gift)
    response = se.post_event(
        client,
        se.event(
            "checkout.session.completed",
            se.checkout_session(donation.id, amount, payment_intent=pi),
        ),
    )
    assert response.status_code == 200
    return donation


def test_overview_figures_and_chart_data(client, db, campaign, sign_in) -> None:
    paid(client, campaign, 5000, "pi_1", source="banner", variant="a")
    paid(client, campaign, 2500, "pi_2", email="bo@example.org", source="banner", variant="b")
    paid(client, campaign, 1500, "pi_3", email="cy@example.org", frequency=Frequency.MONTHLY)
    sign_in(Role.VIEWER)
    html = client.get("/staff/").get_data(as_text=True)
    assert '<dd class="figure-raised">$90.00</dd>' in html
    assert '<dd class="figure-donors">3</dd>' in html
    assert "3 new, 0 returning" in html
    assert "<svg" in html and "Raised against the goal" in html
    # The table alternative carries the same numbers as the charts.
    assert re.search(r"<td class=\"num\">3</td><td class=\"num\">\$90\.00</td>", html)
    assert '<td>banner</td><td>a</td><td class="num">1</td><td class="num">$50.00</td>' in html

    db.expire_all()
    fresh = db.get(Campaign, campaign.id)
    days = daily_totals(fresh)
    assert sum(day.amount for day in days) == 9000
    assert sum(day.gifts for day in days) == 3
    overview = campaign_overview(fresh, fresh.starts_at.replace(year=fresh.starts_at.year))
    assert overview.average_gift == 3000


def test_returning_donors_are_told_apart_from_new_ones(client, db, sign_in) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    last_year = make_campaign(
        slug="last-year", starts_at=now - timedelta(days=400), ends_at=now - timedelta(days=330)
    )
    donation = start_gift(last_year, 4000)
    # A gift to last year's campaign, paid back then.
    back_then = int((now - timedelta(days=350)).timestamp())
    se.post_event(
        client,
        se.event(
            "checkout.session.completed",
            se.checkout_session(donation.id, 4000, payment_intent="pi_old"),
            created=back_then,
        ),
    )
    this_year = make_campaign()
    paid(client, this_year, 1000, "pi_new1")  # same email: returning
    paid(client, this_year, 1000, "pi_new2", email="new@example.org")
    overview = campaign_overview(db.get(Campaign, this_year.id), now)
    assert (overview.new_donors, overview.returning_donors) == (1, 1)


def test_donations_list_filters(client, db, campaign, sign_in) -> None:
    paid(client, campaign, 5000, "pi_a", source="banner", variant="b", name="Ann Banner")
    refunded = paid(client, campaign, 3000, "pi_b", name="Bo Refund", email="bo@example.org")
    se.post_event(client, se.event("charge.refunded", se.charge("pi_b", 3000, 3000)))
    start_gift(campaign, 700, name="Cy Pending", email="cy@example.org")
    sign_in(Role.VIEWER)

    def names(query: str) -> set[str]:
        html = client.get("/staff/donations" + query).get_data(as_text=True)
        return set(re.findall(r"(Ann Banner|Bo Refund|Cy Pending)", html))

    assert names("") == {"Ann Banner", "Bo Refund", "Cy Pending"}
    assert names("?status=refunded") == {"Bo Refund"}
    assert names("?status=pending") == {"Cy Pending"}
    assert names("?status=paid") == {"Ann Banner"}
    assert names("?source=banner&variant=b") == {"Ann Banner"}
    assert names(f"?campaign={campaign.id}&from={date.today()}&to={date.today()}") == {
        "Ann Banner",
        "Bo Refund",
        "Cy Pending",
    }
    assert names("?from=2001-01-01&to=2001-01-31") == set()
    assert names("?status=bogus&from=not-a-date") == {"Ann Banner", "Bo Refund", "Cy Pending"}
    html = client.get("/staff/donations?status=refunded").get_data(as_text=True)
    assert "https://dashboard.stripe.com/test/payments/pi_b" in html
    assert refunded.id


def test_donor_search_sort_and_page(client, db, campaign, sign_in) -> None:
    paid(client, campaign, 5000, "pi_1", name="Zed Alpha", email="zed@example.org")
    paid(client, campaign, 9000, "pi_2", name="Amy Beta", email="amy@example.org")
    paid(client, campaign, 1000, "pi_3", name="Amy Beta", email="amy@example.org")
    sign_in(Role.VIEWER)
    html = client.get("/staff/donors?sort=total").get_data(as_text=True)
    assert html.index("Amy Beta") < html.index("Zed Alpha")
    assert "$100.00" in html  # Amy's lifetime giving, kept on the donor row
    assert "Zed Alpha" not in client.get("/staff/donors?q=amy").get_data(as_text=True)
    assert "Amy Beta" in client.get("/staff/donors?q=AMY@EX").get_data(as_text=True)
    donor_id = int(re.search(r"/staff/donors/(\d+)\">Amy Beta", html).group(1))
    page = client.get(f"/staff/donors/{donor_id}").get_data(as_text=True)
    assert '<dd class="figure-lifetime">$100.00</dd>' in page
    assert page.count("View in Stripe") == 2
    assert client.get("/staff/donors/999999").status_code == 404


def test_record_and_void_an_offline_gift(client, db, campaign, sign_in) -> None:
    sign_in(Role.STAFF)
    response = submit(
        client,
        "/staff/gifts/new",
        {
            "campaign": str(campaign.id),
            "amount": "250",
            "method": "check",
            "received_on": date.today().isoformat(),
            "reference": "1042",
            "name": "Dee Check",
            "email": "dee@example.org",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert totals() == (25000, 1, 1) == recomputed_totals()
    gift = db.scalar(select(Donation))
    assert (gift.method.value, gift.reference, gift.offline) == ("check", "1042", True)

    donor_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "check 1042" in donor_page
    voided = client.post(
        f"/staff/gifts/{gift.id}/void",
        data={"csrf_token": csrf_token(client, "/staff/donations"), "reason": "bounced"},
    )
    assert voided.status_code == 303
    assert totals() == (0, 0, 0) == recomputed_totals()
    db.expire_all()
    assert db.get(Donation, gift.id).status is DonationStatus.VOIDED  # kept, never deleted
    actions = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["gift.recorded", "gift.voided"]


def test_offline_gift_form_errors_write_nothing(client, db, campaign, sign_in) -> None:
    sign_in(Role.STAFF)
    response = submit(
        client,
        "/staff/gifts/new",
        {
            "campaign": str(campaign.id),
            "amount": "abc",
            "method": "check",
            "received_on": "2999-01-01",
            "name": "<b>x</b>",
            "email": "nope",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter an amount as a number" in html
    assert "Please leave out the &lt; and &gt; characters." in html
    assert db.scalar(select(Donation.id)) is None


def test_card_gifts_cannot_be_voided(client, db, campaign, sign_in) -> None:
    gift = paid(client, campaign, 1000, "pi_card")
    sign_in(Role.STAFF)
    client.post(
        f"/staff/gifts/{gift.id}/void",
        data={"csrf_token": csrf_token(client, "/staff/donations"), "reason": "oops"},
    )
    assert totals() == (1000, 1, 1)


def test_goal_change_is_audited(client, db, campaign, sign_in) -> None:
    sign_in(Role.ADMIN)
    form = client.get(f"/staff/campaigns/{campaign.id}/edit").get_data(as_text=True)
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    values.update(
        goal="75,000", status="live", default_frequency="one_time", previous="0", description=""
    )
    response = client.post(f"/staff/campaigns/{campaign.id}/edit", data=values)
    assert response.status_code == 303, response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Campaign, campaign.id).goal_amount == 7_500_000
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.goal_changed"))
    assert entry.details["goal_amount"] == {"from": 5_000_000, "to": 7_500_000}
    assert entry.actor == "admin@example.org"
    assert "campaign.goal_changed" in client.get("/staff/audit").get_data(as_text=True)


def test_bad_campaign_edit_is_refused_field_by_field(client, db, campaign, sign_in) -> None:
    sign_in(Role.ADMIN)
    form = client.get(f"/staff/campaigns/{campaign.id}/edit").get_data(as_text=True)
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    values.update(
        goal="0", ends="2001-01-01 00:00", status="live", default_frequency="one_time", previous="0"
    )
    response = client.post(f"/staff/campaigns/{campaign.id}/edit", data=values)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter an amount greater than zero." in html
    db.expire_all()
    assert db.get(Campaign, campaign.id).goal_amount == 5_000_000


def test_admin_creates_and_demotes_accounts(client, db, sign_in) -> None:
    admin = sign_in(Role.ADMIN)
    created = submit(
        client,
        "/staff/accounts",
        {
            "email": "new@example.org",
            "name": "New",
            "role": "viewer",
            "password": "long enough password",
        },
    )
    assert created.status_code == 303
    html = client.get("/staff/accounts").get_data(as_text=True)
    assert "new@example.org" in html
    # An admin can't lock themselves out.
    client.post(
        f"/staff/accounts/{admin.id}",
        data={"csrf_token": csrf_token(client, "/staff/accounts"), "role": "viewer", "active": "y"},
    )
    assert client.get("/staff/accounts").status_code == 200


def test_monthly_gifts_page_shows_revenue_and_who_to_follow_up(
    client, db, campaign, sign_in
) -> None:
    from tests.payments.stripe_events import start_monthly

    gift = start_monthly(client, campaign)
    failed = se.invoice(
        gift.id,
        "sub_1",
        1500,
        billing_reason="subscription_cycle",
        payment_intent=None,
        invoice_id="in_2",
        status="open",
    )
    sign_in(Role.VIEWER)
    html = client.get("/staff/monthly").get_data(as_text=True)
    assert '<dd class="figure-active">1</dd>' in html
    assert '<dd class="figure-mrr">$15.00</dd>' in html
    se.post_event(client, se.event("invoice.payment_failed", failed))
    past_due = client.get("/staff/monthly?status=past_due").get_data(as_text=True)
    assert "Ann Example" in past_due
    assert '<td class="num">1</td>' in past_due  # one failed payment to follow up
    assert "Ann Example" not in client.get("/staff/monthly?status=canceled").get_data(as_text=True)
