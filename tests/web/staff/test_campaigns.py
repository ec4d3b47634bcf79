"""Campaign admin: edits checked field by field."""

import re

import pytest

from campaigns.models import Campaign, Role

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def test_bad_campaign_edit_is_refused_field_by_field(client, db, campaign, sign_in) -> None:
    sign_in(Role.ADMIN)
    form = client.get(f"/staff/campaigns/{campaign.id}/edit").get_data(as_text=True)
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    values.update(
        goal="0", ends="2001-01-01 00:00", status="live", default_frequency="one_time", previous="0"
    )
    response = client.post(f"/staff/campaigns/{campaign.id}/edit", data=values)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter an amount greater than zero." in html
    db.expire_all()
    assert db.get(Campaign, campaign.id).goal_amount == 5_000_000
