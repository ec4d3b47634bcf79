"""Campaign admin: create, edit, archive."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ...errors import ValidationError
from ...forms.campaign import CampaignForm
from ...fundraising.campaigns import (
    CampaignDraft,
    archive,
    create_campaign,
    get_campaign,
    list_campaigns,
    update_campaign,
)
from ...fundraising.progress import campaign_progress
from ...models import Campaign, CampaignStatus, Frequency, Role, utcnow
from ...money import major_text
from ..refusals import show_errors
from .access import me, requires
from .blueprint import bp

FIELD_OF = {
    "goal": "goal",
    "ends": "ends",
    "slug": "slug",
    "title": "title",
    "timezone": "timezone",
    "presets": "presets",
    "thresholds": "final_hours",
    "currency": "currency",
    "previous": "previous",
}


def _draft(form: CampaignForm) -> CampaignDraft:
    parsed = form.parsed
    return CampaignDraft(
        slug=form.slug.data.strip(),
        title=form.title.data,
        description=form.description.data or "",
        goal_amount=parsed["goal"],
        currency=parsed["currency"],
        starts_at=parsed["starts"],
        ends_at=parsed["ends"],
        timezone=parsed["zone"].key,
        status=CampaignStatus(form.status.data),
        preset_amounts=parsed.get("presets", []),
        default_frequency=Frequency(form.default_frequency.data),
        urgent_seconds=round(float(form.urgent_days.data) * 86400),
        final_seconds=round(float(form.final_hours.data) * 3600),
        previous_campaign_id=form.previous.data or None,
    )


@bp.get("/campaigns")
@requires(Role.VIEWER)
def campaigns() -> str:
    now = utcnow()
    rows = [(c, campaign_progress(c, now)) for c in list_campaigns()]
    return render_template("staff/campaigns.html", rows=rows)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@requires(Role.ADMIN)
def new_campaign() -> Response | str | tuple[str, int]:
    form = CampaignForm(list_campaigns())
    if form.validate_on_submit():
        try:
            campaign = create_campaign(_draft(form), me())
        except ValidationError as exc:
            show_errors(form, exc, FIELD_OF, default="title")
            return render_template("staff/campaign_form.html", form=form, campaign=None), 400
        flash(f"Campaign {campaign.slug} created.")
        return redirect(url_for("staff.campaigns"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("staff/campaign_form.html", form=form, campaign=None), status


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = get_campaign(campaign_id)
    if campaign is None:
        abort(404)
    return campaign


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@requires(Role.ADMIN)
def edit_campaign(campaign_id: int) -> Response | str | tuple[str, int]:
    campaign = _campaign_or_404(campaign_id)
    others = [c for c in list_campaigns() if c.id != campaign.id]
    zone = campaign.zone
    form = CampaignForm(
        others,
        data={
            "slug": campaign.slug,
            "title": campaign.title,
            "description": campaign.description,
            "goal": major_text(campaign.goal_amount, campaign.currency),
            "currency": campaign.currency,
            "timezone": campaign.timezone,
            "starts": campaign.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "ends": campaign.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "presets": ", ".join(major_text(a, campaign.currency) for a in campaign.preset_amounts),
            "default_frequency": campaign.default_frequency.value,
            "urgent_days": round(campaign.urgent_seconds / 86400, 2),
            "final_hours": round(campaign.final_seconds / 3600, 2),
            "status": campaign.status.value,
            "previous": campaign.previous_campaign_id or 0,
        }
        if request.method == "GET"
        else None,
    )
    if form.validate_on_submit():
        try:
            update_campaign(campaign, _draft(form), me())
        except ValidationError as exc:
            show_errors(form, exc, FIELD_OF, default="title")
            return render_template("staff/campaign_form.html", form=form, campaign=campaign), 400
        flash("Campaign saved.")
        return redirect(url_for("staff.campaigns"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("staff/campaign_form.html", form=form, campaign=campaign), status


@bp.post("/campaigns/<int:campaign_id>/archive")
@requires(Role.ADMIN)
def archive_campaign(campaign_id: int) -> Response:
    # CSRFProtect has checked the form's token before this runs.
    archive(_campaign_or_404(campaign_id), me())
    flash("Campaign archived: it takes no more donations and leaves the public list.")
    return redirect(url_for("staff.campaigns"), code=303)
