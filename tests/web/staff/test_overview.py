"""The overview: figures, charts and their tables, new and returning donors."""

import re

import pytest

from campaigns.models import Campaign, Frequency, Role
from campaigns.reports.overview import campaign_overview, daily_totals
from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se
from tests.payments.stripe_events import paid

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


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
    se.deliver_event(
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
