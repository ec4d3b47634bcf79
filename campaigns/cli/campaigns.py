"""``flask campaigns …``: create and inspect campaigns."""

from __future__ import annotations

import click
from flask import current_app

from ..errors import ValidationError
from ..fundraising.campaigns import CampaignDraft, create_campaign, find_campaign, list_campaigns
from ..fundraising.progress import campaign_progress
from ..fundraising.schedule import load_zone, parse_local_datetime
from ..models import CampaignStatus, Frequency, utcnow
from ..money import AmountError, format_money, normalize_currency, parse_amount
from .boundary import CommandGroup

campaigns_cli = CommandGroup("campaigns", help="Create and inspect campaigns.")


def _fail(option: str, message: str) -> click.ClickException:
    return click.ClickException(f"{option}: {message}")


def _parse_presets(text: str, currency: str) -> list[int]:
    return [parse_amount(part, currency) for part in text.split(",") if part.strip()]


@campaigns_cli.command("create")
@click.option("--slug", required=True, help="URL name, e.g. eoy-2026.")
@click.option("--title", required=True)
@click.option("--goal", required=True, help="In major units as people write them: 50000.")
@click.option("--currency", required=True, help="ISO 4217 code, e.g. usd.")
@click.option("--starts", required=True, help="YYYY-MM-DD[THH:MM], local to --timezone.")
@click.option("--ends", required=True, help="YYYY-MM-DD[THH:MM]; a bare date means 23:59.")
@click.option("--timezone", "timezone", default=None, help="IANA zone; DEFAULT_TIMEZONE if unset.")
@click.option("--description", default="", help="Plain text; blank lines separate paragraphs.")
@click.option("--presets", default="25,50,100,250", show_default=True, help="Preset amounts.")
@click.option(
    "--frequency",
    type=click.Choice([f.value for f in Frequency]),
    default=Frequency.ONE_TIME.value,
    show_default=True,
    help="Frequency selected by default on the donate page.",
)
@click.option(
    "--urgent-days", type=click.FloatRange(min=0, min_open=True), default=7.0, show_default=True
)
@click.option(
    "--final-hours", type=click.FloatRange(min=0, min_open=True), default=48.0, show_default=True
)
@click.option("--draft", is_flag=True, help="Create it hidden from the public.")
def create_command(
    slug: str,
    title: str,
    goal: str,
    currency: str,
    starts: str,
    ends: str,
    timezone: str | None,
    description: str,
    presets: str,
    frequency: str,
    urgent_days: float,
    final_hours: float,
    draft: bool,
) -> None:
    """Create a campaign (live unless --draft)."""
    zone_name = timezone or current_app.config["DEFAULT_TIMEZONE"]
    try:
        zone = load_zone(zone_name)
    except ValueError as exc:
        raise _fail("--timezone", str(exc)) from None
    try:
        code = normalize_currency(currency)
    except AmountError as exc:
        raise _fail("--currency", str(exc)) from None
    try:
        goal_minor = parse_amount(goal, code)
    except AmountError as exc:
        raise _fail("--goal", f"{goal!r}: {exc}") from None
    try:
        preset_minor = _parse_presets(presets, code)
    except AmountError as exc:
        raise _fail("--presets", f"{presets!r}: {exc}") from None
    try:
        starts_at = parse_local_datetime(starts, zone)
    except ValueError as exc:
        raise _fail("--starts", str(exc)) from None
    try:
        ends_at = parse_local_datetime(ends, zone, end_of_day=True)
    except ValueError as exc:
        raise _fail("--ends", str(exc)) from None

    campaign_draft = CampaignDraft(
        slug=slug,
        title=title,
        description=description,
        goal_amount=goal_minor,
        currency=code,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=zone.key,
        status=CampaignStatus.DRAFT if draft else CampaignStatus.LIVE,
        preset_amounts=preset_minor,
        default_frequency=Frequency(frequency),
        urgent_seconds=round(urgent_days * 86400),
        final_seconds=round(final_hours * 3600),
    )
    try:
        campaign = create_campaign(campaign_draft)
    except ValidationError as exc:
        field, message = next(iter(exc.errors.items()))
        raise _fail(f"--{field}", message) from None
    click.echo(f"Created {campaign.status.value} campaign {campaign.slug} (id {campaign.id}).")


@campaigns_cli.command("list")
def list_command() -> None:
    """One line per campaign: slug, status, raised of goal, deadline."""
    now = utcnow()
    campaigns = list_campaigns()
    if not campaigns:
        click.echo("No campaigns yet. Create one with: flask --app app campaigns create --help")
        return
    for campaign in campaigns:
        progress = campaign_progress(campaign, now)
        click.echo(
            f"{campaign.slug:<24} {campaign.status.value:<8} {progress.stage.value:<8} "
            f"{format_money(progress.raised_amount, campaign.currency)} of "
            f"{format_money(campaign.goal_amount, campaign.currency)} ({progress.percent}%)  "
            f"ends {campaign.ends_at.astimezone(campaign.zone):%Y-%m-%d %H:%M %Z}"
        )


@campaigns_cli.command("show")
@click.argument("slug")
def show_command(slug: str) -> None:
    """Everything about one campaign."""
    campaign = find_campaign(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign with slug {slug!r}")
    progress = campaign_progress(campaign, utcnow())
    zone = campaign.zone
    lines = [
        ("slug", campaign.slug),
        ("title", campaign.title),
        ("status", campaign.status.value),
        ("stage", progress.stage.value),
        ("goal", format_money(campaign.goal_amount, campaign.currency)),
        (
            "raised",
            f"{format_money(progress.raised_amount, campaign.currency)} ({progress.percent}%)",
        ),
        ("donors", str(progress.donor_count)),
        ("donations", str(progress.donation_count)),
        ("starts", f"{campaign.starts_at.astimezone(zone):%Y-%m-%d %H:%M %Z}"),
        ("ends", f"{campaign.ends_at.astimezone(zone):%Y-%m-%d %H:%M %Z}"),
        ("timezone", campaign.timezone),
        ("seconds left", str(progress.seconds_left)),
        ("presets", ", ".join(format_money(a, campaign.currency) for a in campaign.preset_amounts)),
        ("frequency", campaign.default_frequency.value),
    ]
    for label, value in lines:
        click.echo(f"{label + ':':<14}{value}")
