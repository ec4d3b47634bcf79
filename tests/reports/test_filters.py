"""The status staff read: one rule, the same in Python (lists) and SQL (filters, exports)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from campaigns.models import Campaign, DisputeStatus, Donation, DonationStatus, Frequency
from campaigns.reports.filters import STATUS_CONDITIONS, shown_status, shown_status_sql
from tests.factories import make_campaign

gift_states = st.builds(
    dict,
    status=st.sampled_from(DonationStatus),
    dispute_status=st.sampled_from(DisputeStatus),
    amount=st.integers(min_value=1, max_value=10_000),
    fee_amount=st.integers(min_value=0, max_value=500),
    refunded_share=st.sampled_from([0, 1, 50, 99, 100]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(states=st.lists(gift_states, min_size=1, max_size=12))
def test_every_gift_shows_one_status_and_filters_find_exactly_those(db, states) -> None:
    campaign_id = db.scalar(select(Campaign.id)) or make_campaign().id
    nested = db.begin_nested()
    try:
        gifts = []
        for state in states:
            total = state["amount"] + state["fee_amount"]
            gift = Donation(
                campaign_id=campaign_id,
                amount=state["amount"],
                fee_amount=state["fee_amount"],
                currency="usd",
                frequency=Frequency.ONE_TIME,
                status=state["status"],
                dispute_status=state["dispute_status"],
                amount_refunded=total * state["refunded_share"] // 100,
            )
            db.add(gift)
            gifts.append(gift)
        db.flush()
        ids = [gift.id for gift in gifts]
        in_sql = dict(
            db.execute(select(Donation.id, shown_status_sql()).where(Donation.id.in_(ids))).all()
        )
        for gift in gifts:
            shown = shown_status(gift)
            assert in_sql[gift.id] == shown.value
            matching = {
                status
                for status, condition in STATUS_CONDITIONS.items()
                if db.scalar(select(Donation.id).where(Donation.id == gift.id, condition))
            }
            assert matching == {shown}
    finally:
        nested.rollback()
