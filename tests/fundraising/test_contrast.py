"""Colour contrast as WCAG measures it, and colours read as hex codes."""

import pytest

from campaigns.fundraising.contrast import contrast_ratio, parse_color


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")


@pytest.mark.parametrize(
    ("text", "expected"), [("#ABC", "#aabbcc"), ("b3261e", "#b3261e"), (" #FfF8E1 ", "#fff8e1")]
)
def test_colours_are_read_as_hex_codes(text, expected) -> None:
    assert parse_color(text) == expected


@pytest.mark.parametrize("text", ["red", "#12345", "#ggg", "rgb(0,0,0)", "#fff;}", ""])
def test_anything_but_a_hex_code_is_refused(text) -> None:
    with pytest.raises(ValueError, match="not a colour"):
        parse_color(text)
