"""``stripe-sandbox``: run the sandbox as its own threaded HTTP server."""

from __future__ import annotations

import click
from werkzeug.serving import run_simple

from .app import DEFAULT_PORT, DEFAULT_SECRET, create_sandbox


@click.command("stripe-sandbox")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@click.option("--webhook-url", default=None, help="Where to POST events, e.g. the app's webhook.")
@click.option("--webhook-secret", default=DEFAULT_SECRET, show_default=True)
@click.option("--public-url", default=None, help="Base of hosted page links [http://HOST:PORT].")
def stripe_sandbox_command(
    host: str, port: int, webhook_url: str | None, webhook_secret: str, public_url: str | None
) -> None:
    """Serve an offline Stripe: the API under /v1, hosted Checkout, signed webhooks."""
    sandbox = create_sandbox(
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        public_url=public_url or f"http://{host}:{port}",
        background=True,
    )
    click.echo(f"Stripe sandbox on http://{host}:{port} (webhooks to {webhook_url or 'nowhere'})")
    try:
        run_simple(host, port, sandbox.wsgi_app, threaded=True, use_reloader=False)
    finally:
        sandbox.close()
