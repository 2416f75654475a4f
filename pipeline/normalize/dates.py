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
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from dateparser.date import DateDataParser

from pipeline import lexicons
from pipeline.normalize.numbers import parse_number

ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "final": 4, "last": 4}
LEAD = re.compile(r"^(?:the|of|in|on|at|by|from|since|until|till|to|during|before|after|for|as of|"
                  r"effective|from)\s+")
RELATIVE_WORDS = re.compile(r"\b(today|tonight|yesterday|tomorrow|last|this|next|past|previous|coming|current|"
                            r"following|ago|earlier|later|recent)\b")
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
    return DateValue(f"{y:04d}-{m:02d}", date(y, m, 1).isoformat(), date(y, m, last).isoformat(), "month", relative)


def quarter(y: int, q: int, relative: bool = False) -> DateValue:
    first, last = date(y, 3 * q - 2, 1), month(y, 3 * q).end
    return DateValue(f"{y:04d}-Q{q}", first.isoformat(), last, "quarter", relative)


def year(y: int, relative: bool = False) -> DateValue:
    return DateValue(f"{y:04d}", f"{y:04d}-01-01", f"{y:04d}-12-31", "year", relative)


def week(d: date, relative: bool = False) -> DateValue:
    iso_year, iso_week, weekday = d.isocalendar()
    monday = d - timedelta(days=weekday - 1)
    return DateValue(f"{iso_year:04d}-W{iso_week:02d}", monday.isoformat(),
                     (monday + timedelta(days=6)).isoformat(), "week", relative)


NONE = DateValue(None, None, None, None, False)


def _unresolved(text: str) -> DateValue:
    return NONE._replace(relative=bool(RELATIVE_WORDS.search(text)))


def _clean(text: str) -> str:
    t = re.sub(r"\s+", " ", text.lower().replace(",", " ")).strip(" .;:()")
    while LEAD.match(t):
        t = LEAD.sub("", t, count=1)
    return t


def _safe(build, *args, **kwargs) -> DateValue | None:
    """A value from ``build``, or None when the parts make no real date (31 February) or leave 1800-2200."""
    try:
        result = build(*args, **kwargs)
    except (ValueError, OverflowError):
        return None
    return result if result is not None and MIN_YEAR <= int(result.value[:4]) <= MAX_YEAR else None


@lru_cache(maxsize=8192)
def parse_date(text: str, reference: date | None, day_first: bool = True, partner: str | None = None,
               future: bool = False) -> DateValue:
    """Normalise one date mention against the article's ``reference`` date (None when unknown).

    ``partner`` is the other end of a range ("1957-58": "58" takes its century from "1957"). A date without
    a year ("14 December", "March", "Q3", "Tuesday") is the latest one on or before the reference date,
    or the first one on or after it when its sentence speaks of the ``future``."""
    t = _clean(text)
    if partner and re.fullmatch(r"\d\d", t) and re.fullmatch(YEAR, partner.strip()):
        t = partner.strip()[:2] + t
    for rule in (_absolute, _relative):
        result = rule(t, reference, day_first, future)
        if result is not None:
            return result
    return _fallback(t, day_first)


def _absolute(t: str, ref: date | None, day_first: bool, future: bool) -> DateValue | None:
    """Dates that need no reference: 2014-03-31, 14.03.2012, December 2005, Q3 2012, 2011."""
    months = _months()
    month_names = "|".join(sorted(months, key=len, reverse=True))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
        return _safe(lambda: day(date(int(m[1]), int(m[2]), int(m[3]))))
    if m := re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})", t):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        y += 2000 if y < 50 else (1900 if y < 100 else 0)
        d, mo = (a, b) if (day_first and a <= 12 or a > 12) and b <= 12 else (b, a)
        return _safe(lambda: day(date(y, mo, d)))
    if m := re.fullmatch(rf"(?:(?:early|mid|late|end|start|beginning|middle|the end|the start)[\s-]*(?:of )?)?{YEAR}", t):
        return year(int(m[1]))
    if m := re.fullmatch(rf"(?:q([1-4])|(?!last quarter$)([a-z0-9]+) quarter)(?: of)?(?: (?:fy)?{YEAR})?", t) or \
            re.fullmatch(rf"{YEAR} q([1-4])", t):
        return _quarter(m, ref, future)
    if m := re.fullmatch(rf"({month_names})\.? (?:of )?{YEAR}", t):
        return month(int(m[2]), months[m[1]])
    if m := re.fullmatch(rf"(?:[a-z]+ )?(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({month_names})\.?(?: {YEAR})?", t) or \
            re.fullmatch(rf"(?:[a-z]+ )?({month_names})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?: {YEAR})?", t):
        return _day_month(m, months, ref, future)
    return None


