"""The rush drill, short: 30 donors at once, banner readers, webhooks with faults, real servers."""

from __future__ import annotations

from benchmarks.rush_drill import Options, run_drill
from tests.databases import fresh_database


def test_a_short_rush_gives_no_5xx_and_a_ledger_that_matches_stripe(tmp_path) -> None:
    options = Options(
        database_url=fresh_database("rush_drill"),
        donors=30,
        workers=2,
        banner_seconds=3,
        banner_connections=4,
        settle_seconds=60,
    )
    report = run_drill(options, tmp_path)
    table = report.table()
    print(table)  # shown with -s, or with the failure
    five_xx, failed, diff = report.five_xx, len(report.failed_donors), report.diff
    assert five_xx == 0, table
    assert failed == 0, table
    assert diff == 0, table
    counted_once, unseen = report.counted_once, report.unseen
    assert counted_once, table
    assert unseen == 0, table  # every paid gift reached the campaign's total
