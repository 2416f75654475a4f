"""One normaliser module per value label: money, percent, duration, dates (numbers is shared); organisations
are the stage in ``pipeline.organisations``."""
