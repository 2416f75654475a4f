"""One normaliser module per label: money, percent, duration, dates, orgs (numbers is shared)."""
