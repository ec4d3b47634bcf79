"""The planned history turned into table rows, as tuples in a fixed column order."""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any, NamedTuple

from ...fundraising.fees import fee_to_cover
from ...fundraising.totals import net_of
from ...models import DisputeStatus, DonationStatus, Frequency, PaymentMethod
from .amounts import monthly_amount, one_time_amount
from .calendar import Drive
from .plan import DAY, Kind, Outcome, Plan

Row = tuple[Any, ...]

DONOR_COLUMNS = (
    "id",
    "email",
    "email_key",
    "name",
    "newsletter",
    "stripe_customer_id",
    "created_at",
)
RECURRING_COLUMNS = (
    *("id", "stripe_subscription_id", "campaign_id", "donor_id", "amount", "currency", "status"),
    *("next_charge_at", "cancel_at_period_end", "failed_payments", "source", "variant"),
    *("started_at", "canceled_at", "stripe_state_at"),
)
DONATION_COLUMNS = (
    *("id", "campaign_id", "donor_id", "recurring_gift_id", "amount", "fee_amount", "currency"),
    *("frequency", "status", "counted_amount", "counted", "name", "email", "anonymous"),
    *("dedication", "comment", "newsletter", "source", "variant", "method", "reference"),
    *("recorded_by_id", "voided_at", "amount_refunded", "dispute_status"),
    *("stripe_checkout_session_id", "stripe_payment_intent_id", "stripe_invoice_id"),
    *("created_at", "paid_at", "updated_at"),
)
PAYMENT_COLUMNS = (
    *("id", "stripe_payment_intent_id", "stripe_charge_id", "amount_refunded"),
    *("dispute_status", "disputed_amount", "dispute_event_at", "updated_at"),
)

SOURCES = ("banner", "email", "social", "direct", "")
SOURCE_WEIGHTS = (38, 30, 9, 13, 10)
OFFLINE_METHODS = {1: PaymentMethod.CHECK, 2: PaymentMethod.BANK_TRANSFER, 3: PaymentMethod.CASH}
COVER_FEES = 0.4
REFUNDED = 0.012
DISPUTED = 0.0015
COMMENTS = (
    "Keep up the great work!",
    "Thank you for your reporting on the city council.",
    "Independent news matters. Happy to help.",
    "For the investigations team.",
    "Wish it could be more this year.",
    "Your coverage of the school board was excellent.",
    "Long-time reader, first-time donor.",
    "In gratitude for honest journalism.",
    "Please keep it free for everyone.",
    "Monthly is easier for me - thank you!",
)
_SOURCE_CUMULATIVE = list(accumulate(SOURCE_WEIGHTS))
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_PAIRS = [a + b for a in _BASE62 for b in _BASE62]
_NO_SYMBOLS = bytes.maketrans(b"+/", b"Qz")
_PAID, _FAILED, _EXPIRED = DonationStatus.PAID, DonationStatus.FAILED, DonationStatus.EXPIRED


class _CampaignFacts(NamedTuple):
    id: int
    currency: str
    fee_basis_points: int
    fee_fixed: int


