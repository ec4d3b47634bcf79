"""Creating and looking up campaigns."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from ..models import BannerCopy, Campaign, CampaignStatus, Frequency, Staff, Stage
from ..models.campaign import DEFAULT_FINAL_SECONDS, DEFAULT_URGENT_SECONDS
from ..money import AmountError, normalize_currency
from ..staff_accounts.audit import record
from .schedule import load_zone

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TITLE = 200

# Copy every new campaign starts with, so a banner never shows up empty.
DEFAULT_COPY: dict[Stage, tuple[str, str, str]] = {
    Stage.UPCOMING: (
        "Our year-end campaign starts soon",
        "Independent media needs you.",
        "Learn more",
    ),
    Stage.NORMAL: (
        "Keep independent media alive",
        "Reader donations cover our monthly costs. Your help is needed now.",
        "Donate",
    ),
    Stage.URGENT: (
        "Urgent: our year-end campaign ends soon",
        "We are not there yet. Every gift before the deadline counts.",
        "Donate now",
    ),
    Stage.FINAL: (
        "Final hours to reach our goal",
        "The campaign closes at midnight. Please give now.",
        "Give before midnight",
    ),
    Stage.ENDED: (
        "Thank you",
        "Our year-end campaign has ended. Thank you to everyone who gave.",
        "Support us",
    ),
}


@dataclass
class CampaignDraft:
    """What staff give to create a campaign; amounts already in minor units."""

    slug: str
    title: str
    goal_amount: int
    currency: str
    starts_at: datetime
    ends_at: datetime
    timezone: str = "UTC"
    description: str = ""
    status: CampaignStatus = CampaignStatus.LIVE
    preset_amounts: list[int] = field(default_factory=list)
    default_frequency: Frequency = Frequency.ONE_TIME
    urgent_seconds: int = DEFAULT_URGENT_SECONDS
    final_seconds: int = DEFAULT_FINAL_SECONDS
    # The campaign this one follows (last year's), whose donors the retention lists compare.
    previous_campaign_id: int | None = None


def _validate(draft: CampaignDraft, existing_id: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    holder = db.session.scalar(select(Campaign.id).where(Campaign.slug == draft.slug))
    if not SLUG_PATTERN.match(draft.slug) or len(draft.slug) > 64:
        errors["slug"] = "use 1-64 lowercase letters, digits and single hyphens, e.g. eoy-2026"
    elif holder is not None and holder != existing_id:
        errors["slug"] = f"a campaign with slug {draft.slug!r} already exists"
    title = draft.title.strip()
    if not title:
        errors["title"] = "give the campaign a title"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"keep the title under {MAX_TITLE} characters"
    try:
        normalize_currency(draft.currency)
    except AmountError as exc:
        errors["currency"] = str(exc)
    if draft.goal_amount <= 0:
        errors["goal"] = "the goal must be greater than zero"
    if draft.ends_at <= draft.starts_at:
        errors["ends"] = "the campaign must end after it starts"
    try:
        load_zone(draft.timezone)
    except ValueError as exc:
        errors["timezone"] = str(exc)
    if any(amount <= 0 for amount in draft.preset_amounts):
        errors["presets"] = "preset amounts must be greater than zero"
    if not 0 < draft.final_seconds <= draft.urgent_seconds:
        errors["thresholds"] = "the final stage must be shorter than the urgent stage"
    previous = draft.previous_campaign_id
    if previous is not None and (previous == existing_id or get_campaign(previous) is None):
        errors["previous"] = "choose another campaign as the one this follows"
    return errors


def get_campaign(campaign_id: int) -> Campaign | None:
    return db.session.get(Campaign, campaign_id)


def create_campaign(draft: CampaignDraft, actor: Staff | None = None) -> Campaign:
    """Add a campaign with default banner copy for every stage, audited as ``actor`` (None
    from the command line); raises ``ValidationError``."""
    errors = _validate(draft)
    if errors:
        raise ValidationError(errors)
    campaign = Campaign(
        slug=draft.slug,
        title=draft.title.strip(),
        description=draft.description.strip(),
        goal_amount=draft.goal_amount,
        currency=normalize_currency(draft.currency),
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        timezone=draft.timezone,
        status=draft.status,
        preset_amounts=sorted(set(draft.preset_amounts)),
        default_frequency=draft.default_frequency,
        urgent_seconds=draft.urgent_seconds,
        final_seconds=draft.final_seconds,
        previous_campaign_id=draft.previous_campaign_id,
        banner_copies=[
            BannerCopy(stage=stage, variant="a", headline=headline, body=body, cta_label=cta)
            for stage, (headline, body, cta) in DEFAULT_COPY.items()
        ],
    )
    db.session.add(campaign)
    db.session.flush()
    record("campaign.created", f"campaign:{campaign.id}", {"slug": campaign.slug}, actor)
    return campaign


EDITABLE = (
    "title",
    "description",
    "goal_amount",
    "starts_at",
    "ends_at",
    "timezone",
    "status",
    "preset_amounts",
    "default_frequency",
    "urgent_seconds",
    "final_seconds",
    "previous_campaign_id",
)


def update_campaign(campaign: Campaign, draft: CampaignDraft, actor: Staff) -> dict[str, Any]:
    """Apply staff's edits (the slug and currency stay: links and totals depend on them).

    Returns what changed, as recorded in the audit log.
    """
    draft.slug, draft.currency = campaign.slug, campaign.currency
    errors = _validate(draft, existing_id=campaign.id)
    if errors:
        raise ValidationError(errors)
    draft.title, draft.description = draft.title.strip(), draft.description.strip()
    draft.preset_amounts = sorted(set(draft.preset_amounts))
    changes: dict[str, Any] = {}
    for name in EDITABLE:
        before, after = getattr(campaign, name), getattr(draft, name)
        if before != after:
            changes[name] = {"from": _plain(before), "to": _plain(after)}
            setattr(campaign, name, after)
    if changes:
        action = "campaign.goal_changed" if "goal_amount" in changes else "campaign.updated"
        record(action, f"campaign:{campaign.id}", changes, actor)
    return changes


def _plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def find_campaign(slug: str) -> Campaign | None:
    """The campaign with this slug, whatever its status."""
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def find_public_campaign(slug: str) -> Campaign | None:
    """The campaign the public may see under this slug (drafts stay hidden)."""
    campaign = find_campaign(slug)
    if campaign is None or campaign.status is CampaignStatus.DRAFT:
        return None
    return campaign


def list_campaigns() -> list[Campaign]:
    """Every campaign, newest deadline first."""
    return list(db.session.scalars(select(Campaign).order_by(Campaign.ends_at.desc())))


def list_live_campaigns(now: datetime) -> list[Campaign]:
    """Campaigns open to donors now or soon, the nearest deadline first."""
    query = (
        select(Campaign)
        .where(Campaign.status == CampaignStatus.LIVE, Campaign.ends_at > now)
        .order_by(Campaign.ends_at)
    )
    return list(db.session.scalars(query))


def archive(campaign: Campaign, actor: Staff) -> None:
    """Take a campaign off the public list for good: it takes no more gifts, its books stay."""
    campaign.status = CampaignStatus.ARCHIVED
    record("campaign.archived", f"campaign:{campaign.id}", {}, actor)
