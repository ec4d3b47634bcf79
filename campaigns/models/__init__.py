"""The database models; importing this package registers every table on ``db.metadata``."""

from .campaign import BannerCopy, Campaign, CampaignStatus, Frequency, Stage
from .donation import DisputeStatus, Donation, DonationStatus, Payment, PaymentMethod
from .donor import CampaignDonor, Donor, normalize_email
from .recurring import RecurringGift, RecurringStatus
from .staff import AuditEntry, Role, Staff
from .stripe_event import StripeEvent
from .types import UTCDateTime, utcnow

__all__ = [
    "AuditEntry",
    "BannerCopy",
    "Campaign",
    "CampaignDonor",
    "CampaignStatus",
    "DisputeStatus",
    "Donation",
    "DonationStatus",
    "Donor",
    "Frequency",
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
