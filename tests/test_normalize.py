"""Normalisers, as tables of real-world strings and the values they must give (price-parser style)."""

from datetime import date

import pandas as pd
import pytest

from pipeline.normalize.dates import day_first_evidence, find_dateline, parse_date
from pipeline.normalize.duration import parse_duration
from pipeline.normalize.money import article_currency, normalize_money, parse_money
from pipeline.normalize.percent import parse_percent
from pipeline.normalize.qualifiers import qualifier_before

MONEY = [
    ("£400 million", None, 400e6, "GBP"),
    ("£1.2bn", None, 1.2e9, "GBP"),
    ("$54K", None, 54e3, "USD"),
    ("€3.5m", None, 3.5e6, "EUR"),
    ("US$4.7 billion", None, 4.7e9, "USD"),
    ("C$1.5-billion", None, 1.5e9, "CAD"),
    ("250m-euro", None, 250e6, "EUR"),
    ("2bn euros", None, 2e9, "EUR"),
    ("Rs 1,200 crore", None, 12e9, "INR"),
    ("£12million", None, 12e6, "GBP"),
    ("EUR 45m", None, 45e6, "EUR"),
    ("1.1 billion dollars", None, 1.1e9, "USD"),
    ("$6 trillion", None, 6e12, "USD"),
    ("60 billion CZK", None, 60e9, "CZK"),
    ("£1,250,000", None, 1.25e6, "GBP"),
    ("$36,447,717", None, 36447717, "USD"),
    ("€1.200,50", None, 1200.5, "EUR"),
    ("50p", None, 0.5, "GBP"),
    ("99 cents", None, 0.99, "USD"),
    ("half a billion dollars", None, 0.5e9, "USD"),
    ("five million US dollars", None, 5e6, "USD"),
    ("20 dollars 43 cents", None, 20.43, "USD"),
    ("C $ 16.4 million", None, 16.4e6, "CAD"),
    ("400 million", None, 400e6, None),
    ("ALL 70", None, 70, "ALL"),
    ("All 70", None, 70, None),
    # ranges share their scale and currency
    ("£20", "30m", 20e6, "GBP"),
    ("30m", "£20", 30e6, "GBP"),
    ("$2bn", "$3bn", 2e9, "USD"),
]


@pytest.mark.parametrize("text,partner,amount,currency", MONEY, ids=[m[0] for m in MONEY])
def test_money(text, partner, amount, currency):
    got_amount, got_currency = parse_money(text, partner)
    assert got_amount == pytest.approx(amount) and got_currency == currency


def test_bare_amount_takes_the_article_currency():
    value = normalize_money("400 million", before="signed a ", article_default="GBP")
    assert (value.amount, value.currency, value.currency_inferred, value.normalized) == (
        400e6,
        "GBP",
        True,
        "GBP 400000000",
    )
    assert normalize_money("£400m").currency_inferred is False


@pytest.mark.parametrize(
    "explicit,text,expected",
    [
        (["GBP", "GBP", "USD"], "", "GBP"),
        ([None], "The deal, in euros, ...", "EUR"),
        ([], "The UK government said British councils...", "GBP"),
        ([], "The Pentagon said on Friday", "USD"),
        ([], "No place and no money named.", None),
    ],
)
def test_article_currency(explicit, text, expected):
    assert article_currency(explicit, text) == expected


PERCENT = [
    ("40 per cent", 40),
    ("71%", 71),
    ("12 percent", 12),
    ("2.5 pc", 2.5),
    ("ten per cent", 10),
    ("4.5 per-cent", 4.5),
    ("21", 21),
    ("two and a half per cent", 2.5),
    ("100 percents", 100),
]


@pytest.mark.parametrize("text,value", PERCENT, ids=[p[0] for p in PERCENT])
def test_percent(text, value):
    assert parse_percent(text) == pytest.approx(value)


