"""The donate form in a real browser: presets, the honest button label, accessibility."""

import re

import pytest

from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def donate_url(live_server) -> str:
    slug = re.search(r"/campaigns/([\w-]+)", live_server.flask("demo").stdout).group(1)
    return f"{live_server.url}/campaigns/{slug}/donate"


def test_button_states_total_and_frequency_as_the_donor_changes_the_form(live_server, page):
    page.goto(donate_url(live_server) + "?frequency=one_time")
    button = page.locator("button.donate-submit")
    page.get_by_role("link", name="$100").click()
    assert page.get_by_label("Amount").input_value() == "100"
    assert button.inner_text() == "Donate $100.00"
    page.get_by_label("Monthly").check()
    assert button.inner_text() == "Donate $100.00 / month"
    page.get_by_label("Cover the processing fee").check()
    assert button.inner_text() == "Donate $103.30 / month"
    page.get_by_label("Amount").fill("1,000")
    assert button.inner_text() == "Donate $1,030.18 / month"
    page.get_by_label("Amount").fill("abc")
    assert button.inner_text() == "Donate"
    assert page.console_errors == []


def test_errors_are_shown_next_to_fields_and_the_page_is_accessible(live_server, page):
    page.goto(donate_url(live_server))
    assert_accessible(page)
    page.get_by_label("Amount").fill("0.001")
    page.get_by_label("Email").fill("not-an-email")
    page.locator("button.donate-submit").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.inner_text().startswith("Please check the fields")
    assert "decimal places" in page.locator("#amount-error").inner_text()
    assert page.get_by_label("Amount").get_attribute("aria-invalid") == "true"
    assert "email address like" in page.locator("#email-error").inner_text()
    assert page.get_by_label("Full name").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
