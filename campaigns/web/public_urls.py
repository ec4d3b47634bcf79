"""The web's ``PublicUrls``: absolute links to its routes, built with or without a request."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..donor_portal.links import Purpose, link_url
from ..fundraising.donors import get_donor
from ..urls import install_public_urls

# The donor pages a signed link opens, by the page names of ``urls.PublicUrls.giving_link``.
_GIVING_ENDPOINTS = {
    "manage": "my_giving.manage",
    "card": "my_giving.card",
    "statement": "my_giving.statement",
}


class WebUrls:
    def __init__(self, app: Flask) -> None:
        self._app = app

    def _build(self, endpoint: str, **values: Any) -> str:
        # Bound to no request: emails are composed by the worker and the CLI too.
        path = self._app.url_map.bind("localhost").build(endpoint, values)
        return f"{self._app.config['PUBLIC_URL']}{path}"

    def home(self) -> str:
        return self._build("public.index")

    def campaign(self, slug: str, **query: str) -> str:
        return self._build("public.campaign", slug=slug, **query)

    def donate(self, slug: str, **query: str) -> str:
        return self._build("checkout.donate", slug=slug, **query)

    def giving_request(self) -> str:
        return self._build("my_giving.request_link")

    def giving_link(self, page: str, token: str) -> str:
        return self._build(_GIVING_ENDPOINTS[page], token=token)

    def card_link(self, donor_id: int, recurring_gift_id: int) -> str:
        donor = get_donor(donor_id)
        if donor is None:
            return self.giving_request()
        return link_url(Purpose.CARD, donor, g=recurring_gift_id)


def register_public_urls(app: Flask) -> None:
    install_public_urls(app, WebUrls(app))
