"""The embedded banner in headless Chromium, on a host page of another origin."""

import itertools
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from campaigns import create_app
from campaigns.config import normalize_database_url
from campaigns.db import unit_of_work
from campaigns.demo.embed_page import serve_in_thread
from campaigns.extensions import db as _db
from campaigns.fundraising.banner_settings import BannerChanges, change_banner, set_copy
from campaigns.fundraising.campaigns import find_campaign
from campaigns.models import BannerAfterEnd, BannerEventCount, Stage
from tests.factories import make_campaign
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser

BANNER = "campaign-banner"
DRAWN = """() => {
  const host = document.querySelector("campaign-banner");
  return !!(host && host.shadowRoot && host.shadowRoot.querySelector(".b"));
}"""
_slugs = itertools.count(1)


@pytest.fixture(scope="session")
def live_app(live_server) -> Iterator[Any]:
    """An app on the live server's database, to set campaigns up without a CLI round trip."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalize_database_url(live_server.env["DATABASE_URL"]),
            "PUBLIC_URL": live_server.url,
        }
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def host(live_server) -> Iterator[str]:
    """The demo host page, served from another origin than the app's."""
    server = serve_in_thread(live_server.url)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def new_campaign(
    live_app,
    *,
    title: str = "Keep independent media alive",
    starts_in: timedelta = timedelta(days=-10),
    ends_in: timedelta = timedelta(days=30),
    changes: BannerChanges | None = None,
    copies: tuple[tuple[Stage, str, dict[str, str]], ...] = (),
) -> tuple[str, datetime]:
    """A live campaign on the live server; returns its slug and deadline."""
    slug = f"widget-{next(_slugs)}"
    now = datetime.now(UTC).replace(microsecond=0)
    with live_app.app_context():
        campaign = make_campaign(
            slug=slug, title=title, starts_at=now + starts_in, ends_at=now + ends_in
        )
        with unit_of_work():
            campaign = find_campaign(slug)
            change_banner(campaign, changes or BannerChanges(impression_sample=1))
            for stage, variant, fields in copies:
                set_copy(campaign, stage, variant, **fields)
        return slug, campaign.ends_at


def counts(live_app, slug: str) -> dict[str, int]:
    with live_app.app_context():
        campaign_id = find_campaign(slug).id
        rows = _db.session.scalars(
            select(BannerEventCount).where(BannerEventCount.campaign_id == campaign_id)
        ).all()
        totals: dict[str, int] = {}
        for row in rows:
            totals[row.kind.value] = totals.get(row.kind.value, 0) + row.events
        _db.session.remove()
        return totals


def wait_for_counts(live_app, slug: str, expected: dict[str, int]) -> None:
    deadline = time.monotonic() + 10
    while (found := counts(live_app, slug)) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert found == expected


def warnings_of(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if msg.type == "warning" else None)
    return found


def shadow(page, script: str) -> Any:
    """Evaluate ``script`` (an expression over ``root``) in the banner's shadow root."""
    return page.evaluate(
        f"() => {{ const root = document.querySelector('{BANNER}').shadowRoot; return {script}; }}"
    )


def script_errors(page) -> list[str]:
    """Console errors that are not the browser's own note of a failed request."""
    return [e for e in page.console_errors if not e.startswith("Failed to load resource")]


def test_banner_draws_on_another_origin_with_figures_countdown_and_link(
    live_server, live_app, host, page
) -> None:
    slug, _ = new_campaign(live_app)
    with live_app.app_context(), unit_of_work():
        find_campaign(slug).raised_amount = 1_234_550
    page.goto(f"{host}/?campaign={slug}")
    region = page.get_by_role("region", name="Keep independent media alive")
    expect(region).to_be_visible()
    assert page.locator(f"{BANNER} .d").inner_text().startswith("Reader donations")
    bar = page.get_by_role("progressbar", name="Campaign progress")
    assert bar.get_attribute("aria-valuenow") == "24"
    assert bar.get_attribute("aria-valuetext") == "$12,345 raised of $50,000 (24%)"
    assert page.locator(f"{BANNER} .r").inner_text() == "$12,345 raised of $50,000"
    assert re.fullmatch(r"29 days 23 hours left", page.locator(f"{BANNER} .n").inner_text())
    link = page.get_by_role("link", name="Donate")
    assert link.get_attribute("href") == (
        f"{live_server.url}/campaigns/{slug}/donate?source=banner&variant=a"
    )
    # Drawn as an overlay along the bottom of the window, in a shadow root of its own.
    box = page.locator(BANNER).bounding_box()
    assert box["y"] + box["height"] == pytest.approx(page.viewport_size["height"], abs=1)
    assert page.evaluate(f"document.querySelector('{BANNER}').shadowRoot.mode") == "open"
    assert page.evaluate("document.cookie") == ""
    assert_accessible(page)
    assert page.console_errors == []


