"""Years of realistic giving history, bulk-loaded for demonstrations and benchmarks."""

from .calendar import existing_history
from .seed import DEFAULT_SEED, HistoryExists, HistorySummary, seed_history

__all__ = ["DEFAULT_SEED", "HistoryExists", "HistorySummary", "existing_history", "seed_history"]
