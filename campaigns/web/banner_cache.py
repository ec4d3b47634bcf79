"""The banner API cache: each worker's answers, encoded once with their headers, served until
stale, and a WSGI shortcut that serves them before Flask sees the request.

The API is fetched on every page view of every site that embeds the banner. Serving a cached
answer is a dictionary lookup; Flask's per-request machinery around it (contexts, the signed
session, each extension's hooks) cost about five times that. So a request for an answer that
is cached and fresh is served by ``CachedAnswers``, with exactly the status, headers and body
the view would give (both use ``conditional``); anything else goes on to Flask, whose view
reads the campaign and fills the cache.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask.sansio.app import App
from werkzeug.http import parse_etags

from ..fundraising.banner import PublicBanner, public_banner
from ..fundraising.campaigns import SLUG_PATTERN
from ..models import utcnow
from ..urls import PublicUrls, public_urls

EXTENSION_KEY = "campaigns.banner_cache"
# Random slugs must not grow the cache without end: past this many, it starts over.
MAX_ANSWERS = 1024

# Fifteen seconds: a donor back on the site sees their gift in the bar at the next page view,
# while a CDN in front asks us at most four times a minute per edge however busy the site.
# stale-while-revalidate lets visitors skip that refresh; stale-if-error keeps the banner up
# through an outage of ours.
CACHE_CONTROL = "public, max-age=15, stale-while-revalidate=60, stale-if-error=86400"
NOT_FOUND_CACHE_CONTROL = "public, max-age=15"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    etag: str  # the opaque part: the header is W/"<etag>"
    headers: tuple[tuple[str, str], ...]  # all but Age, which grows with the answer
    made: float  # time.monotonic() when built
    expires: float
    banner: PublicBanner | None


def encode(value: Any) -> bytes:
    """Compact JSON; ``<``, ``>`` and ``&`` escaped so no browser can take it for HTML."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()


def _tag(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=10).hexdigest()


def _answer(
    status: int, body: bytes, etag: str, made: float, expires: float, banner: PublicBanner | None
) -> Answer:
    headers = (
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", CACHE_CONTROL if status == 200 else NOT_FOUND_CACHE_CONTROL),
        ("ETag", f'W/"{etag}"'),
        ("Access-Control-Allow-Origin", "*"),
        ("X-Content-Type-Options", "nosniff"),
    )
    return Answer(status, body, etag, headers, made, expires, banner)


def build_answer(slug: str, ttl: float, urls: PublicUrls) -> Answer:
    """Read the campaign (one row and its copy, never its gifts) and encode the payload."""
    made = time.monotonic()
    now = utcnow()
    banner = public_banner(slug, now, urls) if SLUG_PATTERN.match(slug) else None
    if banner is None:
        body = encode({"error": "not_found", "message": f"no public campaign {slug!r}"})
        return _answer(404, body, _tag(body), made, made + ttl, None)
    expires = made + ttl
    if banner.next_change is not None:
        # A stage change must not wait for the cache: expire when the stage moves on.
        expires = min(expires, made + (banner.next_change - now).total_seconds())
    # The tag leaves out the countdown, which changes every second: two answers that differ
    # only there are the same to a client, which counts down from ends_at itself.
    unchanging = {key: value for key, value in banner.payload.items() if key != "seconds_left"}
    return _answer(200, encode(banner.payload), _tag(encode(unchanging)), made, expires, banner)


def conditional(
    answer: Answer, if_none_match: str | None, now: float
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for a request; 304 when the client's copy is still good."""
    # An answer this worker has held a while is that much older for caches downstream, so
    # end to end nobody sees figures older than max-age.
    headers = [*answer.headers, ("Age", str(int(now - answer.made)))]
    if (
        if_none_match
        and answer.status == 200
        and parse_etags(if_none_match).contains_weak(answer.etag)
    ):
        return 304, [h for h in headers if h[0] not in ("Content-Type", "Content-Length")], b""
    return answer.status, headers, answer.body


class AnswerCache:
    """Answers by slug, each kept for ``ttl`` seconds (and never past a stage change)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._answers: dict[str, Answer] = {}

    def fresh(self, slug: str, now: float) -> Answer | None:
        """The cached answer for ``slug`` if it is still good at ``now`` (monotonic)."""
        answer = self._answers.get(slug)
        return answer if answer is not None and answer.expires > now else None

    def get(self, slug: str) -> Answer:
        """The answer for ``slug``, read afresh when the cached one is stale (app context)."""
        answer = self.fresh(slug, time.monotonic())
        if answer is not None:
            return answer
        answer = build_answer(slug, self.ttl, public_urls())
        if len(self._answers) >= MAX_ANSWERS:
            self._answers.clear()
        self._answers[slug] = answer
        return answer

    def clear(self) -> None:
        self._answers.clear()


def install(app: App) -> AnswerCache:
    cache = AnswerCache(app.config["BANNER_API_CACHE_SECONDS"])
    app.extensions[EXTENSION_KEY] = cache
    return cache


def answers() -> AnswerCache:
    """The current app's cache."""
    cache: AnswerCache = current_app.extensions[EXTENSION_KEY]
    return cache


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
