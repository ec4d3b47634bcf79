"""What every ``/v1`` request goes through: the API key, parameters, idempotency, errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, current_app, request

from .errors import StripeError
from .params import decode_form
from .schemas import SCHEMAS
from .store import API_VERSION, Store, random_token

JSON = dict[str, Any]
View = Callable[..., JSON]


@dataclass
class Remembered:
    """The first response to an idempotency key, replayed for every retry."""

    method: str
    path: str
    params: list[tuple[str, str]]
    status: int
    body: bytes


class IdempotencyKeys:
    """Stripe's idempotency: same key and parameters, same answer; else an error."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[str, Remembered] = {}
        self._running: set[str] = set()

    def begin(
        self, key: str, method: str, path: str, params: list[tuple[str, str]]
    ) -> Remembered | None:
        """The response to replay, or None after marking ``key`` as running."""
        with self._lock:
            if key in self._running:
                raise StripeError(
                    "There is currently another in-progress request using this Idempotent Key "
                    "(that probably means you submitted twice, and the other request is still "
                    "going through): "
                    f"{key}. Please try again later.",
                    status=409,
                    type="idempotency_error",
                    code="idempotency_key_in_use",
                )
            remembered = self._done.get(key)
            if remembered is None:
                self._running.add(key)
                return None
        if (remembered.method, remembered.path) != (method, path):
            raise StripeError(
                "Keys for idempotent requests can only be used for the same endpoint they were "
                f"first used for ('{remembered.method} {remembered.path}' vs '{method} {path}'). "
                f"Try using a key other than '{key}' if you meant to execute a different request.",
                type="idempotency_error",
            )
        if remembered.params != params:
            raise StripeError(
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                type="idempotency_error",
            )
        return remembered

    def finish(self, key: str, remembered: Remembered | None) -> None:
        with self._lock:
            self._running.discard(key)
            if remembered is not None:
                self._done[key] = remembered


def current_store() -> Store:
    """The state of the sandbox serving this request."""
    store: Store = current_app.extensions["stripe_sandbox"].store
    return store


def json_response(body: JSON, status: int, request_id: str, key: str | None) -> Response:
    return _response(json.dumps(body, indent=2).encode(), status, request_id, key)


def _response(body: bytes, status: int, request_id: str, key: str | None) -> Response:
    response = Response(body, status=status, content_type="application/json")
    response.headers["Request-Id"] = request_id
    response.headers["Stripe-Version"] = API_VERSION
    response.headers["Cache-Control"] = "no-cache, no-store"
    if key:
        response.headers["Idempotency-Key"] = key
    return response


def _authenticate() -> None:
    header = request.headers.get("Authorization", "")
    api_key = header[7:].strip() if header.startswith("Bearer ") else ""
    if not api_key and request.authorization and request.authorization.username:
        api_key = request.authorization.username  # curl -u sk_test_…:
    if not api_key:
        raise StripeError(
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth "
            "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            status=401,
        )
    if not api_key.startswith(("sk_test_", "rk_test_")):
        shown = api_key[:8] + "*" * max(len(api_key) - 12, 0) + api_key[-4:]
        raise StripeError(
            f"Invalid API Key provided: {shown}. The Stripe sandbox accepts test keys "
            "(sk_test_…) only.",
            status=401,
            code="api_key_invalid" if api_key.startswith("sk_") else None,
        )


def endpoint(schema: str) -> Callable[[View], Callable[..., Response]]:
    """Wrap a view taking checked parameters (and URL parts) and returning an object."""
    spec = SCHEMAS[schema]

    def decorate(view: View) -> Callable[..., Response]:
        @wraps(view)
        def handle(**path_args: str) -> Response:
            store: Store = current_app.extensions["stripe_sandbox"].store
            keys: IdempotencyKeys = current_app.extensions["stripe_sandbox"].idempotency
            request_id = f"req_{random_token(14)}"
            posted = request.method == "POST"
            pairs = list((request.form if posted else request.args).items(multi=True))
            key = request.headers.get("Idempotency-Key") if posted else None
            started = False
            try:
                _authenticate()
                params = spec.check(decode_form(pairs))
                if key:
                    remembered = keys.begin(key, request.method, request.path, pairs)
                    if remembered is not None:
                        replay = _response(remembered.body, remembered.status, request_id, key)
                        replay.headers["Idempotent-Replayed"] = "true"
                        return replay
                started = True
                with store.transaction(request_id, key):
                    body, status = view(params, **path_args), 200
            except StripeError as error:
                body, status = error.body(), error.status
            except Exception:
                current_app.logger.exception("sandbox error in %s %s", request.method, request.path)
                failure = StripeError("Something went wrong.", status=500, type="api_error")
                body, status = failure.body(), failure.status
            response = json_response(body, status, request_id, key)
            if key and started:
                # Stripe keeps the result of every request that began executing, errors too.
                keys.finish(
                    key,
                    Remembered(request.method, request.path, pairs, status, response.get_data()),
                )
            return response

        return handle

    return decorate
