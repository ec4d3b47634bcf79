"""Who gives when: the history's gifts, planned as small time-ordered events before any row."""

from __future__ import annotations

import bisect
import enum
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate

from ...models import RecurringStatus
from .calendar import Drive

YEAR = 365.25 * 86400
DAY = 86400.0

MONTHLY_SHARE = 0.12  # donors who give monthly
ATTEMPT_SHARE = 0.06  # rows that never got paid: expired or failed checkouts, voided checks
OFFLINE_SHARE = 0.008  # one-time gifts by check, cash or bank transfer
NEWSLETTER_SHARE = 0.45
# A month's chance that a monthly donor stops, and that a failing card ends the gift instead.
MONTHLY_CHURN = 0.022
CARD_LOSS = 0.008
# How much less likely a donor is to give again with every year since their first gift.
YEARLY_RETENTION = 0.55


class Kind(enum.IntEnum):
    ONE_TIME = 0  # aux: 0 card, else an offline method
    MONTHLY_FIRST = 1  # aux: index into Plan.monthly
    RENEWAL = 2
    RENEWAL_FAILED = 3
    ATTEMPT = 4  # who: a donor; aux: an Outcome
    STRANGER = 5  # who: someone who never completed a gift; aux: an Outcome


class Outcome(enum.IntEnum):
    EXPIRED = 0
    FAILED = 1
    VOIDED = 2


# (when, kind, who, drive index, aux): tuples, because a million of them must stay small.
Event = tuple[float, int, int, int, int]


@dataclass
class MonthlyPlan:
    donor: int
    drive: int
    start: float
    paid: int  # renewals paid after the first gift
    failed: int  # renewals that failed after those
    status: RecurringStatus
    ended_at: float | None = None
    next_charge: float | None = None
    cancel_at_period_end: bool = False
    # Filled in when the monthly gift's row is written, and copied onto every renewal.
    record_id: int = 0
    amount: int = 0
    fee: int = 0
    source: str = ""
    variant: str = ""
    anonymous: bool = False
    dedication: str = ""


@dataclass
class Plan:
    events: list[Event]
    first_gift: list[float]  # per donor: their first paid gift, when their record was made
    first_offline: bytearray  # per donor: 1 when that first gift came by check, cash or bank
    newsletter: bytearray
    monthly: list[MonthlyPlan] = field(default_factory=list)
    strangers: int = 0


def month_after(start: float, months: int) -> float:
    """The same day of the month (28th at most), ``months`` later, as Stripe bills."""
    moment = datetime.fromtimestamp(start, UTC)
    year, month = divmod(moment.month - 1 + months, 12)
    return moment.replace(
        year=moment.year + year, month=month + 1, day=min(moment.day, 28)
    ).timestamp()


def _lifecycle(rng: random.Random, plan: MonthlyPlan, now: float) -> None:
    """How long the monthly gift ran, and how it stands now."""
    available = 0
    while month_after(plan.start, available + 1) <= now:
        available += 1
    leave = MONTHLY_CHURN + CARD_LOSS
    tenure = int(math.log(1.0 - rng.random()) / math.log(1.0 - leave))
    if tenure >= available:
        if available and rng.random() < 0.06:
            plan.status = RecurringStatus.PAST_DUE
            plan.failed = min(available, 1 + (rng.random() < 0.3))
            plan.paid = available - plan.failed
            plan.next_charge = now + rng.uniform(1, 6) * DAY
        else:
            plan.status = RecurringStatus.ACTIVE
            plan.paid = available
            plan.next_charge = month_after(plan.start, available + 1)
            plan.cancel_at_period_end = rng.random() < 0.04
        return
    plan.paid = tenure
    if rng.random() < CARD_LOSS / leave:
        plan.failed = min(rng.randint(1, 3), available - tenure)
    _cancel(rng, plan, now)


def _cancel(rng: random.Random, plan: MonthlyPlan, now: float) -> None:
    plan.status = RecurringStatus.CANCELED
    plan.next_charge = None
    plan.cancel_at_period_end = False
    last = month_after(plan.start, plan.paid + plan.failed)
    plan.ended_at = min(last + rng.uniform(0.1, 25) * DAY, now)


def _fit_renewals(rng: random.Random, plans: list[MonthlyPlan], budget: int, now: float) -> None:
    """Shorten monthly histories (ending them earlier) until their renewals fit the budget."""
    natural = sum(p.paid + p.failed for p in plans)
    if natural <= budget:
        return
    scale = budget / natural
    for plan in plans:
        kept = int((plan.paid + plan.failed) * scale)
        if kept < plan.paid + plan.failed:
            plan.paid, plan.failed = kept, 0
            _cancel(rng, plan, now)


