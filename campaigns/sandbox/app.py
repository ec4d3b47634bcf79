"""``create_sandbox()``: the whole offline Stripe as one WSGI app plus its webhook sender."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from .api import api
from .billing import renew_due
from .checkout import expire_due
from .checkout_page import checkout_page
from .clock import Clock
from .control import control
from .endpoint import IdempotencyKeys
from .errors import StripeError
from .portal import portal_api, portal_page
from .store import API_VERSION, Store
from .webhooks import Deliver, Dispatcher, post

DEFAULT_PORT = 12111
DEFAULT_SECRET = "whsec_sandbox"  # noqa: S105 - a well-known test secret


class Sandbox:
    """The sandbox's state, its Flask app (``wsgi_app``) and its webhook dispatcher."""

    def __init__(
        self,
        *,
        webhook_url: str | None,
        webhook_secret: str,
        public_url: str,
        deliver: Deliver | None,
        background: bool,
    ) -> None:
        self.public_url = public_url.rstrip("/")
        self.clock = Clock()
        sender = deliver or (post(webhook_url) if webhook_url else None)
        self.dispatcher = Dispatcher(self.clock, sender, webhook_secret, self._delivered)
        self.store = Store(self.clock, self.dispatcher.enqueue, endpoints=1 if sender else 0)
        self.idempotency = IdempotencyKeys()
        self.renewals = 0
        self.clock.listen(self._time_passed)
        self.wsgi_app = self._build_app()
        if background:
            self.dispatcher.start()

    def _delivered(self, event_id: str) -> None:
        self.store.mark_delivered(event_id)

    def _time_passed(self, now: int) -> None:
        """Do what falls due as the clock moves: expire sessions, renew subscriptions."""
        with self.store.transaction():
            expire_due(self.store, now)
            self.renewals += renew_due(self.store, now)

    def _build_app(self) -> Flask:
        app = Flask("campaigns.sandbox")
        app.json.sort_keys = False  # type: ignore[attr-defined]
        app.extensions["stripe_sandbox"] = self
        app.register_blueprint(api)
        app.register_blueprint(checkout_page)
        app.register_blueprint(control)
        app.register_blueprint(portal_api)
        app.register_blueprint(portal_page)

        @app.before_request
        def catch_up() -> None:
            # Real time moves too: a long-running sandbox expires sessions and renews gifts.
            self._time_passed(self.clock.now())

        @app.get("/")
        def index() -> dict[str, Any]:
            return {"sandbox": "stripe", "api_version": API_VERSION}

        @app.errorhandler(HTTPException)
        def http_error(error: HTTPException) -> Any:
            if request.path.startswith(("/v1/", "/_sandbox/")):
                message = (
                    "Unrecognized request URL "
                    f"({request.method}: {request.path}). The Stripe sandbox does not serve it."
                )
                if error.code == 403:
                    message = "The sandbox's control endpoints answer loopback clients only."
                status = error.code or 500
                return StripeError(message, status=status).body(), status
            return error

        return app

    def flush_webhooks(self) -> list[tuple[str, int]]:
        """Deliver every queued event now, in order; the ``(event_id, status)`` attempts."""
        return self.dispatcher.flush()

    def close(self) -> None:
        """Stop the background sender, if one runs."""
        self.dispatcher.stop()


def create_sandbox(
    webhook_url: str | None = None,
    webhook_secret: str = DEFAULT_SECRET,
    public_url: str = f"http://127.0.0.1:{DEFAULT_PORT}",
    deliver: Deliver | None = None,
    background: bool = False,
) -> Sandbox:
    """A fresh, empty sandbox; events go to ``deliver`` or are POSTed to ``webhook_url``."""
    return Sandbox(
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        public_url=public_url,
        deliver=deliver,
        background=background,
    )
