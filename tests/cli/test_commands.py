"""Every command group reaches ``flask``, the ones of other packages through entry points."""


def test_demo_and_sandbox_commands_reach_flask_through_entry_points() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    listing = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "demo " in listing and "stripe-sandbox " in listing and "ledger " in listing
