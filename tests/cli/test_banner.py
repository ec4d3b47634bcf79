"""``flask campaigns banner …``: staff set the banner's copy and look, and read its funnel."""

from datetime import date

from campaigns.db import unit_of_work
from campaigns.fundraising.funnel import BannerEvent, record_event
from campaigns.models import BannerAfterEnd, BannerEventKind, BannerPlacement, Stage
from tests.factories import make_campaign


def banner(runner, *args: str):
    return runner.invoke(args=["campaigns", "banner", *args])


def test_copy_adds_a_variant_and_updates_it(runner, db) -> None:
    campaign = make_campaign()
    words = ["--headline", "Hours left", "--body", "Match ends at midnight.", "--cta", "Give now"]
    result = banner(runner, "copy", "eoy-test", "--stage", "final", "--variant", "b", *words)
    assert result.exit_code == 0, result.output
    assert "Added final copy, variant b, for eoy-test." in result.output
    result = banner(runner, "copy", "eoy-test", "--stage", "final", "--variant", "b", "--cta", "Go")
    assert "Updated final copy, variant b" in result.output
    copy = next(c for c in campaign.banner_copies if c.stage is Stage.FINAL and c.variant == "b")
    db.refresh(copy)
    assert (copy.headline, copy.body, copy.cta_label) == (
        "Hours left",
        "Match ends at midnight.",
        "Go",
    )


def test_copy_errors_name_the_option(runner, db) -> None:
    make_campaign()
    result = banner(runner, "copy", "eoy-test", "--stage", "final", "--variant", "New")
    assert result.exit_code != 0
    assert "--variant: use 1-32 lowercase letters" in result.output
    result = banner(runner, "copy", "eoy-test", "--stage", "final", "--variant", "c")
    assert "--headline: a new variant needs a headline" in result.output
    result = banner(runner, "copy", "nope", "--stage", "final", "--headline", "x")
    assert "no campaign with slug 'nope'" in result.output


def test_remove_copy_keeps_the_last_variant(runner, db) -> None:
    make_campaign()
    result = banner(runner, "remove-copy", "eoy-test", "--stage", "normal", "--variant", "a")
    assert result.exit_code != 0
    assert "normal needs at least one variant" in result.output
    banner(runner, "copy", "eoy-test", "--stage", "normal", "--variant", "b", "--headline", "B")
    result = banner(runner, "remove-copy", "eoy-test", "--stage", "normal", "--variant", "a")
    assert result.exit_code == 0, result.output


def test_set_saves_settings_and_refuses_poor_contrast(runner, db) -> None:
    campaign = make_campaign()
    settings = ["--placement", "top", "--dismiss-days", "7", "--after-end", "hide"]
    settings += ["--impression-sample", "50", "--accent", "#1a4d8f"]
    result = banner(runner, "set", "eoy-test", *settings)
    assert result.exit_code == 0, result.output
    db.refresh(campaign)
    assert campaign.banner_placement is BannerPlacement.TOP
    assert campaign.banner_after_end is BannerAfterEnd.HIDE
    assert (campaign.banner_dismiss_days, campaign.banner_impression_sample) == (7, 50)
    result = banner(runner, "set", "eoy-test", "--text", "#aaaaaa")
    assert result.exit_code != 0
    assert "--text: text on the background has a contrast of" in result.output
    assert "WCAG AA needs 4.5:1" in result.output


def test_show_lists_copy_and_the_lines_to_embed(runner, db) -> None:
    make_campaign(title='Give "now" <b>')
    result = banner(runner, "show", "eoy-test")
    assert result.exit_code == 0, result.output
    assert "[urgent / a]" in result.output
    assert "placement:     bottom" in result.output
    assert (
        '<script async src="http://donate.example.org/widget.js" data-campaign="eoy-test">'
        in result.output
    )
    assert 'title="Give &#34;now&#34; &lt;b&gt;"' in result.output


def test_funnel_prints_rates_per_variant(runner, db) -> None:
    campaign = make_campaign()
    assert "No banner events or gifts yet." in banner(runner, "funnel", "eoy-test").output
    with unit_of_work():
        for kind, times in ((BannerEventKind.IMPRESSION, 20), (BannerEventKind.CLICK, 3)):
            for _ in range(times):
                event = BannerEvent(kind, Stage.NORMAL, "a")
                record_event(campaign.id, date(2026, 12, 1), event, 10)
    result = banner(runner, "funnel", "eoy-test")
    assert result.exit_code == 0, result.output
    row = result.output.splitlines()[1].split()
    assert row[:4] == ["a", "200", "3", "1.5%"]