def test_figures_follow_the_visitors_locale_and_colours_the_staff_chose(
    live_app, host, browser
) -> None:
    changes = BannerChanges(background="#ffffff", text="#102a43", accent="#1a4d8f")
    slug, _ = new_campaign(live_app, changes=changes)
    with live_app.app_context(), unit_of_work():
        find_campaign(slug).raised_amount = 1_234_550
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{host}/?campaign={slug}")
    expect(page.locator(f"{BANNER} .r")).to_have_text("12.345 $ raised of 50.000 $")
    colours = shadow(
        page,
        "(s => [s.backgroundColor, s.color])(getComputedStyle(root.querySelector('.b')))",
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(16, 42, 67)"]
    button = shadow(page, "getComputedStyle(root.querySelector('.c')).backgroundColor")
    assert button == "rgb(26, 77, 143)"
    context.close()


def test_countdown_ticks_and_shows_seconds_in_the_final_stage(live_app, host, page) -> None:
    slug, ends = new_campaign(live_app)
    start = ends - timedelta(days=2, hours=5, minutes=30)
    # Paused: on a busy machine real seconds would otherwise slip past the exact assertions.
    page.clock.install(time=start - timedelta(seconds=1))
    page.clock.pause_at(start)
    page.goto(f"{host}/?campaign={slug}")
    countdown = page.locator(f"{BANNER} .n")
    expect(countdown).to_have_text("2 days 5 hours left")
    page.clock.fast_forward("02:00:00")
    expect(countdown).to_have_text("2 days 3 hours left")
    page.clock.fast_forward("05:30:00")  # 46 hours left: the final stage
    expect(countdown).to_have_text("46h 00m 00s left")
    page.clock.run_for(2000)
    expect(countdown).to_have_text("45h 59m 58s left")


def test_an_upcoming_campaign_counts_down_to_its_start_then_opens(live_app, host, page) -> None:
    slug, ends = new_campaign(live_app, starts_in=timedelta(days=2), ends_in=timedelta(days=40))
    starts = ends - timedelta(days=38)
    page.clock.install(time=starts - timedelta(minutes=10))
    page.goto(f"{host}/?campaign={slug}")
    expect(page.locator(f"{BANNER} section")).to_have_class("b s-upcoming")
    expect(page.locator(f"{BANNER} .n")).to_have_text("Starts in 10 minutes")
    expect(page.get_by_role("progressbar")).to_be_hidden()
    expect(page.get_by_role("link", name="Learn more")).to_be_visible()
    page.clock.fast_forward("11:00")
    expect(page.locator(f"{BANNER} section")).to_have_class("b s-normal")
    expect(page.locator(f"{BANNER} .n")).to_have_text("37 days 23 hours left")
    expect(page.get_by_role("link", name="Donate")).to_be_visible()


def test_stage_switches_when_the_clock_moves(live_app, host, page) -> None:
    slug, ends = new_campaign(live_app)
    urgent, final = ends - timedelta(days=7), ends - timedelta(hours=48)
    page.clock.install(time=urgent - timedelta(seconds=5))
    page.goto(f"{host}/?campaign={slug}&placement=top")
    box = page.locator(f"{BANNER} section")
    headline = page.locator(f"{BANNER} .h")
    expect(box).to_have_class("b s-normal")
    expect(headline).to_have_text("Keep independent media alive")

    page.clock.fast_forward(10_000)
    expect(box).to_have_class("b s-urgent")
    expect(headline).to_have_text("Urgent: our year-end campaign ends soon")
    expect(page.get_by_role("link", name="Donate now")).to_be_visible()

    page.clock.fast_forward(int((final - urgent).total_seconds() * 1000))
    expect(box).to_have_class("b s-final")
    expect(headline).to_have_text("Final hours to reach our goal")
    expect(page.locator(f"{BANNER} .n")).to_have_text(re.compile(r"^47h 59m 5\ds left$"))
    # The final stage turns the palette round; its contrast must hold too.
    assert shadow(page, "getComputedStyle(root.querySelector('.b')).backgroundColor") == (
        "rgb(179, 38, 30)"
    )
    assert_accessible(page)

    page.clock.fast_forward(int(timedelta(hours=48).total_seconds() * 1000))
    expect(box).to_have_class("b s-ended")
    expect(headline).to_have_text("Thank you")
    expect(page.locator(f"{BANNER} .n")).to_have_text("")
    assert page.console_errors == []


def test_after_the_deadline_it_can_show_nothing(live_app, host, page) -> None:
    changes = BannerChanges(after_end=BannerAfterEnd.HIDE, impression_sample=1)
    slug, ends = new_campaign(live_app, changes=changes)
    page.clock.install(time=ends - timedelta(seconds=3))
    page.goto(f"{host}/?campaign={slug}")
    expect(page.locator(f"{BANNER} section")).to_have_class("b s-final")
    page.clock.fast_forward(5000)
    expect(page.locator(BANNER)).to_have_count(0)


def test_closing_hides_it_for_the_dismissal_days_across_reloads(live_app, host, browser) -> None:
    slug, _ = new_campaign(live_app)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{host}/?campaign={slug}")
    page.get_by_role("button", name="Close").click()
    expect(page.locator(BANNER)).to_have_count(0)
    until = page.evaluate(f"localStorage.getItem('campaign-banner:{slug}:hide')")
    days = (int(until) / 1000 - time.time()) / 86400
    assert 13.9 < days <= 14

    with page.expect_request(re.compile(r"/site\.js$")):
        page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator(BANNER)).to_have_count(0)
    assert page.evaluate("document.cookie") == ""

    # Fifteen days on, the campaign still running, it is back.
    later = context.new_page()
    later.clock.install(time=datetime.now(UTC) + timedelta(days=15))
    later.goto(f"{host}/?campaign={slug}")
    expect(later.locator(BANNER)).to_have_count(1)
    context.close()


