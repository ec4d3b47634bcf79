"""``POST /api/campaigns/<slug>/events``: beacons counted, bad ones refused, floods limited."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from campaigns.db import unit_of_work
from campaigns.extensions import limiter
from campaigns.fundraising.banner_settings import BannerChanges, change_banner, set_copy
from campaigns.models import BannerEventCount, BannerEventKind, CampaignStatus, Stage
from tests.factories import make_campaign

pytestmark = pytest.mark.usefixtures("fresh_banner_state")

URL = "/api/campaigns/eoy-test/events"


def beacon(client, body, **kwargs):
    """Post as ``navigator.sendBeacon`` does with a string: text/plain, no cookie, no token."""
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="text/plain;charset=UTF-8", **kwargs)


def counters(db) -> dict[tuple[str, str, str], tuple[int, int]]:
    rows = db.scalars(select(BannerEventCount)).all()
    return {(r.stage.value, r.variant, r.kind.value): (r.beacons, r.events) for r in rows}


def test_beacons_are_counted_per_day_stage_variant_and_kind(client, db) -> None:
    campaign = make_campaign()
    with unit_of_work():
        set_copy(campaign, Stage.NORMAL, "b", headline="Another ask")
    for body in (
        {"kind": "impression", "stage": "normal", "variant": "a"},
        {"kind": "impression", "stage": "normal", "variant": "a"},
        {"kind": "impression", "stage": "normal", "variant": "b"},
        {"kind": "click", "stage": "normal", "variant": "b"},
        {"kind": "close", "stage": "normal", "variant": "a"},
    ):
        response = beacon(client, body)
        assert response.status_code == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Set-Cookie" not in response.headers
    # Impressions are sampled one in ten by default: each beacon stands for ten views.
    assert counters(db) == {
        ("normal", "a", "impression"): (2, 20),
        ("normal", "b", "impression"): (1, 10),
        ("normal", "b", "click"): (1, 1),
        ("normal", "a", "close"): (1, 1),
    }
    row = db.scalars(select(BannerEventCount)).first()
    assert row.day == datetime.now(UTC).astimezone(ZoneInfo("America/New_York")).date()


def test_the_sampling_rate_in_force_weighs_each_impression(client, db) -> None:
    campaign = make_campaign()
    with unit_of_work():
        change_banner(campaign, BannerChanges(impression_sample=1))
    beacon(client, {"kind": "impression", "stage": "normal", "variant": "a"})
    assert counters(db) == {("normal", "a", "impression"): (1, 1)}


def test_a_beacon_for_another_stage_it_has_copy_for_is_taken(client, db) -> None:
    # A visitor's clock may already be in the next stage; its copy exists, so it counts.
    make_campaign()
    assert beacon(client, {"kind": "click", "stage": "urgent", "variant": "a"}).status_code == 204
    assert counters(db) == {("urgent", "a", "click"): (1, 1)}


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        b"\xff\xfe\x00",
        "[]",
        "null",
        json.dumps({"kind": "click", "stage": "normal"}),
        json.dumps({"kind": "click", "stage": "normal", "variant": "a", "ip": "1.2.3.4"}),
        json.dumps({"kind": "purchase", "stage": "normal", "variant": "a"}),
        json.dumps({"kind": "click", "stage": "later", "variant": "a"}),
        json.dumps({"kind": "click", "stage": "normal", "variant": "zzz"}),
        json.dumps({"kind": "click", "stage": "normal", "variant": 1}),
        json.dumps({"kind": "click", "stage": "normal", "variant": "a" + " " * 600}),
    ],
)
def test_malformed_beacons_get_400_and_store_nothing(client, db, body) -> None:
    make_campaign()
    response = beacon(client, body)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_beacon"
    assert counters(db) == {}


def test_beacons_for_unknown_or_draft_campaigns_get_404(client, db) -> None:
    make_campaign(status=CampaignStatus.DRAFT)
    assert beacon(client, {"kind": "click", "stage": "normal", "variant": "a"}).status_code == 404
    response = client.post("/api/campaigns/nope/events", data="{}", content_type="text/plain")
    assert response.status_code == 404
    assert counters(db) == {}


def test_preflight_is_answered_for_clients_that_send_json(client) -> None:
    make_campaign()
    response = client.options(URL, headers={"Origin": "https://news.example"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type"
    posted = client.post(
        URL,
        json={"kind": "click", "stage": "normal", "variant": "a"},
        headers={"Origin": "https://news.example"},
    )
    assert posted.status_code == 204


def test_floods_are_limited_per_client(app, client, db) -> None:
    make_campaign()
    app.config["BANNER_EVENT_RATE_LIMIT"] = "3 per minute"
    try:
        click = {"kind": "click", "stage": "normal", "variant": "a"}
        statuses = [beacon(client, click).status_code for _ in range(5)]
        assert statuses == [204, 204, 204, 429, 429]
        other = {"REMOTE_ADDR": "198.51.100.7"}
        assert beacon(client, click, environ_base=other).status_code == 204
    finally:
        app.config["BANNER_EVENT_RATE_LIMIT"] = "120 per minute"
    assert counters(db) == {("normal", "a", "click"): (4, 4)}


def test_the_limiter_keeps_no_address(app, client) -> None:
    make_campaign()
    address = "203.0.113.99"
    click = {"kind": "click", "stage": "normal", "variant": "a"}
    beacon(client, click, environ_base={"REMOTE_ADDR": address})
    keys = " ".join(str(key) for key in vars(limiter.storage).get("storage", {}))
    assert keys, "expected the memory storage to hold a counter"
    assert address not in keys
    assert "203.0.113" not in keys


def test_forwarded_addresses_count_only_behind_trusted_proxies(app, client, db) -> None:
    make_campaign()
    click = {"kind": "click", "stage": "normal", "variant": "a"}
    app.config["BANNER_EVENT_RATE_LIMIT"] = "1 per minute"
    try:
        # Without a trusted proxy a client can't dodge the limit by inventing addresses.
        first = beacon(client, click, headers={"X-Forwarded-For": "192.0.2.1"})
        second = beacon(client, click, headers={"X-Forwarded-For": "192.0.2.2"})
        assert (first.status_code, second.status_code) == (204, 429)
        limiter.reset()
        # Behind one proxy, its X-Forwarded-For entry names the client.
        app.config["TRUSTED_PROXY_HOPS"] = 1
        for address in ("192.0.2.1", "192.0.2.2"):
            forwarded = {"X-Forwarded-For": f"10.9.9.9, {address}"}
            assert beacon(client, click, headers=forwarded).status_code == 204
        spoofed = {"X-Forwarded-For": "10.9.9.9, 192.0.2.1"}
        assert beacon(client, click, headers=spoofed).status_code == 429
    finally:
        app.config["BANNER_EVENT_RATE_LIMIT"] = "120 per minute"
        app.config["TRUSTED_PROXY_HOPS"] = 0


def test_no_personal_data_is_stored(db, client) -> None:
    make_campaign()
    beacon(client, {"kind": "click", "stage": "normal", "variant": "a"})
    columns = {column.name for column in BannerEventCount.__table__.columns}
    assert columns == {"campaign_id", "day", "stage", "variant", "kind", "beacons", "events"}
    assert db.scalar(select(func.count()).select_from(BannerEventCount)) == 1
    assert BannerEventKind.CLICK.value == "click"
