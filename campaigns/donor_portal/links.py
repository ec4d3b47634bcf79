"""Signed links that let a donor in without a password, each for one purpose and a while.

A link carries the donor's id and a hash of their address (not the address itself, which
would end up in logs), signed with SECRET_KEY and a salt per purpose: a statement link can't
open the manage page, and a link stops working when it expires or the donor's address changes.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import Donor
from ..urls import public_urls


class Purpose(enum.StrEnum):
    MANAGE = "manage"  # the /my-giving page: gifts, receipts, monthly changes
    CARD = "card"  # a failed payment's link to update the card of one monthly gift
    STATEMENT = "statement"  # one year's statement


_MAX_AGE_SETTING = {
    Purpose.MANAGE: "MY_GIVING_LINK_SECONDS",
    Purpose.CARD: "CARD_LINK_SECONDS",
    Purpose.STATEMENT: "STATEMENT_LINK_SECONDS",
}


class LinkExpired(Exception):
    """The link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was altered, made for another purpose, or its donor is gone or changed."""


@dataclass(frozen=True)
class DonorAccess:
    """Who a valid link lets in, and the extra it names (a gift id, a year)."""

    donor: Donor
    extra: dict[str, int]


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"my-giving:{purpose}")


def _fingerprint(donor: Donor) -> str:
    return hashlib.sha256(donor.email_key.encode()).hexdigest()[:16]


def max_age(purpose: Purpose) -> int:
    return int(current_app.config[_MAX_AGE_SETTING[purpose]])


def make_token(purpose: Purpose, donor: Donor, **extra: int) -> str:
    return _serializer(purpose).dumps({"d": donor.id, "e": _fingerprint(donor), **extra})


def read_token(purpose: Purpose, token: str) -> DonorAccess:
    """The donor a token lets in, or ``LinkExpired`` / ``LinkInvalid``."""
    try:
        payload: Any = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except SignatureExpired as exc:
        raise LinkExpired from exc
    except BadSignature as exc:
        raise LinkInvalid from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("d"), int):
        raise LinkInvalid
    donor = db.session.get(Donor, payload["d"])
    if donor is None or payload.get("e") != _fingerprint(donor):
        raise LinkInvalid
    extra = {key: value for key, value in payload.items() if key not in {"d", "e"}}
    if not all(isinstance(value, int) for value in extra.values()):
        raise LinkInvalid
    return DonorAccess(donor=donor, extra=extra)


def link_url(purpose: Purpose, donor: Donor, **extra: int) -> str:
    """The absolute, signed link for ``purpose``."""
    return public_urls().giving_link(purpose, make_token(purpose, donor, **extra))
