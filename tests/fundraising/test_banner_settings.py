"""Staff settings for the banner: its copy per stage and variant, its look and behaviour."""

from dataclasses import replace

import pytest

from campaigns.db import unit_of_work
from campaigns.errors import ValidationError
from campaigns.fundraising.banner_settings import (
    BannerChanges,
    change_banner,
    remove_copy,
    set_copy,
)
from campaigns.models import BannerPlacement, Stage
from tests.factories import make_campaign


def test_new_variant_is_added_and_existing_copy_updated_in_part(db) -> None:
    campaign = make_campaign()
    before = campaign.updated_at
    with unit_of_work():
        added = set_copy(campaign, Stage.URGENT, "b", headline="  Two days left  ")
    assert (added.headline, added.body, added.cta_label) == ("Two days left", "", "Donate now")
    assert campaign.updated_at > before  # the API's ETag and updated_at follow the copy
    with unit_of_work():
        set_copy(campaign, Stage.URGENT, "b", body="Every gift is matched.")
    assert (added.headline, added.body) == ("Two days left", "Every gift is matched.")


@pytest.mark.parametrize(
    ("variant", "fields", "field"),
    [
        ("B", {"headline": "x"}, "variant"),
        ("-b", {"headline": "x"}, "variant"),
        ("x" * 33, {"headline": "x"}, "variant"),
        ("b", {}, "headline"),
        ("a", {"headline": "   "}, "headline"),
        ("a", {"headline": "x" * 201}, "headline"),
        ("a", {"body": "x" * 401}, "body"),
        ("a", {"cta_label": ""}, "cta"),
    ],
)
def test_copy_that_breaks_a_rule_is_refused(db, variant, fields, field) -> None:
    campaign = make_campaign()
    with pytest.raises(ValidationError) as caught:
        set_copy(campaign, Stage.NORMAL, variant, **fields)
    assert field in caught.value.errors


def test_a_stage_keeps_at_least_one_variant(db) -> None:
    campaign = make_campaign()
    with pytest.raises(ValidationError, match="at least one"):
        remove_copy(campaign, Stage.NORMAL, "a")
    with pytest.raises(ValidationError, match="no variant"):
        remove_copy(campaign, Stage.NORMAL, "b")
    with unit_of_work():
        set_copy(campaign, Stage.NORMAL, "b", headline="B")
        remove_copy(campaign, Stage.NORMAL, "a")
    assert [(c.stage, c.variant) for c in campaign.banner_copies if c.stage is Stage.NORMAL] == [
        (Stage.NORMAL, "b")
    ]


def test_settings_are_saved_with_colours_normalised(db) -> None:
    campaign = make_campaign()
    with unit_of_work():
        change_banner(
            campaign,
            BannerChanges(
                placement=BannerPlacement.TOP,
                dismiss_days=3,
                impression_sample=100,
                background="#FFF",
                text="111",
                accent="#1A4D8F",
            ),
        )
    assert campaign.banner_placement is BannerPlacement.TOP
    assert (campaign.banner_dismiss_days, campaign.banner_impression_sample) == (3, 100)
    assert (campaign.banner_background, campaign.banner_text) == ("#ffffff", "#111111")
    assert campaign.banner_accent == "#1a4d8f"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (BannerChanges(text="#999999"), "text"),  # grey on cream: 2.6:1
        (BannerChanges(accent_text="#ff8a80"), "accent_text"),
        (BannerChanges(accent="#ffe082"), "accent"),  # a pale accent vanishes on cream
        (BannerChanges(background="nope"), "background"),
        (BannerChanges(dismiss_days=-1), "dismiss_days"),
        (BannerChanges(dismiss_days=366), "dismiss_days"),
        (BannerChanges(impression_sample=0), "impression_sample"),
    ],
)
def test_settings_below_aa_contrast_or_out_of_range_change_nothing(db, changes, field) -> None:
    campaign = make_campaign()
    with pytest.raises(ValidationError) as caught:
        change_banner(campaign, replace(changes, placement=BannerPlacement.TOP))
    assert field in caught.value.errors
    assert campaign.banner_placement is BannerPlacement.BOTTOM
    assert campaign.banner_text == "#1f1f1f"
