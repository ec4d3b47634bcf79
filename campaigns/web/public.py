"""Public pages: the list of live campaigns and each campaign's page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..fundraising.campaigns import find_public_campaign, list_live_campaigns
from ..fundraising.progress import campaign_progress
from ..models import utcnow

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    now = utcnow()
    campaigns = [(c, campaign_progress(c, now)) for c in list_live_campaigns(now)]
    return render_template("index.html", campaigns=campaigns)


@bp.get("/campaigns/<slug>")
def campaign(slug: str) -> str:
    found = find_public_campaign(slug)
    if found is None:
        abort(404)
    return render_template(
        "campaigns/show.html", campaign=found, progress=campaign_progress(found, utcnow())
    )
