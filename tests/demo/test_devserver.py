"""``python -m campaigns.demo.devserver``: what ``make run`` starts beside the app."""

from __future__ import annotations

from campaigns.demo import devserver


def test_the_run_command_starts_the_email_worker(monkeypatch, capsys) -> None:
    started: list[tuple[str, ...]] = []

    class Child:
        def __init__(self, args: tuple[str, ...]) -> None:
            self.args = args

        def wait(self, timeout: float | None = None) -> int:
            return 0

        def poll(self) -> int:
            return 0

    def spawn(*args: str) -> Child:
        started.append(args)
        return Child(args)

    monkeypatch.setattr(devserver, "_spawn", spawn)
    monkeypatch.setattr(devserver.signal, "signal", lambda *args: None)  # keep pytest's own
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    assert devserver.main() == 0
    assert ("-m", "flask", "--app", "app", "emails", "send", "--loop", "--interval", "2") in started
    assert "emails are kept at http://127.0.0.1:5000/dev/mailbox" in capsys.readouterr().out
