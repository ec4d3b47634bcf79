"""Exports over HTTP: staff only, streamed as attachments, audited, safe in a spreadsheet."""

import csv
import io

import pytest
from sqlalchemy import select

from campaigns.models import AuditEntry, Role
from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def paid(client, campaign, amount, pi, **gift):
    donation = start_gift(campaign, amount, **gift)
    se.deliver_event(
        client,
        se.event(
            "checkout.session.completed",
            se.checkout_session(donation.id, amount, payment_intent=pi),
        ),
    )
    return donation


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_donations_csv_is_an_audited_attachment_with_neutralised_cells(client, db, sign_in) -> None:
    campaign = make_campaign()
    paid(client, campaign, 2500, "pi_x", name='=HYPERLINK("http://evil")', source="banner")
    paid(client, campaign, 4000, "pi_y", name="Plain Name", email="p@example.org")
    sign_in(Role.STAFF)
    response = client.get("/staff/donations.csv?source=banner")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="donations-')
    assert response.headers["Cache-Control"] == "no-store"
    exported = rows(response)
    assert len(exported) == 1
    names = [value for key, value in exported[0].items() if "name" in key]
    assert names and names[0].startswith("'=HYPERLINK")
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "export.donations"))
    assert entry.details == {"filters": {"source": "banner"}}
    assert entry.actor == "staff@example.org"


def test_donor_newsletter_and_retention_exports(client, db, sign_in) -> None:
    campaign = make_campaign()
    paid(client, campaign, 2500, "pi_n", newsletter=True, email="news@example.org")
    sign_in(Role.STAFF)
    donors = client.get("/staff/donors.csv")
    assert donors.status_code == 200
    assert any("news@example.org" in value for row in rows(donors) for value in row.values())
    newsletter = client.get("/staff/newsletter.csv")
    assert any("news@example.org" in value for row in rows(newsletter) for value in row.values())
    for kind in ("lybunt", "sybunt"):
        listing = client.get(f"/staff/retention/{kind}.csv?year=2026")
        assert listing.status_code == 200
        assert listing.get_data(as_text=True).splitlines()[0].startswith("donor_id,")
    assert client.get("/staff/retention/other.csv").status_code == 404
    assert client.get("/staff/retention?list=sybunt").status_code == 200
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"export.donors", "export.newsletter", "export.lybunt", "export.sybunt"} <= actions


def test_viewers_cannot_export(client, db, sign_in) -> None:
    sign_in(Role.VIEWER)
    assert client.get("/staff/donations.csv").status_code == 403
    assert client.get("/staff/retention").status_code == 200
