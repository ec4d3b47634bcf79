"""``GET /api/campaigns/<slug>``: the contract, caching headers, ETag and what it reads."""

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from campaigns.db import unit_of_work
from campaigns.extensions import db as _db
from campaigns.fundraising.banner_settings import BannerChanges, change_banner, set_copy
from campaigns.models import BannerAfterEnd, CampaignStatus, Stage
from campaigns.urls import public_urls
from campaigns.web.banner_cache import answers, build_answer
from tests.factories import make_campaign

pytestmark = pytest.mark.usefixtures("fresh_banner_state")

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DONATE = "http://donate.example.org/campaigns/eoy-test/donate?source=banner&variant="


@contextmanager
def statements():
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "SAVEPOINT" not in statement:  # the test harness's own, around each request
            seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)


def test_contract_fields_types_and_values(client, db) -> None:
    campaign = make_campaign()
    campaign.raised_amount = 1_234_550
    campaign.donor_count = 321
    campaign.donation_count = 400
    db.commit()

    response = client.get("/api/campaigns/eoy-test")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert set(data) == {
        "slug",
        "title",
        "currency",
        "currency_exponent",
        "goal_amount",
        "raised_amount",
        "donor_count",
        "donation_count",
        "percent",
        "starts_at",
        "ends_at",
        "seconds_left",
        "stage",
        "campaign_url",
        "banner",
        "updated_at",
    }
    assert data["slug"] == "eoy-test"
    assert data["title"] == "Keep independent media alive"
    assert (data["currency"], data["currency_exponent"]) == ("usd", 2)
    assert (data["goal_amount"], data["raised_amount"]) == (5_000_000, 1_234_550)
    assert (data["donor_count"], data["donation_count"], data["percent"]) == (321, 400, 24)
    for field in ("starts_at", "ends_at", "updated_at"):
        assert ISO_UTC.match(data[field]), data[field]
    assert data["ends_at"] == campaign.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert 29 * 86400 < data["seconds_left"] <= 30 * 86400
    assert data["stage"] == "normal"
    assert data["campaign_url"] == "http://donate.example.org/campaigns/eoy-test"

    banner = data["banner"]
    assert banner["variants"] == [
        {
            "variant": "a",
            "headline": "Keep independent media alive",
            "body": "Reader donations cover our monthly costs. Your help is needed now.",
            "cta_label": "Donate",
            "cta_url": DONATE + "a",
        }
    ]
    assert [later["stage"] for later in banner["later"]] == ["urgent", "final", "ended"]
    urgent, final, ended = banner["later"]
    assert urgent["starts_at"] == (campaign.ends_at - timedelta(days=7)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert final["variants"][0]["headline"] == "Final hours to reach our goal"
    assert ended["starts_at"] == data["ends_at"]
    # After the deadline the button leads to the campaign page: the donate form is closed.
    assert ended["variants"][0]["cta_url"] == (
        "http://donate.example.org/campaigns/eoy-test?source=banner&variant=a"
    )
    assert banner["placement"] == "bottom"
    assert banner["dismiss_days"] == 14
    assert banner["impression_sample"] == 10
    assert banner["colors"] == {
        "background": "#fff8e1",
        "text": "#1f1f1f",
        "accent": "#b3261e",
        "accent_text": "#ffffff",
    }


def test_variants_come_in_variant_order_for_the_current_stage(client, db) -> None:
    campaign = make_campaign()
    with unit_of_work():
        set_copy(campaign, Stage.NORMAL, "c", headline="Third")
        set_copy(campaign, Stage.NORMAL, "b", headline="Second", cta_label="Give")
    banner = client.get("/api/campaigns/eoy-test").get_json()["banner"]
    assert [v["variant"] for v in banner["variants"]] == ["a", "b", "c"]
    assert banner["variants"][1]["cta_url"] == DONATE + "b"
    assert banner["variants"][1]["cta_label"] == "Give"


def test_urgent_campaign_answers_urgent_copy(client) -> None:
    now = datetime.now(UTC)
    make_campaign(starts_at=now - timedelta(days=20), ends_at=now + timedelta(days=3))
    data = client.get("/api/campaigns/eoy-test").get_json()
    assert data["stage"] == "urgent"
    assert data["banner"]["variants"][0]["headline"].startswith("Urgent")
    assert [later["stage"] for later in data["banner"]["later"]] == ["final", "ended"]


def test_upcoming_campaign_leads_to_the_campaign_page_and_lists_its_start(client) -> None:
    now = datetime.now(UTC)
    make_campaign(starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=40))
    data = client.get("/api/campaigns/eoy-test").get_json()
    assert data["stage"] == "upcoming"
    assert data["banner"]["variants"][0]["cta_url"].startswith(
        "http://donate.example.org/campaigns/eoy-test?"
    )
    assert data["banner"]["later"][0]["stage"] == "normal"
    assert data["banner"]["later"][0]["starts_at"] == data["starts_at"]