def test_donating_hides_it_for_the_rest_of_the_campaign(live_server, live_app, host, page):
    slug, ends = new_campaign(live_app)
    page.goto(f"{host}/?campaign={slug}")
    page.get_by_role("link", name="Donate").click()
    page.wait_for_url(f"{live_server.url}/campaigns/{slug}/donate?source=banner&variant=a")
    page.go_back()
    page.wait_for_load_state("networkidle")
    expect(page.locator(BANNER)).to_have_count(0)
    until = page.evaluate(f"localStorage.getItem('campaign-banner:{slug}:hide')")
    assert int(until) == int(ends.timestamp() * 1000)


def test_beacons_are_counted(live_app, host, browser) -> None:
    slug, _ = new_campaign(live_app)  # every impression sampled
    for action in ("Close", "Donate"):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{host}/?campaign={slug}")
        expect(page.locator(BANNER)).to_have_count(1)
        role = "button" if action == "Close" else "link"
        page.get_by_role(role, name=action).click()
        page.wait_for_load_state("networkidle")
        context.close()
    wait_for_counts(live_app, slug, {"impression": 2, "close": 1, "click": 1})


def test_a_visitor_stays_in_one_variant(live_app, host, browser) -> None:
    copies = ((Stage.NORMAL, "b", {"headline": "The b ask", "cta_label": "Give b"}),)
    slug, _ = new_campaign(live_app, copies=copies)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{host}/?campaign={slug}")
    first = page.locator(f"{BANNER} .h").inner_text()
    bucket = float(page.evaluate(f"localStorage.getItem('campaign-banner:{slug}:bucket')"))
    variant = "a" if bucket < 0.5 else "b"
    assert first == ("Keep independent media alive" if variant == "a" else "The b ask")
    href = page.locator(f"{BANNER} a.c").get_attribute("href")
    assert href.endswith(f"variant={variant}")
    for _ in range(2):
        page.reload()
        expect(page.locator(f"{BANNER} .h")).to_have_text(first)
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('campaign-banner:{slug}:bucket', '0.75')")
    page.goto(f"{host}/?campaign={slug}")
    expect(page.get_by_role("link", name="Give b")).to_be_visible()
    context.close()


