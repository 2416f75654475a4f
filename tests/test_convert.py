"""Money in one currency: known amounts at known dates, checked against the ECB file the package ships."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ROOT, ecb_rates, run_cli

from pipeline.normalize import convert

D = date.fromisoformat

# amount, currency, article's reference date, target, the day whose rate must be used (or why none is)
CASES = [
    (100.0, "GBP", "2014-03-28", "USD", "2014-03-28"),  # a Friday: its own rate
    (100.0, "GBP", "2014-03-29", "USD", "2014-03-28"),  # Saturday: Friday's
    (100.0, "GBP", "2014-03-30", "USD", "2014-03-28"),  # Sunday: Friday's
    (2.5e9, "EUR", "2005-03-28", "USD", "2005-03-24"),  # Easter Monday, after Good Friday: Thursday's
    (1.0e6, "JPY", "2011-11-01", "GBP", "2011-11-01"),  # between two currencies other than the euro
    (400.0, "USD", "2022-12-26", "EUR", "2022-12-23"),  # Boxing Day, a Monday: the Friday before
    (7.0, "USD", None, "USD", None),  # already in the target currency: no rate, no date needed
    (3.0e6, "NGN", "2014-03-28", "USD", convert.NOT_PUBLISHED),
    (5.0e6, "AED", None, "USD", convert.NOT_PUBLISHED),  # not published, whatever the date
    (100.0, "GBP", "1998-12-31", "USD", convert.OUTSIDE_HISTORY),  # before the euro's first rate (1999-01-04)
    (100.0, "GBP", "2099-01-01", "USD", convert.OUTSIDE_HISTORY),  # after the bundled history ends
    (100.0, "CNY", "2004-06-01", "USD", convert.OUTSIDE_HISTORY),  # CNY rates start on 2005-04-01
    (100.0, "ISK", "2012-06-01", "USD", convert.OUTSIDE_HISTORY),  # no ISK rate from 2008-12 to 2018-02
    (100.0, "RUB", "2023-01-10", "EUR", convert.OUTSIDE_HISTORY),  # RUB rates stop on 2022-03-01
    (100.0, "GBP", None, "USD", convert.NO_REFERENCE_DATE),
    (100.0, None, "2014-03-28", "USD", convert.NO_CURRENCY),
]


@pytest.mark.parametrize("amount,currency,reference,target,expected", CASES)
def test_known_amounts_at_known_dates(amount, currency, reference, target, expected):
    got = convert.convert(amount, currency, reference and D(reference), target)
    if expected in convert.REASONS:
        assert got == (None, None, expected)
    elif expected is None:
        assert got == (amount, None, None)
    else:
        rates = ecb_rates()[D(expected)]  # the day's rates, read from the bundled file by the test itself
        assert got.rate_date == D(expected) and got.why_not is None
        assert got.amount == pytest.approx(amount / rates[currency] * rates[target], rel=1e-12)


@pytest.mark.parametrize(
    "currency,reference,target,rate",
    [
        (
            "GBP",
            "2014-03-29",
            "USD",
            1.3759 / 0.8272,
        ),  # the file's row for 2014-03-28: USD 1.3759, GBP 0.8272
        ("EUR", "2005-03-28", "USD", 1.2982),  # 2005-03-24: USD 1.2982
    ],
)
def test_rates_looked_up_by_hand(currency, reference, target, rate):
    converted = convert.convert(1000.0, currency, D(reference), target).amount
    assert converted == pytest.approx(1000 * rate, rel=1e-12)


def test_rows_get_the_three_columns_and_summary_reasons():
    rows = [{"amount": 10.0, "currency": "GBP"}, {"amount": 10.0, "currency": "XOF"}]
    convert.convert_rows(rows, D("2014-03-28"), "EUR")
    assert rows[0]["converted_amount"] == pytest.approx(10 / ecb_rates()[D("2014-03-28")]["GBP"])
    assert (rows[0]["converted_currency"], rows[0]["rate_date"]) == ("EUR", "2014-03-28")
    assert [rows[1][k] for k in ("converted_amount", "converted_currency", "rate_date")] == [None] * 3
    assert [convert.why_unconverted(r, "2014-03-28") for r in rows] == [None, convert.NOT_PUBLISHED]


def test_rates_come_from_the_bundled_file_only(monkeypatch):
    import urllib.request

    import currency_converter.currency_converter as package

    def no_network(*args, **kwargs):
        raise AssertionError("the converter tried the network")

    monkeypatch.setattr(package, "urlopen", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    convert.rates.cache_clear()
    try:
        assert convert.rates().bounds["USD"].last_date == max(ecb_rates())
    finally:
        convert.rates.cache_clear()


def test_an_unknown_target_currency_is_a_usage_error(tmp_path):
    result = run_cli("extract", ROOT / "seeds", "--out", tmp_path / "out", "--convert-to", "XYZ")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--convert-to 'XYZ': the ECB publishes no rate for it" in result.stderr
    assert not (tmp_path / "out").exists()