def test_ended_campaign_shows_its_closing_message_or_nothing(client, db) -> None:
    now = datetime.now(UTC)
    campaign = make_campaign(starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=1))
    data = client.get("/api/campaigns/eoy-test").get_json()
    assert (data["stage"], data["seconds_left"], data["banner"]["later"]) == ("ended", 0, [])
    assert data["banner"]["variants"][0]["headline"] == "Thank you"

    with unit_of_work():
        change_banner(campaign, BannerChanges(after_end=BannerAfterEnd.HIDE))
    answers().clear()
    assert client.get("/api/campaigns/eoy-test").get_json()["banner"]["variants"] == []


def test_closed_campaign_is_ended_whatever_the_clock(client, db) -> None:
    campaign = make_campaign()
    campaign.status = CampaignStatus.ENDED
    db.commit()
    data = client.get("/api/campaigns/eoy-test").get_json()
    assert (data["stage"], data["banner"]["later"]) == ("ended", [])


@pytest.mark.parametrize("slug", ["nope", "Not-A-Slug", "x" * 80, "draft-one"])
def test_unknown_draft_or_malformed_slug_is_a_json_404_with_cors(client, slug) -> None:
    make_campaign(slug="draft-one", status=CampaignStatus.DRAFT)
    response = client.get(f"/api/campaigns/{slug}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=15" in response.headers["Cache-Control"]


def test_public_read_only_headers_cors_cache_and_no_cookie(client) -> None:
    make_campaign()
    response = client.get("/api/campaigns/eoy-test", headers={"Origin": "https://news.example"})
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == "*"
    cache = [part.strip() for part in headers["Cache-Control"].split(",")]
    assert "public" in cache
    assert "max-age=15" in cache
    assert "stale-while-revalidate=60" in cache
    assert re.fullmatch(r'W/"[0-9a-f]{20}"', headers["ETag"])
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert int(headers["Age"]) >= 0
    # Shared caches keep one copy for everyone: nothing varies on, or sets, a cookie.
    assert "Set-Cookie" not in headers
    assert "cookie" not in headers.get("Vary", "").lower()
    assert client.post("/api/campaigns/eoy-test").status_code == 405


def test_if_none_match_gets_304_until_the_figures_change(client, db) -> None:
    campaign = make_campaign()
    first = client.get("/api/campaigns/eoy-test")
    etag = first.headers["ETag"]
    for header in (etag, etag.removeprefix("W/"), f'"other", {etag}', "*"):
        response = client.get("/api/campaigns/eoy-test", headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.data == b""
        assert response.headers["ETag"] == etag
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "max-age=15" in response.headers["Cache-Control"]
    stale = client.get("/api/campaigns/eoy-test", headers={"If-None-Match": 'W/"0000"'})
    assert stale.status_code == 200

    campaign.raised_amount = 10_000
    db.commit()
    answers().clear()  # as the cache's few seconds would
    changed = client.get("/api/campaigns/eoy-test", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["raised_amount"] == 10_000
    assert changed.headers["ETag"] != etag


def test_etag_ignores_the_ticking_countdown(app, db, monkeypatch) -> None:
    make_campaign()
    first = build_answer("eoy-test", 5, public_urls())
    later = datetime.now(UTC) + timedelta(seconds=90)
    monkeypatch.setattr("campaigns.web.banner_cache.utcnow", lambda: later)
    second = build_answer("eoy-test", 5, public_urls())
    assert first.body != second.body  # seconds_left moved on
    assert first.etag == second.etag


def test_reads_the_running_totals_once_per_cache_period_never_the_gifts(client, db) -> None:
    campaign = make_campaign()
    campaign.raised_amount = 777
    db.commit()
    with statements() as first:
        assert client.get("/api/campaigns/eoy-test").get_json()["raised_amount"] == 777
    assert 1 <= len(first) <= 2  # the campaign row and its copy
    tables = {table for sql in first for table in re.findall(r"(?:FROM|JOIN)\s+(\w+)", sql)}
    assert tables == {"campaign", "banner_copy"}
    with statements() as repeated:
        for _ in range(5):
            client.get("/api/campaigns/eoy-test")
    assert repeated == []


def test_a_cached_answer_never_outlives_its_stage(app, db) -> None:
    now = datetime.now(UTC)
    make_campaign(starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7, seconds=2))
    answer = build_answer("eoy-test", 5, public_urls())
    assert answer.banner.payload["stage"] == "normal"
    assert answer.expires - answer.made <= 2.5  # urgent begins in about two seconds


def test_a_new_gift_shows_once_the_worker_cache_lapses(client, db) -> None:
    campaign = make_campaign()
    assert client.get("/api/campaigns/eoy-test").get_json()["raised_amount"] == 0
    campaign.raised_amount = 2500
    db.commit()
    assert client.get("/api/campaigns/eoy-test").get_json()["raised_amount"] == 0  # cached
    answers().ttl = 0
    answers().clear()
    assert client.get("/api/campaigns/eoy-test").get_json()["raised_amount"] == 2500


def test_markup_in_copy_is_escaped_in_the_json(client, db) -> None:
    campaign = make_campaign(title='<img src=x onerror="alert(1)">')
    with unit_of_work():
        set_copy(campaign, Stage.NORMAL, "a", headline="<script>alert('x')</script> & co")
    response = client.get("/api/campaigns/eoy-test")
    assert b"<" not in response.data and b">" not in response.data
    data = response.get_json()
    assert data["title"] == '<img src=x onerror="alert(1)">'
    assert data["banner"]["variants"][0]["headline"] == "<script>alert('x')</script> & co"


def test_head_is_answered_like_get(client) -> None:
    make_campaign()
    response = client.head("/api/campaigns/eoy-test")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cached_answers_skip_flask_and_answer_exactly_as_the_view_does(
    app, client, monkeypatch
) -> None:
    make_campaign()
    calls: list[str] = []
    dispatch = app.full_dispatch_request
    monkeypatch.setattr(app, "full_dispatch_request", lambda: calls.append("flask") or dispatch())
    for path in ("/api/campaigns/eoy-test", "/api/campaigns/nope"):
        calls.clear()
        through_flask = client.get(path)
        from_cache = client.get(path)
        assert calls == ["flask"], "only the first request should reach Flask"
        assert from_cache.status_code == through_flask.status_code
        assert from_cache.data == through_flask.data
        assert {k: v for k, v in from_cache.headers if k != "Age"} == {
            k: v for k, v in through_flask.headers if k != "Age"
        }
    calls.clear()
    etag = through_flask.headers["ETag"]
    revalidated = client.get("/api/campaigns/nope", headers={"If-None-Match": etag})
    assert revalidated.status_code == 404  # a 404 is never "not modified"
    etag = client.get("/api/campaigns/eoy-test").headers["ETag"]
    cached_304 = client.get("/api/campaigns/eoy-test", headers={"If-None-Match": etag})
    assert (cached_304.status_code, cached_304.data) == (304, b"")
    assert "Content-Type" not in cached_304.headers
    head = client.head("/api/campaigns/eoy-test")
    assert (head.status_code, head.data) == (200, b"")
    assert calls == []
