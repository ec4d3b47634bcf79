"""The database models; importing this package registers every table on ``db.metadata``."""

from .campaign import BannerCopy, Campaign, CampaignStatus, Frequency, Stage
from .donation import DisputeStatus, Donation, DonationStatus, Payment
from .donor import CampaignDonor, Donor, normalize_email
from .recurring import RecurringGift, RecurringStatus
from .stripe_event import StripeEvent
from .types import UTCDateTime, utcnow

__all__ = [
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
    "RecurringGift",
    "RecurringStatus",
    "Stage",
    "StripeEvent",
    "UTCDateTime",
    "normalize_email",
    "utcnow",
]