DURATIONS = [
    ("10-year", "P10Y", 10, "year"),
    ("three-year", "P3Y", 3, "year"),
    ("decade-long", "P10Y", 10, "year"),
    ("a decade", "P10Y", 10, "year"),
    ("18 months", "P18M", 18, "month"),
    ("90 minutes", "PT90M", 90, "minute"),
    ("four-and-a-half-year", "P4Y6M", 4.5, "year"),
    ("three years and four months", "P3Y4M", 3.3333, "year"),
    ("two weeks", "P2W", 2, "week"),
    ("a fortnight", "P2W", 2, "week"),
    ("1.5 hours", "PT1H30M", 1.5, "hour"),
    ("half an hour", "PT30M", 0.5, "hour"),
    ("six-month", "P6M", 6, "month"),
    ("24-hour", "PT24H", 24, "hour"),
    ("a year and a half", "P1Y6M", 1.5, "year"),
    ("several years", None, None, "year"),
]


@pytest.mark.parametrize("text,iso,value,unit", DURATIONS, ids=[d[0] for d in DURATIONS])
def test_duration(text, iso, value, unit):
    got_iso, got_value, got_unit = parse_duration(text)
    assert (got_iso, got_unit) == (iso, unit)
    assert got_value == (pytest.approx(value) if value is not None else None)


REF = date(2011, 11, 1)  # a Tuesday
DATES = [
    ("31 March 2014", None, "2014-03-31", "2014-03-31", "2014-03-31", "day", False),
    ("December 2005", None, "2005-12", "2005-12-01", "2005-12-31", "month", False),
    ("2011", None, "2011", "2011-01-01", "2011-12-31", "year", False),
    ("Q3 2012", None, "2012-Q3", "2012-07-01", "2012-09-30", "quarter", False),
    ("third quarter of 2012", None, "2012-Q3", "2012-07-01", "2012-09-30", "quarter", False),
    ("1st June 2012", None, "2012-06-01", "2012-06-01", "2012-06-01", "day", False),
    ("September 30, 2013", None, "2013-09-30", "2013-09-30", "2013-09-30", "day", False),
    ("Sept. 30, 2013", None, "2013-09-30", "2013-09-30", "2013-09-30", "day", False),
    ("14.03.2012", None, "2012-03-14", "2012-03-14", "2012-03-14", "day", False),
    ("2014-03-31", None, "2014-03-31", "2014-03-31", "2014-03-31", "day", False),
    ("February 2012", None, "2012-02", "2012-02-01", "2012-02-29", "month", False),
    ("last week", REF, "2011-W43", "2011-10-24", "2011-10-30", "week", True),
    ("this week", REF, "2011-W44", "2011-10-31", "2011-11-06", "week", True),
    ("this month", REF, "2011-11", "2011-11-01", "2011-11-30", "month", True),
    ("next year", REF, "2012", "2012-01-01", "2012-12-31", "year", True),
    ("last quarter", REF, "2011-Q3", "2011-07-01", "2011-09-30", "quarter", True),
    ("last April", REF, "2011-04", "2011-04-01", "2011-04-30", "month", True),
    ("next March", REF, "2012-03", "2012-03-01", "2012-03-31", "month", True),
    ("yesterday", REF, "2011-10-31", "2011-10-31", "2011-10-31", "day", True),
    ("today", REF, "2011-11-01", "2011-11-01", "2011-11-01", "day", True),
    ("on Friday", REF, "2011-10-28", "2011-10-28", "2011-10-28", "day", True),
    ("two years ago", REF, "2009", "2009-01-01", "2009-12-31", "year", True),
    ("earlier this year", REF, "2011", "2011-01-01", "2011-12-31", "year", True),
    ("March 31", REF, "2011-03-31", "2011-03-31", "2011-03-31", "day", True),
    ("last week", None, None, None, None, None, True),
    ("2015/16", None, None, None, None, None, False),
    ("summer 2021", None, None, None, None, None, False),
    ("31 February 2014", None, None, None, None, None, False),
]


@pytest.mark.parametrize(
    "text,ref,value,start,end,grain,relative", DATES, ids=[d[0] + str(bool(d[1])) for d in DATES]
)
def test_date(text, ref, value, start, end, grain, relative):
    assert tuple(parse_date(text, ref)) == (value, start, end, grain, relative)


