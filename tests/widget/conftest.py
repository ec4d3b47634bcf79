"""Fixtures for the banner's API, beacons and assets: a clean answer cache and rate limiter."""

from collections.abc import Iterator

import pytest

from campaigns.extensions import limiter
from campaigns.web.banner_cache import answers


@pytest.fixture(autouse=True)
def _fresh_banner_state(app) -> Iterator[None]:
    """Each test reads its own campaigns (the cache is per slug) and starts with full limits."""
    with app.app_context():
        cache = answers()
        cache.clear()
        ttl = cache.ttl
        limiter.reset()
    yield
    cache.clear()
    cache.ttl = ttl
