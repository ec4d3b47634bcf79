"""``flask stripe reconcile``: errors reach the terminal, not a traceback."""


def test_reconcile_reports_an_unreachable_stripe_on_stderr(runner, db) -> None:
    result = runner.invoke(args=["stripe", "reconcile", "--since", "2026-11-01"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Stripe could not be reached")
