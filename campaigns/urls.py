"""The public pages that layers below the web link to, without knowing the web's routes.

Emails, the donor portal and the banner need absolute links (emails go out from the worker,
outside any request). The web layer, which owns the routes, installs a ``PublicUrls`` when the
app is built; the layers below ask it for a page by what the page is.
"""

from __future__ import annotations

from typing import Protocol

from flask import Flask, current_app

_KEY = "campaigns.public_urls"


class PublicUrls(Protocol):
    """Absolute addresses of the public pages, on the organisation's PUBLIC_URL."""

    def home(self) -> str: ...

    def campaign(self, slug: str, **query: str) -> str: ...

    def donate(self, slug: str, **query: str) -> str: ...

    def giving_request(self) -> str:
        """Where a donor asks for a link to their giving."""
        ...

    def giving_link(self, page: str, token: str) -> str:
        """The donor page named ``page`` ("manage", "card", "statement"), opened by ``token``."""
        ...

    def card_link(self, donor_id: int, recurring_gift_id: int) -> str:
        """The signed link a donor follows to update the card of one monthly gift."""
        ...


def install_public_urls(app: Flask, urls: PublicUrls) -> None:
    app.extensions[_KEY] = urls


def public_urls() -> PublicUrls:
    urls: PublicUrls = current_app.extensions[_KEY]
    return urls
