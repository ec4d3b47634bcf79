"""``flask campaigns banner …``: the embedded banner's copy, look, behaviour and funnel."""

from __future__ import annotations

import click
from flask import current_app
from markupsafe import escape

from ..errors import ValidationError
from ..fundraising.banner import stage_copies
from ..fundraising.banner_settings import BannerChanges, change_banner, remove_copy, set_copy
from ..fundraising.campaigns import find_campaign
from ..fundraising.funnel import banner_funnel
from ..models import BannerAfterEnd, BannerPlacement, Campaign, Stage
from ..money import format_money
from .boundary import CommandGroup

banner_cli = CommandGroup("banner", help="The banner other sites embed: copy, look and funnel.")

STAGE_CHOICE = click.Choice([stage.value for stage in Stage])


def _campaign(slug: str) -> Campaign:
    campaign = find_campaign(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign with slug {slug!r}")
    return campaign


def _fail(exc: ValidationError) -> click.ClickException:
    field, message = next(iter(exc.errors.items()))
    return click.ClickException(f"--{field.replace('_', '-')}: {message}")


def _rate(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "-"


@banner_cli.command("show")
@click.argument("slug")
def show_command(slug: str) -> None:
    """Settings, every stage's copy variants and the lines to embed."""
    campaign = _campaign(slug)
    base = current_app.config["PUBLIC_URL"]
    click.echo(f"placement:     {campaign.banner_placement.value}")
    click.echo(f"dismiss days:  {campaign.banner_dismiss_days}")
    click.echo(f"after the end: {campaign.banner_after_end.value}")
    click.echo(f"impressions:   one beacon per {campaign.banner_impression_sample} views")
    click.echo(
        f"colours:       background {campaign.banner_background}, text {campaign.banner_text}, "
        f"accent {campaign.banner_accent}, accent text {campaign.banner_accent_text}"
    )
    for stage in Stage:
        for copy in stage_copies(campaign, stage):
            click.echo(f"\n[{stage.value} / {copy.variant}]")
            click.echo(f"  headline: {copy.headline}")
            click.echo(f"  body:     {copy.body}")
            click.echo(f"  button:   {copy.cta_label}")
    click.echo("\nEmbed with a script:")
    click.echo(f'  <script async src="{base}/widget.js" data-campaign="{campaign.slug}"></script>')
    click.echo("or, where only frames are allowed:")
    click.echo(
        f'  <iframe src="{base}/embed/{campaign.slug}" title="{escape(campaign.title)}" '
        'style="width:100%;height:220px;border:0"></iframe>'
    )


@banner_cli.command("copy")
@click.argument("slug")
@click.option("--stage", type=STAGE_CHOICE, required=True)
@click.option("--variant", default="a", show_default=True, help="e.g. a, b, short-ask.")
@click.option("--headline", default=None)
@click.option("--body", default=None)
@click.option("--cta", "cta_label", default=None, help="The button's label.")
def copy_command(
    slug: str,
    stage: str,
    variant: str,
    headline: str | None,
    body: str | None,
    cta_label: str | None,
) -> None:
    """Write a stage's copy; a new --variant starts an A/B test for that stage."""
    try:
        campaign = _campaign(slug)
        new = not any(c.variant == variant for c in stage_copies(campaign, Stage(stage)))
        set_copy(campaign, Stage(stage), variant, headline=headline, body=body, cta_label=cta_label)
    except ValidationError as exc:
        raise _fail(exc) from None
    click.echo(f"{'Added' if new else 'Updated'} {stage} copy, variant {variant}, for {slug}.")


@banner_cli.command("remove-copy")
@click.argument("slug")
@click.option("--stage", type=STAGE_CHOICE, required=True)
@click.option("--variant", required=True)
def remove_copy_command(slug: str, stage: str, variant: str) -> None:
    """Drop one variant of a stage's copy (each stage keeps at least one)."""
    try:
        remove_copy(_campaign(slug), Stage(stage), variant)
    except ValidationError as exc:
        raise _fail(exc) from None
    click.echo(f"Removed {stage} variant {variant} from {slug}.")


@banner_cli.command("set")
@click.argument("slug")
@click.option("--placement", type=click.Choice([p.value for p in BannerPlacement]))
@click.option("--dismiss-days", type=int, help="How long closing hides it (0: that page only).")
@click.option(
    "--after-end",
    type=click.Choice([a.value for a in BannerAfterEnd]),
    help="After the deadline: the ended stage's message, or nothing.",
)
@click.option("--impression-sample", type=int, help="Send one impression beacon per N views.")
@click.option("--background", help="Hex colour, e.g. #fff8e1.")
@click.option("--text", help="Hex colour of the text on the background.")
@click.option("--accent", help="Hex colour of the button and the bar.")
@click.option("--accent-text", help="Hex colour of the text on the accent.")
def set_command(
    slug: str,
    placement: str | None,
    dismiss_days: int | None,
    after_end: str | None,
    impression_sample: int | None,
    background: str | None,
    text: str | None,
    accent: str | None,
    accent_text: str | None,
) -> None:
    """Change the banner's placement, dismissal, closing behaviour, sampling or colours."""
    changes = BannerChanges(
        placement=BannerPlacement(placement) if placement else None,
        dismiss_days=dismiss_days,
        after_end=BannerAfterEnd(after_end) if after_end else None,
        impression_sample=impression_sample,
        background=background,
        text=text,
        accent=accent,
        accent_text=accent_text,
    )
    try:
        change_banner(_campaign(slug), changes)
    except ValidationError as exc:
        raise _fail(exc) from None
    click.echo(f"Banner settings saved for {slug}.")


@banner_cli.command("funnel")
@click.argument("slug")
def funnel_command(slug: str) -> None:
    """Impressions, clicks, closes, checkouts and gifts for each variant."""
    campaign = _campaign(slug)
    rows = banner_funnel(campaign.id)
    if not rows:
        click.echo("No banner events or gifts yet.")
        return
    click.echo(
        f"{'variant':<12}{'impressions':>12}{'clicks':>8}{'CTR':>7}{'closes':>8}"
        f"{'checkouts':>10}{'gifts':>7}{'conv.':>7}  raised"
    )
    for row in rows:
        click.echo(
            f"{row.variant or '-':<12}{row.impressions:>12}{row.clicks:>8}"
            f"{_rate(row.clicks, row.impressions):>7}{row.closes:>8}{row.checkouts:>10}"
            f"{row.donations:>7}{_rate(row.donations, row.clicks):>7}  "
            f"{format_money(row.raised, campaign.currency)}"
        )
    click.echo(
        "Impressions are estimated from sampled beacons; checkouts and gifts from the ledger."
    )
