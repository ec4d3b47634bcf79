import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from campaigns.reports.paging import page_of
from campaigns.reports.retention import lybunt, lybunt_csv, sybunt, sybunt_csv
from tests.factories import make_campaign
from tests.reports.gifts import paid_gift, refund

NEW_YORK = "America/New_York"


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def history(db):
    """Six donors whose giving years are plain from their names."""
    campaign = make_campaign()

    def give(email: str, amount: int, when: datetime):
        return paid_gift(
            campaign, amount, email=email, name=email.split("@")[0].title(), paid_at=when
        )

    give("lapsed@example.org", 5000, at(2025, 3, 1))  # last year only
    give("older@example.org", 2500, at(2024, 6, 1))  # the year before only
    give("loyal@example.org", 1000, at(2025, 5, 1))  # last year and this year
    give("loyal@example.org", 1000, at(2026, 5, 1))
    refunded = give("refunded@example.org", 7500, at(2025, 7, 1))  # counts for nothing
    refund(refunded)
    # 23:30 on New Year's Eve in New York is already January 1 in UTC: still last year.
    give("midnight@example.org", 10_000, datetime(2026, 1, 1, 4, 30, tzinfo=UTC))
    give("steady@example.org", 2000, at(2023, 12, 1))  # three gifts before this year
    give("steady@example.org", 3000, at(2025, 2, 1))
    give("steady@example.org", 4000, at(2025, 11, 30))
    give("future@example.org", 500, at(2025, 1, 5))  # lapsed in 2026, back in 2027
    give("future@example.org", 800, at(2027, 1, 5))


def emails(db, listing) -> list[str]:
    return [row.email for row in db.execute(listing)]


def test_lybunt_gave_last_year_but_not_this_year(app, db) -> None:
    history(db)
    rows = {row.email: row for row in db.execute(lybunt(2026, timezone=NEW_YORK))}
    assert set(rows) == {
        "lapsed@example.org",
        "midnight@example.org",
        "steady@example.org",
        "future@example.org",
    }
    steady = rows["steady@example.org"]
    assert steady.last_gift_at == at(2025, 11, 30)
    assert (steady.last_gift_amount, steady.lifetime_total, steady.currency) == (4000, 9000, "usd")
    assert steady.name == "Steady"
    # Figures cover the gifts before the year: the 2027 gift is not in them.
    assert (
        rows["future@example.org"].lifetime_total,
        rows["future@example.org"].last_gift_amount,
    ) == (500, 500)
    # Newest last gift first.
    assert emails(db, lybunt(2026, timezone=NEW_YORK))[0] == "midnight@example.org"


def test_the_year_boundary_follows_the_time_zone(app, db) -> None:
    history(db)
    assert "midnight@example.org" not in emails(db, lybunt(2026, timezone="UTC"))
    assert "midnight@example.org" in emails(db, lybunt(2027, timezone="UTC"))


def test_sybunt_gave_some_year_before_but_not_this_year(app, db) -> None:
    history(db)
    assert set(emails(db, sybunt(2026, timezone=NEW_YORK))) == {
        "lapsed@example.org",
        "older@example.org",
        "midnight@example.org",
        "steady@example.org",
        "future@example.org",
    }
    # In 2025, loyal and steady gave, and future too; older last gave in 2024.
    assert set(emails(db, sybunt(2025, timezone=NEW_YORK))) == {"older@example.org"}
    assert set(emails(db, lybunt(2025, timezone=NEW_YORK))) == {"older@example.org"}
    assert set(emails(db, lybunt(2025, timezone=NEW_YORK))) <= set(
        emails(db, sybunt(2025, timezone=NEW_YORK))
    )


def test_the_year_defaults_to_this_one_in_the_configured_zone(app, db) -> None:
    history(db)
    app.config["DEFAULT_TIMEZONE"] = NEW_YORK
    try:
        this_year = datetime.now(ZoneInfo(NEW_YORK)).year
        assert emails(db, lybunt()) == emails(db, lybunt(this_year, timezone=NEW_YORK))
        assert emails(db, sybunt()) == emails(db, sybunt(this_year, timezone=NEW_YORK))
    finally:
        app.config["DEFAULT_TIMEZONE"] = "UTC"


def test_pages(app, db) -> None:
    history(db)
    first = page_of(lybunt(2026, timezone=NEW_YORK), 1, per_page=3)
    second = page_of(lybunt(2026, timezone=NEW_YORK), 2, per_page=3)
    assert (len(first.items), first.has_next, len(second.items), second.has_next) == (
        3,
        True,
        1,
        False,
    )
    seen = [row.email for row in first.items + second.items]
    assert seen == emails(db, lybunt(2026, timezone=NEW_YORK))


def test_csv_exports(app, db) -> None:
    history(db)
    rows = list(csv.DictReader(io.StringIO("".join(lybunt_csv(2026, timezone=NEW_YORK)))))
    assert [row["email"] for row in rows] == emails(db, lybunt(2026, timezone=NEW_YORK))
    steady = next(row for row in rows if row["email"] == "steady@example.org")
    assert steady == {
        "donor_id": steady["donor_id"],
        "name": "Steady",
        "email": "steady@example.org",
        "last_gift_at": "2025-11-30T12:00:00Z",
        "last_gift_amount": "40",
        "lifetime_total": "90",
        "currency": "usd",
    }
    everyone = list(csv.DictReader(io.StringIO("".join(sybunt_csv(2026, timezone=NEW_YORK)))))
    assert len(everyone) == 5
