"""What the public banner API answers, as plain functions of a campaign and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..models import BannerAfterEnd, BannerCopy, Campaign, Stage
from ..money import exponent
from ..urls import PublicUrls
from .campaigns import find_public_campaign
from .progress import campaign_progress

BANNER_SOURCE = "banner"


@dataclass(frozen=True)
class PublicBanner:
    """A campaign as the banner sees it: the API payload, and what beacons are checked against."""

    campaign_id: int
    timezone: str
    impression_sample: int
    variants: frozenset[tuple[Stage, str]]
    payload: dict[str, Any]
    # When the stage in ``payload`` stops being true (None once the campaign has ended).
    next_change: datetime | None


def iso_utc(moment: datetime) -> str:
    """``2026-12-31T23:59:00Z``: ISO 8601 in UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stage_changes(campaign: Campaign, now: datetime) -> list[tuple[Stage, datetime]]:
    """The stages still to come after ``now``, each with the instant it begins."""
    ends = campaign.ends_at
    instants = sorted(
        {
            campaign.starts_at,
            ends - timedelta(seconds=campaign.urgent_seconds),
            ends - timedelta(seconds=campaign.final_seconds),
            ends,
        }
    )
    current = campaign_progress(campaign, now).stage
    changes: list[tuple[Stage, datetime]] = []
    for instant in instants:
        if instant <= now:
            continue
        # The same rule as the stage of the moment, so the two can never disagree.
        stage = campaign_progress(campaign, instant).stage
        if stage is not current:
            changes.append((stage, instant))
            current = stage
    return changes


def cta_url(urls: PublicUrls, slug: str, stage: Stage, variant: str) -> str:
    """Where the banner's button leads: the donate page (the campaign's page while it takes no
    gifts), tagged so the gift records its source."""
    page = urls.donate if stage.takes_gifts else urls.campaign
    return page(slug, source=BANNER_SOURCE, variant=variant)


def stage_copies(campaign: Campaign, stage: Stage) -> list[BannerCopy]:
    """The stage's copy variants, in variant order (the order visitors' buckets map onto)."""
    return sorted(
        (copy for copy in campaign.banner_copies if copy.stage is stage),
        key=lambda copy: copy.variant,
    )


def stage_variants(campaign: Campaign, stage: Stage, urls: PublicUrls) -> list[dict[str, str]]:
    """The words the banner may show in ``stage``; none when staff hide it after the end."""
    if stage is Stage.ENDED and campaign.banner_after_end is BannerAfterEnd.HIDE:
        return []
    return [
        {
            "variant": copy.variant,
            "headline": copy.headline,
            "body": copy.body,
            "cta_label": copy.cta_label,
            "cta_url": cta_url(urls, campaign.slug, stage, copy.variant),
        }
        for copy in stage_copies(campaign, stage)
    ]


def banner_payload(
    campaign: Campaign, now: datetime, urls: PublicUrls, changes: list[tuple[Stage, datetime]]
) -> dict[str, Any]:
    """The JSON the widget draws from: progress, schedule, this stage's copy and what follows."""
    progress = campaign_progress(campaign, now)
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "currency": campaign.currency,
        "currency_exponent": exponent(campaign.currency),
        "goal_amount": campaign.goal_amount,
        "raised_amount": progress.raised_amount,
        "donor_count": progress.donor_count,
        "donation_count": progress.donation_count,
        "percent": progress.percent,
        "starts_at": iso_utc(campaign.starts_at),
        "ends_at": iso_utc(campaign.ends_at),
        "seconds_left": progress.seconds_left,
        "stage": progress.stage.value,
        "campaign_url": urls.campaign(campaign.slug),
        "banner": {
            "variants": stage_variants(campaign, progress.stage, urls),
            # The copy of the stages still to come, so a page left open switches on time.
            "later": [
                {
                    "stage": stage.value,
                    "starts_at": iso_utc(instant),
                    "variants": stage_variants(campaign, stage, urls),
                }
                for stage, instant in changes
            ],
            "placement": campaign.banner_placement.value,
            "dismiss_days": campaign.banner_dismiss_days,
            "impression_sample": campaign.banner_impression_sample,
            "colors": {
                "background": campaign.banner_background,
                "text": campaign.banner_text,
                "accent": campaign.banner_accent,
                "accent_text": campaign.banner_accent_text,
            },
        },
        "updated_at": iso_utc(campaign.updated_at),
    }


def public_banner(slug: str, now: datetime, urls: PublicUrls) -> PublicBanner | None:
    """The banner of the public campaign ``slug`` at ``now``, read from its running totals."""
    campaign = find_public_campaign(slug)
    if campaign is None:
        return None
    changes = stage_changes(campaign, now)
    return PublicBanner(
        campaign_id=campaign.id,
        timezone=campaign.timezone,
        impression_sample=campaign.banner_impression_sample,
        variants=frozenset((copy.stage, copy.variant) for copy in campaign.banner_copies),
        payload=banner_payload(campaign, now, urls, changes),
        next_change=changes[0][1] if changes else None,
    )
