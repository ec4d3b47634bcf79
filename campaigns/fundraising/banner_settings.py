"""Staff changes to a campaign's banner: copy per stage and variant, look and behaviour."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ValidationError
from ..extensions import db
from ..models import BannerAfterEnd, BannerCopy, BannerPlacement, Campaign, Stage, utcnow
from .campaigns import DEFAULT_COPY
from .contrast import GRAPHIC_CONTRAST, TEXT_CONTRAST, contrast_ratio, parse_color

VARIANT_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_VARIANT = 32
MAX_HEADLINE = 200
# A banner is read in passing: longer text would not be read, and would crowd a phone screen.
MAX_BODY = 400
MAX_CTA = 60
MAX_DISMISS_DAYS = 365
MAX_IMPRESSION_SAMPLE = 100_000


@dataclass(frozen=True)
class BannerChanges:
    """What staff asked to change; ``None`` leaves a setting as it is."""

    placement: BannerPlacement | None = None
    dismiss_days: int | None = None
    after_end: BannerAfterEnd | None = None
    impression_sample: int | None = None
    background: str | None = None
    text: str | None = None
    accent: str | None = None
    accent_text: str | None = None


def _checked_text(value: str, limit: int, field: str, errors: dict[str, str]) -> str:
    cleaned = value.strip()
    if len(cleaned) > limit:
        errors[field] = f"keep it under {limit} characters"
    return cleaned


def find_copy(campaign: Campaign, stage: Stage, variant: str) -> BannerCopy | None:
    return next(
        (c for c in campaign.banner_copies if c.stage is stage and c.variant == variant), None
    )


def set_copy(
    campaign: Campaign,
    stage: Stage,
    variant: str,
    *,
    headline: str | None = None,
    body: str | None = None,
    cta_label: str | None = None,
) -> BannerCopy:
    """Write one variant's words for a stage, adding the variant if it is new."""
    errors: dict[str, str] = {}
    if not VARIANT_PATTERN.match(variant) or len(variant) > MAX_VARIANT:
        errors["variant"] = (
            f"use 1-{MAX_VARIANT} lowercase letters, digits and single hyphens, e.g. b"
        )
    existing = find_copy(campaign, stage, variant)
    fields: dict[str, str] = {}
    if headline is not None:
        fields["headline"] = _checked_text(headline, MAX_HEADLINE, "headline", errors)
        if not fields["headline"]:
            errors["headline"] = "the headline can't be empty"
    elif existing is None:
        errors["headline"] = "a new variant needs a headline"
    if body is not None:
        fields["body"] = _checked_text(body, MAX_BODY, "body", errors)
    if cta_label is not None:
        fields["cta_label"] = _checked_text(cta_label, MAX_CTA, "cta", errors)
        if not fields["cta_label"]:
            errors["cta"] = "the button needs a label"
    if errors:
        raise ValidationError(errors)
    if existing is None:
        existing = BannerCopy(
            stage=stage,
            variant=variant,
            headline=fields["headline"],
            body=fields.get("body", ""),
            cta_label=fields.get("cta_label", DEFAULT_COPY[stage][2]),
        )
        campaign.banner_copies.append(existing)
    else:
        for name, value in fields.items():
            setattr(existing, name, value)
    # The copy lives in its own table; the campaign's stamp is what the API's ETag follows.
    campaign.updated_at = utcnow()
    db.session.flush()
    return existing


def remove_copy(campaign: Campaign, stage: Stage, variant: str) -> None:
    """Drop a variant; every stage keeps at least one, so the banner never goes blank."""
    copy = find_copy(campaign, stage, variant)
    if copy is None:
        raise ValidationError({"variant": f"{stage.value} has no variant {variant!r}"})
    if sum(1 for c in campaign.banner_copies if c.stage is stage) == 1:
        raise ValidationError({"variant": f"{stage.value} needs at least one variant"})
    campaign.banner_copies.remove(copy)
    campaign.updated_at = utcnow()
    db.session.flush()


def _palette(campaign: Campaign, changes: BannerChanges, errors: dict[str, str]) -> dict[str, str]:
    palette = {
        "background": campaign.banner_background,
        "text": campaign.banner_text,
        "accent": campaign.banner_accent,
        "accent_text": campaign.banner_accent_text,
    }
    for name in palette:
        value = getattr(changes, name)
        if value is None:
            continue
        try:
            palette[name] = parse_color(value)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        return palette
    # The final stage swaps the pairs around (accent behind the text, the button in the
    # background colour), so these three checks cover every stage's look.
    pairs = (
        ("text", "background", TEXT_CONTRAST, "text on the background"),
        ("accent_text", "accent", TEXT_CONTRAST, "button text on the accent"),
        ("accent", "background", GRAPHIC_CONTRAST, "the accent against the background"),
    )
    for field, other, needed, what in pairs:
        ratio = contrast_ratio(palette[field], palette[other])
        if ratio < needed:
            errors[field] = f"{what} has a contrast of {ratio:.2f}:1; WCAG AA needs {needed}:1"
    return palette


def change_banner(campaign: Campaign, changes: BannerChanges) -> None:
    """Apply staff's banner settings, all or nothing; raises ``ValidationError``."""
    errors: dict[str, str] = {}
    if changes.dismiss_days is not None and not 0 <= changes.dismiss_days <= MAX_DISMISS_DAYS:
        errors["dismiss_days"] = f"use 0 to {MAX_DISMISS_DAYS} days (0: only for that page view)"
    if changes.impression_sample is not None and not (
        1 <= changes.impression_sample <= MAX_IMPRESSION_SAMPLE
    ):
        errors["impression_sample"] = f"use 1 (every view) to {MAX_IMPRESSION_SAMPLE}"
    palette = _palette(campaign, changes, errors)
    if errors:
        raise ValidationError(errors)
    if changes.placement is not None:
        campaign.banner_placement = changes.placement
    if changes.dismiss_days is not None:
        campaign.banner_dismiss_days = changes.dismiss_days
    if changes.after_end is not None:
        campaign.banner_after_end = changes.after_end
    if changes.impression_sample is not None:
        campaign.banner_impression_sample = changes.impression_sample
    campaign.banner_background = palette["background"]
    campaign.banner_text = palette["text"]
    campaign.banner_accent = palette["accent"]
    campaign.banner_accent_text = palette["accent_text"]
    campaign.updated_at = utcnow()
    db.session.flush()