@pytest.mark.parametrize(
    ("name", "handler"),
    [
        ("500", lambda route: route.fulfill(status=500, body="Internal Server Error")),
        ("down", lambda route: route.abort("connectionrefused")),
        (
            "invalid JSON",
            lambda route: route.fulfill(
                status=200,
                body="{not json",
                headers={"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
            ),
        ),
        (
            "garbage",
            lambda route: route.fulfill(
                status=200,
                body=json.dumps({"banner": {"variants": "<script>", "later": []}, "x": 1}),
                headers={"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
            ),
        ),
    ],
)
def test_host_page_survives_a_failing_api(live_server, host, page, name, handler) -> None:
    warnings = warnings_of(page)
    page.route(f"{live_server.url}/api/campaigns/**", handler)
    page.goto(f"{host}/?campaign=eoy-2026")
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + 5
    while not warnings and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith('Campaign banner "eoy-2026"')
    expect(page.locator(BANNER)).to_have_count(0)
    page.locator("#host-button").click()
    expect(page.locator("#host-output")).to_have_text("1")
    assert script_errors(page) == []


def test_a_slow_api_is_given_up_after_a_few_seconds(live_server, host, page) -> None:
    warnings = warnings_of(page)
    page.route(f"{live_server.url}/api/campaigns/**", lambda route: None)  # never answers
    page.clock.install()
    page.goto(f"{host}/?campaign=eoy-2026")
    page.locator("#host-button").click()  # the page is usable while we wait
    expect(page.locator("#host-output")).to_have_text("1")
    page.clock.run_for(4500)
    page.wait_for_timeout(100)
    assert warnings == ['Campaign banner "eoy-2026": no answer in time']
    expect(page.locator(BANNER)).to_have_count(0)
    assert script_errors(page) == []


def test_unknown_campaign_draws_nothing_and_warns_once(host, page) -> None:
    warnings = warnings_of(page)
    page.goto(f"{host}/?campaign=no-such-campaign")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)
    assert warnings == ['Campaign banner "no-such-campaign": no such public campaign']
    expect(page.locator(BANNER)).to_have_count(0)
    assert script_errors(page) == []


def test_hostile_host_css_cannot_reach_the_banner(live_app, host, page) -> None:
    slug, _ = new_campaign(live_app)
    page.goto(f"{host}/?campaign={slug}&hostile=1")
    expect(page.locator(f"{BANNER} .h")).to_be_visible()
    host_style = page.evaluate(f"getComputedStyle(document.querySelector('{BANNER}')).display")
    assert host_style == "block"
    box = page.locator(BANNER).bounding_box()
    assert 60 < box["height"] < 300
    style = shadow(
        page,
        "(s => [s.fontSize, s.fontStyle, s.textTransform, s.color, s.letterSpacing])"
        "(getComputedStyle(root.querySelector('.h')))",
    )
    assert style == ["18px", "normal", "none", "rgb(31, 31, 31)", "normal"]
    assert page.console_errors == []


def test_included_twice_draws_once(live_app, host, page) -> None:
    slug, _ = new_campaign(live_app)
    page.goto(f"{host}/?campaign={slug}&twice=1")
    expect(page.locator(f"{BANNER} .h")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator(BANNER)).to_have_count(1)
    assert page.console_errors == []


def test_a_strict_content_security_policy_still_gets_a_styled_banner(live_app, host, page):
    slug, _ = new_campaign(live_app)
    page.goto(f"{host}/?campaign={slug}&csp=1")
    expect(page.locator(f"{BANNER} .h")).to_be_visible()
    background = shadow(page, "getComputedStyle(root.querySelector('.b')).backgroundColor")
    assert background == "rgb(255, 248, 225)"
    assert page.console_errors == []


@pytest.mark.parametrize(
    "layout", ["placement=top", "placement=bottom", "placement=inline", "frame=1"]
)
def test_no_layout_shift_of_the_host_page(live_app, host, page, layout) -> None:
    slug, _ = new_campaign(live_app)
    page.add_init_script(
        """window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) window.__shifts.push(entry.value);
          }
        }).observe({type: "layout-shift", buffered: true});"""
    )
    page.goto(f"{host}/?campaign={slug}&{layout}")
    if layout == "frame=1":
        frame = page.frame_locator("iframe")
        expect(frame.locator(f"{BANNER} .h")).to_be_visible()
    else:
        expect(page.locator(f"{BANNER} .h")).to_be_visible()
    heading = page.get_by_role("heading", level=1).bounding_box()
    page.wait_for_timeout(600)  # let the slide-in finish
    assert page.evaluate("window.__shifts") == []
    assert page.get_by_role("heading", level=1).bounding_box() == heading


def test_keyboard_focus_is_visible_and_motion_can_be_reduced(live_app, host, page) -> None:
    slug, _ = new_campaign(live_app)
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{host}/?campaign={slug}&placement=top")
    expect(page.locator(f"{BANNER} .h")).to_be_visible()
    page.keyboard.press("Tab")  # the top banner comes first in the tab order
    focused = shadow(page, "root.activeElement && root.activeElement.className")
    assert focused == "c"
    outline = shadow(
        page, "(s => [s.outlineStyle, s.outlineWidth])(getComputedStyle(root.activeElement))"
    )
    assert outline == ["solid", "3px"]
    page.keyboard.press("Tab")
    assert shadow(page, "root.activeElement.getAttribute('aria-label')") == "Close"
    page.keyboard.press("Enter")
    expect(page.locator(BANNER)).to_have_count(0)
    assert shadow_animation_was_off(page)


def shadow_animation_was_off(page) -> bool:
    """Reduced motion: a fresh banner's box has no animation."""
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator(f"{BANNER} .h")).to_be_visible()
    return shadow(page, "getComputedStyle(root.querySelector('.b')).animationName") == "none"


