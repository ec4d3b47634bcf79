"""Signed-cookie sessions everywhere but on the public banner endpoints."""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

# Blueprints whose answers are the same for everyone and never read a session.
SESSIONLESS_BLUEPRINTS = frozenset({"api", "widget"})


class PublicAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's own sessions, except that the banner's endpoints never save one.

    Other code touches the session on every request (the login manager's cookie refresh),
    and a touched session makes Flask add ``Vary: Cookie``, which most CDNs decline to
    cache. On endpoints whose answer never depends on a cookie, there is nothing to vary on
    and no cookie to set: host pages get no cookie from us.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.blueprint in SESSIONLESS_BLUEPRINTS:
            return
        super().save_session(app, session, response)
