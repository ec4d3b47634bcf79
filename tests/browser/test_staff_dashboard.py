"""A staff member signs in with a real browser and reads the overview."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "a browser passphrase"


@pytest.fixture(scope="module")
def staff_email(live_server) -> str:
    email = "browser-admin@example.org"
    live_server.flask(
        "staff", "create", email, "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
    )
    return email


def test_sign_in_and_read_the_overview(live_server, page, staff_email) -> None:
    page.goto(f"{live_server.url}/staff/donors")
    assert "/staff/login" in page.url
    assert_accessible(page)
    page.get_by_label("Email").fill(staff_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/donors$"))

    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(re.compile(r"/staff/$"))
    heading = page.get_by_role("heading", level=2).first
    assert "Urgent End Of Year Fundraising Campaign" in heading.inner_text()
    assert re.fullmatch(r"\$[\d,]+\.\d\d", page.locator(".figure-raised").first.inner_text())
    assert page.locator("figure.chart svg").count() >= 3
    page.get_by_text("Daily totals as a table").click()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)
    for path in ("/staff/donations", "/staff/monthly", "/staff/campaigns", "/staff/accounts"):
        page.goto(live_server.url + path)
        assert_accessible(page)
    assert page.console_errors == []