XSS = '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
XSS_BUTTON = '<img src=x onerror="window.__pwned=3">'  # within the button's 60 characters


def test_markup_in_the_title_and_copy_is_shown_as_text_on_host_and_in_the_frame(
    live_app, host, page
) -> None:
    copies = ((Stage.NORMAL, "a", {"headline": XSS, "body": XSS, "cta_label": XSS_BUTTON}),)
    slug, _ = new_campaign(live_app, title=XSS, copies=copies)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{host}/?campaign={slug}")
    expect(page.locator(f"{BANNER} .h")).to_have_text(XSS)
    expect(page.locator(f"{BANNER} .d")).to_have_text(XSS)
    expect(page.locator(f"{BANNER} a.c")).to_have_text(XSS_BUTTON)
    assert shadow(page, "root.querySelectorAll('img, script').length") == 0
    assert page.evaluate("window.__pwned") is None

    page.goto(f"{host}/?campaign={slug}&frame=1")
    frame = page.frame_locator("iframe")
    expect(frame.locator(f"{BANNER} .h")).to_have_text(XSS)
    inner = page.frames[1]
    assert inner.evaluate("document.title") == XSS
    assert inner.evaluate("window.__pwned") is None
    injected = f"document.querySelector('{BANNER}').shadowRoot.querySelectorAll('img, script')"
    assert inner.evaluate(f"{injected}.length") == 0
    assert dialogs == []


def test_the_iframe_version_is_accessible_and_opens_the_donate_page_on_top(
    live_server, live_app, host, page
) -> None:
    slug, _ = new_campaign(live_app)
    page.goto(f"{live_server.url}/embed/{slug}")
    expect(page.locator(f"{BANNER} .h")).to_be_visible()
    assert page.locator(BANNER).evaluate("el => el.parentElement.id") == "banner"
    assert_accessible(page)

    page.goto(f"{host}/?campaign={slug}&frame=1")
    frame = page.frame_locator("iframe")
    link = frame.get_by_role("link", name="Donate")
    expect(link).to_have_attribute("target", "_top")
    link.click()
    page.wait_for_url(f"{live_server.url}/campaigns/{slug}/donate?source=banner&variant=a")
    assert script_errors(page) == []


def test_inline_without_a_target_falls_back_to_the_bottom(live_app, host, page) -> None:
    slug, _ = new_campaign(live_app)
    warnings = warnings_of(page)
    page.goto(f"{host}/?campaign={slug}&placement=inline&target=%23missing")
    expect(page.locator(f"{BANNER} .h")).to_be_visible()
    assert page.locator(BANNER).get_attribute("data-placement") == "bottom"
    assert warnings == [
        f'Campaign banner "{slug}": no element #missing to draw in; drawing at the bottom'
    ]
