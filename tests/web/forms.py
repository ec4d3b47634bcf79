"""Submitting real forms in tests: CSRF token included."""

from __future__ import annotations

import re


def csrf_token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    tag = input_tag(html, name="csrf_token")
    assert tag and tag.get("value"), f"no CSRF token on {url}"
    return tag["value"]


def submit(client, url: str, data: dict[str, str], **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


def input_tag(html: str, **attributes: str) -> dict[str, str] | None:
    """The attributes of the first <input> carrying all of ``attributes``, else None."""
    for match in re.finditer(r"<input\b([^>]*)>", html):
        found = dict(re.findall(r'([\w-]+)(?:="([^"]*)")?', match.group(1)))
        if all(found.get(key) == value for key, value in attributes.items()):
            return found
    return None
