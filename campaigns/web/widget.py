"""The embeddable banner: ``/widget.js`` for sites that run scripts, ``/embed/<slug>`` for those
that only allow an iframe."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, url_for
from werkzeug.http import parse_etags
from werkzeug.wrappers import Response

from ..extensions import limiter
from .banner_cache import CACHE_CONTROL, answers
from .widget_bundle import widget_bundle

bp = Blueprint("widget", __name__)

# /widget.js is the address every embed names, so a fix must reach sites soon: browsers and
# CDNs keep it ten minutes and then revalidate (a 304 while unchanged). The hashed address
# never changes content, so it can be kept for a year.
SCRIPT_CACHE_CONTROL = "public, max-age=600, stale-while-revalidate=86400"
VERSIONED_CACHE_CONTROL = "public, max-age=31536000, immutable"
# The one page any site may frame; it runs only our own script and talks only to us.
EMBED_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *"
)


def _script(cache_control: str) -> Response:
    bundle = widget_bundle()
    headers = {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": cache_control,
        "ETag": f'W/"{bundle.version}"',
        "Vary": "Accept-Encoding",
        "Access-Control-Allow-Origin": "*",
        "Cross-Origin-Resource-Policy": "cross-origin",
        "X-Content-Type-Options": "nosniff",
    }
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and parse_etags(if_none_match).contains_weak(bundle.version):
        return Response(status=304, headers=headers)
    if request.accept_encodings["gzip"]:
        return Response(bundle.gzipped, headers={**headers, "Content-Encoding": "gzip"})
    return Response(bundle.script, headers=headers)


@bp.get("/widget.js")
@limiter.exempt
def script() -> Response:
    return _script(SCRIPT_CACHE_CONTROL)


@bp.get("/widget.<version>.js")
@limiter.exempt
def versioned_script(version: str) -> Response:
    # A page still naming last deploy's hash gets today's script, but only briefly cached.
    current = version == widget_bundle().version
    return _script(VERSIONED_CACHE_CONTROL if current else SCRIPT_CACHE_CONTROL)


@bp.get("/embed/<slug>")
def embed(slug: str) -> Response:
    banner = answers().get(slug).banner
    if banner is None:
        abort(404)
    # The page is the same for everyone: rendered without the app's context processors, it
    # loads no user and touches no session, so no cookie comes with it and any cache can keep it.
    html = current_app.jinja_env.get_template("embed/banner.html").render(
        payload=banner.payload,
        script_url=url_for("widget.versioned_script", version=widget_bundle().version),
    )
    return Response(
        html,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": EMBED_CSP,
            "Cache-Control": CACHE_CONTROL,
        },
    )
