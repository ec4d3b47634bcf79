"""``/widget.js``, its versioned twin, the ``/embed/<slug>`` frame, and who may frame what."""

import gzip
import re
from html import unescape

import pytest

from campaigns.db import unit_of_work
from campaigns.fundraising.banner_settings import set_copy
from campaigns.models import CampaignStatus, Stage
from campaigns.web.widget_bundle import (
    CSS_PLACEHOLDER,
    GZIP_BUDGET,
    widget_bundle,
)
from tests.factories import make_campaign

pytestmark = pytest.mark.usefixtures("fresh_banner_state")


def test_widget_script_is_one_small_cacheable_file(client) -> None:
    response = client.get("/widget.js", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    headers = response.headers
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["Cache-Control"] == "public, max-age=600, stale-while-revalidate=86400"
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "Set-Cookie" not in headers
    assert len(response.data) <= GZIP_BUDGET
    script = gzip.decompress(response.data).decode()
    # The stylesheet travels inside the script: one request draws the banner.
    assert ":host" in script
    assert "prefers-reduced-motion" in script
    assert CSS_PLACEHOLDER not in script
    assert "innerHTML" not in script
    assert "eval(" not in script
    assert "document.cookie" not in script


def test_uncompressed_for_clients_that_ask_for_nothing(client) -> None:
    response = client.get("/widget.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.data == widget_bundle().script


def test_unchanged_script_revalidates_with_304(client) -> None:
    etag = client.get("/widget.js").headers["ETag"]
    assert etag == f'W/"{widget_bundle().version}"'
    response = client.get("/widget.js", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""


def test_versioned_script_is_cached_for_a_year_and_old_versions_briefly(client) -> None:
    version = widget_bundle().version
    current = client.get(f"/widget.{version}.js")
    assert current.status_code == 200
    assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    old = client.get("/widget.0123456789ab.js")
    assert old.status_code == 200
    assert old.headers["Cache-Control"].startswith("public, max-age=600")


def test_embed_page_may_be_framed_by_anyone_and_runs_only_our_script(client) -> None:
    make_campaign()
    response = client.get("/embed/eoy-test")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp
    assert "script-src 'self'" in csp
    assert "default-src 'none'" in csp
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    version = widget_bundle().version
    assert f'src="/widget.{version}.js"' in html
    assert 'data-campaign="eoy-test"' in html
    assert 'data-placement="inline"' in html
    # Without scripts the frame still shows the words, the figures and the way to give.
    assert "<noscript>" in html
    assert "Keep independent media alive" in html
    assert "$0.00 raised of" in html
    assert (
        'href="http://donate.example.org/campaigns/eoy-test/donate?source=banner&amp;variant=a"'
        ' target="_top"'
    ) in html


def test_embed_page_escapes_whatever_staff_typed(client, db) -> None:
    payload = '"><script>alert(1)</script>'
    campaign = make_campaign(title=payload)
    with unit_of_work():
        set_copy(campaign, Stage.NORMAL, "a", headline=payload, body=payload, cta_label=payload)
    html = client.get("/embed/eoy-test").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
    assert unescape(re.search(r"<title>(.*?)</title>", html).group(1)) == payload


def test_embed_page_sets_no_cookie_even_for_visitors_who_have_a_session(client) -> None:
    make_campaign()
    client.get("/campaigns/eoy-test/donate")  # the donate form's CSRF token starts a session
    assert client.get_cookie("session") is not None
    for path in ("/embed/eoy-test", "/api/campaigns/eoy-test", "/widget.js"):
        response = client.get(path)
        assert response.headers.getlist("Set-Cookie") == [], path
        assert "cookie" not in response.headers.get("Vary", "").lower(), path


@pytest.mark.parametrize("slug", ["nope", "draft-one"])
def test_embed_page_of_unknown_or_draft_campaign_is_404(client, slug) -> None:
    make_campaign(slug="draft-one", status=CampaignStatus.DRAFT)
    response = client.get(f"/embed/{slug}")
    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/", "/campaigns/eoy-test", "/campaigns/eoy-test/donate", "/nowhere"]
)
def test_every_other_page_refuses_to_be_framed(client, path) -> None:
    make_campaign()
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors *" not in response.headers.get("Content-Security-Policy", "")