def test_numeric_dates_follow_the_article():
    assert parse_date("03.04.2012", None, day_first=True).value == "2012-04-03"
    assert parse_date("03.04.2012", None, day_first=False).value == "2012-03-04"
    assert day_first_evidence("Profits rose 5 percent to $3m on March 31, 2012.") is False
    assert day_first_evidence("BT wins £400 million contract; 40 per cent share") is True
    assert day_first_evidence("Dated 04/13/2012, in £") is False


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Contracts For Dec. 5, 2019\n\nNAVY\nGeneral Dynamics ...", "2019-12-05"),
        ("Some headline\nPublished: 12 May 2011\n\nBody text.", "2011-05-12"),
        ("LONDON, 7 Feb 2010 - BT said on Monday it had won ...", "2010-02-07"),
        ("14.03.2012\nBT wins £5m deal", "2012-03-14"),
        (
            "BT wins deal\nThe arrangements take effect from 31 March 2014, once the long review by both "
            "sides has been finished and the board has agreed.",
            None,
        ),
    ],
)
def test_dateline(text, expected):
    found = find_dateline(text)
    assert (found.isoformat() if found else None) == expected


@pytest.mark.parametrize(
    "before,qualifier",
    [
        ("worth around ", "approx"),
        ("more than ", "over"),
        ("in excess of ", "over"),
        ("less than ", "under"),
        ("up to ", "up_to"),
        ("a deal worth ", None),
        ("some ", "approx"),
    ],
)
def test_qualifier(before, qualifier):
    assert qualifier_before(before) == qualifier


@pytest.mark.parametrize(
    "text,future,value",
    [
        ("14 December", False, "2010-12-14"),
        ("14 December", True, "2011-12-14"),
        ("March", False, "2011-03"),
        ("March", True, "2012-03"),
        ("November", True, "2011-11"),
        ("third quarter", False, "2011-Q3"),
        ("first quarter", True, "2012-Q1"),
        ("Friday", False, "2011-10-28"),
        ("Friday", True, "2011-11-04"),
    ],
)
def test_dates_without_a_year_follow_the_tense(text, future, value):
    assert parse_date(text, REF, future=future).value == value


@pytest.mark.parametrize(
    "before,after,future",
    [
        ("The contract will run until ", ".", True),
        ("The new arrangements take effect from ", ".", True),
        ("On ", ", BT will take over the service.", True),
        ("BT said on ", " it had won the deal.", False),
        ("On ", ", the fund signed three deals that will help 300 firms and", False),
        ("Sales rose. He will retire. In ", " profits fell.", False),
    ],
)
def test_tense(before, after, future):
    from pipeline.normalize.dates import speaks_of_future

    assert speaks_of_future(before, after) is future


@pytest.mark.parametrize(
    "before,after,expected",
    [
        ("The carrier has been on patrol since ", " and was scheduled to return.", False),
        ("The group could come to the U.S. as soon as ", ".", True),
        ("The ruling is expected as early as ", ".", True),
        ("State police arrested both men in ", " on charges.", False),
        ("The dividend is payable ", " to holders.", None),
    ],
)
def test_tense_takes_the_nearest_cue_first(before, after, expected):
    from pipeline.normalize.dates import tense

    assert tense(before, after) is expected


@pytest.mark.parametrize(
    "text,restates",
    [
        ("The EU pays €300 million ($340 million) for it.", [None, 0]),
        ("It cost £2m (about $2.6m; €2.3m).", [None, 0, 0]),
        ("It cost £2m, $5m and €3m.", [None, None, None]),
        ("Tickets cost $5 ($6 with fees).", [None, None]),
    ],
)
def test_restates_names_the_amount_a_bracket_converts(text, restates):
    import pipeline

    money = pipeline.extract_text(text)["money"]
    first = int(money.mention_id.iloc[0])
    got = [None if value is pd.NA else int(value) - first for value in money.restates]
    assert got == restates
