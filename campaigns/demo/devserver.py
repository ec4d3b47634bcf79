"""``python -m campaigns.demo.devserver``: the app for development, the Stripe sandbox beside it.

When no STRIPE_SECRET_KEY is set, the offline sandbox starts on 127.0.0.1:12111 and sends its
webhooks to the app, so a donation with 4242 4242 4242 4242 works end to end on a fresh machine.
The email worker runs beside them; without MAIL_SERVER it keeps emails at /dev/mailbox, where
the receipt of that donation shows up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ..config import SANDBOX_API, SANDBOX_WEBHOOK_SECRET

ROOT = Path(__file__).resolve().parents[2]  # the checkout, where app.py is
HOST, PORT = "127.0.0.1", 5000
SANDBOX_PORT = int(SANDBOX_API.rsplit(":", 1)[1])


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT)  # noqa: S603 - our own modules


def main() -> int:
    # Stopping this process (Ctrl-C or a TERM signal) stops the servers it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    children: list[subprocess.Popen[bytes]] = []
    if not os.environ.get("STRIPE_SECRET_KEY"):
        print(f"No STRIPE_SECRET_KEY: starting the Stripe sandbox on {SANDBOX_API}", flush=True)
        children.append(
            _spawn(
                "-m",
                "campaigns.sandbox",
                "--port",
                str(SANDBOX_PORT),
                "--webhook-url",
                f"http://{HOST}:{PORT}/stripe/webhook",
                "--webhook-secret",
                os.environ.get("STRIPE_WEBHOOK_SECRET", SANDBOX_WEBHOOK_SECRET),
            )
        )
    app = _spawn("-m", "flask", "--app", "app", "run", "--host", HOST, "--port", str(PORT))
    children.append(app)
    children.append(
        _spawn("-m", "flask", "--app", "app", "emails", "send", "--loop", "--interval", "2")
    )
    if not os.environ.get("MAIL_SERVER"):
        print(f"No MAIL_SERVER: emails are kept at http://{HOST}:{PORT}/dev/mailbox", flush=True)
    try:
        return app.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    raise SystemExit(main())