def _time(stamp: float | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(stamp, UTC)


class RowMaker:
    """Builds rows in id order; ids start after the ones the tables already hold."""

    def __init__(
        self,
        rng: random.Random,
        plan: Plan,
        drives: list[Drive],
        people: tuple[list[str], list[str]],
        first_ids: dict[str, int],
        now: float,
    ) -> None:
        self.rng, self.plan, self.drives, self.now = rng, plan, drives, now
        self.names, self.emails = people
        self.first_ids = first_ids
        self.donor_ids = [0] * len(plan.first_gift)
        self.payments: list[Row] = []
        self.raised: dict[int, int] = {}  # campaign id -> counted amounts written
        self.seen = bytearray(len(plan.first_gift))  # donors whose first gift was written
        # Plain copies of what every row reads, without going through the ORM's attributes.
        self.campaigns = [
            _CampaignFacts(
                d.campaign.id,
                d.campaign.currency,
                d.campaign.fee_basis_points,
                d.campaign.fee_fixed_amount,
            )
            for d in drives
        ]

    def _token(self, prefix: str, serial: int, length: int = 14) -> str:
        """A Stripe-like id: the serial, then random letters and digits."""
        # The serial keeps it unique and, leading, fills the unique indexes at their end (as
        # Stripe's own ids roughly follow time), which keeps a million inserts fast.
        high, low = divmod(serial, 3844)
        top, middle = divmod(high, 3844)
        tail = base64.b64encode(self.rng.randbytes(length)).translate(_NO_SYMBOLS)
        return f"{prefix}_{_PAIRS[top % 3844]}{_PAIRS[middle]}{_PAIRS[low]}{tail[:length].decode()}"

    def _source(self) -> tuple[str, str]:
        source = self.rng.choices(SOURCES, cum_weights=_SOURCE_CUMULATIVE)[0]
        return source, (self.rng.choice("ab") if source == "banner" else "")

    def _dedication(self) -> str:
        if self.rng.random() >= 0.04:
            return ""
        verb = self.rng.choice(("In memory of", "In honor of"))
        return f"{verb} {self.names[self.rng.randrange(len(self.names))]}"

    def donor_rows(self) -> Iterator[Row]:
        order = sorted(range(len(self.plan.first_gift)), key=self.plan.first_gift.__getitem__)
        next_id = self.first_ids["donor"]
        for donor in order:
            self.donor_ids[donor] = next_id
            email = self.emails[donor]
            customer = None if self.plan.first_offline[donor] else self._token("cus", next_id)
            when = _time(self.plan.first_gift[donor])
            newsletter = bool(self.plan.newsletter[donor])
            yield (next_id, email, email, self.names[donor], newsletter, customer, when)
            next_id += 1

    def recurring_rows(self) -> Iterator[Row]:
        next_id = self.first_ids["recurring_gift"]
        for plan in self.plan.monthly:
            campaign = self.drives[plan.drive].campaign
            plan.record_id = next_id
            plan.amount = monthly_amount(self.rng)
            if self.rng.random() < COVER_FEES:
                plan.fee = fee_to_cover(
                    plan.amount, campaign.fee_basis_points, campaign.fee_fixed_amount
                )
            plan.source, plan.variant = self._source()
            plan.anonymous = self.rng.random() < 0.05
            plan.dedication = self._dedication()
            failed = plan.failed
            yield (
                *(next_id, self._token("sub", next_id), campaign.id, self.donor_ids[plan.donor]),
                *(plan.amount + plan.fee, campaign.currency, plan.status.value),
                *(_time(plan.next_charge), plan.cancel_at_period_end, failed),
                *(plan.source, plan.variant, _time(plan.start), _time(plan.ended_at)),
                int(plan.ended_at or plan.start),
            )
            next_id += 1

    def donation_rows(self) -> Iterator[Row]:
        next_id = self.first_ids["donation"]
        for event in self.plan.events:
            yield self._donation(next_id, *event)
            next_id += 1

    def _donation(self, row_id: int, when: float, kind: int, who: int, drive: int, aux: int) -> Row:
        rng = self.rng
        campaign = self.campaigns[drive]
        values: dict[str, Any] = {
            "frequency": Frequency.ONE_TIME,
            "status": _PAID,
            "donor_id": None,
            "recurring_gift_id": None,
            "fee_amount": 0,
            "anonymous": rng.random() < 0.07,
            "dedication": "",
            "comment": "",
            "newsletter": False,
            "method": PaymentMethod.CARD,
            "reference": "",
            "voided_at": None,
            "session": None,
            "intent": None,
            "invoice": None,
            "created": when - rng.uniform(40, 600),
            "paid": when,
        }
        if kind in (Kind.ONE_TIME, Kind.ATTEMPT):
            name, email = self._gift_contact(who, kind == Kind.ONE_TIME)
        elif kind == Kind.STRANGER:
            index = len(self.donor_ids) + who
            name, email = self.names[index], self.emails[index]
        else:
            name, email = self.names[who], self.emails[who]
        values["source"], values["variant"] = self._source()
        if kind == Kind.ONE_TIME:
            values["amount"] = one_time_amount(rng)
            values["donor_id"] = self.donor_ids[who]
            values["newsletter"] = self._newsletter(who)
            self._extras(values)
            if aux:
                self._offline(values, OFFLINE_METHODS[aux])
            else:
                self._card(values, row_id, campaign.fee_basis_points, campaign.fee_fixed)
        elif kind in (Kind.MONTHLY_FIRST, Kind.RENEWAL, Kind.RENEWAL_FAILED):
            self._monthly(values, row_id, kind, aux, first=kind == Kind.MONTHLY_FIRST)
            if kind == Kind.MONTHLY_FIRST:
                values["newsletter"] = self._newsletter(who)
                values["comment"] = rng.choice(COMMENTS) if rng.random() < 0.05 else ""
        else:
            self._unpaid(values, row_id, when, Outcome(aux), drive)
            values["amount"] = values.get("amount") or one_time_amount(rng)
            if values["status"] is DonationStatus.VOIDED:
                values["donor_id"] = self.donor_ids[who]
        total = values["amount"] + values["fee_amount"]
        refunded, dispute, lost = 0, DisputeStatus.NONE, 0
        updated = max(values["created"], values["paid"], values["voided_at"] or 0.0)
        if values["status"] is _PAID and values["intent"]:
            refunded, dispute, lost, updated = self._afterwards(values, total, when, updated)
        net = net_of(values["status"] is _PAID, total, refunded, lost)
        self.raised[campaign.id] = self.raised.get(campaign.id, 0) + net
        return (
            row_id,
            campaign.id,
            values["donor_id"],
            values["recurring_gift_id"],
            values["amount"],
            values["fee_amount"],
            campaign.currency,
            values["frequency"].value,
            values["status"].value,
            net,
            net > 0,
            name,
            email,
            values["anonymous"],
            values["dedication"],
            values["comment"],
            values["newsletter"],
            values["source"],
            values["variant"],
            values["method"].value,
            values["reference"],
            None,
            _time(values["voided_at"]),
            refunded,
            dispute.value,
            values["session"],
            values["intent"],
            values["invoice"],
            _time(values["created"]),
            _time(values["paid"]) if values["status"] in (_PAID, DonationStatus.VOIDED) else None,
            _time(updated),
        )

    def _gift_contact(self, donor: int, paid: bool) -> tuple[str, str]:
        email = self.emails[donor]
        if paid and self.rng.random() < 0.03:
            email = email[0].upper() + email[1:]  # the same person, typing in another case
        return self.names[donor], email

    def _newsletter(self, donor: int) -> bool:
        """The first gift of a subscriber ticks the box; later ones sometimes leave it."""
        if not self.plan.newsletter[donor]:
            return False
        first = not self.seen[donor]
        self.seen[donor] = 1
        return first or self.rng.random() < 0.6

    def _extras(self, values: dict[str, Any]) -> None:
        values["dedication"] = self._dedication()
        if self.rng.random() < 0.05:
            values["comment"] = self.rng.choice(COMMENTS)

    def _card(self, values: dict[str, Any], row_id: int, basis_points: int, fixed: int) -> None:
        if self.rng.random() < COVER_FEES:
            values["fee_amount"] = fee_to_cover(values["amount"], basis_points, fixed)
        values["session"] = self._token("cs_test", row_id, 24)
        values["intent"] = self._token("pi", row_id)

    def _offline(self, values: dict[str, Any], method: PaymentMethod) -> None:
        day = datetime.fromtimestamp(values["paid"], UTC).replace(hour=12, minute=0, second=0)
        values["paid"] = min(day.timestamp(), self.now - 1)
        values["created"] = min(values["paid"] + self.rng.uniform(1, 5) * DAY, self.now - 1)
        values["method"] = method
        values["source"], values["variant"] = "offline", ""
        if method is PaymentMethod.CHECK:
            values["reference"] = f"Check #{self.rng.randint(1001, 9899)}"
        elif method is PaymentMethod.BANK_TRANSFER:
            values["reference"] = f"BT-{self.rng.randint(100000, 999999)}"

    def _monthly(
        self, values: dict[str, Any], row_id: int, kind: int, index: int, *, first: bool
    ) -> None:
        plan = self.plan.monthly[index]
        values.update(
            frequency=Frequency.MONTHLY,
            donor_id=self.donor_ids[plan.donor],
            recurring_gift_id=plan.record_id,
            amount=plan.amount,
            fee_amount=plan.fee,
            anonymous=plan.anonymous,
            dedication=plan.dedication,
            source=plan.source,
            variant=plan.variant,
            invoice=self._token("in", row_id),
            intent=self._token("pi", row_id),
        )
        if first:
            values["session"] = self._token("cs_test", row_id, 24)
        else:
            values["created"] = values["paid"] - self.rng.uniform(3000, 3600)
        if kind == Kind.RENEWAL_FAILED:
            values.update(status=_FAILED, intent=None)

    def _unpaid(
        self, values: dict[str, Any], row_id: int, when: float, outcome: Outcome, drive: int
    ) -> None:
        rng = self.rng
        values["created"] = when
        if outcome is Outcome.VOIDED:
            values.update(status=DonationStatus.VOIDED, amount=one_time_amount(rng))
            self._offline(values, PaymentMethod.CHECK)
            values["voided_at"] = min(values["created"] + rng.uniform(1, 20) * DAY, self.now - 1)
            return
        if rng.random() < 0.15:
            values["frequency"] = Frequency.MONTHLY
            values["amount"] = monthly_amount(rng)
        values["session"] = self._token("cs_test", row_id, 24)
        live = self.drives[drive].closes >= self.now - 1
        age = self.now - when
        if live and age < DAY and rng.random() < 0.6:
            values["status"] = DonationStatus.PENDING
        elif live and age < 3 * DAY and rng.random() < 0.05:
            values["status"] = DonationStatus.PROCESSING
        else:
            values["status"] = _EXPIRED if outcome is Outcome.EXPIRED else _FAILED
        values["created"] = when - (DAY if values["status"] is _EXPIRED else 0)

    def _afterwards(
        self, values: dict[str, Any], total: int, when: float, updated: float
    ) -> tuple[int, DisputeStatus, int, float]:
        """Refunds and disputes, each with the payment row Stripe's events would leave."""
        rng = self.rng
        roll = rng.random()
        if roll >= REFUNDED + DISPUTED:
            return 0, DisputeStatus.NONE, 0, updated
        at = min(when + rng.uniform(0.2, 40) * DAY, self.now - 1)
        refunded, dispute, disputed, event_at = 0, DisputeStatus.NONE, 0, 0
        if roll < REFUNDED:
            partial = total > 200 and rng.random() < 0.3
            refunded = (rng.randint(1, total // 100 - 1) * 100 if partial else total) or total
        else:
            recent = self.now - when < 75 * DAY
            choices = (DisputeStatus.OPEN, DisputeStatus.WON, DisputeStatus.LOST)
            dispute = rng.choices(choices, weights=(40 if recent else 0, 30, 30))[0]
            disputed, event_at = total, int(at)
        intent = values["intent"]
        payment_id = self.first_ids["payment"] + len(self.payments)
        charge = self._token("ch", payment_id, 20)
        self.payments.append(
            (payment_id, intent, charge, refunded, dispute.value, disputed, event_at, _time(at))
        )
        lost = disputed if dispute is DisputeStatus.LOST else 0
        return refunded, dispute, lost, at
