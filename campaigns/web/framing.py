"""Who may put our pages in a frame: nobody, except where a page names its framers itself."""

from __future__ import annotations

from werkzeug.wrappers import Response


def deny_framing(response: Response) -> Response:
    """``X-Frame-Options: DENY`` on every page without its own CSP ``frame-ancestors``.

    Clickjacking needs a page worth clicking; only HTML pages get the header.
    """
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return response
    if "frame-ancestors" not in response.headers.get("Content-Security-Policy", ""):
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response
