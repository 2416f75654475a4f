"""Contract-news extraction: organisations, money, percentages, durations and dates as tables."""
__version__ = "0.1.0"
