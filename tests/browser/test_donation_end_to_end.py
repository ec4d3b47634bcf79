"""A donor's whole path in Chromium: donate page, the sandbox's Checkout, thanks, the new total."""

import re

import pytest

from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def test_donate_with_4242_and_see_the_campaign_total_move(live_server, page) -> None:
    slug = re.search(r"/campaigns/([\w-]+)", live_server.flask("demo").stdout).group(1)
    page.goto(f"{live_server.url}/campaigns/{slug}")
    before = page.locator(".raised").inner_text()

    page.get_by_role("link", name="Donate").click()
    page.get_by_label("One time").check()
    page.get_by_label("Amount").fill("42")
    page.get_by_label("Full name").fill("Ann Example")
    page.get_by_label("Email").fill("ann@example.org")
    page.get_by_role("button", name="Donate $42.00").click()

    # The sandbox's hosted Checkout, on its own origin.
    page.wait_for_url(f"{live_server.sandbox_url}/checkout/*")
    assert page.locator("#email").input_value() == "ann@example.org"
    assert_accessible(page)
    page.locator("#cardNumber").fill("4242 4242 4242 4242")
    page.locator("#cardExpiry").fill("12 / 34")
    page.locator("#cardCvc").fill("123")
    page.locator("#billingName").fill("Ann Example")
    page.get_by_role("button", name="Donate").click()

    page.wait_for_url(re.compile(rf"{live_server.url}/campaigns/{slug}/thanks\?session_id=cs_"))
    page.get_by_text("Thank you, Ann Example!").wait_for(timeout=15_000)
    assert page.locator(".gift-amount").inner_text() == "$42.00"
    assert_accessible(page)

    page.goto(f"{live_server.url}/campaigns/{slug}")
    assert before == "$0.00"
    assert page.locator(".raised").inner_text() == "$42.00"
    assert page.locator(".donor-count").inner_text() == "1"
    assert page.console_errors == []
