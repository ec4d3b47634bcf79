"""What people give: preset-heavy one-time gifts with a long tail, and small monthly gifts."""

from __future__ import annotations

import random
from itertools import accumulate

# (whole dollars, weight): the presets 25/50/100/250 carry most gifts, as on a real form.
ONE_TIME_AMOUNTS = (
    (25, 26.0),
    (50, 22.0),
    (100, 15.0),
    (250, 5.5),
    (10, 4.5),
    (20, 3.5),
    (35, 2.0),
    (75, 2.0),
    (500, 2.0),
    (15, 1.5),
    (30, 1.5),
    (150, 1.0),
    (1000, 0.8),
)
MONTHLY_AMOUNTS = ((10, 28.0), (5, 12.0), (15, 12.0), (20, 13.0), (25, 15.0), (50, 8.0), (100, 3.0))
CUSTOM_ONE_TIME = 0.12  # typed amounts, drawn from the long tail
CUSTOM_MONTHLY = 0.09

_ONE_TIME_CUMULATIVE = list(accumulate(w for _, w in ONE_TIME_AMOUNTS))
_MONTHLY_CUMULATIVE = list(accumulate(w for _, w in MONTHLY_AMOUNTS))


def _typed(rng: random.Random, median: float) -> int:
    """An amount someone typed: mostly whole dollars, sometimes with cents, rarely huge."""
    if rng.random() < 0.003:
        return rng.choice((2_500, 5_000, 10_000, 25_000)) * 100
    dollars = min(max(rng.lognormvariate(0.0, 1.0) * median, 1.0), 20_000.0)
    if rng.random() < 0.15:
        return max(int(dollars * 100), 100)
    return max(round(dollars), 1) * 100


def one_time_amount(rng: random.Random) -> int:
    """A one-time gift in cents."""
    if rng.random() < CUSTOM_ONE_TIME:
        return _typed(rng, 60.0)
    picked = rng.choices(ONE_TIME_AMOUNTS, cum_weights=_ONE_TIME_CUMULATIVE)[0]
    return picked[0] * 100


def monthly_amount(rng: random.Random) -> int:
    """A monthly gift in cents."""
    if rng.random() < CUSTOM_MONTHLY:
        return min(_typed(rng, 18.0), 50_000)
    picked = rng.choices(MONTHLY_AMOUNTS, cum_weights=_MONTHLY_CUMULATIVE)[0]
    return picked[0] * 100
