"""The banner funnel: impressions, clicks and closes from beacons; checkouts and gifts from the
ledger, for each variant."""

from datetime import date

import pytest

from campaigns.db import unit_of_work
from campaigns.errors import ValidationError
from campaigns.fundraising.funnel import (
    BannerEvent,
    banner_funnel,
    parse_beacon,
    record_event,
)
from campaigns.fundraising.gifts import attach_checkout_session, lock_donation, mark_paid
from campaigns.models import BannerEventKind, Stage
from tests.factories import make_campaign, start_gift

KNOWN = frozenset({(Stage.NORMAL, "a"), (Stage.NORMAL, "b")})
DAY = date(2026, 12, 1)


def test_a_beacon_is_read_into_an_event() -> None:
    event = parse_beacon(b'{"kind":"click","stage":"normal","variant":"b"}', KNOWN)
    assert event == BannerEvent(BannerEventKind.CLICK, Stage.NORMAL, "b")


def test_a_beacon_naming_copy_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValidationError, match="no such variant"):
        parse_beacon(b'{"kind":"click","stage":"urgent","variant":"a"}', KNOWN)


def test_counters_add_up_in_one_row(db) -> None:
    campaign = make_campaign()
    impression = BannerEvent(BannerEventKind.IMPRESSION, Stage.NORMAL, "a")
    with unit_of_work():
        assert record_event(campaign.id, DAY, impression, 10) == 1
        assert record_event(campaign.id, DAY, impression, 10) == 2
        assert record_event(campaign.id, date(2026, 12, 2), impression, 10) == 1


def _gift(campaign, variant: str, *, session: str | None, paid: bool, source: str = "banner"):
    donation = start_gift(campaign, 5000, source=source, variant=variant)
    if session:
        with unit_of_work():
            attach_checkout_session(donation.id, session)
    if paid:
        with unit_of_work():
            mark_paid(lock_donation(donation.id))
    return donation


def test_funnel_from_impressions_to_gifts_for_each_variant(db) -> None:
    campaign = make_campaign()
    events = [
        (BannerEventKind.IMPRESSION, "a", 30, 10),  # 30 sampled beacons, one in ten views
        (BannerEventKind.IMPRESSION, "b", 20, 10),
        (BannerEventKind.CLICK, "a", 6, 1),
        (BannerEventKind.CLICK, "b", 9, 1),
        (BannerEventKind.CLOSE, "a", 4, 1),
    ]
    with unit_of_work():
        for kind, variant, times, sample in events:
            for _ in range(times):
                record_event(campaign.id, DAY, BannerEvent(kind, Stage.NORMAL, variant), sample)
    _gift(campaign, "a", session="cs_a1", paid=True)
    _gift(campaign, "a", session="cs_a2", paid=False)
    _gift(campaign, "b", session="cs_b1", paid=True)
    _gift(campaign, "b", session="cs_b2", paid=True)
    _gift(campaign, "b", session=None, paid=False)  # Stripe never answered: no checkout
    _gift(campaign, "a", session="cs_page", paid=True, source="")  # from the campaign page

    funnel = {row.variant: row for row in banner_funnel(campaign.id)}
    assert set(funnel) == {"a", "b"}
    a, b = funnel["a"], funnel["b"]
    assert (a.impressions, a.clicks, a.closes, a.checkouts, a.donations) == (300, 6, 4, 2, 1)
    assert (b.impressions, b.clicks, b.closes, b.checkouts, b.donations) == (200, 9, 0, 2, 2)
    assert (a.raised, b.raised) == (5000, 10000)


def test_a_campaign_without_banner_traffic_has_an_empty_funnel(db) -> None:
    campaign = make_campaign()
    _gift(campaign, "", session="cs_page", paid=True, source="")
    assert banner_funnel(campaign.id) == []
