from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from core.forms import JalaliDateField


class DecreeForm(forms.Form):
    day = JalaliDateField()


@pytest.mark.parametrize(
    "typed",
    ["1403/02/15", "۱۴۰۳/۰۲/۱۵", "١٤٠٣/٠٢/١٥", "1403-2-15", " 1403 / 02 / 15 ", "1403.02.15"],
)
def test_jalali_dates_in_any_digits_become_gregorian(typed):
    form = DecreeForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2024, 5, 4)


@pytest.mark.parametrize("typed", ["1403/13/01", "1403/12/31", "2024-05-04", "15/02/1403", "فردا", "1403/02"])
def test_anything_else_is_a_persian_error(typed, settings):
    form = DecreeForm({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["یک تاریخ شمسی معتبر وارد کنید، مثلاً ۱۴۰۳/۰۲/۱۵."]


def test_leap_day_of_a_leap_year_is_accepted():
    form = DecreeForm({"day": "1403/12/30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2025, 3, 20)


def test_stored_dates_are_shown_in_jalali():
    form = DecreeForm(initial={"day": dt.date(2024, 5, 4)})
    assert 'value="1403/02/15"' in str(form["day"])
    assert 'dir="ltr"' in str(form["day"])
    assert not DecreeForm({"day": "۱۴۰۳/۰۲/۱۵"}, initial={"day": dt.date(2024, 5, 4)}).has_changed()
