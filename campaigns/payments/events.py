"""A Stripe event as the inbox keeps it: its envelope checked, and the object it is about."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Stripe's ids and type names are short runs of letters, digits and a little punctuation;
# anything else (a NUL byte, a 10 kB string, a number) is not a Stripe event.
_TOKEN = re.compile(r"[A-Za-z0-9_.:\-]{1,255}")
_LONGEST_TYPE = 100
# Unix seconds up to the year 5000: anything larger is no date Stripe sends.
_LATEST = 95_617_584_000


class InvalidEvent(ValueError):
    """A signed payload that isn't a Stripe event we can store: answered 400, stored nowhere."""


class MalformedEvent(ValueError):
    """An event whose object a handler cannot read: parked as failed at once (no retry fixes it)."""


@dataclass(frozen=True)
class InboundEvent:
    id: str
    type: str
    created: int
    object_key: str
    data: Mapping[str, Any]  # ``data.object``


def _token(value: Any) -> str | None:
    """``value`` if it is an id-shaped string, else None."""
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None


def expandable_id(value: Any) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the whole object."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return _token(value)


def _subscription_of_invoice(invoice: Mapping[str, Any]) -> str | None:
    parent = invoice.get("parent")
    details = parent.get("subscription_details") if isinstance(parent, Mapping) else None
    return expandable_id(details.get("subscription")) if isinstance(details, Mapping) else None


def object_key(event_type: str, obj: Mapping[str, Any]) -> str | None:
    """The object whose events must be applied in Stripe's order.

    A monthly gift is one subscription: its checkout session, invoices and subscription
    snapshots all change the same recurring gift (a failed invoice makes it past due, a
    later snapshot makes it active again), so they share the subscription's key. Refunds
    and disputes move one payment's figures, so they share the payment intent's.
    """
    kind = event_type.split(".", 1)[0]
    own = expandable_id(obj.get("id"))
    if kind == "checkout":
        return expandable_id(obj.get("subscription")) or own
    if kind == "invoice":
        return _subscription_of_invoice(obj) or own
    if kind == "charge":
        return expandable_id(obj.get("payment_intent")) or expandable_id(obj.get("charge")) or own
    return own


def parse_event(event: Mapping[str, Any]) -> InboundEvent:
    """The envelope as typed values, or ``InvalidEvent`` saying what is wrong with it."""
    event_id = _token(event.get("id"))
    if event_id is None:
        raise InvalidEvent("the event has no usable id")
    event_type = _token(event.get("type"))
    if event_type is None or len(event_type) > _LONGEST_TYPE:
        raise InvalidEvent("the event has no usable type")
    created = event.get("created")
    if isinstance(created, bool) or not isinstance(created, int) or not 0 <= created <= _LATEST:
        raise InvalidEvent("the event has no usable creation time")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(obj, Mapping):
        raise InvalidEvent("the event has no data.object")
    return InboundEvent(
        id=event_id,
        type=event_type,
        created=created,
        object_key=object_key(event_type, obj) or event_id,
        data=obj,
    )
