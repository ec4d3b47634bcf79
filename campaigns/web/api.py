"""The public banner API: campaign progress for any site, and the banner's beacons."""

from __future__ import annotations

import time

from flask import Blueprint, Flask, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from ..errors import ValidationError
from ..extensions import csrf, limiter
from ..fundraising.funnel import MAX_BEACON_BYTES, campaign_day, parse_beacon, record_event
from ..models import utcnow
from . import banner_cache
from .banner_cache import CachedAnswers, answers, conditional, encode
from .clients import anonymous_client_key

bp = Blueprint("api", __name__)


@bp.record_once
def _install(state: BlueprintSetupState) -> None:
    app = state.app
    assert isinstance(app, Flask)
    app.wsgi_app = CachedAnswers(app.wsgi_app, banner_cache.install(app))  # type: ignore[method-assign]


@bp.get("/api/campaigns/<slug>")
@limiter.exempt
def campaign_progress(slug: str) -> Response:
    """Progress and banner copy; runs only when ``CachedAnswers`` has no fresh answer to serve."""
    status, headers, body = conditional(
        answers().get(slug), request.headers.get("If-None-Match"), time.monotonic()
    )
    return Response(body, status, headers)


def _beacon_error(status: int, message: str) -> Response:
    body = encode({"error": "bad_beacon" if status == 400 else "not_found", "message": message})
    return Response(
        body,
        status,
        [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")],
    )


def _event_rate_limit() -> str:
    limit: str = current_app.config["BANNER_EVENT_RATE_LIMIT"]
    return limit


@bp.route("/api/campaigns/<slug>/events", methods=["POST", "OPTIONS"])
@limiter.limit(_event_rate_limit, key_func=anonymous_client_key, methods=["POST"])
def banner_events(slug: str) -> Response:
    """One beacon: an impression (sampled), a click or a close, counted and then forgotten."""
    if request.method == "OPTIONS":
        # sendBeacon's text/plain needs no preflight; this serves clients that send JSON.
        return Response(
            status=204,
            headers={
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "86400",
            },
        )
    banner = answers().get(slug).banner
    if banner is None:
        return _beacon_error(404, "no such campaign")
    try:
        event = parse_beacon(request.stream.read(MAX_BEACON_BYTES + 1), banner.variants)
    except ValidationError as exc:
        return _beacon_error(400, exc.errors["beacon"])
    record_event(
        banner.campaign_id,
        campaign_day(utcnow(), banner.timezone),
        event,
        banner.impression_sample,
    )
    return Response(status=204, headers={"Access-Control-Allow-Origin": "*"})


# A beacon carries no token and no cookie: there is no session to forge a request for.
csrf.exempt(banner_events)
