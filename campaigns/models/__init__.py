"""The database models; importing this package registers every table on ``db.metadata``."""

from .campaign import BannerCopy, Campaign, CampaignStatus, Frequency, Stage
from .types import UTCDateTime, utcnow

__all__ = [
    "BannerCopy",
    "Campaign",
    "CampaignStatus",
    "Frequency",
    "Stage",
    "UTCDateTime",
    "utcnow",
]
