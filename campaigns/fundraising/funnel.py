"""The banner funnel: beacons counted per day, stage and variant, and the gifts they led to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from ..db import upsert
from ..errors import ValidationError
from ..extensions import db
from ..models import BannerEventCount, BannerEventKind, Donation, Stage
from .banner import BANNER_SOURCE

# A beacon is three short strings; anything much bigger is not ours.
MAX_BEACON_BYTES = 512
BEACON_FIELDS = frozenset({"kind", "stage", "variant"})
_COUNTER_KEY = ("campaign_id", "day", "stage", "variant", "kind")


@dataclass(frozen=True)
class BannerEvent:
    kind: BannerEventKind
    stage: Stage
    variant: str


@dataclass(frozen=True)
class VariantFunnel:
    """One variant's way from seen to given."""

    variant: str
    impressions: int  # estimated from the sampled beacons
    clicks: int
    closes: int
    checkouts: int  # Stripe Checkouts started from a banner click
    donations: int  # of those, gifts that count toward the goal
    raised: int  # what those gifts add, in minor units


def _invalid(message: str) -> ValidationError:
    return ValidationError({"beacon": message})


def parse_beacon(body: bytes, known: frozenset[tuple[Stage, str]]) -> BannerEvent:
    """The event a beacon reports, or ``ValidationError``: the stage and variant must exist."""
    if len(body) > MAX_BEACON_BYTES:
        raise _invalid(f"larger than {MAX_BEACON_BYTES} bytes")
    try:
        data = json.loads(body)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError alike
        raise _invalid("not JSON") from None
    if not isinstance(data, dict) or set(data) != BEACON_FIELDS:
        raise _invalid("expected an object with kind, stage and variant")
    if not all(isinstance(data[name], str) for name in BEACON_FIELDS):
        raise _invalid("kind, stage and variant must be strings")
    try:
        kind = BannerEventKind(data["kind"])
        stage = Stage(data["stage"])
    except ValueError:
        raise _invalid("unknown kind or stage") from None
    if (stage, data["variant"]) not in known:
        raise _invalid("no such variant for that stage")
    return BannerEvent(kind=kind, stage=stage, variant=data["variant"])


def campaign_day(now: datetime, timezone: str) -> date:
    """The calendar day at ``now`` where the campaign is run."""
    return now.astimezone(ZoneInfo(timezone)).date()


def record_event(campaign_id: int, day: date, event: BannerEvent, impression_sample: int) -> int:
    """Add one beacon to its counter (one statement, race-free); returns the beacons so far."""
    weight = impression_sample if event.kind is BannerEventKind.IMPRESSION else 1
    return upsert(
        BannerEventCount,
        {
            "campaign_id": campaign_id,
            "day": day,
            "stage": event.stage,
            "variant": event.variant,
            "kind": event.kind,
            "beacons": 1,
            "events": weight,
        },
        conflict=_COUNTER_KEY,
        update=(
            "beacons = banner_event_count.beacons + excluded.beacons, "
            "events = banner_event_count.events + excluded.events"
        ),
        returning="beacons",
    )


def banner_funnel(campaign_id: int) -> list[VariantFunnel]:
    """Impressions, clicks, closes, checkouts started and gifts for each variant."""
    events: dict[str, dict[BannerEventKind, int]] = {}
    counters = db.session.execute(
        select(BannerEventCount.variant, BannerEventCount.kind, func.sum(BannerEventCount.events))
        .where(BannerEventCount.campaign_id == campaign_id)
        .group_by(BannerEventCount.variant, BannerEventCount.kind)
    )
    for variant, kind, total in counters:
        events.setdefault(variant, {})[kind] = int(total)
    # Renewals of monthly gifts copy the first gift's source but start no checkout.
    gifts = {
        variant: (int(started), int(counted or 0), int(raised or 0))
        for variant, started, counted, raised in db.session.execute(
            select(
                Donation.variant,
                func.count(),
                func.sum(case((Donation.counted, 1), else_=0)),
                func.sum(Donation.counted_amount),
            )
            .where(
                Donation.campaign_id == campaign_id,
                Donation.source == BANNER_SOURCE,
                Donation.stripe_checkout_session_id.is_not(None),
            )
            .group_by(Donation.variant)
        )
    }
    rows = []
    for variant in sorted(events.keys() | gifts.keys()):
        counts = events.get(variant, {})
        started, counted, raised = gifts.get(variant, (0, 0, 0))
        rows.append(
            VariantFunnel(
                variant=variant,
                impressions=counts.get(BannerEventKind.IMPRESSION, 0),
                clicks=counts.get(BannerEventKind.CLICK, 0),
                closes=counts.get(BannerEventKind.CLOSE, 0),
                checkouts=started,
                donations=counted,
                raised=raised,
            )
        )
    return rows
