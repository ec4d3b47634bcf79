"""The demo campaign page in a real headless Chromium."""

import re

import pytest

from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def demo_path(live_server) -> str:
    slug = re.search(r"/campaigns/([\w-]+)", live_server.flask("demo").stdout).group(1)
    return f"/campaigns/{slug}"


def test_campaign_page_thermometer_and_accessibility(live_server, page) -> None:
    page.goto(live_server.url + demo_path(live_server))
    bar = page.get_by_role("progressbar")
    assert bar.get_attribute("aria-valuemin") == "0"
    assert bar.get_attribute("aria-valuemax") == "100"
    assert bar.get_attribute("aria-valuenow") == "0"
    assert bar.get_attribute("aria-valuetext") == "$0.00 raised, 0% of the goal"
    assert page.locator(".raised").inner_text() == "$0.00"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Urgent End Of Year Fundraising Campaign"
    )
    donate = page.get_by_role("link", name="Donate")
    assert donate.get_attribute("href").endswith("/donate")
    assert_accessible(page)
    assert page.console_errors == []


def test_index_and_narrow_screens(live_server, page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/")
    link = page.get_by_role("link", name="Urgent End Of Year Fundraising Campaign")
    link.click()
    page.wait_for_url(re.compile(r"/campaigns/eoy-\d{4}$"))
    # The progress card comes first on a phone, and nothing overflows sideways.
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    assert_accessible(page)
