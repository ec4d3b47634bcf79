"""Donors, donations and monthly gifts: lists, filters, search, paging and a page per donor."""

import re
from datetime import date

import pytest

from campaigns.models import Role
from tests.factories import start_gift
from tests.payments import stripe_events as se
from tests.payments.stripe_events import paid

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def test_donations_list_filters(client, db, campaign, sign_in) -> None:
    paid(client, campaign, 5000, "pi_a", source="banner", variant="b", name="Ann Banner")
    refunded = paid(client, campaign, 3000, "pi_b", name="Bo Refund", email="bo@example.org")
    se.deliver_event(client, se.event("charge.refunded", se.charge("pi_b", 3000, 3000)))
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
    se.deliver_event(client, se.event("invoice.payment_failed", failed))
    past_due = client.get("/staff/monthly?status=past_due").get_data(as_text=True)
    assert "Ann Example" in past_due
    assert '<td class="num">1</td>' in past_due  # one failed payment to follow up
    assert "Ann Example" not in client.get("/staff/monthly?status=canceled").get_data(as_text=True)
