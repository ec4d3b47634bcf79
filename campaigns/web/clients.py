"""Telling clients apart for rate limits, without keeping who they are."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request


def client_address() -> str:
    """The client's address, read through as many proxies as ``TRUSTED_PROXY_HOPS`` says."""
    hops: int = current_app.config["TRUSTED_PROXY_HOPS"]
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.headers.get("X-Forwarded-For", "").split(",")
            if part.strip()
        ]
        # Entries left of the trusted proxies' own are whatever the client claimed.
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr or ""


def anonymous_client_key() -> str:
    """A keyed hash of the client's address: the limiter's store never holds the address.

    A plain hash of an IPv4 address can be reversed by trying all four billion; a keyed one
    can't without the app's secret.
    """
    secret = current_app.config["SECRET_KEY"].encode()
    key = hmac.new(secret + b"|rate-limit", client_address().encode(), hashlib.sha256)
    return key.hexdigest()[:32]
