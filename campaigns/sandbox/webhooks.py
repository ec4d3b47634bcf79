"""Signed webhook delivery: a queue, retries with backoff, and faults injected on purpose."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .clock import Clock

JSON = dict[str, Any]
Deliver = Callable[[bytes, dict[str, str]], int]

FIRST_RETRY = 0.5  # seconds; doubles after each failure
LONGEST_RETRY = 8.0
MAX_ATTEMPTS = 8
TRIES_PER_FLUSH = 3
STALE_BY = 600  # seconds: well past the 300 s tolerance of stripe.Webhook.construct_event


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` header for ``body``: ``t=…,v1=<hmac-sha256 of "t.body">``."""
    payload = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post(url: str) -> Deliver:
    """Deliver by HTTP POST to ``url``; a connection failure counts as status 0."""

    def deliver(body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - the configured endpoint
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except (OSError, ValueError):
            return 0

    return deliver


@dataclass
class Faults:
    """Misbehaviour applied to deliveries queued while it is set (until cleared)."""

    duplicate: int = 0  # deliver every event this many extra times
    reorder: bool = False  # deliver each pending batch newest first
    delay_seconds: int = 0  # hold new deliveries this long (on the sandbox clock)
    stale_signature: bool = False  # sign first attempts 10 minutes in the past
    drop: bool = False  # never deliver (the event is still listed by the API)
    fail_deliveries: int = 0  # the next N attempts fail as if the connection broke


@dataclass
class Attempt:
    at: float
    status: int
    stale_signature: bool = False
    simulated: bool = False


@dataclass
class Delivery:
    event_id: str
    event_type: str
    body: bytes
    not_before: int  # sandbox-clock seconds
    stale_first: bool = False
    copy: int = 0
    state: str = "pending"  # pending, in_flight, delivered, failed, dropped
    retry_at: float = 0.0  # monotonic seconds
    attempts: list[Attempt] = field(default_factory=list)

    def report(self) -> JSON:
        return {
            "event": self.event_id,
            "type": self.event_type,
            "copy": self.copy,
            "state": self.state,
            "attempts": [asdict(attempt) for attempt in self.attempts],
        }


class Dispatcher:
    """Queues events and delivers them, in order, outside the request that made them."""

    def __init__(
        self,
        clock: Clock,
        deliver: Deliver | None,
        secret: str,
        on_delivered: Callable[[str], None],
    ) -> None:
        self.clock = clock
        self.deliver = deliver
        self.secret = secret
        self.faults = Faults()
        self.deliveries: list[Delivery] = []
        self._on_delivered = on_delivered
        self._cond = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopping = False

    def enqueue(self, events: list[JSON]) -> None:
        """Queue one batch of events, applying the faults now in force."""
        if self.deliver is None:
            return
        with self._cond:
            faults = self.faults
            for event in events:
                body = json.dumps(event, indent=2).encode()
                for copy in range(1 + max(faults.duplicate, 0)):
                    delivery = Delivery(
                        event_id=event["id"],
                        event_type=event["type"],
                        body=body,
                        not_before=self.clock.now() + max(faults.delay_seconds, 0),
                        stale_first=faults.stale_signature,
                        copy=copy,
                        state="dropped" if faults.drop else "pending",
                    )
                    self.deliveries.append(delivery)
            self._cond.notify_all()

    def set_faults(self, faults: Faults) -> None:
        with self._cond:
            self.faults = faults
            self._cond.notify_all()

    def report(self) -> list[JSON]:
        with self._cond:
            return [delivery.report() for delivery in self.deliveries]

    def _take_due(self, *, honour_backoff: bool, skip: set[int]) -> list[Delivery]:
        now, clock_now = time.monotonic(), self.clock.now()
        batch = [
            d
            for d in self.deliveries
            if d.state == "pending"
            and id(d) not in skip
            and d.not_before <= clock_now
            and (not honour_backoff or d.retry_at <= now)
        ]
        if self.faults.reorder:
            batch.reverse()
        for delivery in batch:
            delivery.state = "in_flight"
        return batch

    def _attempt(self, delivery: Delivery) -> int:
        assert self.deliver is not None
        with self._cond:
            simulate = self.faults.fail_deliveries > 0
            if simulate:
                self.faults.fail_deliveries -= 1
        stale = delivery.stale_first and not delivery.attempts
        if simulate:
            status = 0
        else:
            timestamp = int(time.time()) - (STALE_BY if stale else 0)
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": sign(delivery.body, self.secret, timestamp),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            }
            try:
                status = self.deliver(delivery.body, headers)
            except Exception:  # a broken receiver is a failed delivery, as it is for Stripe
                status = 0
        delivery.attempts.append(Attempt(time.time(), status, stale, simulate))
        return status

    def _settle(self, delivery: Delivery, status: int) -> None:
        with self._cond:
            if 200 <= status < 300:
                delivery.state = "delivered"
            elif len(delivery.attempts) >= MAX_ATTEMPTS:
                delivery.state = "failed"
            else:
                delay = min(FIRST_RETRY * 2 ** (len(delivery.attempts) - 1), LONGEST_RETRY)
                delivery.retry_at = time.monotonic() + delay
                delivery.state = "pending"
        if delivery.state == "delivered":
            self._on_delivered(delivery.event_id)

    def flush(self) -> list[tuple[str, int]]:
        """Deliver everything due now, retrying a failure a few times at once; the attempts."""
        attempts: list[tuple[str, int]] = []
        tried: set[int] = set()
        while True:
            with self._cond:
                batch = self._take_due(honour_backoff=False, skip=tried)
            if not batch:
                return attempts
            for delivery in batch:
                tried.add(id(delivery))
                for _ in range(TRIES_PER_FLUSH):
                    status = self._attempt(delivery)
                    attempts.append((delivery.event_id, status))
                    if 200 <= status < 300 or len(delivery.attempts) >= MAX_ATTEMPTS:
                        break
                self._settle(delivery, status)

    def start(self) -> None:
        """Deliver continuously from a daemon thread, with backoff between retries."""
        if self._worker is None and self.deliver is not None:
            self._worker = threading.Thread(target=self._run, name="webhooks", daemon=True)
            self._worker.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=5)
            self._worker = None

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopping:
                    return
                batch = self._take_due(honour_backoff=True, skip=set())
                if not batch:
                    self._cond.wait(timeout=0.1)
                    continue
            for delivery in batch:
                self._settle(delivery, self._attempt(delivery))
