"""core.jalali: one conversion, one formatter, one parser and one timezone rule for every Jalali date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from core.api.fields import JalaliField
from core.forms import JalaliDateField
from core.jalali import (
    JalaliDate,
    format_jalali_date,
    jalali_date_string,
    jalali_parts,
    jalali_text,
    parse_jalali_date,
)

UTC = ZoneInfo("UTC")

# Gregorian day → Jalali day, around the year's edges.
DAYS = [
    (dt.date(2023, 3, 21), JalaliDate(1402, 1, 1)),  # Nowruz 1402
    (dt.date(2024, 3, 19), JalaliDate(1402, 12, 29)),  # 1402 is not a leap year: Esfand ends on the 29th
    (dt.date(2024, 3, 20), JalaliDate(1403, 1, 1)),  # Nowruz 1403
    (dt.date(2025, 3, 20), JalaliDate(1403, 12, 30)),  # 1403 is a leap year: 30 Esfand
    (dt.date(2025, 3, 21), JalaliDate(1404, 1, 1)),  # Nowruz 1404
    (dt.date(2024, 9, 21), JalaliDate(1403, 6, 31)),  # the last 31-day month
    (dt.date(2024, 9, 22), JalaliDate(1403, 7, 1)),  # the first 30-day month
    (dt.date(1979, 2, 11), JalaliDate(1357, 11, 22)),
]


@pytest.mark.parametrize(("day", "jalali"), DAYS, ids=[str(d) for d, _ in DAYS])
def test_days_convert_both_ways(day, jalali):
    assert jalali_parts(day) == jalali
    assert parse_jalali_date(f"{jalali.year}/{jalali.month}/{jalali.day}") == day


# A moment is read on Tehran's clock (UTC+03:30, no daylight saving since 2022).
MOMENTS = [
    (dt.datetime(2024, 3, 19, 20, 29, tzinfo=UTC), JalaliDate(1402, 12, 29, 23, 59)),  # last minute of 1402
    (dt.datetime(2024, 3, 19, 20, 30, tzinfo=UTC), JalaliDate(1403, 1, 1, 0, 0)),  # Tehran midnight: Nowruz
    (dt.datetime(2024, 3, 19, 21, 0, tzinfo=UTC), JalaliDate(1403, 1, 1, 0, 30)),  # still 19 March in UTC
    (dt.datetime(2024, 3, 20, 0, 0, tzinfo=UTC), JalaliDate(1403, 1, 1, 3, 30)),  # UTC midnight
    (dt.datetime(2025, 3, 20, 20, 29, tzinfo=UTC), JalaliDate(1403, 12, 30, 23, 59)),  # end of the leap day
    (dt.datetime(2025, 3, 20, 20, 30, tzinfo=UTC), JalaliDate(1404, 1, 1, 0, 0)),
    (dt.datetime(2024, 3, 20, 2, 0, tzinfo=ZoneInfo("Asia/Tokyo")), JalaliDate(1402, 12, 29, 20, 30)),
    (dt.datetime(2024, 3, 20, 0, 10), JalaliDate(1403, 1, 1, 0, 10)),  # naive: taken as Tehran time already
]


@pytest.mark.parametrize(("moment", "jalali"), MOMENTS, ids=[m.isoformat() for m, _ in MOMENTS])
def test_a_moment_is_on_tehran_time(moment, jalali):
    assert jalali_parts(moment) == jalali


def test_jalali_values_pass_through_and_anything_else_is_no_date():
    assert jalali_parts(jdatetime.date(1403, 12, 30)) == JalaliDate(1403, 12, 30)
    assert jalali_parts(jdatetime.datetime(1403, 1, 1, 8, 5)) == JalaliDate(1403, 1, 1, 8, 5)
    for nothing in (None, "", "1403/01/01", 12):
        assert jalali_parts(nothing) is None
        assert jalali_date_string(nothing) == ""
    assert jalali_text(None) is None
    assert format_jalali_date(None) == ""


NOWRUZ_MOMENT = dt.datetime(2024, 3, 19, 21, 0, tzinfo=UTC)
LEAP_DAY = dt.date(2025, 3, 20)


def test_pages_read_persian_words_and_digits():
    with translation.override("fa"):
        assert jalali_date_string(LEAP_DAY) == "۳۰ اسفند ۱۴۰۳"
        assert jalali_date_string(LEAP_DAY, numeric=True) == "۱۴۰۳/۱۲/۳۰"
        assert jalali_date_string(NOWRUZ_MOMENT) == "۱ فروردین ۱۴۰۳"
        assert jalali_date_string(NOWRUZ_MOMENT, with_time=True) == "۱ فروردین ۱۴۰۳، ۰۰:۳۰"
        assert jalali_date_string(LEAP_DAY, with_time=True) == "۳۰ اسفند ۱۴۰۳"  # a day has no time


def test_english_pages_keep_ascii_digits_and_jalali_months():
    with translation.override("en"):
        assert jalali_date_string(LEAP_DAY) == "30 Esfand 1403"
        assert jalali_date_string(NOWRUZ_MOMENT, with_time=True) == "1 Farvardin 1403, 00:30"
        assert jalali_date_string(LEAP_DAY, numeric=True) == "1403/12/30"


@pytest.mark.parametrize("language", ["fa", "en"])
def test_programs_get_ascii_digits_with_slashes_in_every_language(language):
    with translation.override(language):
        assert jalali_text(LEAP_DAY) == "1403/12/30"
        assert jalali_text(NOWRUZ_MOMENT) == "1403/01/01 00:30"
        assert format_jalali_date(LEAP_DAY) == "1403/12/30"
        assert format_jalali_date(NOWRUZ_MOMENT) == "1403/01/01"  # the Tehran day of the moment


class _DayForm(forms.Form):
    day = JalaliDateField()


def test_every_caller_says_the_same_date():
    """Filter, API twin, form value and admin cell are views of one formatter."""
    from django.contrib.admin import utils as admin_utils

    with translation.override("fa"):
        page = Template("{{ d|jdatetime }} {{ d|jdate:'numeric' }}").render(Context({"d": NOWRUZ_MOMENT}))
        assert page == "۱ فروردین ۱۴۰۳، ۰۰:۳۰ ۱۴۰۳/۰۱/۰۱"
        assert admin_utils.display_for_value(NOWRUZ_MOMENT, "-") == "۱ فروردین ۱۴۰۳، ۰۰:۳۰"
        assert JalaliField().to_representation(NOWRUZ_MOMENT) == "1403/01/01 00:30"
        assert 'value="1403/12/30"' in str(_DayForm(initial={"day": LEAP_DAY})["day"])


@pytest.mark.parametrize(
    "typed",
    ["1403/12/30", "۱۴۰۳/۱۲/۳۰", "١٤٠٣/١٢/٣٠", "1403-12-30", " 1403 / 12 / 30 ", "1403.12.30", "۱۴۰۳٫۱۲٫۳۰"],
)
def test_typed_dates_in_any_digits_parse(typed):
    assert parse_jalali_date(typed) == LEAP_DAY


@pytest.mark.parametrize(
    "typed",
    ["1404/12/30", "1403/12/31", "1403/13/01", "1403/00/10", "2025-03-20", "20/12/1403", "1403/12", "فردا", ""],
)
def test_no_such_jalali_date_is_refused(typed):
    with pytest.raises(ValueError):
        parse_jalali_date(typed)


def test_every_day_of_a_decade_reads_back_as_itself():
    day = dt.date(2020, 3, 1)
    while day < dt.date(2030, 3, 31):
        assert parse_jalali_date(format_jalali_date(day)) == day
        day += dt.timedelta(days=1)
