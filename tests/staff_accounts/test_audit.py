"""The audit log: staff changes to money and campaigns are recorded with who made them."""

import re

import pytest
from sqlalchemy import select

from campaigns.models import AuditEntry, Campaign, Role

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def test_goal_change_is_audited(client, db, campaign, sign_in) -> None:
    sign_in(Role.ADMIN)
    form = client.get(f"/staff/campaigns/{campaign.id}/edit").get_data(as_text=True)
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    values.update(
        goal="75,000", status="live", default_frequency="one_time", previous="0", description=""
    )
    response = client.post(f"/staff/campaigns/{campaign.id}/edit", data=values)
    assert response.status_code == 303, response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Campaign, campaign.id).goal_amount == 7_500_000
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.goal_changed"))
    assert entry.details["goal_amount"] == {"from": 5_000_000, "to": 7_500_000}
    assert entry.actor == "admin@example.org"
    assert "campaign.goal_changed" in client.get("/staff/audit").get_data(as_text=True)
