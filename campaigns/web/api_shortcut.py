"""A WSGI shortcut that serves the banner API's cached answers before Flask sees the request.

The API is fetched on every page view of every site that embeds the banner. Serving a cached
answer is a dictionary lookup; Flask's per-request machinery around it (contexts, the signed
session, each extension's hooks) cost about five times that. So a request for an answer that
is cached and fresh is served here, with exactly the status, headers and body the view would
give (both use ``conditional``); anything else goes on to Flask, whose view reads the campaign
and fills the cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from .banner_answers import AnswerCache, conditional

PREFIX = "/api/campaigns/"
_REASONS = {200: "200 OK", 304: "304 Not Modified", 404: "404 Not Found"}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class CachedAnswers:
    """WSGI middleware: cached banner API answers straight from the cache."""

    def __init__(self, wsgi_app: WSGIApp, cache: AnswerCache) -> None:
        self.wsgi_app = wsgi_app
        self.cache = cache

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        path: str = environ.get("PATH_INFO", "")
        if (method == "GET" or method == "HEAD") and path.startswith(PREFIX):
            slug = path[len(PREFIX) :]
            now = time.monotonic()
            answer = self.cache.fresh(slug, now) if "/" not in slug else None
            if answer is not None:
                status, headers, body = conditional(answer, environ.get("HTTP_IF_NONE_MATCH"), now)
                start_response(_REASONS[status], headers)
                return [body] if method == "GET" else []
        return self.wsgi_app(environ, start_response)