class _Chooser:
    """Picks drives: first gifts by drive size, later ones fading with the years since."""

    def __init__(self, drives: list[Drive]) -> None:
        self.first = list(accumulate(d.size for d in drives))
        self.later: list[list[float]] = []
        for start, drive in enumerate(drives):
            weights = [0.0] * start + [
                d.size * YEARLY_RETENTION ** ((d.opens - drive.opens) / YEAR)
                for d in drives[start:]
            ]
            self.later.append(list(accumulate(weights)))

    def pick_first(self, rng: random.Random) -> int:
        return bisect.bisect(self.first, rng.random() * self.first[-1])

    def pick_later(self, rng: random.Random, first: int) -> int:
        cumulative = self.later[first]
        return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def _spread(rng: random.Random, weights: list[float], count: int) -> list[int]:
    """``count`` items handed out in proportion to ``weights``: how many each index gets."""
    given = [0] * len(weights)
    if count:
        for index in rng.choices(
            range(len(weights)), cum_weights=list(accumulate(weights)), k=count
        ):
            given[index] += 1
    return given


def plan_history(
    rng: random.Random, drives: list[Drive], donors: int, donations: int, now: float
) -> Plan:
    """Exactly ``donors`` donors with a paid first gift and ``donations`` gifts in all."""
    chooser = _Chooser(drives)
    attempts = min(round(donations * ATTEMPT_SHARE), donations - donors)
    spare = donations - donors - attempts
    first_drive = [chooser.pick_first(rng) for _ in range(donors)]
    monthly_donors = sorted(rng.sample(range(donors), round(donors * MONTHLY_SHARE)))
    monthly: list[MonthlyPlan] = []
    for donor in monthly_donors:
        drive = first_drive[donor]
        plan = MonthlyPlan(donor, drive, drives[drive].moment(rng), 0, 0, RecurringStatus.ACTIVE)
        _lifecycle(rng, plan, now)
        monthly.append(plan)
    _fit_renewals(rng, monthly, int(spare * 0.6), now)
    monthly.sort(key=lambda p: p.start)
    renewals = sum(p.paid + p.failed for p in monthly)

    monthly_of = {plan.donor: index for index, plan in enumerate(monthly)}
    # A few donors give again and again; most give once or twice.
    weights = [
        0.3 if donor in monthly_of else min(rng.paretovariate(1.6), 150.0)
        for donor in range(donors)
    ]
    repeats = _spread(rng, weights, spare - renewals)

    events: list[Event] = []
    first_gift = [math.inf] * donors
    first_offline = bytearray(donors)
    for donor in range(donors):
        drive = first_drive[donor]
        gifts: list[tuple[float, int, int]] = []
        if donor in monthly_of:
            index = monthly_of[donor]
            events.append((monthly[index].start, Kind.MONTHLY_FIRST, donor, drive, index))
            gifts.append((monthly[index].start, drive, -1))
        else:
            gifts.append((drives[drive].moment(rng), drive, _method(rng)))
        for _ in range(repeats[donor]):
            later = chooser.pick_later(rng, drive)
            gifts.append((drives[later].moment(rng), later, _method(rng)))
        for when, where, method in gifts:
            if method >= 0:
                events.append((when, Kind.ONE_TIME, donor, where, method))
            if when < first_gift[donor]:
                first_gift[donor], first_offline[donor] = when, method > 0
    for index, plan in enumerate(monthly):
        for month in range(1, plan.paid + plan.failed + 1):
            kind = Kind.RENEWAL if month <= plan.paid else Kind.RENEWAL_FAILED
            when = month_after(plan.start, month) + rng.uniform(0.5, 2.5) * 3600
            events.append((min(when, now - 1), kind, plan.donor, plan.drive, index))

    strangers = max(1, round(attempts * 0.45 / 1.15)) if attempts else 0
    for _ in range(attempts):
        if rng.random() < 0.55:
            donor = rng.randrange(donors)
            drive = chooser.pick_later(rng, first_drive[donor])
            outcome = _outcome(rng, voidable=True)
            when = drives[drive].moment(rng)
            if outcome is Outcome.VOIDED:  # a check recorded in error, after the donor's first
                when = min(max(when, first_gift[donor] + DAY), now - 1)
            events.append((when, Kind.ATTEMPT, donor, drive, outcome))
        else:
            drive = chooser.pick_first(rng)
            who = rng.randrange(strangers)
            events.append((drives[drive].moment(rng), Kind.STRANGER, who, drive, _outcome(rng)))
    events.sort()
    assert len(events) == donations, (len(events), donations)
    newsletter = bytearray(rng.random() < NEWSLETTER_SHARE for _ in range(donors))
    return Plan(events, first_gift, first_offline, newsletter, monthly, strangers)


def _method(rng: random.Random) -> int:
    """0 for a card; 1, 2 or 3 for check, bank transfer or cash."""
    if rng.random() >= OFFLINE_SHARE:
        return 0
    return rng.choices((1, 2, 3), weights=(60, 25, 15))[0]


def _outcome(rng: random.Random, *, voidable: bool = False) -> Outcome:
    roll = rng.random()
    if voidable and roll < 0.03:
        return Outcome.VOIDED
    return Outcome.EXPIRED if roll < 0.6 else Outcome.FAILED