def _year_of(ref: date, first: tuple[int, int], last: tuple[int, int], future: bool) -> int:
    """The year of a (month, day) period given without one: the latest that began on or before ``ref``,
    or, for the ``future``, the first that ends on or after it."""
    today = (ref.month, ref.day)
    if future:
        return ref.year if last >= today else ref.year + 1
    return ref.year if first <= today else ref.year - 1


def _quarter(m: re.Match, ref: date | None, future: bool) -> DateValue | None:
    groups = [g for g in m.groups() if g]
    y = next((int(g) for g in groups if re.fullmatch(YEAR, g)), None)
    q = next((int(g) if g.isdigit() else ORDINALS.get(g) for g in groups if not re.fullmatch(YEAR, g)), None)
    if q is None or not 1 <= q <= 4:
        return None
    if y is None:
        return quarter(_year_of(ref, (3 * q - 2, 1), (3 * q, 31), future), q, True) if ref \
            else NONE._replace(relative=True)
    return quarter(y, q)


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
        (r"(?:(?:earlier|later) )?(last|this|next|past|previous|coming|current|following) "
         r"(?:(?:financial|fiscal|calendar) )?(week|month|year|quarter)", _unit),
        (rf"(last|this|next|early|late|mid|end of|beginning of)?[\s-]*({month_names})", _bare_month),
        (rf"(last|this|next|past)? ?({weekday_names})", _weekday),
        (r"([\w.-]+) (years?|months?|weeks?|days?|decades?) (?:ago|earlier)", _ago),
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
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(m[1], 0)
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
    n = parse_number(m[1])
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
    return DateDataParser(languages=["en"], settings={
        "DATE_ORDER": "DMY" if day_first else "MDY", "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})


def _fallback(t: str, day_first: bool) -> DateValue:
    """Full dates our grammar lacks ("3 March 2014 at noon"), through dateparser: day grain, year given."""
    if not re.search(r"\d", t) or not re.search(r"[a-z]", t) or re.search(r"\b(years?|months?|weeks?|days?)\b", t):
        return _unresolved(t)
    try:
        data = _parser(day_first).get_date_data(t)
    except Exception:  # dateparser raises many types on odd input; an unparsed date stays null
        return _unresolved(t)
    if data.date_obj is None or data.period != "day" or not re.search(rf"\b{YEAR}\b", t):
        return _unresolved(t)
    return _safe(day, data.date_obj.date()) or _unresolved(t)


FUTURE = re.compile(r"\b(?:will|shall|won't|'ll|due to|expected to|plans? to|planned|scheduled|set to|"
                    r"going to|is to|are to|intends? to|aims? to)\b", re.I)
FUTURE_BEFORE = re.compile(r"\b(?:from|until|till|by|starting|beginning|effective|before|next)\s+(?:the\s+)?$", re.I)


def speaks_of_future(before: str, after: str) -> bool:
    """Whether the words around a date look ahead ("will run from 1 April", "from March, BT will ..."):
    a future tense within its clause, or "from"/"until"/"by" just before it."""
    clause = re.split(r"[.;:!?]\s|,\s+(?:and|but|which|who|while)\b", before)[-1] + " " + \
        re.split(r"[.;:!?]\s", after)[0][:25]
    return bool(FUTURE.search(clause) or FUTURE_BEFORE.search(before[-25:]))


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
    british = text.count("£") + len(re.findall(r"\bper cent\b", text)) + \
        len(re.findall(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{month_names})\b", text))
    american = text.count("$") + len(re.findall(r"\bpercent\b", text)) + \
        len(re.findall(rf"\b(?:{month_names})\.? \d{{1,2}}(?:st|nd|rd|th)?,", text))
    return british >= american


DATELINE_LABEL = re.compile(r"^\s*(?:published|posted|updated|last updated|first published|date|dated|issued|"
                            r"released)\b[\s:]*", re.I)


def find_dateline(text: str) -> date | None:
    """The publication date from a dateline near an article's top ("Published: 12 May 2011"), or None."""
    day_first = day_first_evidence(text[:5000])
    months = "|".join(sorted((m for m in _months()), key=len, reverse=True))
    candidate = re.compile(
        rf"\b(\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{months})\.?,? \d{{4}}|(?:{months})\.? \d{{1,2}}(?:st|nd|rd|th)?,? "
        rf"\d{{4}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b", re.I)
    lines = [line for line in text[:1500].splitlines() if line.strip()][:6]
    for line in lines:
        labelled = DATELINE_LABEL.match(line)
        match = candidate.search(line)
        if not match:
            continue
        short = len(line.strip()) <= 80
        lead = match.start() <= 40 and re.match(r"\s*(?:[-–—:|]|$)", line[match.end():])
        if labelled or short or lead:
            value = parse_date(match.group(0), None, day_first)
            if value.grain == "day":
                return date.fromisoformat(value.value)
    return None
