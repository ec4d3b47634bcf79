"""The sandbox's state: every object as the JSON Stripe would return, events, and a lock."""

from __future__ import annotations

import copy
import secrets
import string
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .clock import Clock
from .errors import missing

API_VERSION = "2026-10-28.endive"  # the API version of the stripe SDK the app pins

JSON = dict[str, Any]
_ALPHABET = string.ascii_letters + string.digits


def random_token(length: int = 24) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


@dataclass
class Card:
    """A card someone typed on the hosted page, kept behind its ``pm_…`` id."""

    payment_method: str
    number: str
    exp_month: int
    exp_year: int
    name: str
    email: str

    @property
    def last4(self) -> str:
        return self.number[-4:]


class Store:
    """Objects by id, the event log, and the bookkeeping Stripe keeps out of its JSON.

    Every change happens inside ``transaction()``, which holds the lock and hands the events
    it produced to ``on_events`` in one batch when the outermost transaction ends, so a
    webhook never races the change that caused it.
    """

    def __init__(
        self, clock: Clock, on_events: Callable[[list[JSON]], None], endpoints: int
    ) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self.objects: dict[str, JSON] = {}
        self.events: list[JSON] = []
        self.session_items: dict[str, list[JSON]] = {}
        self.session_options: dict[str, JSON] = {}
        self.invoice_payments: dict[str, list[str]] = {}
        self.prorations: dict[str, list[JSON]] = {}
        self.cards: dict[str, Card] = {}
        self.endpoints = endpoints
        self._on_events = on_events
        self._outbox: list[JSON] = []
        self._request: JSON = {"id": None, "idempotency_key": None}
        self._depth = 0

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{random_token()}"

    def add(self, obj: JSON) -> JSON:
        self.objects[obj["id"]] = obj
        return obj

    def get(self, object_id: str, kind: str | None = None) -> JSON | None:
        """The object called ``object_id`` if it exists (and is a ``kind``)."""
        obj = self.objects.get(object_id)
        if obj is None or (kind is not None and obj.get("object") != kind):
            return None
        return obj

    def require(self, object_id: str, kind: str, label: str, param: str = "id") -> JSON:
        """The ``kind`` called ``object_id``, or the 404 Stripe sends ("No such customer")."""
        obj = self.get(object_id, kind)
        if obj is None:
            raise missing(label, object_id, param)
        return obj

    def counts(self) -> dict[str, int]:
        with self.lock:
            counter = Counter(str(obj.get("object")) for obj in self.objects.values())
            counter["event"] = len(self.events)
            return dict(sorted(counter.items()))

    @contextmanager
    def transaction(
        self, request_id: str | None = None, idempotency_key: str | None = None
    ) -> Iterator[None]:
        """Hold the lock; queue the events made inside once the outermost block ends."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self._request = {"id": request_id, "idempotency_key": idempotency_key}
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if outer:
                    batch, self._outbox = self._outbox, []
                    self._request = {"id": None, "idempotency_key": None}
                    if batch:
                        self._on_events(batch)

    def emit(
        self, event_type: str, obj: JSON, previous: JSON | None = None, at: int | None = None
    ) -> JSON:
        """Record an event carrying a snapshot of ``obj`` as it is now."""
        data: JSON = {"object": copy.deepcopy(obj)}
        if previous is not None:
            data["previous_attributes"] = copy.deepcopy(previous)
        event: JSON = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self.clock.now() if at is None else at,
            "data": data,
            "livemode": False,
            "pending_webhooks": self.endpoints,
            "request": dict(self._request),
            "type": event_type,
        }
        self.events.append(event)
        self._outbox.append(event)
        return event

    def mark_delivered(self, event_id: str) -> None:
        with self.lock:
            for event in reversed(self.events):
                if event["id"] == event_id:
                    event["pending_webhooks"] = 0
                    return
