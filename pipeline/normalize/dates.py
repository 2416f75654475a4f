"""Dates: "31 March 2014" -> 2014-03-31, "Q3 2012" -> 2012-Q3, "last week" -> 2011-W43 (reference 2011-11-01).

Every value is ISO 8601 at its own grain, with the first and last day it covers:

>>> parse_date("31 March 2014", None).value
'2014-03-31'
>>> parse_date("third quarter of 2012", None)[:4]
('2012-Q3', '2012-07-01', '2012-09-30', 'quarter')
>>> parse_date("last week", date(2011, 11, 1)).value
'2011-W43'
>>> parse_date("next year", date(2011, 11, 1)).value
'2012'
>>> parse_date("last April", date(2011, 11, 1)).value
'2011-04'
>>> parse_date("14.03.2012", None).value
'2012-03-14'
>>> parse_date("03.04.2012", None, day_first=False).value
'2012-03-04'
>>> parse_date("this month", None)
DateValue(value=None, start=None, end=None, grain=None, relative=True)
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from dateparser.date import DateDataParser
from dateutil.relativedelta import relativedelta

from pipeline import lexicons
from pipeline.normalize.numbers import parse_number

ORDINALS = {word: int(n) for word, n in lexicons.mapping("ordinals").items()}
ORDINAL_WORDS = lexicons.alternation("ordinals")
FISCAL = r"(?:fy[ ]?|(?:fiscal|financial)[ ](?:year[ ])?)"  # [ ]: read alike in re.VERBOSE patterns
# Quarters and halves however written: Q3 2024, 3Q18, Q3 FY24, 2013-H1, third quarter of fiscal 2023, 1988
# second quarter. Groups: code letter + number (either order), or ordinal + word; the year, and whether it is
# fiscal.
PERIOD = re.compile(
    rf"""
    (?:(?P<fy1>{FISCAL})?(?P<y1>\d{{4}})[\ -]?)?         # a year before: "2024 ", "FY2023-", "1988 "
    (?:(?P<l1>[qh])(?P<n1>[1-4])                        # Q3, H1
      |(?P<n2>[1-4])(?P<l2>[qh])                        # 3Q, 1H
      |(?P<ord>{ORDINAL_WORDS})\ (?P<word>quarter|half)) # third quarter, first half
    # a year after: " of fiscal 2023", " FY24"
    (?:(?:\ of)?(?:\ the)?\ ?(?P<fy2>{FISCAL})?[\ -/]?(?P<y2>\d{{4}}|\d\d))?
    """,
    re.VERBOSE,
)
DECADE = re.compile(
    r"""
    (?:(?:early|mid|late)[ ])?(?:the[ ])?                      # "early " (1990s), "the " (1980s)
    (?:(?P<full>1[5-9]\d|20\d)0s                               # 1990s, 2010s
      |'?(?P<short>\d)0s                                       # '90s, 80s
      |(?P<word>twent|thirt|fort|fift|sixt|sevent|eight|ninet)ies)  # twenties, nineties
    """,
    re.VERBOSE,
)
LEAD = re.compile(rf"^(?:{lexicons.alternation('date_lead_words')})\s+")
RELATIVE_WORDS = re.compile(rf"\b({lexicons.alternation('relative_words')})\b")
YEAR = r"(1[89]\d\d|2[01]\d\d)"
MIN_YEAR, MAX_YEAR = 1800, 2200


class DateValue(NamedTuple):
    value: str | None
    start: str | None
    end: str | None
    grain: str | None
    relative: bool

    @property
    def normalized(self) -> str | None:
        return self.value


def _months() -> dict[str, int]:
    return {k.rstrip("."): int(v) for k, v in lexicons.mapping("months").items()}


def _weekdays() -> dict[str, int]:
    return {k: int(v) for k, v in lexicons.mapping("weekdays").items()}


def day(d: date, relative: bool = False) -> DateValue:
    return DateValue(d.isoformat(), d.isoformat(), d.isoformat(), "day", relative)


def month(y: int, m: int, relative: bool = False) -> DateValue:
    last = calendar.monthrange(y, m)[1]
    return DateValue(
        f"{y:04d}-{m:02d}", date(y, m, 1).isoformat(), date(y, m, last).isoformat(), "month", relative
    )


def quarter(y: int, q: int, relative: bool = False) -> DateValue:
    first, last = date(y, 3 * q - 2, 1), month(y, 3 * q).end
    return DateValue(f"{y:04d}-Q{q}", first.isoformat(), last, "quarter", relative)


def year(y: int, relative: bool = False) -> DateValue:
    return DateValue(f"{y:04d}", f"{y:04d}-01-01", f"{y:04d}-12-31", "year", relative)


def week(d: date, relative: bool = False) -> DateValue:
    iso_year, iso_week, weekday = d.isocalendar()
    monday = d - timedelta(days=weekday - 1)
    return DateValue(
        f"{iso_year:04d}-W{iso_week:02d}",
        monday.isoformat(),
        (monday + timedelta(days=6)).isoformat(),
        "week",
        relative,
    )


def half(y: int, h: int, relative: bool = False) -> DateValue:
    return DateValue(
        f"{y:04d}-H{h}", date(y, 6 * h - 5, 1).isoformat(), month(y, 6 * h).end, "half", relative
    )


def decade(first_year: int, relative: bool = False) -> DateValue:
    """The ten years from ``first_year`` (1990): TIMEX3 writes them as the first three digits, 199."""
    return DateValue(
        f"{first_year // 10:03d}",
        f"{first_year:04d}-01-01",
        f"{first_year + 9:04d}-12-31",
        "decade",
        relative,
    )


def fiscal(y: int, period: str = "", fiscal_end: tuple[int, int] | None = None) -> DateValue:
    """Financial year ``y`` (named after the calendar year it ends in), or its quarter or half ("Q3", "H1");
    its days only when the article says when its financial year ends (``fiscal_end``: month, day)."""
    value = f"FY{y:04d}" + (f"-{period}" if period else "")
    grain = {"": "fiscal_year", "Q": "quarter", "H": "half"}[period[:1]]
    if fiscal_end is None:
        return DateValue(value, None, None, grain, False)
    end = date(y, *fiscal_end)
    first = end - relativedelta(years=1) + timedelta(days=1)
    months = {"": (0, 12), "Q": (3 * (int(period[1:] or 1) - 1), 3), "H": (6 * (int(period[1:] or 1) - 1), 6)}
    skip, length = months[period[:1]]
    start = first + relativedelta(months=skip)
    return DateValue(
        value, start.isoformat(), (start + relativedelta(months=length, days=-1)).isoformat(), grain, False
    )


NONE = DateValue(None, None, None, None, False)


def _unresolved(text: str) -> DateValue:
    return NONE._replace(relative=bool(RELATIVE_WORDS.search(text)))


def _clean(text: str) -> str:
    """Lower case, no commas, brackets or leading prepositions; a hyphen after a word is a space
    ("third-quarter", "mid-1990s"); "(4Q)" in "the fourth quarter (4Q) of 2019" restates it and goes."""
    t = re.sub(r"\([^)]*\)", " ", text.lower().replace(",", " "))
    t = re.sub(r"(?<=[a-z])[-\u2010\u2013] ?(?=[a-z0-9'\u2019])", " ", t).replace("\u2019", "'")
    t = re.sub(r"\s+", " ", t).strip(" .;:()")
    while LEAD.match(t):
        t = LEAD.sub("", t, count=1)
    return t


def _safe(build, *args, **kwargs) -> DateValue | None:
    """A value from ``build``, or None when the parts make no real date (31 February) or leave 1800-2200."""
    try:
        result = build(*args, **kwargs)
    except (ValueError, OverflowError):
        return None
    if result is None or result.value is None:
        return result
    digits = re.search(r"\d{3,4}", result.value)[0]
    return result if MIN_YEAR <= int(digits) * (10 if len(digits) == 3 else 1) <= MAX_YEAR else None


class Story(NamedTuple):
    """What an article has said so far, for the dates that point back into it (TimeML anchoring)."""

    # the calendar quarter or half it last named: "a year earlier" is a year before
    period: DateValue | None = None
    last: DateValue | None = None  # the last date it gave a value: "the following year", "later that month"

    def after(self, text: str, value: DateValue) -> Story:
        """The story once the date mention ``text`` is read as ``value``."""
        if YEAR_EARLIER.search(_clean(text)) or not re.fullmatch(
            r"\d{4}(?:-\d\d){0,2}|\d{4}-[QHW]\d\d?", value.value or ""
        ):
            return self
        return Story(value if re.fullmatch(r"\d{4}-[QH]\d", value.value) else self.period, value)


def parse_date(
    text: str,
    reference: date | None,
    day_first: bool = True,
    partner: str | None = None,
    future: bool | None = False,
    fiscal_end: tuple[int, int] | None = None,
    story: Story = Story(),
) -> DateValue:
    """Normalise one date mention against the article's ``reference`` date (None when unknown).

    ``partner`` is the other end of a range ("1957-58": "58" takes its century from "1957"). A date without
    a year ("14 December", "March", "Q3", "Tuesday") is the latest one on or before the reference date, the
    first one on or after it when its sentence speaks of the ``future``, the nearest when ``future`` is None.
    ``fiscal_end`` (month, day) is when the article's financial years end, if it says. ``story`` is what the
    article said before it: "a year earlier" is the quarter or half it last reported on, a year before
    ("profit rose in the third quarter from a year earlier"); "the following year" follows its last date."""
    t = _clean(text)
    if m := POSITION.fullmatch(t):
        inner = _within(
            m["rest"] or m["unit"],
            future,
            story,
            lambda rest: parse_date(rest, reference, day_first, partner, future, fiscal_end, story),
        )
        if inner is not None:
            return inner
    if THE_PERIOD.fullmatch(t):
        return story.period or _unresolved(t)
    if m := ANAPHORA.fullmatch(t):
        return _anaphora(m, story.last) or _unresolved(t)
    if story.period is not None and YEAR_EARLIER.fullmatch(t):
        return _year_before(story.period)
    if (m := YEARS_PERIOD.fullmatch(t)) and reference is not None:
        return _years_period(m, reference, story.period)
    return _parsed(t, reference, day_first, partner, future, fiscal_end)


@lru_cache(maxsize=8192)
def _parsed(
    t: str,
    reference: date | None,
    day_first: bool,
    partner: str | None,
    future: bool | None,
    fiscal_end: tuple[int, int] | None,
) -> DateValue:
    """``parse_date`` of a cleaned date that does not point back into the article (cached: the same dates
    recur across articles, and the dateparser fallback is slow)."""
    if partner and re.fullmatch(r"\d\d", t) and re.fullmatch(YEAR, partner.strip()):
        t = partner.strip()[:2] + t
    elif partner and (shared := re.search(rf"\b{YEAR}$", partner.strip())) and not re.search(r"\d{4}", t):
        t = f"{t} {shared[1]}"  # "May" of "May, June and July 2020"
    result = _absolute(t, reference, day_first, future, fiscal_end)
    if result is None:
        result = _relative(t, reference, day_first, future)
    if result is not None:
        return result
    return _fallback(t, day_first)


# A part of a period ("late last year", "the end of the year", "early next month"): TimeML gives it the value
# of the period (with a modifier this table has no column for).
POSITION = re.compile(
    r"""
    (?:the[ ])?(?:very[ ])?
    (?:early|late|mid|end|start|beginning|middle|close|turn|rest|remainder)\b # "end"
    [\s-]*(?:of[ ])?(?:the[ ])?                                              # " of the "
    (?P<rest>.+)                                                            # "year", "last year"
    |(?:the[ ])?(?P<unit>year|month|quarter)(?:'s)?[ ](?:end|start)         # "year-end", "year's end"
    """,
    re.VERBOSE,
)


def _within(rest: str, future: bool | None, story: Story, parse) -> DateValue | None:
    """The period that a part of it ("the end of ``rest``") names, ``parse``d: a bare "year" or "month" is
    the story's year or month when it speaks of the past and has one, else the current one; None if ``rest``
    names no period."""
    if rest in ("year", "month", "week", "quarter"):
        same = _anaphora(ANAPHORA.fullmatch(f"same {rest}"), story.last) if future is False else None
        if same is not None:
            return same
        rest = f"this {rest}"
    inner = parse(rest)
    return inner if inner.value or inner.relative else None


# The reporting period a results story is about ("net income for the quarter", "the latest quarter"): the
# quarter or half it last named, as TimeML anchors it; with none named it is no date (``is_period_anaphor``).
THE_PERIOD = re.compile(r"(?:the )?(?:latest |current |same )?quarter|(?:the )?latest period")


def is_period_anaphor(text: str) -> bool:
    return THE_PERIOD.fullmatch(_clean(text)) is not None


YEAR_EARLIER = re.compile(r"(?:a |one )?year[\s-](?:earlier|ago)")


ANAPHORA = re.compile(
    r"""
    (?:(?:earlier|later)[ ])?                                 # "later " (that year)
    (?P<rel>following|previous|preceding|same|that)[ ]        # "following ", "same "
    (?P<unit>day|week|month|quarter|year)                     # year, month
    """,
    re.VERBOSE,
)


def _anaphora(m: re.Match, last: DateValue | None) -> DateValue | None:
    """ "the following year", "the previous month", "later that year": from the story's last date, at a grain
    that date has."""
    if last is None:
        return None
    step = {"following": 1, "previous": -1, "preceding": -1}.get(m["rel"], 0)
    first = date.fromisoformat(last.start)
    if m["unit"] == "year":
        return year(first.year + step, True)
    if m["unit"] == "quarter" and last.grain == "quarter":
        y, q = divmod(first.year * 4 + (first.month - 1) // 3 + step, 4)
        return quarter(y, q + 1, True)
    if m["unit"] == "month" and last.grain in ("month", "day"):
        y, mo = divmod(first.year * 12 + first.month - 1 + step, 12)
        return month(y, mo + 1, True)
    if m["unit"] == "week" and last.grain in ("week", "day"):
        return week(first + timedelta(weeks=step), True)
    if m["unit"] == "day" and last.grain == "day":
        return day(first + timedelta(days=step), True)
    return None


YEARS_PERIOD = re.compile(
    r"""
    (?:(?P<step>last|this|next)[ ]year's                      # last year's
      |year[ ](?:earlier|ago))[ ]                             # year ago (the year-ago ...)
    (?P<ord>[a-z0-9]+)[ ]                                     # fourth, 4th
    (?P<kind>quarter|half)                                    # quarter, half
    """,
    re.VERBOSE,
)


def _years_period(m: re.Match, ref: date, period: DateValue | None) -> DateValue | None:
    """ "last year's fourth quarter", "the year-ago third quarter" (the year before the period reported
    on)."""
    if m["step"]:
        y = ref.year + {"last": -1, "this": 0, "next": 1}[m["step"]]
    else:
        y = int(period.value[:4]) - 1 if period else ref.year - 1
    n = ORDINALS.get(m["ord"])
    if m["kind"] == "quarter":
        return None if n is None else quarter(y, n, True)
    n = 2 if m["ord"] in ("last", "final") else n
    return None if n is None or n > 2 else half(y, n, True)


def _year_before(period: DateValue) -> DateValue:
    y, part = period.value.split("-")
    return (quarter if part[0] == "Q" else half)(int(y) - 1, int(part[1]), True)


def _absolute(
    t: str, ref: date | None, day_first: bool, future: bool, fiscal_end: tuple[int, int] | None = None
) -> DateValue | None:
    """Dates that need no reference: 2014-03-31, 14.03.2012, December 2005, Q3 2012, July to September 2018
    (2018-Q3), 2011, FY2023, the 1990s."""
    months = _months()
    month_names = "|".join(sorted(months, key=len, reverse=True))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:t[\d:.]+(?:z|[+-][\d:]+)?)?", t):
        return _safe(lambda: day(date(int(m[1]), int(m[2]), int(m[3]))))
    if m := PERIOD.fullmatch(t):
        return _period(m, ref, future, fiscal_end)
    if m := DECADE.fullmatch(t):
        return _decade(m, ref)
    if m := re.fullmatch(rf"{FISCAL}-?(\d{{4}}|\d\d)", t):
        return _safe(fiscal, _full_year(m[1]), "", fiscal_end)
    if re.fullmatch(rf"{FISCAL}-?(\d{{4}}|\d\d) ?[-/] ?(\d{{4}}|\d\d)", t):
        return NONE  # a financial year written across two years ("FY2023-24"): no grain says which
    if m := re.fullmatch(  # VERBOSE-safe: month names and YEAR hold no space or "#"
        rf"""
        (?:(?:fiscal|financial)[ ])?year[ ]to[ ]   # "fiscal year to ", "year to "
        (?:(\d{{1,2}})[ ])?({month_names})\.?[ ]   # "31 march ", "sept. "
        (?:(\d{{1,2}})[ ])?{YEAR}                  # "30 2014", "2014"
        """,
        t,
        re.VERBOSE,
    ):
        last = int(m[1] or m[3] or calendar.monthrange(int(m[4]), months[m[2]])[1])
        return _safe(fiscal, int(m[4]), "", (months[m[2]], last))
    if m := re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})", t):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        y += 2000 if y < 50 else (1900 if y < 100 else 0)
        d, mo = (a, b) if (day_first and a <= 12 or a > 12) and b <= 12 else (b, a)
        return _safe(lambda: day(date(y, mo, d)))
    if m := re.fullmatch(
        rf"(?:(?:early|mid|late|end|start|beginning|middle|the end|the start)[\s-]*(?:of )?)?{YEAR}", t
    ):
        return year(int(m[1]))
    if m := re.fullmatch(rf"({month_names})\.? (?:to|through|until|till|-|–) ?({month_names})\.? {YEAR}", t):
        return _quarter_of_months(months[m[1]], months[m[2]], int(m[3]))
    if m := re.fullmatch(rf"({month_names})\.? (?:of )?{YEAR}", t):
        return month(int(m[2]), months[m[1]])
    if m := re.fullmatch(
        rf"(?:[a-z]+ )?(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({month_names})\.?(?: {YEAR})?", t
    ) or re.fullmatch(rf"(?:[a-z]+ )?({month_names})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?: (?:of )?{YEAR})?", t):
        return _day_month(m, months, ref, future)
    return None


def _quarter_of_months(first: int, last: int, y: int) -> DateValue | None:
    """ "July to September 2018", "January to June 2020": the months of one calendar quarter or half are that
    quarter or half (2018-Q3, 2020-H1)."""
    if first % 3 == 1 and last == first + 2:
        return quarter(y, last // 3)
    return half(y, last // 6) if first % 6 == 1 and last == first + 5 else None


def _year_of(ref: date, first: tuple[int, int], last: tuple[int, int], future: bool) -> int:
    """The year of a (month, day) period given without one: the latest that began on or before ``ref``, for
    the ``future`` the first that ends on or after it, and when the tense is unknown (None) the nearest."""
    today = (ref.month, ref.day)
    if future:
        return ref.year if last >= today else ref.year + 1
    if future is False:
        return ref.year if first <= today else ref.year - 1

    def distance(y: int) -> int:
        start = date(y, *first)
        end = date(y, last[0], min(last[1], calendar.monthrange(y, last[0])[1]))
        return max((start - ref).days, (ref - end).days, 0)

    return min((ref.year - 1, ref.year, ref.year + 1), key=lambda y: (distance(y), y))


def _full_year(digits: str) -> int:
    """ "2018" -> 2018; two digits are 2000-2049 or 1950-1999 ("18" -> 2018, "89" -> 1989)."""
    y = int(digits)
    return y if len(digits) == 4 else y + (2000 if y < 50 else 1900)


def _period(
    m: re.Match, ref: date | None, future: bool, fiscal_end: tuple[int, int] | None
) -> DateValue | None:
    """A quarter or half: 2024-Q3, 2025-H1, FY2023-Q3; without a year, the latest one begun by ``ref``."""
    letter = (m["l1"] or m["l2"] or m["word"][0]).upper()
    n = int(m["n1"] or m["n2"] or ORDINALS[m["ord"]])
    if letter == "H":
        n = 2 if m["ord"] in ("last", "final") else n
        if n > 2:
            return None
    digits = m["y1"] or m["y2"]
    if digits is None:
        if m["ord"] in ("last", "final"):
            return None  # "the last quarter": the one before this, see ``_relative``
        if ref is None:
            return NONE._replace(relative=True)
        months = 3 if letter == "Q" else 6
        y = _year_of(ref, (months * (n - 1) + 1, 1), (months * n, 31), future)
        return (quarter if letter == "Q" else half)(y, n, True)
    y = _full_year(digits)
    if m["fy1"] or m["fy2"]:
        return _safe(fiscal, y, f"{letter}{n}", fiscal_end)
    return _safe(quarter if letter == "Q" else half, y, n)


def _decade(m: re.Match, ref: date | None) -> DateValue:
    """ "the 1990s" -> 199; "the '80s" and "the eighties" in the latest century whose decade has begun."""
    if m["full"]:
        return decade(int(m["full"]) * 10)
    tens = int(m["short"]) if m["short"] else int(lexicons.mapping("numbers")[m["word"] + "y"]) // 10
    now = ref.year if ref else 1999
    first = (now // 100) * 100 + tens * 10
    return decade(first if first <= now else first - 100)


def _day_month(m: re.Match, months: dict[str, int], ref: date | None, future: bool) -> DateValue | None:
    parts = [g for g in m.groups() if g]
    name = next(p for p in parts if p in months)
    numbers = [int(p) for p in parts if p.isdigit()]
    d = numbers[0]
    y = numbers[1] if len(numbers) > 1 else None
    if y is None:
        if ref is None:
            return NONE._replace(relative=True)
        mo = months[name]
        return _safe(lambda: day(date(_year_of(ref, (mo, d), (mo, d), future), mo, d), True))
    return _safe(lambda: day(date(y, months[name], d)))


def _relative(t: str, ref: date | None, day_first: bool, future: bool) -> DateValue | None:
    """Dates that need the reference date: today, last week, next year, last April, Tuesday, 3 years ago."""
    months, weekdays = _months(), _weekdays()
    month_names = "|".join(sorted(months, key=len, reverse=True))
    weekday_names = "|".join(sorted(weekdays, key=len, reverse=True))
    patterns = [
        (r"(today|tonight|yesterday|tomorrow)", _deictic),
        (
            r"(?:(?:earlier|later) )?(last|this|next|past|coming|current) "
            r"(?:(?:financial|fiscal|calendar) )?(week|month|year|quarter)",
            _unit,
        ),
        (rf"(last|this|next|early|late|mid|end of|beginning of)?[\s-]*({month_names})", _bare_month),
        (rf"({month_names})\.? (?:of )?(last|this|next) year", _month_of_year),
        (
            rf"(?:(?:early|late|earlier|later) )?(last|this|next|past)? ?({weekday_names})"
            r"(?: (?:morning|afternoon|evening|night))?",
            _weekday,
        ),
        (r"(?:([\w.-]+) )?(years?|months?|weeks?|days?|decades?) (?:ago|earlier)", _ago),
    ]
    for pattern, build in patterns:
        if m := re.fullmatch(pattern, t):
            if ref is None:
                return NONE._replace(relative=True)
            return _safe(build, m, ref, future)
    return None


def _deictic(m: re.Match, ref: date, future: bool) -> DateValue:
    shift = {"yesterday": -1, "tomorrow": 1}.get(m[1], 0)
    return day(ref + timedelta(days=shift), True)


def _unit(m: re.Match, ref: date, future: bool) -> DateValue:
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(m[1], 0)
    unit = m[2]
    if unit == "week":
        return week(ref + timedelta(weeks=step), True)
    if unit == "month":
        y, mo = divmod(ref.year * 12 + ref.month - 1 + step, 12)
        return month(y, mo + 1, True)
    if unit == "quarter":
        y, q = divmod(ref.year * 4 + (ref.month - 1) // 3 + step, 4)
        return quarter(y, q + 1, True)
    return year(ref.year + step, True)


def _month_of_year(m: re.Match, ref: date, future: bool) -> DateValue:
    """ "March last year", "June next year": that month of the year before, of or after the reference's."""
    return month(ref.year + {"last": -1, "next": 1}.get(m[2], 0), _months()[m[1]], True)


def _bare_month(m: re.Match, ref: date, future: bool) -> DateValue:
    """A month without a year: "next March" is the next one, "last March" the one before this month,
    "this March" this year's; a bare "March" follows the sentence's tense (see ``parse_date``)."""
    mo = _months()[m[2]]
    if m[1] == "next":
        y = ref.year + (mo <= ref.month)
    elif m[1] == "last":
        y = ref.year - (mo >= ref.month)
    elif m[1] == "this":
        y = ref.year
    else:
        y = _year_of(ref, (mo, 1), (mo, 31), future)
    return month(y, mo, True)


def _weekday(m: re.Match, ref: date, future: bool) -> DateValue:
    """ "Tuesday": the latest one (or, for the future, the next one); "last"/"next Tuesday" skip today."""
    target = _weekdays()[m[2]]
    ahead = (target - ref.isoweekday()) % 7
    if m[1] == "next" or (future and m[1] != "last"):
        return day(ref + timedelta(days=ahead or (7 if m[1] == "next" else 0)), True)
    back = (ref.isoweekday() - target) % 7
    return day(ref - timedelta(days=back or (7 if m[1] == "last" else 0)), True)


def _ago(m: re.Match, ref: date, future: bool) -> DateValue | None:
    """ "3 years ago", "a year earlier", "year-ago" (one)."""
    n = parse_number(m[1]) if m[1] else 1
    if n is None or not float(n).is_integer():
        return None
    n, unit = int(n), m[2].rstrip("s")
    if unit == "decade":
        return year(ref.year - 10 * n, True)
    if unit == "year":
        return year(ref.year - n, True)
    if unit == "month":
        y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
        return month(y, mo + 1, True)
    if unit == "week":
        return week(ref - timedelta(weeks=n), True)
    return day(ref - timedelta(days=n), True)


@lru_cache(maxsize=4)
def _parser(day_first: bool) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY" if day_first else "MDY",
            "PREFER_DAY_OF_MONTH": "first",
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def _fallback(t: str, day_first: bool) -> DateValue:
    """Full dates our grammar lacks ("3 March 2014 at noon"), through dateparser: day grain, year given."""
    if (
        not re.search(r"\d", t)
        or not re.search(r"[a-z]", t)
        or re.search(r"\b(years?|months?|weeks?|days?)\b", t)
    ):
        return _unresolved(t)
    try:
        data = _parser(day_first).get_date_data(t)
    except Exception:  # dateparser raises many types on odd input; an unparsed date stays null
        return _unresolved(t)
    if data.date_obj is None or data.period != "day" or not re.search(rf"\b{YEAR}\b", t):
        return _unresolved(t)
    return _safe(day, data.date_obj.date()) or _unresolved(t)


FUTURE = re.compile(rf"\b(?:{lexicons.alternation('future_cues')})\b", re.I)
FUTURE_BEFORE = re.compile(
    r"""
    \b(?P<cue>from|until|till|up[ ]to|by|starting|beginning|effective|before|next  # "from ", "up to "
       |as[ ](?:soon|early)[ ]as)                                             # "as early as "
    \s+(?:the\s+)?(?:(?:end|start|beginning|middle)\s+of\s+)?$     # "until the ", "up to the end of "
    """,
    re.I | re.VERBOSE,
)


ATTRIBUTIVE = re.compile(r"\b(?:the|a|an)\s+$", re.I)
PAST_BY = re.compile(r"(?P<aux>\w+)\s+(?P<verb>[a-z]+[^e\s]ed)\s+by\s+(?:the\s+)?$", re.I)  # "had peaked by"
PAST_BEFORE = re.compile(r"\b(?:since|ago)\s+(?:the\s+)?$", re.I)
REGULAR_PAST = re.compile(r"\b[a-z]+[^e\s]ed\b")
PERFECT = re.compile(r"\b(?:has|have|had)\s+(?!to\b)[a-z]+", re.I)  # "have come down from": told of the past


def _clause(before: str, after: str) -> str:
    """The words of a date's clause around it; a relative clause after it has its own tense ("signed on 6
    February an agreement that will unlock ...")."""
    return (
        re.split(r"[.;:!?]\s|,\s+(?:and|but|which|who|while)\b", before)[-1]
        + " "
        + re.split(r"[.;:!?]\s|\b(?:that|which|who)\b", after)[0][:25]
    )


def speaks_of_future(before: str, after: str) -> bool:
    """Whether the words around a date look ahead ("will run from 1 April", "from March, BT will ..."):
    a future tense within its clause, or "from"/"until"/"by" just before it."""
    return bool(FUTURE.search(_clause(before, after)) or FUTURE_BEFORE.search(before[-40:]))


def tense(before: str, after: str) -> bool | None:
    """True when a date's clause looks ahead, False when it is told in the past ("arrested in August"),
    None when it says neither: "since" just before it, then a date naming a thing ("the Jan. 14 deadline",
    None), then a future tense, a past verb before "by" ("peaked by", not "be completed by"), then
    "until"/"by"/"as soon as" just before it ("from" only with no past verb near), then a past verb near it.

    >>> tense("State police arrested both men in ", " on charges."), tense("payable ", " to holders.")
    (False, None)
    """
    if PAST_BEFORE.search(before[-25:]):
        return False  # the word just before it speaks first: "on patrol since March and was scheduled to..."
    if (
        ATTRIBUTIVE.search(before[-5:])
        and re.match(r"\s?[a-z]{3,}", after)
        and not re.match(r"\s?of\b", after)
    ):
        return None  # it names a thing ("the Jan. 14 deadline"): its tense is not the clause's
    clause = _clause(before, after)
    if FUTURE.search(clause):
        return True
    if (m := PAST_BY.search(before[-40:])) and m["aux"].lower() not in ("be", "been", "being"):
        return False  # a past verb governs it: "peaked by the end of the year", not "be completed by"
    if cue := FUTURE_BEFORE.search(before[-40:]):
        told = _clause(before[-40:], after)
        return cue["cue"].lower() != "from" or not (_past(told) or PERFECT.search(told))
    return False if _past(_clause(before[-40:], after)) else None


def _past(clause: str) -> bool:
    """Whether a past-tense verb stands in ``clause``: a regular one (-ed) or one of ``past_verbs``."""
    words = lexicons.lowered("past_verbs")
    return bool(REGULAR_PAST.search(clause)) or any(w in words for w in re.findall(r"[a-z]+", clause))


def day_first_evidence(text: str) -> bool:
    """Whether numeric dates in an article are day-first (British), from its own evidence.

    Unambiguous numeric dates (13.03.2012, 03/13/2012) decide; otherwise British signs (£, "per cent",
    "31 March" order) against American ones ($, "percent", "March 31," order). A tie is day-first.

    >>> day_first_evidence("Costs rose 5 percent to $3m on March 31, 2012.")
    False
    >>> day_first_evidence("BT wins £400 million contract")
    True
    """
    for a, b in re.findall(r"\b(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}\b", text):
        if int(a) > 12 >= int(b):
            return True
        if int(b) > 12 >= int(a):
            return False
    month_names = "|".join(m.capitalize() for m in _months() if len(m) > 2 and not m.endswith("."))
    british = (
        text.count("£")
        + len(re.findall(r"\bper cent\b", text))
        + len(re.findall(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{month_names})\b", text))
    )
    american = (
        text.count("$")
        + len(re.findall(r"\bpercent\b", text))
        + len(re.findall(rf"\b(?:{month_names})\.? \d{{1,2}}(?:st|nd|rd|th)?,", text))
    )
    return british >= american


def fiscal_year_end(text: str) -> tuple[int, int] | None:
    """(month, day) on which the article says its financial year ends ("fiscal year ending June 30",
    "financial year to 31 March"), or None.

    >>> fiscal_year_end("Its fiscal year ends on June 30."), fiscal_year_end("Sales rose in 2019.")
    ((6, 30), None)
    """
    months = _months()
    names = "|".join(sorted(months, key=len, reverse=True))
    m = re.search(  # VERBOSE-safe: month names hold no space or "#"
        rf"""
        \b(?:fiscal|financial)[ ]year[ ]                        # "fiscal year "
        (?:that[ ])?(?:ends?|ending|ended|runs?[ ]to|to|closes)  # "that ends", "ending", "runs to"
        (?:[ ]on)?[ ]                                           # " on "
        (?:(\d{{1,2}})[ ])?({names})\b\.?                       # "30 June", "Sept."
        (?:[ ](\d{{1,2}})\b)?                                   # " 30"
        """,
        text,
        re.I | re.VERBOSE,
    )
    if not m:
        return None
    mo = months[m[2].lower()]
    return mo, int(m[1] or m[3] or calendar.monthrange(2001, mo)[1])


DATELINE_LABEL = re.compile(
    r"""
    ^\s*(?:published|posted|updated|last[ ]updated|first[ ]published  # Published, Last updated
         |date|dated|issued|released)\b                               # Dated, Released
    [\s:]*                                                            # ": "
    """,
    re.I | re.VERBOSE,
)


# What may follow a dateline's date before its dash: a wire service ("/PRNewswire/", "(Reuters)", "(GLOBE
# NEWSWIRE)").
WIRE_TAG = r"\s*(?:/[^/\n]{1,40}/|\([^)\n]{1,40}\))?\s*"


def find_dateline(text: str) -> date | None:
    """The publication date from a dateline near an article's top ("Published: 12 May 2011", "AUSTIN, Texas,
    May 4, 2016 /PRNewswire/ --", "Jan 5 (Reuters) -"), or None ("LONDON (Reuters) -" has no date).

    A wire dateline without a year ("Jan 5 (Reuters) -") takes the year the article names most often."""
    day_first = day_first_evidence(text[:5000])
    months = "|".join(sorted((m for m in _months()), key=len, reverse=True))
    candidate = re.compile(
        rf"""\b(
          \d{{1,2}}(?:st|nd|rd|th)?[ ](?:of[ ])?(?:{months})\.?,?[ ]\d{{4}}  # 4th of May, 2016
        | (?:{months})\.?[ ]\d{{1,2}}(?:st|nd|rd|th)?,?[ ]\d{{4}}          # May 4, 2016
        | \d{{1,2}}[./-]\d{{1,2}}[./-]\d{{4}}                               # 04/05/2016
        | \d{{4}}-\d{{2}}-\d{{2}}                                           # 2016-05-04
        )\b""",
        re.I | re.VERBOSE,
    )
    yearless = re.compile(  # VERBOSE-safe: month names and WIRE_TAG hold no literal space or "#"
        rf"""
        ^[^\n]{{0,60}}?\b(              # "LONDON, "
          (?:{months})\.?[ ]\d{{1,2}}    # Jan. 5
          |\d{{1,2}}[ ](?:{months}))\b   # 5 Jan
        {WIRE_TAG}                      # " (Reuters) ", " /PRNewswire/ "
        (?:--|[-–—_])                   # -- or a dash
        """,
        re.I | re.VERBOSE,
    )
    lines = [line for line in text[:1500].splitlines() if line.strip()][:6]
    for line in lines:
        labelled = DATELINE_LABEL.match(line)
        match = candidate.search(line)
        if not match:
            if (wire := yearless.match(line)) and (year_named := _year_named_most(text[:5000])):
                value = parse_date(f"{wire[1]} {year_named}", None, day_first)
                return date.fromisoformat(value.value) if value.grain == "day" else None
            continue
        short = len(line.strip()) <= 80
        lead = match.start() <= 60 and re.match(rf"{WIRE_TAG}(?:--|[-–—:|_]|$)", line[match.end() :])
        if labelled or short or lead:
            value = parse_date(match.group(0), None, day_first)
            if value.grain == "day":
                return date.fromisoformat(value.value)
    return None


def _year_named_most(text: str) -> int | None:
    """The year an article names most often (the latest on a tie), or None."""
    years = Counter(int(y) for y in re.findall(rf"\b{YEAR}\b", text))
    return max(years, key=lambda y: (years[y], y)) if years else None
