"""The database models; importing this package registers every table on ``db.metadata``."""

from .campaign import (
    BannerAfterEnd,
    BannerCopy,
    BannerPlacement,
    Campaign,
    CampaignStatus,
    Frequency,
    Stage,
)
from .donation import DisputeStatus, Donation, DonationStatus, Payment, PaymentMethod
from .donor import CampaignDonor, Donor, normalize_email
from .funnel import BannerEventCount, BannerEventKind
from .outbox import EmailKind, EmailStatus, OutboxEmail
from .recurring import RecurringGift, RecurringStatus
from .staff import AuditEntry, Role, Staff
from .stripe_event import UNAPPLIED_STATUSES, EventStatus, StripeEvent
from .types import UTCDateTime, utcnow

__all__ = [
    "UNAPPLIED_STATUSES",
    "AuditEntry",
    "BannerAfterEnd",
    "BannerCopy",
    "BannerEventCount",
    "BannerEventKind",
    "BannerPlacement",
    "Campaign",
    "CampaignDonor",
    "CampaignStatus",
    "DisputeStatus",
    "Donation",
    "DonationStatus",
    "Donor",
    "EmailKind",
    "EmailStatus",
    "EventStatus",
    "Frequency",
    "OutboxEmail",
    "Payment",
    "PaymentMethod",
    "RecurringGift",
    "RecurringStatus",
    "Role",
    "Staff",
    "Stage",
    "StripeEvent",
    "UTCDateTime",
    "normalize_email",
    "utcnow",
]
