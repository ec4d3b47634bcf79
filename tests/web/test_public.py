import re
from datetime import UTC, datetime, timedelta
from html import unescape

from campaigns.models import CampaignStatus
from tests.factories import make_campaign


def progressbar(html: str) -> dict[str, str]:
    match = re.search(r'<div class="thermometer-track" role="progressbar"(.*?)>', html, re.S)
    assert match, "no progress bar on the page"
    return dict(re.findall(r'(aria-[a-z]+)="([^"]*)"', match.group(1)))


def test_campaign_page_shows_goal_thermometer_and_donate_button(client, db) -> None:
    campaign = make_campaign()
    campaign.raised_amount = 1_234_550
    campaign.donor_count = 321
    db.commit()

    response = client.get("/campaigns/eoy-test")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Keep independent media alive</h1>" in html
    assert "<p>Online donations are back!</p>" in html
    assert "$50,000" in html
    assert "$12,345.50" in html
    assert '<dd class="donor-count">321</dd>' in html
    bar = progressbar(html)
    assert (bar["aria-valuemin"], bar["aria-valuemax"], bar["aria-valuenow"]) == ("0", "100", "24")
    assert unescape(bar["aria-valuetext"]) == "$12,345.50 raised, 24% of the goal"
    assert 'href="/campaigns/eoy-test/donate"' in html
    assert "29 days" in html
    assert re.search(r"Ends \w+day, \w+ \d+, \d{4} at \d+:\d\d [AP]M E[SD]T", html)


def test_new_campaign_shows_zero_raised(client) -> None:
    make_campaign()
    html = client.get("/campaigns/eoy-test").get_data(as_text=True)
    assert "$0.00" in html
    assert progressbar(html)["aria-valuenow"] == "0"


def test_bar_stops_at_full_when_the_goal_is_passed(client, db) -> None:
    campaign = make_campaign()
    campaign.raised_amount = 7_500_000
    db.commit()
    html = client.get("/campaigns/eoy-test").get_data(as_text=True)
    assert progressbar(html)["aria-valuenow"] == "100"
    assert "(150%)" in html


def test_draft_is_not_found_by_the_public(client) -> None:
    make_campaign(status=CampaignStatus.DRAFT)
    assert client.get("/campaigns/eoy-test").status_code == 404
    assert "eoy-test" not in client.get("/").get_data(as_text=True)


def test_unknown_campaign_is_a_404_page(client) -> None:
    response = client.get("/campaigns/nope")
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_ended_campaign_says_so_and_offers_no_donate_button(client) -> None:
    now = datetime.now(UTC)
    make_campaign(starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=1))
    html = client.get("/campaigns/eoy-test").get_data(as_text=True)
    assert "This campaign has ended" in html
    assert "/donate" not in html


def test_index_lists_live_campaigns_only(client) -> None:
    now = datetime.now(UTC)
    make_campaign(slug="live-one", title="Live one")
    make_campaign(slug="draft-one", title="Draft one", status=CampaignStatus.DRAFT)
    make_campaign(
        slug="past-one",
        title="Past one",
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=2),
    )
    html = client.get("/").get_data(as_text=True)
    assert "Live one" in html
    assert "Draft one" not in html
    assert "Past one" not in html


def test_text_is_escaped_not_rendered_as_html(client) -> None:
    make_campaign(
        title='<script>alert("t")</script>',
        description="<img src=x onerror=alert(1)>\n\n<b>bold</b>",
    )
    html = client.get("/campaigns/eoy-test").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html
